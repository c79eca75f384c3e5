/*
 * test-proc-tree.c - real processes: a tree forked under the test, its
 * grandchildren reparented to init, outsiders forked after tracking began,
 * and (root) a tracked pid given to an outsider again.  As root the body
 * runs twice: with the process events connector, and in a child that gave
 * up root (the /proc scans).
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <seccomp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "proc-tree.h"

/* In a child that gave up root cmocka cannot assert: a failed check
 * returns its line. */
#define CHECK(x) do { if (!(x)) { fprintf(stderr, "check failed: %s (line %d)\n", #x, \
					   __LINE__); return __LINE__; } } while (0)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pause_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Read one pid the tree writes to the pipe. */
static pid_t read_pid(int fd)
{
	pid_t pid = -1;

	return read(fd, &pid, sizeof(pid)) == sizeof(pid) ? pid : -1;
}

static void wait_eof(int fd)
{
	char b;

	while (read(fd, &b, 1) > 0)
		;
}

/*
 * The root c waits for start, forks g, which forks gg; both write their
 * pids to out.  c and g exit when g_go closes (gg is reparented to init,
 * it stays a descendant), gg when go closes.
 */
static int body(bool events)
{
	int start[2], out[2], go[2], g_go[2];
	struct sl_proc_tree *t;
	const char *how = NULL;
	char *cause = NULL;
	pid_t c, g, gg, outsider;
	struct pollfd pfd = { .fd = -1, .events = POLLIN };
	double alive_c, alive_gg;
	int64_t root;
	int i;

	CHECK(!pipe(start) && !pipe(out) && !pipe(go) && !pipe(g_go));
	c = fork();
	if (!c) {
		pid_t me;

		close(start[1]);
		close(out[0]);
		close(go[1]);
		close(g_go[1]);
		wait_eof(start[0]);
		if (!fork()) {
			/* g's pid first: the order the parent reads them in */
			me = getpid();
			write(out[1], &me, sizeof(me));
			if (!fork()) {
				me = getpid();
				write(out[1], &me, sizeof(me));
				wait_eof(go[0]);
				_exit(0);
			}
			wait_eof(g_go[0]);
			_exit(0);
		}
		wait_eof(g_go[0]);
		_exit(0);
	}
	close(out[1]);
	close(start[0]);
	close(go[0]);
	close(g_go[0]);
	root = c;
	CHECK(sl_proc_tree_open(&t, &root, 1, &how, &cause) == 0);
	CHECK(!strcmp(how, events ? "process events" : "/proc scans"));
	/* a harvest polls it: scanning, a timer says when to scan next */
	pfd.fd = sl_proc_tree_fd(t);
	CHECK(pfd.fd >= 0);
	if (!events) {
		CHECK(poll(&pfd, 1, 500) == 1);
		CHECK(sl_proc_tree_update(t, &cause) == 0);
	}
	alive_c = now();
	CHECK(sl_proc_tree_has(t, c, alive_c));
	CHECK(sl_proc_tree_has(t, c, -1));
	CHECK(!sl_proc_tree_has(t, getpid(), alive_c));	/* its parent: no descendant */
	CHECK(!sl_proc_tree_has(t, 1, alive_c));
	CHECK(!sl_proc_tree_has(t, c, alive_c - 3600));	/* not born yet */

	/* a process started after tracking began, no descendant */
	outsider = fork();
	if (!outsider) {
		close(start[1]);
		close(go[1]);
		close(g_go[1]);
		pause_ms(300);
		_exit(0);
	}
	close(start[1]);
	g = read_pid(out[0]);
	gg = read_pid(out[0]);
	CHECK(g > 0 && gg > 0);
	/* the scans know a child while its parent lives only; the events
	 * know it from its fork, with no update */
	if (!events)
		CHECK(sl_proc_tree_update(t, &cause) == 0);
	close(g_go[1]);	/* c and g exit: gg goes to init */
	CHECK(waitpid(c, NULL, 0) == c);
	pause_ms(100);
	CHECK(sl_proc_tree_has(t, g, -1));
	CHECK(sl_proc_tree_has(t, gg, now()));
	CHECK(!sl_proc_tree_has(t, outsider, now()));
	CHECK(!sl_proc_tree_has(t, outsider, -1));
	CHECK(sl_proc_tree_update(t, &cause) == 0);
	CHECK(!sl_proc_tree_empty(t));
	/* c is gone: not now, but while it lived (the scans place its exit
	 * at the scan that missed it) */
	pause_ms(50);
	CHECK(!sl_proc_tree_has(t, c, now()));
	CHECK(!sl_proc_tree_has(t, g, now()));
	CHECK(sl_proc_tree_has(t, c, alive_c));
	CHECK(sl_proc_tree_has(t, gg, now()));

	alive_gg = now();
	close(go[1]);
	for (i = 0; i < 100 && !sl_proc_tree_empty(t); i++) {
		pause_ms(10);
		CHECK(sl_proc_tree_update(t, &cause) == 0);
	}
	CHECK(sl_proc_tree_empty(t));
	CHECK(sl_proc_tree_has(t, gg, alive_gg));
	pause_ms(100);
	CHECK(!sl_proc_tree_has(t, gg, now()));
	CHECK(waitpid(outsider, NULL, 0) == outsider);
	sl_proc_tree_close(t);
	close(out[0]);
	return 0;
}

