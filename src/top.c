/* top.c - heavy hitters in fixed memory (space-saving) */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "top.h"

static bool same(const struct sl_top_entry *e, const struct sl_record *rec, bool by_comm,
		 size_t len)
{
	if (!by_comm)
		return e->pid == rec->pid;
	return e->comm_len == len && !memcmp(e->comm, rec->comm, len);
}

static void set_comm(struct sl_top_entry *e, const struct sl_record *rec, size_t len)
{
	memcpy(e->comm, rec->comm, len);
	e->comm_len = len;
}

void sl_top_add(struct sl_top *t, const struct sl_record *rec, bool by_comm)
{
	size_t len = rec->comm_len < SL_TOP_COMM ? rec->comm_len : SL_TOP_COMM;
	struct sl_top_entry *e;
	size_t i, min = 0;

	if (!(rec->fields & (by_comm ? SL_F_COMM : SL_F_PID)))
		return;
	t->total++;
	if (t->n && same(&t->e[t->last], rec, by_comm, len)) {
		e = &t->e[t->last];
		goto hit;
	}
	for (i = 0; i < t->n; i++) {
		if (same(&t->e[i], rec, by_comm, len)) {
			e = &t->e[i];
			t->last = i;
			goto hit;
		}
		if (t->e[i].count < t->e[min].count)
			min = i;
	}
	if (t->n < SL_TOP_MAX) {
		min = t->n++;
		t->e[min].count = t->e[min].err = 0;
	} else {
		t->e[min].err = t->e[min].count;
	}
	e = &t->e[min];
	t->last = min;
	e->pid = by_comm ? -1 : rec->pid;
	e->comm_len = 0;
hit:
	e->count++;
	if (!by_comm && rec->fields & SL_F_COMM)
		set_comm(e, rec, len);
	else if (by_comm && !e->comm_len)
		set_comm(e, rec, len);
}

static int cmp_count(const void *a, const void *b)
{
	const struct sl_top_entry *x = *(const struct sl_top_entry *const *)a;
	const struct sl_top_entry *y = *(const struct sl_top_entry *const *)b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

size_t sl_top_sorted(const struct sl_top *t, const struct sl_top_entry **out, size_t max)
{
	const struct sl_top_entry *all[SL_TOP_MAX];
	size_t i;

	for (i = 0; i < t->n; i++)
		all[i] = &t->e[i];
	qsort(all, t->n, sizeof(all[0]), cmp_count);
	for (i = 0; i < t->n && i < max; i++)
		out[i] = all[i];
	return i;
}
