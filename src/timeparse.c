/* timeparse.c - ausearch-style time expressions for --since/--until */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <sys/sysinfo.h>

#include "error.h"
#include "timeparse.h"

static time_t midnight(time_t now, int days_back)
{
	struct tm tm;

	localtime_r(&now, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday -= days_back;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static int keyword(const char *s, time_t now, time_t *out)
{
	struct tm tm;
	struct sysinfo si;

	if (!strcmp(s, "now")) {
		*out = now;
	} else if (!strcmp(s, "recent")) {
		*out = now - 600;
	} else if (!strcmp(s, "boot")) {
		if (sysinfo(&si))
			return -errno;
		*out = time(NULL) - si.uptime;
	} else if (!strcmp(s, "today")) {
		*out = midnight(now, 0);
	} else if (!strcmp(s, "yesterday")) {
		*out = midnight(now, 1);
	} else if (!strcmp(s, "week-ago")) {
		*out = midnight(now, 7);
	} else if (!strcmp(s, "this-week")) {
		localtime_r(&now, &tm);
		*out = midnight(now, tm.tm_wday);
	} else if (!strcmp(s, "this-month")) {
		localtime_r(&now, &tm);
		*out = midnight(now, tm.tm_mday - 1);
	} else if (!strcmp(s, "this-year")) {
		localtime_r(&now, &tm);
		*out = midnight(now, tm.tm_yday);
	} else {
		return -EINVAL;
	}
	return 0;
}

static bool all_parsed(const char *r)
{
	return r && *r == '\0';
}

/*
 * strptime takes "02-31" and a 60th second, which mktime would move to
 * another day or minute: a --since the user mistyped must not silently
 * mean a different time (found by tests/fuzz/fuzz-time).
 */
static bool real_date(const struct tm *tm)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y = tm->tm_year + 1900;
	bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);

	if (tm->tm_mon < 0 || tm->tm_mon > 11 || tm->tm_sec > 59)
		return false;
	return tm->tm_mday <= mdays[tm->tm_mon] + (tm->tm_mon == 1 && leap);
}

int sl_time_parse(const char *s, time_t now, double *out, char **cause)
{
	static const char *const dates[] = {
		"%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S",
		"%Y-%m-%dT%H:%M", "%Y-%m-%d", "%m/%d/%Y %H:%M:%S",
		"%m/%d/%Y %H:%M", "%m/%d/%Y",
	};
	static const char *const clocks[] = { "%H:%M:%S", "%H:%M" };
	struct tm tm;
	time_t t = 0;
	char *end;
	size_t i;
	double d;

	if (!s || !*s)
		return sl_fail(cause, -EINVAL, "empty time");
	if (keyword(s, now, &t) == 0) {
		*out = (double)t;
		return 0;
	}
	errno = 0;
	d = strtod(s, &end);
	if (s[0] >= '0' && s[0] <= '9' && *end == '\0' && !errno && !strchr(s, ':') &&
	    !strchr(s, '-') && !strchr(s, '/')) {
		*out = d;
		return 0;
	}
	for (i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		memset(&tm, 0, sizeof(tm));
		if (all_parsed(strptime(s, dates[i], &tm))) {
			if (!real_date(&tm))
				break;
			tm.tm_isdst = -1;
			t = mktime(&tm);
			if (t == (time_t)-1)
				break;
			*out = (double)t;
			return 0;
		}
	}
	for (i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		localtime_r(&now, &tm);
		tm.tm_sec = 0;
		if (all_parsed(strptime(s, clocks[i], &tm))) {
			if (!real_date(&tm))
				break;
			tm.tm_isdst = -1;
			*out = (double)mktime(&tm);
			return 0;
		}
	}
	return sl_fail(cause, -EINVAL,
		       "'%s' is not a time (try an epoch, \"YYYY-MM-DD HH:MM:SS\", "
		       "recent, today, yesterday, this-week)", s);
}
