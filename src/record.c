/* record.c - find and parse SECCOMP audit records in any supported log line */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "ausearch.h"
#include "journal.h"
#include "kv.h"
#include "record.h"

#define LIT(s) (s), (sizeof(s) - 1)

static const char *find(const char *s, size_t n, const char *needle, size_t nl)
{
	return memmem(s, n, needle, nl);
}

/*
 * Each marker is spotted by two of its bytes at fixed offsets, compared 16
 * positions at a time (SSE2 on x86-64, NEON on arm64, through GCC's vector
 * extensions); the rare hit is then checked in full.  One pass finds all
 * three markers at about 12 GB/s, where one memmem pass per marker would
 * cost a grep each.
 */
typedef unsigned char sl_v16 __attribute__((vector_size(16)));

static inline sl_v16 load16(const char *p)
{
	sl_v16 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline bool marker_at(const char *p, size_t left)
{
	return (left >= 7 && !memcmp(p, "SECCOMP", 7)) || (left >= 7 && !memcmp(p, "audit: ", 7)) ||
	       (left >= 5 && !memcmp(p, "skb: ", 5));
}

const char *sl_record_scan(const char *buf, size_t len)
{
	size_t i = 0;
	int k;

	for (; i + 16 + 6 <= len; i += 16) {
		sl_v16 a0 = load16(buf + i), a3 = load16(buf + i + 3);
		sl_v16 a5 = load16(buf + i + 5), a6 = load16(buf + i + 6);
		sl_v16 m = ((a0 == 'S') & (a6 == 'P')) | ((a0 == 'a') & (a5 == ':')) |
			   ((a0 == 's') & (a3 == ':'));
		uint64_t w[2];

		memcpy(w, &m, sizeof(w));
		if (!(w[0] | w[1]))
			continue;
		for (k = 0; k < 16; k++)
			if (m[k] && marker_at(buf + i + k, len - i - k))
				return buf + i + k;
	}
	for (; i < len; i++)
		if (marker_at(buf + i, len - i))
			return buf + i;
	return NULL;
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
	case SL_FMT_JOURNAL_JSON:
		return "journal-json";
	case SL_FMT_JOURNAL_EXPORT:
		return "journal-export";
	case SL_FMT_JOURNAL_VERBOSE:
		return "journal-verbose";
	case SL_FMT_AUSEARCH:
		return "ausearch";
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
 * Journal lines and loss reports carry no audit(..) stamp; take the time
 * from the line's own prefix: dmesg -T ("Mon Nov 23 08:33:01 2026"), RFC
 * 3339 ("2026-11-22T22:47:17.866056+00:00") or the traditional "Nov 22
 * 22:47:17", which has no year: the most recent such date not in the
 * future is meant, as syslog readers assume.
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
	if ((r = strptime(buf, "%a %b %d %H:%M:%S %Y", &tm))) {
		t = mktime(&tm);	/* dmesg -T: local time */
	} else if ((r = strptime(buf, "%Y-%m-%dT%H:%M:%S", &tm))) {
		long off = 0;

		while (*r == '.' || *r == ',' || (*r >= '0' && *r <= '9'))
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

/*
 * What a line's layout says about who wrote it.  "audit[PID]: SECCOMP"
 * and the bare message are text too: `logger -i -t audit` or `systemd-cat
 * -t audit` print exactly so, in rsyslog's files and in journalctl's
 * short and cat output (measured).  user: a facility other than the
 * kernel's, written to /dev/kmsg by a program.
 */
static enum sl_origin origin_of(int fmt, bool user)
{
	if (user)
		return SL_ORIGIN_TEXT;
	switch (fmt) {
	case SL_FMT_AUDITD:
	case SL_FMT_KMSG:
	case SL_FMT_DMESG:
		return SL_ORIGIN_KERNEL;
	case SL_FMT_SYSLOG:
	case SL_FMT_JOURNAL:
	case SL_FMT_BARE:
		return SL_ORIGIN_TEXT;
	}
	return SL_ORIGIN_UNKNOWN;
}

static bool ends_with(const char *s, const char *end, const char *suffix, size_t n)
{
	return (size_t)(end - s) >= n && !memcmp(end - n, suffix, n);
}

/* dmesg -x names: the syslog facilities and levels util-linux prints */
static const char *const facilities[] = { "kern", "user", "mail", "daemon", "auth", "syslog",
					   "lpr", "news", "uucp", "cron", "authpriv", "ftp",
					   "res0", "res1", "res2", "res3", "local0", "local1",
					   "local2", "local3", "local4", "local5", "local6",
					   "local7" };
static const char *const levels[] = { "emerg", "alert", "crit", "err", "warn", "notice",
				       "info", "debug" };

static bool word_in(const char *s, size_t n, const char *const *list, size_t nlist)
{
	size_t i;

	for (i = 0; i < nlist; i++)
		if (strlen(list[i]) == n && !memcmp(s, list[i], n))
			return true;
	return false;
}

/*
 * dmesg -r ("<5>") and dmesg -x ("kern  :notice: ") put the syslog
 * facility and level before dmesg's own prefix: return where that prefix
 * starts (line when there is no such decoration).  *user is set when the
 * facility is not the kernel's: such a line was written to /dev/kmsg from
 * user space.
 */
static const char *skip_level(const char *line, const char *m, bool *user)
{
	const char *p = line, *q;
	uint64_t v;

	if (*p == '<') {
		if (!digits(p + 1, m, &v, &q) || q >= m || *q != '>')
			return NULL;
		*user = v >= 8;	/* facility 0 is the kernel */
		return q + 1;
	}
	if (*p < 'a' || *p > 'z')
		return line;	/* the common case: no facility name */
	for (q = p; q < m && *q >= 'a' && *q <= 'z'; q++)
		;
	while (q < m && q[0] >= '0' && q[0] <= '9')
		q++;
	if (!word_in(p, (size_t)(q - p), facilities, sizeof(facilities) / sizeof(facilities[0])))
		return line;
	*user = q - p != 4 || memcmp(p, "kern", 4);
	while (q < m && *q == ' ')
		q++;
	if (q >= m || *q != ':')
		return line;
	p = ++q;
	while (q < m && *q >= 'a' && *q <= 'z')
		q++;
	if (!word_in(p, (size_t)(q - p), levels, sizeof(levels) / sizeof(levels[0])))
		return line;
	while (q < m && *q == ' ')
		q++;
	if (m - q < 2 || q[0] != ':' || q[1] != ' ')
		return line;
	return q + 2;
}

/* dmesg --time-format iso: "2026-12-01T14:01:57,909256+00:00 " ends at m */
static bool iso_prefix(const char *p, const char *m)
{
	return m - p >= 26 && p[4] == '-' && p[7] == '-' && p[10] == 'T' && p[13] == ':' &&
	       p[19] == ',' && m[-1] == ' ' && (m[-7] == '+' || m[-7] == '-') && m[-4] == ':' &&
	       !memchr(p, ' ', (size_t)(m - p - 1));
}

/*
 * Tell the line's format from what precedes the record, and refuse a
 * marker anywhere else: text inside another record (a USER message, a
 * quoted argument) must not pass for a SECCOMP record.  0 = no record.
 * *core is where the dmesg-style prefix starts, past dmesg -r/-x's
 * facility and level; *user says that facility is not the kernel's.
 */
static int classify(const char *line, const char *m, const char **core, bool *user)
{
	const char *p = line, *q;

	*core = line;
	*user = false;
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
			/* "12,...": facility user, written by a program */
			*user = p - line > 1 || *line >= '8';
			q = memchr(p, ';', (size_t)(m - p));
			return q && q + 1 == m ? SL_FMT_KMSG : 0;
		}
	}
	p = skip_level(line, m, user);
	if (!p)
		return 0;
	*core = p;
	if (p == m && p != line)
		return SL_FMT_DMESG;	/* dmesg -x -t, dmesg -r -t */
	if (*p == '[' && ends_with(p, m, LIT("] ")) && memchr(p, ']', (size_t)(m - p)) == m - 2)
		return SL_FMT_DMESG;
	if (iso_prefix(p, m))
		return SL_FMT_DMESG;
	if (p != line)
		return 0;	/* a facility and level, then no dmesg prefix */
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
			if (SL_KV_IS(&kv, "auid")) {
				set_u32(&kv, &rec->auid, SL_F_AUID, &rec->fields, &bad);
			} else if (SL_KV_IS(&kv, "arch")) {
				if (sl_kv_u64(&kv, 16, &v) && v <= UINT32_MAX) {
					rec->arch = (uint32_t)v;
					rec->fields |= SL_F_ARCH;
				} else {
					bad = true;
				}
			}
			break;
		case 'c':
			if (SL_KV_IS(&kv, "comm")) {
				n = sl_kv_untrusted(&kv, rec->comm, sizeof(rec->comm));
				if (n >= 0) {
					rec->comm_len = (size_t)n;
					rec->fields |= SL_F_COMM;
				}
			} else if (SL_KV_IS(&kv, "compat")) {
				int64_t c;

				if (sl_kv_i64(&kv, &c)) {
					rec->compat = (int)c;
					rec->fields |= SL_F_COMPAT;
				}
			} else if (SL_KV_IS(&kv, "code")) {
				if (sl_kv_u64(&kv, 16, &v) && v <= UINT32_MAX) {
					rec->code = (uint32_t)v;
					rec->fields |= SL_F_CODE;
				}
			}
			break;
		case 'e':
			if (SL_KV_IS(&kv, "exe")) {
				n = sl_kv_untrusted(&kv, rec->exe, sizeof(rec->exe));
				if (n >= 0) {
					rec->exe_len = (size_t)n;
					rec->fields |= SL_F_EXE;
				}
			}
			break;
		case 'g':
			if (SL_KV_IS(&kv, "gid"))
				set_u32(&kv, &rec->gid, SL_F_GID, &rec->fields, &bad);
			break;
		case 'i':
			if (SL_KV_IS(&kv, "ip") && sl_kv_u64(&kv, 16, &rec->ip))
				rec->fields |= SL_F_IP;
			break;
		case 'p':
			if (SL_KV_IS(&kv, "pid"))
				set_i64(&kv, &rec->pid, SL_F_PID, &rec->fields, &bad);
			break;
		case 's':
			if (SL_KV_IS(&kv, "syscall")) {
				set_i64(&kv, &rec->syscall, SL_F_SYSCALL, &rec->fields, &bad);
			} else if (SL_KV_IS(&kv, "ses")) {
				set_u32(&kv, &rec->ses, SL_F_SES, &rec->fields, &bad);
			} else if (SL_KV_IS(&kv, "sig")) {
				set_i64(&kv, &rec->sig, SL_F_SIG, &rec->fields, &bad);
			} else if (SL_KV_IS(&kv, "subj")) {
				size_t m = kv.vlen < SL_SUBJ_MAX - 1 ? kv.vlen : SL_SUBJ_MAX - 1;

				memcpy(rec->subj, kv.val, m);
				rec->subj[m] = '\0';
				rec->fields |= SL_F_SUBJ;
			}
			break;
		case 'u':
			if (SL_KV_IS(&kv, "uid"))
				set_u32(&kv, &rec->uid, SL_F_UID, &rec->fields, &bad);
			break;
		}
	}
	/* Without arch and syscall a record cannot be named: it is cut. */
	return !bad && (rec->fields & (SL_F_ARCH | SL_F_SYSCALL)) == (SL_F_ARCH | SL_F_SYSCALL);
}

