/*
 * minimize.c - group testing over names.  State: the current set S (the
 * last that passed), a pool of undecided names, failing groups (dropping
 * the group from S fails: it holds a needed name), the names kept and
 * dropped.  Each round tests, from the same S, the first half of every
 * failing group and the pool cut into groups; the passes of a round are
 * verified together before S shrinks by all of them.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "minimize.h"

struct idx {
	size_t *v;
	size_t n;
};

enum task_kind { TASK_CHUNK, TASK_HALF };

struct task {
	enum task_kind kind;
	size_t group;		/* TASK_HALF: which failing group */
	struct idx drop;	/* TASK_CHUNK: owned; TASK_HALF: points into the group */
};

struct search {
	size_t n;
	bool *s;		/* the current set */
	bool *kept;		/* proven needed (or re-added) */
	struct idx pool;
	struct idx *groups;	/* failing groups; n == 0: settled */
	size_t ngroups;
	struct idx *steps;	/* drops accepted, oldest first (for repairs) */
	size_t nsteps;
	size_t ndropped, nkept;
	double prior_k, prior_n;	/* pseudo-counts of the needed-name density */
	const struct sl_min_oracle *oracle;
	struct sl_min_stats *st;
};

static void idx_push(struct idx *x, size_t i)
{
	x->v = sl_xrealloc(x->v, (x->n + 1) * sizeof(*x->v));
	x->v[x->n++] = i;
}

static int judge(struct search *s, bool **sets, size_t n, bool *pass, char **cause)
{
	s->st->trials += n;
	s->st->rounds++;
	return s->oracle->judge(s->oracle->ctx, (const bool *const *)sets, n, pass, cause);
}

/* S minus the names of drop, in out */
static void minus(const struct search *s, const struct idx *drop, bool *out)
{
	size_t i;

	memcpy(out, s->s, s->n * sizeof(*out));
	for (i = 0; i < drop->n; i++)
		out[drop->v[i]] = false;
}

/*
 * Hwang's group size for the pool: with d needed names expected among
 * n, groups of 2^floor(log2((n-d+1)/d)), or one by one when at least
 * about half are needed.  d comes from what was decided so far.
 */
static size_t group_size(const struct search *s)
{
	size_t n = s->pool.n, live = 0, i, g = 1;
	double p, d;

	for (i = 0; i < s->ngroups; i++)
		live += s->groups[i].n > 0;
	p = ((double)(s->nkept + live) + s->prior_k) /
	    ((double)(s->nkept + live + s->ndropped) + s->prior_n);
	d = (double)(size_t)(p * (double)n + 0.999);
	if (d < 1)
		d = 1;
	if (2 * d >= (double)n)
		return 1;
	/* the largest power of two not above (n - d + 1) / d */
	while ((double)(2 * g) <= ((double)n - d + 1) / d)
		g *= 2;
	return g;
}

static void drop_names(struct search *s, const struct idx *drop, struct idx *step)
{
	size_t i;

	for (i = 0; i < drop->n; i++) {
		s->s[drop->v[i]] = false;
		s->ndropped++;
		idx_push(step, drop->v[i]);
	}
}

/* S minus the drops of the passing tasks in pass[from, to) (ok or not) */
static void minus_tasks(const struct search *s, const struct task *t, const size_t *p,
			size_t from, size_t to, const bool *ok, size_t nt, bool *out)
{
	size_t i, j;

	memcpy(out, s->s, s->n * sizeof(*out));
	for (i = 0; i < nt; i++)
		if (ok[i])
			for (j = 0; j < t[i].drop.n; j++)
				out[t[i].drop.v[j]] = false;
	for (i = from; i < to; i++)
		for (j = 0; j < t[p[i]].drop.n; j++)
			out[t[p[i]].drop.v[j]] = false;
}

/*
 * Which passes of a round go together: all of them when their union
 * passes; else the longest prefix that passes (bisected: the union only
 * fails more as it grows), the pass after it left out (it conflicts),
 * and the same again for the rest.  Sets ok[] per task.
 */
