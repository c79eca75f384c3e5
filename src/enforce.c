/*
 * enforce.c - a profile as a filter, enforced or in complain mode.  With
 * syscall.c, the only user of libseccomp: this one builds filters (for
 * complain.c too), syscall.c only names things.
 */
#include "config.h"

#include <errno.h>
#include <seccomp.h>
#include <string.h>
#include <sys/prctl.h>

#include "enforce.h"
#include "error.h"
#include "scope.h"

static int action(const char *a, const json_t *errno_ret, uint32_t *out)
{
	int e = errno_ret ? (int)json_integer_value(errno_ret) : EPERM;

	if (!strcmp(a, "SCMP_ACT_ALLOW"))
		*out = SCMP_ACT_ALLOW;
	else if (!strcmp(a, "SCMP_ACT_ERRNO"))
		*out = SCMP_ACT_ERRNO(e);
	else if (!strcmp(a, "SCMP_ACT_KILL") || !strcmp(a, "SCMP_ACT_KILL_THREAD"))
		*out = SCMP_ACT_KILL_THREAD;
	else if (!strcmp(a, "SCMP_ACT_KILL_PROCESS"))
		*out = SCMP_ACT_KILL_PROCESS;
	else if (!strcmp(a, "SCMP_ACT_TRAP"))
		*out = SCMP_ACT_TRAP;
	else if (!strcmp(a, "SCMP_ACT_LOG"))
		*out = SCMP_ACT_LOG;
	else if (!strcmp(a, "SCMP_ACT_TRACE"))
		*out = SCMP_ACT_TRACE(e);
	else
		return -EOPNOTSUPP;
	return 0;
}

