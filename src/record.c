/* record.c - find and parse SECCOMP audit records in any supported log line */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "kv.h"
#include "record.h"

#define LIT(s) (s), (sizeof(s) - 1)

static const char *find(const char *s, size_t n, const char *needle, size_t nl)
{
	return memmem(s, n, needle, nl);
}

const char *sl_record_scan(const char *buf, size_t len)
{
	const char *a = find(buf, len, LIT("SECCOMP"));
	const char *b = find(buf, a ? (size_t)(a - buf) : len, LIT("type=1326"));

	return b ? b : a;
}

const char *sl_format_name(enum sl_format fmt)
{
	switch (fmt) {
	case SL_FMT_AUDITD:
		return "auditd";
	case SL_FMT_KMSG:
		return "kmsg";
	case SL_FMT_DMESG:
		return "dmesg";
	case SL_FMT_SYSLOG:
		return "syslog";
	case SL_FMT_JOURNAL:
		return "journal";
	case SL_FMT_BARE:
		return "message";
	}
	return "unknown";
}

static bool digits(const char *s, const char *end, uint64_t *out, const char **stop)
{
	uint64_t v = 0;
	const char *p = s;

	while (p < end && *p >= '0' && *p <= '9' && p - s < 19)
		v = v * 10 + (uint64_t)(*p++ - '0');
	*stop = p;
	*out = v;
	return p > s;
}

/* "audit(1732312037.866:42): " at p; returns the end of it or NULL. */
static const char *parse_stamp(const char *p, const char *end, struct sl_record *rec)
{
	uint64_t sec, msec, serial;
	const char *q;

	if ((size_t)(end - p) < 6 || memcmp(p, "audit(", 6))
		return NULL;
	p += 6;
	if (!digits(p, end, &sec, &q) || q >= end || *q != '.')
		return NULL;
	if (!digits(q + 1, end, &msec, &p) || p - q - 1 != 3 || p >= end || *p != ':')
		return NULL;
	if (!digits(p + 1, end, &serial, &q) || serial > UINT32_MAX)
		return NULL;
	if ((size_t)(end - q) < 2 || q[0] != ')' || q[1] != ':')
		return NULL;
	rec->sec = (int64_t)sec;
	rec->msec = (uint32_t)msec;
	rec->serial = (uint32_t)serial;
	rec->has_stamp = rec->has_time = true;
	return q + 2;
}

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/*
 * Journal lines carry no audit(..) stamp; take the time from the line's own
 * prefix: RFC 3339 ("2026-11-22T22:47:17.866056+00:00") or the traditional
 * "Nov 22 22:47:17", which has no year: the most recent such date not in
 * the future is meant, as syslog readers assume.
 */
static void prefix_time(const char *line, const char *end, struct sl_record *rec)
{
	struct tm tm = { 0 };
	char buf[40];
	size_t n = (size_t)(end - line) < sizeof(buf) - 1 ? (size_t)(end - line) : sizeof(buf) - 1;
	const char *r;
	time_t t;

	memcpy(buf, line, n);
	buf[n] = '\0';
	tm.tm_isdst = -1;
	if ((r = strptime(buf, "%Y-%m-%dT%H:%M:%S", &tm))) {
		long off = 0;

		while (*r == '.' || (*r >= '0' && *r <= '9'))
			r++;
		if ((r[0] == '+' || r[0] == '-') && strlen(r) >= 6 && r[3] == ':') {
			off = ((r[1] - '0') * 10 + (r[2] - '0')) * 3600L +
			      ((r[4] - '0') * 10 + (r[5] - '0')) * 60L;
			if (r[0] == '-')
				off = -off;
			t = timegm(&tm) - off;
		} else if (r[0] == 'Z') {
			t = timegm(&tm);
		} else {
			t = mktime(&tm);
		}
	} else {
		time_t now = time(NULL);
		struct tm lt;
		int m;

		for (m = 0; m < 12; m++)
			if (!strncmp(buf, months[m], 3))
				break;
		if (m == 12 || !strptime(buf + 3, " %d %H:%M:%S", &tm))
			return;
		localtime_r(&now, &lt);
		tm.tm_mon = m;
		tm.tm_year = lt.tm_year;
		t = mktime(&tm);
		if (t > now + 86400) {
			tm.tm_year--;
			tm.tm_isdst = -1;
			t = mktime(&tm);
		}
	}
	if (t == (time_t)-1)
		return;
	rec->sec = t;
	rec->has_time = true;
}

