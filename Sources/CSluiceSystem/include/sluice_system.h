#ifndef SLUICE_SYSTEM_H
#define SLUICE_SYSTEM_H
/* GNU extensions Glibc's Swift module does not export (they need _GNU_SOURCE). */
#include <pthread.h>
#include "sluice_checksum.h"

/* Pins threads created with `attr` to `cpu`. Returns 0 or an errno value. */
int sluice_attr_set_cpu(pthread_attr_t *attr, int cpu);
/* Names the calling thread (at most 15 bytes are kept). Returns 0 or an errno value. */
int sluice_set_thread_name(const char *name);
/* Writes up to `capacity` CPU numbers the calling thread (thread != 0) or process
   (thread == 0) may run on into `cpus`; returns how many, or -1. */
int sluice_affinity(int of_thread, int *cpus, int capacity);
/* Restricts the calling thread (and the threads it creates afterwards) to `cpus`.
   Returns 0 or an errno value. */
int sluice_restrict_calling_thread(const int *cpus, int count);
#endif
