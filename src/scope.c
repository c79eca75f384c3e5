/*
 * scope.c - Docker's includes/excludes decided for this host (scope.h).
 */
#include "config.h"

#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "scope.h"

/* capabilities(7), in number order */
static const char *const cap_names[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
	"CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
	"CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
	"CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
};

/* uname's machine as Go's GOARCH, which Docker compares includes.arches with */
static const char *goarch(const char *machine)
{
	static const struct {
		const char *uname, *go;
	} map[] = {
		{ "x86_64", "amd64" }, { "aarch64", "arm64" }, { "i686", "386" },
		{ "i386", "386" }, { "ppc64le", "ppc64le" }, { "s390x", "s390x" },
		{ "riscv64", "riscv64" }, { "mips64", "mips64" }, { "loongarch64", "loong64" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(machine, map[i].uname))
			return map[i].go;
	return !strncmp(machine, "arm", 3) ? "arm" : "";
}

void sl_scope_self(struct sl_scope *s)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { { 0 } };
	static struct utsname u;

	memset(s, 0, sizeof(*s));
	if (!uname(&u)) {
		s->goarch = goarch(u.machine);
		sscanf(u.release, "%u.%u", &s->kernel[0], &s->kernel[1]);
	} else {
		s->goarch = "";
	}
	if (!syscall(SYS_capget, &hdr, data))
		s->caps = data[0].effective | (uint64_t)data[1].effective << 32;
}

int sl_scope_cap(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(cap_names) / sizeof(cap_names[0]); i++)
		if (!strcmp(name, cap_names[i]))
			return (int)i;
	return -1;
}

static bool has_cap(const struct sl_scope *s, const char *name)
{
	int i = sl_scope_cap(name);

	return i >= 0 && (s->caps & (1ULL << i));
}

static bool listed(const json_t *arr, const char *s)
{
	const json_t *v;
	size_t i;

	json_array_foreach(arr, i, v)
		if (json_string_value(v) && !strcmp(json_string_value(v), s))
			return true;
	return false;
}

/* Is this kernel at least "MAJOR.MINOR"? */
static bool kernel_reaches(const struct sl_scope *s, const char *min)
{
	unsigned int a = 0, b = 0;

	if (!min || sscanf(min, "%u.%u", &a, &b) < 1)
		return true;
	return s->kernel[0] > a || (s->kernel[0] == a && s->kernel[1] >= b);
}

bool sl_scope_applies(const json_t *rule, const struct sl_scope *s)
{
	const json_t *ex = json_object_get(rule, "excludes");
	const json_t *in = json_object_get(rule, "includes");
	const json_t *v, *min;
	size_t i;

	if (listed(json_object_get(ex, "arches"), s->goarch))
		return false;
	json_array_foreach(json_object_get(ex, "caps"), i, v)
		if (has_cap(s, json_string_value(v)))
			return false;
	min = json_object_get(ex, "minKernel");
	if (json_is_string(min) && kernel_reaches(s, json_string_value(min)))
		return false;
	if (json_array_size(json_object_get(in, "arches")) &&
	    !listed(json_object_get(in, "arches"), s->goarch))
		return false;
	json_array_foreach(json_object_get(in, "caps"), i, v)
		if (!has_cap(s, json_string_value(v)))
			return false;
	min = json_object_get(in, "minKernel");
	return !json_is_string(min) || kernel_reaches(s, json_string_value(min));
}
