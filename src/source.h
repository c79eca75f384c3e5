/* source.h - every place records come from looks the same to a harvest */
#ifndef SL_SOURCE_H
#define SL_SOURCE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "boot-clock.h"
#include "record.h"

struct sl_source;

struct sl_source_stats {
	uint64_t bytes;		/* read from the source */
	uint64_t records;	/* SECCOMP records parsed */
	uint64_t malformed;	/* SECCOMP-looking lines that did not parse */
	uint64_t unknown;	/* lines that look like SECCOMP records in a
				 * layout seclog does not read */
	uint64_t overlong;	/* lines longer than the line limit, skipped */
	uint64_t lost;		/* records the source says it dropped */
	char first_bad[160];	/* start of the first malformed line (raw) */
	size_t first_bad_len;
	char first_unknown[160];	/* start of the first unknown-layout line */
	size_t first_unknown_len;
	const char *unknown_hint;	/* NULL or: which form to use instead */
	const char *note;	/* NULL or: a static sentence worth a -v line
				 * (netlink: its buffer could not be raised) */
};

struct sl_source_ops {
	const char *name;	/* "file", "kmsg", "netlink", "journal" */
	/* Kernel-made lines only (kmsg).  Informational: what a harvest
	 * trusts is decided per record, by rec->origin (record.h), since one
	 * file may hold kernel-made layouts and syslog text alike. */
	bool trusted;
	int (*open)(struct sl_source *src, char **cause);
	/*
	 * 1 = a record in *rec, 0 = end of input, -errno on error.  A live
	 * source (src->follow) never ends: with nothing to read yet it
	 * returns -EAGAIN, after setting src->fd (poll it for POLLIN) or
	 * src->wait_ms (call again after that long), and src->watermark.
	 */
	int (*next)(struct sl_source *src, struct sl_record *rec, char **cause);
	void (*close)(struct sl_source *src);
	/*
	 * Optional (--state): where to resume, as one line of text with no
	 * newline (e.g. "dev=2049 ino=131 off=8812 serial=42", a journal
	 * cursor), allocated; NULL when there is nothing to save.  The next
	 * run passes it back in src->resume before open().
	 */
	char *(*checkpoint)(struct sl_source *src);
};

struct sl_source {
	const struct sl_source_ops *ops;
	char *path;		/* as the user named it; "-" is stdin */
	struct sl_source_stats stats;
	void *priv;

	/* What part of time it holds (issue 7: a wrapped ring is a loss). */
	double begins;		/* its first line that carries a time; < 0: unknown */
	double ends;		/* a regular file's mtime; INFINITY: read up to now */
	struct sl_boot_clock clock;	/* places its uptime-only lines */
	size_t begin_scanned;	/* bytes looked at for the first time */
	uint64_t begin_upto;	/* input offset of the first line not looked at */
	bool begin_done, ended;

	/* Live reading (issue 8), set by the caller before open(): */
	bool follow;		/* at the end, wait for more (-EAGAIN), never 0 */
	bool from_start;	/* kmsg, journal: the oldest record held, not now */
	const char *resume;	/* a checkpoint() line of an earlier run, or NULL */
	/* ...and by the source when next() returns -EAGAIN: */
	int fd;			/* readable when there may be more; -1: none */
	int wait_ms;		/* with fd < 0: try again after this long */
	/* No record this source returns from now on is older than this
	 * (epoch seconds); -INFINITY: it cannot say.  Lets the time-ordered
	 * merge of several sources go on while one of them is quiet. */
	double watermark;

	/* Progress, for a caller that draws it (the library never prints): */
	uint64_t size;		/* bytes there are to read (a regular file read
				 * once, from where it starts); 0: not known */
	void (*on_read)(void *arg);	/* set after open(): called after each
					 * read of input, a file's chunk */
	void *on_read_arg;
};

extern const struct sl_source_ops sl_source_file_ops;
extern const struct sl_source_ops sl_source_kmsg_ops;
extern const struct sl_source_ops sl_source_netlink_ops;
extern const struct sl_source_ops sl_source_journal_ops;	/* stub without libsystemd */

/*
 * Set from a signal handler (SIGINT, SIGTERM, SIGHUP) to stop reading: a
 * source returns -EINTR at its next read, so the caller's cleanup (putting
 * lifted limits back) runs on its normal path, not in the handler.
 */
extern volatile sig_atomic_t sl_source_cancel;

/* Longest line a source keeps; longer lines are counted and skipped. */
#define SL_LINE_MAX (64 * 1024)

/*
 * Open a source by name: "-" is standard input, "/dev/kmsg" the kernel's
 * ring buffer (read to its current end), anything else a file, pipe or
 * FIFO read as a stream.  Returns 0 or -errno with *cause set.
 */
int sl_source_open(struct sl_source *src, const char *path, char **cause);

/* The kind of source a path names: kmsg for /dev/kmsg, else file. */
const struct sl_source_ops *sl_source_ops_of(const char *path);

/*
 * Open a source of a given kind (path: the file for file and kmsg, NULL
 * for netlink and journal), with flags SL_SOURCE_FOLLOW, _FROM_START and
 * a resume line (or NULL).  Returns 0 or -errno with *cause set.
 */
#define SL_SOURCE_FOLLOW 1u
#define SL_SOURCE_FROM_START 2u
int sl_source_open_ops(struct sl_source *src, const struct sl_source_ops *ops, const char *path,
		       unsigned int flags, const char *resume, char **cause);
int sl_source_next(struct sl_source *src, struct sl_record *rec, char **cause);
void sl_source_close(struct sl_source *src);

/*
 * Parse one line for a source: counts a malformed SECCOMP line in stats.
 * Returns 1 with a record, 0 otherwise.
 */
int sl_source_parse_line(struct sl_source *src, const char *line, size_t len,
			 struct sl_record *rec);

/*
 * Look for the source's first line that carries a time (any line) in
 * buf's complete lines (all of them at eof), until one is found or 256 KiB
 * were looked at: sets src->begins, or hands an uptime to its clock.
 * Sources call it on what they read while !src->begin_done.  Returns the
 * bytes looked at: buf's complete lines up to the one found.
 */
size_t sl_source_begin_scan(struct sl_source *src, const char *buf, size_t len, bool eof);

/*
 * Does some source hold time t: it began at or before t (its first timed
 * line) and was still written at t (a file's mtime; the ring and pipes
 * run to now)?  Read the sources to their ends first.
 */
bool sl_sources_cover(const struct sl_source *srcs, size_t n, double t);

/*
 * The same for a journal entry that spans lines (journalctl -o export,
 * verbose, json-pretty; form is an enum sl_jform).
 */
int sl_source_parse_entry(struct sl_source *src, int form, const char *text, size_t len,
			  struct sl_record *rec);

/*
 * Where the host writes SECCOMP records, for a harvest given no -f: auditd's
 * audit.log, rsyslog's kern.log (or syslog when there is no kern.log) where
 * they exist, and the kmsg ring.  Records found in several are counted once.
 * Fills up to max paths and returns how many.
 */
size_t sl_source_defaults(const char **paths, size_t max);

/*
 * --source auto: the best live source that works on this host, in this
 * order: netlink, journal, auditd's log_file (/etc/audit/auditd.conf),
 * kmsg, kern.log or syslog.  Opens it in src (follow and the flags as for
 * sl_source_open_ops) and returns 0; *why gets, allocated, one line per
 * better source that could not be used and why ("netlink: needs
 * CAP_AUDIT_READ").  -errno with *cause when none works.
 */
int sl_source_auto(struct sl_source *src, unsigned int flags, char **why, char **cause);

#endif
