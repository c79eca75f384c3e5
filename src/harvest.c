/* harvest.c - filter, dedupe and tally records from any source */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "harvest.h"

void sl_harvest_init(struct sl_harvest *h)
{
	memset(h, 0, sizeof(*h));
	h->dedupe = true;
}

/*
 * A loss report counts when it falls inside the harvested span.  Its time
 * is the line's date, or its uptime placed by its source's boot clock
 * (from the same source's lines that carry both stamps); a report with no
 * time at all counts: better a false alarm than a partial profile taken
 * for a complete one.
 */
static void add_loss(struct sl_harvest *h, const struct sl_record *rec)
{
	const struct sl_filter *f = &h->filter;
	double t = -1;

	if (rec->has_time)
		t = (double)rec->sec + rec->msec / 1e3;
	else if (rec->uptime >= 0)
		h->loss_unplaced++;
	if (t >= 0 && ((f->has_since && t < f->since) || (f->has_until && t > f->until)))
		return;
	h->loss_reports++;
	h->lost += rec->lost;
	h->loss_why |= 1u << rec->loss;
}

void sl_harvest_free(struct sl_harvest *h)
{
	size_t i, n = h->mask ? h->mask + 1 : h->nhits;

	for (i = 0; i < n; i++)
		free(h->hits[i].name);
	free(h->hits);
	for (i = 0; i < h->nprocs; i++)
		free(h->procs[i].exe);
	free(h->procs);
	n = h->untrusted_mask ? h->untrusted_mask + 1 : h->nuntrusted_hits;
	for (i = 0; i < n; i++)
		free(h->untrusted_hits[i].name);
	free(h->untrusted_hits);
	sl_dedupe_free(&h->seen);
	sl_twins_free(&h->twins);
	sl_filter_free(&h->filter);
	memset(h, 0, sizeof(*h));
}

static size_t slot(uint32_t arch, int64_t nr, size_t mask)
{
	uint64_t k = ((uint64_t)arch << 32) ^ (uint64_t)nr;

	return (size_t)((k * 0x9e3779b97f4a7c15ULL) >> 40) & mask;
}

static void grow(struct sl_hit **hits, size_t *mask)
{
	struct sl_hit *old = *hits;
	size_t n = *mask ? *mask + 1 : 0, i, j;

	*mask = n ? 2 * n - 1 : 255;
	*hits = sl_xcalloc(*mask + 1, sizeof(**hits));
	for (i = 0; i < n; i++) {
		if (!old[i].count)
			continue;
		for (j = slot(old[i].audit_arch, old[i].nr, *mask); (*hits)[j].count;
		     j = (j + 1) & *mask)
			;
		(*hits)[j] = old[i];
	}
	free(old);
}

/* One more record of (arch, nr) in a hit table. */
static void tally(struct sl_hit **hits, size_t *nhits, size_t *mask, uint32_t arch, int64_t nr)
{
	size_t i;

	if (!*hits || (*nhits + 1) * 2 > *mask + 1)
		grow(hits, mask);
	for (i = slot(arch, nr, *mask); (*hits)[i].count; i = (i + 1) & *mask)
		if ((*hits)[i].audit_arch == arch && (*hits)[i].nr == nr)
			break;
	if (!(*hits)[i].count) {
		(*hits)[i].audit_arch = arch;
		(*hits)[i].nr = nr;
		(*nhits)++;
	}
	(*hits)[i].count++;
}

static void not_counted(struct sl_harvest *h, uint32_t arch, int64_t nr)
{
	h->untrusted++;
	tally(&h->untrusted_hits, &h->nuntrusted_hits, &h->untrusted_mask, arch, nr);
}

/*
 * A record reported not counted turned out to have a kernel-made copy
 * after all (the journal's audit copy of a record /dev/kmsg holds): take
 * the report back; the copy is a duplicate.  Backward-shift deletion
 * keeps the table's probe chains whole.
 */
static void counted_after_all(struct sl_harvest *h, uint32_t arch, int64_t nr)
{
	struct sl_hit *t = h->untrusted_hits;
	size_t mask = h->untrusted_mask, i, j, k;

	if (!t)
		return;
	for (i = slot(arch, nr, mask); t[i].count; i = (i + 1) & mask)
		if (t[i].audit_arch == arch && t[i].nr == nr)
			break;
	if (!t[i].count)
		return;
	h->untrusted--;
	h->duplicates++;
	if (--t[i].count)
		return;
	h->nuntrusted_hits--;
	for (j = i;;) {
		j = (j + 1) & mask;
		if (!t[j].count)
			break;
		k = slot(t[j].audit_arch, t[j].nr, mask);
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		t[i] = t[j];
		i = j;
	}
	memset(&t[i], 0, sizeof(t[i]));
}

