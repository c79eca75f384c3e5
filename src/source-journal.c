/*
 * source-journal.c - SECCOMP records from journald, through libsystemd's
 * sd-journal.  journald keeps a record from two transports: "audit" (it
 * reads the audit netlink multicast group, like the netlink source; no
 * printk rate limit) and "kernel" (its copy of the printk line, only when
 * auditd does not run, rate-limited by the kernel).  Each entry goes
 * through the parser of journalctl's export form (journal.c), so both
 * copies carry the same audit(SEC.MSEC:SERIAL) stamp and content, and the
 * harvest's dedupe counts the second as a copy (the two copies of a
 * record are near each other in the journal: at most the few hundred
 * records a socket buffer or the kmsg ring holds).
 *
 * Loss: the kernel transport's own loss reports (printk's "callbacks
 * suppressed", journald's "Missed N kernel messages") say the kernel
 * copies are incomplete, which costs no record while the audit transport
 * has them (journal-cover.c decides).  journald's per-unit rate limit ("Suppressed N messages from UNIT")
 * never applies to these two transports (no unit: measured, see
 * tests/cli/journal-root.sh) and is not a loss of records.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "source.h"

#ifdef HAVE_SYSTEMD

#include <endian.h>
#include <math.h>
#include <stdio.h>
#include <time.h>

#include <systemd/sd-journal.h>

#include "journal-cover.h"
#include "journal.h"
#include "kv.h"

/* journald's own messages (sd-messages.h: SD_MESSAGE_JOURNAL_MISSED) */
#define MSGID_MISSED "e9bf28e6e834481bb6f48f548ad13606"

/*
 * A loss report of the kernel transport waits this long (s) for the audit
 * copy of the record after it, which reaches journald through another
 * socket, a few ms apart; or until the journal has been idle for
 * IDLE_GRACE: journald then has written all it received.  (A followed
 * harvest ends after 0.2 s of quiet: a report still held then is lost.)
 */
#define COVER_GRACE 2.0
#define IDLE_GRACE 0.1

/*
 * A record's stamp is when the kernel made it; journald receives it later
 * (socket buffers, its own backlog after a burst: at most 0.3 s measured
 * here for bursts of 10,000 and 50,000 records).  So no record read later
 * is older than the receive time of the last one read, less this margin
 * (ten times that) and the lag of the latest records.
 */
#define WATERMARK_MARGIN 3.0

/* Every entry is rebuilt in journalctl's export form for journal.c. */
#define ENTRY_MAX (20 * 1024)

struct jpriv {
	sd_journal *j;
	int fd;			/* sd_journal_get_fd (follow) */
	char *cursor;		/* of the last entry read (or the start position) */
	bool skip_first;	/* resume: the entry at the cursor was read before */
	char *buf;		/* the entry, export form */
	size_t len;
	struct sl_jcover cover;	/* the kernel transport's loss reports */
	struct sl_jtwins twins;	/* copies far from their twins */
	bool gap;		/* resumed after entries since vacuumed: */
	struct sl_record gap_rec;	/* returned first */
	double idle_since;	/* CLOCK_MONOTONIC of the end reached; 0: reading */
	/* how late journald writes records (receive time - stamp) lately: a
	 * backlog drains in order, so this decays as journal time goes on */
	double lag, lag_at;
};

