/*
 * test-journal-cover.c - the journal's two transports in the orders a real
 * journald writes them (tests/cli/journal-root.sh shows both orders of a
 * record's copies): a printk-path loss report costs records only where
 * the audit transport did not deliver the records around it.
 */
#include "config.h"

#include "unit.h"
#include "journal-cover.h"

#define BOOT1 0x1111
#define BOOT2 0x2222

static struct sl_jcover c;
static double clock_now;

static int setup(void **state)
{
	memset(&c, 0, sizeof(c));
	clock_now = 100;
	return 0;
}

/* A record of serial s from the audit (A) or kernel (K) transport. */
static bool rec(bool audit, uint32_t s, uint64_t boot)
{
	struct sl_record r = { .kind = SL_REC_SECCOMP, .has_stamp = true, .serial = s,
			       .origin = SL_ORIGIN_KERNEL };

	return sl_jcover_feed(&c, &r, audit, boot, clock_now);
}

#define A(s) assert_true(rec(true, (s), BOOT1))
#define K(s) assert_true(rec(false, (s), BOOT1))

static bool loss(enum sl_loss why, uint64_t n, bool audit, uint64_t boot)
{
	struct sl_record r = { .kind = SL_REC_LOSS, .loss = why, .lost = n, .sec = 1796000000,
			       .has_time = true, .origin = SL_ORIGIN_KERNEL };

	return sl_jcover_feed(&c, &r, audit, boot, clock_now);
}

/* Held, not returned: the kernel transport's printk-path reports. */
#define HELD(why, n) assert_false(loss((why), (n), false, BOOT1))

/* At the end of the input: the loss reports that count. */
static uint64_t end_losses(uint64_t *lost)
{
	struct sl_record r;
	uint64_t n = 0;

	*lost = 0;
	sl_jcover_flush(&c, true, clock_now, 2);
	while (sl_jcover_take(&c, &r)) {
		assert_int_equal(r.kind, SL_REC_LOSS);
		*lost += r.lost;
		n++;
	}
	return n;
}

/* printk dropped kernel copies 11-13; the audit transport has them,
 * delivered before the kernel copy after the gap */
static void test_covered_audit_first(void **state)
{
	uint64_t lost;

	A(10);
	K(10);
	HELD(SL_LOSS_SUPPRESSED, 3);
	A(11);
	A(12);
	A(13);
	A(14);
	K(14);
	assert_false(c.held);
	assert_int_equal(end_losses(&lost), 0);
}

/* ... or after it */
static void test_covered_audit_after(void **state)
{
	uint64_t lost;

	A(10);
	K(10);
	HELD(SL_LOSS_SUPPRESSED, 3);
	K(14);
	assert_true(c.held);
	A(11);
	A(12);
	A(13);
	A(14);
	assert_false(c.held);
	assert_int_equal(end_losses(&lost), 0);
}

/* journald stopped reading the audit socket after 10: the kernel copies
 * printk dropped are lost */
static void test_audit_stopped(void **state)
{
	uint64_t lost;

	A(10);
	K(10);
	K(11);
	HELD(SL_LOSS_SUPPRESSED, 90);
	K(102);
	assert_int_equal(end_losses(&lost), 1);
	assert_int_equal(lost, 90);
}

/* journald does not read audit at all */
static void test_no_audit_transport(void **state)
{
	uint64_t lost;

	K(10);
	HELD(SL_LOSS_JOURNAL_KMSG, 7);
	K(18);
	assert_int_equal(end_losses(&lost), 1);
	assert_int_equal(lost, 7);
}

/* journald's first words, "Missed N kernel messages": lines of before it
 * ran, which its audit socket never saw, whatever it delivers later */
static void test_missed_before_journald(void **state)
{
	uint64_t lost;

	HELD(SL_LOSS_JOURNAL_KMSG, 5000);
	K(3);
	A(900);
	K(900);
	A(901);
	assert_int_equal(end_losses(&lost), 1);
	assert_int_equal(lost, 5000);
}

/* the audit transport began after the gap: no cover */
static void test_audit_began_after_gap(void **state)
{
	uint64_t lost;

	K(10);
	HELD(SL_LOSS_SUPPRESSED, 3);
	K(14);
	A(14);
	A(15);
	assert_int_equal(end_losses(&lost), 1);
}

