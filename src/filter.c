/* filter.c - record filters and the dedupe set */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "filter.h"
#include "proc-tree.h"

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
	double t;

	if (f->tree) {
		/* a pid stands for a process only while it lived */
		if (!(rec->fields & SL_F_PID) ||
		    !sl_proc_tree_has(f->tree, rec->pid,
				      rec->has_time ? (double)rec->sec + rec->msec / 1e3 : -1))
			return false;
	} else if (f->npids) {
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
	if (!f->has_since && !f->has_until)
		return true;
	if (!rec->has_time)
		return false;
	t = (double)rec->sec + rec->msec / 1000.0;
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

/* Fold bytes into h eight at a time: the digest is on every record's
 * path, so it must cost little next to the parse. */
static uint64_t fold(uint64_t h, const char *s, size_t n)
{
	const uint64_t k = 0x9fb21c651e98df25ULL;
	uint64_t w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * k;
		h ^= h >> 29;
	}
	w = (uint64_t)n << 56;
	memcpy(&w, s, n);	/* little or big endian: the same on one host */
	h = (h ^ w) * k;
	return h ^ (h >> 29);
}

static uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

/* The numbers and comm: what the dedupe compares besides the stamp.
 * Independent products, so that the CPU overlaps them. */
static uint64_t numbers(const struct sl_record *rec)
{
	unsigned int f = rec->fields;
	uint64_t a, b, c, d, e;

	/* only the fields the line held: the parser leaves the others as
	 * they were */
	a = (((uint64_t)rec->arch << 32) ^ (uint64_t)rec->syscall ^ f) * 0x9e3779b97f4a7c15ULL;
	b = (f & SL_F_PID ? (uint64_t)rec->pid : 0) * 0xc2b2ae3d27d4eb4fULL;
	c = (f & SL_F_IP ? rec->ip : 0) * 0x165667b19e3779f9ULL;
	d = ((f & SL_F_AUID ? (uint64_t)rec->auid << 32 : 0) | (f & SL_F_UID ? rec->uid : 0)) *
	    0xd6e8feb86659fd93ULL;
	e = (((f & SL_F_GID ? (uint64_t)rec->gid << 32 : 0) | (f & SL_F_SES ? rec->ses : 0)) ^
	     rotl(f & SL_F_SIG ? (uint64_t)rec->sig : 0, 17) ^
	     rotl((f & SL_F_CODE ? (uint64_t)rec->code << 32 : 0) |
		  (f & SL_F_COMPAT ? (uint32_t)rec->compat : 0), 41)) * 0x9fb21c651e98df25ULL;
	a ^= rotl(b, 13) ^ rotl(c, 27) ^ rotl(d, 39) ^ rotl(e, 51);
	if (f & SL_F_COMM)
		a = fold(a, rec->comm, rec->comm_len);
	return a;
}

uint64_t sl_record_digest(const struct sl_record *rec)
{
	uint64_t h = numbers(rec);

	if (rec->fields & SL_F_EXE)
		h = fold(h, rec->exe, rec->exe_len);
	if (rec->fields & SL_F_SUBJ)
		h = fold(h, rec->subj, strnlen(rec->subj, sizeof(rec->subj)));
	return mix(h);
}

/* Table values: the fingerprint, with HELD set while the record is held
 * (not counted yet: syslog text waiting for a kernel-made copy), and
 * SHADOW for a held twin whose report is to be taken back if confirmed. */
#define HELD (1ULL << 63)
#define SHADOW (1ULL << 62)
#define FLAGS (HELD | SHADOW)

struct sl_dedupe_entry {
	uint64_t fp;
	uint32_t arch;
	uint32_t flags;		/* HELD, SHADOW >> 32: while not in the table */
	int64_t nr;
};

static size_t home(const struct sl_dedupe *d, uint64_t h)
{
	return (size_t)(h & ~FLAGS) & d->mask;
}

/* The slot holding fingerprint h, or the empty slot where it would go. */
static size_t find(const struct sl_dedupe *d, uint64_t h)
{
	size_t i;

	for (i = home(d, h); d->slots[i] && (d->slots[i] & ~FLAGS) != h; i = (i + 1) & d->mask)
		;
	return i;
}

/* Linear probing with backward-shift deletion: no tombstones pile up as
 * the window slides.  Returns the entry's flags. */
