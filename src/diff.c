/* diff.c - unified diff of two texts, as `diff -u` prints it */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "error.h"

/*
 * The edit script is Myers' O((N+M)D) algorithm in its linear-space form
 * (bisect on the middle snake, then recurse), arranged the way GNU diff
 * arranges it so that `--dry-run` shows exactly what `diff -u` would: the same
 * identical head and tail trimmed off first, the same lines with no match
 * discarded up front, the same tie-breaking in the search, the same cut-off
 * for hopeless searches, and the same sliding of changes along runs of equal
 * lines before hunks are formed. Where these steps look arbitrary, that is
 * because they have to agree with diff, not because they are needed.
 */

#define CONTEXT 3

struct side {
	char *buf;		/* the text, plus a '\n' when it lacked one */
	size_t n;		/* bytes in buf */
	bool missing_nl;	/* the text's last line has no '\n' */
	ptrdiff_t nlines;
	size_t *start;		/* offset of each line; start[nlines] == n */

	ptrdiff_t lo, cnt;	/* lines [lo, lo + cnt) are compared */
	ptrdiff_t *equiv;	/* equivalence class of each compared line */
	bool *changed;		/* per compared line; [-1] and [cnt] are false */
	ptrdiff_t *undisc;	/* classes of the lines left after discarding */
	ptrdiff_t *realidx;	/* and their indexes among the compared lines */
	ptrdiff_t nundisc;
};

struct change {
	ptrdiff_t line0, line1;	/* first line of each text (0-based) */
	ptrdiff_t del, ins;
};

struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_put(struct sbuf *b, const char *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = b->cap ? b->cap : 256;
		while (b->len + n + 1 > b->cap)
			b->cap *= 2;
		b->s = sl_xrealloc(b->s, b->cap);
	}
	if (n)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_puts(struct sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

static void side_init(struct side *s, const char *text, size_t len)
{
	ptrdiff_t i;
	size_t k;

	memset(s, 0, sizeof(*s));
	s->buf = sl_xmalloc(len + 1);
	if (len)
		memcpy(s->buf, text, len);
	s->n = len;
	/* diff completes the last line for its byte-level scans */
	if (len && text[len - 1] != '\n') {
		s->buf[s->n++] = '\n';
		s->missing_nl = true;
	}
	for (k = 0; k < s->n; k++)
		s->nlines += s->buf[k] == '\n';
	s->start = sl_xmalloc((size_t)(s->nlines + 1) * sizeof(*s->start));
	s->start[0] = 0;
	for (i = 0, k = 0; k < s->n; k++)
		if (s->buf[k] == '\n')
			s->start[++i] = k + 1;
}

static void side_free(struct side *s)
{
	free(s->buf);
	free(s->start);
	free(s->equiv);
	free(s->undisc);
	free(s->realidx);
}

/* Length of line i, with its '\n' if it really has one. */
static size_t line_len(const struct side *s, ptrdiff_t i)
{
	return s->start[i + 1] - s->start[i] - (s->missing_nl && i == s->nlines - 1);
}

static ptrdiff_t count_nl(const char *p, size_t n)
{
	const char *end = p + n;
	ptrdiff_t c = 0;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
		c++;
		p++;
	}
	return c;
}

/*
 * Trim the identical head and tail as diff does, on bytes, keeping CONTEXT
 * lines of each in the compared part: that is how far diff lets changes
 * slide, so trimming less or more would place some changes differently.
 */
static void trim_ends(struct side *a, struct side *b)
{
	const char *b0 = a->buf, *b1 = b->buf;
	size_t n0 = a->n, n1 = b->n, m = n0 < n1 ? n0 : n1;
	size_t k = 0, p0 = n0, p1 = n1, beg0;
	int hor = CONTEXT, i;

	while (k < m && b0[k] == b1[k])
		k++;
	/* the '\n' added to a side that lacked one must not count as shared */
	if ((n0 - a->missing_nl < k) != (n1 - b->missing_nl < k))
		k--;
	while (k && (b0[k - 1] != '\n' || hor--))
		k--;

	if (a->missing_nl == b->missing_nl) {
		beg0 = k + (n0 < n1 ? 0 : n0 - n1);
		while (p0 != beg0) {
			if (b0[--p0] != b1[--p1]) {
				beg0 = ++p0;
				++p1;
				break;
			}
		}
		i = CONTEXT + !((p0 == 0 || b0[p0 - 1] == '\n') &&
				(p1 == 0 || b1[p1 - 1] == '\n'));
		while (i-- && p0 != n0)
			while (b0[p0++] != '\n')
				continue;
		p1 += p0 - beg0;
	}

	a->lo = b->lo = count_nl(b0, k);
	a->cnt = count_nl(b0, p0) - a->lo;
	b->cnt = count_nl(b1, p1) - b->lo;
}

