/* test-filter.c - filters, the dedupe set, and ausearch-style times */
#include "config.h"

#include <errno.h>
#include <time.h>

#include "unit.h"
#include "filter.h"
#include "timeparse.h"

static struct sl_record make(int64_t pid, const char *comm, uint32_t auid, int64_t sec,
			     uint32_t serial)
{
	struct sl_record r;

	memset(&r, 0, sizeof(r));
	r.pid = pid;
	r.auid = auid;
	r.ses = 7;
	r.sec = sec;
	r.msec = 5;
	r.serial = serial;
	r.has_stamp = r.has_time = true;
	strcpy(r.comm, comm);
	r.comm_len = strlen(comm);
	strcpy(r.exe, "/bin/sh");
	r.exe_len = 7;
	r.fields = SL_F_PID | SL_F_COMM | SL_F_EXE | SL_F_AUID | SL_F_SES;
	return r;
}

static void test_filters(void **state)
{
	struct sl_filter f = { 0 };
	struct sl_record r = make(10, "sh", 1000, 100, 1);

	assert_true(sl_filter_match(&f, &r));
	sl_filter_add_pid(&f, 11);
	assert_false(sl_filter_match(&f, &r));
	sl_filter_add_pid(&f, 10);
	assert_true(sl_filter_match(&f, &r));
	f.comm = "s";
	assert_false(sl_filter_match(&f, &r));	/* exact, not a prefix */
	f.comm = "sh";
	f.exe = "/bin/sh";
	assert_true(sl_filter_match(&f, &r));
	f.has_auid = true;
	f.auid = 1001;
	assert_false(sl_filter_match(&f, &r));
	f.auid = 1000;
	f.has_ses = true;
	f.ses = 7;
	assert_true(sl_filter_match(&f, &r));
	f.has_since = true;
	f.since = 100.005;
	assert_true(sl_filter_match(&f, &r));
	f.since = 100.006;
	assert_false(sl_filter_match(&f, &r));
	f.has_since = false;
	f.has_until = true;
	f.until = 99;
	assert_false(sl_filter_match(&f, &r));
	f.until = 101;
	assert_true(sl_filter_match(&f, &r));
	r.has_time = false;	/* no time: a time filter cannot pass it */
	assert_false(sl_filter_match(&f, &r));
	sl_filter_free(&f);
}

static void test_filter_missing_fields(void **state)
{
	struct sl_filter f = { 0 };
	struct sl_record r = make(10, "sh", 1000, 100, 1);

	r.fields = 0;
	sl_filter_add_pid(&f, 10);
	assert_false(sl_filter_match(&f, &r));
	sl_filter_free(&f);
}

static void test_dedupe(void **state)
{
	struct sl_dedupe d = { 0 };
	struct sl_record r = make(1, "a", 0, 1795422761, 7), s;
	uint32_t i;

	assert_false(sl_dedupe_seen(&d, &r));
	assert_true(sl_dedupe_seen(&d, &r));
	s = r;
	s.msec = 6;	/* same serial, other time: another boot's record */
	assert_false(sl_dedupe_seen(&d, &s));
	s = r;
	s.serial = 8;
	assert_false(sl_dedupe_seen(&d, &s));
	/* a full window: the newest SL_DEDUPE_WINDOW records are all there,
	 * through many evictions (the table's deletions must not lose any) */
	for (i = 0; i < 5 * SL_DEDUPE_WINDOW; i++) {
		s.serial = 1000 + i;
		assert_false(sl_dedupe_seen(&d, &s));
	}
	for (i = 5 * SL_DEDUPE_WINDOW - 1; i >= 4 * SL_DEDUPE_WINDOW; i -= 7) {
		s.serial = 1000 + i;
		assert_true(sl_dedupe_seen(&d, &s));
	}
	/* the oldest have left it: memory stays fixed */
	s.serial = 1000;
	assert_false(sl_dedupe_seen(&d, &s));
	assert_int_equal(d.n, SL_DEDUPE_WINDOW);
	/* no stamp: never a duplicate */
	r.has_stamp = false;
	assert_false(sl_dedupe_seen(&d, &r));
	assert_false(sl_dedupe_seen(&d, &r));
	sl_dedupe_free(&d);
}

