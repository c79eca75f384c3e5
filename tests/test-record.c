/* test-record.c - the line parser, in every format the kernel's records reach */
#include "config.h"

#include <errno.h>
#include <time.h>

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

/* dmesg -r / -x put the facility and level first; --time-format iso */
static void test_dmesg_decorations(void **state)
{
	static const char *const kernel[] = {
		"<5>[  230.909256] audit: type=1326 " STAMP BODY,
		"kern  :notice: [  230.909256] audit: type=1326 " STAMP BODY,
		"kern  :notice: [Tue Dec  1 14:01:57 2026] audit: type=1326 " STAMP BODY,
		"2026-12-01T14:01:57,909256+00:00 audit: type=1326 " STAMP BODY,
		"[  +0.004180] audit: type=1326 " STAMP BODY,
		"[<    0.004180>] audit: type=1326 " STAMP BODY,
		"kern  :notice: audit: type=1326 " STAMP BODY,
	};
	size_t i;

	for (i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++) {
		assert_int_equal(parse(kernel[i]), 1);
		assert_int_equal(rec.format, SL_FMT_DMESG);
		assert_int_equal(rec.origin, SL_ORIGIN_KERNEL);
		check_stamp();
		check_body();
		if (i < 2)
			assert_true(rec.uptime > 230.909 && rec.uptime < 230.910);
	}
	/* written to /dev/kmsg by a program: facility user, not the kernel */
	assert_int_equal(parse("<13>[    1.0] audit: type=1326 " STAMP BODY), 1);
	assert_int_equal(rec.origin, SL_ORIGIN_TEXT);
	assert_int_equal(parse("user  :notice: [    1.0] audit: type=1326 " STAMP BODY), 1);
	assert_int_equal(rec.origin, SL_ORIGIN_TEXT);
	assert_int_equal(parse("12,1234,429171327,-;audit: type=1326 " STAMP BODY), 1);
	assert_int_equal(rec.format, SL_FMT_KMSG);
	assert_int_equal(rec.origin, SL_ORIGIN_TEXT);
	assert_int_equal(parse("5,1234,429171327,-;audit: type=1326 " STAMP BODY), 1);
	assert_int_equal(rec.origin, SL_ORIGIN_KERNEL);
	/* not dmesg's decorations */
	assert_int_equal(parse("foo   :notice: [    1.0] audit: type=1326 " STAMP BODY), 0);
	assert_int_equal(parse("kern  :nope  : [    1.0] audit: type=1326 " STAMP BODY), 0);
	assert_int_equal(parse("kern  :notice: vm kernel: audit: type=1326 " STAMP BODY), 0);
	assert_int_equal(parse("<5 >[ 1.0] audit: type=1326 " STAMP BODY), 0);
	/* loss reports in the same layouts */
	assert_int_equal(parse("<4>[  242.951199] kauditd_printk_skb: 16 callbacks suppressed"), 1);
	assert_int_equal(rec.kind, SL_REC_LOSS);
	assert_int_equal(rec.lost, 16);
	assert_true(rec.uptime > 242.95 && rec.uptime < 242.96);
	assert_int_equal(parse("kern  :warn  : [  242.951199] kauditd_printk_skb: 16 callbacks "
			       "suppressed"), 1);
	assert_int_equal(rec.kind, SL_REC_LOSS);
	assert_true(rec.uptime > 242.95 && rec.uptime < 242.96);
	assert_int_equal(parse("2026-12-01T14:02:09,951199+00:00 kauditd_printk_skb: 16 callbacks "
			       "suppressed"), 1);
	assert_int_equal(rec.kind, SL_REC_LOSS);
	assert_true(rec.has_time);
	assert_int_equal(rec.sec, 1796133729);
	assert_int_equal(parse("kauditd_printk_skb: 16 callbacks suppressed"), 1);
	assert_int_equal(rec.kind, SL_REC_LOSS);
}

/* n-th line (from 1) of a fixture, in a static buffer */
static const char *fixture_line(const char *name, int n, size_t *len)
{
	static char line[8192];
	size_t flen;
	char *buf = read_fixture(name, &flen), *p = buf, *nl;

	assert_non_null(buf);
	while (--n > 0)
		p = strchr(p, '\n') + 1;
	nl = strchr(p, '\n');
	*len = nl ? (size_t)(nl - p) : strlen(p);
	assert_true(*len < sizeof(line));
	memcpy(line, p, *len);
	line[*len] = '\0';
	free(buf);
	return line;
}

