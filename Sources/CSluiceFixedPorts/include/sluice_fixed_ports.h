#ifndef SLUICE_FIXED_PORTS_H
#define SLUICE_FIXED_PORTS_H
/*
 * Fixed ports for the embedded cluster's brokers (`sluice broker --port`).
 *
 * librdkafka 2.0.2's mock cluster binds every broker to 127.0.0.1 port 0 and has no
 * setting for the port. This target defines `bind` in the `sluice` executable, which
 * the dynamic linker then resolves for librdkafka too (an executable's definition
 * interposes a shared library's), and while armed gives each loopback bind to port 0,
 * in order, the next port of the armed range. Every other bind, and every bind while
 * disarmed, goes to the kernel unchanged.
 *
 * Ownership rule: only the `sluice` executable links this target (never a library
 * product, so programs embedding Sluice keep their own `bind`); arm it around
 * creating the mock cluster, on one thread, and disarm it right after.
 */

/* Gives the next `count` loopback binds to port 0 the ports first...first+count-1. */
void sluice_fixed_ports_arm(int first, int count);
/* Ends the substitution; returns how many ports of the armed range were bound. */
int sluice_fixed_ports_disarm(void);
/* The errno of the first failed substituted bind since arming, or 0. */
int sluice_fixed_ports_error(void);
/* The port that bind failed for, or 0. */
int sluice_fixed_ports_failed_port(void);
#endif
