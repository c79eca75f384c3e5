/*
 * cmd-strace.c - harvest --strace: the CLI's side of strace input (the
 * parser is strace.c): read each trace, say what it held, and warn about
 * what could not become a syscall of its arch.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd-strace.h"
#include "error.h"
#include "tty.h"

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/* What one trace held, from the difference of the stats around it. */
static int told(const struct sl_strace *st, const char *path, const struct sl_strace_stats *b,
		size_t procs, bool quiet)
{
	const struct sl_strace_stats *a = &st->stats;
	uint64_t lines = a->lines - b->lines, calls = a->calls - b->calls;
	uint64_t rows = a->rows - b->rows, unread = a->unread - b->unread;
	uint64_t foreign = a->foreign - b->foreign;

	if (lines && !calls && !rows && a->switches == b->switches) {
		sl_err("--strace %s: no strace output in it (%" PRIu64 " line%s, none a syscall "
		       "or a row of strace -c); give the file strace -o wrote", path, lines,
		       plural(lines));
		return SL_EXIT_FAIL;
	}
	if (quiet)
		return 0;
	if (!lines)
		sl_warn("--strace %s: empty", path);
	else if (rows && !calls)
		fprintf(stderr, "seclog: strace %s: %" PRIu64 " calls in %" PRIu64
			" row%s of strace -c summaries\n", path, a->row_calls - b->row_calls, rows,
			plural(rows));
	else
		fprintf(stderr, "seclog: strace %s: %" PRIu64 " call%s by %zu process%s%s\n",
			path, calls, plural(calls), procs, procs == 1 ? "" : "es",
			rows ? ", and strace -c summaries" : "");
	if (unread)
		sl_warn("--strace %s: %" PRIu64 " line%s look%s like strace output seclog cannot "
			"read (the first, line %" PRIu64 ": '%s'): syscalls they name are missing",
			path, unread, plural(unread), unread == 1 ? "s" : "", st->first_unread_line,
			st->first_unread);
	if (foreign)
		sl_warn("--strace %s: %" PRIu64 " line%s %s not strace output (the traced "
			"program's own? strace -o FILE keeps them apart): skipped", path, foreign,
			plural(foreign), foreign == 1 ? "is" : "are");
	return 0;
}

/* The progress line (tty.h) of a long trace */
static void draw(void *arg)
{
	const struct sl_strace *st = arg;
	char b[32], t[32], of[40] = "", pct[16] = "";

	if (!sl_progress_due())
		return;
	sl_human_bytes(b, sizeof(b), st->bytes);
	if (st->size) {
		sl_human_bytes(t, sizeof(t), st->size > st->bytes ? st->size : st->bytes);
		snprintf(of, sizeof(of), " of %s", t);
		snprintf(pct, sizeof(pct), " (%llu%%)", st->bytes >= st->size ? 100ULL :
			 (unsigned long long)(st->bytes * 100 / st->size));
	}
	sl_progress_show("seclog: --strace %s: %s%s read%s, %" PRIu64 " calls", st->path, b, of,
			 pct, st->stats.calls);
}

int sl_cmd_strace_read(struct sl_strace *st, const char *const *paths, size_t n, bool quiet)
{
	struct sl_strace_stats before;
	char *cause = NULL;
	size_t i, procs;
	int rc = 0;

	sl_progress_start(quiet);
	st->on_read = draw;
	st->on_read_arg = st;
	for (i = 0; i < n; i++) {
		before = st->stats;
		procs = st->nprocs;
		/* the unread line reported is this trace's */
		st->stats.unread = 0;
		before.unread = 0;
		rc = sl_strace_read(st, paths[i], &cause);
		sl_progress_clear();
		if (rc < 0) {
			sl_err("--strace %s", cause);
			free(cause);
			rc = SL_EXIT_FAIL;
			break;
		}
		rc = told(st, paths[i], &before, st->nprocs - procs, quiet) ? SL_EXIT_FAIL : 0;
		if (rc)
			break;
	}
	sl_progress_end();
	st->on_read = NULL;
	st->path = NULL;	/* an -ff file's name is gone */
	return rc;
}

/* The processes with the most calls, for "no call matched --pid". */
static void tell_procs(const struct sl_strace *st)
{
	char line[256];
	size_t i, k, best;
	int len = 0;
	bool *shown = sl_xcalloc(st->nprocs + 1, sizeof(*shown));
	uint64_t *calls = sl_xcalloc(st->nprocs + 1, sizeof(*calls));

	/* by process: a thread's calls count for its leader */
	for (i = 0; i < st->nprocs; i++)
		calls[st->procs[i].leader] += st->procs[i].calls;
	for (k = 0; k < 5; k++) {
		for (best = st->nprocs, i = 0; i < st->nprocs; i++)
			if (!shown[i] && calls[i] && (best == st->nprocs || calls[i] > calls[best]))
				best = i;
		if (best == st->nprocs || len > (int)sizeof(line) - 48)
			break;
		shown[best] = true;
		if (st->procs[best].pid)
			len += snprintf(line + len, sizeof(line) - (size_t)len, "%s%" PRId64
					" (%" PRIu64 " calls)", k ? ", " : "", st->procs[best].pid,
					calls[best]);
		else
			len += snprintf(line + len, sizeof(line) - (size_t)len, "%sthe first, "
					"its pid not shown (%" PRIu64 " calls)", k ? ", " : "",
					calls[best]);
	}
	free(shown);
	free(calls);
	if (k)
		sl_warn("  processes in the traces: %s%s", line, k == 5 ? ", ..." : "");
}