static uint64_t forget(struct sl_dedupe *d, uint64_t h)
{
	size_t i = find(d, h), j, k;
	uint64_t flags;

	if (!d->slots[i])
		return 0;
	flags = d->slots[i] & FLAGS;
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
	return flags;
}

/* The oldest entry leaves the window; true (and *out) if it was held and
 * is to be reported (a shadow's twin was reported already). */
static bool evict(struct sl_dedupe *d, struct sl_held *out)
{
	struct sl_dedupe_entry *e = &d->ring[d->head];
	uint64_t flags;

	if (d->lazy >= d->n) {
		/* all of the window is past the table */
		d->lazy--;
		flags = (uint64_t)e->flags << 32;
	} else {
		flags = forget(d, e->fp);
	}

	d->head = (d->head + 1) % SL_DEDUPE_WINDOW;
	d->n--;
	if (flags != HELD)
		return false;
	d->nheld--;
	out->arch = e->arch;
	out->nr = e->nr;
	return true;
}

/* The window's newest entries, kept out of the table while the stamps
 * only went up, go into it: a record may now be a copy of one of them. */
static void catch_up(struct sl_dedupe *d)
{
	struct sl_dedupe_entry *e;
	size_t k, i;

	for (k = d->n - d->lazy; k < d->n; k++) {
		e = &d->ring[(d->head + k) % SL_DEDUPE_WINDOW];
		i = find(d, e->fp);
		if (!d->slots[i])	/* else the same fingerprint: once is enough */
			d->slots[i] = e->fp | (uint64_t)e->flags << 32;
	}
	d->lazy = 0;
}

enum sl_seen sl_dedupe_check(struct sl_dedupe *d, const struct sl_record *rec, unsigned int how,
			     struct sl_dedupe_out *out)
{
	bool trusted = how & SL_DEDUPE_TRUSTED, shadow = how & SL_DEDUPE_SHADOW;
	uint64_t h, v = 0, t = (uint64_t)rec->sec * 1000 + rec->msec, flags;
	struct sl_dedupe_entry *e;
	bool later;
	size_t i = 0;

	out->evicted = out->undo = false;
	if (!rec->has_stamp)
		return SL_SEEN_NEW;
	if (!d->slots) {
		d->mask = 4 * SL_DEDUPE_WINDOW - 1;
		d->slots = sl_xcalloc(d->mask + 1, sizeof(*d->slots));
		d->ring = sl_xcalloc(SL_DEDUPE_WINDOW, sizeof(*d->ring));
	}
	/* the stamp and what a forger must change to add a name (arch,
	 * syscall) or to pass for another process (pid, comm, ids, ip);
	 * not exe, whose bytes cost more than the rest of the record's
	 * path here: a copy differing only in exe adds nothing.  The
	 * stamp's products and numbers() are independent (the CPU overlaps
	 * them), then one mix: a dense log pays this on every match */
	h = mix(((uint64_t)rec->sec * 1000 + rec->msec) * 0xd1b54a32d192ed03ULL ^
		rotl((uint64_t)rec->serial * 0x8cb92ba72f3d8dd7ULL, 23) ^ numbers(rec)) & ~FLAGS;
	if (!h)
		h = 1;	/* 0 marks an empty slot */
	/*
	 * A stamp later than any seen has no copy in the window: it is only
	 * queued (a log in time order never touches the table, whose slots
	 * are all over the cache).  Any other is looked up, once the entries
	 * queued so go into the table.
	 */
	later = !d->has_last || t > d->last_time ||
		(t == d->last_time && rec->serial > d->last_serial);
	if (later) {
		d->has_last = true;
		d->last_time = t;
		d->last_serial = rec->serial;
	} else {
		catch_up(d);
		i = find(d, h);
		v = d->slots[i];
	}
	if (!later && v) {
		if (!(v & HELD)) {
			out->undo = shadow;	/* its kernel-made copy was counted */
			return SL_SEEN_COPY;
		}
		if (!trusted)
			return SL_SEEN_COPY;
		d->slots[i] = h;
		if (v & SHADOW)
			out->undo = true;
		else
			d->nheld--;
		return SL_SEEN_CONFIRMS;
	}
	flags = (trusted ? 0 : HELD) | (shadow && !trusted ? SHADOW : 0);
	if (d->n == SL_DEDUPE_WINDOW) {
		out->evicted = evict(d, &out->held);
		if (!later)
			i = find(d, h);	/* the eviction may have moved slots */
	}
	if (later)
		d->lazy++;
	else
		d->slots[i] = h | flags;
	d->nheld += !trusted && !shadow;
	e = &d->ring[(d->head + d->n) % SL_DEDUPE_WINDOW];
	e->fp = h;
	e->arch = rec->arch;
	e->flags = (uint32_t)(flags >> 32);
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
	struct sl_dedupe_out out;

