/* record.c - find and parse SECCOMP audit records in any supported log line */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "ausearch.h"
#include "error.h"
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

static void memo_warm(void);

const char *sl_record_scan(const char *buf, size_t len)
{
	size_t i = 0, k;
	uint64_t bits;
	int h;

	/* a dense audit.log: its first marker is right there ("type=" holds
	 * none); the parse comes next, so warm its cache while the caller
	 * looks for the line's end */
	if (len >= 12 && !memcmp(buf, "type=SECCOMP", 12)) {
		memo_warm();
		return buf + 5;
	}
	for (; i + 16 + 6 <= len; i += 16) {
		sl_v16 a0 = load16(buf + i), a3 = load16(buf + i + 3);
		sl_v16 a5 = load16(buf + i + 5), a6 = load16(buf + i + 6);
		sl_v16 m = ((a0 == 'S') & (a6 == 'P')) | ((a0 == 'a') & (a5 == ':')) |
			   ((a0 == 's') & (a3 == ':'));
		uint64_t w[2];

		memcpy(w, &m, sizeof(w));
		if (!(w[0] | w[1]))
			continue;
		/* straight to each candidate: in a dense audit.log every line
		 * has one, a few bytes in */
		for (h = 0; h < 2; h++) {
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
			w[h] = __builtin_bswap64(w[h]);
#endif
			for (bits = w[h] & 0x8080808080808080ULL; bits; bits &= bits - 1) {
				k = i + 8 * (size_t)h + ((unsigned int)__builtin_ctzll(bits) >> 3);
				if (marker_at(buf + k, len - k))
					return buf + k;
			}
		}
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
	case SL_FMT_NETLINK:
		return "netlink";
	case SL_FMT_JOURNAL_VERBOSE:
		return "journal-verbose";
	case SL_FMT_AUSEARCH:
		return "ausearch";
	}
	return "unknown";
}

#define HOT static inline __attribute__((always_inline))

/*
 * Eight bytes of the line as a number whose lowest byte is the first
 * character, whatever the host's byte order: the word-at-a-time helpers
 * below read up to 16 bytes at once, and only where the line has them.
 */
