/*
 * cmd-run.c - seclog run: one pass of the loop.  Open the live source,
 * start CMD tagged (a fresh audit session) under the profile in complain
 * mode, harvest exactly its records until it exits, merge them.  With
 * --runtime a container runtime loads the twin instead: the container is
 * the command.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/magic.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd-result.h"
#include "complain.h"
#include "container.h"
#include "error.h"
#include "harvest.h"
#include "launch.h"
#include "pass.h"
#include "proc-tree.h"
#include "profile.h"
#include "runtime.h"
#include "source.h"
#include "sysctl.h"

/* Statuses of its own; otherwise run exits with CMD's (seclog-run(1)). */
enum {
	RUN_INCOMPLETE = 124,	/* CMD succeeded, records may be missing */
	RUN_FAIL = SL_LAUNCH_FAIL,	/* seclog failed, or was used wrongly */
	RUN_NOEXEC = SL_LAUNCH_NOEXEC,	/* CMD found but could not be run */
	RUN_NOTFOUND = SL_LAUNCH_NOTFOUND,	/* CMD not found */
};

#define MAX_SOURCES 8
#define SETTLE 0.25	/* seconds: records of CMD's last syscalls on their way */

enum {
	OPT_PROFILE = 256, OPT_MERGE, OPT_JSON, OPT_ADD_ARCH, OPT_ALLOW_DENIED, OPT_DRY_RUN,
	OPT_SOURCE, OPT_LOG_DENIED, OPT_RUNTIME, OPT_BUNDLE, OPT_NAME,
};

static const struct option longopts[] = {
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "merge", required_argument, NULL, OPT_MERGE },
	{ "output", required_argument, NULL, 'o' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "add-arch", no_argument, NULL, OPT_ADD_ARCH },
	{ "allow-denied", no_argument, NULL, OPT_ALLOW_DENIED },
	{ "log-denied", no_argument, NULL, OPT_LOG_DENIED },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "runtime", required_argument, NULL, OPT_RUNTIME },
	{ "bundle", required_argument, NULL, OPT_BUNDLE },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct run_args {
	const char *profile;
	bool log_denied;
	const char *sources[MAX_SOURCES];
	size_t nsources;
	struct sl_report r;	/* output options, as harvest's */
	char **cmd;
	const char *runtime;	/* --runtime: a container runtime loads the twin */
	enum sl_runtime_kind kind;
	const char *bundle;	/* OCI runtimes: the bundle (default .) */
	const char *name;	/* OCI runtimes: the container id */
};

static int cmd_run(int argc, char **argv);

const struct sl_cmd sl_cmd_run = {
	.name = "run",
	.summary = "Run a command under a profile in complain mode; merge the syscalls it used",
	.usage = "[--profile P] [--merge P | -o OUT] [options] -- CMD [ARGS...]\n"
		 "       seclog run --runtime runc|crun [--bundle DIR] [--name ID] [options]\n"
		 "       seclog run --runtime podman [options] -- [podman] run ARGS...",
	.help =
		"  CMD runs in a fresh audit session under P in complain mode: what P allows\n"
		"  runs as written, every other syscall runs and is logged.  Its records (and\n"
		"  its descendants') are harvested live while it runs.\n"
		"      --profile P     the profile to run under (default: the --merge profile;\n"
		"                      neither: log every syscall)\n"
		"      --source S      read records from S: netlink, journal, kmsg or auto\n"
		"                      (the default; repeatable)\n"
		"Containers: the runtime loads P's complain twin; no filter on the runtime\n"
		"      --runtime RT    runc or crun (an OCI bundle, created then started as\n"
		"                      containerd does), or podman (podman run is given the\n"
		"                      twin); a path to one works too\n"
		"      --bundle DIR    runc, crun: the bundle (default .); it is not written\n"
		"      --name ID       runc, crun: the container id (default seclog-PID)\n"
		"Output (as seclog harvest):\n"
		"      --merge P       merge the syscalls into P, in place unless -o\n"
		"  -o, --output OUT    write a profile to OUT (a new one, or the merge result)\n"
		"      --add-arch      add record arches the profile does not list\n"
		"      --allow-denied  allow syscalls the profile explicitly denies\n"
		"      --log-denied    the profile's deny rules log too, as seclog complain's\n"
		"      --dry-run       print the change as a unified diff; write nothing\n"
		"      --json          print the result as JSON\n"
		"  -q, --quiet         no summary or warnings on stderr\n"
		"  -v, --verbose       also say how the run is followed, and the processes\n"
		"  -h, --help          show this help\n"
		"\n"
		"Exit status: CMD's own (128+N when signal N killed it; with --runtime the\n"
		"container's); 124 CMD exited 0 but records may be missing (the profile was\n"
		"still written); 125 seclog failed or was used wrongly; 126 CMD could not be\n"
		"run (the runtime could not create the container); 127 CMD was not found.\n",
	.exec = cmd_run,
};

