/*
 * test-source.c - the file source on real captures: the same records read
 * from every layout give the same records, journal entries spanning lines,
 * unknown layouts counted, and a 64 KiB line whatever the read() split.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "source.h"

/* What two readings of the same records must agree on. */
struct seen {
	int kind;
	uint32_t serial, msec;
	int64_t sec, syscall;
	uint32_t arch;
	int64_t pid;
	uint64_t lost;
	bool has_stamp;
	enum sl_origin origin;
	char comm[SL_COMM_MAX];
};

#define MAXREC 256

static size_t read_all(const char *path, struct seen *out, struct sl_source_stats *st)
{
	static struct sl_record rec;
	struct sl_source src;
	char *cause = NULL;
	size_t n = 0;
	int rc;

	assert_int_equal(sl_source_open(&src, path, &cause), 0);
	while ((rc = sl_source_next(&src, &rec, &cause)) > 0) {
		assert_true(n < MAXREC);
		memset(&out[n], 0, sizeof(out[n]));
		out[n].kind = rec.kind;
		out[n].serial = rec.serial;
		out[n].msec = rec.msec;
		out[n].sec = rec.sec;
		out[n].syscall = rec.kind == SL_REC_SECCOMP ? rec.syscall : -1;
		out[n].arch = rec.kind == SL_REC_SECCOMP ? rec.arch : 0;
		out[n].pid = rec.kind == SL_REC_SECCOMP ? rec.pid : 0;
		out[n].lost = rec.lost;
		out[n].has_stamp = rec.has_stamp;
		out[n].origin = rec.origin;
		if (rec.kind == SL_REC_SECCOMP)
			memcpy(out[n].comm, rec.comm, rec.comm_len);
		n++;
	}
	assert_int_equal(rc, 0);
	if (st)
		*st = src.stats;
	sl_source_close(&src);
	return n;
}

static size_t fixture(const char *name, struct seen *out, struct sl_source_stats *st)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	return read_all(path, out, st);
}

static void same(const struct seen *a, const struct seen *b, size_t n, bool times)
{
	size_t i;

	for (i = 0; i < n; i++) {
		assert_int_equal(a[i].kind, b[i].kind);
		assert_int_equal(a[i].serial, b[i].serial);
		assert_int_equal(a[i].syscall, b[i].syscall);
		assert_int_equal(a[i].arch, b[i].arch);
		assert_int_equal(a[i].pid, b[i].pid);
		assert_int_equal(a[i].lost, b[i].lost);
		assert_string_equal(a[i].comm, b[i].comm);
		if (times && a[i].has_stamp) {
			assert_true(b[i].has_stamp);
			assert_int_equal(a[i].sec, b[i].sec);
			assert_int_equal(a[i].msec, b[i].msec);
		}
	}
}

/* dmesg -r, -x, -x -T, --time-format iso/reltime/delta/notime: one ring */
static void test_dmesg_layouts(void **state)
{
	static const char *const files[] = { "dmesg-r.txt", "dmesg-x.txt", "dmesg-xT.txt",
					     "dmesg-iso.txt", "dmesg-reltime.txt",
					     "dmesg-delta.txt", "dmesg-notime.txt" };
	static struct seen ref[MAXREC], got[MAXREC];
	struct sl_source_stats st;
	size_t nref, n, i, recs = 0, loss = 0;

	nref = fixture("dmesg-iso.txt", ref, NULL);
	for (i = 0; i < nref; i++) {
		recs += ref[i].kind == SL_REC_SECCOMP;
		loss += ref[i].kind == SL_REC_LOSS;
		assert_int_equal(ref[i].origin, SL_ORIGIN_KERNEL);
	}
	/* grep -c 'type=1326' and the one "16 callbacks suppressed" line */
	assert_int_equal(recs, 42);
	assert_int_equal(loss, 1);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		n = fixture(files[i], got, &st);
		assert_int_equal(n, nref);
		assert_int_equal(st.malformed + st.unknown + st.overlong, 0);
		same(ref, got, n, true);
	}
}

static size_t count(const struct seen *s, size_t n, int kind, enum sl_origin origin)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += s[i].kind == kind && s[i].origin == origin;
	return k;
}

/*
 * journalctl -o json, export, verbose, json-pretty, json-seq of one
 * journal: the same entries in the same order.  The audit transport's
 * records get their stamp from _AUDIT_ID and _SOURCE_REALTIME_TIMESTAMP:
 * the same as the kernel transport's copy of that record says in its text.
 */
