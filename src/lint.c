/* lint.c - known problems of a profile (lint.h, seclog-lint(1)) */
#include "config.h"

#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "lint.h"
#include "policy.h"
#include "twin.h"

/* CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET, as Docker masks */
#define NS_FLAGS 0x7E020000LL

/*
 * Syscalls that let a process out of its container or widen what of the
 * kernel it reaches: Docker's default profile denies them (or allows them
 * only with the capability named), for the reasons its documentation
 * ("Seccomp security profiles for Docker") and the kernel's give.
 */
static const struct danger {
	const char *name;
	enum sl_level level;
	const char *why;
} dangers[] = {
#define W SL_LEVEL_WARNING
#define N SL_LEVEL_NOTE
	{ "ptrace", W,
	  "reads and writes other processes' memory and registers; before Linux 4.8 it could bypass seccomp itself" },
	{ "process_vm_readv", W,
	  "reads another process's memory directly (what CAP_SYS_PTRACE gates)" },
	{ "process_vm_writev", W,
	  "writes another process's memory directly (what CAP_SYS_PTRACE gates)" },
	{ "pidfd_getfd", W,
	  "copies another process's file descriptors (CAP_SYS_PTRACE)" },
	{ "syslog", W,
	  "reads the kernel log, whose addresses defeat KASLR (CAP_SYSLOG)" },
	{ "kcmp", W,
	  "compares kernel objects of other processes: process inspection (CAP_SYS_PTRACE)" },
	{ "mount", W,
	  "mounts file systems: with CAP_SYS_ADMIN it can expose host paths or remount read-only ones" },
	{ "umount", W,
	  "unmounts: can uncover what a mount hides, such as masked /proc paths (CAP_SYS_ADMIN)" },
	{ "umount2", W,
	  "unmounts: can uncover what a mount hides, such as masked /proc paths (CAP_SYS_ADMIN)" },
	{ "pivot_root", W,
	  "changes the root file system: a privileged operation" },
	{ "fsopen", W,
	  "the new mount API: mounts as mount(2) does (CAP_SYS_ADMIN)" },
	{ "fsmount", W,
	  "the new mount API: mounts as mount(2) does (CAP_SYS_ADMIN)" },
	{ "move_mount", W,
	  "the new mount API: mounts as mount(2) does (CAP_SYS_ADMIN)" },
	{ "open_tree", W,
	  "the new mount API: clones mounts as mount --bind does (CAP_SYS_ADMIN)" },
	{ "unshare", W,
	  "creates namespaces: a user namespace hands the process CAP_SYS_ADMIN inside it and reaches far more kernel code" },
	{ "setns", W,
	  "joins another namespace, the host's among them, through an open namespace file (CAP_SYS_ADMIN)" },
	{ "bpf", W,
	  "loads eBPF programs and maps into the kernel: a large attack surface, and programs that can outlive the container" },
	{ "perf_event_open", W,
	  "tracing and profiling: leaks host and kernel information, a frequent exploit target" },
	{ "lookup_dcookie", W,
	  "a profiling call that leaks host information (CAP_SYS_ADMIN)" },
	{ "keyctl", W,
	  "the kernel keyring is not namespaced: keys are shared with the host and other containers" },
	{ "add_key", W,
	  "the kernel keyring is not namespaced: keys are shared with the host and other containers" },
	{ "request_key", W,
	  "the kernel keyring is not namespaced: keys are shared with the host and other containers" },
	{ "kexec_load", W,
	  "loads a new kernel to boot into (CAP_SYS_BOOT)" },
	{ "kexec_file_load", W,
	  "loads a new kernel to boot into (CAP_SYS_BOOT)" },
	{ "reboot", W,
	  "reboots the host (CAP_SYS_BOOT)" },
	{ "init_module", W,
	  "loads a kernel module: arbitrary code in the kernel (CAP_SYS_MODULE)" },
	{ "finit_module", W,
	  "loads a kernel module: arbitrary code in the kernel (CAP_SYS_MODULE)" },
	{ "delete_module", W,
	  "unloads kernel modules (CAP_SYS_MODULE)" },
	{ "create_module", W,
	  "kernel module manipulation, obsolete (CAP_SYS_MODULE)" },
	{ "open_by_handle_at", W,
	  "opens files by handle, past the container's root: the cause of the \"shocker\" breakout (CAP_DAC_READ_SEARCH)" },
	{ "name_to_handle_at", N,
	  "makes the file handles open_by_handle_at uses; harmless alone (Docker allows it)" },
	{ "userfaultfd", W,
	  "page faults handled in user space: used to widen race windows in kernel exploits" },
	{ "io_uring_setup", W,
	  "io_uring runs I/O no seccomp filter sees and has been a frequent source of kernel exploits; Docker denies it since version 25" },
	{ "io_uring_enter", W,
	  "io_uring runs I/O no seccomp filter sees and has been a frequent source of kernel exploits; Docker denies it since version 25" },
	{ "io_uring_register", W,
	  "io_uring runs I/O no seccomp filter sees and has been a frequent source of kernel exploits; Docker denies it since version 25" },
	{ "swapon", W,
	  "starts swapping to a file or device (CAP_SYS_ADMIN)" },
	{ "swapoff", W,
	  "stops swapping to a file or device (CAP_SYS_ADMIN)" },
	{ "acct", W,
	  "process accounting: can turn off the host's accounting or fill a disk (CAP_SYS_PACCT)" },
	{ "quotactl", W,
	  "can lift the container's own disk quotas (CAP_SYS_ADMIN)" },
	{ "settimeofday", W,
	  "the clock is not namespaced: sets the host's time (CAP_SYS_TIME)" },
	{ "stime", W,
	  "the clock is not namespaced: sets the host's time (CAP_SYS_TIME)" },
	{ "clock_settime", W,
	  "the clock is not namespaced: sets the host's time (CAP_SYS_TIME)" },
	{ "iopl", W,
	  "raises the I/O privilege level: direct access to hardware ports (CAP_SYS_RAWIO)" },
	{ "ioperm", W,
	  "grants access to hardware I/O ports (CAP_SYS_RAWIO)" },
	{ "vm86", W,
	  "the in-kernel x86 real mode virtual machine (CAP_SYS_ADMIN)" },
	{ "vm86old", W,
	  "the in-kernel x86 real mode virtual machine (CAP_SYS_ADMIN)" },
	{ "nfsservctl", N,
	  "talks to the kernel NFS server; obsolete since Linux 3.1" },
	{ "get_kernel_syms", N,
	  "lists kernel and module symbols; obsolete" },
	{ "query_module", N,
	  "queries kernel modules; obsolete" },
	{ "uselib", N,
	  "an old shared-library call no current program uses" },
	{ "sysfs", N,
	  "an obsolete call: old kernel code few programs reach" },
	{ "ustat", N,
	  "an obsolete call: old kernel code few programs reach" },
	{ "_sysctl", N,
	  "obsolete, replaced by /proc/sys" },
#undef W
#undef N
};