/* -v: each process of the traces, its calls (its threads' too) and arches. */
static void list_procs(const struct sl_strace *st, const struct sl_harvest *h, bool children)
{
	uint64_t *calls = sl_xcalloc(st->nprocs + 1, sizeof(*calls));
	unsigned int *arches = sl_xcalloc(st->nprocs + 1, sizeof(*arches));
	const struct sl_strace_image *im;
	size_t i, n, shown = 0;
	char list[128];
	int len;

	for (i = 0; i < st->nprocs; i++)
		calls[st->procs[i].leader] += st->procs[i].calls;
	for (i = 0; i < st->nimages; i++) {
		im = &st->images[i];
		arches[st->procs[im->proc].leader] |= 1u << im->pers;
	}
	for (i = 0; i < st->nprocs && shown < 64; i++) {
		if (st->procs[i].leader != i || !calls[i])
			continue;
		for (len = 0, list[0] = '\0', n = 0; n < st->npers; n++)
			if (arches[i] & (1u << n) && len < (int)sizeof(list) - 16)
				len += snprintf(list + len, sizeof(list) - (size_t)len, "%s%s",
						len ? "," : "",
						st->arch[n] ? st->arch[n]->name : st->pers_name[n]);
		fprintf(stderr, "seclog: process pid=%" PRId64 "%s calls=%" PRIu64 " arch=%s%s\n",
			st->procs[i].pid, st->procs[i].pid ? "" : " (not shown)", calls[i], list,
			sl_strace_match(st, i, h->filter.pids, h->filter.npids, children) ? "" :
			" (filtered)");
		shown++;
	}
	if (shown == 64)
		fprintf(stderr, "seclog: ... and more processes\n");
	free(calls);
	free(arches);
}

void sl_cmd_strace_harvest(struct sl_strace *st, struct sl_harvest *h, bool children, bool quiet,
			   bool verbose)
{
	uint64_t matched = h->matched, filtered = h->filtered;
	const struct sl_strace_name *e;
	const struct sl_arch *arch;
	size_t i;

	sl_strace_harvest(st, h, children);
	if (quiet)
		return;
	if (verbose)
		list_procs(st, h, children);
	if (st->stats.inferred)
		sl_warn("strace: the traces do not say which processes ran in another mode "
			"(strace -o FILE PROG implies -q, which hides \"[ Process PID=N runs in "
			"32 bit mode. ]\"; add -e quiet=none): %" PRIu64 " program run%s taken "
			"for another arch by syscalls only that arch has", st->stats.inferred,
			plural(st->stats.inferred));
	if (st->stats.rows && !st->stats.calls)
		sl_warn("strace: strace -c counts a call when it returns: exit_group and exit, "
			"which never return, are missing from summaries; a trace (strace -f -o "
			"FILE) has them");
	for (i = 0; i < st->nnames; i++) {
		e = &st->names[i];
		arch = st->arch[e->pers];
		if (!e->count || e->kind == SL_STRACE_OK)
			continue;
		if (e->kind == SL_STRACE_OTHER_ARCH)
			sl_warn("strace: '%s' (%" PRIu64 " call%s) is no %s syscall, but another "
				"arch's: left out; was the trace made with -q or -e "
				"quiet=personality, which hide strace's \"[ Process PID=N runs in "
				"32 bit mode. ]\"? Trace again without them", e->name, e->count,
				plural(e->count), arch->name);
		else if (e->kind == SL_STRACE_UNKNOWN)
			sl_warn("strace: '%s' (%" PRIu64 " call%s, %s): no arch libseccomp knows has "
				"this syscall: left out", e->name, e->count, plural(e->count),
				arch->name);
		else
			sl_warn("strace: '%s' (%" PRIu64 " call%s) ran in %s mode, which seclog "
				"has no arch for on this host: left out", e->name, e->count,
				plural(e->count), st->pers_name[e->pers]);
	}
	if (h->filter.npids && st->stats.row_calls)
		sl_warn("strace: rows of strace -c summaries left out: a summary holds no pids "
			"to match --pid");
	if (h->filter.npids && h->matched == matched && h->filtered > filtered) {
		sl_warn("strace: no call in the traces matched --pid%s (the pid of a process, "
			"whose threads count too)", children ? " --children" : "");
		tell_procs(st);
	}
}