static int parse_args(int argc, char **argv, struct run_args *a)
{
	const struct sl_cmd *cmd = &sl_cmd_run;
	int c;

	optind = 1;
	/* '+': the first non-option is CMD; its options are its own */
	while ((c = getopt_long(argc, argv, "+:o:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_PROFILE:
			a->profile = optarg;
			break;
		case OPT_MERGE:
			a->r.pass.merge = optarg;
			break;
		case 'o':
			a->r.pass.output = optarg;
			break;
		case OPT_JSON:
			a->r.json = true;
			break;
		case OPT_ADD_ARCH:
			a->r.pass.mopts.add_arch = true;
			break;
		case OPT_ALLOW_DENIED:
			a->r.pass.mopts.allow_denied = true;
			break;
		case OPT_LOG_DENIED:
			a->log_denied = true;
			break;
		case OPT_DRY_RUN:
			a->r.pass.dry_run = true;
			break;
		case OPT_RUNTIME:
			a->runtime = optarg;
			a->kind = sl_runtime_kind(optarg);
			break;
		case OPT_BUNDLE:
			a->bundle = optarg;
			break;
		case OPT_NAME:
			a->name = optarg;
			break;
		case OPT_SOURCE:
			if (strcmp(optarg, "auto") && !sl_report_source_kind(optarg))
				return sl_usage_error(cmd, "--source: '%s' is not one of netlink, "
						      "journal, kmsg, auto", optarg);
			if (a->nsources == MAX_SOURCES)
				return sl_usage_error(cmd, "--source: at most %d", MAX_SOURCES);
			a->sources[a->nsources++] = optarg;
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
	if ((a->bundle || a->name) && (!a->runtime || a->kind != SL_RUNTIME_OCI))
		return sl_usage_error(cmd, "--%s is for --runtime runc or crun",
				      a->bundle ? "bundle" : "name");
	if (a->name && (!*a->name || *a->name == '-' || strchr(a->name, '/')))
		return sl_usage_error(cmd, "--name '%s' is no container id", a->name);
	if (a->runtime && a->kind == SL_RUNTIME_OCI) {
		if (optind < argc)
			return sl_usage_error(cmd, "--runtime %s takes no command: the bundle's "
					      "process.args runs", a->runtime);
		if (!a->bundle)
			a->bundle = ".";
	} else if (optind >= argc) {
		return sl_usage_error(cmd, a->runtime ? "no podman command (give it after --, "
				      "e.g. -- run --rm IMAGE)" :
				      "no command to run (give it after --)");
	}
	a->cmd = argv + optind;
	if ((a->r.pass.mopts.add_arch || a->r.pass.mopts.allow_denied) && !a->r.pass.merge)
		return sl_usage_error(cmd, "--%s needs --merge PROFILE",
				      a->r.pass.mopts.add_arch ? "add-arch" : "allow-denied");
	if (a->r.pass.dry_run && !a->r.pass.merge && !a->r.pass.output)
		return sl_usage_error(cmd, "--dry-run needs --merge PROFILE or -o OUT");
	if (!a->profile)
		a->profile = a->r.pass.merge;
	if (!a->nsources)
		a->sources[a->nsources++] = "auto";
	return 0;
}

/* Without "log" in actions_logged, SCMP_ACT_LOG writes nothing at all. */
static int check_logged(void)
{
	char buf[256];

	if (sl_sysctl_get("kernel.seccomp.actions_logged", buf, sizeof(buf)))
		return 0;	/* cannot tell: the harvest will */
	for (char *w = strtok(buf, " "); w; w = strtok(NULL, " "))
		if (!strcmp(w, "log"))
			return 0;
	sl_err("kernel.seccomp.actions_logged lacks 'log': the kernel would write no record "
	       "of the run (fix: seclog limits lift, or sysctl -w "
	       "kernel.seccomp.actions_logged=\"%s log\")", buf);
	return RUN_FAIL;
}

static int open_sources(const struct run_args *a, struct sl_source *srcs, size_t *n)
{
	char *cause = NULL;
	size_t i;
	int rc;

	for (i = 0; i < a->nsources; i++) {
		struct sl_source *s = &srcs[*n];
		const char *name = a->sources[i];

		if (!strcmp(name, "auto")) {
			if (sl_report_source_auto(&a->r, s, SL_SOURCE_FOLLOW))
				return RUN_FAIL;
			++*n;
			continue;
		}
		rc = sl_source_open_ops(s, sl_report_source_kind(name), !strcmp(name, "kmsg") ?
					"/dev/kmsg" : NULL, SL_SOURCE_FOLLOW, NULL, &cause);
		if (rc) {
			sl_err("--source %s: %s", name, cause);
			free(cause);
			return RUN_FAIL;
		}
		sl_report_source(&a->r, s);
		++*n;
	}
	return 0;
}

static volatile pid_t run_pid;
static volatile sig_atomic_t pending;	/* came before CMD was forked */

/* Like a shell: the terminal's ^C and ^\ reach CMD itself; a TERM or HUP
 * sent to seclog is passed on, and the harvest goes on until CMD exits. */
static void forward(int sig)
{
	if (run_pid > 0)
		kill(run_pid, sig);
	else
		pending = sig;
}

static const int run_signals[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP };
/* an OCI runtime's container has a session of its own: the terminal's ^C
 * and ^\ reach only seclog, which passes them on */
static bool forward_all;
static struct sigaction saved[4];

/*
 * running: ignore or forward, saving what was there; else put back what
 * was there (in the child too: a signal ignored when seclog started, as
 * a shell's background job has SIGINT, stays ignored for CMD).
 */
static void set_signals(bool running)
{
	struct sigaction sa;
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!running) {
			sigaction(run_signals[i], &saved[i], NULL);
			continue;
		}
		memset(&sa, 0, sizeof(sa));
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = SA_RESTART;
		sa.sa_handler = i < 2 && !forward_all ? SIG_IGN : forward;
		sigaction(run_signals[i], &sa, &saved[i]);
		if (i >= 2 && saved[i].sa_handler == SIG_IGN)
			sigaction(run_signals[i], &saved[i], NULL);	/* stays ignored */
	}
}

/* A descriptor readable once pid exits: its pidfd, else a SIGCHLD signalfd. */
static int exit_fd(pid_t pid)
{
#ifdef SYS_pidfd_open
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (fd >= 0)
		return fd;
#endif
	sigset_t chld;

	(void)pid;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	/* SIGCHLD is blocked since before the fork: none is missed */
	return signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
}

static void restore_signals(void)
{
	set_signals(false);
}

extern char **environ;

/* Run argv (stdin none, stdout and stderr seclog's) and wait: its status. */
static int spawn_wait(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc)
		return rc == ENOENT ? RUN_NOTFOUND : RUN_NOEXEC;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return RUN_FAIL;
	return sl_launch_status(st);
}

