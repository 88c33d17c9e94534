/* What one task thread must spend per GB of 1,000-byte records before any bookkeeping:
   writing the records, the CRC-32C of the Kafka batch (Sluice's own sluice_checksum.c),
   and one copy of a 1 MB batch. Built and run by perf/native-1000B-floor.sh. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

uint32_t sluice_crc32c(uint32_t crc, const void *data, size_t length);

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
    const size_t ring = 32u << 20, batch = 1000000, record = 1000, rounds = 4000;
    unsigned char *arena = malloc(ring), *wire = malloc(batch);
    if (!arena || !wire) return 1;
    memset(arena, 7, ring);
    memset(wire, 1, batch);
    uint32_t sink = 0;

    double start = seconds();
    for (size_t i = 0; i < rounds; i++) sink ^= sluice_crc32c(0, wire, batch);
    printf("crc32c of 1 MB batches:            %.3f s/GB\n", (seconds() - start) / (rounds * batch / 1e9));

    size_t at = 0;
    start = seconds();
    for (size_t i = 0; i < rounds; i++) {
        memcpy(wire, arena + at, batch);
        at = (at + batch) % (ring - batch);
    }
    printf("copy of 1 MB batches (32 MiB ring): %.3f s/GB\n", (seconds() - start) / (rounds * batch / 1e9));

    at = 0;
    const size_t records = rounds * batch / record;
    start = seconds();
    for (size_t i = 0; i < records; i++) {
        memcpy(arena + at, wire + (i * 61) % 4000, record);
        at = (at + record) % (ring - record);
    }
    printf("writing 1,000-byte records:        %.3f s/GB\n", (seconds() - start) / (records * record / 1e9));
    return sink == 0xFFFFFFFFu && arena[0] == 0 ? 2 : 0;
}
