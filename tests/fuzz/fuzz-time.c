/*
 * fuzz-time.c - the --since/--until parser.
 * Invariants: 0 with a finite time, or -EINVAL with a message; the same
 * text gives the same time twice (no state kept between calls); an epoch
 * of plain digits is itself.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "timeparse.h"

/* a fixed "now" (2026-11-23 09:00 UTC): runs must be reproducible */
#define NOW ((time_t)1795424400)

/*
 * A date or clock the user typed is the one used: "2026-02-31" or
 * "09:00:60" is refused, not moved to another day or minute.  The forms
 * are tried in sl_time_parse's order; 0 when s is none of them.
 */
static int typed_fields(const char *s, struct tm *want)
{
	static const char *const dates[] = {
		"%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S",
		"%Y-%m-%dT%H:%M", "%Y-%m-%d", "%m/%d/%Y %H:%M:%S",
		"%m/%d/%Y %H:%M", "%m/%d/%Y", "%H:%M:%S", "%H:%M",
	};
	time_t now = NOW;
	const char *r;
	size_t i;

	for (i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		memset(want, 0, sizeof(*want));
		if (i >= 8) {	/* a clock: today */
			localtime_r(&now, want);
			want->tm_sec = 0;
		}
		r = strptime(s, dates[i], want);
		if (r && !*r)
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *cause = NULL;
	double t = NAN, t2 = NAN;
	size_t i;
	int rc;

	if (size > 256)
		return 0;
	/* UTC: no DST gap moves a typed hour, and runs are the same anywhere */
	if (!getenv("TZ") || strcmp(getenv("TZ"), "UTC")) {
		setenv("TZ", "UTC", 1);
		tzset();
	}
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	rc = sl_time_parse(s, NOW, &t, &cause);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL, "rc %d", rc);
	if (rc) {
		FUZZ_CHECK(cause && *cause, "an error without a message");
	} else {
		FUZZ_CHECK(isfinite(t), "time %g", t);
		rc = sl_time_parse(s, NOW, &t2, NULL);
		/* "boot" reads the clock: it may move by a second */
		FUZZ_CHECK(rc == 0 && (t2 == t || !strcmp(s, "boot")), "%g then %g", t, t2);
		for (i = 0; i < size && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == size && size <= 15)
			FUZZ_CHECK(t == strtod(s, NULL), "%s gave %g", s, t);
		if (!strpbrk(s, "-/:"))
			goto out;	/* a keyword or an epoch */
		{
			struct tm want, got;
			time_t tt = (time_t)t;

			if (typed_fields(s, &want) && localtime_r(&tt, &got))
				FUZZ_CHECK(got.tm_year == want.tm_year && got.tm_mon == want.tm_mon &&
					   got.tm_mday == want.tm_mday &&
					   got.tm_hour == want.tm_hour && got.tm_min == want.tm_min &&
					   got.tm_sec == want.tm_sec,
					   "'%s' became %04d-%02d-%02d %02d:%02d:%02d", s,
					   got.tm_year + 1900, got.tm_mon + 1, got.tm_mday,
					   got.tm_hour, got.tm_min, got.tm_sec);
		}
	}
out:
	free(cause);
	free(s);
	return 0;
}
