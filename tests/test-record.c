/* test-record.c - the line parser, in every format the kernel's records reach */
#include "config.h"

#include <errno.h>

#include "unit.h"
#include "record.h"

#define BODY "auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined pid=2397 " \
	     "comm=\"true\" exe=\"/usr/bin/true\" sig=0 arch=c000003e syscall=262 compat=0 " \
	     "ip=0x7f5dca80992a code=0x7ffc0000"
#define STAMP "audit(1795422761.057:7): "

static struct sl_record rec;

static int parse(const char *line)
{
	return sl_record_parse(line, strlen(line), &rec);
}

static void check_body(void)
{
	assert_int_equal(rec.auid, 4294967295u);
	assert_int_equal(rec.uid, 0);
	assert_int_equal(rec.gid, 0);
	assert_int_equal(rec.ses, 4294967295u);
	assert_string_equal(rec.subj, "unconfined");
	assert_int_equal(rec.pid, 2397);
	assert_string_equal(rec.comm, "true");
	assert_string_equal(rec.exe, "/usr/bin/true");
	assert_int_equal(rec.sig, 0);
	assert_int_equal(rec.arch, 0xc000003e);
	assert_int_equal(rec.syscall, 262);
	assert_int_equal(rec.compat, 0);
	assert_int_equal(rec.ip, 0x7f5dca80992aULL);
	assert_int_equal(rec.code, 0x7ffc0000);
	assert_int_equal(rec.fields & 0x3fff, 0x3fff);
}

static void check_stamp(void)
{
	assert_true(rec.has_stamp);
	assert_int_equal(rec.sec, 1795422761);
	assert_int_equal(rec.msec, 57);
	assert_int_equal(rec.serial, 7);
}

static void test_formats(void **state)
{
	static const struct {
		const char *line;
		enum sl_format fmt;
	} cases[] = {
		{ "type=SECCOMP msg=" STAMP BODY, SL_FMT_AUDITD },
		{ "node=web1 type=SECCOMP msg=" STAMP BODY, SL_FMT_AUDITD },
		{ "type=SECCOMP msg=" STAMP BODY "\x1d" "AUID=\"unset\" ARCH=x86_64 SYSCALL=unknown-syscall(-1)",
		  SL_FMT_AUDITD },
		{ "6,1234,429171327,-;audit: type=1326 " STAMP BODY, SL_FMT_KMSG },
		{ "[  429.171327] audit: type=1326 " STAMP BODY, SL_FMT_DMESG },
		{ "[Mon Nov 23 08:33:01 2026] audit: type=1326 " STAMP BODY, SL_FMT_DMESG },
		{ "Nov 22 22:47:17 vm kernel: [ 6721.089942] audit: type=1326 " STAMP BODY,
		  SL_FMT_SYSLOG },
		{ "Nov 22 22:47:17 vm kernel: audit: type=1326 " STAMP BODY, SL_FMT_SYSLOG },
		{ "2026-11-22T22:47:17.866056+00:00 vm kernel: [ 6721.089942] audit: type=1326 " STAMP
		  BODY, SL_FMT_SYSLOG },
		{ "2026-11-22T22:47:17.866056+00:00 vm kernel: audit: type=1326 " STAMP BODY,
		  SL_FMT_SYSLOG },
		{ "audit: type=1326 " STAMP BODY, SL_FMT_BARE },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse(cases[i].line), 1);
		assert_int_equal(rec.format, cases[i].fmt);
		check_stamp();
		check_body();
	}
}

static void test_journal_audit_transport(void **state)
{
	/* journalctl -o short / -o cat of the audit transport: no stamp */
	assert_int_equal(parse("Nov 23 08:40:01 vm audit[2397]: SECCOMP " BODY), 1);
	assert_int_equal(rec.format, SL_FMT_JOURNAL);
	assert_false(rec.has_stamp);
	assert_true(rec.has_time);
	check_body();
	assert_int_equal(parse("SECCOMP " BODY), 1);
	assert_int_equal(rec.format, SL_FMT_BARE);
	assert_false(rec.has_stamp);
	assert_false(rec.has_time);
}

static void test_crlf_and_rfc3339_time(void **state)
{
	assert_int_equal(parse("2026-11-22T22:47:17+01:00 vm audit[1]: SECCOMP " BODY "\r"), 1);
	assert_int_equal(rec.code, 0x7ffc0000);
	assert_int_equal(rec.sec, 1795384037);
}

static void test_hex_comm_and_i386(void **state)
{
	assert_int_equal(parse("audit: type=1326 audit(1795387692.655:3607): auid=4294967295 "
			       "uid=0 gid=0 ses=4294967295 pid=4320 comm=6D792070726F67 "
			       "exe=2F746D702F6D792070726F67 sig=0 arch=40000003 syscall=45 "
			       "compat=1 ip=0x8077e4b code=0x7ffc0000"), 1);
	assert_int_equal(rec.comm_len, 7);
	assert_string_equal(rec.comm, "my prog");
	assert_string_equal(rec.exe, "/tmp/my prog");
	assert_int_equal(rec.arch, 0x40000003);
	assert_int_equal(rec.syscall, 45);
	assert_int_equal(rec.compat, 1);
	assert_int_equal(rec.serial, 3607);
}

static void test_not_records(void **state)
{
	assert_int_equal(parse(""), 0);
	assert_int_equal(parse("type=SYSCALL msg=" STAMP "arch=c000003e syscall=59 success=yes"), 0);
	assert_int_equal(parse("[ 1.0] net_ratelimit: 42 callbacks suppressed"), 0);
	/* a marker inside another record's text is not a record */
	assert_int_equal(parse("type=USER msg=" STAMP "pid=1 msg='type=SECCOMP msg=" STAMP BODY "'"),
			 0);
	assert_int_equal(parse("type=EXECVE msg=" STAMP "argc=2 a0=\"x\" a1=\"type=1326\""), 0);
	assert_int_equal(parse("Nov 22 22:47:17 vm sshd[1]: audit: type=1326 " STAMP BODY), 0);
}

