/*
 * policy.h - what a profile does with each syscall name, on each arch it
 * covers: the meaning of a profile without its formatting and order, for
 * seclog diff, seclog lint and anyone who asks "what happens to X here?".
 */
#ifndef SL_POLICY_H
#define SL_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"
#include "syscall.h"

/* More than libseccomp knows (syscall.c lists 23). */
#define SL_POLICY_MAXARCH 32

/*
 * One say on a name: a rule that lists it, or the default action.  The
 * action is normalised (SCMP_ACT_KILL is SCMP_ACT_KILL_THREAD, as in
 * libseccomp) and errno is that of SCMP_ACT_ERRNO (EPERM, 1, when the
 * profile gives none, as runc and crun do) or -1.  cond is the rule's
 * args, includes and excludes in one canonical text ("arg0 == 8 and with
 * CAP_SYS_ADMIN"), NULL when nothing limits the rule: two rules mean the
 * same when action, errno and cond are equal.
 */
struct sl_treat {
	const char *action;
	long long errno_ret;
	char *cond;
	size_t rule;		/* index in "syscalls"; SIZE_MAX for the default */
};

/* A name the profile's rules list, with every rule that lists it. */
struct sl_pname {
	char *name;
	uint32_t known;		/* bit i: arches[i] has a syscall of this name */
	struct sl_treat *t;	/* in file order; a rule listing it twice, twice */
	size_t nt;
};

struct sl_policy {
	const struct sl_arch *arches[SL_POLICY_MAXARCH];	/* native first */
	size_t narches;
	struct sl_treat def;	/* defaultAction, defaultErrnoRet */
	bool complain;		/* a complain twin (twin.h) */
	struct sl_pname *names;	/* sorted by name */
	size_t nnames;
	const struct sl_profile *p;	/* not owned */
};

/*
 * sl_profile_load, or with path "-" the profile on standard input (a
 * revision from version control: git show HEAD:p.json | seclog diff - p.json).
 */
int sl_policy_load(struct sl_profile *p, const char *path, char **cause);

/*
 * The policy of a loaded profile, for the arches a runtime on this host
 * loads (sl_profile_has_arch: the native one, "architectures", the native
 * archMap entry's subArchitectures).  Arch names libseccomp does not know
 * are left out.  Returns 0 (p must outlive pol).
 */
int sl_policy_build(struct sl_policy *pol, const struct sl_profile *p);
void sl_policy_free(struct sl_policy *pol);

/* The entry of a name the rules list, or NULL (then the default applies). */
const struct sl_pname *sl_policy_find(const struct sl_policy *pol, const char *name);

/* Index of arch in pol->arches, or -1. */
int sl_policy_arch_index(const struct sl_policy *pol, const struct sl_arch *arch);

/* Bit i set when pol->arches[i] knows name (libseccomp). */
uint32_t sl_policy_known(const struct sl_policy *pol, const char *name);

/*
 * What happens to a name on an arch that knows it, order and repetition
 * aside: its rules' distinct treatments sorted (sl_treat_cmp), less those
 * that give the default action (runc skips them), then the default when
 * none of them is unconditional (alone when no rule lists the name, or pn
 * is NULL).  Fills out[0..max) with pointers into pol
 * (max: pn->nt + 1 is enough); returns the count.
 */
size_t sl_policy_treatment(const struct sl_policy *pol, const struct sl_pname *pn,
			   const struct sl_treat **out, size_t max);

/* Order of treatments: action, errno, cond (NULL first). */
int sl_treat_cmp(const struct sl_treat *a, const struct sl_treat *b);
bool sl_treat_same(const struct sl_treat *a, const struct sl_treat *b);

/* "SCMP_ACT_ERRNO(1)", "SCMP_ACT_ALLOW if arg0 == 8": malloc'd. */
char *sl_treat_text(const struct sl_treat *t);

/* Does the action let the syscall run (ALLOW, LOG)? */
bool sl_action_allows(const char *action);

/* "x86_64, x86" for the arches whose bits are set in mask: malloc'd. */
char *sl_policy_arch_list(const struct sl_policy *pol, uint32_t mask);

#endif
