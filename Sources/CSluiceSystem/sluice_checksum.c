/* Checksums for the native produce path. Written here from the polynomials'
   definitions (CRC-32C: reflected 0x82F63B78; CRC-32: reflected 0xEDB88320). */
#include "sluice_checksum.h"
#include <string.h>

static uint32_t crc32c_tables[8][256];
static uint32_t crc32_tables[8][256];
static int hardware = -1;

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

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t crc32c_sse42(uint32_t crc, const unsigned char *p, size_t length) {
    uint64_t c = ~crc;
    /* One stream: 8 bytes per instruction of 3 cycles' latency, several GB/s,
       far above what a produce path needs; no multi-stream combine step. */
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
