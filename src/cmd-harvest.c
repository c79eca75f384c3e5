/*
 * cmd-harvest.c - seclog harvest: read SECCOMP records, name their
 * syscalls per arch, print them or merge them into a profile; from logs
 * as written, or live (--follow) until a signal, a time or an exit.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd-result.h"
#include "cmd-strace.h"
#include "container.h"
#include "error.h"
#include "harvest.h"
#include "host-limits.h"
#include "proc-tree.h"
#include "state.h"
#include "timeparse.h"
#include "tty.h"

enum {
	OPT_PID = 256, OPT_COMM, OPT_EXE, OPT_AUID, OPT_SES, OPT_SINCE, OPT_UNTIL, OPT_JSON,
	OPT_MERGE, OPT_ADD_ARCH, OPT_ALLOW_DENIED, OPT_DRY_RUN, OPT_CHECK, OPT_NO_DEDUPE,
	OPT_LIFT_LIMITS, OPT_TRUST_SYSLOG, OPT_SOURCE, OPT_FOLLOW, OPT_FROM_START, OPT_DURATION,
	OPT_UNTIL_EXIT, OPT_STATE, OPT_CHILDREN,
	OPT_STRACE, OPT_CONTAINER,
};

static const struct option longopts[] = {
	{ "file", required_argument, NULL, 'f' },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "strace", required_argument, NULL, OPT_STRACE },
	{ "follow", no_argument, NULL, OPT_FOLLOW },
	{ "from-start", no_argument, NULL, OPT_FROM_START },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "until-exit", required_argument, NULL, OPT_UNTIL_EXIT },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "children", no_argument, NULL, OPT_CHILDREN },
	{ "container", required_argument, NULL, OPT_CONTAINER },
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

#define SL_KINDS_MAX 4

/* What the progress line tells (tty.h) */
struct scan {
	const struct sl_harvest *h;
	const struct sl_source *srcs;
	size_t n;
	bool follow;
};

struct harvest_args {
	const char **files;
	size_t nfiles;
	const struct sl_source_ops *kinds[SL_KINDS_MAX];	/* --source */
	size_t nkinds;
	bool auto_source, follow, from_start, children, lift_limits;
	double duration;
	int64_t until_exit;
	const char *state;
	struct sl_report r;
	const char **straces;	/* --strace */
	size_t nstraces;
	const char *container;	/* --container */
	struct scan scan;
};

static int cmd_harvest(int argc, char **argv);