struct ctx {
	const struct sl_profile *p;
	const struct sl_policy *pol;
	struct sl_lint *out;
	const struct sl_jnode *calls;	/* the "syscalls" node */
	bool denies;		/* some rule denies something */
};

static void add(struct ctx *c, enum sl_level level, const char *kind, const char *name, size_t off,
		const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void add(struct ctx *c, enum sl_level level, const char *kind, const char *name, size_t off,
		const char *fmt, ...)
{
	struct sl_finding *f;
	va_list ap;

	c->out->f = sl_xrealloc(c->out->f, (c->out->n + 1) * sizeof(*c->out->f));
	f = &c->out->f[c->out->n++];
	memset(f, 0, sizeof(*f));
	f->level = level;
	f->kind = kind;
	f->name = name ? sl_xstrdup(name) : NULL;
	va_start(ap, fmt);
	if (vasprintf(&f->message, fmt, ap) < 0)
		f->message = sl_xstrdup(kind);
	va_end(ap);
	if (off != SIZE_MAX)
		sl_jtext_position(&c->p->jt, off, &f->line, &f->col);
	c->out->count[level]++;
}

static const struct sl_jnode *rule_node(const struct ctx *c, size_t rule)
{
	return c->calls && rule < c->calls->nkids ? &c->calls->kids[rule] : NULL;
}

/* Where the nth (0: first) mention of name in a rule's names sits. */
static size_t name_off(const struct ctx *c, size_t rule, const char *name, size_t nth)
{
	const struct sl_jnode *r = rule_node(c, rule), *names;
	size_t i, len = strlen(name);

	if (!r)
		return SIZE_MAX;
	names = sl_jnode_member(&c->p->jt, r, "names");
	for (i = 0; names && i < names->nkids; i++) {
		const struct sl_jnode *k = &names->kids[i];

		if (k->end - k->start == len + 2 && !memcmp(c->p->text + k->start + 1, name, len) &&
		    !nth--)
			return k->start;
	}
	names = sl_jnode_member(&c->p->jt, r, "name");
	return names ? names->start : r->start;
}

static const json_t *rule_json(const struct ctx *c, size_t rule)
{
	return json_array_get(json_object_get(c->p->root, "syscalls"), rule);
}

static bool has_caps_include(const json_t *rule)
{
	return json_array_size(json_object_get(json_object_get(rule, "includes"), "caps")) > 0;
}

/* an arg condition that keeps every namespace flag clear (Docker's) */
static bool masks_ns_flags(const json_t *rule)
{
	const json_t *a;
	size_t i;

	json_array_foreach(json_object_get(rule, "args"), i, a) {
		const char *op = json_string_value(json_object_get(a, "op"));
		long long m = json_integer_value(json_object_get(a, "value"));
		long long v = json_integer_value(json_object_get(a, "valueTwo"));

		if (op && !strcmp(op, "SCMP_CMP_MASKED_EQ") && (m & NS_FLAGS) == NS_FLAGS &&
		    !(v & NS_FLAGS))
			return true;
	}
	return false;
}

/* An errno is read with ERRNO and TRACE only. */
static bool takes_errno(const char *a)
{
	return a && (!strcmp(a, "SCMP_ACT_ERRNO") || !strcmp(a, "SCMP_ACT_TRACE"));
}

/*
 * What a runtime refuses, measured with runc 1.1.5, crun 1.8.1 and podman
 * 4.3.1: flags (runc), an errno beside another action (crun: "errno value
 * specified for action"), a rule comment that is not a string (podman's
 * and Docker's Go decoder).
 */
static void check_runtime(struct ctx *c)
{
	const struct sl_jnode *n = sl_jnode_member(&c->p->jt, &c->p->jt.root, "flags");
	const json_t *root = c->p->root, *rule;
	const char *def = json_string_value(json_object_get(root, "defaultAction"));
	size_t i;

	if (json_array_size(json_object_get(root, "flags")))
		add(c, SL_LEVEL_WARNING, "flags", NULL, n ? n->start : SIZE_MAX,
		    "flags: runc 1.1 refuses every filter flag (\"seccomp flags are not yet "
		    "supported by runc\"), crun accepts them; SCMP_ACT_LOG records need none");
	n = sl_jnode_member(&c->p->jt, &c->p->jt.root, "defaultErrnoRet");
	if (!takes_errno(def) && (n || json_object_get(root, "defaultErrno")))
		add(c, SL_LEVEL_WARNING, "errno-action", NULL, n ? n->start : SIZE_MAX,
		    "defaultErrnoRet with defaultAction %s: crun refuses an errno beside an "
		    "action that is not SCMP_ACT_ERRNO or SCMP_ACT_TRACE (\"errno value "
		    "specified for action\"); remove it", def ? def : "?");
	json_array_foreach(json_object_get(root, "syscalls"), i, rule) {
		const struct sl_jnode *rn = rule_node(c, i), *m;
		const json_t *cm = json_object_get(rule, "comment");
		const char *a = sl_rule_action(rule);

		if ((json_object_get(rule, "errnoRet") || json_object_get(rule, "errno")) &&
		    !takes_errno(a)) {
			m = rn ? sl_jnode_member(&c->p->jt, rn, "errnoRet") : NULL;
			add(c, SL_LEVEL_WARNING, "errno-action", NULL, m ? m->start : SIZE_MAX,
			    "syscalls[%zu]: errnoRet with action %s: crun refuses an errno beside "
			    "an action that is not SCMP_ACT_ERRNO or SCMP_ACT_TRACE", i,
			    a ? a : "?");
		}
		if (cm && !json_is_string(cm)) {
			m = rn ? sl_jnode_member(&c->p->jt, rn, "comment") : NULL;
			add(c, SL_LEVEL_ERROR, "comment-type", NULL, m ? m->start : SIZE_MAX,
			    "syscalls[%zu]: a comment that is not a string: podman and Docker fail "
			    "to decode the profile (\"cannot unmarshal ... of type string\")", i);
		}
	}
}

static void check_default(struct ctx *c)
{
	const struct sl_policy *pol = c->pol;
	const struct sl_jnode *dn = sl_jnode_member(&c->p->jt, &c->p->jt.root, "defaultAction");
	size_t off = dn ? dn->start : SIZE_MAX, i, j;
	const char *a = pol->def.action;
	bool deny = false;

	for (i = 0; i < pol->nnames; i++)
		for (j = 0; j < pol->names[i].nt; j++)
			if (sl_action_denies(pol->names[i].t[j].action))
				deny = true;
	c->denies = deny;
	if (pol->complain) {
		add(c, SL_LEVEL_NOTE, "complain", NULL, off,
		    "a complain twin: default %s logs what the enforcing profile denies (%s); "
		    "`seclog enforce` makes the enforcing one", a,
		    sl_twin_recorded_default(c->p) ?: "?");
		return;
	}
	if (!strcmp(a, "SCMP_ACT_ALLOW") && !deny)
		add(c, SL_LEVEL_ERROR, "default-allow", NULL, off,
		    "defaultAction SCMP_ACT_ALLOW and no rule denies anything: the profile "
		    "enforces nothing; use SCMP_ACT_ERRNO and allow what the workload needs");
	else if (!strcmp(a, "SCMP_ACT_ALLOW"))
		add(c, SL_LEVEL_WARNING, "default-allow", NULL, off,
		    "defaultAction SCMP_ACT_ALLOW: a deny list, which allows every syscall "
		    "it does not name, those of later kernels too");
	else if (!strcmp(a, "SCMP_ACT_LOG"))
		add(c, SL_LEVEL_WARNING, "default-log", NULL, off,
		    "defaultAction SCMP_ACT_LOG logs and allows every syscall not named: "
		    "fine for learning, not for enforcing; `seclog complain` makes such a "
		    "profile with the way back recorded, `seclog enforce` turns it back");
}

static void check_arch_names(struct ctx *c)
{
	const json_t *map = json_object_get(c->p->root, "archMap"), *m, *v;
	size_t i, j;

	json_array_foreach(json_object_get(c->p->root, "architectures"), i, v)
		if (!sl_arch_by_docker(json_string_value(v)))
			add(c, SL_LEVEL_WARNING, "unknown-arch", NULL, SIZE_MAX,
			    "architectures lists %s, which libseccomp does not know: runtimes "
			    "refuse the profile or ignore it", json_string_value(v));
	json_array_foreach(map, i, m) {
		const json_t *a = json_object_get(m, "architecture");

		if (!sl_arch_by_docker(json_string_value(a)))
			add(c, SL_LEVEL_WARNING, "unknown-arch", NULL, SIZE_MAX,
			    "archMap names %s, which libseccomp does not know",
			    json_string_value(a));
		json_array_foreach(json_object_get(m, "subArchitectures"), j, v)
			if (!sl_arch_by_docker(json_string_value(v)))
				add(c, SL_LEVEL_WARNING, "unknown-arch", NULL, SIZE_MAX,
				    "archMap names %s, which libseccomp does not know",
				    json_string_value(v));
	}
}

/* 64-bit arches and the ABIs their kernels also run */
static const struct {
	const char *arch, *also[2], *what[2];
} companions[] = {
	{ "x86_64", { "x86", "x32" }, { "i386 (32-bit x86) programs", "x32 programs" } },
	{ "aarch64", { "arm", NULL }, { "32-bit ARM programs", NULL } },
	{ "s390x", { "s390", NULL }, { "31-bit s390 programs", NULL } },
	{ "ppc64", { "ppc", NULL }, { "32-bit PowerPC programs", NULL } },
	{ "mips64", { "mips", "mips64n32" }, { "o32 programs", "n32 programs" } },
	{ "mipsel64", { "mipsel", "mipsel64n32" }, { "o32 programs", "n32 programs" } },
};

static void check_missing_arches(struct ctx *c)
{
	const struct sl_policy *pol = c->pol;
	size_t i, j;

	for (i = 0; i < sizeof(companions) / sizeof(companions[0]); i++) {
		const struct sl_arch *a = sl_arch_by_name(companions[i].arch);
		char missing[64] = "", who[128] = "";

		if (!a || sl_policy_arch_index(pol, a) < 0)
			continue;
		for (j = 0; j < 2 && companions[i].also[j]; j++) {
			const struct sl_arch *b = sl_arch_by_name(companions[i].also[j]);

			if (!b || sl_policy_arch_index(pol, b) >= 0)
				continue;
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
				 "%s%s", *missing ? " and " : "", b->name);
			snprintf(who + strlen(who), sizeof(who) - strlen(who), "%s%s",
				 *who ? " and " : "", companions[i].what[j]);
		}
		if (*missing)
			add(c, SL_LEVEL_NOTE, "missing-arch", NULL, SIZE_MAX,
			    "covers %s but not %s: %s, which an %s kernel runs too, meet the "
			    "filter's bad-arch action (libseccomp's default, SCMP_ACT_KILL_THREAD) "
			    "at their first syscall, whatever the profile allows; add the arch if "
			    "such programs run under it", a->name, missing, who, a->name);
	}
}

