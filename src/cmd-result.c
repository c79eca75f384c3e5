/*
 * cmd-result.c - how the CLI tells a harvest's result: the warnings, the
 * text and JSON output, a merge's report.  Shared by harvest and run.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "cmd-result.h"
#include "error.h"
#include "escape.h"
#include "profile.h"
#include "tty.h"

/*
 * A log line to quote in a message: escaped (it may hold anything), but
 * with its spaces as spaces, to be read.  A backslash of the line is
 * \x5c there, so \x20 is always an escaped space.
 */
static char *quote_line(const char *s, size_t len)
{
	char *e = sl_escape_dup(s, len), *r = e, *w = e;

	while (*r) {
		if (!strncmp(r, "\\x20", 4)) {
			*w++ = ' ';
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return e;
}

/* Lines that hold a SECCOMP record in a layout seclog does not read. */
static void warn_unknown(const struct sl_source *src, bool fatal)
{
	const struct sl_source_stats *st = &src->stats;
	char *e = quote_line(st->first_unknown, st->first_unknown_len), *msg;

	if (asprintf(&msg, "%s: %s%" PRIu64 " line%s look%s like SECCOMP records in a form "
		     "seclog does not read (first: %s%s)%s%s", src->path,
		     fatal ? "no SECCOMP record read: " : "", st->unknown,
		     st->unknown == 1 ? "" : "s", st->unknown == 1 ? "s" : "", e,
		     st->first_unknown_len == sizeof(st->first_unknown) ? "..." : "",
		     st->unknown_hint ? "; " : "", st->unknown_hint ? st->unknown_hint : "") < 0)
		msg = NULL;
	if (fatal)
		sl_err("%s", msg ? msg : src->path);
	else
		sl_warn("%s", msg ? msg : src->path);
	free(msg);
	free(e);
}

/*
 * A file named with -f that gave no record, only lines in a layout seclog
 * does not read, is an error: the user meant it to hold records.
 */
int sl_report_unread(const struct sl_report *a, const struct sl_source *srcs, size_t n)
{
	int rc = 0;
	size_t i;

	for (i = 0; a->named && i < n; i++) {
		if (srcs[i].stats.unknown && !srcs[i].stats.records) {
			warn_unknown(&srcs[i], true);
			rc = SL_EXIT_FAIL;
		}
	}
	return rc;
}

static void warn_sources(const struct sl_source *srcs, size_t n, bool verbose)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct sl_source_stats *st = &srcs[i].stats;

		if (st->note && verbose)
			fprintf(stderr, "seclog: %s: %s\n", srcs[i].path, st->note);
		if (st->malformed) {
			char *e = quote_line(st->first_bad, st->first_bad_len);

			sl_warn("%s: %" PRIu64 " malformed SECCOMP line%s skipped (first: %s%s)",
				srcs[i].path, st->malformed, st->malformed == 1 ? "" : "s", e,
				st->first_bad_len == sizeof(st->first_bad) ? "..." : "");
			free(e);
		}
		if (st->unknown)
			warn_unknown(&srcs[i], false);
		if (st->overlong)
			sl_warn("%s: %" PRIu64 " line%s longer than %d KiB skipped", srcs[i].path,
				st->overlong, st->overlong == 1 ? "" : "s", SL_LINE_MAX / 1024);
		if (st->lost && srcs[i].ops == &sl_source_kmsg_ops)
			sl_warn("%s: the kernel ring overwrote messages %" PRIu64
				" time%s before they were read", srcs[i].path, st->lost,
				st->lost == 1 ? "" : "s");
		else if (st->lost)
			sl_warn("%s: %" PRIu64 " record%s dropped before they were read",
				srcs[i].path, st->lost, st->lost == 1 ? " was" : "s were");
	}
}

static void warn_hits(const struct sl_harvest *h)
{
	size_t i;

	for (i = 0; i < h->nhits; i++) {
		const struct sl_hit *t = &h->hits[i];

		if (!t->arch)
			sl_warn("arch 0x%08" PRIx32 " is unknown to libseccomp: syscall %" PRId64
				" (%" PRIu64 " record%s) left out", t->audit_arch, t->nr, t->count,
				t->count == 1 ? "" : "s");
		else if (!t->name)
			sl_warn("%s syscall %" PRId64 " has no name in libseccomp (%" PRIu64
				" record%s); left out of the profile", t->arch->name, t->nr,
				t->count, t->count == 1 ? "" : "s");
	}
}

