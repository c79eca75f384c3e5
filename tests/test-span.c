/*
 * test-span.c - when a source begins (the time of any line, every layout),
 * whether the sources cover --since, and who the records came from.
 * Lines are real output of this VM (fixtures, or dmesg/journalctl/ausearch
 * runs copied here as they printed).
 */
#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "unit.h"
#include "harvest.h"
#include "line-time.h"
#include "top.h"

static void wall(const char *line, double want)
{
	double t = -1;

	assert_int_equal(sl_line_time(line, strlen(line), &t), SL_LT_WALL);
	if (fabs(t - want) > 1e-3)
		fail_msg("%s: %.6f, want %.6f", line, t, want);
}

static void uptime(const char *line, double want)
{
	double t = -1;

	assert_int_equal(sl_line_time(line, strlen(line), &t), SL_LT_UPTIME);
	if (fabs(t - want) > 1e-6)
		fail_msg("%s: %.6f, want %.6f", line, t, want);
}

static void none(const char *line)
{
	double t;

	assert_int_equal(sl_line_time(line, strlen(line), &t), SL_LT_NONE);
}

static void test_line_time(void **state)
{
	/* audit.log, RAW and ENRICHED; ausearch -i (TZ=UTC) */
	wall("type=DAEMON_START msg=audit(1795424330.167:749): op=start ver=3.0.9 format=raw",
	     1795424330.167);
	wall("node=vm type=SYSCALL msg=audit(1795424356.201:1467): arch=c000003e syscall=44",
	     1795424356.201);
	wall("type=DAEMON_START msg=audit(11/23/26 08:58:50.167:749) : op=start ver=3.0.9",
	     1795424330.167);
	/* kmsg, dmesg, dmesg -r, dmesg -x: uptime */
	uptime("6,658,1901598907,-;virtio_net virtio2 eth0: entered allmulticast mode", 1901.598907);
	uptime("[ 1958.775485] bash (10941): drop_caches: 1", 1958.775485);
	uptime("<6>[  466.400520] bash (4778): drop_caches: 1", 466.400520);
	uptime("kern  :info  : [  466.400520] bash (4778): drop_caches: 1", 466.400520);
	/* a record's stamp beats its uptime */
	wall("[ 1958.782419] audit: type=1326 audit(1795424290.669:620): auid=4294967295", 1795424290.669);
	/* dates: dmesg -T, dmesg --time-format iso, rsyslog, journalctl short forms */
	wall("[Tue Dec  1 14:05:53 2026] bash (4778): drop_caches: 1", 1796133953);
	wall("2026-12-01T14:05:53,400520+00:00 bash (4778): drop_caches: 1", 1796133953.400520);
	wall("2026-11-23T09:00:50.251180+00:00 vm kernel: rsrun.sh (21026): drop_caches: 1",
	     1795424450.251180);
	wall("2026-12-01T14:03:25+0000 vm systemd-journald[22829]: Journal stopped", 1796133805);
	wall("2026-12-01T14:03:25.034668+0000 vm systemd-journald[22829]: Journal stopped",
	     1796133805.034668);
	wall("1796133805.034668 vm systemd-journald[22829]: Journal stopped", 1796133805.034668);
	uptime("[  317.085773] vm systemd-journald[22829]: Journal stopped", 317.085773);
	uptime("[ 1456.392355                ] vm systemd-journald[17209]: Journal stopped",
	       1456.392355);
	wall("Tue 2026-12-01 14:22:24 UTC vm systemd-journald[17209]: Journal stopped", 1796134944);
	wall("Tue 2026-12-01 14:22:24.341250 UTC [s=c452717fdbcb4ae0a7a44e57791cf82f;i=1bc8;"
	     "b=6c4be19d841a466ab0a33c4ba08fd002;m=56cec8a3;t=6619341537d02;x=48f804a751818]",
	     1796134944.341250);
	/* journalctl -o export, and -o json (a real entry, shortened: its fields
	 * come in any order) */
	none("__CURSOR=s=c452717fdbcb4ae0a7a44e57791cf82f;i=1bc8;b=6c4be19d841a466ab0a33c4ba08fd002;"
	     "m=56cec8a3;t=6619341537d02;x=48f804a751818");
	wall("__REALTIME_TIMESTAMP=1796134944341250", 1796134944.341250);
	none("__MONOTONIC_TIMESTAMP=1456392355");
	wall("{\"_UID\":\"0\",\"__MONOTONIC_TIMESTAMP\":\"1456392355\",\"_PID\":\"17209\","
	     "\"_RUNTIME_SCOPE\":\"system\",\"SYSLOG_FACILITY\":\"3\",\"__CURSOR\":\"s=c452717fdb"
	     "cb4ae0a7a44e57791cf82f;i=1bc8;b=6c4be19d841a466ab0a33c4ba08fd002;m=56cec8a3;t=66193415"
	     "37d02;x=48f804a751818\",\"_GID\":\"0\",\"MESSAGE\":\"Journal stopped\","
	     "\"__REALTIME_TIMESTAMP\":\"1796134944341250\"}", 1796134944.341250);
	/* the same from the journal-json-pretty/-seq fixtures */
	wall("\t\"__REALTIME_TIMESTAMP\" : \"1796133718857017\",", 1796133718.857017);
	/* no time: journalctl -o cat, an audit transport message, a separator */
	none("bash (23777): drop_caches: 1");
	none("SECCOMP auid=4294967295 uid=0 gid=0 ses=4294967295 pid=23786 comm=\"logrun\"");
	none("----");
	none("");
}

