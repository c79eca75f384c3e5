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
 * is the same, whichever file or format it was read from.  Memory is one
 * 64-bit fingerprint per distinct record, in a table kept under 3/4 full.
 */
struct sl_dedupe {
	uint64_t *slots;
	size_t mask;
	size_t count;
};

/* true when rec was seen before; records without a stamp are never
 * duplicates (there is nothing to tell two of them apart). */
bool sl_dedupe_seen(struct sl_dedupe *d, const struct sl_record *rec);
void sl_dedupe_free(struct sl_dedupe *d);

#endif
