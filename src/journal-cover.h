/* journal-cover.h - the journal's two transports, what one covers of the
 * other: which kernel-transport loss reports cost records, and which
 * copies are too far from their twins for the harvest's dedupe */
#ifndef SL_JOURNAL_COVER_H
#define SL_JOURNAL_COVER_H

#include <stdbool.h>
#include <stdint.h>

#include "record.h"

/*
 * journald holds a record from two transports: "audit" (the audit netlink
 * multicast group) and "kernel" (its copy of the printk line, rate-limited
 * by the kernel).  A loss report of the printk path (SL_LOSS_SUPPRESSED,
 * SL_LOSS_JOURNAL_KMSG) says kernel copies are missing: those between the
 * last kernel copy before it and the first one after it.  No record is
 * lost when the audit transport delivered records on both sides of that
 * gap: it reads one socket in order, and once journald stops reading it
 * (an overflow) it never starts again.  So such a report is held until
 * the first kernel copy after it and the audit transport's progress tell,
 * or until the input ends or a grace time passes: then it is a loss.
 * Other loss reports (audit_lost, rate and backlog limits: the kernel
 * dropped the record before any transport) pass at once.
 */
struct sl_jcover {
	/* the audit transport's first and newest serial read, in audit_boot */
	uint64_t audit_boot;
	uint32_t audit_min, audit_max;
	bool audit_seen;
	/* the kernel transport's last serial read, in kern_boot */
	uint64_t kern_boot;
	uint32_t kern_last;
	bool kern_seen;
	/* a report held, and one released to be returned */
	bool held;
	struct sl_record held_rec;
	uint64_t held_boot;
	uint32_t before;	/* the last kernel copy before it; 0: none read */
	uint32_t need;		/* the first kernel copy after it; 0: none yet */
	double since;		/* when it was held (the caller's clock) */
	bool ready;
	struct sl_record ready_rec;
};

/*
 * Feed each record and loss report read, in journal order: audit says it
 * came from the audit transport, boot names its boot (any number that
 * differs between boots), now is the caller's clock.  Returns true when
 * rec is to be returned now, false when it was held.
 */
bool sl_jcover_feed(struct sl_jcover *c, const struct sl_record *rec, bool audit, uint64_t boot,
		    double now);

/* Release a held report as a loss: at the end of the input (force), or
 * once it has waited grace since it was held. */
void sl_jcover_flush(struct sl_jcover *c, bool force, double now, double grace);

/* A released report into *rec: true once per report. */
bool sl_jcover_take(struct sl_jcover *c, struct sl_record *rec);

/*
 * The two copies of a record are usually a few hundred entries apart (the
 * audit socket's buffer, the kmsg ring), and the harvest's dedupe, which
 * looks back SL_DEDUPE_WINDOW records, counts the second as a duplicate.
 * A flooded journald falls behind on one transport: copies 15,000 records
 * apart were seen here.  The journal source drops such a second copy
 * itself: it remembers the serial of each transport's last SL_JTWIN_SLOTS
 * records (a serial is one record in its boot; both copies are made by
 * the kernel), and a copy whose twin is further back than SL_JTWIN_NEAR
 * records is not returned.
 */
#define SL_JTWIN_SLOTS 65536
#define SL_JTWIN_NEAR 2048

struct sl_jtwin_slot {
	uint32_t serial;
	uint64_t at;		/* the source's record count when seen, + 1 */
};

struct sl_jtwins {
	struct sl_jtwin_slot *tab[2];	/* [1]: audit, [0]: kernel */
	uint64_t boot[2];
	uint64_t n;		/* records seen */
};

/*
 * A SECCOMP record of one transport (audit or not) with its serial and
 * boot: true when it is the second copy of a record whose first copy came
 * more than SL_JTWIN_NEAR records before (to be dropped).
 */
bool sl_jtwins_far(struct sl_jtwins *t, bool audit, uint32_t serial, uint64_t boot);
void sl_jtwins_free(struct sl_jtwins *t);

#endif