/*
 * Edit distance counting a swap of neighbours as one edit (optimal
 * string alignment): "getpdi" is one slip from getpid, not two.
 */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d, w = lb + 1;
	size_t *m = sl_xcalloc((la + 1) * w, sizeof(*m));

	for (i = 0; i <= la; i++)
		m[i * w] = i;
	for (j = 0; j <= lb; j++)
		m[j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			size_t best = m[(i - 1) * w + j - 1] + (a[i - 1] != b[j - 1]);

			if (m[(i - 1) * w + j] + 1 < best)
				best = m[(i - 1) * w + j] + 1;
			if (m[i * w + j - 1] + 1 < best)
				best = m[i * w + j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    m[(i - 2) * w + j - 2] + 1 < best)
				best = m[(i - 2) * w + j - 2] + 1;
			m[i * w + j] = best;
		}
	d = m[la * w + lb];
	free(m);
	return d;
}

char *sl_lint_suggest(const char *name, const struct sl_arch *const *arches, size_t narches)
{
	/* syscall numbers run below 1024 (x32's and mips' offsets resolve as
	 * well); arm's private calls sit at 0xf0000 */
	static const struct {
		int from, to;
	} ranges[] = { { 0, 1100 }, { 0xf0000, 0xf0010 } };
	size_t best = strlen(name) / 3 + 1, i, r, d;
	char *found = NULL;
	int nr;

	if (best < 2)
		best = 2;
	best++;
	for (i = 0; i < narches; i++)
		for (r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++)
			for (nr = ranges[r].from; nr < ranges[r].to; nr++) {
				char *s = seccomp_syscall_resolve_num_arch(arches[i]->token, nr);

				if (!s)
					continue;
				d = distance(name, s);
				if (d < best || (d == best && found && strcmp(s, found) < 0)) {
					best = d;
					free(found);
					found = s;
				} else {
					free(s);
				}
			}
	return found;
}