/* following: a report waits for the cover grace seconds, no longer */
static void test_grace(void **state)
{
	struct sl_record r;

	A(10);
	K(10);
	HELD(SL_LOSS_SUPPRESSED, 3);
	clock_now += 1.5;
	sl_jcover_flush(&c, false, clock_now, 2);
	assert_false(sl_jcover_take(&c, &r));
	clock_now += 0.6;
	sl_jcover_flush(&c, false, clock_now, 2);
	assert_true(sl_jcover_take(&c, &r));
	assert_int_equal(r.loss, SL_LOSS_SUPPRESSED);
	assert_int_equal(r.lost, 3);
	assert_false(sl_jcover_take(&c, &r));
}

/* the kernel dropped the record before any transport: returned at once */
static void test_kernel_losses_pass(void **state)
{
	uint64_t lost;

	A(10);
	assert_true(loss(SL_LOSS_LOST, 4, false, BOOT1));
	assert_true(loss(SL_LOSS_BACKLOG, 0, false, BOOT1));
	assert_true(loss(SL_LOSS_RATE, 0, false, BOOT1));
	A(11);
	assert_int_equal(end_losses(&lost), 0);
}

/* two reports with no kernel copy between them: one gap */
static void test_merged(void **state)
{
	uint64_t lost;

	K(10);
	HELD(SL_LOSS_SUPPRESSED, 3);
	HELD(SL_LOSS_SUPPRESSED, 4);
	K(20);
	assert_int_equal(end_losses(&lost), 1);
	assert_int_equal(lost, 7);
}

/* a new boot: the report of the old one is decided (uncovered) */
static void test_new_boot(void **state)
{
	struct sl_record r;

	A(10);
	K(10);
	HELD(SL_LOSS_SUPPRESSED, 3);
	assert_true(rec(true, 1, BOOT2));
	assert_true(sl_jcover_take(&c, &r));
	assert_int_equal(r.lost, 3);
	/* the new boot's audit serials start low: they cover nothing old */
	assert_false(c.held);
}

/* a "kernel" line someone wrote to /dev/kmsg moves nothing */
static void test_forged_kernel_copy(void **state)
{
	struct sl_record r = { .kind = SL_REC_SECCOMP, .has_stamp = true, .serial = 14,
			       .origin = SL_ORIGIN_TEXT };
	uint64_t lost;

	A(10);
	K(10);
	HELD(SL_LOSS_SUPPRESSED, 3);
	assert_true(sl_jcover_feed(&c, &r, false, BOOT1, clock_now));
	assert_int_equal(c.need, 0);
	A(11);
	assert_int_equal(end_losses(&lost), 1);
}

/* twins: the second copy is dropped only beyond SL_JTWIN_NEAR records */
static void test_twins(void **state)
{
	struct sl_jtwins t = { 0 };
	uint32_t i;

	/* near: audit then kernel, kernel then audit: both returned (the
	 * harvest's dedupe counts the second) */
	assert_false(sl_jtwins_far(&t, true, 1, BOOT1));
	assert_false(sl_jtwins_far(&t, false, 1, BOOT1));
	assert_false(sl_jtwins_far(&t, false, 2, BOOT1));
	assert_false(sl_jtwins_far(&t, true, 2, BOOT1));
	/* a flood of audit copies, their kernel copies far behind */
	for (i = 10; i < 10 + 3 * SL_JTWIN_NEAR; i++)
		assert_false(sl_jtwins_far(&t, true, i, BOOT1));
	assert_true(sl_jtwins_far(&t, false, 10, BOOT1));
	/* the last audit copies are near again */
	assert_false(sl_jtwins_far(&t, false, 10 + 3 * SL_JTWIN_NEAR - 1, BOOT1));
	/* a serial the other transport never had, on a used slot */
	assert_false(sl_jtwins_far(&t, false, 10 + SL_JTWIN_SLOTS, BOOT1));
	/* another boot: its serial 10 is another record */
	assert_false(sl_jtwins_far(&t, false, 11, BOOT2));
	sl_jtwins_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_covered_audit_first, setup),
		cmocka_unit_test_setup(test_covered_audit_after, setup),
		cmocka_unit_test_setup(test_audit_stopped, setup),
		cmocka_unit_test_setup(test_no_audit_transport, setup),
		cmocka_unit_test_setup(test_missed_before_journald, setup),
		cmocka_unit_test_setup(test_audit_began_after_gap, setup),
		cmocka_unit_test_setup(test_grace, setup),
		cmocka_unit_test_setup(test_kernel_losses_pass, setup),
		cmocka_unit_test_setup(test_merged, setup),
		cmocka_unit_test_setup(test_new_boot, setup),
		cmocka_unit_test_setup(test_forged_kernel_copy, setup),
		cmocka_unit_test(test_twins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
