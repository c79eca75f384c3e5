/* top.h - the few processes (or comms) with the most records, in fixed memory */
#ifndef SL_TOP_H
#define SL_TOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

#define SL_TOP_MAX 16		/* entries tracked */
#define SL_TOP_COMM 16		/* bytes of comm kept: the kernel's 15 and more */

struct sl_top_entry {
	int64_t pid;		/* -1 in a tracker by comm */
	char comm[SL_TOP_COMM];	/* by pid: the comm it last had */
	size_t comm_len;
	uint64_t count;		/* records, overestimated by at most err */
	uint64_t err;
};

/*
 * The "space-saving" algorithm (Metwally et al.): a key not tracked takes
 * the place of the smallest entry and inherits its count as a possible
 * error.  A key with more than 1/SL_TOP_MAX of the records is always
 * there; with SL_TOP_MAX keys or fewer every count is exact.
 */
struct sl_top {
	struct sl_top_entry e[SL_TOP_MAX];
	size_t n;
	size_t last;		/* the entry hit last: records come in runs */
	uint64_t total;
};

/* Count rec under its pid (by_comm false) or its comm (true), if it has one. */
void sl_top_add(struct sl_top *t, const struct sl_record *rec, bool by_comm);

/* Pointers to the entries, most records first; returns how many (<= max). */
size_t sl_top_sorted(const struct sl_top *t, const struct sl_top_entry **out, size_t max);

#endif