/* The number right after p, or 0. */
static uint64_t number_at(const char *p, const char *end)
{
	uint64_t v = 0;
	const char *q;

	digits(p, end, &v, &q);
	return v;
}

/* "[ 6721.089942] " somewhere before m, or kmsg's "6,1234,429171327,-;" */
static double uptime_of(const char *line, const char *m, int fmt)
{
	const char *p = line, *q;
	uint64_t sec, frac;

	if (fmt == SL_FMT_KMSG) {
		p = memchr(line, ',', (size_t)(m - line));
		p = p ? memchr(p + 1, ',', (size_t)(m - p - 1)) : NULL;
		if (!p || !digits(p + 1, m, &sec, &q))
			return -1;
		return sec / 1e6;
	}
	p = memchr(line, '[', (size_t)(m - line));
	if (!p)
		return -1;
	p++;
	while (p < m && *p == ' ')
		p++;
	if (!digits(p, m, &sec, &q) || q >= m || *q != '.' || !digits(q + 1, m, &frac, &p))
		return -1;
	return (double)sec + (double)frac / 1e6;
}

/* The kernel's own reports of records it dropped (issue: exit status 3). */
static int parse_loss(const char *line, const char *end, struct sl_record *rec)
{
	const char *m, *p, *core;
	bool user;
	int fmt;

	if ((m = find(line, (size_t)(end - line), LIT("kauditd_printk_skb: ")))) {
		p = m + 20;
		if (!memmem(p, (size_t)(end - p), LIT(" callbacks suppressed")))
			return 0;
		rec->loss = SL_LOSS_SUPPRESSED;
		rec->lost = number_at(p, end);
	} else if ((m = find(line, (size_t)(end - line), LIT("audit: audit_lost=")))) {
		rec->loss = SL_LOSS_LOST;
		rec->lost = number_at(m + 18, end);
	} else if ((m = find(line, (size_t)(end - line), LIT("audit: rate limit exceeded")))) {
		rec->loss = SL_LOSS_RATE;
	} else if ((m = find(line, (size_t)(end - line), LIT("audit: backlog limit exceeded")))) {
		rec->loss = SL_LOSS_BACKLOG;
	} else {
		return 0;
	}
	/* only the kernel prints these, on the printk path */
	fmt = classify(line, m, &core, &user);
	if (!fmt || fmt == SL_FMT_AUDITD || fmt == SL_FMT_JOURNAL)
		return 0;
	rec->kind = SL_REC_LOSS;
	rec->format = fmt;
	rec->origin = origin_of(fmt, user);
	rec->uptime = uptime_of(line, m, fmt);
	if (fmt == SL_FMT_SYSLOG || fmt == SL_FMT_DMESG)
		prefix_time(core + (*core == '['), m, rec);
	return 1;
}

