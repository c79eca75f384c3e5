/*
 * test-boot-clock.c - uptime stamps placed from the file's own lines, on
 * real captures (burst-suppressed.txt, kmsg-suppressed.txt) shifted to
 * look like earlier boots: the reading machine's boot time never matters.
 */
#include "config.h"

#include <math.h>
#include <unistd.h>

#include "unit.h"
#include "boot-clock.h"
#include "harvest.h"

#define DAY 86400LL
/* burst-suppressed.txt: the pair just before "511 callbacks suppressed"
 * ([ 1958.782431] audit(1795424290.669:629)) puts that report at */
#define LOSS1 (1795424290.669 - 1958.782431 + 1964.795184)
#define LOSS2 (1795424296.681 - 1964.796796 + 1970.810537)	/* "20 ..." */

static char path[64];

static int setup(void **state)
{
	return unit_file(path, sizeof(path), "clock");
}

static int teardown(void **state)
{
	unlink(path);
	return 0;
}

/*
 * Append lines first..last (1-based, inclusive) of a fixture to f, every
 * audit(SEC stamp moved back by shift seconds: the same boot, earlier.
 */
static void put_lines(FILE *f, const char *fixture, int first, int last, long long shift)
{
	size_t len;
	char *text = read_fixture(fixture, &len), *line, *save = NULL;
	int n = 0;

	assert_non_null(text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *a;

		if (++n < first || n > last)
			continue;
		a = strstr(line, "audit(");
		if (a && a[6] >= '0' && a[6] <= '9') {
			char *end;
			long long sec = strtoll(a + 6, &end, 10);

			fprintf(f, "%.*s%lld%s\n", (int)(a + 6 - line), line, sec - shift, end);
		} else {
			fprintf(f, "%s\n", line);
		}
	}
	free(text);
}

static void harvest(struct sl_harvest *h, double since)
{
	struct sl_source src;
	size_t failed;
	char *cause = NULL;

	sl_harvest_init(h);
	if (since > 0) {
		h->filter.has_since = true;
		h->filter.since = since;
	}
	assert_int_equal(sl_source_open(&src, path, &cause), 0);
	assert_int_equal(sl_harvest_sources(h, &src, 1, &failed, &cause), 0);
	sl_source_close(&src);
}

/* The whole capture, 400 days earlier: placed by its own pairs. */
static void test_earlier_boot(void **state)
{
	const long long shift = 400 * DAY;
	FILE *f = fopen(path, "w");
	struct sl_harvest h;

	put_lines(f, "burst-suppressed.txt", 1, 1000, shift);
	fclose(f);

	/* an hour after the last record: no report in the span */
	harvest(&h, 1795424302.0 - shift + 3600);
	assert_int_equal(h.loss_reports, 0);
	assert_false(h.uncovered);
	assert_false(sl_harvest_incomplete(&h));
	sl_harvest_free(&h);

	/* between the two reports: only the second, "20 callbacks suppressed" */
	harvest(&h, LOSS1 - shift + 0.5);
	assert_int_equal(h.loss_reports, 1);
	assert_int_equal(h.lost, 20);
	assert_int_equal(h.loss_unplaced, 0);
	sl_harvest_free(&h);

	/* just before the first: both */
	harvest(&h, LOSS1 - shift - 0.5);
	assert_int_equal(h.loss_reports, 2);
	assert_int_equal(h.lost, 531);
	sl_harvest_free(&h);

	/* just after the second: none */
	harvest(&h, LOSS2 - shift + 0.5);
	assert_int_equal(h.loss_reports, 0);
	sl_harvest_free(&h);
}

/* A report that comes before any pair of its boot waits for the first. */
static void test_held_until_pair(void **state)
{
	const long long shift = 30 * DAY;
	FILE *f = fopen(path, "w");
	struct sl_harvest h;

	put_lines(f, "burst-suppressed.txt", 12, 1000, shift);	/* starts with "511 ..." */
	fclose(f);
	harvest(&h, LOSS1 - shift - 0.5);
	assert_int_equal(h.loss_reports, 2);
	assert_int_equal(h.loss_unplaced, 0);
	sl_harvest_free(&h);
	harvest(&h, LOSS1 - shift + 0.5);
	assert_int_equal(h.loss_reports, 1);
	assert_int_equal(h.lost, 20);
	sl_harvest_free(&h);
}

