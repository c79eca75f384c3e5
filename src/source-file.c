/*
 * source-file.c - records from a log file, pipe or FIFO, read as a stream
 * in fixed-size chunks: memory stays constant whatever the file size.  Only
 * the lines around a "SECCOMP"/"type=1326" marker are parsed; the rest is
 * a memmem scan, which is what keeps a harvest near grep's speed.  Journal
 * exports (and -o verbose, json-pretty) are walked entry by entry instead,
 * and ausearch --format text, which has no marker, line by line: those
 * are never the big inputs.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "journal.h"
#include "source.h"

#define CHUNK (256 * 1024)
/*
 * What is kept before the read position, for journal entries that span
 * lines (export, verbose, json-pretty): the start of the entry a marker is
 * in.  The read position never passes a line not looked at yet, so the
 * SL_LINE_MAX bytes before any marker line are always in the buffer, and
 * an entry's start is looked for there only (entry()), whatever the reads.
 */
#define HIST SL_LINE_MAX
#define BUFSZ (HIST + CHUNK + SL_LINE_MAX + 1)
/* bytes of a skipped line kept for the next scan: a marker ("SECCOMP")
 * that a read splits is still seen */
#define MARK_KEEP 6
/* bytes that tell an input's form (journal entries, ausearch text) */
#define SNIFF_LEN 4096

struct file_priv {
	int fd;
	bool eof;
	bool skipping;		/* inside an overlong line: drop to its end */
	bool skip_marked;	/* ... and it has a marker: count it at its end */
	bool started;		/* the first read is done */
	bool dropped;		/* buf[0] is no longer the input's first byte */
	enum sl_jform walk;	/* the input is entries of this form: walk them */
	bool every_line;	/* ausearch text: no marker, look at each line */
	char *buf;
	size_t pos, len;	/* unread bytes are buf[pos, len) */
	size_t stop;		/* end of buf's complete lines; 0: not found yet
				 * (once per read, not once per record) */
};

