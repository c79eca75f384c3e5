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
	sl_dedupe_free(&h->seen);
	sl_filter_free(&h->filter);
	memset(h, 0, sizeof(*h));
}

static size_t slot(uint32_t arch, int64_t nr, size_t mask)
{
	uint64_t k = ((uint64_t)arch << 32) ^ (uint64_t)nr;

	return (size_t)((k * 0x9e3779b97f4a7c15ULL) >> 40) & mask;
}

static void grow(struct sl_harvest *h)
{
	struct sl_hit *old = h->hits;
	size_t n = h->mask ? h->mask + 1 : 0, i, j;

	h->mask = n ? 2 * n - 1 : 255;
	h->hits = sl_xcalloc(h->mask + 1, sizeof(*h->hits));
	for (i = 0; i < n; i++) {
		if (!old[i].count)
			continue;
		for (j = slot(old[i].audit_arch, old[i].nr, h->mask); h->hits[j].count;
		     j = (j + 1) & h->mask)
			;
		h->hits[j] = old[i];
	}
	free(old);
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

void sl_harvest_add(struct sl_harvest *h, const struct sl_record *rec)
{
	size_t i;

	if (rec->kind == SL_REC_LOSS) {
		add_loss(h, rec);
		return;
	}
	h->records++;
	sl_top_add(&h->top_pids, rec, false);
	sl_top_add(&h->top_comms, rec, true);
	if (!sl_filter_match(&h->filter, rec)) {
		h->filtered++;
		return;
	}
	if (h->dedupe && sl_dedupe_seen(&h->seen, rec)) {
		h->duplicates++;
		return;
	}
	h->matched++;
	add_proc(h, rec);
	if (!h->hits || (h->nhits + 1) * 2 > h->mask + 1)
		grow(h);
	for (i = slot(rec->arch, rec->syscall, h->mask); h->hits[i].count; i = (i + 1) & h->mask)
		if (h->hits[i].audit_arch == rec->arch && h->hits[i].nr == rec->syscall)
			break;
	if (!h->hits[i].count) {
		h->hits[i].audit_arch = rec->arch;
		h->hits[i].nr = rec->syscall;
		h->nhits++;
	}
	h->hits[i].count++;
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
		sl_harvest_add(h, &recs[best]);
		rc = sl_source_next(&srcs[best], &recs[best], cause);
		live[best] = rc > 0;
		*failed = best;
	}
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

void sl_harvest_finish(struct sl_harvest *h)
{
	size_t i, n = 0, total = h->mask ? h->mask + 1 : 0;
	char buf[128];

	for (i = 0; i < total; i++) {
		struct sl_hit *hit = &h->hits[i];

		if (!hit->count)
			continue;
		hit->arch = sl_arch_of_record(hit->audit_arch, hit->nr);
		if (sl_syscall_name(hit->arch, hit->nr, buf, sizeof(buf)))
			hit->name = sl_xstrdup(buf);
		h->hits[n++] = *hit;
	}
	h->nhits = n;
	h->mask = 0;
	if (n)
		qsort(h->hits, n, sizeof(*h->hits), cmp_hit);
}