/* Traditional syslog dates have no year: the latest not more than a day ahead. */
static void test_traditional(void **state)
{
	time_t now = time(NULL) - 3600;
	struct tm tm;
	char line[128];
	double t;

	gmtime_r(&now, &tm);
	strftime(line, sizeof(line), "%b %d %H:%M:%S vm kernel: bash (23777): drop_caches: 1", &tm);
	assert_int_equal(sl_line_time(line, strlen(line), &t), SL_LT_WALL);
	assert_true(fabs(t - (double)now) < 1);
	wall("Nov 23 09:01:25 vm kernel: bash (23777): drop_caches: 1",
	     now >= 1795424485 ? 1795424485 : 1795424485 - 365 * 86400.0);
}

static double begins_of(const char *fixture)
{
	char path[4096];
	struct sl_source src;
	struct sl_record *rec = malloc(sizeof(*rec));
	char *cause = NULL;
	double t;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, fixture);
	assert_int_equal(sl_source_open(&src, path, &cause), 0);
	while (sl_source_next(&src, rec, &cause) > 0)
		;
	t = src.begins;
	sl_source_close(&src);
	free(rec);
	return t;
}

/* Each fixture's first timed line, whatever it holds. */
static void test_fixture_begins(void **state)
{
	assert_true(fabs(begins_of("auditd-raw.txt") - 1795424330.167) < 1e-3);
	assert_true(fabs(begins_of("kernlog-rfc3339.txt") - 1795424445.113886) < 1e-3);
	/* dmesg -T: the record's stamp, not the (rounded, shifted) -T date */
	assert_true(fabs(begins_of("dmesg-T.txt") - 1795422761.053) < 1e-3);
	/* journalctl -o json-seq, json-pretty, export: __REALTIME_TIMESTAMP */
	assert_true(fabs(begins_of("journal-json-seq.txt") - 1796133718.857017) < 1e-3);
	assert_true(fabs(begins_of("journal-json-pretty.txt") - 1796133718.857017) < 1e-3);
	assert_true(fabs(begins_of("journal-export-full.txt") - 1796133718.857017) < 1e-3);
	/* dmesg -r: the first line's uptime, placed by the first record */
	assert_true(fabs(begins_of("dmesg-r.txt") - (1796133718.853 - 230.909256 + 230.905076)) <
		    2e-3);
	/* -o cat: the first lines have no time; the first kernel record does */
	assert_true(fabs(begins_of("journal-cat.txt") - 1795424485.777) < 1e-3);
	/* kmsg.txt begins with a virtio line at 1901.598907 s, placed by the
	 * first record's pair [1901.906783] audit(1795424233.793) */
	assert_true(fabs(begins_of("kmsg.txt") - (1795424233.793 - 1901.906783 + 1901.598907)) <
		    2e-3);
}

