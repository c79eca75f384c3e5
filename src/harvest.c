/* harvest.c - filter, dedupe and tally records from any source */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "audit-status.h"
#include "error.h"
#include "harvest.h"
#include "proc-tree.h"

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

/* One more record of (arch, nr) in a hit table; returns its entry. */
static struct sl_hit *tally(struct sl_hit **hits, size_t *nhits, size_t *mask, uint32_t arch, int64_t nr)
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
	return &(*hits)[i];
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

void sl_harvest_add_hit(struct sl_harvest *h, uint32_t audit_arch, int64_t nr, uint64_t n)
{
	if (!n)
		return;
	h->records += n;
	h->matched += n;
	tally(&h->hits, &h->nhits, &h->mask, audit_arch, nr)->count += n - 1;
}

static void add(struct sl_harvest *h, const struct sl_record *rec, struct sl_twins *twins)
{
	bool trusted = rec->origin == SL_ORIGIN_KERNEL || h->trust_syslog;
	unsigned int how = trusted ? SL_DEDUPE_TRUSTED : 0;
	enum sl_twin twin = SL_TWIN_NONE;
	struct sl_dedupe_out out;
	bool paired;

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
	/* the twin queues follow the whole stream, filtered or not (an
	 * audit.log's records never enter them: no call) */
	paired = h->dedupe && sl_twins_wanted(twins, rec);
	if (paired)
		twin = sl_twins_pair(twins, rec);
	if (!sl_filter_match(&h->filter, rec)) {
		h->filtered++;
		if (paired)
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
			if (paired)
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

void sl_live_init(struct sl_live *live)
{
	memset(live, 0, sizeof(*live));
	live->stop_fd = -1;
	live->sig_fd = -1;
}

static double clock_now(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double rec_time(const struct sl_record *r)
{
	return (double)r->sec + r->msec / 1e3;
}

/*
 * How long a quiet live source holds back the records of the others, at
 * most (its watermark may say less).  Held, a record keeps its source
 * unread, and the socket buffer (64 MiB) holds about 0.7 s of records at
 * its peak rate: a longer hold would make netlink drop records whenever
 * another live source is quiet.  Copies that arrive later than this are
 * still found by the dedupe window (SL_DEDUPE_WINDOW records).
 */
#define LIVE_LAG 0.2

/* Per source: a record waiting to be merged, or why there is none. */
enum pend { PEND_NONE, PEND_REC, PEND_WAIT, PEND_END };

struct run {
	struct sl_harvest *h;
	struct sl_source *srcs;
	size_t n;
	struct sl_live *live;
	struct sl_record *recs;
	enum pend *pend;
	struct sl_twins *twins;
	/* after the stop (settling): per source, when its last record came
	 * (monotonic) and the stamp of its last record (epoch) */
	bool settling;
	double stop_wall;	/* the stop, epoch seconds */
	double *quiet_since, *last_stamp;
	struct pollfd *pfds;	/* the sources', the signal, stop and tree fds */
	bool lost_known;	/* the audit lost counter, at the start */
	uint32_t lost_before;
};

/* Fill every source's slot that is empty.  0, or -errno (*failed). */
static int refill(struct run *r, size_t *failed, char **cause)
{
	size_t i;
	int rc;

	for (i = 0; i < r->n; i++) {
		if (r->pend[i] == PEND_REC || r->pend[i] == PEND_END)
			continue;
		rc = sl_source_next(&r->srcs[i], &r->recs[i], cause);
		if (rc == -EAGAIN) {
			r->pend[i] = PEND_WAIT;
			continue;
		}
		if (rc > 0 && r->settling) {
			r->quiet_since[i] = clock_now(CLOCK_MONOTONIC);
			if (r->recs[i].kind == SL_REC_SECCOMP && r->recs[i].has_time)
				r->last_stamp[i] = rec_time(&r->recs[i]);
		}
		if (rc < 0) {
			*failed = i;
			return rc;
		}
		r->pend[i] = rc ? PEND_REC : PEND_END;
	}
	return 0;
}

/*
 * The next record to count: the earliest pending one, if no quiet source
 * can still bring an earlier one (its watermark, or now - LIVE_LAG).
 * all: at the end, every pending record goes.  Returns its index or n.
 */
static size_t pick(const struct run *r, bool all)
{
	double mark = INFINITY, now = -1;
	size_t i, best = r->n;

	for (i = 0; i < r->n; i++) {
		if (r->pend[i] == PEND_REC && (best == r->n || before(&r->recs[i], &r->recs[best])))
			best = i;
		if (r->pend[i] == PEND_WAIT && !all) {
			double m = r->srcs[i].watermark;

			if (now < 0)
				now = clock_now(CLOCK_REALTIME);
			if (m < now - LIVE_LAG)
				m = now - LIVE_LAG;
			if (m < mark)
				mark = m;
		}
	}
	if (best == r->n || all || !isfinite(mark))
		return best;
	/* loss reports and untimed lines wait for nothing (see before()) */
	if (r->recs[best].kind != SL_REC_SECCOMP || !r->recs[best].has_time ||
	    rec_time(&r->recs[best]) <= mark)
		return best;
	return r->n;
}

static bool any(const struct run *r, enum pend p)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->pend[i] == p)
			return true;
	return false;
}

/*
 * After the stop, has every source given what came before it?  A source
 * has when it gave a record stamped after the stop (it delivers in time
 * order, give or take a clock tick), or has had nothing for t seconds
 * (then *queue: the kernel's queue may still hold some).
 */
static bool settled(const struct run *r, double t, bool *queue)
{
	double now = clock_now(CLOCK_MONOTONIC);
	size_t i;

	*queue = false;
	for (i = 0; i < r->n; i++) {
		if (r->pend[i] == PEND_END || r->last_stamp[i] > r->stop_wall + 0.05)
			continue;
		if (r->pend[i] == PEND_WAIT && now - r->quiet_since[i] >= t) {
			*queue = true;
			continue;
		}
		return false;
	}
	return true;
}

/*
 * Wait for any quiet source, the stop fd, a signal or the process tree,
 * at most timeout seconds.  Returns 0, or -errno.
 */
static int wait_any(struct run *r, double timeout, bool *stop, char **cause)
{
	struct pollfd *p = r->pfds;
	struct sl_live *live = r->live;
	struct timespec ts;
	size_t i, k = 0, sig = SIZE_MAX, stopi = SIZE_MAX, treei = SIZE_MAX;
	int rc, ms;

	for (i = 0; i < r->n; i++) {
		if (r->pend[i] != PEND_WAIT)
			continue;
		if (r->srcs[i].fd >= 0) {
			p[k].fd = r->srcs[i].fd;
			p[k++].events = POLLIN;
		} else {
			ms = r->srcs[i].wait_ms > 0 ? r->srcs[i].wait_ms : 250;
			if (ms / 1e3 < timeout)
				timeout = ms / 1e3;
		}
	}
	if (live->sig_fd >= 0) {
		sig = k;
		p[k].fd = live->sig_fd;
		p[k++].events = POLLIN;
	}
	if (live->stop_fd >= 0 && !live->stopped) {	/* it stays readable */
		stopi = k;
		p[k].fd = live->stop_fd;
		p[k++].events = POLLIN;
	}
	if (live->tree && sl_proc_tree_fd(live->tree) >= 0) {
		treei = k;
		p[k].fd = sl_proc_tree_fd(live->tree);
		p[k++].events = POLLIN;
	}
	if (timeout < 0)
		timeout = 0;
	ts.tv_sec = (time_t)timeout;
	ts.tv_nsec = (long)((timeout - (double)ts.tv_sec) * 1e9);
	rc = ppoll(p, k, &ts, NULL);
	if (rc < 0) {
		return errno == EINTR ? 0 : sl_fail(cause, -errno, "poll: %s", strerror(errno));
	}
	if (sig != SIZE_MAX && (p[sig].revents & POLLIN)) {
		struct signalfd_siginfo si;

		while (read(live->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			if (si.ssi_signo == SIGUSR1) {
				if (live->progress)
					live->progress(r->h, live->arg);
				continue;
			}
			*stop = true;
		}
	}
	if (live->tick)
		live->tick(r->h, live->arg);
	if (stopi != SIZE_MAX && (p[stopi].revents & (POLLIN | POLLHUP | POLLERR)))
		live->stopped = true;
	if (treei != SIZE_MAX && (p[treei].revents & POLLIN))
		rc = sl_proc_tree_update(live->tree, cause);
	else
		rc = 0;
	/* a source woke: ask it again */
	for (i = 0; i < r->n; i++)
		if (r->pend[i] == PEND_WAIT)
			r->pend[i] = PEND_NONE;
	return rc;
}

/* Records the kernel holds that no reader has had yet; 0 if unknown. */
static uint32_t audit_backlog(void)
{
	struct sl_audit_status st;
	char *cause = NULL;

	memset(&st, 0, sizeof(st));
	if (sl_audit_get_status(&st, &cause)) {
		free(cause);
		return 0;
	}
	return st.backlog;
}

/*
 * A rise of the audit lost counter during a live harvest is a loss: read
 * it at the start (before) and at the end (root only; else not known).
 */
static void audit_lost(struct run *r, bool before)
{
	struct sl_audit_status st;
	char *cause = NULL;

	memset(&st, 0, sizeof(st));
	if (sl_audit_get_status(&st, &cause)) {
		free(cause);
		r->lost_known = false;
		return;
	}
	if (before) {
		r->lost_known = true;
		r->lost_before = st.lost;
	} else if (r->lost_known && st.lost > r->lost_before) {
		r->h->loss_reports++;
		r->h->lost += st.lost - r->lost_before;
		r->h->loss_why |= 1u << SL_LOSS_LOST;
	}
}

int sl_harvest_run(struct sl_harvest *h, struct sl_source *srcs, size_t n, struct sl_live *live,
		   size_t *failed, char **cause)
{
	struct sl_live none;
	struct run r = { .h = h, .srcs = srcs, .n = n, .live = live };
	double start = clock_now(CLOCK_MONOTONIC), stopped_at = -1, settle, now, timeout;
	bool stop = false, is_live = false;
	unsigned int budget = 0;
	size_t i, best;
	int rc = 0;

	if (!live) {
		sl_live_init(&none);
		r.live = live = &none;
	}
	for (i = 0; i < n; i++)
		is_live |= srcs[i].follow;
	if (is_live)
		audit_lost(&r, true);
	r.recs = sl_xmalloc((n ? n : 1) * sizeof(*r.recs));
	r.pend = sl_xcalloc(n ? n : 1, sizeof(*r.pend));
	/* each source's transports pair up within that source only */
	r.twins = sl_xcalloc(n ? n : 1, sizeof(*r.twins));
	r.quiet_since = sl_xcalloc(n ? n : 1, sizeof(*r.quiet_since));
	r.last_stamp = sl_xcalloc(n ? n : 1, sizeof(*r.last_stamp));
	r.pfds = sl_xcalloc(n + 3, sizeof(*r.pfds));
	*failed = 0;
	for (;;) {
		rc = refill(&r, failed, cause);
		if (rc)
			break;
		best = pick(&r, false);
		if (best < n) {
			add(h, &r.recs[best], &r.twins[best]);
			r.pend[best] = PEND_NONE;
			if (!is_live || ++budget % 4096)
				continue;
			/* a flood must not hide a signal or the stop */
			if ((rc = wait_any(&r, 0, &stop, cause))) {
				*failed = n;
				break;
			}
		}
		if (!any(&r, PEND_WAIT) && !any(&r, PEND_REC) && !any(&r, PEND_NONE))
			break;	/* every source ended */
		now = clock_now(CLOCK_MONOTONIC);
		if (!stop && live->duration > 0 && now - start >= live->duration)
			stop = true;
		if ((stop || live->stopped) && stopped_at < 0) {
			stopped_at = now;
			r.settling = true;
			r.stop_wall = clock_now(CLOCK_REALTIME);
			for (i = 0; i < n; i++)
				r.quiet_since[i] = now;
		}
		/* after the stop, read on while the stopped process's last
		 * records are still on their way: until each source gave one
		 * stamped later, or was quiet and the kernel's queue is empty
		 * (root); 10 s at most */
		if (stopped_at >= 0 && best == n) {
			bool queue;

			settle = live->stopped && !stop ? live->settle : 0;
			if ((settled(&r, settle, &queue) && !(queue && settle > 0 && audit_backlog())) ||
			    now - stopped_at > (settle > 0 ? 10 : 1))
				break;
		}
		if (best < n || !any(&r, PEND_WAIT))
			continue;
		timeout = any(&r, PEND_REC) ? 0.05 : 0.25;
		if (live->duration > 0 && !stop && live->duration - (now - start) < timeout)
			timeout = live->duration - (now - start);
		if ((rc = wait_any(&r, timeout, &stop, cause))) {
			*failed = n;
			break;
		}
	}
	/* the end: what is pending goes, in order; files are read to the end */
	while (!rc && (best = pick(&r, true)) < n) {
		add(h, &r.recs[best], &r.twins[best]);
		r.pend[best] = PEND_END;
		if (!srcs[best].follow && (rc = sl_source_next(&srcs[best], &r.recs[best], cause)) > 0)
			r.pend[best] = PEND_REC;
		if (rc < 0)
			*failed = best;
		else
			rc = 0;
	}
	if (is_live && !rc)
		audit_lost(&r, false);
	for (i = 0; i < n; i++)
		sl_twins_free(&r.twins[i]);
	free(r.twins);
	free(r.recs);
	free(r.pend);
	free(r.quiet_since);
	free(r.last_stamp);
	free(r.pfds);
	if (rc < 0)
		return rc;
	if (h->filter.has_since && !sl_sources_cover(srcs, n, h->filter.since))
		h->uncovered = true;
	return 0;
}

int sl_harvest_sources(struct sl_harvest *h, struct sl_source *srcs, size_t n, size_t *failed,
		       char **cause)
{
	return sl_harvest_run(h, srcs, n, NULL, failed, cause);
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

static struct sl_hit *copy_hits(const struct sl_hit *hits, size_t nhits, size_t mask)
{
	size_t i, total = mask ? mask + 1 : nhits;
	struct sl_hit *c = sl_xcalloc(total ? total : 1, sizeof(*c));

	for (i = 0; i < total; i++) {
		c[i] = hits[i];
		c[i].name = hits[i].name ? sl_xstrdup(hits[i].name) : NULL;
	}
	return c;
}

void sl_harvest_snapshot(const struct sl_harvest *h, struct sl_harvest *out)
{
	size_t i;

	*out = *h;
	/* the filter and the twins stay with h: the copy only tells */
	memset(&out->filter, 0, sizeof(out->filter));
	memset(&out->twins, 0, sizeof(out->twins));
	out->filter.has_since = h->filter.has_since;
	out->filter.has_until = h->filter.has_until;
	out->filter.since = h->filter.since;
	out->filter.until = h->filter.until;
	out->hits = copy_hits(h->hits, h->nhits, h->mask);
	out->untrusted_hits = copy_hits(h->untrusted_hits, h->nuntrusted_hits, h->untrusted_mask);
	out->procs = sl_xcalloc(h->nprocs ? h->nprocs : 1, sizeof(*out->procs));
	for (i = 0; i < h->nprocs; i++) {
		out->procs[i] = h->procs[i];
		out->procs[i].exe = sl_xmalloc(h->procs[i].exe_len + 1);
		memcpy(out->procs[i].exe, h->procs[i].exe, h->procs[i].exe_len + 1);
	}
	sl_dedupe_copy(&h->seen, &out->seen);
	sl_harvest_finish(out);
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
