/*
 * compare.h - what two profiles allow differently (seclog diff): by
 * meaning (policy.h), never by text.
 */
#ifndef SL_COMPARE_H
#define SL_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy.h"

enum sl_change_kind {
	/* allowed in NEW in more cases: denied in OLD, or allowed there only
	 * under a condition and in NEW unconditionally */
	SL_CHANGE_ADDED,
	SL_CHANGE_REMOVED,	/* the other way round: allowed in fewer cases */
	SL_CHANGE_ACTION,	/* another action or errno, no condition either side */
	SL_CHANGE_CONDITION,	/* the conditions that choose the action changed */
};

/* A name treated differently, on the common arches whose bits are in mask. */
struct sl_change {
	const char *name;	/* points into one of the policies */
	enum sl_change_kind kind;
	uint32_t mask;		/* bit i: common[i] */
	const struct sl_treat **old, **new;	/* sl_policy_treatment of each */
	size_t nold, nnew;
};

struct sl_compare {
	const struct sl_policy *old, *new;
	bool default_changed;
	/* NEW is OLD's complain twin (new_is_twin) or the other way round:
	 * then the default differs by design */
	bool new_is_twin, old_is_twin;
	const struct sl_arch *common[SL_POLICY_MAXARCH], *added[SL_POLICY_MAXARCH],
		*removed[SL_POLICY_MAXARCH];
	size_t ncommon, nadded, nremoved;
	struct sl_change *ch;	/* by mask (widest first), then name */
	size_t nch;
};

/* Compare two policies; both must outlive c.  Returns 0. */
int sl_compare(struct sl_compare *c, const struct sl_policy *old, const struct sl_policy *new);
void sl_compare_free(struct sl_compare *c);
/* Do they allow anything differently? */
bool sl_compare_differ(const struct sl_compare *c);
/* "added", "removed", "action", "condition" */
const char *sl_change_kind_name(enum sl_change_kind k);
/* "x86_64, x86" for a change's mask: malloc'd. */
char *sl_compare_arch_list(const struct sl_compare *c, uint32_t mask);

#endif
