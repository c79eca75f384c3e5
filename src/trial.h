/*
 * trial.h - run CMD under profiles and judge each run: the oracle of
 * seclog minimize.  Trials run in parallel (each CMD in a process group
 * of its own, stdin from /dev/null, output captured), each up to a
 * timeout; a trial passes when all of its runs pass.
 */
#ifndef SL_TRIAL_H
#define SL_TRIAL_H

#include <stdbool.h>
#include <signal.h>
#include <stddef.h>

#include "profile.h"

struct sl_trial_opts {
	char *const *argv;	/* CMD */
	unsigned int runs;	/* per trial (at least 1) */
	unsigned int jobs;	/* runs at once (at least 1) */
	double timeout;		/* seconds per run; a run past it is killed and fails */
	/*
	 * A check of the user's own, run after each run of CMD (no filter,
	 * stdin from /dev/null) as: test STATUS STDOUT STDERR, the paths of
	 * CMD's captured output; exit 0 means pass.  NULL: a run passes when
	 * its status is want_status.
	 */
	const char *test;
	int test_err;		/* the check's stdout and stderr go here (-1: /dev/null) */
	int want_status;
	/* and, when set, its stdout and stderr are the bytes of the files
	 * WANT.out and WANT.err (as sl_trial_once keeps them) */
	const char *want;
	const char *dir;	/* where the captured output goes */
	/* Set by the caller's signal handler: what runs is killed, and the
	 * call returns -EINTR.  NULL: none. */
	volatile sig_atomic_t *stop;
};

struct sl_trial_stats {
	size_t runs;		/* CMD runs started */
	size_t timeouts;	/* of them killed at the timeout */
	size_t tests;		/* runs of the check */
};

/*
 * One trial per profile (p[t]), up to jobs runs at once: pass[t].  A run
 * that fails ends its trial.  Returns 0, or -errno with *cause when a
 * trial could not be run at all (the filter did not load, CMD did not
 * exec): that is seclog's failure, not the trial's.  It reaps any child
 * of the process (waitpid -1): call it with no other children.
 */
int sl_trial_run(const struct sl_trial_opts *o, const struct sl_profile *const *p, size_t n,
		 bool *pass, struct sl_trial_stats *st, char **cause);

/*
 * One run of CMD under p, unjudged: its status (as a shell gives it) in
 * *status, its stdout and stderr kept as KEEP.out and KEEP.err, *timed_out
 * when it was killed at
 * the timeout.  Returns 0 or -errno with *cause, as sl_trial_run.
 */
int sl_trial_once(const struct sl_trial_opts *o, const struct sl_profile *p,
		  const char *keep, int *status, bool *timed_out, double *seconds,
		  char **cause);

#endif
