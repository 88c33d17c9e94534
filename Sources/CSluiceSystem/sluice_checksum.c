/* Checksums for the native produce path. Written here from the polynomials'
   definitions (CRC-32C: reflected 0x82F63B78; CRC-32: reflected 0xEDB88320). */
#include "sluice_checksum.h"
#include <string.h>

static uint32_t crc32c_tables[8][256];
static uint32_t crc32_tables[8][256];
static int hardware = -1;
/* Bytes per stream of the three-stream CRC-32C, and the constants joining them. */
#define STREAM 4096
static uint32_t shift_by_two_streams, shift_by_one_stream;
static uint32_t zero_bytes_operator(size_t bytes);

static void build_tables(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n, d = n;
        for (int k = 0; k < 8; k++) {
            c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
            d = (d & 1) ? (d >> 1) ^ 0xEDB88320u : d >> 1;
        }
        crc32c_tables[0][n] = c;
        crc32_tables[0][n] = d;
    }
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = crc32c_tables[0][n], d = crc32_tables[0][n];
        for (int t = 1; t < 8; t++) {
            c = crc32c_tables[0][c & 0xff] ^ (c >> 8);
            d = crc32_tables[0][d & 0xff] ^ (d >> 8);
            crc32c_tables[t][n] = c;
            crc32_tables[t][n] = d;
        }
    }
}

static void initialise(void) {
    static int done = 0;
    if (__atomic_load_n(&done, __ATOMIC_ACQUIRE)) return;
    build_tables();
#if defined(__x86_64__)
    __builtin_cpu_init();
    hardware = __builtin_cpu_supports("sse4.2") ? 1 : 0;
    shift_by_one_stream = zero_bytes_operator(STREAM);
    shift_by_two_streams = zero_bytes_operator(2 * STREAM);
#else
    hardware = 0;
#endif
    __atomic_store_n(&done, 1, __ATOMIC_RELEASE);
}

__attribute__((constructor)) static void sluice_checksum_init(void) { initialise(); }

/* Slicing-by-8 over `tables` (reflected CRC-32 of either polynomial). */
static uint32_t slice8(uint32_t tables[8][256], uint32_t crc, const unsigned char *p, size_t length) {
    uint32_t c = ~crc;
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8); /* little-endian machines only, like the rest of Sluice */
        uint32_t lo = (uint32_t)word ^ c, hi = (uint32_t)(word >> 32);
        c = tables[7][lo & 0xff] ^ tables[6][(lo >> 8) & 0xff] ^ tables[5][(lo >> 16) & 0xff] ^
            tables[4][lo >> 24] ^ tables[3][hi & 0xff] ^ tables[2][(hi >> 8) & 0xff] ^
            tables[1][(hi >> 16) & 0xff] ^ tables[0][hi >> 24];
        p += 8;
        length -= 8;
    }
    while (length--) c = tables[0][(c ^ *p++) & 0xff] ^ (c >> 8);
    return ~c;
}

uint32_t sluice_crc32c_table(uint32_t crc, const void *data, size_t length) {
    initialise();
    return slice8(crc32c_tables, crc, data, length);
}

/* Multiplication of two polynomials modulo the CRC-32C polynomial, in the reflected
   representation the CRC registers use (bit 31 is x^0, bit 0 is x^31). */
static uint32_t gf2_multiply(uint32_t a, uint32_t b) {
    uint32_t product = 0;
    for (int bit = 0; bit < 32; bit++) {
        if (a & 0x80000000u) product ^= b;
        a <<= 1;
        b = (b & 1) ? (b >> 1) ^ 0x82F63B78u : b >> 1; /* b times x */
    }
    return product;
}

/* x^(8 * bytes) modulo the polynomial: what a register is multiplied by when that many
   zero bytes follow it. */
static uint32_t zero_bytes_operator(size_t bytes) {
    uint32_t result = 0x80000000u, power = 0x40000000u; /* 1 and x */
    for (uint64_t exponent = (uint64_t)bytes * 8; exponent; exponent >>= 1) {
        if (exponent & 1) result = gf2_multiply(result, power);
        power = gf2_multiply(power, power);
    }
    return result;
}

#if defined(__x86_64__)
/* Three streams of STREAM bytes each run side by side: the crc32 instruction has a
   latency of 3 cycles and a throughput of 1, so one stream uses a third of it. The
   three registers are joined by shifting the first two past the bytes that follow
   them (a multiplication by x^(8n), constants computed once). */
__attribute__((target("sse4.2")))
static uint32_t crc32c_sse42(uint32_t crc, const unsigned char *p, size_t length) {
    uint64_t c = ~crc;
    while (length >= 3 * STREAM) {
        uint64_t c1 = 0, c2 = 0;
        for (size_t i = 0; i < STREAM; i += 8) {
            uint64_t w0, w1, w2;
            memcpy(&w0, p + i, 8);
            memcpy(&w1, p + STREAM + i, 8);
            memcpy(&w2, p + 2 * STREAM + i, 8);
            c = __builtin_ia32_crc32di(c, w0);
            c1 = __builtin_ia32_crc32di(c1, w1);
            c2 = __builtin_ia32_crc32di(c2, w2);
        }
        c = gf2_multiply((uint32_t)c, shift_by_two_streams) ^ gf2_multiply((uint32_t)c1, shift_by_one_stream) ^ (uint32_t)c2;
        p += 3 * STREAM;
        length -= 3 * STREAM;
    }
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        c = __builtin_ia32_crc32di(c, word);
        p += 8;
        length -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (length--) c32 = __builtin_ia32_crc32qi(c32, *p++);
    return ~c32;
}
#endif

uint32_t sluice_crc32c(uint32_t crc, const void *data, size_t length) {
#if defined(__x86_64__)
    if (hardware > 0) return crc32c_sse42(crc, data, length);
#endif
    return sluice_crc32c_table(crc, data, length);
}

int sluice_crc32c_hardware(void) {
    initialise();
    return hardware > 0;
}

uint32_t sluice_crc32_ieee(uint32_t crc, const void *data, size_t length) {
    /* The constructor built the tables before main; no per-call check. */
    return slice8(crc32_tables, crc, data, length);
}
