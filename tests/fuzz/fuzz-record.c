/*
 * fuzz-record.c - the line parser, over every layout it reads.
 * Invariants: no crash or UB on any bytes; a line in which sl_record_scan
 * sees no marker is no record (the harvest never parses such a line, so a
 * parse that finds one there means the scan and the parser disagree); a
 * trailing CR changes nothing; a record holds what its line said (a stamp
 * is a non-negative time, comm= and exe= are the decoding of one of the
 * line's own comm=/exe= fields, lengths fit their buffers).  The same bytes
 * as a netlink payload (sl_record_parse_body): a record there is the
 * record of auditd's line "type=SECCOMP msg=" + the payload.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "kv.h"
#include "record.h"

/* Is out[0..len) the decoding of some "KEY=" field of the line? */
static int field_decodes_to(const char *line, size_t size, const char *key, size_t cap,
			    const char *out, size_t len)
{
	size_t klen = strlen(key);
	const char *p = line, *end = line + size, *hit;
	char *buf = malloc(cap);
	int found = 0;

	/* the line ends before its CR/LF, as the parser sees it */
	while (end > line && (end[-1] == '\r' || end[-1] == '\n'))
		end--;

	while (!found && (hit = memmem(p, (size_t)(end - p), key, klen))) {
		const char *q = hit;
		struct sl_kv kv;
		long n;

		p = hit + 1;
		if (!sl_kv_next(&q, end, &kv) || kv.key != hit || kv.klen != klen - 1)
			continue;
		n = sl_kv_untrusted(&kv, buf, cap);
		found = n >= 0 && (size_t)n == len && !memcmp(buf, out, len);
	}
	free(buf);
	return found;
}

static void check_record(const char *line, size_t size, const struct sl_record *r)
{
	FUZZ_CHECK(r->kind == SL_REC_SECCOMP || r->kind == SL_REC_LOSS, "kind %d", r->kind);
	FUZZ_CHECK(strcmp(sl_format_name(r->format), "unknown"), "format %d", r->format);
	if (r->has_stamp) {
		FUZZ_CHECK(r->has_time, "a stamp is a time");
		FUZZ_CHECK(r->sec >= 0, "stamp %lld s", (long long)r->sec);
		FUZZ_CHECK(r->msec < 1000, "stamp %u ms", r->msec);
	}
	if (r->kind == SL_REC_LOSS)
		return;
	FUZZ_CHECK((r->fields & (SL_F_ARCH | SL_F_SYSCALL)) == (SL_F_ARCH | SL_F_SYSCALL),
		   "a record without arch or syscall (fields %#x)", r->fields);
	if (r->fields & SL_F_COMM) {
		FUZZ_CHECK(r->comm_len < SL_COMM_MAX && r->comm[r->comm_len] == '\0',
			   "comm_len %zu", r->comm_len);
		FUZZ_CHECK(field_decodes_to(line, size, "comm=", SL_COMM_MAX, r->comm,
					    r->comm_len),
			   "comm (%zu bytes) is no comm= of the line", r->comm_len);
	}
	if (r->fields & SL_F_EXE) {
		FUZZ_CHECK(r->exe_len < SL_EXE_MAX && r->exe[r->exe_len] == '\0',
			   "exe_len %zu", r->exe_len);
		FUZZ_CHECK(field_decodes_to(line, size, "exe=", SL_EXE_MAX, r->exe, r->exe_len),
			   "exe (%zu bytes) is no exe= of the line", r->exe_len);
	}
	if (r->fields & SL_F_SUBJ)
		FUZZ_CHECK(memchr(r->subj, '\0', SL_SUBJ_MAX), "subj not terminated");
}

static void same(const struct sl_record *a, const struct sl_record *b)
{
	FUZZ_CHECK(a->kind == b->kind && a->format == b->format && a->fields == b->fields &&
		   a->sec == b->sec && a->serial == b->serial && a->syscall == b->syscall &&
		   a->arch == b->arch && a->comm_len == b->comm_len &&
		   !memcmp(a->comm, b->comm, a->comm_len) && a->lost == b->lost,
		   "a trailing CR changed the record");
}

/* The input as the body of a netlink message. */
static void body(const char *data, size_t size)
{
	static struct sl_record rec, line;
	static const char pre[] = "type=SECCOMP msg=";
	char *buf;
	int rc;

	FUZZ_CHECK(sl_record_parse_body(1300, data, size, &rec) == 0, "a SYSCALL message parsed");
	rc = sl_record_parse_body(1326, data, size, &rec);
	FUZZ_CHECK(rc == 1 || rc == -EBADMSG, "body rc %d", rc);
	if (rc != 1)
		return;
	FUZZ_CHECK(rec.format == SL_FMT_NETLINK && rec.origin == SL_ORIGIN_KERNEL &&
		   rec.has_stamp, "format %d origin %d", rec.format, rec.origin);
	check_record(data, size, &rec);
	/* what the two parsers strip at the end differs (CR; NUL) */
	if (size && (data[size - 1] == '\r' || data[size - 1] == '\n' || data[size - 1] == '\0'))
		return;
	buf = malloc(sizeof(pre) - 1 + size);
	memcpy(buf, pre, sizeof(pre) - 1);
	memcpy(buf + sizeof(pre) - 1, data, size);
	FUZZ_CHECK(sl_record_parse(buf, sizeof(pre) - 1 + size, &line) == 1,
		   "a payload's record is no record in auditd's line");
	line.format = rec.format;
	same(&rec, &line);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sl_record rec, again;
	const char *line = (const char *)data;
	char *cr;
	int rc, rc2;

	memset(&rec, 0, sizeof(rec));
	body(line, size);
	rc = sl_record_parse(line, size, &rec);
	FUZZ_CHECK(rc == 0 || rc == 1 || rc == -EBADMSG, "rc %d", rc);
	if (rc == 1)
		check_record(line, size, &rec);
	if (!sl_record_scan(line, size))
		FUZZ_CHECK(rc == 0, "no marker, but parse says %d", rc);

	/* a CRLF log is the same log */
	if (size && (data[size - 1] == '\r' || data[size - 1] == '\n'))
		return 0;
	cr = malloc(size + 1);
	memcpy(cr, data, size);
	cr[size] = '\r';
	memset(&again, 0, sizeof(again));
	rc2 = sl_record_parse(cr, size + 1, &again);
	FUZZ_CHECK(rc2 == rc, "rc %d, with a CR %d", rc, rc2);
	if (rc == 1)
		same(&rec, &again);
	free(cr);
	return 0;
}
