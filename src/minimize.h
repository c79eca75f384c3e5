/*
 * minimize.h - the search for a smallest set of names a workload still
 * passes with.  Group testing over the names (Hwang's generalised binary
 * splitting, sized by the density of needed names seen so far), batches
 * of independent trials, an oracle that judges them (in parallel if it
 * can).  Pure: the oracle is the only contact with the world.
 */
#ifndef SL_MINIMIZE_H
#define SL_MINIMIZE_H

#include <stdbool.h>
#include <stddef.h>

struct sl_min_oracle {
	/*
	 * Judge n independent trials: in trial t name i is allowed when
	 * keep[t][i].  Sets pass[t].  Returns 0, or -errno to abort the
	 * search (with *cause set).
	 */
	int (*judge)(void *ctx, const bool *const *keep, size_t n, bool *pass, char **cause);
	void *ctx;
};

struct sl_min_opts {
	/* Per name: seen in an observed run (NULL: unknown).  The names never
	 * seen are dropped together in one trial; the others are expected
	 * to be mostly needed, and are tried one by one. */
	const bool *called;
	/* A verification failed where the same set passed before (a flaky
	 * workload): re-add the names of the latest drops until the set
	 * passes, and go on, rather than stopping. */
	bool keep_going;
	/* The final verification: the result judged this many times at once,
	 * all of which must pass (0 counts as 1).  A workload that is flaky
	 * may pass a trial by luck; more runs of the result catch that. */
	unsigned int verify;
};

struct sl_min_stats {
	size_t trials;		/* trials judged (each may be several runs) */
	size_t rounds;		/* batches handed to the oracle */
	size_t readded;		/* names re-added by --keep-going repairs */
	bool flaky;		/* a set that passed once failed later */
};

/*
 * Find keep[0..n) (out): a set with which the oracle passes and from which
 * no single name can go (1-minimal, for an oracle that is monotone: more
 * names never make a pass a failure).  The full set is taken to pass (the
 * caller checked it).  Every accepted set passed a trial; the result is
 * verified again at the end (o->verify times).  Returns 0; -EAGAIN when
 * the workload proved flaky without keep_going (keep is then the full
 * set); or the oracle's error.
 */
int sl_minimize(size_t n, const struct sl_min_opts *o, const struct sl_min_oracle *oracle,
		bool *keep, struct sl_min_stats *st, char **cause);

#endif
