/* journal-cover.c - the journal's two transports: loss reports and twins */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "journal-cover.h"

static void release(struct sl_jcover *c)
{
	if (!c->held)
		return;
	/* one report is returned at a time: an older one still waiting to
	 * be taken absorbs the count of the next */
	if (c->ready)
		c->ready_rec.lost += c->held_rec.lost;
	else
		c->ready_rec = c->held_rec;
	c->ready = true;
	c->held = false;
}

static void cover(struct sl_jcover *c)
{
	if (c->held && c->need && c->before && c->audit_seen && c->audit_boot == c->held_boot &&
	    c->audit_min <= c->before && c->audit_max >= c->need)
		c->held = false;
}

static void hold(struct sl_jcover *c, const struct sl_record *rec, uint64_t boot, double now)
{
	if (c->held && (c->held_boot != boot || c->held_rec.loss != rec->loss))
		release(c);
	if (c->held) {
		/* no kernel copy since the one held: the same gap */
		c->held_rec.lost += rec->lost;
		return;
	}
	c->held = true;
	c->held_rec = *rec;
	c->held_boot = boot;
	c->before = c->kern_seen && c->kern_boot == boot ? c->kern_last : 0;
	c->need = 0;
	c->since = now;
}

bool sl_jcover_feed(struct sl_jcover *c, const struct sl_record *rec, bool audit, uint64_t boot,
		    double now)
{
	if (c->held && c->held_boot != boot)
		release(c);	/* its boot ended uncovered */
	if (rec->kind == SL_REC_LOSS) {
		if (!audit && (rec->loss == SL_LOSS_SUPPRESSED || rec->loss == SL_LOSS_JOURNAL_KMSG)) {
			hold(c, rec, boot, now);
			return false;
		}
		return true;
	}
	/* a copy someone wrote to /dev/kmsg says nothing of either transport */
	if (!rec->has_stamp || rec->origin != SL_ORIGIN_KERNEL)
		return true;
	if (audit) {
		if (!c->audit_seen || c->audit_boot != boot) {
			c->audit_min = c->audit_max = rec->serial;
			c->audit_boot = boot;
			c->audit_seen = true;
		}
		if (rec->serial > c->audit_max)
			c->audit_max = rec->serial;
		if (rec->serial < c->audit_min)
			c->audit_min = rec->serial;
	} else {
		if (c->held && !c->need)
			c->need = rec->serial;
		c->kern_last = rec->serial;
		c->kern_boot = boot;
		c->kern_seen = true;
	}
	cover(c);
	return true;
}

void sl_jcover_flush(struct sl_jcover *c, bool force, double now, double grace)
{
	if (c->held && (force || now - c->since >= grace))
		release(c);
}

bool sl_jcover_take(struct sl_jcover *c, struct sl_record *rec)
{
	if (!c->ready)
		return false;
	*rec = c->ready_rec;
	c->ready = false;
	return true;
}

bool sl_jtwins_far(struct sl_jtwins *t, bool audit, uint32_t serial, uint64_t boot)
{
	struct sl_jtwin_slot *mine, *other;
	size_t i = serial & (SL_JTWIN_SLOTS - 1);
	int k;
	bool far;

	for (k = 0; k < 2; k++) {
		if (!t->tab[k])
			t->tab[k] = sl_xcalloc(SL_JTWIN_SLOTS, sizeof(*t->tab[k]));
		if (t->boot[k] != boot) {
			/* serials start again with each boot */
			memset(t->tab[k], 0, SL_JTWIN_SLOTS * sizeof(*t->tab[k]));
			t->boot[k] = boot;
		}
	}
	t->n++;
	mine = &t->tab[audit][i];
	other = &t->tab[!audit][i];
	far = other->at && other->serial == serial && t->n - other->at > SL_JTWIN_NEAR;
	mine->serial = serial;
	mine->at = t->n;
	return far;
}

void sl_jtwins_free(struct sl_jtwins *t)
{
	free(t->tab[0]);
	free(t->tab[1]);
	memset(t, 0, sizeof(*t));
}