static void test_malformed(void **state)
{
	/* cut before syscall= */
	assert_int_equal(parse("type=SECCOMP msg=" STAMP "auid=0 uid=0 pid=1 arch=c000003e sys"),
			 -EBADMSG);
	/* broken stamp */
	assert_int_equal(parse("audit: type=1326 audit(17953:7): " BODY), -EBADMSG);
	assert_int_equal(parse("audit: type=1326 audit(1795422761.057:7" ), -EBADMSG);
	/* non-numeric syscall, arch */
	assert_int_equal(parse("type=SECCOMP msg=" STAMP "arch=zz syscall=1"), -EBADMSG);
	assert_int_equal(parse("type=SECCOMP msg=" STAMP "arch=c000003e syscall=read"), -EBADMSG);
	assert_int_equal(parse("SECCOMP auid=0 pid=1"), -EBADMSG);
}

static void test_nul_bytes(void **state)
{
	static const char line[] = "type=SECCOMP msg=" STAMP "pid=1 comm=\"a\0b\" arch=c000003e "
				   "syscall=0";

	/* a NUL inside the line must not end the parse early or crash */
	assert_int_equal(sl_record_parse(line, sizeof(line) - 1, &rec), 1);
	assert_int_equal(rec.syscall, 0);
	assert_int_equal(rec.comm_len, 3);
}

static void test_extra_and_missing_fields(void **state)
{
	assert_int_equal(parse("type=SECCOMP msg=" STAMP "future=1 arch=c000003e syscall=1 "
			       "another=\"x y\""), 1);
	assert_int_equal(rec.syscall, 1);
	assert_false(rec.fields & SL_F_PID);
	assert_false(rec.fields & SL_F_SUBJ);
}

static void test_scan(void **state)
{
	const char buf[] = "type=SYSCALL x\ntype=SECCOMP msg=\nfoo audit: type=1326 bar\n"
			   "[ 1.0] kauditd_printk_skb: 3 callbacks suppressed\n";
	char big[4096];
	size_t i;

	assert_ptr_equal(sl_record_scan(buf, sizeof(buf) - 1), strstr(buf, "SECCOMP"));
	assert_ptr_equal(sl_record_scan(buf + 21, sizeof(buf) - 22), strstr(buf, "audit: "));
	assert_ptr_equal(sl_record_scan(buf + 40, sizeof(buf) - 41), strstr(buf, "skb: "));
	assert_null(sl_record_scan(buf, 15));
	/* every offset, also the ones the vector loop hands to its tail */
	for (i = 0; i + 7 <= sizeof(big); i++) {
		memset(big, 'x', sizeof(big));
		memcpy(big + i, "SECCOMP", 7);
		assert_ptr_equal(sl_record_scan(big, sizeof(big)), big + i);
		/* near misses: same probe bytes, other text */
		memcpy(big + i, "SxxxxxP", 7);
		assert_null(sl_record_scan(big, sizeof(big)));
	}
	memset(big, 'x', sizeof(big));
	memcpy(big + sizeof(big) - 5, "skb: ", 5);
	assert_ptr_equal(sl_record_scan(big, sizeof(big)), big + sizeof(big) - 5);
	assert_null(sl_record_scan(big, sizeof(big) - 1));
}

static void test_loss_reports(void **state)
{
	assert_int_equal(parse("[ 6801.123456] kauditd_printk_skb: 490 callbacks suppressed"), 1);
	assert_int_equal(rec.kind, SL_REC_LOSS);
	assert_int_equal(rec.loss, SL_LOSS_SUPPRESSED);
	assert_int_equal(rec.lost, 490);
	assert_true(rec.uptime > 6801.12 && rec.uptime < 6801.13);
	assert_int_equal(parse("4,5678,6801123456,-;audit: audit_lost=7 audit_rate_limit=0 "
			       "audit_backlog_limit=64"), 1);
	assert_int_equal(rec.loss, SL_LOSS_LOST);
	assert_int_equal(rec.lost, 7);
	assert_int_equal(rec.format, SL_FMT_KMSG);
	assert_true(rec.uptime > 6801.12 && rec.uptime < 6801.13);
	assert_int_equal(parse("2026-11-22T22:47:17.866056+00:00 vm kernel: audit: rate limit "
			       "exceeded"), 1);
	assert_int_equal(rec.loss, SL_LOSS_RATE);
	assert_true(rec.has_time);
	assert_int_equal(rec.sec, 1795387637);
	assert_int_equal(parse("[Mon Nov 23 08:33:01 2026] audit: backlog limit exceeded"), 1);
	assert_int_equal(rec.loss, SL_LOSS_BACKLOG);
	assert_true(rec.has_time);
	/* not the kernel's: a user's syslog line, another ratelimited callback */
	assert_int_equal(parse("Nov 22 22:47:17 vm myapp[12]: kauditd_printk_skb: 9 callbacks "
			       "suppressed"), 0);
	assert_int_equal(parse("[ 1.0] net_ratelimit: 9 callbacks suppressed"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_journal_audit_transport),
		cmocka_unit_test(test_crlf_and_rfc3339_time),
		cmocka_unit_test(test_hex_comm_and_i386),
		cmocka_unit_test(test_not_records),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_extra_and_missing_fields),
		cmocka_unit_test(test_scan),
		cmocka_unit_test(test_loss_reports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
