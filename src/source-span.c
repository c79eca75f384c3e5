/*
 * source-span.c - what stretch of time a source holds: from its first
 * line that carries a time to its last write.  A harvest whose --since is
 * earlier than every source's beginning has lost records (a wrapped ring,
 * a rotated log) even when the kernel reported no loss.
 */
#include "config.h"

#include <string.h>

#include "line-time.h"
#include "source.h"

/* Logs start with a timed line; a source that has none this early
 * (journalctl -o cat) has no beginning seclog can tell. */
#define BEGIN_SCAN_MAX (256 * 1024)

size_t sl_source_begin_scan(struct sl_source *src, const char *buf, size_t len, bool eof)
{
	const char *p = buf, *end = buf + len, *nl;
	double t;
	size_t n;

	while (!src->begin_done && p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl && !eof)
			break;
		n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		switch (sl_line_time(p, n, &t)) {
		case SL_LT_WALL:
			src->begins = t;
			src->begin_done = true;
			break;
		case SL_LT_UPTIME:
			/* placed once its boot's offset is known */
			sl_boot_clock_first(&src->clock, t);
			src->begin_done = true;
			break;
		case SL_LT_NONE:
			break;
		}
		src->begin_scanned += n + 1;
		if (src->begin_scanned >= BEGIN_SCAN_MAX)
			src->begin_done = true;
		p = nl ? nl + 1 : end;
	}
	return (size_t)(p - buf);
}

bool sl_sources_cover(const struct sl_source *srcs, size_t n, double t)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (srcs[i].begins >= 0 && srcs[i].begins <= t && srcs[i].ends >= t)
			return true;
	return false;
}
