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
	return strlen(want) == len && memcmp(want, have, len) == 0;
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

uint64_t sl_record_digest(const struct sl_record *rec)
{
	const uint64_t k = 0x9e3779b97f4a7c15ULL;
	unsigned int f = rec->fields;
	uint64_t h = f;
	size_t i;

	/* only the fields the line held: the parser leaves the others as
	 * they were.  FNV-1a over text, word mixing over numbers. */
	if (f & SL_F_COMM)
		for (i = 0; i < rec->comm_len; i++)
			h = (h ^ (unsigned char)rec->comm[i]) * 0x100000001b3ULL;
	h = mix(h ^ (f & SL_F_COMM ? rec->comm_len : 0));
	if (f & SL_F_EXE)
		for (i = 0; i < rec->exe_len; i++)
			h = (h ^ (unsigned char)rec->exe[i]) * 0x100000001b3ULL;
	if (f & SL_F_SUBJ)
		for (i = 0; i < sizeof(rec->subj) && rec->subj[i]; i++)
			h = (h ^ (unsigned char)rec->subj[i]) * 0x100000001b3ULL;
	h = mix(h + k * (f & SL_F_PID ? (uint64_t)rec->pid : 0));
	h = mix(h + k * ((f & SL_F_AUID ? (uint64_t)rec->auid << 32 : 0) |
			 (f & SL_F_UID ? rec->uid : 0)));
	h = mix(h + k * ((f & SL_F_GID ? (uint64_t)rec->gid << 32 : 0) |
			 (f & SL_F_SES ? rec->ses : 0)));
	h = mix(h + k * (((uint64_t)rec->arch << 32) ^ (uint64_t)rec->syscall));
	h = mix(h + k * (f & SL_F_SIG ? (uint64_t)rec->sig : 0));
	h = mix(h + k * ((f & SL_F_CODE ? (uint64_t)rec->code << 32 : 0) |
			 (f & SL_F_COMPAT ? (uint32_t)rec->compat : 0)));
	return mix(h + k * (f & SL_F_IP ? rec->ip : 0));
}

/* Table values: the fingerprint, with this bit set while the record is
 * held (not counted yet: syslog text waiting for a kernel-made copy). */
#define HELD (1ULL << 63)

struct sl_dedupe_entry {
	uint64_t fp;
	uint32_t arch;
	int64_t nr;
};

static size_t home(const struct sl_dedupe *d, uint64_t h)
{
	return (size_t)(h & ~HELD) & d->mask;
}

/* The slot holding fingerprint h, or the empty slot where it would go. */
static size_t find(const struct sl_dedupe *d, uint64_t h)
{
	size_t i;

	for (i = home(d, h); d->slots[i] && (d->slots[i] & ~HELD) != h; i = (i + 1) & d->mask)
		;
	return i;
}

/* Linear probing with backward-shift deletion: no tombstones pile up as
 * the window slides.  Returns whether the entry was held. */
static bool forget(struct sl_dedupe *d, uint64_t h)
{
	size_t i = find(d, h), j, k;
	bool held;

	if (!d->slots[i])
		return false;
	held = d->slots[i] & HELD;
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
	return held;
}

/* The oldest entry leaves the window; true (and *out) if it was held. */
static bool evict(struct sl_dedupe *d, struct sl_held *out)
{
	struct sl_dedupe_entry *e = &d->ring[d->head];
	bool held = forget(d, e->fp);

	d->head = (d->head + 1) % SL_DEDUPE_WINDOW;
	d->n--;
	if (held) {
		d->nheld--;
		out->arch = e->arch;
		out->nr = e->nr;
	}
	return held;
}

enum sl_seen sl_dedupe_check(struct sl_dedupe *d, const struct sl_record *rec, bool trusted,
			     struct sl_held *out, bool *evicted)
{
	struct sl_dedupe_entry *e;
	uint64_t h;
	size_t i;

	*evicted = false;
	if (!rec->has_stamp)
		return SL_SEEN_NEW;
	if (!d->slots) {
		d->mask = 4 * SL_DEDUPE_WINDOW - 1;
		d->slots = sl_xcalloc(d->mask + 1, sizeof(*d->slots));
		d->ring = sl_xcalloc(SL_DEDUPE_WINDOW, sizeof(*d->ring));
	}
	h = mix(((uint64_t)rec->sec * 1000 + rec->msec) ^ mix(rec->serial + 1));
	h = (h ^ sl_record_digest(rec)) & ~HELD;
	if (!h)
		h = 1;	/* 0 marks an empty slot */
	i = find(d, h);
	if (d->slots[i]) {
		if (!(d->slots[i] & HELD) || !trusted)
			return SL_SEEN_COPY;
		d->slots[i] &= ~HELD;
		d->nheld--;
		return SL_SEEN_CONFIRMS;
	}
	if (d->n == SL_DEDUPE_WINDOW) {
		*evicted = evict(d, out);
		i = find(d, h);
	}
	d->slots[i] = trusted ? h : h | HELD;
	d->nheld += !trusted;
	e = &d->ring[(d->head + d->n) % SL_DEDUPE_WINDOW];
	e->fp = h;
	e->arch = rec->arch;
	e->nr = rec->syscall;
	d->n++;
	return SL_SEEN_NEW;
}

