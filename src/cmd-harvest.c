/*
 * cmd-harvest.c - seclog harvest: read SECCOMP records, name their
 * syscalls per arch, print them or merge them into a profile.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "diff.h"
#include "error.h"
#include "escape.h"
#include "harvest.h"
#include "host-limits.h"
#include "merge.h"
#include "profile.h"
#include "timeparse.h"

enum {
	OPT_PID = 256, OPT_COMM, OPT_EXE, OPT_AUID, OPT_SES, OPT_SINCE, OPT_UNTIL, OPT_JSON,
	OPT_MERGE, OPT_ADD_ARCH, OPT_ALLOW_DENIED, OPT_DRY_RUN, OPT_CHECK, OPT_NO_DEDUPE,
	OPT_LIFT_LIMITS, OPT_TRUST_SYSLOG,
};

static const struct option longopts[] = {
	{ "file", required_argument, NULL, 'f' },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "comm", required_argument, NULL, OPT_COMM },
	{ "exe", required_argument, NULL, OPT_EXE },
	{ "auid", required_argument, NULL, OPT_AUID },
	{ "ses", required_argument, NULL, OPT_SES },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "output", required_argument, NULL, 'o' },
	{ "merge", required_argument, NULL, OPT_MERGE },
	{ "add-arch", no_argument, NULL, OPT_ADD_ARCH },
	{ "allow-denied", no_argument, NULL, OPT_ALLOW_DENIED },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "no-dedupe", no_argument, NULL, OPT_NO_DEDUPE },
	{ "lift-limits", no_argument, NULL, OPT_LIFT_LIMITS },
	{ "trust-syslog", no_argument, NULL, OPT_TRUST_SYSLOG },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct harvest_args {
	const char **files;
	size_t nfiles;
	const char *output, *merge;
	bool json, dry_run, check, quiet, verbose, lift_limits;
	struct sl_merge_opts mopts;
};

struct merge_result {
	struct sl_merge_plan plan;
	const char *target;	/* where the result goes */
	bool changed;		/* the target's bytes change */
	bool written;
};

static int cmd_harvest(int argc, char **argv);

const struct sl_cmd sl_cmd_harvest = {
	.name = "harvest",
	.summary = "Collect the syscalls SECCOMP records show; print or merge them into a profile",
	.usage = "[-f FILE]... [filters] [--json | -o OUT | --merge PROFILE [-o OUT]] [options]",
	.help =
		"Sources (default: audit.log, kern.log or syslog where they exist, and /dev/kmsg):\n"
		"  -f, --file FILE     read records from FILE (repeatable; - is stdin)\n"
		"      --trust-syslog  count records only syslog text holds, which any local\n"
		"                      user can write (seclog-harvest(1): SECURITY)\n"
		"Filters (a record must pass all; --pid may repeat):\n"
		"      --pid N         records of thread-group id N\n"
		"      --comm NAME     records whose comm is NAME (at most 15 bytes)\n"
		"      --exe PATH      records whose exe is PATH\n"
		"      --auid N        records with login uid N (a tagged run)\n"
		"      --ses N         records of audit session N\n"
		"      --since TIME    records at or after TIME (epoch, \"YYYY-MM-DD HH:MM:SS\",\n"
		"                      recent, today, yesterday, this-week, ...)\n"
		"      --until TIME    records at or before TIME\n"
		"      --no-dedupe     count a record each time it is read\n"
		"      --lift-limits   lift the limits that drop records while this runs;\n"
		"                      put them back on every exit (see seclog-limits(1))\n"
		"Output:\n"
		"      --json          print the result as JSON\n"
		"  -o, --output OUT    write a profile to OUT (a new one, or the merge result)\n"
		"      --merge PROFILE merge the syscalls into PROFILE, in place unless -o\n"
		"      --add-arch      add record arches the profile does not list\n"
		"      --allow-denied  allow syscalls the profile explicitly denies\n"
		"      --dry-run       print the change as a unified diff; write nothing\n"
		"      --check         write nothing; exit 1 if the merge would change the profile\n"
		"  -q, --quiet         no summary or warnings on stderr\n"
		"  -v, --verbose       also list the processes the records came from\n"
		"  -h, --help          show this help\n"
		"\n"
		"Exit status: 0 success, 1 failure (or --check found changes), 2 usage error,\n"
		"3 records may be missing (the kernel reported dropped records, or --since is\n"
		"before every source begins): the result may be incomplete,\n"
		"4 (--check) nothing to check: no SECCOMP record was read or matched.\n",
	.exec = cmd_harvest,
};

