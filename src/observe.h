/*
 * observe.h - one run of CMD under a filter that logs every syscall,
 * harvested live by its audit session: which syscalls CMD calls at all.
 * What seclog run does with no profile, without the merge, for minimize.
 */
#ifndef SL_OBSERVE_H
#define SL_OBSERVE_H

#include <stdbool.h>
#include <stdint.h>

#include "harvest.h"

struct sl_observe_opts {
	char *const *argv;
	uint32_t auid;		/* for the fresh audit session */
	int in, out, err;	/* CMD's 0, 1, 2 (-1: the caller's) */
	double timeout;		/* seconds; 0: none */
};

/*
 * Run CMD once, logging every syscall, and harvest its records into h
 * (finished: h->hits named).  *status: CMD's (as a shell gives it).
 * Returns 0, or -errno with *cause when nothing could be learned: no live
 * source, no audit session to tag the run with, the harvest failed, CMD
 * timed out.  Records may still be missing: check sl_harvest_incomplete.
 */
int sl_observe(const struct sl_observe_opts *o, struct sl_harvest *h, int *status,
	       char **cause);

#endif
