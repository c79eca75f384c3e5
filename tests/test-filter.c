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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_filter_missing_fields),
		cmocka_unit_test(test_dedupe),
		cmocka_unit_test(test_times),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