static void check_names(struct ctx *c)
{
	const struct sl_policy *pol = c->pol;
	uint32_t all = pol->narches >= 32 ? ~0u : (1u << pol->narches) - 1;
	char *elsewhere = NULL;
	size_t nelse = 0, i;

	for (i = 0; i < pol->nnames; i++) {
		const struct sl_pname *pn = &pol->names[i];
		size_t off = name_off(c, pn->t[0].rule, pn->name, 0);
		char *s, *list;

		if (pn->known)
			continue;
		if (sl_syscall_known(pn->name)) {
			s = sl_xasprintf("%s%s%s", elsewhere ? elsewhere : "", elsewhere ? ", " : "",
					 pn->name);
			free(elsewhere);
			elsewhere = s;
			nelse++;
			continue;
		}
		s = sl_lint_suggest(pn->name, pol->arches, pol->narches);
		list = sl_policy_arch_list(pol, all);
		if (s)
			add(c, SL_LEVEL_WARNING, "unknown-name", pn->name, off,
			    "%s: no syscall of that name on %s (libseccomp %u.%u.%u); did you mean %s?",
			    pn->name, list, seccomp_version()->major, seccomp_version()->minor,
			    seccomp_version()->micro, s);
		else
			add(c, SL_LEVEL_WARNING, "unknown-name", pn->name, off,
			    "%s: no syscall of that name on %s (libseccomp %u.%u.%u): a typo, or a "
			    "syscall newer than this libseccomp; runtimes skip names they do not know",
			    pn->name, list, seccomp_version()->major, seccomp_version()->minor,
			    seccomp_version()->micro);
		free(s);
		free(list);
	}
	if (nelse) {
		char *list = sl_policy_arch_list(pol, all);

		add(c, SL_LEVEL_NOTE, "other-arch", NULL, SIZE_MAX,
		    "%zu name%s exist%s only on arches this profile does not cover here (%s): %s",
		    nelse, nelse == 1 ? "" : "s", nelse == 1 ? "s" : "", list, elsewhere);
		free(list);
	}
	free(elsewhere);
}

