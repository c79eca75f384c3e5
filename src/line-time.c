/*
 * line-time.c - the time a log line carries, for any line.  Used on the
 * first lines of a source only (when does it begin?), so clarity before
 * speed; the record parser keeps its own fast path.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "line-time.h"

#define HEAD 160	/* where a line's stamp or prefix can be */

static const char *digits(const char *p, const char *end, double *v, int *n)
{
	*v = 0;
	*n = 0;
	while (p < end && *p >= '0' && *p <= '9' && *n < 19) {
		*v = *v * 10 + (*p++ - '0');
		(*n)++;
	}
	return p;
}

/* ".123" or ",123456": the fraction of a second */
static const char *fraction(const char *p, const char *end, double *f)
{
	double scale = 1;

	*f = 0;
	if (p >= end || (*p != '.' && *p != ','))
		return p;
	for (p++; p < end && *p >= '0' && *p <= '9'; p++) {
		scale /= 10;
		*f += (*p - '0') * scale;
	}
	return p;
}

/* struct tm read as local time, or NO_TIME */
static int local(struct tm *tm, double *t)
{
	time_t s;

	tm->tm_isdst = -1;
	s = mktime(tm);
	if (s == (time_t)-1)
		return 0;
	*t = (double)s;
	return 1;
}

/* "audit(1795424290.669:620)" or ausearch -i's "audit(11/23/26 09:06:12.123:620)" */
static int stamp(const char *p, const char *end, double *t)
{
	const char *q = p;
	double sec, ms;
	struct tm tm;
	char buf[40];
	size_t n;
	int nd, nf;

	q = digits(q, end, &sec, &nd);
	if (nd && q < end && *q == '.') {
		q = digits(q + 1, end, &ms, &nf);
		if (nf != 3 || q >= end || *q != ':')
			return 0;
		*t = sec + ms / 1e3;
		return 1;
	}
	n = (size_t)(end - p) < sizeof(buf) - 1 ? (size_t)(end - p) : sizeof(buf) - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	memset(&tm, 0, sizeof(tm));
	q = strptime(buf, "%m/%d/%Y %H:%M:%S", &tm);
	if (!q || tm.tm_year < 0) {
		memset(&tm, 0, sizeof(tm));
		q = strptime(buf, "%m/%d/%y %H:%M:%S", &tm);
	}
	if (!q || !local(&tm, t))
		return 0;
	fraction(p + (q - buf), end, &ms);
	*t += ms;
	return 1;
}

/* RFC 3339 / ISO 8601: 2026-11-23T09:00:45.113886+00:00, also ",", "Z", "+0000" */
static int iso(const char *p, const char *end, double *t)
{
	const char *q;
	struct tm tm;
	char buf[24];
	double frac;
	long off;

	if (end - p < 19 || p[4] != '-' || p[10] != 'T')
		return 0;
	memcpy(buf, p, 19);
	buf[19] = '\0';
	memset(&tm, 0, sizeof(tm));
	q = strptime(buf, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!q || *q)
		return 0;
	q = fraction(p + 19, end, &frac);
	if (q < end && *q == 'Z') {
		*t = (double)timegm(&tm) + frac;
		return 1;
	}
	if (end - q >= 5 && (*q == '+' || *q == '-') && q[1] >= '0' && q[1] <= '9') {
		const char *m = q[3] == ':' ? q + 4 : q + 3;

		if (end - m < 2)
			return 0;
		off = ((q[1] - '0') * 10 + (q[2] - '0')) * 3600L + ((m[0] - '0') * 10 + (m[1] - '0')) * 60L;
		*t = (double)timegm(&tm) - (*q == '-' ? -off : off) + frac;
		return 1;
	}
	if (!local(&tm, t))
		return 0;
	*t += frac;
	return 1;
}

/* "Nov 23 09:00:23 host ...": no year; the latest not more than a day ahead */
static int traditional(const char *p, const char *end, double *t)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct tm tm, now_tm;
	time_t now = time(NULL);
	char buf[24];
	const char *m;
	size_t n = (size_t)(end - p) < 15 ? (size_t)(end - p) : 15;

	if (n < 15 || p[3] != ' ' || p[6] != ' ')
		return 0;
	m = memmem(months, sizeof(months) - 1, p, 3);
	if (!m || (m - months) % 3)
		return 0;
	memcpy(buf, p + 4, 11);
	buf[11] = '\0';
	memset(&tm, 0, sizeof(tm));
	if (!strptime(buf, "%d %H:%M:%S", &tm))
		return 0;
	localtime_r(&now, &now_tm);
	tm.tm_mon = (int)((m - months) / 3);
	tm.tm_year = now_tm.tm_year;
	if (!local(&tm, t))
		return 0;
	if (*t > (double)now + 86400) {
		tm.tm_year--;
		return local(&tm, t);
	}
	return 1;
}

/* "[ 1958.775485]" (uptime) or dmesg -T's "[Mon Nov 23 08:56:27 2026]" */
static enum sl_line_time bracket(const char *p, const char *end, double *t)
{
	struct tm tm;
	char buf[32];
	const char *q;
	double sec, frac;
	int nd;
	size_t n;