/* A forged line can copy a real stamp: the content must match too. */
static void test_dedupe_content(void **state)
{
	struct sl_dedupe d = { 0 };
	struct sl_record r = make(1, "a", 0, 1795422761, 7), f = r;

	r.fields |= SL_F_ARCH | SL_F_SYSCALL;
	r.arch = 0xc000003e;
	r.syscall = 59;
	f = r;
	f.syscall = 165;
	assert_false(sl_dedupe_seen(&d, &f));
	assert_false(sl_dedupe_seen(&d, &r));	/* the real one is not its twin */
	assert_true(sl_dedupe_seen(&d, &r));
	/* a field the line did not hold does not count, whatever the struct
	 * kept from an earlier line */
	f = r;
	f.ip = 1234;
	assert_true(sl_dedupe_seen(&d, &f));
	f.fields |= SL_F_IP;
	assert_false(sl_dedupe_seen(&d, &f));
	sl_dedupe_free(&d);
}

/* Syslog text is held until a kernel-made copy confirms it, or it leaves
 * the window unconfirmed. */
static void test_dedupe_held(void **state)
{
	struct sl_dedupe d = { 0 };
	struct sl_record r = make(1, "a", 0, 1795422761, 7);
	struct sl_dedupe_out out;
	struct sl_held held;
	uint32_t i;
	size_t n;

	r.arch = 0xc000003e;
	r.syscall = 165;
	assert_int_equal(sl_dedupe_check(&d, &r, 0, &out), SL_SEEN_NEW);
	assert_int_equal(sl_dedupe_check(&d, &r, 0, &out), SL_SEEN_COPY);
	assert_int_equal(d.nheld, 1);
	assert_int_equal(sl_dedupe_check(&d, &r, SL_DEDUPE_TRUSTED, &out), SL_SEEN_CONFIRMS);
	assert_int_equal(sl_dedupe_check(&d, &r, SL_DEDUPE_TRUSTED, &out), SL_SEEN_COPY);
	assert_int_equal(d.nheld, 0);
	/* text only: evicted when the window is full, reported once */
	r.serial = 8;
	assert_int_equal(sl_dedupe_check(&d, &r, 0, &out), SL_SEEN_NEW);
	for (i = 0, n = 0; i < SL_DEDUPE_WINDOW; i++) {
		struct sl_record s = r;

		s.serial = 100 + i;
		s.syscall = 1;
		sl_dedupe_check(&d, &s, i % 2 ? SL_DEDUPE_TRUSTED : 0, &out);
		if (out.evicted) {
			n++;
			assert_int_equal(out.held.nr, 165);
		}
	}
	assert_int_equal(n, 1);
	/* the rest are drained at the end, each once */
	for (n = 0; sl_dedupe_unheld(&d, &held); n++)
		assert_int_equal(held.nr, 1);
	assert_int_equal(n, SL_DEDUPE_WINDOW / 2);
	assert_int_equal(d.nheld, 0);
	/* unstamped text is never held: nothing can confirm it */
	r.has_stamp = false;
	assert_int_equal(sl_dedupe_check(&d, &r, 0, &out), SL_SEEN_NEW);
	assert_int_equal(d.nheld, 0);
	sl_dedupe_free(&d);
}

/*
 * Records whose stamps only go up are queued without a lookup; a copy,
 * or any record not later than all before it, finds every one of them in
 * the window all the same, held ones still held.
 */
