/*
 * template.c - the profiles seclog init writes (template.h).
 */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "profile.h"
#include "template.h"
#include "twin.h"

const struct sl_template sl_templates[] = {
	{ "empty", "allows nothing: every syscall is logged (the first pass learns them all)" },
	{ "glibc-base", "allows what every dynamically linked glibc program needs to start and "
			"exit (x86_64)" },
	{ NULL, NULL },
};

/*
 * glibc-base: derived on Debian 12 x86_64 (glibc 2.36, kernel 6.18) by
 * scripts/derive-template: /bin/true run under the empty template (seclog
 * run) until converged (17 names in 3 passes), enforced, then minimised
 * against /bin/true (seclog minimize --runs 3: 10 kept, 7 dropped, which
 * glibc copes without: access, brk, munmap, prlimit64, rseq,
 * set_robust_list, set_tid_address).  The same 10 in 3 derivations.
 */
static const char *const glibc_base[] = {
	"arch_prctl", "close", "execve", "exit_group", "mmap", "mprotect", "newfstatat",
	"openat", "pread64", "read",
};

#define BASE_COMMENT "glibc-base: the syscalls every dynamically linked glibc program " \
	"cannot start and exit without, derived on Debian 12 x86_64 (glibc 2.36) by " \
	"harvesting /bin/true under the empty template until converged (seclog run, 17 " \
	"names) and minimising the result (seclog minimize --runs 3 -- /bin/true, 10 " \
	"kept); scripts/derive-template does it again"

/* The native arch and the ones its kernel also runs (a 32-bit program in
 * a container is then logged, not killed by the bad-arch action). */
static json_t *arches(void)
{
	const struct sl_arch *n = sl_arch_native();
	json_t *a = json_array();

	json_array_append_new(a, json_string(n->docker));
	if (!strcmp(n->name, "x86_64")) {
		json_array_append_new(a, json_string("SCMP_ARCH_X86"));
		json_array_append_new(a, json_string("SCMP_ARCH_X32"));
	} else if (!strcmp(n->name, "aarch64")) {
		json_array_append_new(a, json_string("SCMP_ARCH_ARM"));
	}
	return a;
}

int sl_template_text(const char *name, char **text, char **cause)
{
	struct sl_twin_opts o = { 0 };
	json_t *root, *calls = json_array(), *rule;
	struct sl_profile p;
	char *enforcing;
	size_t len;
	int rc;

	*text = NULL;
	if (!strcmp(name, "glibc-base")) {
		if (strcmp(sl_arch_native()->name, "x86_64")) {
			json_decref(calls);
			return sl_fail(cause, -EOPNOTSUPP, "glibc-base was derived on x86_64, not "
				       "on %s: make your own with scripts/derive-template",
				       sl_arch_native()->name);
		}
		rule = json_pack("{s:o, s:s, s:s}", "names",
				 sl_json_strings(glibc_base,
						 sizeof(glibc_base) / sizeof(glibc_base[0])),
				 "action", "SCMP_ACT_ALLOW", "comment", BASE_COMMENT);
		json_array_append_new(calls, rule);
	} else if (strcmp(name, "empty")) {
		json_decref(calls);
		return sl_fail(cause, -ENOENT, "no template named '%s' (seclog init --list)", name);
	}
	/* the enforcing profile first, then its twin: one conversion */
	root = json_pack("{s:s, s:i, s:o, s:o}", "defaultAction", "SCMP_ACT_ERRNO",
			 "defaultErrnoRet", 1, "architectures", arches(), "syscalls", calls);
	enforcing = json_dumps(root, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!enforcing)
		return sl_fail(cause, -ENOMEM, "out of memory");
	enforcing = sl_xrealloc(enforcing, strlen(enforcing) + 2);
	strcat(enforcing, "\n");
	rc = sl_profile_parse(&p, name, enforcing, strlen(enforcing), cause);
	free(enforcing);
	if (rc)
		return rc;
	rc = sl_twin_complain(&p, &o, text, &len, NULL, cause);
	sl_profile_free(&p);
	return rc;
}
