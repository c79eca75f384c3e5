/*
 * test-netlink.c - netlink payloads as the kernel sent them (captured from
 * AUDIT_NLGRP_READLOG), and, as root, the netlink source on the live
 * kernel: records of a real SCMP_ACT_LOG child, the live/snapshot answers,
 * drops counted when the buffer is tiny, and the capability named when
 * it is missing.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <seccomp.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "unit.h"
#include "audit-status.h"
#include "source.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Every captured payload: SECCOMP ones parse to what their text says,
 * the other types are no records. */
static void test_payloads(void **state)
{
	static struct sl_record rec;
	size_t len, seccomp = 0, other = 0;
	char *text = read_fixture("netlink-payloads.txt", &len), *line, *save = NULL;

	(void)state;
	assert_non_null(text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *body = strchr(line, ' ');
		unsigned long long sec, serial, pid, nr;
		unsigned int msec;
		int type = atoi(line), rc;

		if (line[0] == '#')
			continue;
		assert_non_null(body);
		body++;
		rc = sl_record_parse_body(type, body, strlen(body), &rec);
		if (type != 1326) {
			assert_int_equal(rc, 0);
			other++;
			continue;
		}
		seccomp++;
		assert_int_equal(rc, 1);
		assert_int_equal(rec.kind, SL_REC_SECCOMP);
		assert_int_equal(rec.format, SL_FMT_NETLINK);
		assert_int_equal(rec.origin, SL_ORIGIN_KERNEL);
		assert_true(rec.has_stamp);
		assert_int_equal(sscanf(body, "audit(%llu.%u:%llu)", &sec, &msec, &serial), 3);
		assert_int_equal(rec.sec, sec);
		assert_int_equal(rec.msec, msec);
		assert_int_equal(rec.serial, serial);
		assert_int_equal(sscanf(strstr(body, " pid="), " pid=%llu", &pid), 1);
		assert_int_equal(rec.pid, pid);
		assert_int_equal(sscanf(strstr(body, " syscall="), " syscall=%llu", &nr), 1);
		assert_int_equal(rec.syscall, nr);
		assert_int_equal(rec.arch, 0xc000003e);
		assert_int_equal(rec.code, 0x7ffc0000);
		/* a name with a space comes hex-encoded */
		if (strstr(body, "comm=6C6F672072756E")) {
			assert_int_equal(rec.comm_len, 7);
			assert_memory_equal(rec.comm, "log run", 7);
			assert_string_equal(rec.exe, "/tmp/nlcap/log run");
		} else {
			assert_string_equal(rec.comm, "helper-logrun");
		}
	}
	assert_true(seccomp >= 10);
	assert_true(other >= 4);
	free(text);
}

static void test_body_edges(void **state)
{
	static struct sl_record rec, again;
	const char *body = "audit(1796141269.089:288387): auid=4294967295 uid=0 gid=0 "
			   "ses=4294967295 pid=14025 comm=\"helper-logrun\" "
			   "exe=\"/work/main/build/tests/helper-logrun\" sig=0 arch=c000003e "
			   "syscall=110 compat=0 ip=0x7f1b73ea5829 code=0x7ffc0000";
	char buf[512];
	size_t n = strlen(body);

	(void)state;
	assert_int_equal(sl_record_parse_body(1326, body, n, &rec), 1);
	/* a NUL or newline after the text changes nothing */
	memcpy(buf, body, n);
	memcpy(buf + n, "\n", 2);
	assert_int_equal(sl_record_parse_body(1326, buf, n + 2, &again), 1);
	assert_int_equal(again.syscall, rec.syscall);
	assert_int_equal(again.code, rec.code);
	assert_int_equal(again.ip, rec.ip);
	/* cut before its syscall: malformed, not a record */
	assert_int_equal(sl_record_parse_body(1326, body, (size_t)(strstr(body, "arch=") - body),
					      &rec), -EBADMSG);
	assert_int_equal(sl_record_parse_body(1326, body, 0, &rec), -EBADMSG);
	/* a text prefix is not what netlink sends */
	snprintf(buf, sizeof(buf), "audit: type=1326 %s", body);
	assert_int_equal(sl_record_parse_body(1326, buf, strlen(buf), &rec), -EBADMSG);
	/* the same text under another type is no record */
	assert_int_equal(sl_record_parse_body(1300, body, n, &rec), 0);
	assert_string_equal(sl_format_name(SL_FMT_NETLINK), "netlink");
}

