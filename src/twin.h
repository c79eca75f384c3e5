/*
 * twin.h - the complain twin of an enforcing profile, and the way back.
 * Both are edits of the profile's text (json-text.h): every byte the
 * conversion does not have to change stays as the user wrote it, so that
 * sl_twin_enforce(sl_twin_complain(P)) is P byte for byte.
 *
 * The twin records what it changed in one top-level member, "seclog"
 * (seclog-profile(5)); runtimes ignore a top-level key they do not know.
 */
#ifndef SL_TWIN_H
#define SL_TWIN_H

#include <stdbool.h>
#include <stddef.h>

#include "profile.h"

/* The member the record lives in. */
#define SL_TWIN_KEY "seclog"

struct sl_twin_opts {
	bool log_denied;	/* --log-denied: deny rules log too */
};

/*
 * The complain twin of p: defaultAction SCMP_ACT_LOG, what p allows as
 * written, explicit deny rules kept (or LOG with log_denied), and the
 * record of the enforcing default (and of each rule changed).  A profile
 * that already is a twin is refused with -EALREADY.  Returns 0 with *out
 * (malloc'd, checked by parsing it again) and *outlen, or -errno with
 * *cause set.  With edits (not NULL) also the edits made, for a --dry-run
 * diff (sl_diff_edits; free with sl_jedits_free).
 */
int sl_twin_complain(const struct sl_profile *p, const struct sl_twin_opts *o, char **out,
		     size_t *outlen, struct sl_jedits *edits, char **cause);

/*
 * The enforcing profile of a twin: the recorded default action (errno)
 * and rule actions put back and the record removed.  default_action (an
 * SCMP_ACT_* name, or NULL) overrides the recorded default; with neither
 * (a profile that was not made by sl_twin_complain), SCMP_ACT_ERRNO with
 * defaultErrnoRet 1.  Returns 0 with *out and *outlen, or -errno with
 * *cause set.
 */
int sl_twin_enforce(const struct sl_profile *p, const char *default_action, char **out,
		    size_t *outlen, struct sl_jedits *edits, char **cause);

/* Is a an SCMP_ACT_* name the enforcing default may take (a deny)? */
bool sl_twin_enforcing_action(const char *a);

/* Does p carry a twin's record (is it a complain twin)? */
bool sl_twin_is_complain(const struct sl_profile *p);

/* The default action the twin's record says enforcing uses, or NULL. */
const char *sl_twin_recorded_default(const struct sl_profile *p);

#endif
