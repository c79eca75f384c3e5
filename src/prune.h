/*
 * prune.h - the names a profile allows, and the profile without some of
 * them: text edits that remove only names (and rules left with none), so
 * every other byte stays as the user wrote it.
 */
#ifndef SL_PRUNE_H
#define SL_PRUNE_H

#include <stdbool.h>
#include <stddef.h>

#include "profile.h"
#include "scope.h"

/*
 * The names the SCMP_ACT_ALLOW rules of p list ("names" and the older
 * "name"), each once, in the order they first appear: *names is a
 * malloc'd array of *n pointers into p's tree (valid while p is).  With
 * scope, only the rules that apply there (includes/excludes, scope.h):
 * what a run here cannot show is not for this search to take away.
 */
void sl_prune_names(const struct sl_profile *p, const struct sl_scope *scope, const char ***names,
		    size_t *n);

/*
 * p's text without the names[i] whose drop[i] is set: taken out of every
 * ALLOW rule (that applies in scope, when given); a rule left with no
 * name goes too.  Deny rules and every
 * other byte are kept.  *out is malloc'd (*len bytes, NUL-terminated) and
 * parses as a profile.  Returns 0 or -errno with *cause set.
 */
int sl_prune(const struct sl_profile *p, const struct sl_scope *scope, const char *const *names,
	     size_t n, const bool *drop, char **out, size_t *len, char **cause);

#endif