/* cgroup v1 with a v2 "unified" mount beside it (crun refuses that) */
static bool hybrid_cgroups(void)
{
	struct statfs v1, v2;

	return !statfs("/sys/fs/cgroup", &v1) && v1.f_type == TMPFS_MAGIC &&
	       !statfs("/sys/fs/cgroup/unified", &v2) && v2.f_type == CGROUP2_SUPER_MAGIC;
}

/*
 * An OCI runtime's container, the way containerd starts one: `create`
 * (tagged: the container's init inherits the session), then `start` once
 * the init is known.  runc's Go init calls futex after its filter is in
 * every time when started so; with `runc run` in about 1 run of 6.  seclog
 * is the child subreaper: the init, orphaned when `create` exits, is its
 * child, and its exit status the run's.  Returns 0 with *init, or a RUN_*;
 * *created once there is a container to delete.
 */
static int oci_start(const struct run_args *a, struct sl_launch *l, pid_t *init, bool *created)
{
	char *start[] = { (char *)a->runtime, "start", (char *)a->name, NULL };
	char *cause = NULL;
	int64_t pid;
	int st, rc;

	while (waitpid(l->pid, &st, 0) < 0)
		if (errno != EINTR)
			return RUN_FAIL;
	l->pid = -1;
	rc = sl_launch_status(st);
	if (rc) {
		sl_err("%s create: exit status %d (its message is above)%s", a->runtime, rc,
		       strstr(a->runtime, "crun") && hybrid_cgroups() ? "; crun refuses this host's hybrid cgroups: run seclog in "
		       "a mount namespace without /sys/fs/cgroup/unified (seclog-run(1))" : "");
		return rc == RUN_NOTFOUND ? RUN_NOTFOUND : RUN_NOEXEC;
	}
	*created = true;
	if (sl_container_state_pid(a->runtime, a->name, &pid, &cause)) {
		sl_err("%s state %s: %s", a->runtime, a->name, cause);
		free(cause);
		return RUN_FAIL;
	}
	*init = (pid_t)pid;
	rc = spawn_wait(start);
	if (rc) {
		sl_err("%s start %s: exit status %d", a->runtime, a->name, rc);
		return RUN_NOEXEC;
	}
	return 0;
}

