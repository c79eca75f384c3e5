/*
 * boot-clock.h - placing lines stamped only with an uptime ("[ 1958.78]",
 * kmsg's microseconds) in wall time, from the source's own lines
 */
#ifndef SL_BOOT_CLOCK_H
#define SL_BOOT_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

/*
 * A loss report waits for its boot's first pair this long at most; more
 * are given out unplaced at once (they then count: see harvest.c).
 */
#define SL_BOOT_HOLD 64

struct sl_boot_loss {
	double uptime;
	uint64_t lost;
	enum sl_loss loss;
	enum sl_format format;
	enum sl_origin origin;
	bool placed;
	int64_t sec;
	uint32_t msec;
};

/*
 * Per source.  A line that carries both an uptime and an audit(SEC.MS:N)
 * stamp (a "pair") gives the wall time at which the uptime was zero:
 * the offset of that boot.  An uptime that goes backwards starts a new
 * boot, whose offset is unknown until its own first pair.
 */
struct sl_boot_clock {
	bool has_offset;
	double offset;		/* wall time - uptime, from the latest pair */
	double last_uptime;	/* highest uptime of this boot; < 0: none yet */
	unsigned int boot;	/* 0: the source's first boot */
	/* offset to fall back on for the last boot: the running boot's start,
	 * for /dev/kmsg only (a file may come from any boot); 0: none */
	double fallback;
	/* the source's first line, when it gave an uptime only */
	double first_uptime;	/* < 0: none */
	double first_time;	/* its wall time once placed; < 0: not yet */

	struct sl_boot_loss held[SL_BOOT_HOLD];	/* waiting for a pair */
	size_t nheld;
	struct sl_boot_loss out[SL_BOOT_HOLD];	/* decided, to hand out */
	size_t nout, outpos;
	uint64_t unplaced;	/* loss reports given out without a time */
};

void sl_boot_clock_init(struct sl_boot_clock *c);

/* The source is the running boot's ring: fall back on /proc/stat's btime. */
void sl_boot_clock_this_boot(struct sl_boot_clock *c);

/* The source's first line carries this uptime (and no wall time). */
void sl_boot_clock_first(struct sl_boot_clock *c, double uptime);

/*
 * Learn from a parsed line and place it: a loss report with an uptime but
 * no time gets sec/msec/has_time when its boot's offset is known.  Returns
 * false when the report is held back (do not hand it out now).
 */
bool sl_boot_clock_feed(struct sl_boot_clock *c, struct sl_record *rec);

/* The source has ended: decide whatever is still held. */
void sl_boot_clock_end(struct sl_boot_clock *c);

/* Fill rec with the next decided loss report; false when there is none. */
bool sl_boot_clock_take(struct sl_boot_clock *c, struct sl_record *rec);

/* When the running boot began, from /proc/stat; 0 if unknown. */
double sl_boot_time(void);

#endif