/* --since is covered when a source began by then and was written since. */
static void test_cover(void **state)
{
	struct sl_source s[2];

	memset(s, 0, sizeof(s));
	s[0].begins = 100;
	s[0].ends = INFINITY;
	s[1].begins = 50;
	s[1].ends = 80;		/* a rotated log: written last at 80 */
	assert_true(sl_sources_cover(s, 2, 100));
	assert_true(sl_sources_cover(s, 2, 60));
	assert_false(sl_sources_cover(s, 2, 90));	/* between the two: a gap */
	assert_false(sl_sources_cover(s, 2, 40));
	assert_true(sl_sources_cover(s, 2, 1e12));
	s[0].begins = -1;	/* unknown */
	assert_false(sl_sources_cover(s, 1, 1e12));
}

/* A real file: its mtime is its end; a harvest over two files is covered
 * when either holds --since. */
static void test_harvest_cover(void **state)
{
	char path[4096], old[] = "/tmp/seclog-span-XXXXXX";
	struct utimbuf ut = { 1795424400, 1795424400 };
	struct sl_harvest h;
	struct sl_source src[2];
	size_t failed, len = 0;
	char *cause = NULL, *text = read_fixture("auditd-raw.txt", &len);
	int fd = mkstemp(old);

	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	free(text);
	assert_int_equal(utime(old, &ut), 0);	/* as if rotated at 1795424400 */
	snprintf(path, sizeof(path), "%s/%s", FIXTURES, "kernlog-rfc3339.txt");

	sl_harvest_init(&h);
	h.filter.has_since = true;
	h.filter.since = 1795424340;	/* in the old file only */
	assert_int_equal(sl_source_open(&src[0], old, &cause), 0);
	assert_int_equal(sl_source_open(&src[1], path, &cause), 0);
	assert_int_equal(sl_harvest_sources(&h, src, 2, &failed, &cause), 0);
	assert_false(h.uncovered);
	sl_source_close(&src[0]);
	sl_source_close(&src[1]);
	sl_harvest_free(&h);

	/* the newer file alone begins after it */
	sl_harvest_init(&h);
	h.filter.has_since = true;
	h.filter.since = 1795424340;
	assert_int_equal(sl_source_open(&src[1], path, &cause), 0);
	assert_int_equal(sl_harvest_sources(&h, &src[1], 1, &failed, &cause), 0);
	assert_true(h.uncovered);
	assert_true(sl_harvest_incomplete(&h));
	sl_source_close(&src[1]);
	sl_harvest_free(&h);

	/* the old one alone ends before a later --since */
	sl_harvest_init(&h);
	h.filter.has_since = true;
	h.filter.since = 1795424450;
	assert_int_equal(sl_source_open(&src[0], old, &cause), 0);
	assert_int_equal(sl_harvest_sources(&h, &src[0], 1, &failed, &cause), 0);
	assert_true(h.uncovered);
	sl_source_close(&src[0]);
	sl_harvest_free(&h);
	unlink(old);
}

/* The running ring begins at its oldest message, which is this boot's. */
static void test_kmsg_begins(void **state)
{
	struct sl_source src;
	struct sl_record *rec = malloc(sizeof(*rec));
	char *cause = NULL;

	if (sl_source_open(&src, "/dev/kmsg", &cause)) {
		printf("SKIP: /dev/kmsg: %s\n", cause);
		free(cause);
		free(rec);
		skip();
	}
	while (sl_source_next(&src, rec, &cause) > 0)
		;
	{
		/* the ring's oldest message, read here: sequence 0 is the boot's */
		char msg[8192];
		int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
		ssize_t n = fd >= 0 ? read(fd, msg, sizeof(msg) - 1) : -1;

		if (fd >= 0)
			close(fd);
		if (n > 0) {
			msg[n] = '\0';
			if (strtol(strchr(msg, ',') + 1, NULL, 10) == 0)
				assert_true(src.begins == sl_boot_time() - 1);
		}
	}
	assert_true(src.begins >= sl_boot_time() - 1);
	assert_true(src.begins <= (double)time(NULL) + 1);
	assert_true(isinf(src.ends));
	sl_source_close(&src);
	free(rec);
}