static void print_procs(const struct sl_harvest *h)
{
	size_t i;

	for (i = 0; i < h->nprocs; i++) {
		const struct sl_proc *p = &h->procs[i];
		char *c = sl_escape_dup(p->comm, p->comm_len), *e = sl_escape_dup(p->exe, p->exe_len);

		fprintf(stderr, "seclog: process pid=%" PRId64 " comm=%s exe=%s records=%" PRIu64 "\n",
			p->pid, c, e, p->count);
		free(c);
		free(e);
	}
	if (h->procs_dropped)
		fprintf(stderr, "seclog: ... and %" PRIu64 " records of more processes\n",
			h->procs_dropped);
}

void sl_report_text(const struct sl_harvest *h)
{
	size_t i;

	for (i = 0; i < h->nhits; i++) {
		const struct sl_hit *t = &h->hits[i];

		if (t->name)
			printf("%s %s %" PRIu64 "\n", t->arch->name, t->name, t->count);
		else if (t->arch)
			printf("%s unknown(%" PRId64 ") %" PRIu64 "\n", t->arch->name, t->nr, t->count);
		else
			printf("0x%08" PRIx32 " unknown(%" PRId64 ") %" PRIu64 "\n", t->audit_arch,
			       t->nr, t->count);
	}
}

static json_t *json_text(const char *s, size_t len)
{
	/* record text may not be UTF-8: escape it first, as for a terminal */
	char *e = sl_escape_dup(s, len);
	json_t *v = json_string(e);

	free(e);
	return v;
}

static const char *const loss_names[] = {
	[SL_LOSS_SUPPRESSED] = "printk rate limit (kauditd_printk_skb: callbacks suppressed)",
	[SL_LOSS_LOST] = "audit_lost",
	[SL_LOSS_RATE] = "audit rate limit exceeded",
	[SL_LOSS_BACKLOG] = "audit backlog limit exceeded",
	[SL_LOSS_RING] = "the kernel ring wrapped before seclog read it",
	[SL_LOSS_PRINTK] = "printk rate limit: a burst of audit messages reached "
			   "kernel.printk_ratelimit_burst, the rest of its interval is dropped",
	[SL_LOSS_RESUME] = "--state: the file the last run stopped in is gone (rotated and "
			   "compressed, moved or deleted), its records since then unread",
	[SL_LOSS_JOURNAL_KMSG] = "journald missed kernel messages (its /dev/kmsg reader fell "
				 "behind the ring) that its audit transport did not have",
	[SL_LOSS_JOURNAL_AUDIT] = "journald stopped reading its audit socket (it overflowed)",
	[SL_LOSS_JOURNAL_GAP] = "the journal no longer holds the entries after the --state "
				"cursor (vacuumed)",
	[SL_LOSS_OVERRUN] = "the netlink socket's receive buffer overflowed (ENOBUFS): "
			    "seclog did not read as fast as the kernel wrote",
};

static json_t *loss_reasons(unsigned int why)
{
	json_t *a = json_array();
	size_t i;

	for (i = 1; i < sizeof(loss_names) / sizeof(loss_names[0]); i++)
		if (why & (1u << i))
			json_array_append_new(a, json_string(loss_names[i]));
	return a;
}

/* Is name among the counted hits (any arch)? */
static bool counted(const struct sl_harvest *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->nhits; i++)
		if (h->hits[i].name && !strcmp(h->hits[i].name, name))
			return true;
	return false;
}

/* The names only uncounted records show: what --trust-syslog would add. */
static json_t *untrusted_new(const struct sl_harvest *h)
{
	json_t *a = json_array();
	size_t i, j;

	for (i = 0; i < h->nuntrusted_hits; i++) {
		const char *name = h->untrusted_hits[i].name;

		if (!name || counted(h, name))
			continue;
		for (j = 0; j < json_array_size(a); j++)
			if (!strcmp(json_string_value(json_array_get(a, j)), name))
				break;
		if (j == json_array_size(a))
			json_array_append_new(a, json_string(name));
	}
	return a;
}

/* Records only syslog text holds were left out: say so, and what they
 * would have added. */
