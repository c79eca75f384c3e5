/* harvest.h - from records to the set of (arch, syscall) a workload used */
#ifndef SL_HARVEST_H
#define SL_HARVEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "filter.h"
#include "source.h"
#include "syscall.h"
#include "top.h"

/* One (arch, syscall number) the records showed. */
struct sl_hit {
	uint32_t audit_arch;
	int64_t nr;
	uint64_t count;
	const struct sl_arch *arch;	/* NULL: libseccomp does not know the arch */
	char *name;			/* NULL: no name for nr on that arch */
};

/* A process the matched records came from (for -v and --json). */
struct sl_proc {
	int64_t pid;
	char comm[SL_COMM_MAX];
	size_t comm_len;
	char *exe;
	size_t exe_len;
	uint64_t count;
};

#define SL_PROCS_MAX 256	/* bounded: a harvest's memory must not grow with the log */

struct sl_harvest {
	struct sl_filter filter;
	bool dedupe;			/* on unless --no-dedupe */
	/* Count records of syslog text (SL_ORIGIN_TEXT: anyone can write it)
	 * on their own; without it they count only when a kernel-made copy
	 * of the same record (stamp and content) is read too. */
	bool trust_syslog;

	uint64_t records;		/* SECCOMP records read, all sources */
	uint64_t matched;		/* passed the filters, counted once */
	uint64_t filtered;		/* left out by a filter */
	uint64_t duplicates;		/* seen before in this harvest */
	uint64_t untrusted;		/* only in syslog text: not counted */
	uint64_t held;			/* text waiting for a kernel-made copy */

	/* The kernel's own reports of dropped records, inside the time span
	 * harvested (--since/--until; all of them without).  Any means the
	 * result may be incomplete. */
	uint64_t loss_reports;
	uint64_t lost;			/* records they say were dropped */
	unsigned int loss_why;		/* 1 << enum sl_loss */
	uint64_t loss_unplaced;		/* of them: an uptime no line could place */
	/* --since is earlier than every source holds (a wrapped ring, a
	 * rotated log): records may be missing, reported or not */
	bool uncovered;

	/* who the records read came from, matched or not (for "nothing
	 * matched": the filter was probably wrong) */
	struct sl_top top_pids, top_comms;

	struct sl_hit *hits;		/* open-addressed while collecting */
	size_t nhits, mask;
	struct sl_dedupe seen;
	struct sl_twins twins;		/* for sl_harvest_add: one stream */

	/* What the records not counted (h->untrusted) would have added:
	 * same layout as hits, named and sorted by sl_harvest_finish. */
	struct sl_hit *untrusted_hits;
	size_t nuntrusted_hits, untrusted_mask;

	struct sl_proc *procs;		/* first SL_PROCS_MAX (pid, comm, exe) */
	uint16_t proc_slot[4 * SL_PROCS_MAX];	/* by pid: index + 1, 0 = free */
	size_t nprocs;
	uint64_t procs_dropped;		/* records of processes past the cap */
};

void sl_harvest_init(struct sl_harvest *h);
void sl_harvest_free(struct sl_harvest *h);

/* Count one parsed record (filter, dedupe, trust, tally), all records
 * fed to it coming from one source, in order. */
void sl_harvest_add(struct sl_harvest *h, const struct sl_record *rec);

/*
 * Count n calls of (audit_arch, nr) that a source of names rather than
 * records showed (strace output): read and matched, already filtered by
 * that source; no dedupe, no trust question.
 */
void sl_harvest_add_hit(struct sl_harvest *h, uint32_t audit_arch, int64_t nr, uint64_t n);

/* Read a source to its end.  Returns 0 or -errno with *cause set. */
int sl_harvest_source(struct sl_harvest *h, struct sl_source *src, char **cause);

/*
 * Read several sources to their ends, merged by record time, so that a
 * record found in two of them (kern.log and the kmsg ring, overlapping
 * rotated logs) meets its twin inside the dedupe window.  Returns 0, or
 * -errno with *cause set and *failed the index of the source at fault.
 */
int sl_harvest_sources(struct sl_harvest *h, struct sl_source *srcs, size_t n, size_t *failed,
		       char **cause);

/*
 * A live harvest (issue 8): how it ends, and what it watches meanwhile.
 * Sources opened with follow never end; the harvest reads them merged by
 * time, waiting in one ppoll() on their descriptors, the signal fd, the
 * stop fd and the process tree, so no signal is missed between a check
 * and a blocking read.
 */
struct sl_live {
	double duration;	/* stop after this many seconds; 0: no limit */
	int stop_fd;		/* stop when readable (a pidfd: it exited); -1 */
	int sig_fd;		/* a signalfd: a signal on it stops; -1 */
	struct sl_proc_tree *tree;	/* --children: fed from its fd */
	/* After stop_fd fired, read on until each live source gave a record
	 * stamped after it, or was quiet this long (seconds) with the
	 * kernel's audit queue empty: the last syscalls' records are still
	 * on their way (10 s at most).  A signal or the duration: no wait. */
	double settle;
	/* SIGUSR1 on sig_fd: called to tell the result so far (a snapshot),
	 * and the harvest goes on */
	void (*progress)(const struct sl_harvest *h, void *arg);
	/* optional: called after each wait of a live harvest (4 times a
	 * second at least), for a progress line */
	void (*tick)(const struct sl_harvest *h, void *arg);
	void *arg;
	/* out */
	bool stopped;		/* stop_fd fired */
};

void sl_live_init(struct sl_live *live);

/*
 * Read the sources merged by time until they all end (files) or the live
 * harvest stops; a rise of the kernel's audit lost counter meanwhile is
 * a loss (SL_LOSS_LOST).  Returns 0, or -errno with *cause set and
 * *failed the index of the source at fault.
 */
int sl_harvest_run(struct sl_harvest *h, struct sl_source *srcs, size_t n, struct sl_live *live,
		   size_t *failed, char **cause);

/*
 * The result so far, as sl_harvest_finish would leave it, into *out (a
 * harvest of its own: free it with sl_harvest_free); h goes on.
 */
void sl_harvest_snapshot(const struct sl_harvest *h, struct sl_harvest *out);

/* Records may be missing: a loss report counted, or --since not covered. */
bool sl_harvest_incomplete(const struct sl_harvest *h);

/*
 * Decide the records still held (syslog text no kernel-made copy
 * confirmed: not counted), then name every hit for its own arch and sort
 * them by arch name, then syscall name (unnamed last, by number).  After
 * this, h->hits[0..nhits) is a plain array, h->untrusted_hits likewise.
 */
void sl_harvest_finish(struct sl_harvest *h);

#endif
