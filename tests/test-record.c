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

/* ---- issue 7: what fuzzing found, and the fast path for dense logs ---- */

static void test_second_comm_bad_hex(void **state)
{
	/* found by fuzzing: a second comm= with bad hex spoilt the first */
	assert_int_equal(parse("type=SECCOMP msg=" STAMP "pid=1 comm=\"good\" exe=\"/bin/x\" "
			       "comm=6162ZZ exe=2F6 arch=c000003e syscall=1"), 1);
	assert_true(rec.fields & SL_F_COMM);
	assert_int_equal(rec.comm_len, 4);
	assert_string_equal(rec.comm, "good");
	assert_int_equal(rec.exe_len, 6);
	assert_string_equal(rec.exe, "/bin/x");
	/* a bad one alone is no comm at all */
	assert_int_equal(parse("type=SECCOMP msg=" STAMP "comm=6162ZZ arch=c000003e syscall=1"), 1);
	assert_false(rec.fields & SL_F_COMM);
	assert_int_equal(rec.comm_len, 0);
	assert_string_equal(rec.comm, "");
}

static void test_stamp_out_of_range(void **state)
{
	/* found by fuzzing: 19 digits above INT64_MAX wrapped to a negative
	 * time; 20 and more were refused already */
	assert_int_equal(parse("type=SECCOMP msg=audit(9223372036854775807.057:7): " BODY), 1);
	assert_int_equal(rec.sec, INT64_MAX);
	assert_int_equal(parse("type=SECCOMP msg=audit(9223372036854775808.057:7): " BODY),
			 -EBADMSG);
	assert_int_equal(parse("type=SECCOMP msg=audit(9999999999999999999.057:7): " BODY),
			 -EBADMSG);
	assert_int_equal(parse("audit: type=1326 audit(18446744073709551616.057:7): " BODY),
			 -EBADMSG);
	assert_int_equal(parse("type=SECCOMP msg=audit(00000000000000000001.057:7): " BODY),
			 -EBADMSG);
	/* the serial's bound is 32 bits, as before */
	assert_int_equal(parse("type=SECCOMP msg=audit(1.057:4294967295): " BODY), 1);
	assert_int_equal(parse("type=SECCOMP msg=audit(1.057:4294967296): " BODY), -EBADMSG);
}

/*
 * A record in the kernel's own field order is read by a fast path; any
 * other form by the general loop.  A second space after the stamp sends
 * any line to the general loop, so the two can be compared on the same
 * fields: they must agree on every line, whatever is changed in it.
 */
static int parse_general(const char *line, struct sl_record *out)
{
	const char *cut = strstr(line, "): ");
	size_t n = strlen(line), k;
	char *two;
	int rc;

	assert_non_null(cut);
	k = (size_t)(cut - line) + 3;
	two = malloc(n + 2);
	assert_non_null(two);
	memcpy(two, line, k);
	two[k] = ' ';
	memcpy(two + k + 1, line + k, n - k);
	rc = sl_record_parse(two, n + 1, out);
	free(two);
	return rc;
}

static void assert_same_record(const char *line, size_t len)
{
	static struct sl_record fast, slow;
	char *copy = malloc(len + 1);
	int a, b;

	/* exactly len bytes, so that reading past the line shows (ASan) */
	memcpy(copy, line, len);
	copy[len] = '\0';
	a = sl_record_parse(copy, len, &fast);
	b = parse_general(copy, &slow);
	if (a != b || (a == 1 && (fast.fields != slow.fields || fast.sec != slow.sec ||
				  fast.msec != slow.msec || fast.serial != slow.serial))) {
		print_error("differ (%d, %d; fields %x, %x) on: %s\n", a, b, fast.fields,
			    slow.fields, copy);
		fail();
	}
	if (a == 1) {
#define SAME(bit, f) \
	assert_true(!(fast.fields & (bit)) || fast.f == slow.f)
		SAME(SL_F_AUID, auid);
		SAME(SL_F_UID, uid);
		SAME(SL_F_GID, gid);
		SAME(SL_F_SES, ses);
		SAME(SL_F_PID, pid);
		SAME(SL_F_SIG, sig);
		SAME(SL_F_ARCH, arch);
		SAME(SL_F_SYSCALL, syscall);
		SAME(SL_F_COMPAT, compat);
		SAME(SL_F_IP, ip);
		SAME(SL_F_CODE, code);
#undef SAME
		assert_int_equal(fast.compat, slow.compat);
		assert_int_equal(fast.comm_len, slow.comm_len);
		assert_memory_equal(fast.comm, slow.comm, fast.comm_len + 1);
		assert_int_equal(fast.exe_len, slow.exe_len);
		assert_memory_equal(fast.exe, slow.exe, fast.exe_len + 1);
		assert_string_equal(fast.subj, slow.subj);
	}
	free(copy);
}

