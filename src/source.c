/* source.c - opening sources by name, and the line step they share */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "host-logs.h"
#include "journal.h"
#include "source.h"

volatile sig_atomic_t sl_source_cancel;

int sl_source_open_ops(struct sl_source *src, const struct sl_source_ops *ops, const char *path,
		       unsigned int flags, const char *resume, char **cause)
{
	int rc;

	memset(src, 0, sizeof(*src));
	/* netlink and journal have no path: their name stands for it */
	src->path = sl_xstrdup(path ? path : ops->name);
	src->begins = -1;
	src->ends = INFINITY;
	src->fd = -1;
	src->watermark = -INFINITY;
	src->follow = flags & SL_SOURCE_FOLLOW;
	src->from_start = flags & SL_SOURCE_FROM_START;
	src->resume = resume;
	sl_boot_clock_init(&src->clock);
	src->ops = ops;
	rc = ops->open(src, cause);
	if (rc < 0) {
		free(src->path);
		src->path = NULL;
	}
	return rc;
}

const struct sl_source_ops *sl_source_ops_of(const char *path)
{
	return strcmp(path, "/dev/kmsg") ? &sl_source_file_ops : &sl_source_kmsg_ops;
}

int sl_source_open(struct sl_source *src, const char *path, char **cause)
{
	return sl_source_open_ops(src, sl_source_ops_of(path), path, 0, NULL, cause);
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
		/* both calls are no-ops for a line with no uptime (audit.log's):
		 * not made for the bulk of a big file */
		if (src->clock.nout && sl_boot_clock_take(&src->clock, rec))
			return 1;
		if (src->ended)
			return 0;
		rc = src->ops->next(src, rec, cause);
		if (rc < 0)	/* -EAGAIN too: a live source has nothing yet */
			return rc;
		if (rc == 0) {
			src->ended = true;
			sl_boot_clock_end(&src->clock);
			if (src->begins < 0 && src->clock.first_time >= 0)
				src->begins = src->clock.first_time;
			continue;
		}
		if (rec->uptime < 0 || sl_boot_clock_feed(&src->clock, rec))
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

/* auditd's log_file (auditd.conf(5)), if an auditd writes it. */
static int auditd_log(char *path, size_t cap, char **cause)
{
	sl_auditd_log_file(path, cap);
	/* a log no auditd writes holds the past only */
	if (!sl_find_process("auditd"))
		return sl_fail(cause, -ENOENT, "no auditd runs");
	if (access(path, R_OK))
		return sl_fail(cause, -errno, "%s: %s", path, strerror(errno));
	return 0;
}

static void because(char **why, const char *name, const char *cause)
{
	char *w = NULL;

	if (asprintf(&w, "%s%s%s: %s", *why ? *why : "", *why ? "\n" : "", name, cause) < 0)
		return;
	free(*why);
	*why = w;
}

int sl_source_auto(struct sl_source *src, unsigned int flags, char **why, char **cause)
{
	static const char *const texts[] = { "/var/log/kern.log", "/var/log/syslog" };
	char path[PATH_MAX], *c = NULL;
	size_t i;

	*why = NULL;
	/* the socket holds no past: only a live harvest can use it */
	if (!(flags & SL_SOURCE_FOLLOW))
		because(why, "netlink", "holds no past records (it needs --follow)");
	else if (!sl_source_open_ops(src, &sl_source_netlink_ops, NULL, flags, NULL, &c))
		return 0;
	else
		because(why, "netlink", c);
	free(c);
	c = NULL;
	if (!sl_source_open_ops(src, &sl_source_journal_ops, NULL, flags, NULL, &c))
		return 0;
	because(why, "journal", c);
	free(c);
	c = NULL;
	if (!auditd_log(path, sizeof(path), &c) &&
	    !sl_source_open_ops(src, &sl_source_file_ops, path, flags, NULL, &c))
		return 0;
	because(why, "audit.log", c);
	free(c);
	c = NULL;
	if (!sl_source_open_ops(src, &sl_source_kmsg_ops, "/dev/kmsg", flags, NULL, &c))
		return 0;
	because(why, "kmsg", c);
	free(c);
	c = NULL;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		if (!sl_source_open_ops(src, &sl_source_file_ops, texts[i], flags, NULL, &c))
			return 0;
		because(why, texts[i], c);
		free(c);
		c = NULL;
	}
	return sl_fail(cause, -ENOENT, "no source of SECCOMP records can be read here");
}