static int op(const char *s, enum scmp_compare *out)
{
	static const struct {
		const char *name;
		enum scmp_compare op;
	} ops[] = {
		{ "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT },
		{ "SCMP_CMP_LE", SCMP_CMP_LE }, { "SCMP_CMP_EQ", SCMP_CMP_EQ },
		{ "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
		{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
	};
	size_t i;

	for (i = 0; s && i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (!strcmp(s, ops[i].name)) {
			*out = ops[i].op;
			return 0;
		}
	}
	return -EINVAL;
}

static int add_arch(scmp_filter_ctx ctx, const char *docker, char **cause)
{
	const struct sl_arch *a = sl_arch_by_docker(docker);
	int rc;

	if (!a)
		return sl_fail(cause, -EINVAL, "unknown architecture %s", docker);
	rc = seccomp_arch_add(ctx, a->token);
	return rc == -EEXIST ? 0 : rc < 0 ? sl_fail(cause, rc, "arch %s: %s", docker,
						     strerror(-rc)) : 0;
}

/*
 * The arches of the filter: "architectures", and of archMap only the
 * entry for this host's arch (as Docker reads it: the others are for
 * other hosts, and libseccomp cannot add an arch of another family).
 */
static int add_arches(scmp_filter_ctx ctx, const struct sl_profile *p, char **cause)
{
	const json_t *m, *v;
	size_t i;
	int rc;

	json_array_foreach(json_object_get(p->root, "architectures"), i, v)
		if ((rc = add_arch(ctx, json_string_value(v), cause)))
			return rc;
	m = sl_profile_native_entry(p);
	json_array_foreach(json_object_get(m, "subArchitectures"), i, v)
		if ((rc = add_arch(ctx, json_string_value(v), cause)))
			return rc;
	return 0;
}

static int add_name(scmp_filter_ctx ctx, uint32_t act, const char *name, const json_t *args,
		    char **cause)
{
	struct scmp_arg_cmp cmp[6];
	const json_t *a;
	unsigned int n = 0;
	size_t i;
	int nr = seccomp_syscall_resolve_name(name), rc;

	if (nr == __NR_SCMP_ERROR)
		return 0;	/* not on these arches: runc skips it too */
	json_array_foreach(args, i, a) {
		enum scmp_compare o;

		if (n == 6 || op(json_string_value(json_object_get(a, "op")), &o))
			return sl_fail(cause, -EINVAL, "%s: bad args[%zu]", name, i);
		cmp[n].arg = (unsigned int)json_integer_value(json_object_get(a, "index"));
		cmp[n].op = o;
		cmp[n].datum_a = (scmp_datum_t)json_integer_value(json_object_get(a, "value"));
		cmp[n].datum_b = (scmp_datum_t)json_integer_value(json_object_get(a, "valueTwo"));
		n++;
	}
	rc = seccomp_rule_add_array(ctx, act, nr, n, cmp);
	return rc < 0 ? sl_fail(cause, rc, "rule for %s: %s", name, strerror(-rc)) : 0;
}

/*
 * Complain mode is the complain twin's filter (twin.h): the default, when
 * it denies, logs instead; rules act as written, and with
 * SL_BUILD_LOG_DENIED the deny rules log too.
 */
static int rule_action(const char *a, const json_t *errno_ret, unsigned int flags, uint32_t *out)
{
	if ((flags & SL_BUILD_LOG_DENIED) && sl_action_denies(a)) {
		*out = SCMP_ACT_LOG;
		return 0;
	}
	return action(a, errno_ret, out);
}

int sl_enforce_build(const struct sl_profile *p, unsigned int flags, void **out, char **cause)
{
	const json_t *root = p ? p->root : NULL, *rule, *v;
	const char *defname = json_string_value(json_object_get(root, "defaultAction"));
	bool complain = flags & SL_BUILD_COMPLAIN;
	struct sl_scope scope;
	scmp_filter_ctx ctx;
	uint32_t def, act;
	size_t i, j;
	int rc = 0;

	if (complain && (!p || sl_action_denies(defname)))
		def = SCMP_ACT_LOG;
	else if (rule_action(defname, json_object_get(root, "defaultErrnoRet"), 0, &def))
		return sl_fail(cause, -EOPNOTSUPP, "defaultAction not supported");
	sl_scope_self(&scope);
	ctx = seccomp_init(def);
	if (!ctx)
		return sl_fail(cause, -ENOMEM, "seccomp_init failed");
	/* complain: a program of an arch the profile lacks (a 32-bit one)
	 * runs and is logged too, rather than killed */
	if (complain && (rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_LOG)) < 0)
		rc = sl_fail(cause, rc, "bad-arch action: %s", strerror(-rc));
	if (!rc && p)
		rc = add_arches(ctx, p, cause);
	json_array_foreach(json_object_get(root, "syscalls"), i, rule) {
		const json_t *names = json_object_get(rule, "names");
		const char *one = json_string_value(json_object_get(rule, "name"));

		if (rc)
			break;
		/* as Docker decides them, for this host and this process */
		if (!sl_scope_applies(rule, &scope))
			continue;
		if (rule_action(sl_rule_action(rule), json_object_get(rule, "errnoRet"), flags,
				&act)) {
			rc = sl_fail(cause, -EOPNOTSUPP, "syscalls[%zu]: action not supported", i);
			break;
		}
		if (act == def)
			continue;	/* libseccomp refuses rules equal to the default */
		if (one)
			rc = add_name(ctx, act, one, json_object_get(rule, "args"), cause);
		json_array_foreach(names, j, v) {
			if (rc)
				break;
			rc = add_name(ctx, act, json_string_value(v), json_object_get(rule, "args"),
				      cause);
		}
	}
	if (rc) {
		seccomp_release(ctx);
		return rc;
	}
	*out = ctx;
	return 0;
}

void sl_enforce_release(void *ctx)
{
	seccomp_release(ctx);
}

int sl_enforce_load(const struct sl_profile *p, char **cause)
{
	scmp_filter_ctx ctx;
	int rc = sl_enforce_build(p, 0, &ctx, cause);

	if (rc)
		return rc;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		rc = sl_fail(cause, -errno, "no_new_privs: %s", strerror(errno));
	if (!rc && (rc = seccomp_load(ctx)) < 0)
		sl_fail(cause, rc, "seccomp_load: %s", strerror(-rc));
	/* the context is left allocated: freeing it may call munmap, which
	 * the loaded filter would then see */
	return rc;
}