	p++;
	if (p < end && *p >= 'A' && *p <= 'Z') {
		n = (size_t)(end - p) < sizeof(buf) - 1 ? (size_t)(end - p) : sizeof(buf) - 1;
		memcpy(buf, p, n);
		buf[n] = '\0';
		memset(&tm, 0, sizeof(tm));
		q = strptime(buf, "%a %b %d %H:%M:%S %Y", &tm);
		return q && *q == ']' && local(&tm, t) ? SL_LT_WALL : SL_LT_NONE;
	}
	while (p < end && *p == ' ')
		p++;
	q = digits(p, end, &sec, &nd);
	if (!nd || q >= end || *q != '.')
		return SL_LT_NONE;
	q = fraction(q, end, &frac);
	while (q < end && *q == ' ')	/* journalctl -o short-delta pads */
		q++;
	if (q >= end || *q != ']')
		return SL_LT_NONE;
	*t = sec + frac;
	return SL_LT_UPTIME;
}

/* journalctl -o export / json: the entry's __REALTIME_TIMESTAMP, in us */
static int realtime(const char *p, const char *end, double *t)
{
	double us;
	int nd;

	digits(p, end, &us, &nd);
	if (nd < 10)
		return 0;
	*t = us / 1e6;
	return 1;
}

/* journalctl -o short-full / verbose: "Tue 2026-12-01 14:22:24[.341250] UTC" */
static int weekday_iso(const char *p, const char *end, double *t)
{
	struct tm tm;
	char buf[32];
	const char *q;
	double frac;
	size_t n = (size_t)(end - p) < sizeof(buf) - 1 ? (size_t)(end - p) : sizeof(buf) - 1;

	memcpy(buf, p, n);
	buf[n] = '\0';
	memset(&tm, 0, sizeof(tm));
	q = strptime(buf, "%a %Y-%m-%d %H:%M:%S", &tm);
	if (!q)
		return 0;
	q = fraction(p + (q - buf), end, &frac);
	if (end - q >= 4 && !memcmp(q, " UTC", 4)) {
		*t = (double)timegm(&tm) + frac;
		return 1;
	}
	if (!local(&tm, t))	/* the reader's zone, as journalctl prints */
		return 0;
	*t += frac;
	return 1;
}

enum sl_line_time sl_line_time(const char *line, size_t len, double *t)
{
	const char *end = line + (len < HEAD ? len : HEAD), *p, *q;
	double v, frac;
	int nd;

	if (len > 21 && !memcmp(line, "__REALTIME_TIMESTAMP=", 21))
		return realtime(line + 21, line + len, t) ? SL_LT_WALL : SL_LT_NONE;
	/* -o json-pretty: one field a line */
	if (len > 26 && line[0] == '\t' && !memcmp(line + 1, "\"__REALTIME_TIMESTAMP\" : \"", 26))
		return realtime(line + 27, line + len, t) ? SL_LT_WALL : SL_LT_NONE;
	if (len && line[0] == 0x1e) {	/* -o json-seq: RS before each entry */
		line++;
		len--;
		end = line + (len < HEAD ? len : HEAD);
	}
	if (len && line[0] == '{') {
		/* a JSON entry's fields come in any order: look at all of it */
		p = memmem(line, len, "\"__REALTIME_TIMESTAMP\":\"", 24);
		return p && realtime(p + 24, line + len, t) ? SL_LT_WALL : SL_LT_NONE;
	}
	/* an audit stamp, wherever the line has one: the best there is */
	for (p = line; (p = memmem(p, (size_t)(end - p), "audit(", 6)); p += 6)
		if (stamp(p + 6, end, t))
			return SL_LT_WALL;
	if (len && line[0] >= '0' && line[0] <= '9') {
		if (iso(line, end, t))
			return SL_LT_WALL;
		/* kmsg: "LEVEL,SEQ,USEC,FLAGS;" */
		q = digits(line, end, &v, &nd);
		if (q < end && *q == ',') {
			q = digits(q + 1, end, &v, &nd);
			if (nd && q < end && *q == ',') {
				q = digits(q + 1, end, &v, &nd);
				if (nd && q < end && *q == ',' && memchr(q, ';', (size_t)(end - q))) {
					*t = v / 1e6;
					return SL_LT_UPTIME;
				}
			}
			return SL_LT_NONE;
		}
		/* journalctl -o short-unix: "1795424485.777123 host ..." */
		q = digits(line, end, &v, &nd);
		if (nd >= 9 && q < end && *q == '.') {
			q = fraction(q, end, &frac);
			if (q < end && *q == ' ') {
				*t = v + frac;
				return SL_LT_WALL;
			}
		}
		return SL_LT_NONE;
	}
	if (traditional(line, end, t) || weekday_iso(line, end, t))
		return SL_LT_WALL;
	/* "[...]" first, or after dmesg -r's "<5>" or dmesg -x's "kern  :notice: " */
	q = memchr(line, '[', (size_t)(end - line) < 24 ? (size_t)(end - line) : 24);
	if (q && memchr(line, ' ', (size_t)(q - line)) == NULL && q != line && line[0] != '<')
		return SL_LT_NONE;	/* "word[": a name such as "audit[4320]" */
	return q ? bracket(q, end, t) : SL_LT_NONE;
}
