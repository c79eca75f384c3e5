/*
 * rewrite.h - replace a profile with an edited version of itself: under
 * its lock when in place, atomically, with a backup; or only the diff.
 * Shared by merges (pass.c), complain and enforce.
 */
#ifndef SL_REWRITE_H
#define SL_REWRITE_H

#include <stdbool.h>
#include <stddef.h>

#include "json-text.h"
#include "profile.h"

struct sl_rewrite_opts {
	const char *output;	/* NULL (or the profile itself): in place */
	bool dry_run;		/* the diff in r->diff, nothing written */
	bool check;		/* nothing written: r->changed and r->text tell */
	/* called once when another seclog holds the profile's lock */
	void (*waiting)(const char *path, void *arg);
	void *arg;
	/*
	 * When set (and something was written, or an in-place run changed
	 * nothing: that is a pass too), appended to the target's history
	 * under the lock, with "hash" and "default" (the defaultAction after)
	 * added.  The edit may fill it in further.
	 */
	struct json_t *history;
};

struct sl_rewrite_result {
	const char *target;	/* where the result goes */
	bool changed;		/* the target's bytes change */
	bool written;
	char *text;		/* the new text (allocated) */
	size_t len;
	char *diff;		/* dry_run: the unified diff (allocated) */
	size_t difflen;
	/* the history could not be appended to: why (the profile is written) */
	char *history_error;
};

/*
 * The edit: from p, the new text (*out, malloc'd, or NULL: unchanged) and
 * the edits that made it (for the diff).  Returns 0 or -errno with *cause.
 */
/*
 * Load the profile at path (after taking its lock when writing in place,
 * so that a run that waited sees the other's result), edit it, and write
 * the result to o->output or in place (unchanged in place: not a byte
 * touched).  Returns 0, the edit's error, or -errno with *cause set
 * ("PATH: why").
 */
int sl_rewrite(const char *path, const struct sl_rewrite_opts *o,
	       int (*edit)(const struct sl_profile *p, void *arg, char **out, size_t *outlen,
			   struct sl_jedits *edits, char **cause),
	       void *arg, struct sl_rewrite_result *r, char **cause);
void sl_rewrite_result_free(struct sl_rewrite_result *r);

/* A dry run's diff replacing whatever path holds with new. */
int sl_rewrite_diff_replace(const char *path, const char *new, size_t nlen, char **diff,
			    size_t *difflen, char **cause);

#endif
