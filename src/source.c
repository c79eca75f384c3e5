/* source.c - opening sources by name, and the line step they share */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "journal.h"
#include "source.h"

volatile sig_atomic_t sl_source_cancel;

int sl_source_open(struct sl_source *src, const char *path, char **cause)
{
	int rc;

	memset(src, 0, sizeof(*src));
	src->path = sl_xstrdup(path);
	src->begins = -1;
	src->ends = INFINITY;
	sl_boot_clock_init(&src->clock);
	src->ops = strcmp(path, "/dev/kmsg") ? &sl_source_file_ops : &sl_source_kmsg_ops;
	rc = src->ops->open(src, cause);
	if (rc < 0) {
		free(src->path);
		src->path = NULL;
	}
	return rc;
}

/*
 * Every line goes past the source's boot clock, which places loss reports
 * stamped only with an uptime; one that comes before its boot's first
 * pair of stamps is held back until it can be placed or the boot ends.
 */
int sl_source_next(struct sl_source *src, struct sl_record *rec, char **cause)
{
	int rc;

	for (;;) {
		if (sl_boot_clock_take(&src->clock, rec))
			return 1;
		if (src->ended)
			return 0;
		rc = src->ops->next(src, rec, cause);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			src->ended = true;
			sl_boot_clock_end(&src->clock);
			if (src->begins < 0 && src->clock.first_time >= 0)
				src->begins = src->clock.first_time;
			continue;
		}
		if (sl_boot_clock_feed(&src->clock, rec))
			return 1;
	}
}

void sl_source_close(struct sl_source *src)
{
	if (src->ops && src->path)
		src->ops->close(src);
	free(src->path);
	src->path = NULL;
}

static void sample(char *buf, size_t cap, size_t *n, const char *line, size_t len)
{
	*n = len < cap ? len : cap;
	memcpy(buf, line, *n);
}

/* Count what a parse gave: a record, a malformed line, an unknown layout. */
static int tally(struct sl_source *src, int rc, const char *line, size_t len,
		 struct sl_record *rec)
{
	struct sl_source_stats *st = &src->stats;
	const char *hint, *msg;

	if (rc > 0) {
		if (rec->kind == SL_REC_SECCOMP)
			st->records++;
		return 1;
	}
	if (rc < 0) {
		if (!st->malformed++)
			sample(st->first_bad, sizeof(st->first_bad), &st->first_bad_len, line, len);
	} else if (sl_record_unknown(line, len, &hint)) {
		/* of a journal entry, what tells most is its MESSAGE */
		msg = memmem(line, len, "MESSAGE", 7);
		if (msg && msg != line)
			len -= (size_t)(msg - line), line = msg;
		if (!st->unknown++)
			sample(st->first_unknown, sizeof(st->first_unknown),
			       &st->first_unknown_len, line, len);
		if (hint)
			st->unknown_hint = hint;
	}
	return 0;
}

int sl_source_parse_line(struct sl_source *src, const char *line, size_t len,
			 struct sl_record *rec)
{
	return tally(src, sl_record_parse(line, len, rec), line, len, rec);
}

int sl_source_parse_entry(struct sl_source *src, int form, const char *text, size_t len,
			  struct sl_record *rec)
{
	return tally(src, sl_journal_parse(form, text, len, rec), text, len, rec);
}

size_t sl_source_defaults(const char **paths, size_t max)
{
	static const char *const logs[] = { "/var/log/audit/audit.log", "/var/log/kern.log",
					    "/var/log/syslog" };
	size_t n = 0, i;

	for (i = 0; i < sizeof(logs) / sizeof(logs[0]) && n + 1 < max; i++) {
		/* kern.log and syslog hold the same kernel lines: one is enough */
		if (i == 2 && n && !strcmp(paths[n - 1], logs[1]))
			break;
		if (access(logs[i], F_OK) == 0)
			paths[n++] = logs[i];
	}
	/* without auditd, the newest records are in the ring, maybe not yet
	 * in any file; with auditd the ring has none and costs nothing */
	if (n < max)
		paths[n++] = "/dev/kmsg";
	return n;
}