static void oci_delete(const struct run_args *a)
{
	char *del[] = { (char *)a->runtime, "delete", "--force", (char *)a->name, NULL };

	spawn_wait(del);
}

/* The command of a podman run: podman (or the --runtime path), then its
 * arguments; a leading "podman" among them is the same word once more. */
static char **podman_cmd(const struct run_args *a)
{
	char **cmd = a->cmd, **v;
	const char *b = strrchr(cmd[0], '/');
	size_t n = 0;

	if (!strcmp(b ? b + 1 : cmd[0], "podman"))
		cmd++;
	while (cmd[n])
		n++;
	v = sl_xmalloc((n + 2) * sizeof(*v));
	v[0] = (char *)a->runtime;
	memcpy(v + 1, cmd, (n + 1) * sizeof(*v));
	return v;
}

static int cmd_run(int argc, char **argv)
{
	struct sl_source srcs[MAX_SOURCES];
	struct run_args a = { 0 };
	struct sl_profile prof, *p = NULL;
	struct sl_proc_tree *tree = NULL;
	struct sl_pass_result m = { 0 };
	struct sl_runtime_run rr = { 0 };
	struct sl_harvest h;
	struct sl_live live;
	struct sl_launch l = { .pid = -1, .say = -1, .go = -1 };
	struct sl_launch_opts lo = { .filter = SL_LAUNCH_COMPLAIN, .tag = true, .hold = true,
				     .in = -1, .out = -1, .err = -1 };
	sigset_t block, old;
	int rc, st = 0;
	size_t nsrcs = 0, i, failed = 0;
	char *cause = NULL, *what = NULL, *create[7], **pcmd = NULL;
	char idbuf[32];
	bool ran = false, created = false;
	pid_t pid = -1, init = -1;

	memset(srcs, 0, sizeof(srcs));
	sl_harvest_init(&h);
	sl_live_init(&live);
	rc = parse_args(argc, argv, &a);
	if (rc) {
		rc = rc < 0 ? SL_EXIT_OK : RUN_FAIL;
		goto out;
	}
	rc = RUN_FAIL;
	if (a.r.pass.merge && access(a.r.pass.merge, F_OK)) {
		sl_err("%s: no such profile (to write a new profile, use -o %s)", a.r.pass.merge,
		       a.r.pass.merge);
		goto out;
	}
	if (a.profile) {
		if (sl_profile_load(&prof, a.profile, &cause)) {
			sl_err("%s: %s", a.profile, cause);
			goto out;
		}
		p = &prof;
		a.r.none_expected = true;
	}
	if (a.runtime) {
		/* the runtime loads the twin: seclog's own filter would log
		 * the runtime's calls too */
		if (!p) {
			sl_err("--runtime needs a profile (--merge or --profile; seclog init -o "
			       "P makes an empty one)");
			goto out;
		}
		if (a.kind == SL_RUNTIME_OCI && !a.name) {
			snprintf(idbuf, sizeof(idbuf), "seclog-%ld", (long)getpid());
			a.name = idbuf;
		}
		if (a.kind == SL_RUNTIME_PODMAN)
			pcmd = podman_cmd(&a);
		if (sl_runtime_prepare(&rr, a.kind, p, a.log_denied, a.bundle, pcmd, &cause)) {
			sl_err("%s", cause);
			goto out;
		}
		if (a.kind == SL_RUNTIME_OCI) {
			char *c[] = { (char *)a.runtime, "create", "--bundle", rr.bundle,
				      (char *)a.name, NULL };

			memcpy(create, c, sizeof(c));
			a.cmd = create;
			what = sl_xasprintf("container %s", a.name);
			/* the init, orphaned by create, is reaped here */
			prctl(PR_SET_CHILD_SUBREAPER, 1);
			forward_all = true;
		} else {
			a.cmd = rr.argv;
		}
		lo.filter = SL_LAUNCH_NONE;
	} else if (sl_complain_check(p, &cause)) {
		sl_err("%s: %s", a.profile ? a.profile : "complain filter", cause);
		goto out;
	}
	if (!what)
		what = sl_xstrdup(a.cmd[0]);
	if (check_logged() || open_sources(&a, srcs, &nsrcs))
		goto out;

	lo.auid = sl_launch_auid();
	lo.argv = a.cmd;
	lo.profile = p;
	lo.log_denied = a.log_denied;
	lo.mask = &old;
	/* the child puts back the dispositions seclog found */
	lo.prepare = restore_signals;
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	set_signals(true);
	rc = sl_launch_start(&l, &lo, &cause);
	pid = l.pid;
	if (pid < 0) {
		sl_err("%s", cause);
		rc = RUN_FAIL;
		goto wait;
	}
	run_pid = pid;
	if (pending)
		kill(pid, pending);
	rc = RUN_FAIL;
	if (l.failed) {
		sl_err("%s: %s", a.cmd[0], cause);
		goto wait;
	}

	/* follow the child: by its session, else by its process tree */
	if (!l.tag_err) {
		h.filter.ses = sl_launch_session(pid);
		h.filter.has_ses = h.filter.ses != UINT32_MAX;
		if (!h.filter.has_ses)
			l.tag_err = ENOTSUP;	/* a kernel without audit sessions */
	}
	if (!h.filter.has_ses && a.runtime) {
		/* podman's container is no descendant of podman (conmon
		 * double-forks): its session is the only tie */
		sl_err("cannot tag the runtime with a fresh audit session (loginuid: %s); "
		       "--runtime needs one (seclog-run(1))", strerror(l.tag_err));
		goto wait;
	}
	if (!h.filter.has_ses) {
		const char *how = "";
		int64_t root = pid;

		if (sl_proc_tree_open(&tree, &root, 1, &how, &cause)) {
			sl_err("cannot follow %s: %s", a.cmd[0], cause);
			goto wait;
		}
		h.filter.tree = tree;
		live.tree = tree;
		if (!a.r.quiet)
			sl_warn("cannot tag the run with a fresh audit session (loginuid: %s): "
				"following %s's process tree instead (%s); a process that leaves "
				"it before it is seen is missed (seclog-run(1))", strerror(l.tag_err),
				a.cmd[0], how);
	} else if (a.r.verbose) {
		fprintf(stderr, "seclog: %s runs in audit session %" PRIu32 " (auid %" PRIu32 ")\n",
			what, h.filter.ses, lo.auid);
	}
	if (a.kind != SL_RUNTIME_OCI || !a.runtime) {
		live.stop_fd = exit_fd(pid);
		if (live.stop_fd < 0) {
			sl_err("cannot watch %s for its exit: %s", a.cmd[0], strerror(errno));
			goto wait;
		}
	}
	live.settle = SETTLE;
	rc = sl_launch_go(&l, -1, &cause);
	if (rc) {
		if (l.failed == SL_LAUNCH_LOAD) {
			sl_err("%s: %s", a.profile ? a.profile : "complain filter", cause);
			rc = RUN_FAIL;
		} else {
			sl_err("%s: %s", a.cmd[0], cause);
			rc = rc == -ENOENT ? RUN_NOTFOUND : RUN_NOEXEC;
		}
		goto wait;
	}
	if (a.runtime && a.kind == SL_RUNTIME_OCI) {
		rc = oci_start(&a, &l, &init, &created);
		pid = init;
		run_pid = init;
		if (rc)
			goto wait;
		live.stop_fd = exit_fd(init);
		if (live.stop_fd < 0) {
			sl_err("cannot watch %s for its exit: %s", what, strerror(errno));
			rc = RUN_FAIL;
			goto wait;
		}
		if (a.r.verbose)
			fprintf(stderr, "seclog: %s: its init is pid %ld\n", what, (long)init);
	}
	ran = true;
	if (sl_harvest_run(&h, srcs, nsrcs, &live, &failed, &cause)) {
		sl_err("%s: %s; waiting for %s to end, nothing will be merged",
		       failed < nsrcs ? srcs[failed].path : "harvest", cause, what);
		ran = false;
	}
wait:
	/* a child still waiting to start reads EOF and gives up */
	sl_launch_close(&l);
	/* a container that never ran is killed first: its init waits */
	if (created && !ran)
		oci_delete(&a);
	while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	run_pid = 0;
	set_signals(false);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (created && ran)
		oci_delete(&a);
	if (!ran)
		goto out;
	sl_harvest_finish(&h);
	a.r.command = what;
	a.r.command_status = sl_launch_status(st);
	sl_report_warnings(&a.r, &h, srcs, nsrcs);
	if (sl_report_pass(&a.r, &h, srcs, nsrcs, &m)) {
		rc = RUN_FAIL;
		goto out;
	}
	rc = sl_launch_status(st);
	/* the losses were told above; CMD's failure is the news if it failed */
	if (sl_harvest_incomplete(&h) && rc == 0) {
		rc = RUN_INCOMPLETE;
		if (!a.r.quiet)
			sl_warn("%s exited 0, but records may be missing: exit status %d", what,
				rc);
	}
	if (fflush(stdout) || ferror(stdout)) {
		sl_err("stdout: %s", strerror(errno));
		rc = RUN_FAIL;
	}
out:
	sl_launch_close(&l);
	if (live.stop_fd >= 0)
		close(live.stop_fd);
	for (i = 0; i < nsrcs; i++)
		sl_source_close(&srcs[i]);
	sl_proc_tree_close(tree);
	h.filter.tree = NULL;
	sl_harvest_free(&h);
	if (p)
		sl_profile_free(p);
	sl_pass_result_free(&m);
	sl_runtime_run_free(&rr);
	free(pcmd);
	free(what);
	free(cause);
	return rc;
}