static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now_real(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The value of field key (no '='), or false when absent. */
static bool field(sd_journal *j, const char *key, const char **v, size_t *n)
{
	size_t kl = strlen(key), l;
	const void *d;

	if (sd_journal_get_data(j, key, &d, &l) < 0 || l <= kl)
		return false;
	*v = (const char *)d + kl + 1;
	*n = l - kl - 1;
	return true;
}

static bool field_is(sd_journal *j, const char *key, const char *want)
{
	const char *v;
	size_t n;

	return field(j, key, &v, &n) && n == strlen(want) && !memcmp(v, want, n);
}

/* Append "KEY\n<le64 size><value>\n" (export's binary-safe form). */
static bool put(struct jpriv *p, const char *key, const char *v, size_t n)
{
	size_t kl = strlen(key);
	uint64_t le = htole64((uint64_t)n);

	if (p->len + kl + 10 + n + 1 > ENTRY_MAX)
		return false;
	memcpy(p->buf + p->len, key, kl);
	p->buf[p->len + kl] = '\n';
	memcpy(p->buf + p->len + kl + 1, &le, 8);
	memcpy(p->buf + p->len + kl + 9, v, n);
	p->buf[p->len + kl + 9 + n] = '\n';
	p->len += kl + 10 + n;
	return true;
}

/*
 * The entry at the read position in export form, with the fields
 * journal.c reads: false when its MESSAGE is longer than any record.
 */
static bool build(struct jpriv *p, uint64_t rt)
{
	static const char *const keys[] = { "MESSAGE", "_TRANSPORT", "_AUDIT_ID",
					    "_SOURCE_REALTIME_TIMESTAMP",
					    "_SOURCE_MONOTONIC_TIMESTAMP", "SYSLOG_FACILITY" };
	const char *v;
	size_t i, n;
	int k;

	p->len = 0;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (field(p->j, keys[i], &v, &n) && !put(p, keys[i], v, n))
			return false;
	k = snprintf(p->buf + p->len, ENTRY_MAX - p->len, "__REALTIME_TIMESTAMP=%llu\n\n",
		     (unsigned long long)rt);
	if (k < 0 || (size_t)k >= ENTRY_MAX - p->len)
		return false;
	p->len += (size_t)k;
	return true;
}

static void loss_at(struct sl_record *rec, enum sl_loss why, uint64_t lost, uint64_t rt)
{
	memset(rec, 0, sizeof(*rec));
	rec->kind = SL_REC_LOSS;
	rec->loss = why;
	rec->lost = lost;
	rec->uptime = -1;
	rec->sec = (int64_t)(rt / 1000000);
	rec->msec = (uint32_t)(rt / 1000 % 1000);
	rec->has_time = true;
	rec->format = SL_FMT_JOURNAL_EXPORT;
	rec->origin = SL_ORIGIN_KERNEL;	/* journald's own entries: no client writes them */
}

/* journald's own words about what it lost: 1 with a loss in rec, else 0. */
static int journald_says(struct jpriv *p, uint64_t rt, struct sl_record *rec)
{
	uint64_t lost = 0;
	const char *v;
	size_t n, i;

	if (field_is(p->j, "_TRANSPORT", "driver") && field_is(p->j, "MESSAGE_ID", MSGID_MISSED) &&
	    field(p->j, "MESSAGE", &v, &n) && n > 7 && !memcmp(v, "Missed ", 7)) {
		/* the kmsg ring overwrote lines before journald read them */
		for (i = 7; i < n && i < 27 && v[i] >= '0' && v[i] <= '9'; i++)
			lost = lost * 10 + (uint64_t)(v[i] - '0');
		loss_at(rec, SL_LOSS_JOURNAL_KMSG, lost, rt);
		return 1;
	}
	/*
	 * systemd 252 stops reading its audit socket for good when it
	 * overflows (EPOLLERR; measured: a burst of 3,000 records here):
	 * after that only the printk path's copies reach the journal.
	 */
	if (field_is(p->j, "SYSLOG_IDENTIFIER", "systemd-journald") &&
	    field(p->j, "MESSAGE", &v, &n) &&
	    memmem(v, n, "Got invalid event from epoll for datagram fd", 44)) {
		loss_at(rec, SL_LOSS_JOURNAL_AUDIT, 0, rt);
		return 1;
	}
	return 0;
}

static int jfail(char **cause, int r, const char *what)
{
	return sl_fail(cause, r, "%s: %s", what, strerror(-r));
}

static int add_matches(sd_journal *j)
{
	int r;

	/* (_TRANSPORT=audit AND _AUDIT_TYPE=1326) OR _TRANSPORT=kernel OR
	 * (_TRANSPORT=driver AND MESSAGE_ID=missed) */
	if ((r = sd_journal_add_match(j, "_TRANSPORT=audit", 0)) < 0 ||
	    (r = sd_journal_add_match(j, "_AUDIT_TYPE=1326", 0)) < 0 ||
	    (r = sd_journal_add_disjunction(j)) < 0 ||
	    (r = sd_journal_add_match(j, "_TRANSPORT=kernel", 0)) < 0 ||
	    (r = sd_journal_add_disjunction(j)) < 0 ||
	    (r = sd_journal_add_match(j, "_TRANSPORT=driver", 0)) < 0 ||
	    (r = sd_journal_add_match(j, "MESSAGE_ID=" MSGID_MISSED, 0)) < 0)
		return r;
	return 0;
}

static void journal_close(struct sl_source *src)
{
	struct jpriv *p = src->priv;

	if (!p)
		return;
	sd_journal_close(p->j);
	sl_jtwins_free(&p->twins);
	free(p->cursor);
	free(p->buf);
	free(p);
	src->priv = NULL;
}

/* The realtime of a cursor's entry (its t=, hex µs); 0 if it has none. */
static uint64_t cursor_time(const char *cursor)
{
	const char *t = strstr(cursor, ";t=");
	uint64_t v = 0;
	int h;

	if (!t && !strncmp(cursor, "t=", 2))
		t = cursor - 1;
	if (!t)
		return 0;
	for (t += 3; (h = sl_hexval(*t)) >= 0 && v >> 60 == 0; t++)
		v = v << 4 | (uint64_t)h;
	return v;
}

/*
 * Where the first next() starts: after a cursor; following, now (or the
 * head with from_start); else the head: a harvest of what was written.
 */
static int position(struct sl_source *src, struct jpriv *p, char **cause)
{
	uint64_t from, to;
	int r;

	src->begins = now_real();
	if (src->resume) {
		r = sd_journal_seek_cursor(p->j, src->resume);
		if (r < 0)
			return sl_fail(cause, r, "journal cursor \"%s\" from the state: %s",
				       src->resume, strerror(-r));
		p->cursor = sl_xstrdup(src->resume);
		p->skip_first = true;
		/*
		 * The cursor's entry is older than any the journal holds:
		 * what came after it until then was vacuumed (or lived in a
		 * volatile journal of an earlier boot).
		 */
		if (sd_journal_get_cutoff_realtime_usec(p->j, &from, &to) > 0 &&
		    from > cursor_time(src->resume)) {
			loss_at(&p->gap_rec, SL_LOSS_JOURNAL_GAP, 0, from);
			p->gap = true;
		}
	} else if (src->from_start || !src->follow) {
		/* not following: what was written, as a file is read */
		r = sd_journal_seek_head(p->j);
		if (r < 0)
			return jfail(cause, r, "sd_journal_seek_head");
	} else {
		r = sd_journal_seek_tail(p->j);
		if (r < 0)
			return jfail(cause, r, "sd_journal_seek_tail");
		/* on the newest entry: next() gives the ones after it */
		r = sd_journal_previous(p->j);
		if (r < 0)
			return jfail(cause, r, "sd_journal_previous");
		if (r > 0 && sd_journal_get_cursor(p->j, &p->cursor) < 0)
			p->cursor = NULL;
		return 0;
	}
	/* what it holds begins with its oldest entry (vacuumed before that) */
	if (sd_journal_get_cutoff_realtime_usec(p->j, &from, &to) > 0)
		src->begins = (double)from / 1e6;
	return 0;
}

static int journal_open(struct sl_source *src, char **cause)
{
	struct jpriv *p = sl_xcalloc(1, sizeof(*p));
	int r;

	/*
	 * The system journal of this machine only: the audit and kernel
	 * transports are never in users' journals, and other machines'
	 * (journal-remote, containers) are not this kernel's records.
	 */
	r = sd_journal_open(&p->j, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
	if (r < 0) {
		free(p);
		return jfail(cause, r, "sd_journal_open");
	}
	src->priv = p;
	p->fd = -1;
	p->buf = sl_xmalloc(ENTRY_MAX);
	src->fd = -1;
	src->wait_ms = -1;
	src->watermark = -INFINITY;
	src->ends = INFINITY;
	src->begin_done = true;
	if ((r = add_matches(p->j)) < 0) {
		journal_close(src);
		return jfail(cause, r, "sd_journal_add_match");
	}
	if (src->follow) {
		/* before the first read: entries appended from now wake it */
		p->fd = sd_journal_get_fd(p->j);
		if (p->fd < 0) {
			r = p->fd;
			journal_close(src);
			return jfail(cause, r, "sd_journal_get_fd");
		}
	}
	r = position(src, p, cause);
	if (r < 0) {
		journal_close(src);
		return r;
	}
	/* sd-journal opens what it can read: none is a permission problem */
	if (sd_journal_has_persistent_files(p->j) <= 0 && sd_journal_has_runtime_files(p->j) <= 0) {
		journal_close(src);
		return sl_fail(cause, -EACCES, "no system journal file can be read here "
			       "(is journald running? reading it needs root or the "
			       "systemd-journal or adm group)");
	}
	return 0;
}

/*
 * No record read from now on is older than the receive time of the last
 * entry (or now, when idle) less the margin and journald's recent lag; nor
 * than a loss report held.
 */
static double lag_now(const struct jpriv *p, double t)
{
	double l = p->lag - (t - p->lag_at);

	return l > 0 ? l : 0;
}

static void watermark(struct sl_source *src, struct jpriv *p, double received)
{
	double w = received - WATERMARK_MARGIN - lag_now(p, received);

	if (p->cover.held && w > (double)p->cover.held_rec.sec)
		w = (double)p->cover.held_rec.sec;
	if (w > src->watermark)
		src->watermark = w;
}

/* The entry at the read position: 1 with rec, 0 when it holds none. */
static int entry(struct sl_source *src, struct jpriv *p, struct sl_record *rec, char **cause)
{
	uint64_t rt, mono, boot_key;
	sd_id128_t boot;
	bool audit;
	int r;

	r = sd_journal_get_realtime_usec(p->j, &rt);
	if (r < 0)
		return jfail(cause, r, "sd_journal_get_realtime_usec");
	r = sd_journal_get_monotonic_usec(p->j, &mono, &boot);
	if (r < 0)
		return jfail(cause, r, "sd_journal_get_monotonic_usec");
	audit = field_is(p->j, "_TRANSPORT", "audit");
	memcpy(&boot_key, boot.bytes, sizeof(boot_key));
	r = journald_says(p, rt, rec);
	if (!r) {
		if (!build(p, rt)) {
			src->stats.overlong++;
			return 0;
		}
		src->stats.bytes += p->len;
		r = sl_source_parse_entry(src, SL_J_EXPORT, p->buf, p->len, rec);
		if (r <= 0)
			return 0;
		/* the audit transport's: kernel copies of an old ring read at
		 * journald's start would say hours */
		if (audit && rec->kind == SL_REC_SECCOMP && rec->has_stamp) {
			double now = (double)rt / 1e6;
			double lag = now - ((double)rec->sec + rec->msec / 1e3);

			if (lag < lag_now(p, now))
				lag = lag_now(p, now);
			p->lag = lag;
			p->lag_at = now;
		}
	}
	r = sl_jcover_feed(&p->cover, rec, audit, boot_key, now_mono()) ? 1 : 0;
	/* the second copy of a record, too far from the first for the dedupe */
	if (r && rec->kind == SL_REC_SECCOMP && rec->has_stamp && rec->origin == SL_ORIGIN_KERNEL &&
	    sl_jtwins_far(&p->twins, audit, rec->serial, boot_key))
		r = 0;
	/* no record read later was received before this one */
	watermark(src, p, (double)rt / 1e6);
	return r;
}

static int journal_next(struct sl_source *src, struct sl_record *rec, char **cause)
{
	struct jpriv *p = src->priv;
	uint64_t t;
	int r;

	for (;;) {
		if (sl_source_cancel)
			return sl_fail(cause, -EINTR, "interrupted");
		if (p->gap) {
			*rec = p->gap_rec;
			p->gap = false;
			return 1;
		}
		if (sl_jcover_take(&p->cover, rec))
			return 1;
		r = sd_journal_next(p->j);
		if (r < 0)
			return jfail(cause, r, "sd_journal_next");
		if (r > 0) {
			p->idle_since = 0;
			free(p->cursor);
			p->cursor = NULL;
			if (sd_journal_get_cursor(p->j, &p->cursor) < 0)
				p->cursor = NULL;
			if (p->skip_first) {
				p->skip_first = false;
				/* seek_cursor lands on the entry itself if it is
				 * still there, else on the one after it */
				if (src->resume && sd_journal_test_cursor(p->j, src->resume) > 0)
					continue;
			}
			r = entry(src, p, rec, cause);
			if (r != 0)
				return r;
			continue;
		}
		p->skip_first = false;
		/* the end of what the journal holds now */
		if (!src->follow) {
			sl_jcover_flush(&p->cover, true, 0, 0);
			if (p->cover.ready)
				continue;
			return 0;
		}
		r = sd_journal_process(p->j);
		if (r < 0)
			return jfail(cause, r, "sd_journal_process");
		if (r != SD_JOURNAL_NOP)
			continue;	/* appended, or files came and went */
		if (!p->idle_since)
			p->idle_since = now_mono();
		if (now_mono() - p->idle_since >= IDLE_GRACE)
			sl_jcover_flush(&p->cover, true, 0, 0);
		else
			sl_jcover_flush(&p->cover, false, now_mono(), COVER_GRACE);
		if (p->cover.ready)
			continue;
		src->fd = p->fd;
		src->wait_ms = -1;
		if (sd_journal_get_timeout(p->j, &t) >= 0 && t != (uint64_t)-1) {
			struct timespec ts;
			uint64_t now;

			clock_gettime(CLOCK_MONOTONIC, &ts);
			now = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
			src->wait_ms = t > now ? (int)((t - now + 999) / 1000) : 0;
		}
		if (p->cover.held) {
			int left = (int)((IDLE_GRACE - (now_mono() - p->idle_since)) * 1000) + 1;

			if (src->wait_ms < 0 || left < src->wait_ms)
				src->wait_ms = left;
		}
		/*
		 * Idle: journald writes what it receives within milliseconds,
		 * and a record it is still to write was made no earlier than
		 * the margin before now (see WATERMARK_MARGIN).
		 */
		watermark(src, p, now_real());
		return -EAGAIN;
	}
}

static char *journal_checkpoint(struct sl_source *src)
{
	struct jpriv *p = src->priv;

	return p && p->cursor ? sl_xstrdup(p->cursor) : NULL;
}

#else /* !HAVE_SYSTEMD */

static int journal_open(struct sl_source *src, char **cause)
{
	return sl_fail(cause, -ENOTSUP,
		       "seclog was built without libsystemd (configure --with-systemd)");
}

static int journal_next(struct sl_source *src, struct sl_record *rec, char **cause)
{
	return 0;
}

static void journal_close(struct sl_source *src)
{
}

static char *journal_checkpoint(struct sl_source *src)
{
	return NULL;
}

#endif

const struct sl_source_ops sl_source_journal_ops = {
	.name = "journal",
	.trusted = true,
	.open = journal_open,
	.next = journal_next,
	.close = journal_close,
	.checkpoint = journal_checkpoint,
};