static bool ends_with(const char *s, const char *end, const char *suffix, size_t n)
{
	return (size_t)(end - s) >= n && !memcmp(end - n, suffix, n);
}

/*
 * Tell the line's format from what precedes the record, and refuse a
 * marker anywhere else: text inside another record (a USER message, a
 * quoted argument) must not pass for a SECCOMP record.  0 = no record.
 */
static int classify(const char *line, const char *m)
{
	const char *p = line, *q;

	if (p == m)
		return *p == 't' ? SL_FMT_AUDITD : SL_FMT_BARE;
	if (!strncmp(line, "node=", 5)) {
		q = memchr(line, ' ', (size_t)(m - line));
		return q && q + 1 == m && *m == 't' ? SL_FMT_AUDITD : 0;
	}
	if (*m == 't')
		return 0;	/* type=SECCOMP only starts an audit.log line */
	if (*p >= '0' && *p <= '9') {
		while (p < m && *p >= '0' && *p <= '9')
			p++;
		if (p < m && *p == ',') {
			q = memchr(p, ';', (size_t)(m - p));
			return q && q + 1 == m ? SL_FMT_KMSG : 0;
		}
	}
	if (*line == '[' && ends_with(line, m, LIT("] ")) &&
	    memchr(line, ']', (size_t)(m - line)) == m - 2)
		return SL_FMT_DMESG;
	/* "kernel: " or "kernel: [ 6721.089942] " */
	q = m;
	if (ends_with(line, q, LIT("] "))) {
		while (q > line && q[-1] != '[')
			q--;
		if (q > line)
			q--;	/* at '[': "kernel: " ends just before it */
	}
	if (ends_with(line, q, LIT("kernel: ")))
		return SL_FMT_SYSLOG;
	if (*m == 'S' && ends_with(line, m, LIT("]: ")) &&
	    memmem(line, (size_t)(m - line), LIT(" audit[")))
		return SL_FMT_JOURNAL;
	return 0;
}

static void set_u32(const struct sl_kv *kv, uint32_t *dst, unsigned int bit, unsigned int *fields,
		    bool *bad)
{
	uint64_t v;

	if (sl_kv_u64(kv, 10, &v) && v <= UINT32_MAX) {
		*dst = (uint32_t)v;
		*fields |= bit;
	} else {
		*bad = true;
	}
}

static void set_i64(const struct sl_kv *kv, int64_t *dst, unsigned int bit, unsigned int *fields,
		    bool *bad)
{
	if (sl_kv_i64(kv, dst))
		*fields |= bit;
	else
		*bad = true;
}

