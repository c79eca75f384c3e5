/*
 * diff.c - a unified diff built from the edits a merge makes.  The merge
 * knows every byte it changes, so there is nothing to search for: each
 * edit widens to the whole lines it touches, edits on shared lines join,
 * and hunks take 3 lines of context around them, as `diff -u` does.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "error.h"

#define CONTEXT 3

/* One change: old lines [ol, ol + oc) become the nc lines of nw. */
struct block {
	size_t ol, oc;
	char *nw;		/* whole lines (the last may lack its '\n' at EOF) */
	size_t nlen, nc;
};

struct blocks {
	struct block *v;
	size_t n;
};

static bool at_line_start(const char *t, size_t off)
{
	return !off || t[off - 1] == '\n';
}

static size_t line_end(const char *t, size_t len, size_t off)
{
	const char *nl = off < len ? memchr(t + off, '\n', len - off) : NULL;

	return nl ? (size_t)(nl - t) + 1 : len;
}

static size_t count_lines(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += s[i] == '\n';
	return c + (n && s[n - 1] != '\n');
}

/* Length of the line at s (with its '\n'), within n bytes. */
static size_t line_len(const char *s, size_t n)
{
	const char *nl = memchr(s, '\n', n);

	return nl ? (size_t)(nl - s) + 1 : n;
}

/* Old text [bs, be) became nw: keep the block, less the lines both share. */
static void add_block(struct blocks *b, const char *t, size_t bs, size_t be, char *nw,
		      size_t nlen, size_t first_line)
{
	const char *o = t + bs;
	size_t olen = be - bs, skip = 0, l, m;
	struct block *k;

	/* common leading lines */
	while (olen && nlen) {
		l = line_len(o, olen);
		m = line_len(nw + skip, nlen);
		if (l != m || memcmp(o, nw + skip, l))
			break;
		o += l;
		olen -= l;
		skip += l;
		nlen -= l;
		first_line++;
	}
	/* common trailing lines: compare from the ends, whole lines only */
	while (olen && nlen) {
		size_t a = olen - 1, c = nlen - 1;

		/* the last line of each, with its '\n' if it has one */
		while (a && o[a - 1] != '\n')
			a--;
		while (c && nw[skip + c - 1] != '\n')
			c--;
		if (olen - a != nlen - c || memcmp(o + a, nw + skip + c, olen - a))
			break;
		olen = a;
		nlen = c;
	}
	if (!olen && !nlen) {
		free(nw);
		return;
	}
	b->v = sl_xrealloc(b->v, (b->n + 1) * sizeof(*b->v));
	k = &b->v[b->n++];
	k->ol = first_line;
	k->oc = count_lines(o, olen);
	k->nw = sl_xmalloc(nlen + 1);
	memcpy(k->nw, nw + skip, nlen);
	k->nlen = nlen;
	k->nc = count_lines(k->nw, nlen);
	free(nw);
}

static void put_line(FILE *f, char mark, const char *s, size_t n)
{
	fputc(mark, f);
	fwrite(s, 1, n, f);
	if (!n || s[n - 1] != '\n')
		fputs("\n\\ No newline at end of file\n", f);
}

static void put_range(FILE *f, size_t start, size_t count)
{
	if (count == 1)
		fprintf(f, "%zu", start + 1);
	else
		fprintf(f, "%zu,%zu", count ? start + 1 : start, count);
}