/* A child under SCMP_ACT_LOG calling getppid() n times once told to go
 * (a byte on the pipe): n + 1 records (exit_group too). */
static pid_t logger(int n, int *go)
{
	int p[2];
	pid_t pid;
	char c;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_LOG);

		close(p[1]);
		if (!ctx || read(p[0], &c, 1) != 1)
			_exit(4);
		if (seccomp_load(ctx) < 0)
			_exit(3);
		while (n--)
			getppid();
		/* not _exit(): under ASan it runs LeakSanitizer, whose
		 * syscalls would be records too */
		syscall(SYS_exit_group, 0);
	}
	close(p[0]);
	*go = p[1];
	return pid;
}

/* The kernel's audit queue emptied (5 s at most): every record made so
 * far is in the readers' sockets, or dropped there. */
static void settle(void)
{
	struct sl_audit_status st;
	int i;

	for (i = 0; i < 500; i++) {
		if (sl_audit_get_status(&st, NULL) < 0 || st.backlog == 0)
			break;
		usleep(10 * 1000);
	}
	usleep(50 * 1000);	/* kauditd sends what it took off the queue */
}

static int open_netlink(struct sl_source *src, bool follow)
{
	char *cause = NULL;
	int rc;

	memset(src, 0, sizeof(*src));
	src->ops = &sl_source_netlink_ops;
	src->path = "netlink";
	src->follow = follow;
	rc = src->ops->open(src, &cause);
	free(cause);
	return rc;
}

static bool can_log(void)
{
	return getuid() == 0 && access("/proc/sys/kernel/seccomp/actions_logged", R_OK) == 0;
}

/* Live: -EAGAIN with the socket to poll and a watermark just behind now;
 * every record of the child arrives, none lost; a snapshot read ends. */
