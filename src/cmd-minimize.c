/*
 * cmd-minimize.c - seclog minimize: the fewest allowed names with which
 * CMD still passes under the enforcing profile.  The baseline run, the
 * observed run (root), the search (minimize.c) over trials (trial.c),
 * the pruned profile (prune.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "history.h"
#include "enforce.h"
#include "error.h"
#include "launch.h"
#include "minimize.h"
#include "observe.h"
#include "profile.h"
#include "prune.h"
#include "scope.h"
#include "trial.h"

enum {
	OPT_PROFILE = 256, OPT_TEST, OPT_SAME_OUTPUT, OPT_RUNS, OPT_JOBS, OPT_TIMEOUT,
	OPT_KEEP_GOING, OPT_JSON, OPT_NO_OBSERVE,
};

static const struct option longopts[] = {
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "output", required_argument, NULL, 'o' },
	{ "test", required_argument, NULL, OPT_TEST },
	{ "same-output", no_argument, NULL, OPT_SAME_OUTPUT },
	{ "runs", required_argument, NULL, OPT_RUNS },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "keep-going", no_argument, NULL, OPT_KEEP_GOING },
	{ "no-observe", no_argument, NULL, OPT_NO_OBSERVE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int cmd_minimize(int argc, char **argv);

const struct sl_cmd sl_cmd_minimize = {
	.name = "minimize",
	.summary = "Find the fewest allowed syscalls a command still works with",
	.usage = "[--profile P] [-o OUT] [options] -- CMD [ARGS...]",
	.help =
		"  Runs CMD under P enforced, then under P with allowed names taken away,\n"
		"  many trials at once, until no single name can go.  A trial passes when\n"
		"  CMD exits with the status it had under P (and, with --same-output, prints\n"
		"  the same); the names it needed stay.\n"
		"      --profile P     the profile to minimise (default: OUT, in place)\n"
		"  -o, --output OUT    write the minimised profile to OUT; without it, list\n"
		"                      each allowed name as keep or drop and write nothing\n"
		"      --test SCRIPT   judge each run with SCRIPT STATUS STDOUT STDERR (CMD's\n"
		"                      exit status and the files holding its output): exit 0\n"
		"                      passes\n"
		"      --same-output   a run passes only if its stdout and stderr are P's\n"
		"                      run's too\n"
		"      --runs N        run CMD N times per trial: all must pass (default 1)\n"
		"      --jobs N        runs at once (default: the number of CPUs)\n"
		"      --timeout SECS  a run still going after SECS fails and is killed\n"
		"                      (default: 10 times P's run, at least 2 s)\n"
		"      --keep-going    a flaky CMD (a set that passed fails later): keep the\n"
		"                      names of the latest drops and go on, not stop\n"
		"      --no-observe    skip the first run that logs which syscalls CMD calls\n"
		"      --json          print the result as JSON\n"
		"  -q, --quiet         no summary or warnings on stderr\n"
		"  -v, --verbose       say what each round tried\n"
		"  -h, --help          show this help\n"
		"\n"
		"Exit status: 0 done, 1 failed (CMD fails under P, a flaky CMD, seclog's\n"
		"failure: nothing written), 2 usage error.\n",
	.exec = cmd_minimize,
};

struct min_args {
	const char *profile, *output, *test;
	bool same_output, keep_going, json, quiet, verbose, no_observe;
	unsigned int runs, jobs;
	double timeout;
	char **cmd;
};

static int number(const struct sl_cmd *cmd, const char *opt, const char *s, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || !v || v > 100000 || *s == '-')
		return sl_usage_error(cmd, "%s: '%s' is not a number from 1 to 100000", opt, s);
	*out = (unsigned int)v;
	return 0;
}

static int parse_args(int argc, char **argv, struct min_args *a)
{
	const struct sl_cmd *cmd = &sl_cmd_minimize;
	char *end;
	int c;

	optind = 1;
	/* '+': the first non-option is CMD; its options are its own */
	while ((c = getopt_long(argc, argv, "+:o:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_PROFILE:
			a->profile = optarg;
			break;
		case 'o':
			a->output = optarg;
			break;
		case OPT_TEST:
			a->test = optarg;
			break;
		case OPT_SAME_OUTPUT:
			a->same_output = true;
			break;
		case OPT_RUNS:
			if (number(cmd, "--runs", optarg, &a->runs))
				return SL_EXIT_USAGE;
			break;
		case OPT_JOBS:
			if (number(cmd, "--jobs", optarg, &a->jobs))
				return SL_EXIT_USAGE;
			break;
		case OPT_TIMEOUT:
			errno = 0;
			a->timeout = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(a->timeout > 0) ||
			    a->timeout > 86400)
				return sl_usage_error(cmd, "--timeout: '%s' is not a number of "
						      "seconds above 0", optarg);
			break;
		case OPT_KEEP_GOING:
			a->keep_going = true;
			break;
		case OPT_NO_OBSERVE:
			a->no_observe = true;
			break;
		case OPT_JSON:
			a->json = true;
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
	if (optind >= argc)
		return sl_usage_error(cmd, "no command to run (give it after --)");
	a->cmd = argv + optind;
	if (a->test && a->same_output)
		return sl_usage_error(cmd, "--test and --same-output: give one (the script "
				      "can compare the output itself)");
	if (!a->profile)
		a->profile = a->output;
	if (!a->profile)
		return sl_usage_error(cmd, "no profile to minimise (--profile P, or -o P to "
				      "minimise P in place)");
	if (!a->runs)
		a->runs = 1;
	if (!a->jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		a->jobs = n > 0 ? (unsigned int)n : 1;
	}
	return 0;
}

struct oracle {
	const struct min_args *a;
	const struct sl_profile *p;
	const struct sl_scope *scope;
	const char *const *names;
	size_t n;
	struct sl_trial_opts to;
	struct sl_trial_stats ts;
};

/* The search's trials: each set as a pruned profile, run by trial.c. */
static int judge(void *ctx, const bool *const *keep, size_t n, bool *pass, char **cause)
{
	struct oracle *o = ctx;
	struct sl_profile *ps = sl_xcalloc(n, sizeof(*ps));
	const struct sl_profile **pp = sl_xcalloc(n, sizeof(*pp));
	bool *drop = sl_xmalloc(o->n + 1);
	size_t t, i, loaded = 0, passed = 0, left;
	char *text;
	size_t len;
	int rc = 0;

	for (t = 0; !rc && t < n; t++) {
		for (i = 0; i < o->n; i++)
			drop[i] = !keep[t][i];
		rc = sl_prune(o->p, o->scope, o->names, o->n, drop, &text, &len, cause);
		if (rc)
			break;
		rc = sl_profile_parse(&ps[t], o->p->path, text, len, cause);
		free(text);
		if (rc)
			break;
		pp[t] = &ps[t];
		loaded++;
	}
	if (!rc)
		rc = sl_trial_run(&o->to, pp, n, pass, &o->ts, cause);
	if (!rc && o->a->verbose) {
		for (t = 0; t < n; t++)
			passed += pass[t];
		/* the first trial's set: the current one less what it tries */
		for (i = 0, left = 0; i < o->n; i++)
			left += keep[0][i];
		fprintf(stderr, "seclog: minimize: %zu trial%s (the first with %zu names): %zu "
			"passed\n", n, n == 1 ? "" : "s", left, passed);
	}
	for (t = 0; t < loaded; t++)
		sl_profile_free(&ps[t]);
	free(ps);
	free(pp);
	free(drop);
	return rc;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* INT, TERM, HUP: the runs are in process groups of their own, which the
 * terminal's ^C does not reach; seclog kills them and writes nothing. */
static void catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, NULL);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Is actions_logged's "log" there?  Without it the observed run sees nothing. */
static bool log_logged(void)
{
	char buf[256] = "";
	FILE *f = fopen("/proc/sys/kernel/seccomp/actions_logged", "re");
	bool yes = false;

	if (f) {
		if (fgets(buf, sizeof(buf), f))
			for (char *w = strtok(buf, " \n"); w; w = strtok(NULL, " \n"))
				yes |= !strcmp(w, "log");
		fclose(f);
	}
	return yes;
}

/*
 * The observed run: which candidate names CMD called (any arch).  NULL
 * when it could not be learned: the search then does without.
 */
static bool *observe(const struct min_args *a, const char *const *names, size_t n, int nullfd,
		     size_t *runs)
{
	struct sl_observe_opts oo = { .argv = a->cmd, .auid = sl_launch_auid(), .in = nullfd,
				      .out = nullfd, .err = nullfd, .timeout = a->timeout };
	struct sl_harvest h;
	char *cause = NULL;
	bool *called = NULL;
	size_t i, j;
	int st = 0, rc;

	if (a->no_observe)
		return NULL;
	if (geteuid() || !log_logged()) {
		if (a->verbose)
			fprintf(stderr, "seclog: minimize: no observed run (%s): every name is "
				"searched\n", geteuid() ? "not root" : "actions_logged lacks log");
		return NULL;
	}
	sl_harvest_init(&h);
	rc = sl_observe(&oo, &h, &st, &cause);
	++*runs;
	if (!rc && sl_harvest_incomplete(&h))
		rc = sl_fail(&cause, -ENODATA, "records may be missing");
	if (rc) {
		if (!a->quiet)
			sl_warn("minimize: the observed run told nothing (%s): every name is "
				"searched, in more trials", cause);
		goto out;
	}
	called = sl_xcalloc(n + 1, sizeof(bool));
	for (i = 0; i < h.nhits; i++)
		for (j = 0; h.hits[i].name && j < n; j++)
			if (!strcmp(h.hits[i].name, names[j]))
				called[j] = true;
	if (a->verbose) {
		for (i = 0, j = 0; i < n; i++)
			j += called[i];
		fprintf(stderr, "seclog: minimize: the observed run called %zu of the %zu names "
			"(exit status %d)\n", j, n, st);
	}
out:
	sl_harvest_free(&h);
	free(cause);
	return called;
}

/* The baseline: CMD under the full profile, its status and output kept. */
static int baseline(struct min_args *a, struct oracle *o, const char *dir, char *out_path,
		    size_t cap)
{
	const struct sl_profile *pp = o->p;
	char *cause = NULL;
	bool timed_out = false, pass = false;
	double secs = 0;
	int st = 0, rc;

	snprintf(out_path, cap, "%s/baseline", dir);
	o->to.timeout = a->timeout > 0 ? a->timeout : 300;
	rc = sl_trial_once(&o->to, o->p, out_path, &st, &timed_out, &secs, &cause);
	o->ts.runs++;
	if (rc) {
		sl_err("%s: %s", a->cmd[0], cause);
		free(cause);
		return SL_EXIT_FAIL;
	}
	if (timed_out) {
		sl_err("%s: still running after %.0f s under %s: give it a --timeout it finishes "
		       "in", a->cmd[0], o->to.timeout, a->profile);
		return SL_EXIT_FAIL;
	}
	if (st == SL_LAUNCH_NOTFOUND || st == SL_LAUNCH_NOEXEC) {
		sl_err("%s: %s (exit status %d under %s, the full profile)", a->cmd[0],
		       st == SL_LAUNCH_NOTFOUND ? "command not found" : "cannot be run", st,
		       a->profile);
		return SL_EXIT_FAIL;
	}
	if (st > 128 && st < 128 + 65) {
		sl_err("%s: killed by signal %d under %s, the full profile: minimize needs a "
		       "run that works (try seclog run to see what it lacks)", a->cmd[0], st - 128,
		       a->profile);
		return SL_EXIT_FAIL;
	}
	if (!a->test && st && !a->quiet)
		sl_warn("%s exits %d under %s: trials pass when they exit %d too, which a "
			"syscall denied may also cause; a --test of your own is safer", a->cmd[0],
			st, a->profile, st);
	if (a->timeout <= 0)
		a->timeout = secs * 10 > 2 ? secs * 10 : 2;
	o->to.timeout = a->timeout;
	o->to.want_status = st;
	o->to.want = a->same_output ? out_path : NULL;
	/* the check itself, every further run, and an output that does not
	 * change from run to run, on the full profile */
	if (a->test || a->runs > 1 || a->same_output) {
		rc = sl_trial_run(&o->to, &pp, 1, &pass, &o->ts, &cause);
		if (rc) {
			sl_err("%s: %s", a->cmd[0], cause);
			free(cause);
			return SL_EXIT_FAIL;
		}
		if (!pass) {
			sl_err("%s: %s under %s, the full profile (%u run%s): minimize needs a "
			       "run that passes every time%s", a->cmd[0], a->test ?
			       "the --test check fails" : "does not pass reliably", a->profile,
			       a->runs, a->runs == 1 ? "" : "s", a->same_output ?
			       " (with --same-output, the same output every time)" : "");
			return SL_EXIT_FAIL;
		}
	}
	return 0;
}

/* Refuse what cannot be minimised before running anything. */
static int check_profile(const struct min_args *a, const struct sl_profile *p)
{
	const char *def = json_string_value(json_object_get(p->root, "defaultAction"));
	char *cause = NULL;
	void *ctx = NULL;

	if (!sl_action_denies(def)) {
		sl_err("%s: its defaultAction (%s) does not deny: taking names away changes "
		       "nothing (minimise the enforcing profile: seclog enforce)", a->profile,
		       def ? def : "none");
		return SL_EXIT_FAIL;
	}
	if (sl_enforce_build(p, 0, &ctx, &cause)) {
		sl_err("%s: cannot be enforced here: %s", a->profile, cause);
		free(cause);
		return SL_EXIT_FAIL;
	}
	sl_enforce_release(ctx);
	return 0;
}

/* Write in place only over the bytes that were read. */
static int write_out(const struct min_args *a, const struct sl_profile *p, const char *text,
		     size_t len, json_t *entry)
{
	struct sl_profile now_p;
	char *cause = NULL;
	int lock = -1, rc = SL_EXIT_FAIL;
	bool in_place = !strcmp(a->output, a->profile);

	if (in_place) {
		if (sl_profile_lock(a->output, false, &lock, &cause)) {
			sl_err("%s: %s", a->output, cause ? cause : "another seclog is writing it");
			goto out;
		}
		if (sl_profile_load(&now_p, a->output, &cause)) {
			sl_err("%s: %s", a->output, cause);
			goto out;
		}
		if (now_p.len != p->len || memcmp(now_p.text, p->text, p->len)) {
			sl_err("%s: changed while minimize ran: nothing written (run it again)",
			       a->output);
			sl_profile_free(&now_p);
			goto out;
		}
		sl_profile_free(&now_p);
	}
	if (sl_write_atomic(a->output, text, len, in_place, &cause)) {
		sl_err("%s: %s", a->output, cause);
		goto out;
	}
	rc = 0;
	/* noted, so that seclog status does not take it for a hand edit */
	if (sl_history_note(a->output, entry, text, len, &cause) && !a->quiet)
		sl_warn("%s (not noted in the history)", cause);
out:
	if (lock >= 0)
		close(lock);
	free(cause);
	return rc;
}

static void report(const struct min_args *a, const struct oracle *o, const bool *keep,
		   const struct sl_min_stats *ms, bool observed, double secs)
{
	size_t i, nkeep = 0;

	for (i = 0; i < o->n; i++)
		nkeep += keep[i];
	if (a->json) {
		json_t *kept = json_array(), *dropped = json_array(), *cmd = json_array(), *doc;

		for (i = 0; i < o->n; i++)
			json_array_append_new(keep[i] ? kept : dropped, json_string(o->names[i]));
		for (i = 0; a->cmd[i]; i++)
			json_array_append_new(cmd, json_string(a->cmd[i]));
		doc = json_pack("{s:s,s:o,s:o,s:i,s:I,s:I,s:o,s:o,s:b,s:I,s:I,s:I,s:I,s:I,s:f,"
				"s:b,s:I}",
				"profile", a->profile,
				"output", a->output ? json_string(a->output) : json_null(),
				"command", cmd,
				"status", o->to.want_status,
				"names", (json_int_t)o->n,
				"names_kept", (json_int_t)nkeep,
				"kept", kept, "dropped", dropped,
				"observed", observed,
				"trials", (json_int_t)ms->trials,
				"rounds", (json_int_t)ms->rounds,
				"runs", (json_int_t)o->ts.runs,
				"tests", (json_int_t)o->ts.tests,
				"timeouts", (json_int_t)o->ts.timeouts,
				"seconds", secs,
				"flaky", ms->flaky,
				"readded", (json_int_t)ms->readded);
		json_dumpf(doc, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(doc);
	} else if (!a->output) {
		for (i = 0; i < o->n; i++)
			printf("%s %s\n", keep[i] ? "keep" : "drop", o->names[i]);
	}
	if (!a->quiet)
		fprintf(stderr, "seclog: minimize: %zu of %zu names kept, %zu dropped; %zu "
			"trials, %zu runs, %.1f s%s%s\n", nkeep, o->n, o->n - nkeep, ms->trials,
			o->ts.runs, secs, a->output ? "; wrote " : "", a->output ? a->output : "");
}

static int cmd_minimize(int argc, char **argv)
{
	struct min_args a = { 0 };
	struct sl_profile p;
	struct sl_scope scope;
	struct oracle o = { .a = &a, .scope = &scope };
	struct sl_min_opts mo = { 0 };
	struct sl_min_oracle mor = { judge, &o };
	struct sl_min_stats ms = { 0 };
	char dir[4096], out_path[4200], *cause = NULL, *text = NULL;
	const char **names = NULL;
	bool loaded = false, *keep = NULL, *called = NULL;
	double t0 = now();
	const char *tmp = getenv("TMPDIR");
	int rc, nullfd = -1;
	size_t n = 0, len, i;

	dir[0] = out_path[0] = '\0';
	rc = parse_args(argc, argv, &a);
	if (rc)
		return rc < 0 ? SL_EXIT_OK : rc;
	rc = SL_EXIT_FAIL;
	if (sl_profile_load(&p, a.profile, &cause)) {
		sl_err("%s: %s", a.profile, cause);
		goto out;
	}
	loaded = true;
	if (check_profile(&a, &p))
		goto out;
	sl_scope_self(&scope);
	sl_prune_names(&p, &scope, &names, &n);
	if (!n) {
		sl_err("%s: allows no syscall by name: nothing to minimise", a.profile);
		goto out;
	}
	snprintf(dir, sizeof(dir), "%s/seclog-minimize.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		sl_err("%s: %s", dir, strerror(errno));
		dir[0] = '\0';
		goto out;
	}
	nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
	o.p = &p;
	o.names = names;
	o.n = n;
	o.to.argv = a.cmd;
	o.to.runs = a.runs;
	o.to.jobs = a.jobs;
	o.to.test = a.test;
	o.to.test_err = a.verbose ? STDERR_FILENO : -1;
	o.to.dir = dir;
	o.to.stop = &stop;
	catch_signals();
	if (baseline(&a, &o, dir, out_path, sizeof(out_path)))
		goto out;
	called = observe(&a, names, n, nullfd, &o.ts.runs);
	if (stop) {
		sl_err("interrupted: nothing written");
		goto out;
	}
	mo.called = called;
	mo.keep_going = a.keep_going;
	/* a flaky workload passes some trial by luck: three more at the end
	 * (in parallel) catch most of those */
	mo.verify = 3;
	keep = sl_xmalloc(n + 1);
	rc = sl_minimize(n, &mo, &mor, keep, &ms, &cause);
	if (rc) {
		if (rc == -EAGAIN)
			sl_err("%s: %s; nothing written (more --runs per trial, or --keep-going "
			       "to keep the names it failed without)", a.cmd[0], cause);
		else if (rc == -EINTR)
			sl_err("interrupted: nothing written");
		else
			sl_err("%s: %s", a.cmd[0], cause);
		rc = SL_EXIT_FAIL;
		goto out;
	}
	rc = SL_EXIT_FAIL;
	if (ms.flaky && !a.quiet)
		sl_warn("%s is flaky: a set that passed failed later; %zu names were put back "
			"(--keep-going)", a.cmd[0], ms.readded);
	for (i = 0; i < n; i++)
		keep[i] = !keep[i];	/* now: drop */
	if (sl_prune(&p, &scope, names, n, keep, &text, &len, &cause)) {
		sl_err("%s: %s", a.profile, cause);
		goto out;
	}
	for (i = 0; i < n; i++)
		keep[i] = !keep[i];
	if (a.output) {
		json_t *dropped = json_array(), *entry;
		int w;

		for (i = 0; i < n; i++)
			if (!keep[i])
				json_array_append_new(dropped, json_string(names[i]));
		entry = json_pack("{s:s, s:o, s:I, s:I, s:I}", "command", "minimize", "dropped",
				  dropped, "kept", (json_int_t)(n - json_array_size(dropped)),
				  "trials", (json_int_t)ms.trials, "runs",
				  (json_int_t)o.ts.runs);
		w = write_out(&a, &p, text, len, entry);
		json_decref(entry);
		if (w)
			goto out;
	}
	report(&a, &o, keep, &ms, called != NULL, now() - t0);
	rc = SL_EXIT_OK;
	if (fflush(stdout) || ferror(stdout)) {
		sl_err("stdout: %s", strerror(errno));
		rc = SL_EXIT_FAIL;
	}
out:
	if (dir[0]) {
		char path[4300];

		if (out_path[0]) {
			snprintf(path, sizeof(path), "%s.out", out_path);
			unlink(path);
			snprintf(path, sizeof(path), "%s.err", out_path);
			unlink(path);
		}
		rmdir(dir);
	}
	if (nullfd >= 0)
		close(nullfd);
	if (loaded)
		sl_profile_free(&p);
	free(names);
	free(keep);
	free(called);
	free(text);
	free(cause);
	return rc;
}