static void test_journal_forms(void **state)
{
	static const char *const files[] = { "journal-export-full.txt", "journal-verbose.txt" };
	static struct seen ref[MAXREC], got[MAXREC];
	struct sl_source_stats st;
	size_t nref, n, i, j, twins = 0;

	nref = fixture("journal-json.txt", ref, &st);
	assert_int_equal(st.malformed + st.unknown + st.overlong, 0);
	/* 58 on the audit transport, 42 on the kernel's (16 suppressed) */
	assert_int_equal(count(ref, nref, SL_REC_SECCOMP, SL_ORIGIN_KERNEL), 100);
	assert_int_equal(count(ref, nref, SL_REC_LOSS, SL_ORIGIN_KERNEL), 1);
	for (i = 0; i < nref; i++) {
		if (ref[i].kind != SL_REC_SECCOMP)
			continue;
		assert_true(ref[i].has_stamp);
		for (j = 0; j < nref; j++) {
			if (j == i || ref[j].kind != SL_REC_SECCOMP || ref[j].serial != ref[i].serial)
				continue;
			assert_int_equal(ref[j].sec, ref[i].sec);
			assert_int_equal(ref[j].msec, ref[i].msec);
			assert_int_equal(ref[j].syscall, ref[i].syscall);
			twins++;
		}
	}
	assert_int_equal(twins, 2 * 42);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		n = fixture(files[i], got, &st);
		assert_int_equal(n, nref);
		assert_int_equal(st.malformed + st.unknown + st.overlong, 0);
		same(ref, got, n, true);
		for (j = 0; j < n; j++)
			assert_int_equal(got[j].origin, ref[j].origin);
	}
	/* the first 12 entries, pretty-printed and as json-seq */
	n = fixture("journal-json-pretty.txt", got, NULL);
	assert_true(n > 4);
	same(ref, got, n, true);
	n = fixture("journal-json-seq.txt", got, NULL);
	assert_true(n > 4);
	same(ref, got, n, true);
}

/*
 * Entries anyone can write (logger -t kernel, systemd-cat -t audit, the
 * native protocol with a binary MESSAGE holding blank lines): read, but
 * as text, never as the kernel's.
 */
static void test_journal_forged(void **state)
{
	static const char *const files[] = { "journal-forged-export.txt",
					     "journal-forged-json.txt" };
	static struct seen got[MAXREC];
	struct sl_source_stats st;
	size_t n, i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		n = fixture(files[i], got, &st);
		assert_int_equal(n, 2);
		assert_int_equal(count(got, n, SL_REC_SECCOMP, SL_ORIGIN_TEXT), 2);
		assert_int_equal(got[0].syscall, 165);
		/* the multi-line binary MESSAGE: counted, not read */
		assert_int_equal(st.unknown, 1);
		assert_int_equal(st.malformed, 0);
	}
}

/* ausearch -i (names, local time) against ausearch --raw of the same log */
static void test_ausearch(void **state)
{
	static struct seen ref[MAXREC], got[MAXREC];
	struct sl_source_stats st;
	size_t nref, n, i, spaced = 0;

	setenv("TZ", "UTC", 1);	/* as on the machine that ran ausearch */
	tzset();
	nref = fixture("ausearch-raw.txt", ref, NULL);
	assert_int_equal(nref, 64);
	n = fixture("ausearch-i.txt", got, &st);
	assert_int_equal(n, nref);
	assert_int_equal(st.malformed + st.unknown, 0);
	same(ref, got, n, true);
	for (i = 0; i < n; i++)
		spaced += !strcmp(got[i].comm, "my prog");
	assert_int_equal(spaced, 29);
	/* text and csv lack arch and syscall number: counted, with a hint */
	n = fixture("ausearch-text.txt", got, &st);
	assert_int_equal(n, 0);
	assert_int_equal(st.unknown, 64);
	assert_non_null(st.unknown_hint);
	assert_non_null(strstr(st.unknown_hint, "ausearch -i"));
	n = fixture("ausearch-csv.txt", got, &st);
	assert_int_equal(n, 0);
	assert_int_equal(st.unknown, 64);
	assert_non_null(st.unknown_hint);
}