static void warn_untrusted(const struct sl_harvest *h)
{
	json_t *names = untrusted_new(h);
	size_t i;

	sl_warn("%" PRIu64 " record%s only in syslog text, which any local user can write, "
		"%s not counted; --trust-syslog counts them", h->untrusted,
		h->untrusted == 1 ? "" : "s", h->untrusted == 1 ? "was" : "were");
	if (json_array_size(names)) {
		size_t len = 0;
		char *list;

		for (i = 0; i < json_array_size(names); i++)
			len += strlen(json_string_value(json_array_get(names, i))) + 1;
		list = sl_xmalloc(len + 1);
		list[0] = '\0';
		for (i = 0; i < json_array_size(names); i++) {
			strcat(list, " ");
			strcat(list, json_string_value(json_array_get(names, i)));
		}
		sl_warn("  they would add:%s", list);
		free(list);
	} else {
		sl_warn("  they show no syscall the counted records lack");
	}
	sl_warn("  a kernel-made copy makes them count: /dev/kmsg while the ring holds "
		"them, audit.log, or journalctl -o export");
	json_decref(names);
}

/* The kernel said it dropped records in this span: say so, and how to fix. */
static void warn_loss(const struct sl_harvest *h)
{
	size_t i;

	if (h->loss_why == 1u << SL_LOSS_RESUME)
		sl_warn("records may be missing from this harvest: the result may be incomplete");
	else if (h->lost)
		sl_warn("the kernel reports %" PRIu64 " dropped or suppressed record%s in this "
			"span: the result may be incomplete", h->lost, h->lost == 1 ? "" : "s");
	else
		sl_warn("the kernel reports dropped records in this span: the result may be "
			"incomplete");
	for (i = 1; i < sizeof(loss_names) / sizeof(loss_names[0]); i++)
		if (h->loss_why & (1u << i))
			sl_warn("  cause: %s", loss_names[i]);
	if (h->loss_unplaced)
		sl_warn("  %" PRIu64 " of the reports carr%s only an uptime that no line of "
			"its file places in time (none carries both an uptime and an audit() "
			"stamp): counted as inside the span", h->loss_unplaced,
			h->loss_unplaced == 1 ? "ies" : "y");
	if (h->loss_why & (1u << SL_LOSS_OVERRUN))
		sl_warn("  fix: leave seclog CPU time while the workload runs, and run it as root "
			"so that its socket buffer can be raised to 64 MiB; then run the workload "
			"again");
	else if (h->loss_why & (1u << SL_LOSS_JOURNAL_GAP))
		sl_warn("  fix: keep the journal longer (SystemMaxUse=, MaxRetentionSec= in "
			"journald.conf) or harvest more often; then run the workload again");
	else if (h->loss_why & ((1u << SL_LOSS_RING) | (1u << SL_LOSS_JOURNAL_KMSG) |
				(1u << SL_LOSS_JOURNAL_AUDIT)))
		sl_warn("  fix: read a source that keeps up: --source netlink (root), or auditd's "
			"log (journald reads its audit socket again once restarted); then run the "
			"workload again");
	else if (h->loss_why & (1u << SL_LOSS_RESUME))
		sl_warn("  fix: run seclog more often than the log rotates, or keep the newest "
			"rotated log uncompressed (logrotate's delaycompress)");
	else if (h->loss_why & ((1u << SL_LOSS_SUPPRESSED) | (1u << SL_LOSS_PRINTK)))
		sl_warn("  fix: seclog limits lift (kernel.printk_ratelimit=0), or use "
			"--lift-limits, then run the workload again");
	else
		sl_warn("  fix: seclog limits lift (audit rate_limit 0, backlog_limit 8192), then "
			"run the workload again");
}

