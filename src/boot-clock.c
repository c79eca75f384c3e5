/*
 * boot-clock.c - placing uptime stamps in wall time from the source itself.
 * The reading machine's boot time says nothing about a file from another
 * boot (or another machine); the file's own lines that carry both an
 * uptime and an audit() stamp do.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "boot-clock.h"

/*
 * Lines of one boot are in order but for the interleaving of CPUs (a few
 * microseconds); an uptime further back than this is a new boot.
 */
#define BACKSTEP 1.0

void sl_boot_clock_init(struct sl_boot_clock *c)
{
	memset(c, 0, sizeof(*c));
	c->last_uptime = -1;
	c->first_uptime = -1;
	c->first_time = -1;
}

double sl_boot_time(void)
{
	FILE *f = fopen("/proc/stat", "r");
	char line[256];
	double t = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "btime %lf", &t) == 1)
			break;
	fclose(f);
	return t;
}

void sl_boot_clock_this_boot(struct sl_boot_clock *c)
{
	c->fallback = sl_boot_time();
}

static void place(double t, int64_t *sec, uint32_t *msec)
{
	/* wall times are positive: truncation is the floor */
	*sec = t > 0 ? (int64_t)t : 0;
	*msec = t > 0 ? (uint32_t)((t - (double)*sec) * 1000) : 0;
	if (*msec > 999)
		*msec = 999;
}

/* Hand out what is held: placed with offset, or unplaced when !has. */
static void release(struct sl_boot_clock *c, bool has, double offset)
{
	size_t i;

	for (i = 0; i < c->nheld; i++) {
		struct sl_boot_loss *l = &c->out[c->nout++];

		*l = c->held[i];
		l->placed = has;
		if (has)
			place(offset + l->uptime, &l->sec, &l->msec);
		else
			c->unplaced++;
	}
	c->nheld = 0;
}

static void new_offset(struct sl_boot_clock *c, double offset)
{
	c->offset = offset;
	if (!c->has_offset && c->boot == 0 && c->first_uptime >= 0 && c->first_time < 0)
		c->first_time = offset + c->first_uptime;
	c->has_offset = true;
	release(c, true, offset);
}

static void see_uptime(struct sl_boot_clock *c, double uptime)
{
	if (c->last_uptime >= 0 && uptime < c->last_uptime - BACKSTEP) {
		/* a new boot: what waited for the old one's pair never gets it */
		release(c, false, 0);
		c->boot++;
		c->has_offset = false;
		c->last_uptime = uptime;
		return;
	}
	if (uptime > c->last_uptime)
		c->last_uptime = uptime;
}

void sl_boot_clock_first(struct sl_boot_clock *c, double uptime)
{
	c->first_uptime = uptime;
	see_uptime(c, uptime);
}

bool sl_boot_clock_feed(struct sl_boot_clock *c, struct sl_record *rec)
{
	struct sl_boot_loss *l;

	if (rec->uptime < 0)
		return true;
	see_uptime(c, rec->uptime);
	if (rec->kind == SL_REC_SECCOMP) {
		/* the latest pair: a suspend moves the offset on, so keep up;
		 * syslog text, which anyone can write, must not move a
		 * report out of the span */
		if (rec->has_stamp && rec->origin != SL_ORIGIN_TEXT)
			new_offset(c, (double)rec->sec + rec->msec / 1e3 - rec->uptime);
		return true;
	}
	if (rec->kind != SL_REC_LOSS || rec->has_time)
		return true;
	if (c->has_offset) {
		place(c->offset + rec->uptime, &rec->sec, &rec->msec);
		rec->has_time = true;
		return true;
	}
	if (c->nheld == SL_BOOT_HOLD) {
		c->unplaced++;
		return true;	/* no time: it counts */
	}
	l = &c->held[c->nheld++];
	l->uptime = rec->uptime;
	l->lost = rec->lost;
	l->loss = rec->loss;
	l->format = rec->format;
	l->origin = rec->origin;
	return false;
}

void sl_boot_clock_end(struct sl_boot_clock *c)
{
	if (c->has_offset || !c->fallback) {
		release(c, c->has_offset, c->offset);
		return;
	}
	/* the running boot's ring with no pair: /proc/stat knows its start */
	if (c->boot == 0 && c->first_uptime >= 0 && c->first_time < 0)
		c->first_time = c->fallback + c->first_uptime;
	release(c, true, c->fallback);
}

bool sl_boot_clock_take(struct sl_boot_clock *c, struct sl_record *rec)
{
	const struct sl_boot_loss *l;

	if (c->outpos == c->nout) {
		c->outpos = c->nout = 0;
		return false;
	}
	l = &c->out[c->outpos++];
	/* rec last held another record: none of its fields may stay */
	sl_record_clear(rec);
	rec->kind = SL_REC_LOSS;
	rec->loss = l->loss;
	rec->lost = l->lost;
	rec->uptime = l->uptime;
	rec->format = l->format;
	rec->origin = l->origin;
	rec->has_time = l->placed;
	if (l->placed) {
		rec->sec = l->sec;
		rec->msec = l->msec;
	}
	return true;
}