/* journalctl -o json: an audit-transport entry gets its stamp from fields */
static void test_journal_json(void **state)
{
	size_t len;
	const char *l;

	/* line 2: _TRANSPORT=audit, _AUDIT_ID=2, _SOURCE_REALTIME_TIMESTAMP=1796133718853000 */
	l = fixture_line("journal-json.txt", 2, &len);
	assert_int_equal(sl_record_parse(l, len, &rec), 1);
	assert_int_equal(rec.format, SL_FMT_JOURNAL_JSON);
	assert_int_equal(rec.origin, SL_ORIGIN_KERNEL);
	assert_true(rec.has_stamp);
	assert_int_equal(rec.sec, 1796133718);
	assert_int_equal(rec.msec, 853);
	assert_int_equal(rec.serial, 2);
	assert_int_equal(rec.syscall, 59);
	assert_string_equal(rec.comm, "helper-logrun");
	/* line 3: the kernel transport's copy, stamp in its MESSAGE */
	l = fixture_line("journal-json.txt", 3, &len);
	assert_int_equal(sl_record_parse(l, len, &rec), 1);
	assert_int_equal(rec.serial, 2);
	assert_int_equal(rec.msec, 853);
	assert_true(rec.uptime > 230.909 && rec.uptime < 230.910);
	/* logger -t kernel: the syslog transport, anyone's */
	l = fixture_line("journal-forged-json.txt", 1, &len);
	assert_int_equal(sl_record_parse(l, len, &rec), 1);
	assert_int_equal(rec.origin, SL_ORIGIN_TEXT);
	assert_int_equal(rec.syscall, 165);
	/* the kernel transport, but written to /dev/kmsg by a program: the
	 * kernel gives such lines facility user (1), never 0 */
	assert_int_equal(parse("{\"_TRANSPORT\":\"kernel\",\"SYSLOG_FACILITY\":\"1\",\"MESSAGE\":"
			       "\"audit: type=1326 " STAMP "arch=c000003e syscall=165\"}"), 1);
	assert_int_equal(rec.origin, SL_ORIGIN_TEXT);
	assert_int_equal(parse("{\"_TRANSPORT\":\"kernel\",\"SYSLOG_FACILITY\":\"0\",\"MESSAGE\":"
			       "\"audit: type=1326 " STAMP "arch=c000003e syscall=165\"}"), 1);
	assert_int_equal(rec.origin, SL_ORIGIN_KERNEL);
	/* entries that are not records; a MESSAGE that is an entry itself */
	assert_int_equal(parse("{\"MESSAGE\":\"hello\",\"_TRANSPORT\":\"kernel\"}"), 0);
	assert_int_equal(parse("{\"MESSAGE\":\"{\\\"MESSAGE\\\":\\\"SECCOMP " "auid=0 arch=c000003e "
			       "syscall=1\\\"}\",\"_TRANSPORT\":\"audit\"}"), 0);
	assert_int_equal(parse("{\"MESSAGE\":\"SECCOMP arch=c000003e syscall=1"), 0);
	/* a byte array (journalctl's form for non-UTF-8) and json-sse */
	assert_int_equal(parse("{\"_TRANSPORT\":\"audit\",\"MESSAGE\":["
			       "83,69,67,67,79,77,80,32,97,117,105,100,61,48,32,97,114,99,"
			       "104,61,99,48,48,48,48,48,51,101,32,115,121,115,99,97,108,"
			       "108,61,49]}"), 1);
	assert_int_equal(rec.syscall, 1);
	assert_int_equal(parse("data: {\"_TRANSPORT\":\"audit\",\"MESSAGE\":\"SECCOMP auid=0 "
			       "arch=c000003e syscall=2\"}"), 1);
	assert_int_equal(rec.syscall, 2);
}