static const char *local_time(double t, char *buf, size_t len)
{
	time_t s = (time_t)t;
	struct tm tm;

	if (!localtime_r(&s, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, len, "%.0f", t);
	return buf;
}

/* --since is earlier than every source holds: say which begins when. */
static void warn_coverage(const struct sl_harvest *h, const struct sl_source *srcs, size_t n)
{
	char a[32], b[32];
	size_t i;

	sl_warn("no source reaches back to the start of the span (--since %s): records "
		"from before a source begins are lost to it; the result may be incomplete",
		local_time(h->filter.since, a, sizeof(a)));
	for (i = 0; i < n; i++) {
		const struct sl_source *s = &srcs[i];

		if (s->begins < 0)
			sl_warn("  %s: no line in its first 256 KiB carries a time seclog can "
				"place: when it begins is unknown", s->path);
		else if (s->ends < h->filter.since)
			sl_warn("  %s: begins %s and was last written %s", s->path,
				local_time(s->begins, a, sizeof(a)),
				local_time(s->ends, b, sizeof(b)));
		else
			sl_warn("  %s: begins %s%s", s->path, local_time(s->begins, a, sizeof(a)),
				s->ops == &sl_source_kmsg_ops ?
				" (its oldest message: the ring had wrapped, or the boot began)" : "");
	}
	sl_warn("  fix: read a log that keeps every record: auditd's audit.log, the journal "
		"(journalctl --since ... | seclog harvest -f -), a rotated log that reaches "
		"back further (-f FILE.1); without those, a bigger kernel ring "
		"(log_buf_len= on the kernel command line); then, with the limits lifted "
		"(seclog limits lift), run the workload again");
}

/* One line of the most frequent pids or comms: "4321 nginx (900), ..." */
static void warn_top(const char *what, const struct sl_top *t, bool by_comm)
{
	const struct sl_top_entry *top[5];
	size_t i, n = sl_top_sorted(t, top, 5), len = 0;
	char line[512], *c;

	line[0] = '\0';
	for (i = 0; i < n && len < sizeof(line); i++) {
		c = sl_escape_dup(top[i]->comm, top[i]->comm_len);
		if (by_comm)
			len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s (%s%" PRIu64 ")",
						i ? ", " : "", c, top[i]->err ? "~" : "",
						top[i]->count);
		else
			len += (size_t)snprintf(line + len, sizeof(line) - len,
						"%s%" PRId64 " %s (%s%" PRIu64 ")", i ? ", " : "",
						top[i]->pid, c, top[i]->err ? "~" : "", top[i]->count);
		free(c);
	}
	if (n)
		sl_warn("  most records by %s: %s%s", what, line, t->n > n ? ", ..." : "");
}

/* Nothing matched: show whose records were read; the filter was likely off. */
static void warn_unmatched(const struct sl_harvest *h)
{
	sl_warn("no SECCOMP records matched (%" PRIu64 " read)", h->records);
	/* all passed the filters but were syslog text: the trust warning that
	 * follows says why, the top lists would only repeat the filter-less
	 * input */
	if (!h->records || (!h->filtered && h->untrusted))
		return;
	warn_top("pid", &h->top_pids, false);
	warn_top("comm", &h->top_comms, true);
	if (h->filter.npids)
		sl_warn("  --pid matches those pids only, not their children, which have pids of "
			"their own; add --children, or tag the run (seclog run does) and use "
			"--auid or --ses (see seclog-harvest(1))");
}

