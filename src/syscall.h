/* syscall.h - syscall numbers and names per architecture (libseccomp) */
#ifndef SL_SYSCALL_H
#define SL_SYSCALL_H

#include <stdbool.h>
#include <stdint.h>

/* An arch as seclog tracks it: libseccomp's token (x32 has its own). */
struct sl_arch {
	uint32_t token;		/* SCMP_ARCH_* value */
	const char *name;	/* libseccomp's name: "x86_64", "x86", "x32" */
	const char *docker;	/* profile name: "SCMP_ARCH_X86_64" */
};

/*
 * The arch of a record: its AUDIT_ARCH value, with x86_64 numbers that
 * carry bit 30 (__X32_SYSCALL_BIT) meaning x32.  NULL if libseccomp does
 * not know the arch.
 */
const struct sl_arch *sl_arch_of_record(uint32_t audit_arch, int64_t nr);

/* Lookups by libseccomp name ("x86_64"), profile name
 * ("SCMP_ARCH_X86_64") or token; NULL when unknown. */
const struct sl_arch *sl_arch_by_name(const char *name);
const struct sl_arch *sl_arch_by_docker(const char *docker);
const struct sl_arch *sl_arch_by_token(uint32_t token);
/* The arch this seclog runs on. */
const struct sl_arch *sl_arch_native(void);

/*
 * Name of syscall nr on arch, as libseccomp knows it; nr is as logged (x32
 * numbers keep bit 30).  Writes into buf and returns buf, or returns NULL
 * when libseccomp has no name for that number on that arch.
 */
const char *sl_syscall_name(const struct sl_arch *arch, int64_t nr, char *buf, size_t len);

/* Number of a syscall name on arch; -1 if the arch has no such syscall. */
int64_t sl_syscall_number(const struct sl_arch *arch, const char *name);

/*
 * The AUDIT_ARCH value of an arch as libaudit names it ("x86_64", "i386",
 * "aarch64": what ausearch -i prints), 0 when unknown.
 */
uint32_t sl_audit_arch_by_audit_name(const char *name);

/*
 * Number of a syscall named as ausearch -i names it, for a record's
 * AUDIT_ARCH value: libaudit's table (the one ausearch used), then
 * libseccomp's; -1 when neither knows it.
 */
int64_t sl_syscall_number_audit(uint32_t audit_arch, const char *name);

/* The AUDIT_ARCH value records of arch carry (x32: x86_64's). */
uint32_t sl_arch_audit(const struct sl_arch *arch);

/*
 * The number a process of arch makes for name, as seccomp sees it:
 * libseccomp's number; for a name libseccomp keeps as a pseudo-syscall
 * (x86's socket calls and SysV IPC, which strace names by the call), the
 * syscall of that name if the arch has one (libseccomp allows the
 * socketcall/ipc form of it too), else the multiplexer (socketcall,
 * ipc).  -1 if none.
 */
int64_t sl_syscall_number_called(const struct sl_arch *arch, const char *name);

/* Is name a syscall libseccomp knows on any arch (profile lint)? */
bool sl_syscall_known(const char *name);

#endif
