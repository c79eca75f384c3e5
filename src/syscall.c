/*
 * syscall.c - the one place that asks libseccomp about arches and syscall
 * numbers.  Names must come from the record's own arch, never the host's.
 */
#include "config.h"

#include <ctype.h>
#include <libaudit.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syscall.h"

#define X32_SYSCALL_BIT 0x40000000LL

/* libseccomp names every arch it supports; the tokens come from it. */
static const char *const arch_names[] = {
	"x86_64", "x86", "x32", "arm", "aarch64", "mips", "mipsel", "mips64",
	"mipsel64", "mips64n32", "mipsel64n32", "ppc", "ppc64", "ppc64le",
	"s390", "s390x", "parisc", "parisc64", "riscv64", "loongarch64",
	"m68k", "sh", "shbe",
};

#define NARCH (sizeof(arch_names) / sizeof(arch_names[0]))

static struct sl_arch arches[NARCH];
static char docker_names[NARCH][32];
static size_t narches;

static void init(void)
{
	size_t i, j;

	if (narches)
		return;
	for (i = 0; i < NARCH; i++) {
		uint32_t tok = seccomp_arch_resolve_name(arch_names[i]);
		char *d = docker_names[narches];

		if (!tok)
			continue;	/* older libseccomp: arch not built in */
		snprintf(d, sizeof(docker_names[0]), "SCMP_ARCH_%s", arch_names[i]);
		for (j = 10; d[j]; j++)
			d[j] = (char)toupper((unsigned char)d[j]);
		arches[narches].token = tok;
		arches[narches].name = arch_names[i];
		arches[narches].docker = d;
		narches++;
	}
}

const struct sl_arch *sl_arch_by_token(uint32_t token)
{
	size_t i;

	init();
	for (i = 0; i < narches; i++)
		if (arches[i].token == token)
			return &arches[i];
	return NULL;
}

const struct sl_arch *sl_arch_of_record(uint32_t audit_arch, int64_t nr)
{
	/* libseccomp's tokens are the AUDIT_ARCH values, except x32's */
	if (audit_arch == SCMP_ARCH_X86_64 && nr >= 0 && (nr & X32_SYSCALL_BIT))
		return sl_arch_by_token(SCMP_ARCH_X32);
	return sl_arch_by_token(audit_arch);
}

const struct sl_arch *sl_arch_by_name(const char *name)
{
	size_t i;

	init();
	for (i = 0; i < narches; i++)
		if (!strcmp(arches[i].name, name))
			return &arches[i];
	return NULL;
}

const struct sl_arch *sl_arch_by_docker(const char *docker)
{
	size_t i;

	init();
	for (i = 0; i < narches; i++)
		if (!strcmp(arches[i].docker, docker))
			return &arches[i];
	return NULL;
}

const struct sl_arch *sl_arch_native(void)
{
	return sl_arch_by_token(seccomp_arch_native());
}

const char *sl_syscall_name(const struct sl_arch *arch, int64_t nr, char *buf, size_t len)
{
	char *name;

	if (!arch || nr < 0 || nr > INT32_MAX)
		return NULL;
	name = seccomp_syscall_resolve_num_arch(arch->token, (int)nr);
	if (!name)
		return NULL;
	snprintf(buf, len, "%s", name);
	free(name);
	return buf;
}

int64_t sl_syscall_number(const struct sl_arch *arch, const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(arch->token, name);

	return nr == __NR_SCMP_ERROR || nr < 0 ? -1 : nr;
}

uint32_t sl_arch_audit(const struct sl_arch *arch)
{
	return arch->token == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : arch->token;
}

/* The real number whose name is name, found from the numbers' side. */
static int64_t number_by_scan(const struct sl_arch *arch, const char *name)
{
	int64_t base = arch->token == SCMP_ARCH_X32 ? X32_SYSCALL_BIT : 0, i;
	char buf[64];
	const char *n;

	for (i = 0; i < 1024; i++)
		if ((n = sl_syscall_name(arch, base + i, buf, sizeof(buf))) && !strcmp(n, name))
			return base + i;
	return -1;
}

int64_t sl_syscall_number_called(const struct sl_arch *arch, const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(arch->token, name);
	int64_t direct;

	if (nr >= 0)
		return nr;
	if (nr == __NR_SCMP_ERROR)
		return -1;
	if ((direct = number_by_scan(arch, name)) >= 0)
		return direct;
	if (nr <= __PNR_socket && nr >= __PNR_sendmmsg)
		return sl_syscall_number(arch, "socketcall");
	if (nr <= __PNR_semop && nr >= __PNR_shmctl)
		return sl_syscall_number(arch, "ipc");
	return -1;
}

bool sl_syscall_known(const char *name)
{
	size_t i;

	init();
	for (i = 0; i < narches; i++)
		if (sl_syscall_number(&arches[i], name) >= 0)
			return true;
	return false;
}

uint32_t sl_audit_arch_by_audit_name(const char *name)
{
	int machine = audit_name_to_machine(name);

	return machine < 0 ? 0 : audit_machine_to_elf(machine);
}

int64_t sl_syscall_number_audit(uint32_t audit_arch, const char *name)
{
	const struct sl_arch *arch;
	int machine = audit_elf_to_machine(audit_arch), nr;

	/* libaudit's own table first: ausearch named the number with it */
	if (machine >= 0 && (nr = audit_name_to_syscall(name, machine)) >= 0)
		return nr;
	arch = sl_arch_of_record(audit_arch, 0);
	return arch ? sl_syscall_number(arch, name) : -1;
}