static int file_open(struct sl_source *src, char **cause)
{
	struct file_priv *f = sl_xcalloc(1, sizeof(*f));
	struct stat st;

	if (!strcmp(src->path, "-")) {
		f->fd = STDIN_FILENO;
	} else {
		f->fd = open(src->path, O_RDONLY | O_CLOEXEC);
		if (f->fd < 0) {
			int err = -errno;

			free(f);
			return sl_fail(cause, err, "%s", strerror(-err));
		}
		posix_fadvise(f->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	}
	/* a file holds nothing later than its last write; a pipe runs to now */
	if (fstat(f->fd, &st) == 0 && S_ISREG(st.st_mode))
		src->ends = (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec / 1e9;
	f->buf = sl_xmalloc(BUFSZ);
	src->priv = f;
	return 0;
}

/*
 * What the first bytes say about the whole input: journal entries that
 * span lines (their first lines are fields), or ausearch --format text,
 * whose lines hold no marker the scan looks for.
 */
static void sniff(struct file_priv *f)
{
	size_t len = f->len < SNIFF_LEN ? f->len : SNIFF_LEN;
	const char *p = f->buf, *end = f->buf + len, *nl;
	enum sl_jform form[2] = { SL_J_NONE, SL_J_NONE };
	int i;

	for (i = 0; i < 2 && p < end; i++, p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		form[i] = sl_journal_line_form(p, (size_t)(nl - p));
	}
	/* export starts with a field; verbose and json-pretty with a line
	 * of their own ("DATE [cursor]", "{") and then fields */
	if (form[0] == SL_J_EXPORT)
		f->walk = SL_J_EXPORT;
	else if (form[1] == SL_J_VERBOSE || form[1] == SL_J_PRETTY)
		f->walk = form[1];
	/* ausearch --format text: "At 14:03:22 12/01/26 system, acting as ..." */
	if (len > 3 && !memcmp(f->buf, "At ", 3) &&
	    memmem(f->buf, len, "called-seccomp-controlled-syscall", 33))
		f->every_line = true;
}

/*
 * Input that is journal entries from its start: walked entry by entry, so
 * that a binary field holding blank lines or marker text stays inside its
 * entry.  1 = a record, 0 = go on, -EAGAIN = read more first.
 */
static int walk(struct sl_source *src, struct file_priv *f, struct sl_record *rec)
{
	const char *data = f->buf + f->pos, *bend = f->buf + f->len, *end;
	int rc;

	while (data < bend && *data == '\n')
		data++;	/* blank lines between entries */
	f->pos = (size_t)(data - f->buf);
	if (data == bend)
		return f->eof ? 0 : -EAGAIN;
	rc = sl_journal_entry_end(f->walk, data, bend, f->eof, &end);
	if (rc < 0 || (rc > 0 && end <= data)) {
		/* not an entry: another log follows; scan it line by line */
		f->walk = SL_J_NONE;
		return 0;
	}
	/*
	 * An entry too long to hold: go on line by line from it.  Whether
	 * its end is in the buffer yet must not matter (that depends on how
	 * reads split the input), so a complete one goes the same way.
	 */
	if ((rc == 0 && bend - data > SL_LINE_MAX) || (rc > 0 && end - data > SL_LINE_MAX)) {
		f->walk = SL_J_NONE;
		return 0;
	}
	if (rc == 0)
		return -EAGAIN;
	f->pos = (size_t)(end - f->buf);
	if (!sl_record_scan(data, (size_t)(end - data)))
		return 0;
	return sl_source_parse_entry(src, f->walk, data, (size_t)(end - data), rec);
}

/* Move the unread tail to the front and read more; 0 at EOF. */
static ssize_t refill(struct sl_source *src, struct file_priv *f)
{
	/* kept whatever the input looked like so far: the first entry's start
	 * must be there as surely as a later one's */
	size_t keep = f->pos < HIST ? f->pos : HIST;
	ssize_t n;

	f->stop = 0;
	if (f->pos > keep) {
		memmove(f->buf, f->buf + f->pos - keep, f->len - f->pos + keep);
		f->len -= f->pos - keep;
		f->pos = keep;
		f->dropped = true;
	}
	do {
		if (sl_source_cancel) {
			errno = EINTR;
			return -1;
		}
		n = read(f->fd, f->buf + f->len, BUFSZ - f->len);
	} while (n < 0 && errno == EINTR);
	if (n > 0) {
		f->len += (size_t)n;
		src->stats.bytes += (uint64_t)n;
	}
	/* the input's form is told from its first SNIFF_LEN bytes, the same
	 * however a pipe delivers them: read on until there are that many */
	if (!f->started && n > 0 && f->len < SNIFF_LEN) {
		ssize_t more = refill(src, f);

		return more < 0 ? more : n + more;
	}
	if (!f->started && n >= 0) {
		f->started = true;
		sniff(f);
	}
	if (n >= 0 && !src->begin_done) {
		/* from the first line not looked at yet (journal entries may
		 * leave whole lines unread here) */
		uint64_t base = src->stats.bytes - f->len;
		size_t from = src->begin_upto > base + f->pos ? (size_t)(src->begin_upto - base) :
			      f->pos;

		src->begin_upto = base + from +
				  sl_source_begin_scan(src, f->buf + from, f->len - from, n == 0);
	}
	return n;
}

/*
 * A marker in a journal entry of several lines: parse the whole entry
 * once.  1 = a record in *rec, 0 = go on, -EAGAIN = read more first.
 */
static int entry(struct sl_source *src, struct file_priv *f, enum sl_jform form,
		 const char *line, const char *eol, struct sl_record *rec)
{
	const char *start, *end, *from = f->buf;
	bool from_start = !f->dropped;
	int rc;

	/*
	 * Its start is looked for in the SL_LINE_MAX bytes before the line
	 * only: those are in the buffer however reads split the input (HIST),
	 * and an entry that starts before them is too long anyway.
	 */
	if (line - f->buf >= SL_LINE_MAX) {
		from = line - SL_LINE_MAX;
		from_start = from_start && from == f->buf;
	}
	rc = sl_journal_entry_bounds(form, from, f->len - (size_t)(from - f->buf), line, from_start,
				     f->eof, &start, &end);
	if (rc == 0 && f->len - (size_t)(line - f->buf) <= SL_LINE_MAX) {
		f->pos = (size_t)(line - f->buf);
		return -EAGAIN;
	}
	if (rc > 0 && end < eol) {
		/* an entry that ends before the line's own end does not hold
		 * it (broken input): the line stands alone, and the read
		 * position never goes back */
		f->pos = (size_t)(eol - f->buf);
		return sl_source_parse_line(src, line, (size_t)(eol - line), rec);
	}
	if (rc <= 0 || end - start > SL_LINE_MAX) {
		/* an entry too long to hold: drop the line that has the marker */
		src->stats.overlong++;
		f->pos = (size_t)(eol - f->buf);
		return 0;
	}
	f->pos = (size_t)(end - f->buf);
	/* from here on, walk the entries: a binary field may hold lines */
	f->walk = form;
	return sl_source_parse_entry(src, form, start, (size_t)(end - start), rec);
}

/*
 * Where the line holding m starts; data starts a line and stop - data bytes
 * are readable.  In a dense log m is a few bytes in: one word tells there
 * is no newline before it, no call.
 */
static const char *line_start(const char *data, const char *m, const char *stop)
{
	const uint64_t ones = 0x0101010101010101ULL;
	size_t n = (size_t)(m - data);
	uint64_t w, x;
	const char *nl;

	if (n <= 8 && stop - data >= 8) {
		memcpy(&w, data, sizeof(w));
		x = w ^ ('\n' * ones);
		/* a zero byte of x is a newline; only the first n bytes count
		 * (lower bytes first on a little-endian host, else the loop) */
		x = (x - ones) & ~x & (ones << 7);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		if (!n || !(x & (n >= 8 ? ~0ULL : (1ULL << (8 * n)) - 1)))
			return data;
#endif
	}
	nl = n ? memrchr(data, '\n', n) : NULL;
	return nl ? nl + 1 : data;
}

static int file_next(struct sl_source *src, struct sl_record *rec, char **cause)
{
	struct file_priv *f = src->priv;

	for (;;) {
		char *data = f->buf + f->pos, *stop, *last_nl;
		size_t avail = f->len - f->pos, len;
		const char *m;
		ssize_t n;

		if (f->walk && !f->skipping) {
			int rc = walk(src, f, rec);

			if (rc > 0)
				return 1;
			if (rc == 0 && (f->pos < f->len || !f->eof))
				continue;
			if (rc == 0)
				return 0;
			/* -EAGAIN: read on */
		} else if (f->skipping) {
			char *nl = memchr(data, '\n', avail);

			/* overlong counts lines that may hold a record, as when
			 * the whole line is in the buffer: the count must not
			 * depend on where reads split the stream (ausearch text:
			 * every line is looked at, marker or not) */
			if (f->every_line || sl_record_scan(data, nl ? (size_t)(nl - data) : avail))
				f->skip_marked = true;
			if (nl || f->eof) {
				src->stats.overlong += f->skip_marked;
				f->skipping = false;
				f->pos = nl ? (size_t)(nl + 1 - f->buf) : f->len;
				continue;
			}
			f->pos = avail > MARK_KEEP ? f->len - MARK_KEEP : f->pos;
		} else {
			/* only complete lines are scanned; at EOF the last one too */
			if (!f->stop) {
				last_nl = avail ? memrchr(data, '\n', avail) : NULL;
				stop = last_nl ? last_nl + 1 : (f->eof ? data + avail : data);
				f->stop = (size_t)(stop - f->buf);
			}
			stop = f->buf + f->stop;
			/* a dense audit.log: a record on nearly every line,
			 * read as the line's end is looked for */
			if (stop > data && !f->every_line &&
			    sl_record_parse_next(data, (size_t)(stop - data), rec, &len)) {
				f->pos = (size_t)(data + len + (data + len < stop) - f->buf);
				if (len > SL_LINE_MAX) {
					src->stats.overlong++;
					continue;
				}
				src->stats.records++;
				return 1;
			}
			if (stop > data) {
				m = f->every_line ? data : sl_record_scan(data, (size_t)(stop - data));
				if (m) {
					const char *start = line_start(data, m, stop);
					const char *end = memchr(m, '\n', (size_t)(stop - m));
					const char *eol;
					enum sl_jform form;
					int rc;

					if (!end)
						end = stop;
					eol = end + (end < stop);
					f->pos = (size_t)(eol - f->buf);
					if ((size_t)(end - start) > SL_LINE_MAX) {
						src->stats.overlong++;
						continue;
					}
					form = sl_journal_line_form(start, (size_t)(end - start));
					if (form == SL_J_NONE) {
						if (sl_source_parse_line(src, start, (size_t)(end - start),
									 rec))
							return 1;
						continue;
					}
					rc = entry(src, f, form, start, eol, rec);
					if (rc > 0)
						return 1;
					if (rc == 0)
						continue;
					/* -EAGAIN: the entry's end is not read yet */
				} else {
					f->pos = (size_t)(stop - f->buf);
					continue;
				}
			} else if (f->eof) {
				return 0;
			} else if (avail > SL_LINE_MAX) {
				/*
				 * More than a whole line's worth and no newline: drop
				 * that line.  Not at SL_LINE_MAX itself: a line of
				 * exactly that length whose newline has not been read
				 * yet must be kept, wherever a read() split it.
				 */
				f->skipping = true;
				f->skip_marked = false;
				continue;
			}
		}
		if (f->eof)
			return 0;
		n = refill(src, f);
		if (n < 0)
			return sl_fail(cause, -errno, "read: %s", strerror(errno));
		if (n == 0) {
			f->eof = true;
			f->stop = 0;	/* the last line needs no newline */
		}
	}
}

static void file_close(struct sl_source *src)
{
	struct file_priv *f = src->priv;

	if (!f)
		return;
	if (f->fd != STDIN_FILENO)
		close(f->fd);
	free(f->buf);
	free(f);
	src->priv = NULL;
}

const struct sl_source_ops sl_source_file_ops = {
	.name = "file",
	.trusted = false,	/* a file may hold syslog text anyone can write */
	.open = file_open,
	.next = file_next,
	.close = file_close,
};
