/* filter.c - record filters and the dedupe set */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "filter.h"

void sl_filter_add_pid(struct sl_filter *f, int64_t pid)
{
	f->pids = sl_xrealloc(f->pids, (f->npids + 1) * sizeof(*f->pids));
	f->pids[f->npids++] = pid;
}

void sl_filter_free(struct sl_filter *f)
{
	free(f->pids);
	f->pids = NULL;
	f->npids = 0;
}

static bool same_text(const char *want, const char *have, size_t len)
{
	size_t i;

	/* byte by byte, no strlen: a dense log's records mostly differ in
	 * their first bytes; have may hold NULs, want ends at its first */
	for (i = 0; i < len; i++)
		if (!want[i] || want[i] != have[i])
			return false;
	return !want[len];
}

bool sl_filter_match(const struct sl_filter *f, const struct sl_record *rec)
{
	double t = (double)rec->sec + rec->msec / 1000.0;

	if (f->npids) {
		size_t i;

		if (!(rec->fields & SL_F_PID))
			return false;
		for (i = 0; i < f->npids; i++)
			if (f->pids[i] == rec->pid)
				break;
		if (i == f->npids)
			return false;
	}
	if (f->comm && !((rec->fields & SL_F_COMM) && same_text(f->comm, rec->comm, rec->comm_len)))
		return false;
	if (f->exe && !((rec->fields & SL_F_EXE) && same_text(f->exe, rec->exe, rec->exe_len)))
		return false;
	if (f->has_auid && !((rec->fields & SL_F_AUID) && rec->auid == f->auid))
		return false;
	if (f->has_ses && !((rec->fields & SL_F_SES) && rec->ses == f->ses))
		return false;
	if ((f->has_since || f->has_until) && !rec->has_time)
		return false;
	if (f->has_since && t < f->since)
		return false;
	if (f->has_until && t > f->until)
		return false;
	return true;
}

static uint64_t mix(uint64_t x)
{
	/* splitmix64 finalizer: spreads sequential serials over the table */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static size_t home(const struct sl_dedupe *d, uint64_t h)
{
	return (size_t)h & d->mask;
}

/* Linear probing with backward-shift deletion: no tombstones pile up as
 * the window slides. */
static void forget(struct sl_dedupe *d, uint64_t h)
{
	size_t i = home(d, h), j, k;

	while (d->slots[i] != h) {
		if (!d->slots[i])
			return;
		i = (i + 1) & d->mask;
	}
	for (j = i;;) {
		j = (j + 1) & d->mask;
		if (!d->slots[j])
			break;
		k = home(d, d->slots[j]);
		/* an entry whose home lies cyclically in (i, j] stays put */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		d->slots[i] = d->slots[j];
		i = j;
	}
	d->slots[i] = 0;
}

bool sl_dedupe_seen(struct sl_dedupe *d, const struct sl_record *rec)
{
	uint64_t h;
	size_t i;

	if (!rec->has_stamp)
		return false;
	if (!d->slots) {
		d->mask = 4 * SL_DEDUPE_WINDOW - 1;
		d->slots = sl_xcalloc(d->mask + 1, sizeof(*d->slots));
		d->ring = sl_xcalloc(SL_DEDUPE_WINDOW, sizeof(*d->ring));
	}
	h = mix(((uint64_t)rec->sec * 1000 + rec->msec) ^ mix(rec->serial + 1));
	if (!h)
		h = 1;	/* 0 marks an empty slot */
	for (i = home(d, h); d->slots[i]; i = (i + 1) & d->mask)
		if (d->slots[i] == h)
			return true;
	if (d->n == SL_DEDUPE_WINDOW) {
		/* the oldest leaves the window */
		forget(d, d->ring[d->head]);
		d->head = (d->head + 1) % SL_DEDUPE_WINDOW;
		d->n--;
		for (i = home(d, h); d->slots[i]; i = (i + 1) & d->mask)
			;
	}
	d->slots[i] = h;
	d->ring[(d->head + d->n) % SL_DEDUPE_WINDOW] = h;
	d->n++;
	return false;
}

void sl_dedupe_free(struct sl_dedupe *d)
{
	free(d->slots);
	free(d->ring);
	memset(d, 0, sizeof(*d));
}