bool sl_dedupe_unheld(struct sl_dedupe *d, struct sl_held *out)
{
	while (d->nheld && d->n)
		if (evict(d, out))
			return true;
	return false;
}

bool sl_dedupe_seen(struct sl_dedupe *d, const struct sl_record *rec)
{
	struct sl_held held;
	bool evicted;

	return sl_dedupe_check(d, rec, true, &held, &evicted) != SL_SEEN_NEW;
}

void sl_dedupe_free(struct sl_dedupe *d)
{
	free(d->slots);
	free(d->ring);
	memset(d, 0, sizeof(*d));
}

/* The twin queues: a FIFO of digests, indexed by a counting hash table. */
static size_t qhome(const struct sl_twin_queue *q, uint64_t k)
{
	return (size_t)mix(k) & q->mask;
}

static size_t qfind(const struct sl_twin_queue *q, uint64_t k)
{
	size_t i;

	for (i = qhome(q, k); q->counts[i] && q->keys[i] != k; i = (i + 1) & q->mask)
		;
	return i;
}

static void qdrop(struct sl_twin_queue *q, uint64_t k)
{
	size_t i = qfind(q, k), j, h;

	if (!q->counts[i] || --q->counts[i])
		return;
	for (j = i;;) {
		j = (j + 1) & q->mask;
		if (!q->counts[j])
			break;
		h = qhome(q, q->keys[j]);
		if (i <= j ? (i < h && h <= j) : (i < h || h <= j))
			continue;
		q->keys[i] = q->keys[j];
		q->counts[i] = q->counts[j];
		i = j;
	}
	q->counts[i] = 0;
}

static uint64_t qpop(struct sl_twin_queue *q)
{
	uint64_t k = q->ring[q->head];

	q->head = (q->head + 1) % SL_TWIN_QUEUE;
	q->n--;
	qdrop(q, k);
	return k;
}

static void qpush(struct sl_twin_queue *q, uint64_t k)
{
	size_t i;

	if (!q->ring) {
		q->ring = sl_xcalloc(SL_TWIN_QUEUE, sizeof(*q->ring));
		q->mask = 2 * SL_TWIN_QUEUE - 1;
		q->keys = sl_xcalloc(q->mask + 1, sizeof(*q->keys));
		q->counts = sl_xcalloc(q->mask + 1, sizeof(*q->counts));
	}
	if (q->n == SL_TWIN_QUEUE)
		qpop(q);	/* its twin, if any, comes too late */
	q->ring[(q->head + q->n) % SL_TWIN_QUEUE] = k;
	q->n++;
	i = qfind(q, k);
	q->keys[i] = k;
	q->counts[i]++;
}

/* Pair k with its oldest copy in q, dropping the older unpaired ones. */
static bool qpair(struct sl_twin_queue *q, uint64_t k)
{
	if (!q->n || !q->counts[qfind(q, k)])
		return false;
	while (qpop(q) != k)
		;
	return true;
}

bool sl_twins_seen(struct sl_twins *t, const struct sl_record *rec)
{
	uint64_t k;

	/* Before the first audit copy, queue only the layouts journalctl
	 * prints the kernel transport in (its copies may lead, by 131 records
	 * in a burst here): audit.log, kmsg and dmesg streams cost nothing. */
	if (rec->has_stamp && !t->active && rec->format != SL_FMT_SYSLOG &&
	    rec->format != SL_FMT_BARE)
		return false;
	/* pair copies of the same provenance only: a forged line must not
	 * stand in for a kernel-made one */
	k = sl_record_digest(rec) ^ (rec->origin == SL_ORIGIN_KERNEL ? 0x5bd1e995ULL : 0);
	if (!rec->has_stamp) {
		t->active = true;
		if (qpair(&t->stamped, k))
			return true;
		qpush(&t->bare, k);
		return false;
	}
	if (qpair(&t->bare, k))
		return true;
	qpush(&t->stamped, k);
	return false;
}

static void qfree(struct sl_twin_queue *q)
{
	free(q->ring);
	free(q->keys);
	free(q->counts);
	memset(q, 0, sizeof(*q));
}

void sl_twins_free(struct sl_twins *t)
{
	qfree(&t->bare);
	qfree(&t->stamped);
	t->active = false;
}