void sl_report_json(const struct sl_report *a, const struct sl_harvest *h,
		       const struct sl_source *srcs, size_t nsrcs, const struct sl_pass_result *m)
{
	json_t *root = json_object(), *arr = json_array(), *unk = json_array(), *o;
	uint64_t malformed = 0, unknown = 0;
	size_t i;

	for (i = 0; i < nsrcs; i++) {
		const struct sl_source_stats *st = &srcs[i].stats;

		malformed += st->malformed;
		unknown += st->unknown;
		json_array_append_new(arr, json_pack("{s:s,s:s,s:I,s:I,s:I,s:I}", "path",
						     srcs[i].path, "type", srcs[i].ops->name, "bytes",
						     (json_int_t)st->bytes, "records",
						     (json_int_t)st->records, "malformed",
						     (json_int_t)st->malformed, "overlong",
						     (json_int_t)st->overlong));
		o = json_array_get(arr, json_array_size(arr) - 1);
		json_object_set_new(o, "begins", srcs[i].begins >= 0 ?
				    json_real(srcs[i].begins) : json_null());
		json_object_set_new(o, "ends", isfinite(srcs[i].ends) ?
				    json_real(srcs[i].ends) : json_null());
		json_object_set_new(o, "unknown", json_integer((json_int_t)st->unknown));
	}
	json_object_set_new(root, "sources", arr);
	if (a->command)
		json_object_set_new(root, "command", json_pack("{s:s,s:i}", "path", a->command,
							       "status", a->command_status));
	json_object_set_new(root, "records", json_integer((json_int_t)h->records));
	json_object_set_new(root, "matched", json_integer((json_int_t)h->matched));
	json_object_set_new(root, "filtered", json_integer((json_int_t)h->filtered));
	json_object_set_new(root, "duplicates", json_integer((json_int_t)h->duplicates));
	arr = json_array();
	for (i = 0; i < h->nuntrusted_hits; i++) {
		const struct sl_hit *t = &h->untrusted_hits[i];

		json_array_append_new(arr, json_pack("{s:o,s:o,s:I,s:I}", "arch",
						     t->arch ? json_string(t->arch->name) : json_null(),
						     "name", t->name ? json_string(t->name) : json_null(),
						     "number", (json_int_t)t->nr, "count",
						     (json_int_t)t->count));
	}
	json_object_set_new(root, "untrusted", json_pack("{s:I,s:o,s:o}", "records",
							  (json_int_t)h->untrusted, "syscalls", arr,
							  "new", untrusted_new(h)));
	json_object_set_new(root, "malformed", json_integer((json_int_t)malformed));
	/* lines in a layout seclog does not read: records it may have missed */
	json_object_set_new(root, "unknown_layout", json_integer((json_int_t)unknown));
	arr = json_array();
	for (i = 0; i < h->nhits; i++) {
		const struct sl_hit *t = &h->hits[i];
		char hex[16];

		if (t->name) {
			o = json_pack("{s:s,s:s,s:I,s:I}", "arch", t->arch->name, "name", t->name,
				      "number", (json_int_t)t->nr, "count", (json_int_t)t->count);
			json_array_append_new(arr, o);
		} else {
			snprintf(hex, sizeof(hex), "%08" PRIx32, t->audit_arch);
			o = json_pack("{s:o,s:s,s:I,s:I}", "arch",
				      t->arch ? json_string(t->arch->name) : json_null(),
				      "audit_arch", hex, "number", (json_int_t)t->nr, "count",
				      (json_int_t)t->count);
			json_array_append_new(unk, o);
		}
	}
	json_object_set_new(root, "syscalls", arr);
	json_object_set_new(root, "unknown", unk);
	if (a->verbose) {
		arr = json_array();
		for (i = 0; i < h->nprocs; i++) {
			const struct sl_proc *p = &h->procs[i];

			json_array_append_new(arr, json_pack("{s:I,s:o,s:o,s:I}", "pid",
							     (json_int_t)p->pid, "comm",
							     json_text(p->comm, p->comm_len), "exe",
							     json_text(p->exe, p->exe_len), "records",
							     (json_int_t)p->count));
		}
		json_object_set_new(root, "processes", arr);
	}
	json_object_set_new(root, "incomplete", json_boolean(sl_harvest_incomplete(h)));
	arr = json_array();
	if (h->loss_reports)
		json_array_append_new(arr, json_string("the kernel reported dropped records"));
	if (h->uncovered)
		json_array_append_new(arr, json_string("no source reaches back to --since"));
	json_object_set_new(root, "incomplete_reasons", arr);
	json_object_set_new(root, "loss", json_pack("{s:I,s:I,s:o}", "reports",
						     (json_int_t)h->loss_reports, "records",
						     (json_int_t)h->lost, "reasons",
						     loss_reasons(h->loss_why)));
	if (m) {
		json_t *denied = json_array();

		for (i = 0; i < m->plan.nkept; i++)
			json_array_append_new(denied, json_pack("{s:s,s:I,s:s}", "name",
								m->plan.kept[i].name, "rule",
								(json_int_t)m->plan.kept[i].rule,
								"action", m->plan.kept[i].action));
		arr = json_array();
		for (i = 0; i < m->plan.narches; i++)
			json_array_append_new(arr, json_string(m->plan.arches[i]->docker));
		o = json_pack("{s:s?,s:s?,s:o,s:o,s:o,s:o,s:b,s:b,s:b}", "profile", a->pass.merge,
			      "output", m->target, "added",
			      sl_json_strings(m->plan.add, m->plan.nadd), "denied", denied, "widened",
			      sl_json_strings(m->plan.widened, m->plan.nwidened), "missing_arches", arr,
			      "arches_added", m->plan.add_arches, "changed", m->changed,
			      "written", m->written);
		json_object_set_new(root, "merge", o);
	}
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(root);
}