/* ausearch -i: names back to numbers, local time */
static void test_ausearch_interpreted(void **state)
{
	size_t len;
	const char *l;

	setenv("TZ", "UTC", 1);
	tzset();
	/* line 2: type=SECCOMP msg=audit(12/01/26 14:03:22.985:61) : ... */
	l = fixture_line("ausearch-i.txt", 2, &len);
	assert_int_equal(sl_record_parse(l, len, &rec), 1);
	assert_int_equal(rec.format, SL_FMT_AUSEARCH);
	assert_int_equal(rec.origin, SL_ORIGIN_KERNEL);
	assert_true(rec.has_stamp);
	assert_int_equal(rec.sec, 1796133802);
	assert_int_equal(rec.msec, 985);
	assert_int_equal(rec.serial, 61);
	assert_int_equal(rec.arch, 0xc000003e);
	assert_int_equal(rec.syscall, 59);
	assert_int_equal(rec.auid, 4294967295u);
	assert_int_equal(rec.uid, 0);
	assert_int_equal(rec.gid, 0);
	assert_int_equal(rec.ses, 4294967295u);
	assert_int_equal(rec.pid, 22841);
	assert_int_equal(rec.sig, 0);
	assert_int_equal(rec.code, 0x7ffc0000);
	assert_int_equal(rec.ip, 0x7fb6a7461ad7ULL);
	assert_string_equal(rec.comm, "helper-logrun");
	/* an i386 record: libaudit's i386 table, 45 is brk there */
	assert_int_equal(parse("type=SECCOMP msg=audit(11/23/2026 09:06:12.345:42) : auid=4242 "
			       "uid=root gid=root ses=3 pid=7 comm=my prog exe=/tmp/my prog "
			       "sig=SIGSYS arch=i386 syscall=brk compat=1 ip=0x8077e4b "
			       "code=errno "), 1);
	assert_int_equal(rec.arch, 0x40000003);
	assert_int_equal(rec.syscall, 45);
	assert_int_equal(rec.sig, 31);
	assert_int_equal(rec.auid, 4242);
	assert_int_equal(rec.code, 0x00050000);
	assert_string_equal(rec.comm, "my prog");
	assert_string_equal(rec.exe, "/tmp/my prog");
	assert_int_equal(parse("type=SECCOMP msg=audit(11/23/26 09:06:12.345:42) : pid=7 "
			       "arch=x86_64 syscall=unknown-syscall(999) code=log"), 1);
	assert_int_equal(rec.syscall, 999);
	/* names nobody knows */
	assert_int_equal(parse("type=SECCOMP msg=audit(11/23/26 09:06:12.345:42) : pid=7 "
			       "arch=x86_64 syscall=nosuchcall code=log"), -EBADMSG);
	assert_int_equal(parse("type=SECCOMP msg=audit(11/23/26 09:06:12.345:42) : pid=7 "
			       "arch=nosucharch syscall=read code=log"), -EBADMSG);
	assert_int_equal(parse("type=SECCOMP msg=audit(13/45/26 09:06:12.345:42) : pid=7 "
			       "arch=x86_64 syscall=read"), -EBADMSG);
}

/* a SECCOMP record in a layout seclog does not read is seen, not skipped */
static void test_unknown_layouts(void **state)
{
	const char *hint, *l;
	size_t len;

	l = fixture_line("ausearch-text.txt", 1, &len);
	assert_int_equal(sl_record_parse(l, len, &rec), 0);
	assert_true(sl_record_unknown(l, len, &hint));
	assert_non_null(hint);
	l = fixture_line("ausearch-csv.txt", 2, &len);
	assert_int_equal(sl_record_parse(l, len, &rec), 0);
	assert_true(sl_record_unknown(l, len, &hint));
	assert_non_null(hint);
	/* journalctl -o short of logger -t kernel: "kernel[PID]: " */
	l = "Dec 01 14:09:05 vm kernel[10341]: audit: type=1326 " STAMP BODY;
	assert_int_equal(parse(l), 0);
	assert_true(sl_record_unknown(l, strlen(l), &hint));
	assert_null(hint);
	l = "whatever: SECCOMP " BODY;
	assert_int_equal(parse(l), 0);
	assert_true(sl_record_unknown(l, strlen(l), &hint));
	/* not records: audit.log quoting one, a cut record, plain text */
	l = "type=USER msg=" STAMP "pid=1 msg='type=SECCOMP msg=" STAMP BODY "'";
	assert_false(sl_record_unknown(l, strlen(l), &hint));
	l = "Dec 01 vm foo: audit: type=1326 " STAMP "auid=0";
	assert_false(sl_record_unknown(l, strlen(l), &hint));
	l = "Dec 01 vm foo: audit: type=1400 apparmor=\"DENIED\"";
	assert_false(sl_record_unknown(l, strlen(l), &hint));
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
		cmocka_unit_test(test_dmesg_decorations),
		cmocka_unit_test(test_journal_json),
		cmocka_unit_test(test_ausearch_interpreted),
		cmocka_unit_test(test_unknown_layouts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