/* names that exist on some of the profile's arches, grouped by which */
static void check_partial(struct ctx *c)
{
	const struct sl_policy *pol = c->pol;
	uint32_t all = pol->narches >= 32 ? ~0u : (1u << pol->narches) - 1, *masks;
	size_t nmasks = 0, i, j, n;

	if (pol->narches < 2)
		return;
	masks = sl_xcalloc(pol->nnames + 1, sizeof(*masks));
	for (i = 0; i < pol->nnames; i++) {
		uint32_t m = pol->names[i].known;

		if (!m || m == all)
			continue;
		for (j = 0; j < nmasks && masks[j] != m; j++)
			;
		if (j == nmasks)
			masks[nmasks++] = m;
	}
	for (j = 0; j < nmasks; j++) {
		char *on = sl_policy_arch_list(pol, masks[j]);
		char *off = sl_policy_arch_list(pol, all & ~masks[j]);
		char *names = sl_xstrdup(""), *s;

		for (i = 0, n = 0; i < pol->nnames; i++) {
			if (pol->names[i].known != masks[j])
				continue;
			s = sl_xasprintf("%s%s%s", names, n++ ? ", " : "", pol->names[i].name);
			free(names);
			names = s;
		}
		add(c, SL_LEVEL_NOTE, "some-arches", NULL, SIZE_MAX,
		    "%zu name%s exist%s on %s only, not on %s: %s (the profile format cannot scope "
		    "a name to an arch; each applies wherever it exists)",
		    n, n == 1 ? "" : "s", n == 1 ? "s" : "", on, off, names);
		free(on);
		free(off);
		free(names);
	}
	free(masks);
}