static void report_plan(const struct sl_report *a, const struct sl_pass_result *m)
{
	const struct sl_merge_plan *plan = &m->plan;
	size_t i;

	if (a->quiet)
		return;
	if (sl_merge_permissive(plan) && !m->twin)
		sl_warn("%s: defaultAction is %s: this profile enforces nothing (every syscall "
			"it does not deny is %s); set it to SCMP_ACT_ERRNO to enforce", a->pass.merge,
			plan->default_action,
			strcmp(plan->default_action, "SCMP_ACT_LOG") ? "allowed" :
			"allowed and logged");
	for (i = 0; i < plan->nkept; i++) {
		const struct sl_claim *c = &plan->kept[i];

		if (c->superseded)
			sl_warn("%s: %s is denied by syscalls[%zu] (%s) under a condition; allowed "
				"unconditionally now, %s: that deny is left in the file but no "
				"longer acts", a->pass.merge, c->name, c->rule, c->action,
				c->args ? "and libseccomp lets an unconditional rule supersede one "
				"with args" : "by an earlier rule, and libseccomp keeps the first "
				"of two rules for a syscall");
		else if (c->still_denies)
			sl_warn("%s: %s is denied by syscalls[%zu] (%s) where its includes/excludes "
				"apply; allowed by a later rule now, but libseccomp keeps the first "
				"of two rules for a syscall: there the deny still acts", a->pass.merge,
				c->name, c->rule, c->action);
		else
			sl_warn("%s: %s is %s by syscalls[%zu] (%s); left as it is%s", a->pass.merge,
				c->name, c->conditional ? "denied under a condition" : "denied",
				c->rule, c->action,
				a->pass.mopts.allow_denied ? "" : " (--allow-denied allows it)");
	}
	for (i = 0; i < plan->nfreed; i++)
		sl_warn("%s: %s removed from syscalls[%zu] (%s) and allowed (--allow-denied)",
			a->pass.merge, plan->freed[i].name, plan->freed[i].rule, plan->freed[i].action);
	for (i = 0; i < plan->nwidened; i++)
		sl_warn("%s: %s was allowed only under a condition; a call outside it was "
			"recorded, so it is now allowed unconditionally", a->pass.merge, plan->widened[i]);
	for (i = 0; i < plan->nlone; i++)
		sl_warn("%s: %s exists only on %s of the profile's arches; a profile cannot "
			"scope a name to an arch, and the others have no such syscall",
			a->pass.merge, plan->lone[i].name, plan->lone[i].arch->name);
	for (i = 0; i < plan->narches; i++)
		sl_warn("%s: records from arch %s, which the profile does not list%s", a->pass.merge,
			plan->arches[i]->name,
			plan->add_arches ? "; added" : " (--add-arch adds it)");
}

/* Only after success: a failed run says why, and nothing more. */
static void summary(const struct sl_report *a, const struct sl_pass_result *m)
{
	size_t i;

	if (a->quiet || a->json)
		return;
	if (!sl_merge_changes(&m->plan)) {
		fprintf(stderr, "seclog: %s: up to date, nothing to add%s\n", a->pass.merge,
			m->twin ? " (a complain twin: `seclog status` tells when the loop has "
			"converged, `seclog enforce` makes it enforce)" :
			sl_merge_permissive(&m->plan) ? " (but it enforces nothing)" : "");
		return;
	}
	if (!m->plan.nadd)
		fprintf(stderr, "seclog: %s: %s\n", m->target,
			a->pass.check || a->pass.dry_run ? "would change (no syscall to add)" :
			"changed (no syscall added)");
	else
		fprintf(stderr, "seclog: %s: %s %zu syscall%s:", m->target,
			a->pass.check || a->pass.dry_run ? "would add" : "added", m->plan.nadd,
			m->plan.nadd == 1 ? "" : "s");
	for (i = 0; i < m->plan.nadd; i++)
		fprintf(stderr, " %s", m->plan.add[i]);
	if (m->plan.nadd)
		fputc('\n', stderr);
	if (m->written && !strcmp(m->target, a->pass.merge))
		fprintf(stderr, "seclog: previous version kept in %s.bak\n", a->pass.merge);
}

/* What harvest and run print of a harvest before it is written anywhere. */
void sl_report_warnings(const struct sl_report *a, const struct sl_harvest *h,
			const struct sl_source *srcs, size_t n)
{
	if (a->quiet)
		return;
	warn_sources(srcs, n, a->verbose);
	warn_hits(h);
	if (a->verbose)
		print_procs(h);
	if (!h->matched && !a->none_expected)
		warn_unmatched(h);
	if (h->untrusted)
		warn_untrusted(h);
	if (h->loss_reports)
		warn_loss(h);
	if (h->uncovered)
		warn_coverage(h, srcs, n);
}