struct eqclass {
	const char *p;
	size_t len;
	size_t hash;
};

static size_t hash_line(const char *p, size_t n)
{
	size_t h = 14695981039346656037ULL & SIZE_MAX;

	while (n--)
		h = (h ^ (unsigned char)*p++) * (size_t)1099511628211ULL;
	return h;
}

/* Number the compared lines of both sides so that equal lines share a class. */
static ptrdiff_t classify(struct side *sides)
{
	size_t total = (size_t)(sides[0].cnt + sides[1].cnt), nslots = 16, mask;
	struct eqclass *cls = sl_xmalloc((total + 1) * sizeof(*cls));
	ptrdiff_t *slots, next = 1, i, f;

	while (nslots < 2 * total)
		nslots *= 2;
	mask = nslots - 1;
	slots = sl_xcalloc(nslots, sizeof(*slots));
	for (f = 0; f < 2; f++) {
		struct side *s = &sides[f];

		s->equiv = sl_xmalloc((size_t)(s->cnt + 1) * sizeof(*s->equiv));
		for (i = 0; i < s->cnt; i++) {
			const char *p = s->buf + s->start[s->lo + i];
			size_t len = line_len(s, s->lo + i), h = hash_line(p, len);
			size_t at = h & mask;
			ptrdiff_t c;

			while ((c = slots[at])) {
				if (cls[c].hash == h && cls[c].len == len &&
				    !memcmp(cls[c].p, p, len))
					break;
				at = (at + 1) & mask;
			}
			if (!c) {
				c = slots[at] = next++;
				cls[c] = (struct eqclass){ p, len, h };
			}
			s->equiv[i] = c;
		}
	}
	free(slots);
	free(cls);
	return next;
}

/*
 * Lines with no match on the other side are changes for certain: take them
 * out of the search, which is then cheaper. Lines matching very many lines
 * go too, but only inside a run of such certain changes.
 */
static void discard_confusing(struct side *sides, ptrdiff_t nclasses)
{
	ptrdiff_t *counts[2], i, j, f;
	char *discards[2];

	counts[0] = sl_xcalloc((size_t)nclasses * 2, sizeof(**counts));
	counts[1] = counts[0] + nclasses;
	for (f = 0; f < 2; f++)
		for (i = 0; i < sides[f].cnt; i++)
			counts[f][sides[f].equiv[i]]++;

	discards[0] = sl_xcalloc((size_t)(sides[0].cnt + sides[1].cnt), 1);
	discards[1] = discards[0] + sides[0].cnt;

	/* 1: no match at all; 2: more than about 5 * sqrt(lines / 64) matches */
	for (f = 0; f < 2; f++) {
		ptrdiff_t end = sides[f].cnt, many = 5, tem = end / 64;

		while ((tem >>= 2) > 0)
			many *= 2;
		for (i = 0; i < end; i++) {
			ptrdiff_t nmatch = counts[1 - f][sides[f].equiv[i]];

			if (nmatch == 0)
				discards[f][i] = 1;
			else if (nmatch > many)
				discards[f][i] = 2;
		}
	}

	for (f = 0; f < 2; f++) {
		ptrdiff_t end = sides[f].cnt;
		char *d = discards[f];

		for (i = 0; i < end; i++) {
			ptrdiff_t prov = 0, len, consec, minimum, tem;

			if (d[i] == 2)
				d[i] = 0;
			if (d[i] == 0)
				continue;

			/* a run of discardable lines, trimmed to end on certain ones */
			for (j = i; j < end && d[j]; j++)
				prov += d[j] == 2;
			while (j > i && d[j - 1] == 2) {
				d[--j] = 0;
				prov--;
			}
			len = j - i;

			if (prov * 4 > len) {
				while (j > i)
					if (d[--j] == 2)
						d[j] = 0;
				continue;
			}

			/* keep long subruns of provisional lines (>= sqrt(len/4)) */
			minimum = 1;
			tem = len >> 2;
			while ((tem >>= 2) > 0)
				minimum <<= 1;
			minimum++;
			for (j = 0, consec = 0; j < len; j++) {
				if (d[i + j] != 2)
					consec = 0;
				else if (minimum == ++consec)
					j -= consec;	/* back up and cancel it all */
				else if (minimum < consec)
					d[i + j] = 0;
			}

			/*
			 * Keep provisional lines at either end of the run until
			 * three certain lines in a row, or a certain one 8 in.
			 */
			for (j = 0, consec = 0; j < len; j++) {
				if (j >= 8 && d[i + j] == 1)
					break;
				if (d[i + j] == 2) {
					consec = 0;
					d[i + j] = 0;
				} else if (d[i + j] == 0) {
					consec = 0;
				} else {
					consec++;
				}
				if (consec == 3)
					break;
			}
			i += len - 1;
			for (j = 0, consec = 0; j < len; j++) {
				if (j >= 8 && d[i - j] == 1)
					break;
				if (d[i - j] == 2) {
					consec = 0;
					d[i - j] = 0;
				} else if (d[i - j] == 0) {
					consec = 0;
				} else {
					consec++;
				}
				if (consec == 3)
					break;
			}
		}
	}

	for (f = 0; f < 2; f++) {
		struct side *s = &sides[f];

		s->undisc = sl_xmalloc((size_t)(s->cnt + 1) * sizeof(*s->undisc));
		s->realidx = sl_xmalloc((size_t)(s->cnt + 1) * sizeof(*s->realidx));
		for (i = 0, j = 0; i < s->cnt; i++) {
			if (discards[f][i]) {
				s->changed[i] = true;
				continue;
			}
			s->undisc[j] = s->equiv[i];
			s->realidx[j++] = i;
		}
		s->nundisc = j;
	}
	free(discards[0]);
	free(counts[0]);
}