/* journalctl -o json (json-seq's RS, json-sse's "data: "): one entry a line */
static bool json_line(const char *line, size_t len)
{
	if (len > 2 && line[0] == '\x1e')
		line++, len--;
	else if (len > 7 && !memcmp(line, "data: ", 6))
		line += 6, len -= 6;
	return len > 2 && line[0] == '{' && line[1] == '"';
}

int sl_record_parse(const char *line, size_t len, struct sl_record *rec)
{
	const char *end = line + len, *m, *p, *q, *core;
	bool user = false;
	int fmt;

	while (end > line && (end[-1] == '\r' || end[-1] == '\n'))
		end--;
	len = (size_t)(end - line);

	rec->kind = SL_REC_SECCOMP;
	rec->lost = 0;
	rec->uptime = -1;
	rec->fields = 0;
	rec->has_stamp = rec->has_time = false;
	rec->sec = 0;
	rec->msec = rec->serial = 0;
	rec->comm_len = rec->exe_len = 0;
	rec->comm[0] = rec->exe[0] = rec->subj[0] = '\0';
	rec->compat = 0;

	if (len > 17 && !memcmp(line, "type=SECCOMP msg=", 17)) {
		/* audit.log, the bulk of a big harvest: no search needed */
		fmt = SL_FMT_AUDITD;
		m = line;
		p = line + 17;
	} else if (json_line(line, len)) {
		return sl_journal_parse(SL_J_JSON, line, len, rec);
	} else if ((m = find(line, len, LIT("audit: type=1326 ")))) {
		/* dmesg, kmsg, kern.log, journalctl's kernel transport */
		fmt = classify(line, m, &core, &user);
		p = m + 17;
	} else if ((m = find(line, len, LIT("type=SECCOMP msg=")))) {
		fmt = classify(line, m, &core, &user);	/* audit.log */
		p = m + 17;
	} else if ((m = find(line, len, LIT("SECCOMP auid=")))) {
		/* journal's audit transport: the message has no stamp */
		fmt = classify(line, m, &core, &user);
		if (fmt != SL_FMT_BARE && fmt != SL_FMT_JOURNAL)
			return 0;
		rec->format = fmt;
		rec->origin = origin_of(fmt, user);
		prefix_time(line, m, rec);
		return parse_fields(m + 8, end, rec) ? 1 : -EBADMSG;
	} else {
		return parse_loss(line, end, rec);
	}
	if (!fmt)
		return 0;
	rec->format = fmt;
	rec->origin = origin_of(fmt, user);
	if (fmt != SL_FMT_AUDITD)
		rec->uptime = uptime_of(line, m, fmt);
	q = parse_stamp(p, end, rec);
	if (!q)	/* ausearch -i: audit(12/01/26 14:03:22.985:61) : */
		return fmt == SL_FMT_AUDITD ? sl_ausearch_parse(p, end, rec) : -EBADMSG;
	return parse_fields(q, end, rec) ? 1 : -EBADMSG;
}

bool sl_record_unknown(const char *line, size_t len, const char **hint)
{
	const char *end = line + len, *m, *p;
	struct sl_record r;

	*hint = NULL;
	/* ausearch --format text and csv: no arch, no syscall number */
	if (find(line, len, LIT("called-seccomp-controlled-syscall"))) {
		*hint = "ausearch --format text and csv do not show the arch and syscall number: "
			"use ausearch -i or ausearch --raw";
		return true;
	}
	/* another audit.log record quoting one: not a record */
	if (!strncmp(line, "type=", 5) || !strncmp(line, "node=", 5))
		return false;
	/* a whole record after a prefix classify() does not know */
	r.fields = 0;
	if ((m = find(line, len, LIT("audit: type=1326 "))) ||
	    (m = find(line, len, LIT("type=SECCOMP msg=")))) {
		p = parse_stamp(m + 17, end, &r);
		return p && parse_fields(p, end, &r);
	}
	if ((m = find(line, len, LIT("SECCOMP auid="))))
		return parse_fields(m + 8, end, &r);
	return false;
}