static void test_live(void **state)
{
	static struct sl_record rec;
	struct sl_source src;
	char *cause = NULL;
	int go, status, rc, got = 0;
	double t0, deadline;
	pid_t pid;

	(void)state;
	t0 = now();
	if (!can_log() || open_netlink(&src, true) < 0)
		skip();
	/* it holds what came since it joined */
	assert_true(src.begins >= t0 && src.begins <= now());
	/* nothing of ours yet: drain what others make until a quiet moment */
	while ((rc = src.ops->next(&src, &rec, &cause)) == 1)
		;
	assert_int_equal(rc, -EAGAIN);
	assert_true(src.fd >= 0);
	t0 = now();
	assert_true(src.watermark <= t0 && src.watermark > t0 - 11);

	pid = logger(1000, &go);
	assert_int_equal(write(go, "g", 1), 1);
	close(go);
	deadline = now() + 10;
	while (got < 1001 && now() < deadline) {
		rc = src.ops->next(&src, &rec, &cause);
		if (rc == -EAGAIN) {
			struct pollfd p = { .fd = src.fd, .events = POLLIN };

			poll(&p, 1, 100);
			continue;
		}
		assert_int_equal(rc, 1);
		assert_int_equal(rec.kind, SL_REC_SECCOMP);
		if (rec.pid == pid) {
			assert_int_equal(rec.format, SL_FMT_NETLINK);
			assert_int_equal(rec.syscall, got < 1000 ? 110 : 231);	/* x86-64 */
			got++;
		}
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(status, 0);
	assert_int_equal(got, 1001);
	assert_int_equal(src.stats.lost, 0);
	assert_true(src.stats.records >= 1001);
	/* a snapshot read stops once the socket is drained */
	src.follow = false;
	while ((rc = src.ops->next(&src, &rec, &cause)) == 1)
		;
	assert_int_equal(rc, 0);
	src.ops->close(&src);
}

/* Records read a second after their stamps: the watermark keeps twice
 * that margin, no record still on its way could precede it. */
static void test_watermark_delay(void **state)
{
	static struct sl_record rec;
	struct sl_source src;
	char *cause = NULL;
	int go, status, rc, got = 0;
	double t;
	pid_t pid;

	(void)state;
	if (!can_log() || open_netlink(&src, true) < 0)
		skip();
	pid = logger(100, &go);
	assert_int_equal(write(go, "g", 1), 1);
	close(go);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	settle();
	usleep(1000 * 1000);
	while ((rc = src.ops->next(&src, &rec, &cause)) == 1)
		got += rec.pid == pid;
	assert_int_equal(rc, -EAGAIN);
	assert_int_equal(got, 101);
	t = now();
	assert_true(src.watermark < t - 1.9);
	assert_true(src.watermark > t - 11);
	src.ops->close(&src);
}

/* A buffer far too small for a burst: what the kernel dropped comes back
 * as loss records, counted exactly (what arrived + what was lost covers
 * every record the child made). */
static void test_overrun(void **state)
{
	static struct sl_record rec;
	struct sl_source src;
	uint64_t lost = 0, reports = 0, mine = 0;
	char *cause = NULL;
	int go, status, rc;
	pid_t pid;

	(void)state;
	if (!can_log())
		skip();
	setenv("SECLOG_NETLINK_RCVBUF", "4096", 1);
	rc = open_netlink(&src, false);
	unsetenv("SECLOG_NETLINK_RCVBUF");
	if (rc < 0)
		skip();
	pid = logger(2000, &go);
	assert_int_equal(write(go, "g", 1), 1);
	close(go);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(status, 0);
	settle();
	while ((rc = src.ops->next(&src, &rec, &cause)) == 1) {
		if (rec.kind == SL_REC_LOSS) {
			assert_int_equal(rec.loss, SL_LOSS_OVERRUN);
			assert_int_equal(rec.format, SL_FMT_NETLINK);
			assert_true(rec.has_time);
			assert_true(rec.lost > 0);
			lost += rec.lost;
			reports++;
		} else if (rec.pid == pid) {
			mine++;
		}
	}
	assert_int_equal(rc, 0);
	assert_true(reports > 0);
	assert_int_equal(lost, src.stats.lost);
	assert_true(mine < 2001);
	assert_true(mine + lost >= 2001);
	src.ops->close(&src);
}

/* Without CAP_AUDIT_READ the cause names it. */
static void test_no_capability(void **state)
{
	int status;
	pid_t pid;

	(void)state;
	if (getuid() != 0)
		skip();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sl_source src;
		char *cause = NULL;
		int rc;

		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(3);
		memset(&src, 0, sizeof(src));
		rc = sl_source_netlink_ops.open(&src, &cause);
		_exit(rc == -EPERM && cause && strstr(cause, "CAP_AUDIT_READ") ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/*
 * The live tests' bursts go down the printk path too and would wrap the
 * kernel ring under a test that reads it: take the lock the CLI tests
 * take for the record stream (tests/cli/lib.sh, serialize).
 */
static int serialize(void **state)
{
	const char *dir = access("/run/lock", W_OK) == 0 ? "/run/lock" :
			  getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char path[4096];
	int fd;

	(void)state;
	if (getuid() != 0)
		return 0;
	snprintf(path, sizeof(path), "%s/seclog-tests.lock", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		flock(fd, LOCK_EX);	/* released at exit */
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_payloads),
		cmocka_unit_test(test_body_edges),
		cmocka_unit_test(test_live),
		cmocka_unit_test(test_watermark_delay),
		cmocka_unit_test(test_overrun),
		cmocka_unit_test(test_no_capability),
	};

	return cmocka_run_group_tests(tests, serialize, NULL);
}