static void test_dedupe_in_time_order(void **state)
{
	struct sl_dedupe d = { 0 };
	struct sl_record r = make(1, "a", 0, 1795422761, 7), s;
	struct sl_dedupe_out out;
	uint32_t i;

	r.arch = 0xc000003e;
	r.syscall = 165;
	/* a text copy held, later records, then its kernel-made copy */
	assert_int_equal(sl_dedupe_check(&d, &r, 0, &out), SL_SEEN_NEW);
	s = r;
	for (i = 0; i < 10; i++) {
		s.serial = 8 + i;
		assert_int_equal(sl_dedupe_check(&d, &s, SL_DEDUPE_TRUSTED, &out), SL_SEEN_NEW);
	}
	assert_int_equal(d.nheld, 1);
	assert_int_equal(sl_dedupe_check(&d, &r, SL_DEDUPE_TRUSTED, &out), SL_SEEN_CONFIRMS);
	assert_int_equal(d.nheld, 0);
	/* a record out of order that is no copy: new, and then found */
	s.serial = 3;
	assert_int_equal(sl_dedupe_check(&d, &s, SL_DEDUPE_TRUSTED, &out), SL_SEEN_NEW);
	assert_int_equal(sl_dedupe_check(&d, &s, SL_DEDUPE_TRUSTED, &out), SL_SEEN_COPY);
	/* the same stamp with other content: not a copy, in either order */
	s = r;
	s.syscall = 59;
	assert_int_equal(sl_dedupe_check(&d, &s, SL_DEDUPE_TRUSTED, &out), SL_SEEN_NEW);
	/* a window in time order, a copy out of order among it, more in
	 * order (the oldest leave, queued or looked up), then the copies of
	 * the newest window: all found, in any order; older ones are gone */
	s = r;
	for (i = 0; i < SL_DEDUPE_WINDOW; i++) {
		s.serial = 1000 + i;
		assert_int_equal(sl_dedupe_check(&d, &s, SL_DEDUPE_TRUSTED, &out), SL_SEEN_NEW);
	}
	s.serial = 1000 + SL_DEDUPE_WINDOW / 2;
	assert_int_equal(sl_dedupe_check(&d, &s, SL_DEDUPE_TRUSTED, &out), SL_SEEN_COPY);
	for (i = SL_DEDUPE_WINDOW; i < SL_DEDUPE_WINDOW + SL_DEDUPE_WINDOW / 2; i++) {
		s.serial = 1000 + i;
		assert_int_equal(sl_dedupe_check(&d, &s, SL_DEDUPE_TRUSTED, &out), SL_SEEN_NEW);
	}
	for (i = SL_DEDUPE_WINDOW + SL_DEDUPE_WINDOW / 2 - 1; i >= SL_DEDUPE_WINDOW / 2 + 1;
	     i -= 3) {
		s.serial = 1000 + i;
		assert_int_equal(sl_dedupe_check(&d, &s, SL_DEDUPE_TRUSTED, &out), SL_SEEN_COPY);
	}
	s.serial = 1000 + SL_DEDUPE_WINDOW / 2 - 2;
	assert_int_equal(sl_dedupe_check(&d, &s, SL_DEDUPE_TRUSTED, &out), SL_SEEN_NEW);
	assert_int_equal(d.n, SL_DEDUPE_WINDOW);
	sl_dedupe_free(&d);
}

/* Feed a sequence to the twin pairing: 'a' = audit copy (no stamp),
 * 'k' = kernel copy (stamped); the letter after it is the content.
 * Returns the number of copies taken as twins. */
static size_t twins(const char *seq)
{
	struct sl_twins t = { 0 };
	size_t n = 0;

	for (; seq[0] && seq[1]; seq += 2) {
		struct sl_record r = make(1, "x", 0, 1795422761, 1);

		r.has_stamp = seq[0] == 'k';
		r.format = r.has_stamp ? SL_FMT_SYSLOG : SL_FMT_JOURNAL;
		r.syscall = seq[1];
		r.origin = SL_ORIGIN_TEXT;
		n += sl_twins_seen(&t, &r);
	}
	sl_twins_free(&t);
	return n;
}

static void test_twins(void **state)
{
	struct sl_twins t = { 0 };
	struct sl_record r = make(1, "x", 0, 1795422761, 1);
	size_t i, n;

	/* a loop's identical records: 5 audit copies, the first 2 also as
	 * kernel copies, which lag */
	assert_int_equal(twins("axaxaxkxaxkxax"), 2);
	/* kernel copies ahead of the audit ones (measured too) */
	assert_int_equal(twins("kxkxaxaxax"), 2);
	/* order: k2 pairs with a2, so a1, before it, can never pair (the
	 * kernel copies keep the audit order): a later k1 is another record */
	assert_int_equal(twins("a1a2k2k1"), 1);
	assert_int_equal(twins("a1a2a1k1k2"), 2);
	/* a kernel copy whose audit copy was lost does not block the rest */
	assert_int_equal(twins("kzaxkxayky"), 2);
	/* a kernel-only stream (kern.log) is never paired */
	assert_int_equal(twins("kxkxkx"), 0);
	/* nor is audit.log: not even queued before an audit copy */
	r.has_stamp = true;
	r.format = SL_FMT_AUDITD;
	assert_false(sl_twins_seen(&t, &r));
	assert_int_equal(t.stamped.n, 0);
	r.format = SL_FMT_SYSLOG;
	/* different provenance never pairs: a forged line is no twin */
	r.has_stamp = false;
	r.origin = SL_ORIGIN_TEXT;
	assert_false(sl_twins_seen(&t, &r));
	r.has_stamp = true;
	r.origin = SL_ORIGIN_KERNEL;
	assert_false(sl_twins_seen(&t, &r));
	sl_twins_free(&t);
	/* bounded: a queue keeps SL_TWIN_QUEUE copies; older ones are gone */
	r.origin = SL_ORIGIN_TEXT;
	for (i = 0; i < SL_TWIN_QUEUE + 10; i++) {
		r.has_stamp = false;
		r.syscall = (int64_t)i;
		assert_false(sl_twins_seen(&t, &r));
	}
	assert_int_equal(t.bare.n, SL_TWIN_QUEUE);
	r.has_stamp = true;
	r.syscall = 5;
	assert_false(sl_twins_seen(&t, &r));	/* left the queue */
	for (i = 11, n = 0; i < SL_TWIN_QUEUE + 10; i += 1000) {
		r.syscall = (int64_t)i;
		n += sl_twins_seen(&t, &r);
	}
	assert_int_equal(n, (SL_TWIN_QUEUE + 10 - 11 + 999) / 1000);
	sl_twins_free(&t);
}