static void add(struct sl_top *t, int64_t pid, const char *comm)
{
	struct sl_record rec;

	memset(&rec, 0, sizeof(rec));
	rec.pid = pid;
	rec.comm_len = strlen(comm);
	memcpy(rec.comm, comm, rec.comm_len);
	rec.fields = SL_F_PID | SL_F_COMM;
	sl_top_add(t, &rec, false);
}

/* The heavy hitters survive a stream of many small ones; memory is fixed. */
static void test_top(void **state)
{
	const struct sl_top_entry *e[5];
	struct sl_top t;
	int i;

	memset(&t, 0, sizeof(t));
	for (i = 0; i < 10000; i++) {
		add(&t, 4321, "nginx");
		if (i % 2)
			add(&t, 4322, "nginx");
		add(&t, 100000 + i, "sh");	/* 10000 short-lived children */
	}
	assert_int_equal(sl_top_sorted(&t, e, 5), 5);
	assert_int_equal(e[0]->pid, 4321);
	assert_int_equal(e[0]->count - e[0]->err, 10000);	/* a lower bound, exact here */
	assert_int_equal(e[1]->pid, 4322);
	assert_true(e[1]->count >= 5000);
	assert_string_equal(e[0]->comm, "nginx");
	assert_int_equal(t.n, SL_TOP_MAX);

	/* few keys: exact */
	memset(&t, 0, sizeof(t));
	add(&t, 1, "a");
	add(&t, 2, "b");
	add(&t, 2, "b2");	/* a new comm after exec: the last one is shown */
	assert_int_equal(sl_top_sorted(&t, e, 5), 2);
	assert_int_equal(e[0]->pid, 2);
	assert_int_equal(e[0]->count, 2);
	assert_int_equal(e[0]->err, 0);
	assert_int_equal(e[0]->comm_len, 2);
	assert_memory_equal(e[0]->comm, "b2", 2);
}

/* Over a real harvest, all records count, matched or not. */
static void test_top_harvest(void **state)
{
	char path[4096];
	struct sl_harvest h;
	struct sl_source src;
	const struct sl_top_entry *e[5];
	char *cause = NULL;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, "burst-suppressed.txt");
	sl_harvest_init(&h);
	sl_filter_add_pid(&h.filter, 1);
	assert_int_equal(sl_source_open(&src, path, &cause), 0);
	assert_int_equal(sl_harvest_source(&h, &src, &cause), 0);
	assert_int_equal(h.matched, 0);
	assert_int_equal(sl_top_sorted(&h.top_pids, e, 5), 3);
	/* pid 10946: 10 getppid (logrun); 11008: logrun's execve, then true */
	assert_int_equal(e[0]->count, 10);
	assert_int_equal(e[1]->count, 10);
	assert_int_equal(e[2]->pid, 11035);
	assert_int_equal(e[2]->count, 2);
	assert_int_equal(sl_top_sorted(&h.top_comms, e, 5), 2);
	assert_memory_equal(e[0]->comm, "logrun", 6);
	assert_int_equal(e[0]->count, 13);
	assert_int_equal(e[1]->count, 9);
	sl_source_close(&src);
	sl_harvest_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_time),
		cmocka_unit_test(test_traditional),
		cmocka_unit_test(test_fixture_begins),
		cmocka_unit_test(test_cover),
		cmocka_unit_test(test_harvest_cover),
		cmocka_unit_test(test_kmsg_begins),
		cmocka_unit_test(test_top),
		cmocka_unit_test(test_top_harvest),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
