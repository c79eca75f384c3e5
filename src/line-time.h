/* line-time.h - the time any log line carries, whatever it holds */
#ifndef SL_LINE_TIME_H
#define SL_LINE_TIME_H

#include <stddef.h>

enum sl_line_time {
	SL_LT_NONE = 0,
	SL_LT_WALL,	/* seconds since the epoch */
	SL_LT_UPTIME,	/* seconds since its boot */
};

/*
 * The time of one line of any kind (not only SECCOMP records), to tell
 * when a source begins: an audit(SEC.MS:N) stamp (audit.log, also
 * ausearch -i's "MM/DD/YY HH:MM:SS.mmm"), a syslog, journalctl or dmesg
 * date prefix (RFC 3339 / ISO 8601, "Nov 23 09:00:23", "[Mon Nov 23
 * 08:56:27 2026]", "Tue 2026-12-01 14:22:24 UTC", seconds since the
 * epoch), journalctl -o export/json's __REALTIME_TIMESTAMP, or an uptime
 * ("[ 1958.78]",
 * also after dmesg -r's "<5>" or dmesg -x's "kern  :notice: ", and
 * kmsg's "6,1234,1958780000,-;").  Sets *t; dates without a zone are
 * local time.
 */
enum sl_line_time sl_line_time(const char *line, size_t len, double *t);

#endif