static int combine(struct search *s, const struct task *t, const bool *pass, size_t nt,
		   bool *ok, bool *set, char **cause)
{
	size_t *p = sl_xmalloc(nt * sizeof(*p)), np = 0, i = 0, lo, hi, mid;
	bool res;
	int rc = 0;

	for (lo = 0; lo < nt; lo++)
		if (pass[lo])
			p[np++] = lo;
	while (i < np) {
		minus_tasks(s, t, p, i, np, ok, nt, set);
		if ((rc = judge(s, &set, 1, &res, cause)))
			break;
		if (res) {
			for (; i < np; i++)
				ok[p[i]] = true;
			break;
		}
		/* the first alone passed from S: known when nothing was taken yet */
		lo = i == 0 ? 1 : i;
		hi = np;
		while (hi - lo > 1) {
			mid = lo + (hi - lo) / 2;
			minus_tasks(s, t, p, i, mid, ok, nt, set);
			if ((rc = judge(s, &set, 1, &res, cause)))
				goto out;
			if (res)
				lo = mid;
			else
				hi = mid;
		}
		for (; i < lo; i++)
			ok[p[i]] = true;
		i = lo + 1;	/* p[lo] conflicts with what was taken: it waits */
	}
out:
	free(p);
	return rc;
}

/* One round: returns 0, 1 when there was nothing left to test, or -errno. */
static int round_once(struct search *s, struct idx *first, char **cause)
{
	struct task *t = NULL;
	bool **sets, *pass, *ok;
	struct idx step = { 0 };
	size_t nt = 0, i, j, g, npass = 0, first_pass = 0;
	int rc = 0;

	/* a failing group of one: that name is needed */
	for (i = 0; i < s->ngroups; i++)
		if (s->groups[i].n == 1) {
			s->kept[s->groups[i].v[0]] = true;
			s->nkept++;
			s->groups[i].n = 0;
		}
	for (i = 0; i < s->ngroups; i++)
		if (s->groups[i].n) {
			t = sl_xrealloc(t, (nt + 1) * sizeof(*t));
			t[nt++] = (struct task){ .kind = TASK_HALF, .group = i,
				.drop = { s->groups[i].v, s->groups[i].n / 2 } };
		}
	if (first && first->n) {
		t = sl_xrealloc(t, (nt + 1) * sizeof(*t));
		t[nt++] = (struct task){ .kind = TASK_CHUNK, .drop = *first };
		*first = (struct idx){ 0 };
	}
	g = group_size(s);
	for (i = 0; i < s->pool.n; i += g) {
		struct idx c = { sl_xmalloc(g * sizeof(size_t)), 0 };

		for (j = i; j < s->pool.n && j < i + g; j++)
			c.v[c.n++] = s->pool.v[j];
		t = sl_xrealloc(t, (nt + 1) * sizeof(*t));
		t[nt++] = (struct task){ .kind = TASK_CHUNK, .drop = c };
	}
	s->pool.n = 0;
	if (!nt)
		return 1;

	sets = sl_xcalloc(nt + 1, sizeof(*sets));
	pass = sl_xcalloc(nt + 1, sizeof(*pass));
	ok = sl_xcalloc(nt + 1, sizeof(*ok));
	for (i = 0; i < nt; i++) {
		sets[i] = sl_xmalloc(s->n * sizeof(bool) + 1);
		minus(s, &t[i].drop, sets[i]);
	}
	rc = judge(s, sets, nt, pass, cause);
	if (rc)
		goto out;
	for (i = 0; i < nt; i++)
		if (pass[i]) {
			if (!npass++)
				first_pass = i;
		}
	/* passes alone need not pass together (either of two names may do) */
	if (npass >= 2)
		rc = combine(s, t, pass, nt, ok, sets[0], cause);
	else if (npass)
		ok[first_pass] = true;
	if (rc)
		goto out;

	for (i = 0; i < nt; i++) {
		struct idx *grp = t[i].kind == TASK_HALF ? &s->groups[t[i].group] : NULL;

		if (ok[i])
			drop_names(s, &t[i].drop, &step);
		if (t[i].kind == TASK_CHUNK) {
			if (!pass[i]) {
				s->groups = sl_xrealloc(s->groups,
							(s->ngroups + 1) * sizeof(*s->groups));
				s->groups[s->ngroups++] = t[i].drop;
				t[i].drop.v = NULL;
			} else if (!ok[i]) {
				for (j = 0; j < t[i].drop.n; j++)
					idx_push(&s->pool, t[i].drop.v[j]);
			}
			free(t[i].drop.v);
			continue;
		}
		if (ok[i]) {
			/* the needed name is in the second half */
			size_t h = grp->n / 2;

			memmove(grp->v, grp->v + h, (grp->n - h) * sizeof(size_t));
			grp->n -= h;
		} else if (!pass[i]) {
			/* in the first half; the second goes back to the pool */
			size_t h = grp->n / 2;

			for (j = h; j < grp->n; j++)
				idx_push(&s->pool, grp->v[j]);
			grp->n = h;
		}
	}
	if (step.n) {
		s->steps = sl_xrealloc(s->steps, (s->nsteps + 1) * sizeof(*s->steps));
		s->steps[s->nsteps++] = step;
		step = (struct idx){ 0 };
	}
out:
	/* on success each chunk went to the groups, the pool or was freed */
	for (i = 0; rc && i < nt; i++)
		if (t[i].kind == TASK_CHUNK)
			free(t[i].drop.v);
	for (i = 0; i < nt; i++)
		free(sets[i]);
	free(sets);
	free(pass);
	free(ok);
	free(t);
	free(step.v);
	return rc;
}