/* a rule with the default's action and errno: runc skips it */
static bool is_default(const struct ctx *c, const struct sl_treat *t)
{
	return !strcmp(t->action, c->pol->def.action) && t->errno_ret == c->pol->def.errno_ret;
}

/* two unconditional rules that disagree on a name */
static void conflict(struct ctx *c, const char *name, const struct sl_treat *x,
		     const struct sl_treat *y, const char *tx, const char *ty)
{
	bool clash = (sl_action_allows(x->action) && sl_action_denies(y->action)) ||
		     (sl_action_denies(x->action) && sl_action_allows(y->action));
	enum sl_level level = clash ? SL_LEVEL_ERROR : SL_LEVEL_WARNING;
	size_t off = name_off(c, y->rule, name, 0);

	if (is_default(c, x) || is_default(c, y))
		add(c, level, "conflict", name, off,
		    "%s: syscalls[%zu] says %s and syscalls[%zu] says %s, both unconditionally; "
		    "runc skips the rule with the default action, so %s applies whatever the "
		    "order; keep one", name, x->rule, tx, y->rule, ty, is_default(c, x) ? ty : tx);
	else
		add(c, level, "conflict", name, off,
		    "%s: syscalls[%zu] says %s and syscalls[%zu] says %s, both unconditionally: "
		    "libseccomp keeps the rule a runtime adds first and drops the other without "
		    "a word; keep one", name, x->rule, tx, y->rule, ty);
}

/*
 * Rules that give the default action change nothing: runc skips them and
 * libseccomp refuses them.  A complain twin's logging rules are its record.
 */
static void check_redundant(struct ctx *c)
{
	const struct sl_policy *pol = c->pol;
	size_t nrules = json_array_size(json_object_get(c->p->root, "syscalls")), i, j;
	bool *seen;

	if (pol->complain || !nrules)
		return;
	seen = sl_xcalloc(nrules, sizeof(*seen));
	for (i = 0; i < pol->nnames; i++)
		for (j = 0; j < pol->names[i].nt; j++) {
			const struct sl_treat *t = &pol->names[i].t[j];
			const struct sl_jnode *r = rule_node(c, t->rule), *an;
			char *text;

			if (t->rule >= nrules || seen[t->rule] || !is_default(c, t))
				continue;
			seen[t->rule] = true;
			an = r ? sl_jnode_member(&c->p->jt, r, "action") : NULL;
			text = sl_treat_text(&pol->def);
			add(c, SL_LEVEL_NOTE, "redundant", NULL, an ? an->start : SIZE_MAX,
			    "syscalls[%zu] gives the %s action: runc skips such a rule and "
			    "libseccomp refuses it; it changes nothing", t->rule, text);
			free(text);
		}
	free(seen);
}

