/*
 * pass.h - the end of one pass of the loop: a finished harvest's names
 * merged into a profile (or a new one written), shared by harvest and run.
 * Never prints: what happened comes back in struct sl_pass_result.
 */
#ifndef SL_PASS_H
#define SL_PASS_H

#include <stdbool.h>
#include <stddef.h>

#include "harvest.h"
#include "merge.h"

struct sl_pass_opts {
	const char *merge;	/* the profile to merge into, or NULL */
	const char *output;	/* -o: where the result goes (NULL: in place) */
	bool dry_run;		/* a unified diff in result->diff, nothing written */
	bool check;		/* nothing written; result->changed tells */
	struct sl_merge_opts mopts;
	/* for the profile's pass history (history.h): the command ("harvest",
	 * "run"; NULL: no history) and the sources read */
	const char *verb;
	const char *const *sources;
	size_t nsources;
	/* called once when another seclog holds the profile's lock */
	void (*waiting)(const char *path, void *arg);
	void *arg;
};

struct sl_pass_result {
	struct sl_merge_plan plan;	/* with merge */
	const char *target;		/* where the result goes */
	size_t nnames;			/* names a new profile allows */
	bool changed;			/* the target's bytes change */
	bool written;
	char *diff;			/* dry_run: the diff (allocated) */
	size_t difflen;
	bool twin;			/* the profile is a complain twin */
	char *history_error;		/* the pass is not in the history: why */
};

/*
 * Merge h's names into o->merge, or write a new profile to o->output.
 * Returns 0; -ENODATA when o->check and the harvest matched nothing (an
 * empty or wrong log must not pass as "converged"); -errno with *cause.
 */
int sl_pass_write(const struct sl_harvest *h, const struct sl_pass_opts *o,
		  struct sl_pass_result *r, char **cause);

void sl_pass_result_free(struct sl_pass_result *r);

#endif
