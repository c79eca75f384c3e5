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
	/* --children: instead of pids, these processes and their
	 * descendants, each for the time it lived (proc-tree.h) */
	struct sl_proc_tree *tree;
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
 * What a record is, as far as its content goes: every field it holds
 * (pid, comm, exe, ids, arch, syscall, ip, code, ...), not its stamp or
 * the line around it.  Two copies of one record have the same digest.
 */
uint64_t sl_record_digest(const struct sl_record *rec);

/*
 * Each record once: a record is the same record when its audit(TS:SERIAL)
 * and its content (but exe and subj) are the same, whichever file or format it was read
 * from; the content counts because a forged line can copy a real stamp.
 * A harvest reads its sources merged by time, so a record's twin in
 * another source comes right after it (logs are in time order, but for a
 * little interleaving of CPUs); the set holds the fingerprints of the last
 * SL_DEDUPE_WINDOW records only, which keeps memory fixed (in cache)
 * whatever the input's size.  A twin further away than that (an input out
 * of time order, such as a file concatenated to itself) is counted again:
 * a count too high, never a name lost.
 *
 * A record whose stamp is later than any before it can be no copy: it is
 * queued without a lookup, and goes into the table only when a record
 * that is not later comes (a log in time order never touches it).
 *
 * It also holds records that may not count on their own (syslog text,
 * which anyone can write) until a kernel-made copy confirms them or they
 * leave the window unconfirmed.
 */
#define SL_DEDUPE_WINDOW 4096

/* A held record that left the window with no kernel-made copy. */
struct sl_held {
	uint32_t arch;
	int64_t nr;
};

struct sl_dedupe {
	struct sl_dedupe_entry *ring;	/* the window, oldest at head */
	size_t head, n;
	uint64_t *slots;	/* open addressing, 4x the window: short probes */
	size_t mask;
	size_t nheld;		/* held entries in the window (not shadows) */
	size_t lazy;		/* the newest entries not in slots yet */
	bool has_last;		/* the latest stamp so far: */
	uint64_t last_time;	/* sec * 1000 + msec */
	uint32_t last_serial;
};

enum sl_seen {
	SL_SEEN_NEW,		/* the first copy (no stamp: always) */
	SL_SEEN_COPY,		/* a copy of a record seen before */
	SL_SEEN_CONFIRMS,	/* a trusted copy of a held record: count it now */
};

/* How sl_dedupe_check takes a record. */
enum {
	SL_DEDUPE_TRUSTED = 1,	/* it may count on its own; else a new one is held */
	/* the stamped twin of a journal copy that was reported not counted
	 * (no stamp, text): remembered only to take that report back if a
	 * kernel-made copy shows up, and never reported itself */
	SL_DEDUPE_SHADOW = 2,
};

struct sl_dedupe_out {
	bool evicted;		/* a held record left the window: */
	struct sl_held held;	/* this one */
	bool undo;		/* take back the report of rec's shadowed twin */
};

/*
 * Look rec up, and remember it; see the flags above, and *out.  Records
 * without a stamp are never remembered (nothing tells two of them apart).
 */
enum sl_seen sl_dedupe_check(struct sl_dedupe *d, const struct sl_record *rec, unsigned int how,
			     struct sl_dedupe_out *out);

/* The held records still in the window, one per call (false: none left);
 * each is forgotten as it is returned.  For the end of a harvest. */
bool sl_dedupe_unheld(struct sl_dedupe *d, struct sl_held *out);

/* true when rec was seen before (sl_dedupe_check with a trusted rec). */
bool sl_dedupe_seen(struct sl_dedupe *d, const struct sl_record *rec);
/* A copy of d (a harvest's snapshot decides held records on the copy). */
void sl_dedupe_copy(const struct sl_dedupe *d, struct sl_dedupe *out);
void sl_dedupe_free(struct sl_dedupe *d);

/*
 * The journal keeps a record twice when auditd does not run: from the
 * audit transport ("audit[PID]: SECCOMP ...", no stamp) and, if the printk
 * rate limit let it through, from the kernel transport ("kernel: audit:
 * type=1326 audit(TS:SERIAL): ...").  journalctl prints both, in the order
 * they arrived.  Identical records are common (a loop calling one syscall
 * from one place), so content alone cannot pair them; but each transport
 * keeps the records in the order they were made, and the kernel copies are
 * a subsequence of the audit ones (or the reverse, where the audit socket
 * dropped some).  So a copy pairs with the OLDEST unpaired copy of the
 * other transport with the same content, and the unpaired copies before
 * that one never will: they are dropped from the queue.  Each queue keeps
 * SL_TWIN_QUEUE copies at most, so memory is fixed; a copy whose twin
 * comes later than that is counted twice.
 */
#define SL_TWIN_QUEUE 8192

/* What became of a copy, for its twin to know. */
enum sl_twin {
	SL_TWIN_NONE = 0,	/* no twin: rec was queued (see sl_twins_mark) */
	SL_TWIN_FILTERED,	/* the twin was left out by a filter */
	SL_TWIN_PASSED,		/* the twin was counted, held, or a duplicate */
	SL_TWIN_REPORTED,	/* the twin was reported not counted */
};

struct sl_twin_queue {
	uint64_t *ring;		/* digests, oldest at head */
	unsigned char *fate;	/* enum sl_twin of each */
	size_t head, n;
	uint64_t *keys;		/* digest -> how many in the ring */
	uint32_t *counts;
	size_t mask;
};

struct sl_twins {
	bool active;		/* an unstamped copy was seen: this is journal output */
	struct sl_twin_queue bare, stamped;
	struct sl_twin_queue *last;	/* where the last unpaired rec went */
};

/*
 * Feed every SECCOMP record of one source, in its order.  Returns what
 * became of rec's twin, or SL_TWIN_NONE when rec has none yet: then say
 * what becomes of rec with sl_twins_mark (SL_TWIN_PASSED if not).
 */
enum sl_twin sl_twins_pair(struct sl_twins *t, const struct sl_record *rec);

/*
 * Does sl_twins_pair look at rec at all?  Before the first unstamped copy,
 * only the layouts journalctl prints the kernel transport in are queued
 * (its copies may lead, by 131 records in a burst here): an audit.log,
 * kmsg or dmesg stream costs no call.  When false, rec has no twin
 * (SL_TWIN_NONE) and there is nothing to mark.
 */
static inline bool sl_twins_wanted(const struct sl_twins *t, const struct sl_record *rec)
{
	return !rec->has_stamp || t->active || rec->format == SL_FMT_SYSLOG ||
	       rec->format == SL_FMT_BARE;
}
void sl_twins_mark(struct sl_twins *t, enum sl_twin fate);
/* true: rec is the other transport's copy of a record fed before. */
bool sl_twins_seen(struct sl_twins *t, const struct sl_record *rec);
void sl_twins_free(struct sl_twins *t);

#endif