static void check_rules(struct ctx *c)
{
	const struct sl_policy *pol = c->pol;
	size_t i, a, b;

	for (i = 0; i < pol->nnames; i++) {
		const struct sl_pname *pn = &pol->names[i];

		for (a = 0; a < pn->nt; a++)
			for (b = a + 1; b < pn->nt; b++) {
				const struct sl_treat *x = &pn->t[a], *y = &pn->t[b];
				char *tx, *ty;

				if (x->rule == y->rule) {
					/* each repeat once, against the first mention */
					if (a && pn->t[a - 1].rule == x->rule)
						continue;
					add(c, SL_LEVEL_WARNING, "duplicate", pn->name,
					    name_off(c, y->rule, pn->name, b - a),
					    "%s is listed more than once in syscalls[%zu]", pn->name,
					    x->rule);
					continue;
				}
				tx = sl_treat_text(x);
				ty = sl_treat_text(y);
				if (!strcmp(x->action, y->action) && x->errno_ret == y->errno_ret &&
				    (!x->cond || !y->cond || !strcmp(x->cond, y->cond)))
					add(c, SL_LEVEL_WARNING, "duplicate", pn->name,
					    name_off(c, y->rule, pn->name, 0),
					    "%s: syscalls[%zu] (%s) and syscalls[%zu] (%s) give the same "
					    "action; the %s one changes nothing",
					    pn->name, x->rule, tx, y->rule, ty,
					    x->cond && !y->cond ? "first" : "second");
				else if (!x->cond && !y->cond)
					conflict(c, pn->name, x, y, tx, ty);
				free(tx);
				free(ty);
			}
	}
}

static void check_dangers(struct ctx *c)
{
	const struct sl_policy *pol = c->pol;
	/* a deny list's default lets these through unless it names them; a
	 * default that denies nothing, or logs, has had its finding already */
	bool def_allows = !strcmp(pol->def.action, "SCMP_ACT_ALLOW") && c->denies;
	size_t i, j;

	for (i = 0; i < sizeof(dangers) / sizeof(dangers[0]); i++) {
		const struct sl_pname *pn = sl_policy_find(pol, dangers[i].name);
		bool denied = false;

		if (!sl_policy_known(pol, dangers[i].name))
			continue;
		for (j = 0; pn && j < pn->nt; j++) {
			const struct sl_treat *t = &pn->t[j];

			if (!t->cond && sl_action_denies(t->action))
				denied = true;
			if (t->cond || !sl_action_allows(t->action))
				continue;
			add(c, dangers[i].level, "escape", pn->name, name_off(c, t->rule, pn->name, 0),
			    "%s allowed unconditionally by syscalls[%zu]: %s", pn->name, t->rule,
			    dangers[i].why);
			break;
		}
		if (def_allows && !denied && (!pn || j == pn->nt))
			add(c, dangers[i].level, "escape", dangers[i].name, SIZE_MAX,
			    "%s allowed by the default action %s: %s", dangers[i].name,
			    pol->def.action, dangers[i].why);
	}
}