/*
 * The result once more.  A failure means a set that passed now fails: the
 * workload is flaky.  keep_going: re-add the latest drops until it passes.
 */
static int verify(struct search *s, bool keep_going, unsigned int times, char **cause)
{
	size_t n = times ? times : 1, i;
	bool **sets = sl_xmalloc(n * sizeof(*sets)), *pass = sl_xcalloc(n, sizeof(bool)), all;
	int rc;

	for (i = 0; i < n; i++)
		sets[i] = s->s;
	for (rc = 0; s->nsteps; ) {	/* none: the full set, the caller's baseline */
		rc = judge(s, sets, n, pass, cause);
		for (i = 0, all = true; i < n; i++)
			all &= pass[i];
		if (rc || all)
			break;
		s->st->flaky = true;
		if (!keep_going) {
			for (i = 0; i < s->n; i++)
				s->s[i] = true;
			rc = sl_fail(cause, -EAGAIN, "a set of names that passed before failed "
				     "when run again: the workload is flaky");
			break;
		}
		/* undo the newest drop, keeping its names for good */
		s->nsteps--;
		for (i = 0; i < s->steps[s->nsteps].n; i++) {
			size_t k = s->steps[s->nsteps].v[i];

			s->s[k] = true;
			s->kept[k] = true;
			s->st->readded++;
		}
		free(s->steps[s->nsteps].v);
	}
	free(sets);
	free(pass);
	return rc;
}

int sl_minimize(size_t n, const struct sl_min_opts *o, const struct sl_min_oracle *oracle,
		bool *keep, struct sl_min_stats *st, char **cause)
{
	struct search s = { .n = n, .oracle = oracle, .st = st };
	struct idx first = { 0 };
	size_t i;
	int rc = 0;

	memset(st, 0, sizeof(*st));
	s.s = sl_xmalloc(n * sizeof(bool) + 1);
	s.kept = sl_xcalloc(n + 1, sizeof(bool));
	for (i = 0; i < n; i++) {
		s.s[i] = true;
		if (o->called && !o->called[i])
			idx_push(&first, i);
		else
			idx_push(&s.pool, i);
	}
	/* what a program calls it mostly needs; a profile mostly holds more */
	s.prior_k = o->called ? 3 : 1;
	s.prior_n = o->called ? 4 : 10;
	while (!rc)
		rc = round_once(&s, &first, cause);
	if (rc == 1)
		rc = verify(&s, o->keep_going, o->verify, cause);
	if (rc && rc != -EAGAIN)
		for (i = 0; i < n; i++)
			s.s[i] = true;
	memcpy(keep, s.s, n * sizeof(bool));
	for (i = 0; i < s.ngroups; i++)
		free(s.groups[i].v);
	for (i = 0; i < s.nsteps; i++)
		free(s.steps[i].v);
	free(s.groups);
	free(s.steps);
	free(s.pool.v);
	free(first.v);
	free(s.s);
	free(s.kept);
	return rc;
}