static bool parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (!*s || *end || errno || v > UINT32_MAX || s[0] == '-')
		return false;
	*out = (uint32_t)v;
	return true;
}

static int parse_args(int argc, char **argv, struct harvest_args *a, struct sl_harvest *h)
{
	const struct sl_cmd *cmd = &sl_cmd_harvest;
	time_t now = time(NULL);
	char *cause = NULL;
	uint32_t u;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":f:o:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			a->files = sl_xrealloc(a->files, (a->nfiles + 1) * sizeof(*a->files));
			a->files[a->nfiles++] = optarg;
			break;
		case OPT_PID:
			if (!parse_u32(optarg, &u) || !u)
				return sl_usage_error(cmd, "--pid: '%s' is not a process id", optarg);
			sl_filter_add_pid(&h->filter, u);
			break;
		case OPT_COMM:
			/* the kernel keeps TASK_COMM_LEN - 1 bytes: a longer name could
			 * never match, and matching its prefix could match another */
			if (strlen(optarg) > 15)
				return sl_usage_error(cmd, "--comm: '%s' is %zu bytes, but the "
						      "kernel keeps only the first 15 bytes of a "
						      "process name, so no record can match; use "
						      "--comm '%.15s', or --exe PATH", optarg,
						      strlen(optarg), optarg);
			h->filter.comm = optarg;
			break;
		case OPT_EXE:
			h->filter.exe = optarg;
			break;
		case OPT_AUID:
		case OPT_SES:
			if (!parse_u32(optarg, &u))
				return sl_usage_error(cmd, "--%s: '%s' is not a number",
						      c == OPT_AUID ? "auid" : "ses", optarg);
			if (c == OPT_AUID) {
				h->filter.auid = u;
				h->filter.has_auid = true;
			} else {
				h->filter.ses = u;
				h->filter.has_ses = true;
			}
			break;
		case OPT_SINCE:
		case OPT_UNTIL:
			rc = sl_time_parse(optarg, now,
					   c == OPT_SINCE ? &h->filter.since : &h->filter.until,
					   &cause);
			if (rc) {
				rc = sl_usage_error(cmd, "--%s: %s", c == OPT_SINCE ? "since" : "until",
						    cause);
				free(cause);
				return rc;
			}
			if (c == OPT_SINCE)
				h->filter.has_since = true;
			else
				h->filter.has_until = true;
			break;
		case OPT_JSON:
			a->json = true;
			break;
		case 'o':
			a->output = optarg;
			break;
		case OPT_MERGE:
			a->merge = optarg;
			break;
		case OPT_ADD_ARCH:
			a->mopts.add_arch = true;
			break;
		case OPT_ALLOW_DENIED:
			a->mopts.allow_denied = true;
			break;
		case OPT_DRY_RUN:
			a->dry_run = true;
			break;
		case OPT_CHECK:
			a->check = true;
			break;
		case OPT_NO_DEDUPE:
			h->dedupe = false;
			break;
		case OPT_LIFT_LIMITS:
			a->lift_limits = true;
			break;
		case OPT_TRUST_SYSLOG:
			h->trust_syslog = true;
			break;
		case 'q':
			a->quiet = true;
			break;
		case 'v':
			a->verbose = true;
			break;
		case 'h':
			sl_cmd_help(cmd);
			return -1;
		default:
			return sl_opt_error(cmd, longopts, c, argv);
		}
	}
	if (optind < argc)
		return sl_usage_error(cmd, "unexpected argument '%s' (files are given with -f)",
				      argv[optind]);
	if (h->filter.has_since && h->filter.has_until && h->filter.since > h->filter.until)
		return sl_usage_error(cmd, "--since is after --until");
	if (a->check && !a->merge)
		return sl_usage_error(cmd, "--check needs --merge PROFILE");
	if ((a->mopts.add_arch || a->mopts.allow_denied) && !a->merge)
		return sl_usage_error(cmd, "--%s needs --merge PROFILE",
				      a->mopts.add_arch ? "add-arch" : "allow-denied");
	if (a->dry_run && !a->merge && !a->output)
		return sl_usage_error(cmd, "--dry-run needs --merge PROFILE or -o OUT");
	if (a->dry_run && a->check)
		return sl_usage_error(cmd, "--dry-run and --check do not go together");
	return 0;
}