static bool parse_fields(const char *p, const char *end, struct sl_record *rec)
{
	struct sl_kv kv;
	bool bad = false;
	uint64_t v;
	long n;

	while (sl_kv_next(&p, end, &kv)) {
		switch (kv.key[0]) {
		case 'a':
			if (sl_kv_is(&kv, "auid")) {
				set_u32(&kv, &rec->auid, SL_F_AUID, &rec->fields, &bad);
			} else if (sl_kv_is(&kv, "arch")) {
				if (sl_kv_u64(&kv, 16, &v) && v <= UINT32_MAX) {
					rec->arch = (uint32_t)v;
					rec->fields |= SL_F_ARCH;
				} else {
					bad = true;
				}
			}
			break;
		case 'c':
			if (sl_kv_is(&kv, "comm")) {
				n = sl_kv_untrusted(&kv, rec->comm, sizeof(rec->comm));
				if (n >= 0) {
					rec->comm_len = (size_t)n;
					rec->fields |= SL_F_COMM;
				}
			} else if (sl_kv_is(&kv, "compat")) {
				int64_t c;

				if (sl_kv_i64(&kv, &c)) {
					rec->compat = (int)c;
					rec->fields |= SL_F_COMPAT;
				}
			} else if (sl_kv_is(&kv, "code")) {
				if (sl_kv_u64(&kv, 16, &v) && v <= UINT32_MAX) {
					rec->code = (uint32_t)v;
					rec->fields |= SL_F_CODE;
				}
			}
			break;
		case 'e':
			if (sl_kv_is(&kv, "exe")) {
				n = sl_kv_untrusted(&kv, rec->exe, sizeof(rec->exe));
				if (n >= 0) {
					rec->exe_len = (size_t)n;
					rec->fields |= SL_F_EXE;
				}
			}
			break;
		case 'g':
			if (sl_kv_is(&kv, "gid"))
				set_u32(&kv, &rec->gid, SL_F_GID, &rec->fields, &bad);
			break;
		case 'i':
			if (sl_kv_is(&kv, "ip") && sl_kv_u64(&kv, 16, &rec->ip))
				rec->fields |= SL_F_IP;
			break;
		case 'p':
			if (sl_kv_is(&kv, "pid"))
				set_i64(&kv, &rec->pid, SL_F_PID, &rec->fields, &bad);
			break;
		case 's':
			if (sl_kv_is(&kv, "syscall")) {
				set_i64(&kv, &rec->syscall, SL_F_SYSCALL, &rec->fields, &bad);
			} else if (sl_kv_is(&kv, "ses")) {
				set_u32(&kv, &rec->ses, SL_F_SES, &rec->fields, &bad);
			} else if (sl_kv_is(&kv, "sig")) {
				set_i64(&kv, &rec->sig, SL_F_SIG, &rec->fields, &bad);
			} else if (sl_kv_is(&kv, "subj")) {
				size_t m = kv.vlen < SL_SUBJ_MAX - 1 ? kv.vlen : SL_SUBJ_MAX - 1;

				memcpy(rec->subj, kv.val, m);
				rec->subj[m] = '\0';
				rec->fields |= SL_F_SUBJ;
			}
			break;
		case 'u':
			if (sl_kv_is(&kv, "uid"))
				set_u32(&kv, &rec->uid, SL_F_UID, &rec->fields, &bad);
			break;
		}
	}
	/* Without arch and syscall a record cannot be named: it is cut. */
	return !bad && (rec->fields & (SL_F_ARCH | SL_F_SYSCALL)) == (SL_F_ARCH | SL_F_SYSCALL);
}

int sl_record_parse(const char *line, size_t len, struct sl_record *rec)
{
	const char *end = line + len, *m, *p;
	int fmt;

	while (end > line && (end[-1] == '\r' || end[-1] == '\n'))
		end--;
	len = (size_t)(end - line);

	rec->fields = 0;
	rec->has_stamp = rec->has_time = false;
	rec->sec = 0;
	rec->msec = rec->serial = 0;
	rec->comm_len = rec->exe_len = 0;
	rec->comm[0] = rec->exe[0] = rec->subj[0] = '\0';
	rec->compat = 0;

	if ((m = find(line, len, LIT("type=1326 ")))) {
		p = m + 10;
		if ((size_t)(end - p) >= 4 && !memcmp(p, "msg=", 4))
			p += 4;	/* ausearch --raw of a numeric type */
	} else if ((m = find(line, len, LIT("type=SECCOMP msg=")))) {
		p = m + 17;
	} else if ((m = find(line, len, LIT("SECCOMP auid=")))) {
		/* journal's audit transport: the message has no stamp */
		fmt = classify(line, m);
		if (fmt != SL_FMT_BARE && fmt != SL_FMT_JOURNAL)
			return 0;
		rec->format = fmt;
		prefix_time(line, m, rec);
		return parse_fields(m + 8, end, rec) ? 1 : -EBADMSG;
	} else {
		return 0;
	}
	/* "audit: type=1326" on the printk path, "type=..." in audit.log */
	if (m >= line + 7 && !memcmp(m - 7, "audit: ", 7))
		fmt = classify(line, m - 7);
	else
		fmt = classify(line, m);
	if (!fmt)
		return 0;
	rec->format = fmt;
	p = parse_stamp(p, end, rec);
	if (!p)
		return -EBADMSG;
	return parse_fields(p, end, rec) ? 1 : -EBADMSG;
}