HOT uint64_t load8(const char *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* bytes 0..n-1 of w (n = 1..8) */
HOT uint64_t low_bytes(unsigned int n)
{
	return n >= 8 ? ~0ULL : (1ULL << (8 * n)) - 1;
}

/* Is the literal lit (at most 8 bytes) at p?  Then step over it. */
HOT bool key_at(const char **p, const char *end, const char *lit, unsigned int n)
{
	uint64_t want;

	if (end - *p < 8) {
		if ((size_t)(end - *p) < n || memcmp(*p, lit, n))
			return false;
	} else {
		/* all 8 bytes of a padded literal: folded to one constant */
		memcpy(&want, lit, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		want = __builtin_bswap64(want);
#endif
		if ((load8(*p) ^ want) & low_bytes(n))
			return false;
	}
	*p += n;
	return true;
}

/* the literal at p (a key and what must follow it): step over it */
#define KEY(p, end, lit) key_at(&(p), end, lit "\0\0\0\0\0\0\0\0", sizeof(lit) - 1)

/* 0x80 in each byte of w that is not an ASCII digit (no carry crosses a
 * byte: each sum stays below 0x100) */
HOT uint64_t not_digits(uint64_t w)
{
	uint64_t low = w & ~HIGHS;

	return (w | (low + 0x46 * ONES) | ~(low + 0x50 * ONES)) & HIGHS;
}

/* 0x80 in each byte of w that is not a hex digit (0-9, a-f, A-F) */
HOT uint64_t not_hex(uint64_t w)
{
	uint64_t low = w & ~HIGHS, fold = (w | 0x20 * ONES) & ~HIGHS;
	uint64_t digit = (low + 0x50 * ONES) & ~(low + 0x46 * ONES);
	uint64_t letter = (fold + 0x1f * ONES) & ~(fold + 0x19 * ONES);

	return (w | ~(digit | letter)) & HIGHS;
}

/* How many of the 8 bytes before the first flagged one (8 if none). */
HOT unsigned int run_of(uint64_t flags)
{
	return flags ? (unsigned int)__builtin_ctzll(flags) >> 3 : 8;
}

/* The value of the first n (1..8) decimal digits in w. */
HOT uint64_t dec8(uint64_t w, unsigned int n)
{
	w = (w - 0x30 * ONES) << (8 * (8 - n));	/* leading zeros in front */
	w = (w * 10 + (w >> 8)) & 0x00ff00ff00ff00ffULL;
	w = (w * 100 + (w >> 16)) & 0x0000ffff0000ffffULL;
	return (w * 10000 + (w >> 32)) & 0xffffffffULL;
}

/* The value of the first n (1..8) hex digits in w. */
HOT uint64_t hex8(uint64_t w, unsigned int n)
{
	w = ((w & 0x0f * ONES) + 9 * ((w >> 6) & ONES)) << (8 * (8 - n));
	w = ((w << 4) | (w >> 8)) & 0x00ff00ff00ff00ffULL;
	w = ((w << 8) | (w >> 16)) & 0x0000ffff0000ffffULL;
	return ((w << 16) | (w >> 32)) & 0xffffffffULL;
}

static const uint64_t pow10_8[9] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
				     100000000 };

/*
 * The decimal digits at p: how many there are, and their value when
 * there are 1 to 19 (sl_kv_u64's bound, which rules out overflow).  Most
 * numbers in a record fit in the 16 bytes read at once, with no branch
 * per digit; longer ones and the end of a line take the loop.
 */
HOT size_t dec_run(const char *p, const char *end, uint64_t *out)
{
	const char *s = p;
	uint64_t v = 0;

	if (end - p >= 16) {
		uint64_t w0 = load8(p), w1 = load8(p + 8);
		unsigned int n0 = run_of(not_digits(w0)), n1;

		if (n0 < 8) {
			*out = n0 ? dec8(w0, n0) : 0;
			return n0;
		}
		n1 = run_of(not_digits(w1));
		if (n1 < 8) {
			*out = n1 ? dec8(w0, 8) * pow10_8[n1] + dec8(w1, n1) : dec8(w0, 8);
			return 8 + n1;
		}
	}
	for (; p < end && (unsigned int)((unsigned char)*p - '0') < 10; p++)
		v = v * 10 + (unsigned int)((unsigned char)*p - '0');
	*out = v;
	return (size_t)(p - s);
}

HOT int hexdig(unsigned char c)
{
	if ((unsigned int)(c - '0') < 10)
		return c - '0';
	c |= 0x20;
	if ((unsigned int)(c - 'a') < 6)
		return c - 'a' + 10;
	return -1;
}

/* The same for hex digits, whose bound is 16. */
HOT size_t hex_run(const char *p, const char *end, uint64_t *out)
{
	const char *s = p;
	uint64_t v = 0;
	int d;

	if (end - p >= 16) {
		uint64_t w0 = load8(p), w1 = load8(p + 8);
		unsigned int n0 = run_of(not_hex(w0)), n1;

		if (n0 < 8) {
			*out = n0 ? hex8(w0, n0) : 0;
			return n0;
		}
		n1 = run_of(not_hex(w1));
		if (n1 < 8) {
			*out = n1 ? hex8(w0, 8) << (4 * n1) | hex8(w1, n1) : hex8(w0, 8);
			return 8 + n1;
		}
	}
	for (; p < end && (d = hexdig((unsigned char)*p)) >= 0; p++)
		v = v << 4 | (unsigned int)d;
	*out = v;
	return (size_t)(p - s);
}

/* 1 to 19 decimal digits and a space */
HOT bool dec_sp(const char **pp, const char *end, uint64_t *out)
{
	size_t n = dec_run(*pp, end, out);
	const char *p = *pp + n;

	if (!n || n > 19 || p >= end || *p != ' ')
		return false;
	*pp = p + 1;
	return true;
}

/* 1 to 16 hex digits; *pp is left where they stop */
HOT bool hex_at(const char **pp, const char *end, uint64_t *out)
{
	size_t n = hex_run(*pp, end, out);

	if (!n || n > 16)
		return false;
	*pp += n;
	return true;
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

/*
 * The last stamp but its serial's last digit, as bytes
 * ("1795420000.169:124") and as numbers: records come many to a
 * millisecond, one serial after the other.  Per thread, like the memo of
 * fields below.
 */
#define STAMP_KEPT 22

static __thread struct {
	uint64_t w0, w1, w2, mask1, mask2;	/* the bytes, 9 to STAMP_KEPT */
	size_t n;				/* 0: empty */
	uint64_t sec, msec, serial_head;	/* serial_head: the digits kept */
} last_stamp;

/* "audit(1732312037.866:42): " at p; returns the end of it or NULL. */
static const char *parse_stamp(const char *p, const char *end, struct sl_record *rec)
{
	uint64_t sec, msec, serial;
	const char *s, *q;
	size_t n, ns;

	if (!KEY(p, end, "audit("))
		return NULL;
	q = p + last_stamp.n;
	if (end - p >= 24 && last_stamp.n && load8(p) == last_stamp.w0 &&
	    !((load8(p + 8) ^ last_stamp.w1) & last_stamp.mask1) &&
	    !((load8(p + 16) ^ last_stamp.w2) & last_stamp.mask2) &&
	    (unsigned int)(q[0] - '0') < 10 && q[1] == ')') {
		sec = last_stamp.sec;
		msec = last_stamp.msec;
		serial = last_stamp.serial_head * 10 + (uint64_t)(q[0] - '0');
		p = q + 1;
		if (serial > UINT32_MAX || !KEY(p, end, "):"))
			return NULL;
	} else {
		/* at most 19 digits, and no more than INT64_MAX: such a time
		 * is no time, not a negative one */
		s = p;
		n = dec_run(p, end, &sec);
		if (!n || n > 19 || sec > (uint64_t)INT64_MAX || p + n >= end || p[n] != '.')
			return NULL;
		p += n + 1;
		/* always three digits: no loop, no word */
		if (end - p < 4 || (unsigned int)(p[0] - '0') > 9 ||
		    (unsigned int)(p[1] - '0') > 9 || (unsigned int)(p[2] - '0') > 9 || p[3] != ':')
			return NULL;
		msec = (uint64_t)(p[0] - '0') * 100 + (uint64_t)(p[1] - '0') * 10 +
		       (uint64_t)(p[2] - '0');
		p += 4;
		ns = dec_run(p, end, &serial);
		p += ns;
		if (!ns || ns > 19 || serial > UINT32_MAX || !KEY(p, end, "):"))
			return NULL;
		/* keep all of it but the serial's last digit */
		n = (size_t)(p - 2 - 1 - s);
		if (n >= 9 && n <= STAMP_KEPT && end - s >= 24) {
			last_stamp.w0 = load8(s);
			last_stamp.mask1 = low_bytes((unsigned int)(n > 16 ? 8 : n - 8));
			last_stamp.w1 = load8(s + 8) & last_stamp.mask1;
			last_stamp.mask2 = n > 16 ? low_bytes((unsigned int)(n - 16)) : 0;
			last_stamp.w2 = load8(s + 16) & last_stamp.mask2;
			last_stamp.sec = sec;
			last_stamp.msec = msec;
			last_stamp.serial_head = serial / 10;
			last_stamp.n = n;
		} else {
			last_stamp.n = 0;
		}
	}
	rec->sec = (int64_t)sec;
	rec->msec = (uint32_t)msec;
	rec->serial = (uint32_t)serial;
	rec->has_stamp = rec->has_time = true;
	return p;
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

/* one space between fields */
HOT bool space(const char **pp, const char *end)
{
	if (*pp >= end || **pp != ' ')
		return false;
	(*pp)++;
	return true;
}

/* A text value as sl_kv_next takes it (quoted to the next quote, else to a
 * space or the enriched tail), followed by one space. */
HOT bool text_sp(const char **pp, const char *end, struct sl_kv *kv)
{
	const char *p = *pp, *q;

	if (p < end && *p == '"') {
		q = memchr(p + 1, '"', (size_t)(end - p - 1));
		if (!q || end - q < 2 || q[1] != ' ')
			return false;
		kv->val = p + 1;
		kv->vlen = (size_t)(q - p - 1);
		kv->quoted = true;
		*pp = q + 2;
		return true;
	}
	for (q = p; q < end && *q != ' ' && *q != '\x1d'; q++)
		;
	if (q >= end || *q != ' ')
		return false;
	kv->val = p;
	kv->vlen = (size_t)(q - p);
	kv->quoted = false;
	*pp = q + 1;
	return true;
}

/*
 * The kernel writes a SECCOMP record's fields in one order (audit_seccomp()
 * in kernel/auditsc.c, audit_log_task_context() for subj):
 *   auid= uid= gid= ses= [subj=] pid= comm= exe= sig= arch= syscall= compat= ip= code=
 * A record in exactly that form, one space apart and with plain numbers, is
 * read here key by key: a compare and a word or two per field, no
 * tokenizer, no key lookup.  This is the bulk of a dense audit.log.  Any
 * other form (a field more or less, a sign, two spaces, an odd quote)
 * leaves it to the general loop, which reads every form; both give the
 * same record for any line (tests/test-record.c checks it on mutated lines).
 */

/* What a record says from auid= to arch=: who made the call, not which. */
struct who {
	uint32_t auid, uid, gid, ses, arch;
	int64_t pid, sig;
	unsigned int fields;	/* SL_F_SUBJ, SL_F_COMM, SL_F_EXE when decoded */
	size_t subj_len;
	size_t pid_off;		/* where pid= starts, from auid= */
};

/*
 * auid= up to arch= and the space after it; the texts go into rec.  hw,
 * when set, is a kept record (and hsubj its subj) whose bytes up to pid=
 * the caller found at *pp: its auid, uid, gid, ses and subj are taken as
 * they are.
 */
static bool who_fields(const char **pp, const char *end, struct sl_record *rec, struct who *w,
		       const struct who *hw, const char *hsubj)
{
	uint64_t auid, uid, gid, ses, pid, sig, arch;
	const char *p = *pp;
	struct sl_kv kv;
	long n;

	if (hw) {
		w->auid = hw->auid;
		w->uid = hw->uid;
		w->gid = hw->gid;
		w->ses = hw->ses;
		w->fields = hw->fields & SL_F_SUBJ;
		w->subj_len = hw->subj_len;
		if (w->subj_len)
			memcpy(rec->subj, hsubj, w->subj_len + 1);
		p += hw->pid_off;
	} else {
		w->fields = 0;
		w->subj_len = 0;
		if (!KEY(p, end, "auid=") || !dec_sp(&p, end, &auid) || auid > UINT32_MAX ||
		    !KEY(p, end, "uid=") || !dec_sp(&p, end, &uid) || uid > UINT32_MAX ||
		    !KEY(p, end, "gid=") || !dec_sp(&p, end, &gid) || gid > UINT32_MAX ||
		    !KEY(p, end, "ses=") || !dec_sp(&p, end, &ses) || ses > UINT32_MAX)
			return false;
		if (KEY(p, end, "subj=")) {
			if (!text_sp(&p, end, &kv))
				return false;
			w->subj_len = kv.vlen < SL_SUBJ_MAX - 1 ? kv.vlen : SL_SUBJ_MAX - 1;
			memcpy(rec->subj, kv.val, w->subj_len);
			rec->subj[w->subj_len] = '\0';
			w->fields |= SL_F_SUBJ;
		}
		w->auid = (uint32_t)auid;
		w->uid = (uint32_t)uid;
		w->gid = (uint32_t)gid;
		w->ses = (uint32_t)ses;
	}
	w->pid_off = (size_t)(p - *pp);
	if (!KEY(p, end, "pid=") || !dec_sp(&p, end, &pid) || pid > INT64_MAX ||
	    !KEY(p, end, "comm=") || !text_sp(&p, end, &kv))
		return false;
	n = sl_kv_untrusted(&kv, rec->comm, sizeof(rec->comm));
	if (n >= 0) {
		rec->comm_len = (size_t)n;
		w->fields |= SL_F_COMM;
	}
	if (!KEY(p, end, "exe=") || !text_sp(&p, end, &kv))
		return false;
	n = sl_kv_untrusted(&kv, rec->exe, sizeof(rec->exe));
	if (n >= 0) {
		rec->exe_len = (size_t)n;
		w->fields |= SL_F_EXE;
	}
	if (!KEY(p, end, "sig=") || !dec_sp(&p, end, &sig) || sig > INT64_MAX ||
	    !KEY(p, end, "arch=") || !hex_at(&p, end, &arch) || arch > UINT32_MAX ||
	    !space(&p, end))
		return false;
	w->pid = (int64_t)pid;
	w->sig = (int64_t)sig;
	w->arch = (uint32_t)arch;
	*pp = p;
	return true;
}

/*
 * A busy process logs its calls in bursts, and its records repeat every
 * byte from auid= to arch=.  Such runs of bytes are kept with what they
 * decoded to: a record that starts with the same bytes is the same there,
 * and only its syscall, compat, ip and code are left to read.  The heads
 * of the last few bursts are looked at first; behind them a table holds
 * every process of a busy host (hundreds take turns, most bursts are a few
 * records long), found by a hash of a head's first bytes.  A cache per
 * thread, so the parse never depends on who called before: same bytes,
 * same result.  Long texts are not kept (they are rare).
 */
#define MEMO_RAW 512
#define MEMO_EXE 512
#define MEMO_WAYS 4	/* the last few bursts' */
#define MEMO_BITS 9	/* the table: 512 heads, their slot is a hash of */
#define MEMO_KEY 64	/* their first bytes: the ids, the pid, mostly the comm */

struct who_memo {
	size_t len;		/* of raw; 0: empty */
	bool plain;		/* raw holds no newline (see sl_record_parse_next) */
	struct who who;
	size_t comm_len;
	size_t exe_len;
	char raw[MEMO_RAW];
	char comm[SL_COMM_MAX];
	char exe[MEMO_EXE];
	char subj[SL_SUBJ_MAX];
};

/* (1 << MEMO_BITS) slots, then one for heads shorter than MEMO_KEY; made
 * on first use (untouched slots cost no memory) */
static __thread struct who_memo *memo_table;
static __thread struct who_memo *memo[MEMO_WAYS];	/* most recent first, or NULL */

/* The read buffer streams through the cache and pushes the kept heads out
 * of it on every record: ask for the last one early (before the caller
 * looks for the line's end). */
static void memo_warm(void)
{
	const struct who_memo *m = memo[0];

	if (!m)
		return;
	__builtin_prefetch(m);
	__builtin_prefetch(m->raw + 56);
	__builtin_prefetch(m->comm);
	__builtin_prefetch(m->exe);
}

/* m becomes the most recent (it may be among them already). */
static void memo_front(struct who_memo *m)
{
	unsigned int i;

	for (i = 0; i < MEMO_WAYS - 1 && memo[i] != m; i++)
		;
	memmove(memo + 1, memo, i * sizeof(memo[0]));
	memo[0] = m;
}

static uint64_t rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

/* The slot of a head that starts at p and is len bytes long at least. */
static struct who_memo *memo_slot(const char *p, size_t len)
{
	uint64_t a, b;

	if (!memo_table)
		memo_table = sl_xcalloc((1u << MEMO_BITS) + 1, sizeof(*memo_table));
	if (len < MEMO_KEY)
		return &memo_table[1u << MEMO_BITS];
	a = load8(p) ^ rotl64(load8(p + 16), 13) ^ rotl64(load8(p + 32), 29) ^
	    rotl64(load8(p + 48), 43);
	b = load8(p + 8) ^ rotl64(load8(p + 24), 19) ^ rotl64(load8(p + 40), 37) ^
	    rotl64(load8(p + 56), 53);
	return &memo_table[((a * 0x9e3779b97f4a7c15ULL) ^ (b * 0xc2b2ae3d27d4eb4fULL)) >>
			   (64 - MEMO_BITS)];
}

/*
 * Does p start with the n bytes at raw?  A word from the middle (the pid,
 * the comm) turns most others away at once; the rest is compared a vector
 * at a time with one test at the end, which costs less than memcmp's
 * early exits.
 */
HOT bool same_bytes(const char *p, const char *end, const char *raw, size_t n)
{
	sl_v16 acc;
	uint64_t w[2];
	size_t i;

	if ((size_t)(end - p) <= n)
		return false;
	if (n < 16)
		return !memcmp(p, raw, n);
	if (load8(p + n / 2) != load8(raw + n / 2))
		return false;
	acc = load16(p + n - 16) ^ load16(raw + n - 16);
	for (i = 0; i + 32 <= n; i += 32)
		acc |= (load16(p + i) ^ load16(raw + i)) | (load16(p + i + 16) ^ load16(raw + i + 16));
	if (i + 16 <= n)
		acc |= load16(p + i) ^ load16(raw + i);
	memcpy(w, &acc, sizeof(w));
	return !(w[0] | w[1]);
}

HOT bool same_head(const char *p, const char *end, const struct who_memo *m)
{
	return m && m->len && same_bytes(p, end, m->raw, m->len);
}

/* The most recent kept record when p starts with its bytes up to pid=
 * (one host's daemons share auid, uid, gid and ses), or NULL. */
static const struct who_memo *recall_head(const char *p, const char *end)
{
	const struct who_memo *m = memo[0];

	return m && m->len && m->who.pid_off && same_bytes(p, end, m->raw, m->who.pid_off) ?
		       m : NULL;
}

/* The kept run of bytes that p starts with, or NULL. */
static struct who_memo *recall(const char *p, const char *end)
{
	struct who_memo *m;
	unsigned int i;

	for (i = 0; i < MEMO_WAYS; i++) {
		m = memo[i];
		if (same_head(p, end, m)) {
			if (i)
				memo_front(m);
			return m;
		}
	}
	if (end - p < MEMO_KEY)
		return NULL;
	m = memo_slot(p, (size_t)(end - p));
	if (!same_head(p, end, m))
		return NULL;
	memo_front(m);
	return m;
}

/* Keep a run of bytes, in its slot. */
static struct who_memo *remember(const char *raw, size_t len, const struct sl_record *rec,
				 const struct who *w)
{
	struct who_memo *m;

	if (len > MEMO_RAW || rec->exe_len >= MEMO_EXE)
		return NULL;
	m = memo_slot(raw, len);
	memcpy(m->raw, raw, len);
	m->who = *w;
	memcpy(m->comm, rec->comm, sizeof(m->comm));
	m->comm_len = rec->comm_len;
	memcpy(m->exe, rec->exe, rec->exe_len + 1);
	m->exe_len = rec->exe_len;
	memcpy(m->subj, rec->subj, w->subj_len + 1);
	/* a journal entry's message may hold one; a line never does */
	m->plain = !memchr(raw, '\n', len);
	m->len = len;
	memo_front(m);
	return m;
}

/* compat= is 0 on a native call, 1 on a 32-bit one: no word for a digit */
HOT bool compat_sp(const char **pp, const char *end, uint64_t *out)
{
	const char *p = *pp;

	if (end - p >= 2 && (unsigned int)(p[0] - '0') < 10 && p[1] == ' ') {
		*out = (uint64_t)(p[0] - '0');
		*pp = p + 2;
		return true;
	}
	return dec_sp(pp, end, out) && *out <= INT64_MAX;
}

/*
 * code=0x... ends the record, at the end of the line or at the enriched
 * tail.  A process's records mostly share one action (0x7ffc0000: LOG), so
 * the last one's digits are kept and compared first.
 */
static __thread struct {
	uint64_t bytes, mask;	/* the digits, up to 8 */
	unsigned int n;		/* 0: empty */
	uint32_t code;
} last_code;

HOT bool code_end(const char *p, const char *end, uint64_t *out)
{
	uint64_t w;
	size_t n;

	if (end - p >= 8) {
		w = load8(p);
		if (last_code.n && (w & last_code.mask) == last_code.bytes &&
		    (p + last_code.n == end || p[last_code.n] == '\x1d')) {
			*out = last_code.code;
			return true;
		}
	}
	n = hex_run(p, end, out);
	if (!n || n > 16 || *out > UINT32_MAX || (p + n < end && p[n] != '\x1d'))
		return false;
	if (n <= 8 && end - p >= 8) {
		last_code.mask = low_bytes((unsigned int)n);
		last_code.bytes = load8(p) & last_code.mask;
		last_code.n = (unsigned int)n;
		last_code.code = (uint32_t)*out;
	}
	return true;
}

/* the first n (up to 8) bytes of a literal, as load8() would read them */
#define LIT8(lit, n) (lit8(lit "\0\0\0\0\0\0\0\0") & low_bytes(n))

HOT uint64_t lit8(const char *lit)
{
	return load8(lit);	/* folded: a constant */
}

/*
 * syscall= compat= ip= code= when the line has room for every word read
 * below (an ENRICHED line always has): no bounds checks, each number in
 * one word.  false for anything else, which the checked path reads.
 */
#define TAIL_ROOM 96

HOT bool tail_roomy(const char *p, uint64_t *nr, uint64_t *compat, uint64_t *ip,
		    uint64_t *code, const char **stop)
{
	uint64_t w, w1;
	unsigned int n, n1;

	if (load8(p) != LIT8("syscall=", 8))
		return false;
	w = load8(p + 8);
	n = run_of(not_digits(w));
	if (!n || n == 8 || p[8 + n] != ' ')
		return false;
	*nr = dec8(w, n);
	p += 9 + n;
	/* compat=0 or compat=1 and a space: one compare */
	if ((load8(p) & low_bytes(7)) != LIT8("compat=", 7))
		return false;
	if ((unsigned int)(p[7] - '0') < 10 && p[8] == ' ') {
		*compat = (uint64_t)(p[7] - '0');
		p += 9;
	} else {
		w = load8(p + 7);
		n = run_of(not_digits(w));
		if (!n || n == 8 || p[7 + n] != ' ')
			return false;
		*compat = dec8(w, n);
		p += 8 + n;
	}
	if ((load8(p) & low_bytes(5)) != LIT8("ip=0x", 5))
		return false;
	w = load8(p + 5);
	n = run_of(not_hex(w));
	if (n == 8) {
		w1 = load8(p + 13);
		n1 = run_of(not_hex(w1));
		if (n1 == 8)
			return false;
		*ip = n1 ? hex8(w, 8) << (4 * n1) | hex8(w1, n1) : hex8(w, 8);
		n += n1;
	} else {
		if (!n)
			return false;
		*ip = hex8(w, n);
	}
	if (p[5 + n] != ' ')
		return false;
	p += 6 + n;
	if ((load8(p) & low_bytes(7)) != LIT8("code=0x", 7))
		return false;
	p += 7;
	w = load8(p);
	if (last_code.n && (w & last_code.mask) == last_code.bytes && p[last_code.n] == '\x1d') {
		*code = last_code.code;
		*stop = p + last_code.n;
		return true;
	}
	n = run_of(not_hex(w));
	if (!n || n == 8 || p[n] != '\x1d')
		return false;
	*code = hex8(w, n);
	*stop = p + n;
	return true;
}

/* The fields after arch=, the same for every record. */
HOT void set_record(struct sl_record *rec, const struct who *wp, uint64_t nr, uint64_t compat,
		    uint64_t ip, uint64_t code)
{
	rec->auid = wp->auid;
	rec->uid = wp->uid;
	rec->gid = wp->gid;
	rec->ses = wp->ses;
	rec->pid = wp->pid;
	rec->sig = wp->sig;
	rec->arch = wp->arch;
	rec->syscall = (int64_t)nr;
	rec->compat = (int)(int64_t)compat;
	rec->ip = ip;
	rec->code = (uint32_t)code;
	rec->fields = wp->fields | SL_F_AUID | SL_F_UID | SL_F_GID | SL_F_SES | SL_F_PID |
		      SL_F_SIG | SL_F_ARCH | SL_F_SYSCALL | SL_F_COMPAT | SL_F_IP | SL_F_CODE;
}

/* A kept head's texts into rec. */
HOT void recall_texts(struct sl_record *rec, const struct who_memo *m)
{
	memcpy(rec->comm, m->comm, sizeof(rec->comm));	/* fixed: inlined */
	rec->comm_len = m->comm_len;
	if (m->exe_len < 64)
		memcpy(rec->exe, m->exe, 64);	/* fixed: inlined */
	else
		memcpy(rec->exe, m->exe, m->exe_len + 1);
	rec->exe_len = m->exe_len;
	if (m->who.subj_len)
		memcpy(rec->subj, m->subj, m->who.subj_len + 1);
}

/* From auid= at p on; m: the kept head p starts with (recall), or NULL. */
static bool kernel_order_at(const char *p, const char *end, struct sl_record *rec,
			    struct who_memo *m)
{
	uint64_t nr, compat, ip, code;
	const char *start = p, *stop;
	const struct who *wp;
	struct who w;

	if (m) {
		wp = &m->who;
		recall_texts(rec, m);
		p += m->len;
	} else {
		const struct who_memo *head = recall_head(p, end);

		if (!who_fields(&p, end, rec, &w, head ? &head->who : NULL, head ? head->subj : NULL))
			return false;
		m = remember(start, (size_t)(p - start), rec, &w);
		wp = &w;
	}
	if (end - p >= TAIL_ROOM && tail_roomy(p, &nr, &compat, &ip, &code, &stop))
		;
	else if (!KEY(p, end, "syscall=") || !dec_sp(&p, end, &nr) || nr > INT64_MAX ||
	    !KEY(p, end, "compat=") || !compat_sp(&p, end, &compat) ||
	    !KEY(p, end, "ip=0x") || !hex_at(&p, end, &ip) || !space(&p, end) ||
	    !KEY(p, end, "code=0x") || !code_end(p, end, &code)) {
		/* rare; forget what led here, so that a test that changes
		 * every byte of a line also meets the cache filled from that
		 * line */
		if (m)
			m->len = 0;
		return false;
	}
	set_record(rec, wp, nr, compat, ip, code);
	return true;
}

static bool kernel_order(const char *p, const char *end, struct sl_record *rec)
{
	if (p < end && *p == ' ')
		p++;
	return kernel_order_at(p, end, rec, recall(p, end));
}

/* Any field order, any form: the general loop, kept out of the fast path's
 * way (its frame and registers would weigh on every record). */
static __attribute__((noinline)) bool any_order(const char *p, const char *end,
						 struct sl_record *rec)
{
	struct sl_kv kv;
	bool bad = false;
	uint64_t v;
	long n;

	/* what the fast path may have filled in before it gave up */
	rec->comm_len = rec->exe_len = 0;
	rec->comm[0] = rec->exe[0] = rec->subj[0] = '\0';

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

static bool parse_fields(const char *p, const char *end, struct sl_record *rec)
{
	return kernel_order(p, end, rec) || any_order(p, end, rec);
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

/* What a parse starts from. */
HOT void clear(struct sl_record *rec)
{
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
	/* fields the line does not hold read as 0, not as the last line's:
	 * what a parse gives depends on the line alone */
	rec->auid = rec->uid = rec->gid = rec->ses = rec->arch = rec->code = 0;
	rec->pid = rec->sig = rec->syscall = 0;
	rec->ip = 0;
}

void sl_record_clear(struct sl_record *rec)
{
	clear(rec);
}

/* The first newline in [p, end), or NULL: an ENRICHED tail is a few dozen
 * bytes, a few vectors inline cost less than a call. */
HOT const char *newline_in(const char *p, const char *end)
{
#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n');
	unsigned int hits;

	for (; end - p >= 16; p += 16) {
		hits = (unsigned int)_mm_movemask_epi8(
			_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), nl));
		if (hits)
			return p + __builtin_ctz(hits);
	}
#else
	uint64_t w[2];
	sl_v16 v;

	for (; end - p >= 16; p += 16) {
		v = load16(p) == '\n';
		memcpy(w, &v, sizeof(w));
		if (w[0] | w[1]) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return p + (w[0] ? (unsigned int)__builtin_ctzll(w[0]) >> 3 :
					   8 + ((unsigned int)__builtin_ctzll(w[1]) >> 3));
#else
			return memchr(p, '\n', 16);
#endif
		}
	}
#endif
	return memchr(p, '\n', (size_t)(end - p));
}

int sl_record_parse_next(const char *buf, size_t avail, struct sl_record *rec, size_t *len)
{
	const char *end = buf + avail, *fields, *p, *stop, *eol;
	uint64_t nr, compat, ip, code;
	struct who_memo *m;

	if (avail < 17 + 24 || memcmp(buf, "type=SECCOMP msg=", 17))
		return 0;
	memo_warm();
	clear(rec);
	rec->format = SL_FMT_AUDITD;
	rec->origin = SL_ORIGIN_KERNEL;
	/* every byte of the stamp is checked (digits, marks): none is a
	 * newline, so the line's end lies further on */
	fields = parse_stamp(buf + 17, end, rec);
	if (!fields)
		return 0;
	p = fields + (fields < end && *fields == ' ');
	/* mostly the burst goes on: the last head, with no call */
	m = memo[0];
	if (!same_head(p, end, m))
		m = recall(p, end);
	/* a kept head is a line's bytes (plain), and the tail's are checked
	 * up to the 0x1d: look for the end of line past them only */
	if (m && m->plain && end - (p + m->len) >= TAIL_ROOM &&
	    tail_roomy(p + m->len, &nr, &compat, &ip, &code, &stop)) {
		recall_texts(rec, m);
		set_record(rec, &m->who, nr, compat, ip, code);
		eol = newline_in(stop, end);
		*len = (size_t)((eol ? eol : end) - buf);
		return 1;
	}
	/* anything else: the line's end first, then as sl_record_parse */
	eol = memchr(p, '\n', (size_t)(end - p));
	*len = (size_t)((eol ? eol : end) - buf);
	end = buf + *len;
	while (end > p && end[-1] == '\r')
		end--;
	/* the head kept for p up to the old end may be none up to the line's:
	 * ask again, unless it was a line's bytes that fit (none: none) */
	if (m && !(m->plain && (size_t)(end - p) > m->len))
		m = recall(p, end);
	if (kernel_order_at(p, end, rec, m) || any_order(fields, end, rec))
		return 1;
	return 0;
}

int sl_record_parse(const char *line, size_t len, struct sl_record *rec)
{
	const char *end = line + len, *m, *p, *q, *core;
	bool user = false;
	int fmt;

	while (end > line && (end[-1] == '\r' || end[-1] == '\n'))
		end--;
	len = (size_t)(end - line);
	clear(rec);

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

/*
 * The kernel multicasts every audit record, one per datagram, with its
 * type in the netlink header and no text before the stamp.  Its loss
 * reports (audit_lost=, rate and backlog limit, callbacks suppressed) are
 * printk only and never arrive here (checked on 6.x captures): what a
 * netlink reader misses it learns from ENOBUFS, not from the stream.
 */
int sl_record_parse_body(int type, const char *body, size_t len, struct sl_record *rec)
{
	const char *end = body + len, *q;

	if (type != 1326)	/* AUDIT_SECCOMP */
		return 0;
	/* none was measured, but a NUL or newline after the text is no field */
	while (end > body && (end[-1] == '\0' || end[-1] == '\n'))
		end--;
	clear(rec);
	rec->format = SL_FMT_NETLINK;
	rec->origin = SL_ORIGIN_KERNEL;
	q = parse_stamp(body, end, rec);
	if (!q)
		return -EBADMSG;
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
	/* a whole record after a prefix classify() does not know (r from
	 * clear(): the fast path keeps what it decodes, garbage included) */
	clear(&r);
	if ((m = find(line, len, LIT("audit: type=1326 "))) ||
	    (m = find(line, len, LIT("type=SECCOMP msg=")))) {
		p = parse_stamp(m + 17, end, &r);
		return p && parse_fields(p, end, &r);
	}
	if ((m = find(line, len, LIT("SECCOMP auid="))))
		return parse_fields(m + 8, end, &r);
	return false;
}