struct search {
	const ptrdiff_t *xv, *yv;
	ptrdiff_t *fd, *bd;	/* furthest x reached on each diagonal */
	ptrdiff_t too_expensive;
	struct side *sides;
};

struct part {
	ptrdiff_t xmid, ymid;
	bool lo_minimal, hi_minimal;
};

/*
 * Find the middle snake of the shortest edit script between xv[xoff, xlim)
 * and yv[yoff, ylim), whose first and last elements differ, searching from
 * both ends at once. Past too_expensive steps give up on optimality (unless
 * minimal) and split at whichever search got further.
 */
static void middle_snake(struct search *s, ptrdiff_t xoff, ptrdiff_t xlim,
			 ptrdiff_t yoff, ptrdiff_t ylim, bool minimal,
			 struct part *part)
{
	ptrdiff_t *fd = s->fd, *bd = s->bd;
	const ptrdiff_t *xv = s->xv, *yv = s->yv;
	const ptrdiff_t dmin = xoff - ylim, dmax = xlim - yoff;
	const ptrdiff_t fmid = xoff - yoff, bmid = xlim - ylim;
	ptrdiff_t fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
	bool odd = (fmid - bmid) & 1;
	ptrdiff_t c, d, x, y;

	fd[fmid] = xoff;
	bd[bmid] = xlim;
	for (c = 1;; c++) {
		if (fmin > dmin)
			fd[--fmin - 1] = -1;
		else
			fmin++;
		if (fmax < dmax)
			fd[++fmax + 1] = -1;
		else
			fmax--;
		for (d = fmax; d >= fmin; d -= 2) {
			ptrdiff_t tlo = fd[d - 1], thi = fd[d + 1];

			x = tlo < thi ? thi : tlo + 1;
			for (y = x - d; x < xlim && y < ylim && xv[x] == yv[y]; x++, y++)
				continue;
			fd[d] = x;
			if (odd && bmin <= d && d <= bmax && bd[d] <= x) {
				*part = (struct part){ x, y, true, true };
				return;
			}
		}

		if (bmin > dmin)
			bd[--bmin - 1] = PTRDIFF_MAX;
		else
			bmin++;
		if (bmax < dmax)
			bd[++bmax + 1] = PTRDIFF_MAX;
		else
			bmax--;
		for (d = bmax; d >= bmin; d -= 2) {
			ptrdiff_t tlo = bd[d - 1], thi = bd[d + 1];

			x = tlo < thi ? tlo : thi - 1;
			for (y = x - d; xoff < x && yoff < y && xv[x - 1] == yv[y - 1]; x--, y--)
				continue;
			bd[d] = x;
			if (!odd && fmin <= d && d <= fmax && x <= fd[d]) {
				*part = (struct part){ x, y, true, true };
				return;
			}
		}

		if (minimal || c < s->too_expensive)
			continue;

		/* best forward point by x + y, best backward one likewise */
		{
			ptrdiff_t fxy = -1, fx = 0, bxy = PTRDIFF_MAX, bx = 0;

			for (d = fmax; d >= fmin; d -= 2) {
				x = fd[d] < xlim ? fd[d] : xlim;
				y = x - d;
				if (ylim < y) {
					x = ylim + d;
					y = ylim;
				}
				if (fxy < x + y) {
					fxy = x + y;
					fx = x;
				}
			}
			for (d = bmax; d >= bmin; d -= 2) {
				x = bd[d] > xoff ? bd[d] : xoff;
				y = x - d;
				if (y < yoff) {
					x = yoff + d;
					y = yoff;
				}
				if (x + y < bxy) {
					bxy = x + y;
					bx = x;
				}
			}
			if ((xlim + ylim) - bxy < fxy - (xoff + yoff))
				*part = (struct part){ fx, fxy - fx, true, false };
			else
				*part = (struct part){ bx, bxy - bx, false, true };
			return;
		}
	}
}