	return sl_dedupe_check(d, rec, SL_DEDUPE_TRUSTED, &out) != SL_SEEN_NEW;
}

void sl_dedupe_copy(const struct sl_dedupe *d, struct sl_dedupe *out)
{
	*out = *d;
	if (d->ring) {
		out->ring = sl_xmalloc(SL_DEDUPE_WINDOW * sizeof(*d->ring));
		memcpy(out->ring, d->ring, SL_DEDUPE_WINDOW * sizeof(*d->ring));
	}
	if (d->slots) {
		out->slots = sl_xmalloc((d->mask + 1) * sizeof(*d->slots));
		memcpy(out->slots, d->slots, (d->mask + 1) * sizeof(*d->slots));
	}
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

static uint64_t qpop(struct sl_twin_queue *q, enum sl_twin *fate)
{
	uint64_t k = q->ring[q->head];

	*fate = q->fate[q->head];
	q->head = (q->head + 1) % SL_TWIN_QUEUE;
	q->n--;
	qdrop(q, k);
	return k;
}

static void qpush(struct sl_twin_queue *q, uint64_t k)
{
	enum sl_twin fate;
	size_t i, at;

	if (!q->ring) {
		q->ring = sl_xcalloc(SL_TWIN_QUEUE, sizeof(*q->ring));
		q->fate = sl_xcalloc(SL_TWIN_QUEUE, sizeof(*q->fate));
		q->mask = 2 * SL_TWIN_QUEUE - 1;
		q->keys = sl_xcalloc(q->mask + 1, sizeof(*q->keys));
		q->counts = sl_xcalloc(q->mask + 1, sizeof(*q->counts));
	}
	if (q->n == SL_TWIN_QUEUE)
		qpop(q, &fate);	/* its twin, if any, comes too late */
	at = (q->head + q->n) % SL_TWIN_QUEUE;
	q->ring[at] = k;
	q->fate[at] = SL_TWIN_PASSED;
	q->n++;
	i = qfind(q, k);
	q->keys[i] = k;
	q->counts[i]++;
}

/* Pair k with its oldest copy in q, dropping the older unpaired ones;
 * returns that copy's fate, or SL_TWIN_NONE. */
static enum sl_twin qpair(struct sl_twin_queue *q, uint64_t k)
{
	enum sl_twin fate;

	if (!q->n || !q->counts[qfind(q, k)])
		return SL_TWIN_NONE;
	while (qpop(q, &fate) != k)
		;
	return fate;
}

enum sl_twin sl_twins_pair(struct sl_twins *t, const struct sl_record *rec)
{
	enum sl_twin fate;
	uint64_t k;

	t->last = NULL;
	if (!sl_twins_wanted(t, rec))
		return SL_TWIN_NONE;
	/* pair copies of the same provenance only: a forged line must not
	 * stand in for a kernel-made one */
	k = sl_record_digest(rec) ^ (rec->origin == SL_ORIGIN_KERNEL ? 0x5bd1e995ULL : 0);
	if (!rec->has_stamp)
		t->active = true;
	fate = qpair(rec->has_stamp ? &t->bare : &t->stamped, k);
	if (fate == SL_TWIN_NONE) {
		t->last = rec->has_stamp ? &t->stamped : &t->bare;
		qpush(t->last, k);
	}
	return fate;
}

void sl_twins_mark(struct sl_twins *t, enum sl_twin fate)
{
	struct sl_twin_queue *q = t->last;

	if (q && q->n)
		q->fate[(q->head + q->n - 1) % SL_TWIN_QUEUE] = (unsigned char)fate;
}

bool sl_twins_seen(struct sl_twins *t, const struct sl_record *rec)
{
	return sl_twins_pair(t, rec) != SL_TWIN_NONE;
}

static void qfree(struct sl_twin_queue *q)
{
	free(q->ring);
	free(q->fate);
	free(q->keys);
	free(q->counts);
	memset(q, 0, sizeof(*q));
}

void sl_twins_free(struct sl_twins *t)
{
	qfree(&t->bare);
	qfree(&t->stamped);
	t->active = false;
	t->last = NULL;
}
