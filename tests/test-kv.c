/* test-kv.c - the key=value tokenizer */
#include "config.h"

#include "unit.h"
#include "kv.h"

static void test_fields(void **state)
{
	const char *s = "auid=1000 comm=\"sh\" subj=unconfined_u:r:t:s0 bare arch=c000003e";
	const char *p = s, *end = s + strlen(s);
	struct sl_kv kv;

	assert_true(sl_kv_next(&p, end, &kv));
	assert_true(SL_KV_IS(&kv, "auid"));
	assert_int_equal(kv.vlen, 4);
	assert_true(sl_kv_next(&p, end, &kv));
	assert_true(SL_KV_IS(&kv, "comm"));
	assert_true(kv.quoted);
	assert_memory_equal(kv.val, "sh", 2);
	assert_true(sl_kv_next(&p, end, &kv));
	assert_true(SL_KV_IS(&kv, "subj"));
	assert_int_equal(kv.vlen, strlen("unconfined_u:r:t:s0"));
	/* "bare" has no '=': skipped */
	assert_true(sl_kv_next(&p, end, &kv));
	assert_true(SL_KV_IS(&kv, "arch"));
	assert_false(sl_kv_next(&p, end, &kv));
}

static void test_enriched_tail_stops(void **state)
{
	const char *s = "syscall=262 code=0x7ffc0000\x1d" "ARCH=x86_64 SYSCALL=newfstatat";
	const char *p = s, *end = s + strlen(s);
	struct sl_kv kv;

	assert_true(sl_kv_next(&p, end, &kv));
	assert_true(sl_kv_next(&p, end, &kv));
	assert_true(SL_KV_IS(&kv, "code"));
	assert_int_equal(kv.vlen, 10);
	assert_false(sl_kv_next(&p, end, &kv));
}

static void test_untrusted(void **state)
{
	struct sl_kv q = { .val = "sh", .vlen = 2, .quoted = true };
	struct sl_kv h = { .val = "6D792070726F67", .vlen = 14 };
	struct sl_kv bad = { .val = "6D7", .vlen = 3 };
	struct sl_kv nul = { .val = "610062", .vlen = 6 };
	char out[8];

	assert_int_equal(sl_kv_untrusted(&q, out, sizeof(out)), 2);
	assert_string_equal(out, "sh");
	assert_int_equal(sl_kv_untrusted(&h, out, sizeof(out)), 7);
	assert_string_equal(out, "my prog");
	assert_int_equal(sl_kv_untrusted(&bad, out, sizeof(out)), -1);
	assert_int_equal(sl_kv_untrusted(&nul, out, sizeof(out)), 3);
	assert_memory_equal(out, "a\0b", 3);
	/* truncated to the buffer, never past it */
	assert_int_equal(sl_kv_untrusted(&h, out, 4), 3);
	assert_string_equal(out, "my ");
}

static void test_numbers(void **state)
{
	struct sl_kv a = { .val = "c000003e", .vlen = 8 };
	struct sl_kv x = { .val = "0x7ffc0000", .vlen = 10 };
	struct sl_kv big = { .val = "99999999999999999999999", .vlen = 23 };
	struct sl_kv neg = { .val = "-1", .vlen = 2 };
	struct sl_kv junk = { .val = "12a", .vlen = 3 };
	uint64_t v;
	int64_t i;

	assert_true(sl_kv_u64(&a, 16, &v));
	assert_int_equal(v, 0xc000003e);
	assert_true(sl_kv_u64(&x, 16, &v));
	assert_int_equal(v, 0x7ffc0000);
	assert_false(sl_kv_u64(&big, 10, &v));
	assert_true(sl_kv_i64(&neg, &i));
	assert_int_equal(i, -1);
	assert_false(sl_kv_u64(&junk, 10, &v));
}

static void test_unterminated_quote(void **state)
{
	const char *s = "comm=\"abc exe=x";
	const char *p = s, *end = s + strlen(s);
	struct sl_kv kv;

	assert_true(sl_kv_next(&p, end, &kv));
	assert_false(kv.quoted);
	assert_true(sl_kv_next(&p, end, &kv));
	assert_true(SL_KV_IS(&kv, "exe"));
}

/* ---- issue 7: what fuzzing found in the decoder ---- */

static void test_untrusted_bad_hex_leaves_out(void **state)
{
	/* found by fuzzing: a bad value decoded half-way over a good one */
	struct sl_kv half = { .val = "6162ZZ", .vlen = 6 };
	struct sl_kv odd = { .val = "616", .vlen = 3 };
	struct sl_kv late = { .val = "61626364656667Zz", .vlen = 16 };
	char out[8] = "good";

	assert_int_equal(sl_kv_untrusted(&half, out, sizeof(out)), -1);
	assert_string_equal(out, "good");
	assert_int_equal(sl_kv_untrusted(&odd, out, sizeof(out)), -1);
	assert_string_equal(out, "good");
	/* bad past what fits in out: still refused, out still untouched */
	assert_int_equal(sl_kv_untrusted(&late, out, 4), -1);
	assert_string_equal(out, "good");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_enriched_tail_stops),
		cmocka_unit_test(test_untrusted),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_unterminated_quote),
		/* issue 7: fuzzing */
		cmocka_unit_test(test_untrusted_bad_hex_leaves_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