static double t(const char *s, time_t now)
{
	double v = -1;
	char *cause = NULL;

	assert_int_equal(sl_time_parse(s, now, &v, &cause), 0);
	return v;
}

static void test_times(void **state)
{
	struct tm tm = { .tm_year = 126, .tm_mon = 10, .tm_mday = 23, .tm_hour = 9,
			 .tm_min = 30, .tm_isdst = -1 };
	time_t now;
	char *cause = NULL;
	double v;

	setenv("TZ", "UTC", 1);
	tzset();
	now = mktime(&tm);	/* Mon 2026-11-23 09:30:00 UTC */
	assert_true(t("1795422761", now) == 1795422761.0);
	assert_true(t("1795422761.5", now) == 1795422761.5);
	assert_true(t("now", now) == (double)now);
	assert_true(t("recent", now) == (double)now - 600);
	assert_true(t("today", now) == (double)now - 9 * 3600 - 1800);
	assert_true(t("yesterday", now) == (double)now - 33 * 3600 - 1800);
	assert_true(t("this-week", now) == t("today", now) - 86400);	/* Sunday */
	assert_true(t("week-ago", now) == t("today", now) - 7 * 86400);
	assert_true(t("this-month", now) == t("today", now) - 22 * 86400);
	assert_true(t("2026-11-23 09:00:00", now) == (double)now - 1800);
	assert_true(t("2026-11-23T09:00:00", now) == (double)now - 1800);
	assert_true(t("2026-11-23 09:00", now) == (double)now - 1800);
	assert_true(t("2026-11-23", now) == t("today", now));
	assert_true(t("11/23/2026 09:00:00", now) == (double)now - 1800);
	assert_true(t("09:00:00", now) == (double)now - 1800);
	assert_true(t("09:00", now) == (double)now - 1800);
	assert_int_equal(sl_time_parse("last tuesday", now, &v, &cause), -EINVAL);
	assert_non_null(strstr(cause, "last tuesday"));
	free(cause);
	cause = NULL;
	assert_int_equal(sl_time_parse("2026-13-45", now, &v, &cause), -EINVAL);
	free(cause);
	/* no such day or second: refused, not moved to March 3 or 09:01 */
	assert_int_equal(sl_time_parse("2026-02-31", now, &v, NULL), -EINVAL);
	assert_int_equal(sl_time_parse("2026-04-31 10:00", now, &v, NULL), -EINVAL);
	assert_int_equal(sl_time_parse("09:00:60", now, &v, NULL), -EINVAL);
	assert_true(t("2028-02-29", now) == 1835395200.0);	/* a leap year's */
	assert_int_equal(sl_time_parse("2100-02-29", now, &v, NULL), -EINVAL);
}

/* ---- issue 7: --comm/--exe compared without strlen on a dense log ---- */

static void test_comm_compare_edges(void **state)
{
	struct sl_filter f = { 0 };
	struct sl_record r = make(10, "postgres", 1000, 100, 1);

	f.comm = "postgres";
	assert_true(sl_filter_match(&f, &r));
	f.comm = "python3";	/* same first byte */
	assert_false(sl_filter_match(&f, &r));
	f.comm = "postgresql";	/* longer */
	assert_false(sl_filter_match(&f, &r));
	f.comm = "";
	assert_false(sl_filter_match(&f, &r));
	/* a decoded comm may hold a NUL: "a\0b" is not "a" */
	memcpy(r.comm, "a\0b", 4);
	r.comm_len = 3;
	f.comm = "a";
	assert_false(sl_filter_match(&f, &r));
	r.comm_len = 0;
	r.comm[0] = '\0';
	f.comm = "";
	assert_true(sl_filter_match(&f, &r));
	f.comm = "a";
	assert_false(sl_filter_match(&f, &r));
	sl_filter_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_filter_missing_fields),
		cmocka_unit_test(test_dedupe),
		cmocka_unit_test(test_dedupe_content),
		cmocka_unit_test(test_dedupe_held),
		cmocka_unit_test(test_dedupe_in_time_order),
		cmocka_unit_test(test_twins),
		cmocka_unit_test(test_times),
		/* issue 7: dense logs */
		cmocka_unit_test(test_comm_compare_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