/* Two boots in one file: each report is placed by its own boot's pairs. */
static void test_two_boots(void **state)
{
	const long long a = 400 * DAY, b = 300 * DAY;
	FILE *f = fopen(path, "w");
	struct sl_harvest h;

	put_lines(f, "burst-suppressed.txt", 1, 1000, a);
	/* uptime back from 1970.8 to 1964.8: a new boot, 100 days later */
	put_lines(f, "burst-suppressed.txt", 12, 1000, b);
	fclose(f);
	/* with boot a's offset, boot b's first report would land 100 days early */
	harvest(&h, LOSS1 - b - 0.5);
	assert_int_equal(h.loss_reports, 2);
	assert_int_equal(h.lost, 531);
	assert_int_equal(h.loss_unplaced, 0);
	sl_harvest_free(&h);
	harvest(&h, LOSS1 - a - 0.5);
	assert_int_equal(h.loss_reports, 4);
	sl_harvest_free(&h);
}

/* A boot that ends before any pair: its report cannot be placed; it counts. */
static void test_boot_without_pair(void **state)
{
	FILE *f = fopen(path, "w");
	struct sl_harvest h;

	put_lines(f, "burst-suppressed.txt", 12, 12, 0);	/* [ 1964.795184] 511 ... */
	put_lines(f, "burst-suppressed.txt", 1, 11, 0);		/* [ 1958.78...]: a new boot */
	fclose(f);
	harvest(&h, 1795424302.0 + 3600);
	assert_int_equal(h.loss_reports, 1);
	assert_int_equal(h.lost, 511);
	assert_int_equal(h.loss_unplaced, 1);
	sl_harvest_free(&h);
}

/* No line with both stamps at all: the report counts, the start is unknown. */
static void test_no_pair(void **state)
{
	FILE *f = fopen(path, "w");
	struct sl_harvest h;

	put_lines(f, "burst-suppressed.txt", 1, 1, 0);		/* drop_caches */
	put_lines(f, "burst-suppressed.txt", 12, 12, 0);	/* 511 suppressed */
	fclose(f);
	harvest(&h, 1795424302.0 + 3600);
	assert_int_equal(h.loss_reports, 1);
	assert_int_equal(h.loss_unplaced, 1);
	assert_true(h.uncovered);	/* when it begins is unknown */
	assert_true(sl_harvest_incomplete(&h));
	sl_harvest_free(&h);
	harvest(&h, 0);
	assert_false(h.uncovered);	/* no --since: nothing to cover */
	sl_harvest_free(&h);
}

/* Feed parsed lines of a fixture through a clock; count what comes out. */
static void feed_fixture(struct sl_boot_clock *c, const char *fixture, struct sl_record *out,
			 size_t *nout)
{
	size_t len;
	char *text = read_fixture(fixture, &len), *line, *save = NULL;
	struct sl_record *rec = malloc(sizeof(*rec));

	*nout = 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sl_record_parse(line, strlen(line), rec) != 1)
			continue;
		if (sl_boot_clock_feed(c, rec) && rec->kind == SL_REC_LOSS)
			out[(*nout)++] = *rec;
		while (sl_boot_clock_take(c, rec))
			out[(*nout)++] = *rec;
	}
	sl_boot_clock_end(c);
	while (sl_boot_clock_take(c, rec))
		out[(*nout)++] = *rec;
	free(rec);
	free(text);
}

/* kmsg: a pair places the report; with none, /proc/stat's btime is the
 * fallback of the running boot's ring, and only of it. */
static void test_kmsg(void **state)
{
	struct sl_record *out = malloc(4 * sizeof(*out)), *rec = malloc(sizeof(*rec));
	struct sl_boot_clock c;
	size_t n;
	static const char loss[] = "4,2325,520632222,-;kauditd_printk_skb: 93 callbacks suppressed";

	sl_boot_clock_init(&c);
	feed_fixture(&c, "kmsg-suppressed.txt", out, &n);
	assert_int_equal(n, 1);
	assert_true(out[0].has_time);
	assert_int_equal(out[0].lost, 93);
	/* the pair before it: 514.627808 s = 1796134002.573 */
	assert_true(fabs(out[0].sec + out[0].msec / 1e3 -
			 (1796134002.573 - 514.628151 + 520.632222)) < 0.002);

	/* the report alone (its line, from the capture): held, then unplaced */
	sl_boot_clock_init(&c);
	assert_int_equal(sl_record_parse(loss, sizeof(loss) - 1, rec), 1);
	assert_false(sl_boot_clock_feed(&c, rec));
	sl_boot_clock_end(&c);
	assert_true(sl_boot_clock_take(&c, rec));
	assert_false(rec->has_time);
	assert_int_equal(c.unplaced, 1);
	assert_false(sl_boot_clock_take(&c, rec));

	/* the same in the running ring: btime + uptime */
	sl_boot_clock_init(&c);
	sl_boot_clock_this_boot(&c);
	assert_true(c.fallback > 0);
	c.fallback = 1796133487;	/* as /proc/stat said when it was captured */
	assert_int_equal(sl_record_parse(loss, sizeof(loss) - 1, rec), 1);
	assert_false(sl_boot_clock_feed(&c, rec));
	sl_boot_clock_end(&c);
	assert_true(sl_boot_clock_take(&c, rec));
	assert_true(rec->has_time);
	assert_int_equal(rec->sec, 1796133487 + 520);
	assert_int_equal(rec->msec, 632);
	free(out);
	free(rec);
}