static void add_proc(struct sl_harvest *h, const struct sl_record *rec)
{
	const size_t mask = sizeof(h->proc_slot) / sizeof(h->proc_slot[0]) - 1;
	struct sl_proc *p;
	size_t i;

	for (i = (size_t)rec->pid * 2654435761u & mask; h->proc_slot[i]; i = (i + 1) & mask) {
		p = &h->procs[h->proc_slot[i] - 1];
		if (p->pid == rec->pid && p->comm_len == rec->comm_len &&
		    !memcmp(p->comm, rec->comm, rec->comm_len) && p->exe_len == rec->exe_len &&
		    !memcmp(p->exe, rec->exe, rec->exe_len)) {
			p->count++;
			return;
		}
	}
	if (h->nprocs == SL_PROCS_MAX) {
		h->procs_dropped++;
		return;
	}
	h->procs = sl_xrealloc(h->procs, (h->nprocs + 1) * sizeof(*h->procs));
	p = &h->procs[h->nprocs++];
	p->pid = rec->pid;
	memcpy(p->comm, rec->comm, rec->comm_len);
	p->comm_len = rec->comm_len;
	p->exe = sl_xmalloc(rec->exe_len + 1);
	memcpy(p->exe, rec->exe, rec->exe_len);
	p->exe[rec->exe_len] = '\0';
	p->exe_len = rec->exe_len;
	p->count = 1;
	h->proc_slot[i] = (uint16_t)h->nprocs;
}

static void count(struct sl_harvest *h, const struct sl_record *rec)
{
	h->matched++;
	add_proc(h, rec);
	tally(&h->hits, &h->nhits, &h->mask, rec->arch, rec->syscall);
}

static void add(struct sl_harvest *h, const struct sl_record *rec, struct sl_twins *twins)
{
	bool trusted = rec->origin == SL_ORIGIN_KERNEL || h->trust_syslog;
	unsigned int how = trusted ? SL_DEDUPE_TRUSTED : 0;
	enum sl_twin twin = SL_TWIN_NONE;
	struct sl_dedupe_out out;

	if (rec->kind == SL_REC_LOSS) {
		add_loss(h, rec);
		return;
	}
	h->records++;
	/* who was seen is told only when nothing matched: stop counting at
	 * the first match (a dense log pays for it on every record) */
	if (!h->matched) {
		sl_top_add(&h->top_pids, rec, false);
		sl_top_add(&h->top_comms, rec, true);
	}
	/* the twin queues follow the whole stream, filtered or not */
	if (h->dedupe)
		twin = sl_twins_pair(twins, rec);
	if (!sl_filter_match(&h->filter, rec)) {
		h->filtered++;
		sl_twins_mark(twins, SL_TWIN_FILTERED);
		return;
	}
	if (!h->dedupe) {
		if (trusted)
			count(h, rec);
		else
			not_counted(h, rec->arch, rec->syscall);
		return;
	}
	if (twin == SL_TWIN_PASSED) {
		h->duplicates++;
		return;
	}
	if (twin == SL_TWIN_REPORTED) {
		/* its audit copy was reported not counted; this stamped copy
		 * may yet meet a kernel-made one that takes that back */
		h->duplicates++;
		how |= SL_DEDUPE_SHADOW;
	}
	/* a twin a filter left out (a time filter: the audit copy's time is
	 * the line's whole second) does not stand for this one */
	switch (sl_dedupe_check(&h->seen, rec, how, &out)) {
	case SL_SEEN_NEW:
		if (twin == SL_TWIN_REPORTED)
			break;
		if (trusted) {
			count(h, rec);
		} else if (rec->has_stamp) {
			h->held++;	/* until a kernel-made copy or the window's end */
		} else {
			not_counted(h, rec->arch, rec->syscall);	/* nothing can confirm it */
			sl_twins_mark(twins, SL_TWIN_REPORTED);
		}
		break;
	case SL_SEEN_CONFIRMS:
		if (!out.undo) {
			/* the held text copy was this record: now a duplicate */
			h->held--;
			h->duplicates++;
		}
		count(h, rec);
		break;
	case SL_SEEN_COPY:
		if (twin != SL_TWIN_REPORTED)
			h->duplicates++;
		break;
	}
	if (out.undo)
		counted_after_all(h, rec->arch, rec->syscall);
	if (out.evicted) {
		h->held--;
		not_counted(h, out.held.arch, out.held.nr);
	}
}