/*
 * Any user may listen to the connector on kernels since 6.6: the scans
 * are forced as a container's seccomp filter would, with no netlink.
 */
static int deny_netlink(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int rc;

	if (!ctx)
		return -1;
	rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socket), 1,
			      SCMP_A0(SCMP_CMP_EQ, AF_NETLINK));
	if (!rc)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	return rc;
}

static void test_missing_root(void **state)
{
	struct sl_proc_tree *t = NULL;
	int64_t root = 0x3ffffff0;
	const char *how = NULL;
	char *cause = NULL;

	(void)state;
	assert_int_equal(sl_proc_tree_open(&t, &root, 1, &how, &cause), -ENOENT);
	assert_non_null(strstr(cause, "no process"));
	free(cause);
}

static void test_tree(void **state)
{
	(void)state;
	assert_int_equal(body(geteuid() == 0), 0);
}

/* The /proc scans, in a child with no netlink (and no root). */
static void test_tree_scanning(void **state)
{
	pid_t pid;
	int st;

	(void)state;
	pid = fork();
	if (!pid) {
		if (deny_netlink() || (geteuid() == 0 && (setgid(65534) || setuid(65534))))
			_exit(99);
		_exit(body(false) ? 1 : 0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* Fork a process that gets pid (ns_last_pid); -1 when another took it. */
static pid_t fork_as(pid_t want)
{
	FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "w");
	pid_t pid;

	if (!f)
		return -1;
	fprintf(f, "%d", want - 1);
	if (fclose(f))
		return -1;
	pid = fork();
	if (!pid) {
		pause_ms(200);
		_exit(0);
	}
	if (pid != want) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

/*
 * A tracked child exits; its pid goes to an outsider (forced through
 * ns_last_pid): the outsider's records are not taken, the old ones are.
 * Returns -1 when a busy host took the pid first every time.
 */
static int reuse(bool events)
{
	struct sl_proc_tree *t;
	const char *how;
	char *cause = NULL;
	int64_t root;
	pid_t x, again = -1;
	double lived;
	int i;

	x = fork();
	if (!x) {
		pause_ms(50);
		_exit(0);
	}
	root = x;
	CHECK(sl_proc_tree_open(&t, &root, 1, &how, &cause) == 0);
	CHECK(!strcmp(how, events ? "process events" : "/proc scans"));
	lived = now();
	CHECK(sl_proc_tree_has(t, x, lived));
	CHECK(waitpid(x, NULL, 0) == x);
	pause_ms(100);
	for (i = 0; i < 50 && again < 0; i++)
		again = fork_as(x);
	if (again < 0) {
		sl_proc_tree_close(t);
		return -1;
	}
	pause_ms(50);
	CHECK(sl_proc_tree_update(t, &cause) == 0);
	CHECK(!sl_proc_tree_has(t, again, now()));
	CHECK(sl_proc_tree_has(t, x, lived));
	CHECK(sl_proc_tree_empty(t));
	kill(again, SIGKILL);
	waitpid(again, NULL, 0);
	sl_proc_tree_close(t);
	return 0;
}

/*
 * The other way round: an outsider's pid, said no to (and remembered),
 * goes to a new descendant: its records are taken.  The root forks when
 * told, after ns_last_pid was set.  Returns -1 when the pid was taken.
 */
static int reuse_outsider(bool events)
{
	struct sl_proc_tree *t;
	const char *how;
	char *cause = NULL;
	int go[2], out[2], i;
	pid_t r, o = -1, c = -1;
	int64_t root;

	CHECK(!pipe(go) && !pipe(out));
	r = fork();
	if (!r) {
		char b;

		close(go[1]);
		close(out[0]);
		while (read(go[0], &b, 1) == 1) {
			pid_t k = fork();

			if (!k) {
				pause_ms(200);
				_exit(0);
			}
			write(out[1], &k, sizeof(k));
		}
		while (wait(NULL) > 0)
			;
		_exit(0);
	}
	close(go[0]);
	close(out[1]);
	root = r;
	CHECK(sl_proc_tree_open(&t, &root, 1, &how, &cause) == 0);
	CHECK(!strcmp(how, events ? "process events" : "/proc scans"));
	for (i = 0; i < 50 && c < 0; i++) {
		FILE *f;

		o = fork();
		if (!o) {
			pause_ms(1000);
			_exit(0);
		}
		CHECK(!sl_proc_tree_has(t, o, now()));
		CHECK(!sl_proc_tree_has(t, o, now()));	/* remembered */
		kill(o, SIGKILL);
		waitpid(o, NULL, 0);
		f = fopen("/proc/sys/kernel/ns_last_pid", "w");
		CHECK(f);
		fprintf(f, "%d", o - 1);
		CHECK(!fclose(f));
		CHECK(write(go[1], "f", 1) == 1);
		c = read_pid(out[0]);
		if (c != o)
			c = -1;
	}
	close(go[1]);
	if (c < 0) {
		sl_proc_tree_close(t);
		return -1;
	}
	pause_ms(50);
	if (!events)
		CHECK(sl_proc_tree_update(t, &cause) == 0);
	CHECK(sl_proc_tree_has(t, c, now()));
	waitpid(r, NULL, 0);
	close(out[0]);
	sl_proc_tree_close(t);
	return 0;
}

/*
 * A pid reuse scenario (< 0: could not be set up, 0: passed), run with
 * process events, then in a child denied the netlink socket (/proc scans).
 */
static void in_both_modes(int (*scenario)(bool events))
{
	pid_t pid;
	int st, rc;

	if (geteuid() != 0)
		skip();
	rc = scenario(true);
	if (rc < 0)
		skip();
	assert_int_equal(rc, 0);
	pid = fork();
	if (!pid) {
		if (deny_netlink())
			_exit(99);
		rc = scenario(false);
		_exit(rc < 0 ? 77 : rc ? 1 : 0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	if (WEXITSTATUS(st) == 77)
		fprintf(stderr, "# scans: another process took the pid each time, not run\n");
	else
		assert_int_equal(WEXITSTATUS(st), 0);
}

static void test_pid_reuse_outsider(void **state)
{
	(void)state;
	in_both_modes(reuse_outsider);
}

static void test_pid_reuse(void **state)
{
	(void)state;
	in_both_modes(reuse);
}

/* A shell's tree: sh forks sh, which forks the process that writes. */
static void test_shell(void **state)
{
	struct sl_proc_tree *t;
	const char *how;
	char *cause = NULL;
	int64_t root;
	int p[2], go[2];
	pid_t sh, gc;
	char b;
	FILE *f;

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(pipe(go), 0);
	sh = fork();
	if (!sh) {
		dup2(p[1], 9);
		close(p[0]);
		close(go[1]);
		read(go[0], &b, 1);
		execl("/bin/sh", "sh", "-c",
		      "sh -c 'sh -c \"echo \\$\\$ >&9; exec sleep 0.3\" & wait' & wait", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	close(go[0]);
	root = sh;
	assert_int_equal(sl_proc_tree_open(&t, &root, 1, &how, &cause), 0);
	close(go[1]);	/* start */
	f = fdopen(p[0], "r");
	assert_int_equal(fscanf(f, "%d", &gc), 1);
	fclose(f);
	/* no update: has() looks it up (events pending, or /proc) */
	assert_true(sl_proc_tree_has(t, gc, now()));
	assert_true(sl_proc_tree_has(t, gc, -1));
	waitpid(sh, NULL, 0);
	sl_proc_tree_close(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_root),
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_tree_scanning),
		cmocka_unit_test(test_pid_reuse),
		cmocka_unit_test(test_pid_reuse_outsider),
		cmocka_unit_test(test_shell),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