static void waiting(const char *path, void *arg)
{
	const struct sl_report *a = arg;

	if (!a->quiet)
		fprintf(stderr, "seclog: %s: waiting for another seclog merging into it\n", path);
}

int sl_report_pass(struct sl_report *a, const struct sl_harvest *h,
		   const struct sl_source *srcs, size_t n, struct sl_pass_result *m)
{
	const char **names;
	char *cause = NULL;
	int rc = SL_EXIT_OK;
	size_t i;

	if (a->pass.merge || a->pass.output) {
		a->pass.waiting = waiting;
		a->pass.arg = a;
		/* the history names a file by its path, a live source by its kind */
		names = sl_xcalloc(n + a->nstraces + 1, sizeof(*names));
		for (i = 0; i < n; i++)
			names[i] = srcs[i].ops == &sl_source_file_ops && srcs[i].path ?
					   srcs[i].path : srcs[i].ops->name;
		for (i = 0; i < a->nstraces; i++)
			names[n + i] = sl_xasprintf("strace:%s", a->straces[i]);
		a->pass.verb = a->command ? "run" : "harvest";
		a->pass.sources = names;
		a->pass.nsources = n + a->nstraces;
		rc = sl_pass_write(h, &a->pass, m, &cause);
		a->pass.sources = NULL;
		for (i = 0; i < a->nstraces; i++)
			free((char *)names[n + i]);
		free(names);
		if (!rc && m->history_error && !a->quiet)
			sl_warn("%s (the pass is not in the history: seclog status will not "
				"count it)", m->history_error);
		if (rc == -ENODATA) {
			sl_err("%s", cause);
			rc = SL_EXIT_NOTHING;
		} else if (rc) {
			sl_err("%s", cause);
			rc = SL_EXIT_FAIL;
		} else {
			if (a->pass.merge)
				report_plan(a, m);
			if (m->diff)
				sl_write_diff(stdout, m->diff, m->difflen);
			if (m->text)
				fwrite(m->text, 1, m->len, stdout);
			if (a->pass.check && m->changed)
				rc = SL_EXIT_FAIL;
			if (a->pass.merge)
				summary(a, m);
			else if (!a->quiet && !a->json && !a->pass.dry_run)
				fprintf(stderr, "seclog: %s: wrote a profile allowing %zu syscall%s\n",
					m->target, m->nnames, m->nnames == 1 ? "" : "s");
		}
		free(cause);
	} else if (!a->json) {
		sl_report_text(h);
	}
	if (a->json && !a->pass.dry_run)
		sl_report_json(a, h, srcs, n, a->pass.merge && rc != SL_EXIT_NOTHING ? m : NULL);
	return rc;
}

const struct sl_source_ops *sl_report_source_kind(const char *name)
{
	if (!strcmp(name, "netlink"))
		return &sl_source_netlink_ops;
	if (!strcmp(name, "journal"))
		return &sl_source_journal_ops;
	if (!strcmp(name, "kmsg"))
		return &sl_source_kmsg_ops;
	return NULL;
}

int sl_report_source_auto(const struct sl_report *a, struct sl_source *src, unsigned int flags)
{
	char *why = NULL, *cause = NULL, *line, *nl;
	int rc = sl_source_auto(src, flags, &why, &cause);

	if (rc) {
		sl_err("--source auto: %s", cause);
		free(cause);
	}
	/* which it took, and why not the better ones */
	for (line = why; (rc || !a->quiet) && line && *line; line = nl ? nl + 1 : NULL) {
		if ((nl = strchr(line, '\n')))
			*nl = '\0';
		fprintf(stderr, "seclog: source: not %s\n", line);
	}
	free(why);
	if (!rc)
		sl_report_source(a, src);
	return rc ? SL_EXIT_FAIL : 0;
}

void sl_report_source(const struct sl_report *a, const struct sl_source *src)
{
	bool path = src->path && strcmp(src->path, src->ops->name);

	if (!a->quiet)
		fprintf(stderr, "seclog: source: %s%s%s\n", src->ops->name, path ? " " : "",
			path ? src->path : "");
}