/* personality, clone, clone3: allowed only with the right conditions */
static void check_special(struct ctx *c)
{
	const struct sl_policy *pol = c->pol;
	const struct sl_pname *pn;
	const struct sl_treat *d;
	size_t j;

	if ((pn = sl_policy_find(pol, "personality")))
		for (j = 0; j < pn->nt; j++) {
			const json_t *r = rule_json(c, pn->t[j].rule);

			if (sl_action_allows(pn->t[j].action) && !sl_rule_has_args(r) &&
			    !has_caps_include(r)) {
				add(c, SL_LEVEL_WARNING, "personality", pn->name,
				    name_off(c, pn->t[j].rule, pn->name, 0),
				    "personality allowed without arg conditions by syscalls[%zu]: "
				    "any execution domain, READ_IMPLIES_EXEC and ADDR_NO_RANDOMIZE "
				    "(no ASLR) among them; poorly tested kernel code. Docker allows "
				    "only arg0 == 0, 8, 0x20000, 0x20008, 0xffffffff", pn->t[j].rule);
				break;
			}
		}
	if ((pn = sl_policy_find(pol, "clone")))
		for (j = 0; j < pn->nt; j++) {
			const json_t *r = rule_json(c, pn->t[j].rule);

			if (sl_action_allows(pn->t[j].action) && !masks_ns_flags(r) &&
			    !has_caps_include(r)) {
				add(c, SL_LEVEL_WARNING, "clone", pn->name,
				    name_off(c, pn->t[j].rule, pn->name, 0),
				    "clone allowed by syscalls[%zu] without the namespace-flag "
				    "condition: it creates namespaces as unshare does; Docker allows "
				    "it only when arg0 & 0x7e020000 == 0 (arg1 on s390)",
				    pn->t[j].rule);
				break;
			}
		}
	if (!sl_policy_known(pol, "clone3"))
		return;
	pn = sl_policy_find(pol, "clone3");
	for (j = 0; pn && j < pn->nt; j++)
		if (!pn->t[j].cond && sl_action_allows(pn->t[j].action)) {
			add(c, SL_LEVEL_WARNING, "clone3", pn->name,
			    name_off(c, pn->t[j].rule, pn->name, 0),
			    "clone3 allowed unconditionally by syscalls[%zu]: its flags sit in a "
			    "struct behind a pointer no seccomp condition can read, so nothing keeps "
			    "it from creating namespaces; Docker denies it with ENOSYS (errnoRet 38) "
			    "and glibc falls back to clone", pn->t[j].rule);
			return;
		}
	/*
	 * What clone3 meets: its unconditional rule, or the default when no
	 * rule names it (conditional rules, such as Docker's ENOSYS for
	 * containers without CAP_SYS_ADMIN, show it was thought of).
	 */
	d = &pol->def;
	for (j = 0; pn && j < pn->nt; j++)
		if (!pn->t[j].cond) {
			d = &pn->t[j];
			break;
		}
	if (pn && j == pn->nt)
		return;
	if (!pol->complain && !strcmp(d->action, "SCMP_ACT_ERRNO") && d->errno_ret != 38) {
		char *t = sl_treat_text(d);

		add(c, SL_LEVEL_NOTE, "clone3-errno", "clone3",
		    d->rule == SIZE_MAX ? SIZE_MAX : name_off(c, d->rule, "clone3", 0),
		    "clone3 meets %s: glibc (2.34 and later) falls back to clone only on ENOSYS, "
		    "so threads and processes fail to start; deny clone3 with errnoRet 38 as "
		    "Docker does, or allow it", t);
		free(t);
	}
}

static int cmp_finding(const void *a, const void *b)
{
	const struct sl_finding *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return 0;
}

/* insertion sort: stable, so findings at one place keep the checks' order */
static void sort_findings(struct sl_lint *l)
{
	size_t i, j;

	for (i = 1; i < l->n; i++) {
		struct sl_finding f = l->f[i];

		for (j = i; j > 0 && cmp_finding(&l->f[j - 1], &f) > 0; j--)
			l->f[j] = l->f[j - 1];
		l->f[j] = f;
	}
}

void sl_lint(const struct sl_profile *p, struct sl_lint *out)
{
	struct sl_policy pol;
	struct ctx c;

	memset(out, 0, sizeof(*out));
	sl_policy_build(&pol, p);
	c.p = p;
	c.pol = &pol;
	c.out = out;
	c.calls = sl_jnode_member(&p->jt, &p->jt.root, "syscalls");
	check_default(&c);
	check_runtime(&c);
	check_arch_names(&c);
	check_missing_arches(&c);
	check_names(&c);
	check_partial(&c);
	check_rules(&c);
	check_redundant(&c);
	check_dangers(&c);
	check_special(&c);
	sort_findings(out);
	sl_policy_free(&pol);
}

void sl_lint_free(struct sl_lint *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->f[i].name);
		free(l->f[i].message);
	}
	free(l->f);
	memset(l, 0, sizeof(*l));
}

const char *sl_level_name(enum sl_level level)
{
	static const char *const names[] = { "note", "warning", "error" };

	return names[level];
}
