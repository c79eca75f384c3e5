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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *cause = NULL;
	double t = NAN, t2 = NAN;
	size_t i;
	int rc;

	if (size > 256)
		return 0;
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
	}
	free(cause);
	free(s);
	return 0;
}