/* Syslog text, which anyone can write, places nothing: a forged pair
 * must not move a kernel report out of the span. */
static void test_text_pair_ignored(void **state)
{
	size_t len;
	char *text = read_fixture("kernlog-traditional.txt", &len), *nl;
	static const char loss[] = "[ 1970.810537] kauditd_printk_skb: 20 callbacks suppressed";
	struct sl_record *rec = malloc(sizeof(*rec));
	struct sl_boot_clock c;

	/* line 2: "Nov 23 09:00:22 vm kernel: [ 1970.810542] audit: type=1326 ..." */
	nl = strchr(text, '\n');
	assert_int_equal(sl_record_parse(nl + 1, strcspn(nl + 1, "\n"), rec), 1);
	assert_int_equal(rec->origin, SL_ORIGIN_TEXT);
	assert_true(rec->has_stamp && rec->uptime > 0);
	sl_boot_clock_init(&c);
	assert_true(sl_boot_clock_feed(&c, rec));
	assert_false(c.has_offset);
	assert_int_equal(sl_record_parse(loss, sizeof(loss) - 1, rec), 1);
	assert_false(sl_boot_clock_feed(&c, rec));	/* held: nothing places it */
	free(rec);
	free(text);
}

/* More reports than can wait: the rest are given out unplaced at once. */
static void test_hold_bounded(void **state)
{
	static const char loss[] = "[ 1964.795184] kauditd_printk_skb: 511 callbacks suppressed";
	struct sl_record *rec = malloc(sizeof(*rec));
	struct sl_boot_clock c;
	size_t i, held = 0, now = 0;

	sl_boot_clock_init(&c);
	for (i = 0; i < SL_BOOT_HOLD + 10; i++) {
		assert_int_equal(sl_record_parse(loss, sizeof(loss) - 1, rec), 1);
		if (sl_boot_clock_feed(&c, rec)) {
			assert_false(rec->has_time);
			now++;
		} else {
			held++;
		}
	}
	assert_int_equal(held, SL_BOOT_HOLD);
	assert_int_equal(now, 10);
	sl_boot_clock_end(&c);
	for (i = 0; sl_boot_clock_take(&c, rec); i++)
		;
	assert_int_equal(i, SL_BOOT_HOLD);
	assert_int_equal(c.unplaced, SL_BOOT_HOLD + 10);
	free(rec);
}

/* The first line's uptime gives the source's beginning once placed. */
static void test_begins_from_uptime(void **state)
{
	FILE *f = fopen(path, "w");
	struct sl_source src;
	struct sl_record *rec = malloc(sizeof(*rec));
	char *cause = NULL;

	put_lines(f, "burst-suppressed.txt", 1, 1000, 400 * DAY);
	fclose(f);
	assert_int_equal(sl_source_open(&src, path, &cause), 0);
	while (sl_source_next(&src, rec, &cause) > 0)
		;
	/* [ 1958.775485] drop_caches, placed by the pair [ 1958.782419] .669 */
	assert_true(fabs(src.begins - (1795424290.669 - 400 * DAY - 1958.782419 + 1958.775485)) <
		    0.002);
	sl_source_close(&src);
	free(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_earlier_boot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_held_until_pair, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_boots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boot_without_pair, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_pair, setup, teardown),
		cmocka_unit_test(test_kmsg),
		cmocka_unit_test(test_text_pair_ignored),
		cmocka_unit_test(test_hold_bounded),
		cmocka_unit_test_setup_teardown(test_begins_from_uptime, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
