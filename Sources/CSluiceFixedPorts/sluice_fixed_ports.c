#define _GNU_SOURCE
#include "sluice_fixed_ports.h"
#include <errno.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The next port to give, 0 when disarmed; the last port of the range. */
static _Atomic int next_port = 0;
static _Atomic int last_port = 0;
static _Atomic int given = 0;
static _Atomic int failure = 0;
static _Atomic int failed_port = 0;

void sluice_fixed_ports_arm(int first, int count) {
    atomic_store(&given, 0);
    atomic_store(&failure, 0);
    atomic_store(&failed_port, 0);
    atomic_store(&last_port, first + count - 1);
    atomic_store(&next_port, first);
}

int sluice_fixed_ports_disarm(void) {
    atomic_store(&next_port, 0);
    return atomic_load(&given);
}

int sluice_fixed_ports_error(void) { return atomic_load(&failure); }

int sluice_fixed_ports_failed_port(void) { return atomic_load(&failed_port); }

/* The kernel's bind, without going through the symbol this file defines. */
static int kernel_bind(int fd, const struct sockaddr *addr, socklen_t len) {
    return (int)syscall(SYS_bind, fd, addr, len);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len) {
    if (addr != NULL && addr->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
        int port = atomic_load(&next_port);
        if (in->sin_port == 0 && in->sin_addr.s_addr == htonl(INADDR_LOOPBACK)) {
            while (port != 0 && port <= atomic_load(&last_port)) {
                if (!atomic_compare_exchange_weak(&next_port, &port, port + 1)) continue;
                struct sockaddr_in fixed = *in;
                fixed.sin_port = htons((uint16_t)port);
                int result = kernel_bind(fd, (const struct sockaddr *)&fixed, sizeof(fixed));
                if (result == 0) {
                    atomic_fetch_add(&given, 1);
                } else {
                    int expected = 0;
                    if (atomic_compare_exchange_strong(&failure, &expected, errno)) atomic_store(&failed_port, port);
                }
                return result;
            }
        }
    }
    return kernel_bind(fd, addr, len);
}
