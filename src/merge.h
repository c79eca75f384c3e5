/* merge.h - what a merge adds to a profile, and what it refuses to */
#ifndef SL_MERGE_H
#define SL_MERGE_H

#include <stdbool.h>
#include <stddef.h>

#include "profile.h"
#include "syscall.h"

struct sl_merge_opts {
	bool allow_denied;	/* --allow-denied: a deny rule gives the name up */
	bool add_arch;		/* --add-arch: list record arches the profile lacks */
};

/* A name some non-allow rule of the profile claims. */
struct sl_claim {
	const char *name;
	size_t rule;		/* index in syscalls[] */
	char *action;		/* owned: outlives the profile */
	bool conditional;	/* the rule has args/includes/excludes */
	bool args;		/* ... args, which libseccomp checks */
	/*
	 * The name is added (allowed unconditionally) and this conditional
	 * deny stays.  libseccomp lets an unconditional rule supersede a
	 * rule with args, and of two unconditional rules for one syscall
	 * (includes/excludes only: the runtime's conditions) keeps the
	 * first in the profile.  So the deny either never acts again
	 * (superseded) or still wins wherever it applies (still_denies).
	 */
	bool superseded;
	bool still_denies;
};

struct sl_merge_plan {
	const char **add;	/* names to allow, sorted */
	size_t nadd;
	long rule;		/* syscalls[] index to extend; -1: a new rule */

	struct sl_claim *kept;	/* denied and left so (no --allow-denied) */
	size_t nkept;
	struct sl_claim *freed;	/* --allow-denied: taken out of deny rules */
	size_t nfreed;
	const char **widened;	/* were allowed only under a condition */
	size_t nwidened;

	const struct sl_arch **arches;	/* record arches the profile lacks */
	size_t narches;
	bool add_arches;		/* ... and they will be added */

	char *default_action;	/* the profile's, owned */

	/* names to add that only one of the profile's arches (when it has
	 * several) knows: a profile cannot scope a name to an arch */
	struct sl_lone {
		const char *name;
		const struct sl_arch *arch;
	} *lone;
	size_t nlone;
};

/*
 * Decide the merge of names (syscall names, any order, duplicates allowed)
 * seen on arches into profile p.  Pure: reads p, writes only plan; the
 * plan points into names and arches, not into p.
 *  - a name the profile allows unconditionally (or by defaultAction
 *    SCMP_ACT_ALLOW) is left alone;
 *  - a name a non-allow rule lists is kept denied unless allow_denied,
 *    which takes it out of unconditional such rules (a conditional one
 *    stays, superseded once the name is allowed);
 *  - every other name is added, to the first unconditional SCMP_ACT_ALLOW
 *    rule (or a new one).
 */
void sl_merge_plan(const struct sl_profile *p, const char *const *names, size_t n,
		   const struct sl_arch *const *arches, size_t narches,
		   const struct sl_merge_opts *o, struct sl_merge_plan *plan);
void sl_merge_plan_free(struct sl_merge_plan *plan);

/* Does the profile's defaultAction (ALLOW, LOG) let every syscall run? */
bool sl_merge_permissive(const struct sl_merge_plan *plan);

/* Will the plan change the file? */
bool sl_merge_changes(const struct sl_merge_plan *plan);

/*
 * The profile's new text with the plan applied, every other byte kept.
 * The result is parsed and checked again before it is returned.  Returns
 * 0 with *out (malloc'd) and *outlen, or -errno with *cause set.
 */
int sl_merge_apply(const struct sl_profile *p, const struct sl_merge_plan *plan, char **out,
		   size_t *outlen, char **cause);
/* The same, and the edits that made it (for sl_diff_edits; the caller
 * frees them with sl_jedits_free) when edits is not NULL. */
int sl_merge_apply_edits(const struct sl_profile *p, const struct sl_merge_plan *plan,
			 char **out, size_t *outlen, struct sl_jedits *edits, char **cause);
/* Only the edits the plan makes to p's text (unchecked); returns 0. */
int sl_merge_edits(const struct sl_profile *p, const struct sl_merge_plan *plan,
		   struct sl_jedits *e);

#endif