/*
 * Journal entries before or after another log in one input (a user's
 * cat): the same records as each part alone, in order.  A binary MESSAGE
 * holding blank lines must not leak a record, nor swallow what follows.
 */
static void test_concatenated(void **state)
{
	static const char *const pairs[][2] = {
		{ "dmesg-iso.txt", "journal-forged-export.txt" },
		{ "journal-forged-export.txt", "dmesg-iso.txt" },
		{ "dmesg-iso.txt", "journal-verbose.txt" },
		{ "journal-verbose.txt", "dmesg-iso.txt" },
		{ "dmesg-iso.txt", "journal-json-pretty.txt" },
		{ "journal-json-pretty.txt", "dmesg-iso.txt" },
		{ "journal-export-full.txt", "journal-export-full.txt" },
	};
	static struct seen a[MAXREC], b[MAXREC], ab[2 * MAXREC];
	char path[] = "/tmp/seclog-test-source.XXXXXX";
	size_t i, na, nb, nab, la, lb;
	char *ta, *tb;
	int fd;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		na = fixture(pairs[i][0], a, NULL);
		nb = fixture(pairs[i][1], b, NULL);
		ta = read_fixture(pairs[i][0], &la);
		tb = read_fixture(pairs[i][1], &lb);
		fd = mkstemp(path);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, ta, la), (ssize_t)la);
		assert_int_equal(write(fd, tb, lb), (ssize_t)lb);
		close(fd);
		assert_true(na + nb <= 2 * MAXREC);
		nab = read_all(path, ab, NULL);
		unlink(path);
		strcpy(path, "/tmp/seclog-test-source.XXXXXX");
		free(ta);
		free(tb);
		assert_int_equal(nab, na + nb);
		same(a, ab, na, true);
		same(b, ab + na, nb, true);
	}
}

/*
 * A line of exactly SL_LINE_MAX bytes is kept, one byte more is dropped,
 * wherever a read() splits it: fed through a pipe in two writes.
 */
static void feed(const char *line, size_t len, size_t split, uint64_t *records,
		 uint64_t *overlong)
{
	static struct seen got[MAXREC];
	struct sl_source_stats st;
	char path[64];
	int fd[2];
	pid_t pid;

	assert_int_equal(pipe(fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		struct timespec pause = { 0, 50 * 1000 * 1000 };

		close(fd[0]);
		if (write(fd[1], line, split) != (ssize_t)split)
			_exit(1);
		nanosleep(&pause, NULL);	/* the reader gets the first part alone */
		if (write(fd[1], line + split, len - split) != (ssize_t)(len - split))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fd[0]);
	read_all(path, got, &st);
	close(fd[0]);
	waitpid(pid, NULL, 0);
	*records = st.records;
	*overlong = st.overlong;
}

static void test_line_limit_any_split(void **state)
{
	static const char rec[] = "[  230.909256] audit: type=1326 audit(1796133718.853:2): "
				  "auid=4294967295 uid=0 gid=0 ses=4294967295 pid=19075 "
				  "comm=\"helper-logrun\" exe=\"/work/wt/formats/build/tests/"
				  "helper-logrun\" sig=0 arch=c000003e syscall=59 compat=0 "
				  "ip=0x7fdb1afd6ad7 code=0x7ffc0000 pad=";
	static const size_t splits[] = { 1, 4096, SL_LINE_MAX - 1, SL_LINE_MAX, SL_LINE_MAX + 1 };
	size_t extra, i, len;
	uint64_t records, overlong;
	char *line = malloc(SL_LINE_MAX + 2);

	for (extra = 0; extra < 2; extra++) {
		/* SL_LINE_MAX (+ extra) bytes, then the newline */
		len = SL_LINE_MAX + extra;
		memset(line, 'x', len);
		memcpy(line, rec, sizeof(rec) - 1);
		line[len++] = '\n';
		for (i = 0; i < sizeof(splits) / sizeof(splits[0]); i++) {
			if (splits[i] >= len)
				continue;
			feed(line, len, splits[i], &records, &overlong);
			assert_int_equal(records, extra ? 0 : 1);
			assert_int_equal(overlong, extra ? 1 : 0);
		}
	}
	free(line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dmesg_layouts),
		cmocka_unit_test(test_journal_forms),
		cmocka_unit_test(test_journal_forged),
		cmocka_unit_test(test_ausearch),
		cmocka_unit_test(test_concatenated),
		cmocka_unit_test(test_line_limit_any_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
