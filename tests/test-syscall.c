/* test-syscall.c - names come from the record's own arch */
#include "config.h"

#include "unit.h"
#include "syscall.h"

static void test_arch_of_record(void **state)
{
	const struct sl_arch *a = sl_arch_of_record(0xc000003e, 257);

	assert_non_null(a);
	assert_string_equal(a->name, "x86_64");
	assert_string_equal(a->docker, "SCMP_ARCH_X86_64");
	a = sl_arch_of_record(0x40000003, 45);
	assert_string_equal(a->name, "x86");
	assert_string_equal(a->docker, "SCMP_ARCH_X86");
	a = sl_arch_of_record(0xc000003e, 0x40000000 | 1);
	assert_string_equal(a->name, "x32");
	assert_string_equal(a->docker, "SCMP_ARCH_X32");
	a = sl_arch_of_record(0xc00000b7, 63);
	assert_string_equal(a->name, "aarch64");
	assert_null(sl_arch_of_record(0x12345678, 1));
}

static void test_names_per_arch(void **state)
{
	char buf[64];

	/* 45 is brk on i386, recvfrom on x86_64: never the host's table */
	assert_string_equal(sl_syscall_name(sl_arch_of_record(0x40000003, 45), 45, buf, 64), "brk");
	assert_string_equal(sl_syscall_name(sl_arch_of_record(0xc000003e, 45), 45, buf, 64),
			    "recvfrom");
	assert_string_equal(sl_syscall_name(sl_arch_of_record(0xc000003e, 257), 257, buf, 64),
			    "openat");
	assert_string_equal(sl_syscall_name(sl_arch_of_record(0xc00000b7, 63), 63, buf, 64), "read");
	assert_string_equal(sl_syscall_name(sl_arch_of_record(0xc000003e, 0x40000001), 0x40000001,
					    buf, 64), "write");
}

static void test_unknown_numbers(void **state)
{
	char buf[64];
	const struct sl_arch *a = sl_arch_by_name("x86_64");

	assert_null(sl_syscall_name(a, 9999, buf, 64));
	assert_null(sl_syscall_name(a, -1, buf, 64));
	assert_null(sl_syscall_name(NULL, 1, buf, 64));
	assert_null(sl_syscall_name(a, (int64_t)1 << 40, buf, 64));
}

static void test_lookups(void **state)
{
	assert_ptr_equal(sl_arch_by_docker("SCMP_ARCH_X86"), sl_arch_by_name("x86"));
	assert_null(sl_arch_by_docker("SCMP_ARCH_NOPE"));
	assert_non_null(sl_arch_native());
	assert_int_equal(sl_syscall_number(sl_arch_by_name("x86_64"), "openat"), 257);
	assert_int_equal(sl_syscall_number(sl_arch_by_name("x86"), "no_such_call"), -1);
	assert_true(sl_syscall_known("socketcall"));
	assert_false(sl_syscall_known("no_such_call"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arch_of_record),
		cmocka_unit_test(test_names_per_arch),
		cmocka_unit_test(test_unknown_numbers),
		cmocka_unit_test(test_lookups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