char *sl_diff_edits(const char *text, size_t len, const struct sl_jedits *e, const char *label,
		    size_t *outlen)
{
	struct sl_jedit *v = sl_jedits_sorted(e);
	struct blocks b = { 0 };
	size_t *starts, nlines = count_lines(text, len), i, j, at = 0, size = 0;
	char *out = NULL;
	FILE *f;

	/* line i of the old text starts at starts[i] */
	starts = sl_xmalloc((nlines + 1) * sizeof(*starts));
	for (i = j = 0; i < nlines; i++) {
		starts[i] = j;
		j = line_end(text, len, j);
	}
	starts[nlines] = len;

	for (i = 0; i < e->n; i++)
		if (v[i].off < at || v[i].off > len || v[i].del > len - v[i].off)
			goto overlap;
		else
			at = v[i].off + v[i].del;

	/*
	 * Each run of edits on shared lines is one block: old bytes [bs, be),
	 * whole lines, and the new bytes that replace them.
	 */
	for (i = 0; i < e->n;) {
		size_t bs = v[i].off, x, be, line, nlen = 0, cap = 64;
		char *nw = sl_xmalloc(cap);

		while (!at_line_start(text, bs))
			bs--;
		x = bs;
		for (;;) {
			size_t need = (v[i].off - x) + strlen(v[i].ins);

			if (nlen + need + 1 > cap) {
				cap = 2 * (nlen + need + 1);
				nw = sl_xrealloc(nw, cap);
			}
			memcpy(nw + nlen, text + x, v[i].off - x);
			nlen += v[i].off - x;
			memcpy(nw + nlen, v[i].ins, strlen(v[i].ins));
			nlen += strlen(v[i].ins);
			x = v[i].off + v[i].del;
			i++;
			/* the block ends on a line boundary in both texts */
			if (at_line_start(text, x) && (!nlen || nw[nlen - 1] == '\n'))
				be = x;
			else
				be = line_end(text, len, x);
			/* the next edit's line starts inside the block: same lines */
			if (i < e->n) {
				size_t next = v[i].off;

				while (!at_line_start(text, next))
					next--;
				if (next < be)
					continue;
			}
			break;
		}
		if (nlen + (be - x) + 1 > cap)
			nw = sl_xrealloc(nw, nlen + (be - x) + 1);
		memcpy(nw + nlen, text + x, be - x);
		nlen += be - x;
		/* the line number of bs */
		for (line = 0; line < nlines && starts[line] < bs; line++)
			;
		add_block(&b, text, bs, be, nw, nlen, line);
	}

	f = open_memstream(&out, &size);
	if (!f)
		goto done;
	if (b.n)
		fprintf(f, "--- %s\n+++ %s\n", label, label);
	{
		long delta = 0;	/* new line number - old line number */

		for (i = 0; i < b.n;) {
			size_t first = i, last = i, hs, he, l;

			/* blocks closer than twice the context share a hunk */
			while (last + 1 < b.n &&
			       b.v[last + 1].ol - (b.v[last].ol + b.v[last].oc) <= 2 * CONTEXT)
				last++;
			hs = b.v[first].ol > CONTEXT ? b.v[first].ol - CONTEXT : 0;
			he = b.v[last].ol + b.v[last].oc + CONTEXT;
			if (he > nlines)
				he = nlines;
			{
				long nc = (long)(he - hs);

				for (j = first; j <= last; j++)
					nc += (long)b.v[j].nc - (long)b.v[j].oc;
				fputs("@@ -", f);
				put_range(f, hs, he - hs);
				fputs(" +", f);
				put_range(f, (size_t)((long)hs + delta), (size_t)nc);
				fputs(" @@\n", f);
			}
			l = hs;
			for (j = first; j <= last; j++) {
				const struct block *k = &b.v[j];
				size_t p;

				for (; l < k->ol; l++)
					put_line(f, ' ', text + starts[l], starts[l + 1] - starts[l]);
				for (; l < k->ol + k->oc; l++)
					put_line(f, '-', text + starts[l], starts[l + 1] - starts[l]);
				for (p = 0; p < k->nlen; p += line_len(k->nw + p, k->nlen - p))
					put_line(f, '+', k->nw + p, line_len(k->nw + p, k->nlen - p));
				delta += (long)k->nc - (long)k->oc;
			}
			for (; l < he; l++)
				put_line(f, ' ', text + starts[l], starts[l + 1] - starts[l]);
			i = last + 1;
		}
	}
	if (fclose(f)) {
		free(out);
		out = NULL;
	}
	goto done;
overlap:
	out = NULL;
	size = 0;
done:
	for (i = 0; i < b.n; i++)
		free(b.v[i].nw);
	free(b.v);
	free(starts);
	free(v);
	if (outlen)
		*outlen = out ? size : 0;
	return out;
}
