#ifndef SLUICE_CHECKSUM_H
#define SLUICE_CHECKSUM_H
#include <stddef.h>
#include <stdint.h>

/* CRC-32C (Castagnoli, the checksum of Kafka's v2 record batches) of `length`
   bytes at `data`, continuing from `crc` (0 to start; the value is the finished
   checksum, pre- and post-inverted inside). Uses the SSE4.2 CRC32 instruction when
   the CPU has it, a slicing table otherwise. */
uint32_t sluice_crc32c(uint32_t crc, const void *data, size_t length);
/* The table version of sluice_crc32c, always (for tests and CPUs without SSE4.2). */
uint32_t sluice_crc32c_table(uint32_t crc, const void *data, size_t length);
/* Whether sluice_crc32c uses the CPU instruction. */
int sluice_crc32c_hardware(void);
/* CRC-32 (IEEE 802.3, zlib's crc32) of `length` bytes, continuing from `crc` (0 to
   start): the hash of librdkafka's `consistent` partitioners. */
uint32_t sluice_crc32_ieee(uint32_t crc, const void *data, size_t length);
#endif