static void test_fast_path_agrees(void **state)
{
	static const char *const bodies[] = {
		BODY,
		BODY "\x1d" "AUID=\"unset\" UID=\"root\" ARCH=x86_64 SYSCALL=unknown-syscall(-1)",
		"auid=1000 uid=1000 gid=1000 ses=3 pid=4320 comm=6D792070726F67 "
		"exe=2F746D702F6D792070726F67 sig=0 arch=40000003 syscall=45 compat=1 "
		"ip=0x8077e4b code=0x7ffc0000",
		"auid=0 uid=0 gid=0 ses=1 subj=\"a b\" pid=1 comm=\"x\" exe=(null) sig=31 "
		"arch=C000003E syscall=18446744073709551615 compat=0 ip=0x0 code=0x0\x1d",
		/* what follows the tail must stay unread, and be read once the
		 * 0x1d is changed */
		BODY "\x1d" "syscall=1 comm=\"tail\" arch=zz",
	};
	static const char subst[] = " \t\"=-+x0179aAfFgG:.()\x1d\x7f\x80";
	char line[512], mut[512];
	size_t b, i, j, n, head;

	for (b = 0; b < sizeof(bodies) / sizeof(bodies[0]); b++) {
		n = (size_t)snprintf(line, sizeof(line), "type=SECCOMP msg=" STAMP "%s", bodies[b]);
		head = strlen("type=SECCOMP msg=" STAMP);
		assert_same_record(line, n);
		for (i = head; i < n; i++) {
			/* each byte changed, dropped or doubled; the unchanged line
			 * first, so that the change meets a warm cache too */
			for (j = 0; j < sizeof(subst) - 1; j++) {
				memcpy(mut, line, n);
				mut[i] = subst[j];
				assert_same_record(line, n);
				assert_same_record(mut, n);
			}
			memcpy(mut, line, i);
			memcpy(mut + i, line + i + 1, n - i - 1);
			assert_same_record(mut, n - 1);
			memcpy(mut, line, i + 1);
			memcpy(mut + i + 1, line + i, n - i);
			assert_same_record(mut, n + 1);
			/* and cut there */
			assert_same_record(line, i);
		}
	}
}

/* The stamp's seconds are kept from line to line: a changed stamp must
 * parse the same whatever line came before it. */
static void test_stamp_cache_agrees(void **state)
{
	static const char subst[] = "0123456789.:() x";
	static const char *const stamps[] = { "audit(1795422761.057:7): ",
					      "audit(1795422761.057:1241): ",
					      "audit(1795422761.057:1234567): ",
					      "audit(99999999.100:2): ",
					      "audit(1234567890123456.999:4294967295): " };
	char line[512], mut[512];
	size_t s, i, j, n, head = strlen("type=SECCOMP msg=");
	struct sl_record a, b, c;
	int ra, rb, rc;

	for (s = 0; s < sizeof(stamps) / sizeof(stamps[0]); s++) {
		n = (size_t)snprintf(line, sizeof(line), "type=SECCOMP msg=%s%s", stamps[s], BODY);
		for (i = head; i < head + strlen(stamps[s]); i++) {
			for (j = 0; j < sizeof(subst) - 1; j++) {
				memcpy(mut, line, n + 1);
				mut[i] = subst[j];
				assert_int_equal(sl_record_parse(line, n, &a), 1);
				ra = sl_record_parse(mut, n, &a);	/* after the original */
				assert_int_equal(parse("type=SECCOMP msg=audit(4242424242.000:1): " BODY), 1);
				rb = sl_record_parse(mut, n, &b);	/* after another */
				rc = sl_record_parse(mut, n, &c);	/* after itself */
				assert_int_equal(ra, rb);
				assert_int_equal(rb, rc);
				if (ra == 1) {
					assert_int_equal(a.sec, b.sec);
					assert_int_equal(b.sec, c.sec);
					assert_int_equal(a.msec, c.msec);
					assert_int_equal(a.serial, c.serial);
				}
			}
		}
	}
}

static void test_fast_path_agrees_on_fixtures(void **state)
{
	static const char *const names[] = { "auditd-enriched.txt", "auditd-raw.txt",
					     "hexcomm.txt", "i386.txt", "kmsg.txt",
					     "dmesg.txt", "tagged.txt", "kernlog-rfc3339.txt" };
	size_t k, len, lines = 0;

	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		char *buf = read_fixture(names[k], &len), *p, *nl;

		assert_non_null(buf);
		for (p = buf; p < buf + len; p = nl + 1) {
			nl = memchr(p, '\n', (size_t)(buf + len - p));
			if (!nl)
				nl = buf + len;
			if (memmem(p, (size_t)(nl - p), "): ", 3) &&
			    memmem(p, (size_t)(nl - p), "SECCOMP", 7)) {
				assert_same_record(p, (size_t)(nl - p));
				lines++;
			}
		}
		free(buf);
	}
	assert_true(lines > 100);
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
		/* issue 7: fuzzing, fast path */
		cmocka_unit_test(test_second_comm_bad_hex),
		cmocka_unit_test(test_stamp_out_of_range),
		cmocka_unit_test(test_fast_path_agrees),
		cmocka_unit_test(test_stamp_cache_agrees),
		cmocka_unit_test(test_fast_path_agrees_on_fixtures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
