/* timeparse.h - the time expressions ausearch users type */
#ifndef SL_TIMEPARSE_H
#define SL_TIMEPARSE_H

#include <time.h>

/*
 * Parse a --since/--until value into seconds since the epoch, in local
 * time as ausearch does: an epoch ("1732312037" or "1732312037.866"),
 * "YYYY-MM-DD [HH:MM[:SS]]", "YYYY-MM-DDTHH:MM[:SS]", "MM/DD/YYYY
 * [HH:MM[:SS]]", "HH:MM[:SS]" (today), or a keyword: now, recent (ten
 * minutes ago), boot (this boot's start), today, yesterday, this-week,
 * week-ago, this-month, this-year.  now is the reference time.
 * Returns 0, or -EINVAL with *cause set.
 */
int sl_time_parse(const char *s, time_t now, double *out, char **cause);

#endif