void sl_harvest_add(struct sl_harvest *h, const struct sl_record *rec)
{
	add(h, rec, &h->twins);
}

int sl_harvest_source(struct sl_harvest *h, struct sl_source *src, char **cause)
{
	size_t failed;

	return sl_harvest_sources(h, src, 1, &failed, cause);
}

/* Merge order: loss reports and records without a time first (nothing to
 * wait for), then by audit time, then serial. */
static bool before(const struct sl_record *a, const struct sl_record *b)
{
	bool ta = a->kind == SL_REC_SECCOMP && a->has_time;
	bool tb = b->kind == SL_REC_SECCOMP && b->has_time;

	if (ta != tb)
		return !ta;
	if (!ta)
		return false;
	if (a->sec != b->sec)
		return a->sec < b->sec;
	if (a->msec != b->msec)
		return a->msec < b->msec;
	return a->serial < b->serial;
}

int sl_harvest_sources(struct sl_harvest *h, struct sl_source *srcs, size_t n, size_t *failed,
		       char **cause)
{
	struct sl_record *recs = sl_xmalloc((n ? n : 1) * sizeof(*recs));
	bool *live = sl_xcalloc(n ? n : 1, sizeof(*live));
	/* each source's transports pair up within that source only */
	struct sl_twins *twins = sl_xcalloc(n ? n : 1, sizeof(*twins));
	size_t i, best;
	int rc = 0;

	for (i = 0; i < n && rc >= 0; i++) {
		rc = sl_source_next(&srcs[i], &recs[i], cause);
		live[i] = rc > 0;
		*failed = i;
	}
	while (rc >= 0) {
		best = n;
		for (i = 0; i < n; i++)
			if (live[i] && (best == n || before(&recs[i], &recs[best])))
				best = i;
		if (best == n) {
			rc = 0;
			break;
		}
		add(h, &recs[best], &twins[best]);
		rc = sl_source_next(&srcs[best], &recs[best], cause);
		live[best] = rc > 0;
		*failed = best;
	}
	for (i = 0; i < n; i++)
		sl_twins_free(&twins[i]);
	free(twins);
	free(recs);
	free(live);
	if (rc < 0)
		return rc;
	if (h->filter.has_since && !sl_sources_cover(srcs, n, h->filter.since))
		h->uncovered = true;
	return 0;
}

bool sl_harvest_incomplete(const struct sl_harvest *h)
{
	return h->loss_reports || h->uncovered;
}

static int cmp_hit(const void *a, const void *b)
{
	const struct sl_hit *x = a, *y = b;
	const char *xa = x->arch ? x->arch->name : "", *ya = y->arch ? y->arch->name : "";
	int c = strcmp(xa, ya);

	if (c)
		return c;
	if (x->audit_arch != y->audit_arch)
		return x->audit_arch < y->audit_arch ? -1 : 1;
	if (x->name && y->name)
		return strcmp(x->name, y->name);
	if (x->name || y->name)
		return x->name ? -1 : 1;
	return x->nr < y->nr ? -1 : x->nr > y->nr;
}

/* Name and sort a hit table; it becomes a plain array of *nhits. */
static void name_hits(struct sl_hit *hits, size_t *nhits, size_t *mask)
{
	size_t i, n = 0, total = *mask ? *mask + 1 : 0;
	char buf[128];

	for (i = 0; i < total; i++) {
		struct sl_hit *hit = &hits[i];

		if (!hit->count)
			continue;
		hit->arch = sl_arch_of_record(hit->audit_arch, hit->nr);
		if (sl_syscall_name(hit->arch, hit->nr, buf, sizeof(buf)))
			hit->name = sl_xstrdup(buf);
		hits[n++] = *hit;
	}
	*nhits = n;
	*mask = 0;
	if (n)
		qsort(hits, n, sizeof(*hits), cmp_hit);
}

void sl_harvest_finish(struct sl_harvest *h)
{
	struct sl_held held;

	while (sl_dedupe_unheld(&h->seen, &held)) {
		h->held--;
		not_counted(h, held.arch, held.nr);
	}
	name_hits(h->hits, &h->nhits, &h->mask);
	name_hits(h->untrusted_hits, &h->nuntrusted_hits, &h->untrusted_mask);
}