static int read_sources(struct harvest_args *a, struct sl_harvest *h, struct sl_source **out,
			size_t *nout)
{
	const char *defaults[4];
	const char **files = a->files;
	size_t n = a->nfiles, i, failed = 0;
	struct sl_source *srcs;
	char *cause = NULL;
	int rc;

	if (!n) {
		n = sl_source_defaults(defaults, 4);
		files = defaults;
	}
	srcs = sl_xcalloc(n, sizeof(*srcs));
	*out = srcs;
	*nout = 0;
	for (i = 0; i < n; i++) {
		if (a->verbose)
			fprintf(stderr, "seclog: reading %s\n", files[i]);
		rc = sl_source_open(&srcs[*nout], files[i], &cause);
		if (rc && !a->nfiles) {
			/* a default the user did not name: say so, go on */
			if (!a->quiet)
				sl_warn("%s: %s", files[i], cause);
			free(cause);
			cause = NULL;
			continue;
		}
		if (rc) {
			sl_err("%s: %s", files[i], cause);
			free(cause);
			return SL_EXIT_FAIL;
		}
		(*nout)++;
	}
	if (!*nout) {
		sl_err("no log to read: none of the default sources could be opened "
		       "(name one with -f)");
		return SL_EXIT_FAIL;
	}
	rc = sl_harvest_sources(h, srcs, *nout, &failed, &cause);
	if (rc) {
		if (!sl_source_cancel)	/* a signal: no error to report */
			sl_err("%s: %s", srcs[failed].path, cause);
		free(cause);
		return SL_EXIT_FAIL;
	}
	return 0;
}

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
static int check_unread(const struct harvest_args *a, const struct sl_source *srcs, size_t n)
{
	int rc = 0;
	size_t i;

	for (i = 0; a->nfiles && i < n; i++) {
		if (srcs[i].stats.unknown && !srcs[i].stats.records) {
			warn_unknown(&srcs[i], true);
			rc = SL_EXIT_FAIL;
		}
	}
	return rc;
}

static void warn_sources(const struct sl_source *srcs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct sl_source_stats *st = &srcs[i].stats;

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
		if (st->lost)
			sl_warn("%s: the kernel ring overwrote messages %" PRIu64
				" time%s before they were read", srcs[i].path, st->lost,
				st->lost == 1 ? "" : "s");
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

static void print_text(const struct sl_harvest *h)
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

	if (h->lost)
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
	if (h->loss_why & (1u << SL_LOSS_SUPPRESSED))
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
			"their own; to follow a whole run, tag it with a login uid and use --auid "
			"(see seclog-harvest(1))");
}