static void compare(struct search *s, ptrdiff_t xoff, ptrdiff_t xlim,
		    ptrdiff_t yoff, ptrdiff_t ylim, bool minimal)
{
	const ptrdiff_t *xv = s->xv, *yv = s->yv;
	struct side *a = &s->sides[0], *b = &s->sides[1];
	struct part part;

	/* the second half is a loop, so depth only grows with the first */
	for (;;) {
		while (xoff < xlim && yoff < ylim && xv[xoff] == yv[yoff]) {
			xoff++;
			yoff++;
		}
		while (xoff < xlim && yoff < ylim && xv[xlim - 1] == yv[ylim - 1]) {
			xlim--;
			ylim--;
		}
		if (xoff == xlim) {
			while (yoff < ylim)
				b->changed[b->realidx[yoff++]] = true;
			return;
		}
		if (yoff == ylim) {
			while (xoff < xlim)
				a->changed[a->realidx[xoff++]] = true;
			return;
		}
		middle_snake(s, xoff, xlim, yoff, ylim, minimal, &part);
		compare(s, xoff, part.xmid, yoff, part.ymid, part.lo_minimal);
		xoff = part.xmid;
		yoff = part.ymid;
		minimal = part.hi_minimal;
	}
}

/*
 * Among runs of equal lines a change can sit in several places. Slide each
 * one to merge with its neighbours where possible, else as far down as it
 * goes, else back to line up with a change on the other side.
 */
static void shift_boundaries(struct side *sides)
{
	int f;

	for (f = 0; f < 2; f++) {
		bool *changed = sides[f].changed;
		const bool *other = sides[1 - f].changed;
		const ptrdiff_t *eq = sides[f].equiv;
		ptrdiff_t i = 0, j = 0, end = sides[f].cnt;
		ptrdiff_t runlength, start, corresponding;

		for (;;) {
			while (i < end && !changed[i]) {
				while (other[j++])
					continue;
				i++;
			}
			if (i == end)
				break;
			start = i;
			while (changed[++i])
				continue;
			while (other[j])
				j++;

			do {
				runlength = i - start;
				while (start && eq[start - 1] == eq[i - 1]) {
					changed[--start] = true;
					changed[--i] = false;
					while (changed[start - 1])
						start--;
					while (other[--j])
						continue;
				}
				corresponding = other[j - 1] ? i : end;
				while (i != end && eq[start] == eq[i]) {
					changed[start++] = false;
					changed[i++] = true;
					while (changed[i])
						i++;
					while (other[++j])
						corresponding = i;
				}
			} while (runlength != i - start);

			while (corresponding < i) {
				changed[--start] = true;
				changed[--i] = false;
				while (other[--j])
					continue;
			}
		}
	}
}

static struct change *build_script(const struct side *sides, size_t *n)
{
	const bool *c0 = sides[0].changed, *c1 = sides[1].changed;
	ptrdiff_t i0 = 0, i1 = 0, l0, l1;
	struct change *v = NULL;

	*n = 0;
	while (i0 < sides[0].cnt || i1 < sides[1].cnt) {
		if (c0[i0] || c1[i1]) {
			l0 = i0;
			l1 = i1;
			while (c0[i0])
				i0++;
			while (c1[i1])
				i1++;
			v = sl_xrealloc(v, (*n + 1) * sizeof(*v));
			v[(*n)++] = (struct change){ sides[0].lo + l0, sides[1].lo + l1,
						     i0 - l0, i1 - l1 };
		}
		i0++;
		i1++;
	}
	return v;
}

static void put_line(struct sbuf *out, char mark, const struct side *s, ptrdiff_t i)
{
	size_t len = line_len(s, i);

	sb_put(out, &mark, 1);
	sb_put(out, s->buf + s->start[i], len);
	if (s->missing_nl && i == s->nlines - 1)
		sb_puts(out, "\n\\ No newline at end of file\n");
}