const struct sl_cmd sl_cmd_harvest = {
	.name = "harvest",
	.summary = "Collect the syscalls SECCOMP records show; print or merge them into a profile",
	.usage = "[-f FILE | --source KIND | --strace FILE]... [--follow] [filters] [--json | -o OUT | --merge PROFILE] [options]",
	.help =
		"Sources (default: audit.log, kern.log or syslog where they exist, and /dev/kmsg;\n"
		"live: the best of netlink, journal, audit.log, kmsg, kern.log/syslog):\n"
		"  -f, --file FILE     read records from FILE (repeatable; - is stdin)\n"
		"      --source KIND   netlink, journal, kmsg or auto (repeatable)\n"
		"      --strace FILE   syscalls from strace -f/-ff/-c output (repeatable); with\n"
		"                      only these, no default log is read\n"
		"      --follow        keep reading as records come, until SIGINT or SIGTERM;\n"
		"                      then merge or print once (files: like tail -F)\n"
		"      --from-start    with --follow: kmsg and journal from their oldest record\n"
		"      --duration SECONDS  follow for this long\n"
		"      --until-exit PID    follow until process PID exits\n"
		"      --state FILE    resume where the run that saved FILE stopped; save again\n"
		"      --trust-syslog  count records only syslog text holds, which any local\n"
		"                      user can write (seclog-harvest(1): SECURITY)\n"
		"Filters (a record must pass all; --pid may repeat):\n"
		"      --pid N         records of thread-group id N\n"
		"      --children      with --pid: also the processes N forks, while they live\n"
		"      --container [RUNTIME:]ID  the processes of container ID (runc, crun,\n"
		"                      podman): --pid of its init with --children; a\n"
		"                      followed harvest ends when the init exits\n"
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
		"  -o, --output OUT    write a profile to OUT (a new one, or the merge result;\n"
		"                      - for standard output)\n"
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

/*
 * --container: the init's pid from the runtime, then as --pid PID
 * --children; following, the container's end is the harvest's (unless
 * --until-exit names another process)
 */
static int container_pid(struct harvest_args *a, struct sl_harvest *h)
{
	const char *rt;
	char *cause = NULL;
	int64_t pid;

	if (sl_container_pid(a->container, &pid, &rt, &cause)) {
		sl_err("--container %s: %s", a->container, cause);
		free(cause);
		return SL_EXIT_FAIL;
	}
	if (a->r.verbose)
		fprintf(stderr, "seclog: --container %s: %s's init is pid %lld\n", a->container,
			rt, (long long)pid);
	sl_filter_add_pid(&h->filter, (uint32_t)pid);
	a->children = true;
	if (a->follow && !a->until_exit)
		a->until_exit = pid;
	return 0;
}

static int parse_args(int argc, char **argv, struct harvest_args *a, struct sl_harvest *h)
{
	const struct sl_cmd *cmd = &sl_cmd_harvest;
	time_t now = time(NULL);
	const struct sl_source_ops *ops;
	char *cause = NULL, *end;
	uint32_t u;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":f:o:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			a->files = sl_xrealloc(a->files, (a->nfiles + 1) * sizeof(*a->files));
			a->files[a->nfiles++] = optarg;
			break;
		case OPT_STRACE:
			a->straces = sl_xrealloc(a->straces,
						 (a->nstraces + 1) * sizeof(*a->straces));
			a->straces[a->nstraces++] = optarg;
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
			a->r.json = true;
			break;
		case 'o':
			a->r.pass.output = optarg;
			break;
		case OPT_MERGE:
			a->r.pass.merge = optarg;
			break;
		case OPT_ADD_ARCH:
			a->r.pass.mopts.add_arch = true;
			break;
		case OPT_ALLOW_DENIED:
			a->r.pass.mopts.allow_denied = true;
			break;
		case OPT_DRY_RUN:
			a->r.pass.dry_run = true;
			break;
		case OPT_CHECK:
			a->r.pass.check = true;
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
		case OPT_SOURCE:
			if (!strcmp(optarg, "auto"))
				a->auto_source = true;
			else if (!(ops = sl_report_source_kind(optarg)))
				return sl_usage_error(cmd, "--source: '%s' is not a source (netlink, "
						      "journal, kmsg, auto; files with -f)", optarg);
			else
				a->kinds[a->nkinds < SL_KINDS_MAX ? a->nkinds++ : a->nkinds - 1] = ops;
			break;
		case OPT_FOLLOW:
			a->follow = true;
			break;
		case OPT_FROM_START:
			a->from_start = true;
			break;
		case OPT_DURATION:
			a->duration = strtod(optarg, &end);
			if (end == optarg || *end || !(a->duration > 0) || a->duration > 1e9)
				return sl_usage_error(cmd, "--duration: '%s' is not a number of seconds",
						      optarg);
			break;
		case OPT_UNTIL_EXIT:
			if (!parse_u32(optarg, &u) || !u)
				return sl_usage_error(cmd, "--until-exit: '%s' is not a process id", optarg);
			a->until_exit = u;
			break;
		case OPT_STATE:
			a->state = optarg;
			break;
		case OPT_CHILDREN:
			a->children = true;
			break;
		case OPT_CONTAINER:
			a->container = optarg;
			break;
		case 'q':
			a->r.quiet = true;
			break;
		case 'v':
			a->r.verbose = true;
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
	if (a->container && (rc = container_pid(a, h)))
		return rc;
	if (a->duration > 0 || a->until_exit)
		a->follow = true;
	if (a->children && !h->filter.npids)
		return sl_usage_error(cmd, "--children needs --pid N");
	if (a->from_start && !a->follow)
		return sl_usage_error(cmd, "--from-start needs --follow (a harvest without it "
				      "reads each source from its start)");
	if (a->nkinds && !a->follow)
		for (c = 0; c < (int)a->nkinds; c++)
			if (a->kinds[c] == &sl_source_netlink_ops)
				return sl_usage_error(cmd, "--source netlink needs --follow, "
						      "--duration or --until-exit: the socket "
						      "holds no past records");
	if (a->nstraces && !a->nfiles && !a->nkinds && !a->auto_source && !a->follow &&
	    (h->filter.comm || h->filter.exe || h->filter.has_auid || h->filter.has_ses ||
	     h->filter.has_since || h->filter.has_until))
		return sl_usage_error(cmd, "--%s does not apply to strace input: a trace holds "
				      "pids, not comms, exes, login ids or dates; only --pid (and "
				      "--children) filter it", h->filter.comm ? "comm" :
				      h->filter.exe ? "exe" : h->filter.has_auid ? "auid" :
				      h->filter.has_ses ? "ses" : h->filter.has_since ? "since" :
				      "until");
	if (a->r.pass.check && !a->r.pass.merge)
		return sl_usage_error(cmd, "--check needs --merge PROFILE");
	if ((a->r.pass.mopts.add_arch || a->r.pass.mopts.allow_denied) && !a->r.pass.merge)
		return sl_usage_error(cmd, "--%s needs --merge PROFILE",
				      a->r.pass.mopts.add_arch ? "add-arch" : "allow-denied");
	if (a->r.pass.output && !strcmp(a->r.pass.output, "-") &&
	    (a->r.pass.dry_run || a->r.json || a->r.pass.check))
		return sl_usage_error(cmd, "-o - (the profile on standard output) does not go "
				      "with --%s", a->r.pass.dry_run ? "dry-run" :
				      a->r.json ? "json" : "check");
	if (a->r.pass.dry_run && !a->r.pass.merge && !a->r.pass.output)
		return sl_usage_error(cmd, "--dry-run needs --merge PROFILE or -o OUT");
	if (a->r.pass.dry_run && a->r.pass.check)
		return sl_usage_error(cmd, "--dry-run and --check do not go together");
	return 0;
}

static void add_source(struct sl_source **srcs, size_t *n)
{
	*srcs = sl_xrealloc(*srcs, (*n + 1) * sizeof(**srcs));
	memset(&(*srcs)[*n], 0, sizeof(**srcs));
}

static unsigned int open_flags(const struct harvest_args *a)
{
	return (a->follow ? SL_SOURCE_FOLLOW : 0) | (a->from_start ? SL_SOURCE_FROM_START : 0);
}

/* The checkpoint --state holds for the source (ops, name), or NULL. */
static const char *resume_for(const struct harvest_args *a, const struct sl_state *st,
			      const struct sl_source_ops *ops, const char *name)
{
	struct sl_source probe;
	const char *line;
	char *key;

	if (!a->state)
		return NULL;
	/* the key is made from what the source will be */
	memset(&probe, 0, sizeof(probe));
	probe.ops = ops;
	probe.path = (char *)name;
	key = sl_state_key(&probe);
	line = key ? sl_state_get(st, key) : NULL;
	free(key);
	return line;
}

/* Open one source; a default the user did not name may fail with a warning. */
static int open_one(struct harvest_args *a, struct sl_source **srcs, size_t *n,
		    const struct sl_source_ops *ops, const char *path, bool named,
		    const struct sl_state *st)
{
	const char *name = path ? path : ops->name;
	char *cause = NULL;
	int rc;

	add_source(srcs, n);
	if (a->r.verbose)
		fprintf(stderr, "seclog: reading %s\n", name);
	rc = sl_source_open_ops(&(*srcs)[*n], ops, path, open_flags(a),
				resume_for(a, st, ops, name), &cause);
	if (rc && !named) {
		if (!a->r.quiet)
			sl_warn("%s: %s", name, cause);
		free(cause);
		return 0;
	}
	if (rc) {
		sl_err("%s: %s", name, cause);
		free(cause);
		return SL_EXIT_FAIL;
	}
	(*n)++;
	return 0;
}

static int open_sources(struct harvest_args *a, const struct sl_state *st, struct sl_source **srcs,
			size_t *n)
{
	const char *defaults[4];
	struct sl_source *src;
	size_t i, nd;
	int rc;

	*srcs = NULL;
	*n = 0;
	for (i = 0; i < a->nfiles; i++)
		if ((rc = open_one(a, srcs, n, sl_source_ops_of(a->files[i]), a->files[i], true,
				   st)))
			return rc;
	for (i = 0; i < a->nkinds; i++)
		if ((rc = open_one(a, srcs, n, a->kinds[i],
				   a->kinds[i] == &sl_source_kmsg_ops ? "/dev/kmsg" : NULL, true, st)))
			return rc;
	if (a->nfiles || a->nkinds) {
		if (!a->auto_source)
			return 0;
	} else if (!a->follow && !a->auto_source) {
		/* what was written: every default log, each record once */
		nd = sl_source_defaults(defaults, 4);
		for (i = 0; i < nd; i++)
			if ((rc = open_one(a, srcs, n, sl_source_ops_of(defaults[i]), defaults[i],
					   false, st)))
				return rc;
		if (!*n) {
			sl_err("no log to read: none of the default sources could be opened "
			       "(name one with -f)");
			return SL_EXIT_FAIL;
		}
		return 0;
	}
	add_source(srcs, n);
	src = &(*srcs)[*n];
	rc = sl_report_source_auto(&a->r, src, open_flags(a));
	if (rc)
		return rc;
	/* the one it took may have a checkpoint: open it again from there */
	if (resume_for(a, st, src->ops, src->path)) {
		const struct sl_source_ops *ops = src->ops;
		char *path = strcmp(src->path, ops->name) ? sl_xstrdup(src->path) : NULL;

		sl_source_close(src);
		rc = open_one(a, srcs, n, ops, path, true, st);
		free(path);
		return rc;
	}
	(*n)++;
	return 0;
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

/*
 * A live harvest ends normally on SIGINT, SIGTERM or SIGHUP: blocked and
 * taken from a signalfd in the harvest's one ppoll(), none is missed
 * between a check and a wait.
 */
static int live_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static int pidfd_of(int64_t pid, char **cause)
{
#ifdef SYS_pidfd_open
	int fd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);

	if (fd >= 0)
		return fd;
	return sl_fail(cause, -errno, "%s", errno == ESRCH ? "no such process" :
		       errno == ENOSYS ? "needs Linux 5.3 or later (pidfd_open)" : strerror(errno));
#else
	(void)pid;
	return sl_fail(cause, -ENOSYS, "needs Linux 5.3 or later (pidfd_open)");
#endif
}

/*
 * The progress line: bytes read of the files' sizes, records read and
 * matched; a pipe's size is not known, a followed harvest has none.
 * Called after each chunk a file source reads, and by a live harvest's
 * wait: the clock is read no more often than that.
 */
static void draw(void *arg)
{
	const struct scan *s = arg;
	unsigned long long bytes = 0, sized = 0, size = 0;
	bool unknown = false;
	char b[32], t[32], of[40] = "", pct[16] = "";
	size_t i;

	if (!sl_progress_due())
		return;
	for (i = 0; i < s->n; i++) {
		const struct sl_source *src = &s->srcs[i];

		bytes += src->stats.bytes;
		/* an empty file, a pipe at its end: all read; a log still
		 * written grows past the size it had at open */
		if (src->size || src->ended) {
			sized += src->stats.bytes;
			size += src->size > src->stats.bytes ? src->size : src->stats.bytes;
		} else if (src->ops == &sl_source_file_ops) {	/* kmsg is small */
			unknown = true;
		}
	}
	if (s->follow) {
		sl_progress_show("seclog: following: %llu records, %llu matched",
				 (unsigned long long)s->h->records,
				 (unsigned long long)s->h->matched);
		return;
	}
	sl_human_bytes(b, sizeof(b), bytes);
	if (size && !unknown) {
		sl_human_bytes(t, sizeof(t), size);
		snprintf(of, sizeof(of), " of %s", t);
		snprintf(pct, sizeof(pct), " (%llu%%)", sized * 100 / size);
	}
	sl_progress_show("seclog: %s%s read%s, %llu records, %llu matched", b, of, pct,
			 (unsigned long long)s->h->records, (unsigned long long)s->h->matched);
}

static void live_tick(const struct sl_harvest *h, void *arg)
{
	struct harvest_args *a = arg;

	(void)h;
	draw(&a->scan);
}

/* SIGUSR1 while following: the result so far, as at the end, on stdout */
static void progress(const struct sl_harvest *h, void *arg)
{
	struct harvest_args *a = arg;
	struct sl_harvest snap;

	/* stdout may be the terminal the line is on */
	sl_progress_clear();
	sl_harvest_snapshot(h, &snap);
	if (a->r.json)
		sl_report_json(&a->r, &snap, NULL, 0, NULL);
	else
		sl_report_text(&snap);
	fflush(stdout);
	sl_harvest_free(&snap);
}

static int cmd_harvest(int argc, char **argv)
{
	struct harvest_args a = { 0 };
	struct sl_pass_result m = { 0 };
	struct sl_state st = { 0 };
	struct sl_harvest h;
	struct sl_live live;
	struct sl_source *srcs = NULL;
	struct sl_strace trace;
	const char *how = NULL;
	size_t nsrcs = 0, i, failed = 0;
	bool lifted = false, strace_only;
	char *cause = NULL;
	int rc;

	sl_harvest_init(&h);
	sl_live_init(&live);
	sl_strace_init(&trace, NULL);
	rc = parse_args(argc, argv, &a, &h);
	if (rc) {
		rc = rc < 0 ? SL_EXIT_OK : rc;
		goto out;
	}
	a.r.named = a.nfiles || a.nkinds;
	catch_signals(a.lift_limits);
	if (a.follow)
		live.sig_fd = live_signals();
	if (a.state && sl_state_load(&st, a.state, &cause)) {
		sl_err("--state: %s", cause);
		free(cause);
		rc = SL_EXIT_FAIL;
		goto out;
	}
	if (a.until_exit && (live.stop_fd = pidfd_of(a.until_exit, &cause)) < 0) {
		sl_err("--until-exit %lld: %s", (long long)a.until_exit, cause);
		free(cause);
		rc = SL_EXIT_FAIL;
		goto out;
	}
	live.duration = a.duration;
	live.progress = progress;
	live.arg = &a;
	live.settle = 0.2;
	/* --strace alone: the trace is what the user asked for, no log; and
	 * --children follows the trace's own forks, not live processes */
	strace_only = a.nstraces && !a.nfiles && !a.nkinds && !a.auto_source && !a.follow;
	a.r.straces = a.straces;
	a.r.nstraces = a.nstraces;
	if (a.nstraces && (rc = sl_cmd_strace_read(&trace, a.straces, a.nstraces, a.r.quiet)))
		goto out;
	if (a.nstraces && !strace_only && !a.r.quiet &&
	    (h.filter.comm || h.filter.exe || h.filter.has_auid || h.filter.has_ses ||
	     h.filter.has_since || h.filter.has_until))
		sl_warn("--strace: --comm, --exe, --auid, --ses, --since and --until filter "
			"records only: strace input holds none of them");
	if (a.children && !strace_only) {
		rc = sl_proc_tree_open(&h.filter.tree, h.filter.pids, h.filter.npids, &how, &cause);
		if (rc) {
			sl_err("--children: %s", cause);
			free(cause);
			rc = SL_EXIT_FAIL;
			goto out;
		}
		live.tree = h.filter.tree;
		if (a.r.verbose)
			fprintf(stderr, "seclog: --children: tracking by %s\n", how);
	}
	if (a.lift_limits) {
		if (sl_limits_lift(SL_LIMITS_STATE, getpid(), &lifted, &cause)) {
			sl_err("--lift-limits: %s", cause);
			free(cause);
			rc = SL_EXIT_FAIL;
			goto out;
		}
		lifted = true;	/* a holder now, whoever saved the originals */
	}
	rc = strace_only ? 0 : open_sources(&a, &st, &srcs, &nsrcs);
	if (rc)
		goto out;
	a.scan = (struct scan){ .h = &h, .srcs = srcs, .n = nsrcs, .follow = a.follow };
	sl_progress_start(a.r.quiet);
	for (i = 0; i < nsrcs; i++) {
		srcs[i].on_read = draw;
		srcs[i].on_read_arg = &a.scan;
	}
	live.tick = live_tick;
	rc = strace_only ? 0 : sl_harvest_run(&h, srcs, nsrcs, &live, &failed, &cause);
	sl_progress_end();
	if (rc) {
		if (!sl_source_cancel)	/* a signal: no error to report */
			sl_err("%s: %s", failed < nsrcs ? srcs[failed].path : "harvest", cause);
		free(cause);
		rc = SL_EXIT_FAIL;
		goto out;
	}
	rc = sl_report_unread(&a.r, srcs, nsrcs);
	if (rc)
		goto out;
	if (a.state) {
		sl_state_update(&st, srcs, nsrcs);
		if (sl_state_save(&st, a.state, &cause)) {
			sl_err("--state: %s", cause);
			free(cause);
			rc = SL_EXIT_FAIL;
			goto out;
		}
	}
	if (a.nstraces)
		sl_cmd_strace_harvest(&trace, &h, a.children, a.r.quiet, a.r.verbose);
	sl_harvest_finish(&h);
	sl_report_warnings(&a.r, &h, srcs, nsrcs);
	rc = sl_report_pass(&a.r, &h, srcs, nsrcs, &m);
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
	free(a.straces);
	sl_strace_free(&trace);
	if (h.filter.tree)
		sl_proc_tree_close(h.filter.tree);
	h.filter.tree = NULL;
	if (live.stop_fd >= 0)
		close(live.stop_fd);
	if (live.sig_fd >= 0)
		close(live.sig_fd);
	sl_state_free(&st);
	sl_pass_result_free(&m);
	sl_harvest_free(&h);
	return rc;
}
