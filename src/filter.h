/* filter.h - which records a harvest keeps, and each record once */
#ifndef SL_FILTER_H
#define SL_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

struct sl_filter {
	int64_t *pids;		/* any of these (thread-group ids) */
	size_t npids;
	const char *comm;	/* decoded comm equals this */
	const char *exe;	/* decoded exe equals this */
	bool has_auid, has_ses, has_since, has_until;
	uint32_t auid, ses;
	double since, until;	/* seconds since the epoch, inclusive */
};

/* Add a pid to the filter (--pid may be repeated). */
void sl_filter_add_pid(struct sl_filter *f, int64_t pid);
void sl_filter_free(struct sl_filter *f);

/* Does rec pass every filter that is set?  A record with no time (a
 * journal line without a date) fails a time filter. */
bool sl_filter_match(const struct sl_filter *f, const struct sl_record *rec);

/*
 * Each record once: a record is the same record when its audit(TS:SERIAL)
 * is the same, whichever file or format it was read from.  A harvest reads
 * its sources merged by time, so a record's twin in another source comes
 * right after it (logs are in time order, but for a little interleaving of
 * CPUs); the set holds the fingerprints of the last SL_DEDUPE_WINDOW
 * records only, which keeps memory fixed (160 KiB, in cache) whatever the
 * input's size.  A twin further away than that (an input out of time
 * order, such as a file concatenated to itself) is counted again: a count
 * too high, never a name lost.
 */
#define SL_DEDUPE_WINDOW 4096

struct sl_dedupe {
	uint64_t *ring;		/* the window, oldest at head */
	size_t head, n;
	uint64_t *slots;	/* open addressing, 4x the window: short probes */
	size_t mask;
};

/* true when rec was seen before; records without a stamp are never
 * duplicates (there is nothing to tell two of them apart). */
bool sl_dedupe_seen(struct sl_dedupe *d, const struct sl_record *rec);
void sl_dedupe_free(struct sl_dedupe *d);

#endif