static void print_json(const struct harvest_args *a, const struct sl_harvest *h,
		       const struct sl_source *srcs, size_t nsrcs, const struct merge_result *m)
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
		o = json_pack("{s:s?,s:s?,s:o,s:o,s:o,s:o,s:b,s:b,s:b}", "profile", a->merge,
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

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Known names (sorted, each once) and arches of the harvest. */
static void collect(const struct sl_harvest *h, const char ***names, size_t *n,
		    const struct sl_arch ***arches, size_t *narches)
{
	size_t i, j;

	*names = sl_xmalloc((h->nhits + 1) * sizeof(**names));
	*arches = sl_xmalloc((h->nhits + 1) * sizeof(**arches));
	*n = *narches = 0;
	for (i = 0; i < h->nhits; i++) {
		const struct sl_hit *t = &h->hits[i];

		if (!t->name)
			continue;
		(*names)[(*n)++] = t->name;
		for (j = 0; j < *narches && (*arches)[j] != t->arch; j++)
			;
		if (j == *narches)
			(*arches)[(*narches)++] = t->arch;
	}
	qsort(*names, *n, sizeof(**names), cmp_str);
	for (i = j = 0; i < *n; i++)
		if (!j || strcmp((*names)[i], (*names)[j - 1]))
			(*names)[j++] = (*names)[i];
	*n = j;
}

/*
 * The bytes of a file a run would replace, whatever they are (a profile
 * or not): a dry run's diff must show what the real run changes.  A file
 * that does not exist is empty.  Returns 0 or -errno.
 */
static int read_raw(const char *path, char **text, size_t *len)
{
	size_t cap = 65536;
	ssize_t n;
	int fd, rc = 0;

	*text = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	*text = sl_xmalloc(cap);
	for (;;) {
		if (*len == cap)
			*text = sl_xrealloc(*text, cap *= 2);
		n = read(fd, *text + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	if (n < 0) {
		rc = -errno;
		free(*text);
		*text = NULL;
		*len = 0;
	}
	close(fd);
	return rc;
}

/*
 * The diff of old and the edits made to it, on stdout; both sides named
 * as the file, so that `patch -p0 < diff` applies it.
 */
static int show_diff(const char *label, const char *old, size_t olen,
		     const struct sl_jedits *e)
{
	size_t n;
	char *d = sl_diff_edits(old ? old : "", olen, e, label, &n);

	if (!d) {
		sl_err("%s: internal error: the edits overlap", label);
		return SL_EXIT_FAIL;
	}
	fwrite(d, 1, n, stdout);
	free(d);
	return SL_EXIT_OK;
}

/* A dry run replacing path's bytes, whatever they are, with new. */
static int diff_replace(const char *path, const char *new, size_t nlen)
{
	struct sl_jedit whole = { 0 };
	struct sl_jedits e = { &whole, 1 };
	char *old;
	size_t olen;
	int rc = read_raw(path, &old, &olen);

	if (rc) {
		sl_err("%s: %s", path, strerror(-rc));
		return SL_EXIT_FAIL;
	}
	whole.del = olen;
	whole.ins = (char *)new;
	if (strlen(new) != nlen) {	/* never: profiles hold no NUL */
		free(old);
		sl_err("%s: internal error: a NUL in the new text", path);
		return SL_EXIT_FAIL;
	}
	rc = show_diff(path, old, olen, &e);
	free(old);
	return rc;
}

static void report_plan(const struct harvest_args *a, const struct sl_merge_plan *plan)
{
	size_t i;

	if (a->quiet)
		return;
	if (sl_merge_permissive(plan))
		sl_warn("%s: defaultAction is %s: this profile enforces nothing (every syscall "
			"it does not deny is %s); set it to SCMP_ACT_ERRNO to enforce", a->merge,
			plan->default_action,
			strcmp(plan->default_action, "SCMP_ACT_LOG") ? "allowed" :
			"allowed and logged");
	for (i = 0; i < plan->nkept; i++) {
		const struct sl_claim *c = &plan->kept[i];

		if (c->superseded)
			sl_warn("%s: %s is denied by syscalls[%zu] (%s) under a condition; allowed "
				"unconditionally now, %s: that deny is left in the file but no "
				"longer acts", a->merge, c->name, c->rule, c->action,
				c->args ? "and libseccomp lets an unconditional rule supersede one "
				"with args" : "by an earlier rule, and libseccomp keeps the first "
				"of two rules for a syscall");
		else if (c->still_denies)
			sl_warn("%s: %s is denied by syscalls[%zu] (%s) where its includes/excludes "
				"apply; allowed by a later rule now, but libseccomp keeps the first "
				"of two rules for a syscall: there the deny still acts", a->merge,
				c->name, c->rule, c->action);
		else
			sl_warn("%s: %s is %s by syscalls[%zu] (%s); left as it is%s", a->merge,
				c->name, c->conditional ? "denied under a condition" : "denied",
				c->rule, c->action,
				a->mopts.allow_denied ? "" : " (--allow-denied allows it)");
	}
	for (i = 0; i < plan->nfreed; i++)
		sl_warn("%s: %s removed from syscalls[%zu] (%s) and allowed (--allow-denied)",
			a->merge, plan->freed[i].name, plan->freed[i].rule, plan->freed[i].action);
	for (i = 0; i < plan->nwidened; i++)
		sl_warn("%s: %s was allowed only under a condition; a call outside it was "
			"recorded, so it is now allowed unconditionally", a->merge, plan->widened[i]);
	for (i = 0; i < plan->narches; i++)
		sl_warn("%s: records from arch %s, which the profile does not list%s", a->merge,
			plan->arches[i]->name,
			plan->add_arches ? "; added" : " (--add-arch adds it)");
}

/* Only after success: a failed run says why, and nothing more. */
static void summary(const struct harvest_args *a, const struct merge_result *m)
{
	size_t i;

	if (a->quiet || a->json)
		return;
	if (!sl_merge_changes(&m->plan)) {
		fprintf(stderr, "seclog: %s: up to date, nothing to add%s\n", a->merge,
			sl_merge_permissive(&m->plan) ? " (but it enforces nothing)" : "");
		return;
	}
	if (!m->plan.nadd)
		fprintf(stderr, "seclog: %s: %s\n", m->target,
			a->check || a->dry_run ? "would change (no syscall to add)" :
			"changed (no syscall added)");
	else
		fprintf(stderr, "seclog: %s: %s %zu syscall%s:", m->target,
			a->check || a->dry_run ? "would add" : "added", m->plan.nadd,
			m->plan.nadd == 1 ? "" : "s");
	for (i = 0; i < m->plan.nadd; i++)
		fprintf(stderr, " %s", m->plan.add[i]);
	if (m->plan.nadd)
		fputc('\n', stderr);
	if (m->written && !strcmp(m->target, a->merge))
		fprintf(stderr, "seclog: previous version kept in %s.bak\n", a->merge);
}

/*
 * Take the profile's merge lock, so that two merges into one profile run
 * one after the other and neither loses the other's names.
 */
static int lock_profile(const struct harvest_args *a, int *fd)
{
	char *cause = NULL;
	int rc = sl_profile_lock(a->merge, false, fd, &cause);

	if (rc == -EWOULDBLOCK) {
		if (!a->quiet)
			fprintf(stderr, "seclog: %s: waiting for another seclog merging into it\n",
				a->merge);
		rc = sl_profile_lock(a->merge, true, fd, &cause);
	}
	if (rc) {
		sl_err("%s: %s", a->merge, cause);
		free(cause);
		return SL_EXIT_FAIL;
	}
	return SL_EXIT_OK;
}

static int do_merge(const struct harvest_args *a, const struct sl_harvest *h,
		    struct merge_result *m)
{
	bool in_place = !a->check && !a->dry_run &&
			(!a->output || !strcmp(a->output, a->merge));
	struct sl_jedits edits = { 0 };
	const struct sl_arch **arches;
	const char **names;
	struct sl_profile p;
	struct stat st;
	size_t n, narches, outlen;
	char *cause = NULL, *out = NULL;
	int rc, lock = -1;

	if (stat(a->merge, &st) && errno == ENOENT) {
		sl_err("%s: no such profile (to write a new profile, use -o %s)", a->merge,
		       a->merge);
		return SL_EXIT_FAIL;
	}
	/* lock, then read: a merge that waited sees the other's result */
	if (in_place && (rc = lock_profile(a, &lock)))
		return rc;
	rc = sl_profile_load(&p, a->merge, &cause);
	if (rc) {
		sl_err("%s: %s", a->merge, cause);
		free(cause);
		if (lock >= 0)
			close(lock);
		return SL_EXIT_FAIL;
	}
	collect(h, &names, &n, &arches, &narches);
	sl_merge_plan(&p, names, n, arches, narches, &a->mopts, &m->plan);
	free(names);
	free(arches);
	m->target = a->output ? a->output : a->merge;
	if (a->check && !h->matched) {
		/* an empty or wrong log must not pass a CI gate as "converged" */
		if (h->records)
			sl_err("%s: nothing to check: %" PRIu64 " SECCOMP record%s read, none "
			       "matched the filters", a->merge, h->records,
			       h->records == 1 ? "" : "s");
		else
			sl_err("%s: nothing to check: no SECCOMP record was read", a->merge);
		sl_profile_free(&p);
		return SL_EXIT_NOTHING;
	}
	report_plan(a, &m->plan);

	m->changed = sl_merge_changes(&m->plan);
	if (m->changed) {
		rc = sl_merge_apply_edits(&p, &m->plan, &out, &outlen, &edits, &cause);
		if (rc) {
			sl_err("%s: %s", a->merge, cause);
			free(cause);
			sl_profile_free(&p);
			if (lock >= 0)
				close(lock);
			return SL_EXIT_FAIL;
		}
	} else {
		out = sl_xmalloc(p.len + 1);
		memcpy(out, p.text, p.len + 1);
		outlen = p.len;
	}
	rc = SL_EXIT_OK;
	if (a->check) {
		rc = m->changed ? SL_EXIT_FAIL : SL_EXIT_OK;
	} else if (a->dry_run) {
		char *old = NULL;
		size_t olen = 0;

		/* -o OUT: the diff is against OUT's bytes, which the run replaces */
		if (a->output && (rc = read_raw(a->output, &old, &olen))) {
			sl_err("%s: %s", a->output, strerror(-rc));
			rc = SL_EXIT_FAIL;
		} else if (a->output && (olen != p.len || memcmp(old, p.text, olen))) {
			rc = diff_replace(a->output, out, outlen);
		} else {
			rc = show_diff(m->target, p.text, p.len, &edits);
		}
		free(old);
	} else if (m->changed || a->output) {
		/* unchanged in place: not a byte touched, no backup made */
		rc = sl_write_atomic(m->target, out, outlen, true, &cause);
		if (rc) {
			sl_err("%s: %s", m->target, cause);
			free(cause);
			rc = SL_EXIT_FAIL;
		} else {
			m->written = true;
		}
	}
	if (lock >= 0)
		close(lock);
	if (rc == SL_EXIT_OK || (a->check && rc == SL_EXIT_FAIL))
		summary(a, m);
	sl_jedits_free(&edits);
	free(out);
	sl_profile_free(&p);
	return rc;
}

static int do_new(const struct harvest_args *a, const struct sl_harvest *h)
{
	const struct sl_arch **arches;
	const char **names;
	size_t n, narches;
	char *text, *cause = NULL;
	int rc = SL_EXIT_OK;

	collect(h, &names, &n, &arches, &narches);
	text = sl_profile_new(names, n, arches, narches);
	if (a->dry_run) {
		rc = diff_replace(a->output, text, strlen(text));
	} else if (sl_write_atomic(a->output, text, strlen(text), true, &cause)) {
		sl_err("%s: %s", a->output, cause);
		free(cause);
		rc = SL_EXIT_FAIL;
	} else if (!a->quiet && !a->json) {
		fprintf(stderr, "seclog: %s: wrote a profile allowing %zu syscall%s\n", a->output,
			n, n == 1 ? "" : "s");
	}
	free(text);
	free(names);
	free(arches);
	return rc;
}

static void on_signal(int sig)
{
	sl_source_cancel = sig;
}

/*
 * No SA_RESTART: a blocked read returns EINTR, and the harvest unwinds.
 * With lifted limits a reader that goes away (| head) must not kill us
 * before they are put back: SIGPIPE then takes the same way out.
 */
static void catch_signals(bool pipe)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (pipe)
		sigaction(SIGPIPE, &sa, NULL);
}

static int cmd_harvest(int argc, char **argv)
{
	struct harvest_args a = { 0 };
	struct merge_result m = { 0 };
	struct sl_harvest h;
	struct sl_source *srcs = NULL;
	size_t nsrcs = 0, i;
	bool lifted = false;
	char *cause = NULL;
	int rc;

	sl_harvest_init(&h);
	rc = parse_args(argc, argv, &a, &h);
	if (rc) {
		rc = rc < 0 ? SL_EXIT_OK : rc;
		goto out;
	}
	catch_signals(a.lift_limits);
	if (a.lift_limits) {
		if (sl_limits_lift(SL_LIMITS_STATE, getpid(), &lifted, &cause)) {
			sl_err("--lift-limits: %s", cause);
			free(cause);
			rc = SL_EXIT_FAIL;
			goto out;
		}
		lifted = true;	/* a holder now, whoever saved the originals */
	}
	rc = read_sources(&a, &h, &srcs, &nsrcs);
	if (!rc)
		rc = check_unread(&a, srcs, nsrcs);
	if (rc)
		goto out;
	sl_harvest_finish(&h);
	if (!a.quiet) {
		warn_sources(srcs, nsrcs);
		warn_hits(&h);
		if (a.verbose)
			print_procs(&h);
		if (!h.matched)
			warn_unmatched(&h);
		if (h.untrusted)
			warn_untrusted(&h);
		if (h.loss_reports)
			warn_loss(&h);
		if (h.uncovered)
			warn_coverage(&h, srcs, nsrcs);
	}
	if (a.merge)
		rc = do_merge(&a, &h, &m);
	else if (a.output)
		rc = do_new(&a, &h);
	else if (!a.json)
		print_text(&h);
	if (a.json && !a.dry_run)
		print_json(&a, &h, srcs, nsrcs, a.merge ? &m : NULL);
	if (fflush(stdout) || ferror(stdout)) {
		if (sl_source_cancel != SIGPIPE)
			sl_err("stdout: %s", strerror(errno));
		rc = SL_EXIT_FAIL;
	}
	if (rc == SL_EXIT_OK && sl_harvest_incomplete(&h))
		rc = SL_EXIT_INCOMPLETE;
out:
	if (lifted) {
		bool restored;

		/* the last holder to leave puts them back */
		if (sl_limits_release(SL_LIMITS_STATE, getpid(), &restored, &cause)) {
			sl_err("restoring limits: %s (run 'seclog limits restore')", cause);
			free(cause);
			rc = SL_EXIT_FAIL;
		}
	}
	if (sl_source_cancel) {
		/* die of the signal, now that the host is as it was */
		signal((int)sl_source_cancel, SIG_DFL);
		raise((int)sl_source_cancel);
	}
	for (i = 0; i < nsrcs; i++)
		sl_source_close(&srcs[i]);
	free(srcs);
	free(a.files);
	sl_merge_plan_free(&m.plan);
	sl_harvest_free(&h);
	return rc;
}