/* diff's convention: an empty range names the line before it, "N,0" */
static void put_range(struct sbuf *out, ptrdiff_t first, ptrdiff_t last)
{
	char num[64];
	ptrdiff_t a = first + 1, b = last + 1;

	if (b < a)
		snprintf(num, sizeof(num), "%td,0", b);
	else if (b == a)
		snprintf(num, sizeof(num), "%td", a);
	else
		snprintf(num, sizeof(num), "%td,%td", a, b - a + 1);
	sb_puts(out, num);
}

/* Print changes v[0..n) as one hunk. */
static void put_hunk(struct sbuf *out, const struct side *sides,
		     const struct change *v, size_t n)
{
	const struct side *a = &sides[0], *b = &sides[1];
	ptrdiff_t first0, last0, first1, last1, i, j, k;
	size_t next = 0;

	first0 = v[0].line0 - CONTEXT;
	first1 = v[0].line1 - CONTEXT;
	first0 = first0 > 0 ? first0 : 0;
	first1 = first1 > 0 ? first1 : 0;
	last0 = v[n - 1].line0 + v[n - 1].del - 1 + CONTEXT;
	last1 = v[n - 1].line1 + v[n - 1].ins - 1 + CONTEXT;
	last0 = last0 < a->nlines ? last0 : a->nlines - 1;
	last1 = last1 < b->nlines ? last1 : b->nlines - 1;

	sb_puts(out, "@@ -");
	put_range(out, first0, last0);
	sb_puts(out, " +");
	put_range(out, first1, last1);
	sb_puts(out, " @@\n");

	i = first0;
	j = first1;
	while (i <= last0 || j <= last1) {
		if (next == n || i < v[next].line0) {
			put_line(out, ' ', a, i++);
			j++;
			continue;
		}
		for (k = 0; k < v[next].del; k++)
			put_line(out, '-', a, i++);
		for (k = 0; k < v[next].ins; k++)
			put_line(out, '+', b, j++);
		next++;
	}
}

char *sl_diff_unified_len(const char *old, size_t olen, const char *new, size_t nlen,
			  const char *label_old, const char *label_new, size_t *outlen)
{
	struct side sides[2];
	struct search s = { 0 };
	struct sbuf out = { 0 };
	struct change *v;
	ptrdiff_t nclasses, diags, *space;
	bool *flags;
	size_t n, i, j;

	if (outlen)
		*outlen = 0;
	if (olen == nlen && (!olen || !memcmp(old, new, olen)))
		return sl_xstrdup("");

	side_init(&sides[0], old, olen);
	side_init(&sides[1], new, nlen);
	trim_ends(&sides[0], &sides[1]);
	nclasses = classify(sides);

	/* one false flag beyond each end of each side, for the scans */
	flags = sl_xcalloc((size_t)(sides[0].cnt + sides[1].cnt + 4), sizeof(*flags));
	sides[0].changed = flags + 1;
	sides[1].changed = flags + sides[0].cnt + 3;
	discard_confusing(sides, nclasses);

	s.xv = sides[0].undisc;
	s.yv = sides[1].undisc;
	s.sides = sides;
	diags = sides[0].nundisc + sides[1].nundisc + 3;
	space = sl_xmalloc(2 * (size_t)diags * sizeof(*space));
	s.fd = space + sides[1].nundisc + 1;
	s.bd = space + diags + sides[1].nundisc + 1;
	/* about sqrt(size), at least 4096: diff's bound on the search */
	for (s.too_expensive = 1; diags; diags >>= 2)
		s.too_expensive <<= 1;
	if (s.too_expensive < 4096)
		s.too_expensive = 4096;
	compare(&s, 0, sides[0].nundisc, 0, sides[1].nundisc, false);
	free(space);

	shift_boundaries(sides);
	v = build_script(sides, &n);

	if (n) {
		sb_puts(&out, "--- ");
		sb_puts(&out, label_old);
		sb_puts(&out, "\n+++ ");
		sb_puts(&out, label_new);
		sb_puts(&out, "\n");
	}
	/* changes fewer than 2 * CONTEXT + 1 lines apart share a hunk */
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n; j++)
			if (v[j].line0 - (v[j - 1].line0 + v[j - 1].del) >= 2 * CONTEXT + 1)
				break;
		put_hunk(&out, sides, v + i, j - i);
	}

	free(v);
	free(flags);
	side_free(&sides[0]);
	side_free(&sides[1]);
	if (outlen)
		*outlen = out.len;
	return out.s ? out.s : sl_xstrdup("");
}

char *sl_diff_unified(const char *old, size_t olen, const char *new, size_t nlen,
		      const char *label_old, const char *label_new)
{
	return sl_diff_unified_len(old, olen, new, nlen, label_old, label_new, NULL);
}
