/*
 * source-file.c - records from a log file, pipe or FIFO, read as a stream
 * in fixed-size chunks: memory stays constant whatever the file size.  Only
 * the lines around a "SECCOMP"/"type=1326" marker are parsed; the rest is
 * a memmem scan, which is what keeps a harvest near grep's speed.  Journal
 * exports (and -o verbose, json-pretty) are walked entry by entry instead,
 * and ausearch --format text, which has no marker, line by line: those
 * are never the big inputs.
 *
 * Following (src->follow) a file is tail -F's job: at its end wait on
 * inotify, and when the name moves on (rotation.h) read the old file to
 * its end before the next one.  Resuming (src->resume) starts the same
 * chain of files from a checkpoint.  Neither touches the path of a plain
 * read but for a branch per read().
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "journal.h"
#include "rotation.h"
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
/*
 * A followed file that has nothing more yet will still get records stamped
 * up to this long ago: auditd and rsyslog write a record within
 * milliseconds of its stamp, but a burst that fills the kernel's backlog
 * queue holds records back for seconds before any daemon sees them.
 */
#define FOLLOW_MARGIN 5.0
/* without inotify (no more instances), look again this often */
#define POLL_MS 250
/* files read one after the other: a rotated one, those rotated since, the
 * current one */
#define CHAIN_MAX 16

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

	/* following (src->follow) and resuming (src->resume) */
	bool regular;		/* a regular file named by a path (not stdin) */
	bool live;		/* follow it: at its end wait, never end */
	bool pipe_live;		/* follow a pipe: poll before each read */
	bool settling;		/* another file took the name, empty yet */
	uint64_t off;		/* offset in the current file of buf[len] */
	struct sl_file_mark mark;	/* dev, ino, head of the current file */
	int chain[CHAIN_MAX];	/* files to read after this one, in order */
	uint64_t chain_from[CHAIN_MAX];
	size_t nchain;
	int ino_fd, wd;		/* inotify: the file (wd) and its directory */
	bool gap;		/* the resume lost its place: say so */
};

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) != 0;	/* also an error: let read() say it */
}

/* Read the current file from offset from on: its mark is taken anew. */
static void start_file(struct file_priv *f, const struct stat *st, uint64_t from)
{
	char head[SL_HEAD_MAX];
	size_t n = from < SL_HEAD_MAX ? (size_t)from : SL_HEAD_MAX;
	ssize_t got = 0;

	f->mark.dev = (uint64_t)st->st_dev;
	f->mark.ino = (uint64_t)st->st_ino;
	f->mark.head = SL_HEAD_INIT;
	f->mark.head_n = 0;
	/* refill() hashes the first bytes as it reads them; those skipped
	 * here are hashed now */
	if (n)
		got = pread(f->fd, head, n, 0);
	if (got > 0) {
		f->mark.head = sl_head_hash(SL_HEAD_INIT, head, (size_t)got);
		f->mark.head_n = (size_t)got;
	}
	f->off = from;
	lseek(f->fd, (off_t)from, SEEK_SET);	/* a reused fd may be anywhere */
}

/* The buffer held another file's bytes (or a truncated file's). */
static void forget_buffer(struct file_priv *f)
{
	f->pos = f->len = f->stop = 0;
	f->eof = f->skipping = f->dropped = false;
}

/* Watch the current file, and its directory for a new file at its name. */
static void watch(struct sl_source *src, struct file_priv *f)
{
	char proc[64], *dir, *slash;
	int wd;

	if (f->ino_fd < 0) {
		f->ino_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (f->ino_fd < 0)
			return;	/* polling (wait_ms) then */
		dir = sl_xstrdup(src->path);
		slash = strrchr(dir, '/');
		if (slash)
			slash[slash == dir] = '\0';
		wd = inotify_add_watch(f->ino_fd, slash ? dir : ".",
				       IN_CREATE | IN_MOVED_TO | IN_ONLYDIR);
		free(dir);
		if (wd < 0)
			goto fail;
	}
	if (f->wd >= 0)
		inotify_rm_watch(f->ino_fd, f->wd);
	/* the open file itself, not whatever has its name by now */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", f->fd);
	f->wd = inotify_add_watch(f->ino_fd, proc,
				  IN_MODIFY | IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF);
	if (f->wd < 0)
		f->wd = inotify_add_watch(f->ino_fd, src->path,
					  IN_MODIFY | IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF);
	if (f->wd >= 0)
		return;
fail:
	close(f->ino_fd);
	f->ino_fd = f->wd = -1;
}

/* Empty the inotify queue; were there events? */
static bool drain(struct file_priv *f)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool any = false;

	while (f->ino_fd >= 0 && read(f->ino_fd, buf, sizeof(buf)) > 0)
		any = true;
	return any;
}

static int wait_more(struct sl_source *src, struct file_priv *f, int fd)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	src->watermark = (double)now.tv_sec + now.tv_nsec / 1e9 - FOLLOW_MARGIN;
	if (fd < 0 && !f->settling)
		fd = f->ino_fd;
	/*
	 * While a new file with the name is empty, the writer may still write
	 * the old one (logrotate's create before the daemon reopens), and
	 * only a look at the name tells when it moved on: poll.
	 */
	src->fd = fd;
	src->wait_ms = fd >= 0 ? -1 : POLL_MS;
	return -EAGAIN;
}

static void chain_add(struct file_priv *f, size_t at, int fd, uint64_t from)
{
	if (f->nchain == CHAIN_MAX) {
		close(fd);
		return;
	}
	memmove(f->chain + at + 1, f->chain + at, (f->nchain - at) * sizeof(*f->chain));
	memmove(f->chain_from + at + 1, f->chain_from + at,
		(f->nchain - at) * sizeof(*f->chain_from));
	f->chain[at] = fd;
	f->chain_from[at] = from;
	f->nchain++;
}

/* Move on to the next file of the chain. */
static void next_file(struct sl_source *src, struct file_priv *f)
{
	uint64_t from = f->chain_from[0];
	struct stat st;

	close(f->fd);
	f->fd = f->chain[0];
	f->nchain--;
	memmove(f->chain, f->chain + 1, f->nchain * sizeof(*f->chain));
	memmove(f->chain_from, f->chain_from + 1, f->nchain * sizeof(*f->chain_from));
	if (fstat(f->fd, &st))
		memset(&st, 0, sizeof(st));
	forget_buffer(f);
	start_file(f, &st, from);
	if (f->live && !f->nchain)
		watch(src, f);
}

/*
 * The file is shorter than what was read of it, or starts with other bytes:
 * truncated (copytruncate, or "> file").  When the copy is beside it, it is
 * the same bytes as far as they were read: read on in it from there (the
 * partial line in the buffer goes on in it too), then this file from its
 * start.  Without a copy the partial line's rest is gone: drop it.
 */
static void truncated(struct sl_source *src, struct file_priv *f)
{
	struct sl_file_mark m = f->mark;
	struct stat cs;
	int copy;

	m.off = f->off;
	copy = sl_rotation_find(src->path, &m, true, &cs);
	if (copy >= 0 && (uint64_t)cs.st_size > f->off) {
		chain_add(f, 0, f->fd, 0);
		f->fd = copy;
		lseek(copy, (off_t)f->off, SEEK_SET);
		f->mark.dev = (uint64_t)cs.st_dev;
		f->mark.ino = (uint64_t)cs.st_ino;
		return;
	}
	if (copy >= 0)
		close(copy);
	forget_buffer(f);
	lseek(f->fd, 0, SEEK_SET);
	f->off = 0;
	f->mark.head = SL_HEAD_INIT;
	f->mark.head_n = 0;
}

/*
 * Another file has the name and the writer uses it: this one is final.  Read
 * it to its end, then any rotated since (a reader that lagged behind two
 * rotations), then the new one from its start.
 */
static void rotated(struct sl_source *src, struct file_priv *f, const struct stat *old, int fd)
{
	int fds[CHAIN_MAX - 1];
	struct stat st;
	size_t k, i;

	if (fstat(fd, &st)) {
		close(fd);
		return;
	}
	k = sl_rotation_after(src->path, old, &st, fds, CHAIN_MAX - 1);
	for (i = 0; i < k; i++)
		chain_add(f, f->nchain, fds[i], 0);
	chain_add(f, f->nchain, fd, 0);
}

/*
 * A followed file read to its end: truncated, rotated, or just not written
 * yet?  0 = read again, -EAGAIN = wait (src->fd, wait_ms, watermark set).
 */
static int follow_idle(struct sl_source *src, struct file_priv *f, char **cause)
{
	struct stat st, sp;
	int fd;

	/* events since the last look: what they announced may be unread */
	if (drain(f))
		return 0;
	if (fstat(f->fd, &st))
		return sl_fail(cause, -errno, "fstat: %s", strerror(errno));
	if ((uint64_t)st.st_size < f->off || !sl_file_head_is(f->fd, &f->mark)) {
		truncated(src, f);
		return 0;
	}
	f->settling = false;
	fd = open(src->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return wait_more(src, f, -1);	/* renamed, no new file yet */
	if (fstat(fd, &sp) || (sp.st_dev == st.st_dev && sp.st_ino == st.st_ino) ||
	    !S_ISREG(sp.st_mode)) {
		close(fd);
		return wait_more(src, f, -1);
	}
	/* a new file and nothing in it: the writer may not have moved on yet */
	if (!sp.st_size && st.st_nlink) {
		close(fd);
		f->settling = true;
		return wait_more(src, f, -1);
	}
	rotated(src, f, &st, fd);
	return 0;
}

/*
 * Start where an earlier run stopped (its checkpoint()): in the file at
 * the path when it is still the one (then it must not be shorter), else in
 * the rotated file that is, then those rotated since, then the one at the
 * path from its start.  When the file it stopped in is gone, read the one
 * at the path from its start and say that records may be missing (a loss
 * record: the result is incomplete).
 */
static int resume(struct sl_source *src, struct file_priv *f, const struct stat *st,
		  char **cause)
{
	struct sl_file_mark m;
	bool same;
	struct stat os;
	int old;

	if (sl_file_mark_parse(src->resume, &m))
		return sl_fail(cause, -EINVAL, "not a checkpoint of a file: '%s'", src->resume);
	same = (uint64_t)st->st_ino == m.ino && ((uint64_t)st->st_dev == m.dev || m.head_n);
	if (same && (uint64_t)st->st_size >= m.off && sl_file_head_is(f->fd, &m)) {
		start_file(f, st, m.off);
		return 0;
	}
	/* truncated since: look for its copy; rotated: for it */
	old = sl_rotation_find(src->path, &m, same, &os);
	if (old >= 0 && (uint64_t)os.st_size >= m.off) {
		if (!same) {
			int fds[CHAIN_MAX - 1];
			size_t k = sl_rotation_after(src->path, &os, st, fds, CHAIN_MAX - 1), i;

			for (i = 0; i < k; i++)
				chain_add(f, f->nchain, fds[i], 0);
		}
		chain_add(f, f->nchain, f->fd, 0);
		f->fd = old;
		start_file(f, &os, m.off);
		return 0;
	}
	if (old >= 0)
		close(old);
	f->gap = true;	/* said by a loss record, first thing */
	return 0;
}

static void file_close(struct sl_source *src);

static int file_open(struct sl_source *src, char **cause)
{
	struct file_priv *f = sl_xcalloc(1, sizeof(*f));
	struct stat st;
	bool reg;

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
	reg = fstat(f->fd, &st) == 0 && S_ISREG(st.st_mode);
	if (reg)
		src->ends = (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec / 1e9;
	f->buf = sl_xmalloc(BUFSZ);
	f->ino_fd = f->wd = -1;
	src->fd = -1;
	src->watermark = -INFINITY;
	src->priv = f;
	/* standard input has no name to follow: a file there is read to its
	 * end; a pipe follows itself: read it until its writer closes it */
	f->regular = reg && f->fd != STDIN_FILENO;
	if (!f->regular) {
		f->pipe_live = src->follow && !reg;
		if (reg && !src->follow) {	/* < FILE: from where it stands */
			off_t at = lseek(f->fd, 0, SEEK_CUR);

			if (at >= 0 && st.st_size > at)
				src->size = (uint64_t)(st.st_size - at);
		}
		return 0;
	}
	start_file(f, &st, 0);
	if (src->resume) {
		int rc = resume(src, f, &st, cause);

		if (rc) {
			file_close(src);
			return rc;
		}
	}
	/* the bytes from the read position to the end, for a progress line:
	 * none known for a chain of files or a followed one */
	if (!src->follow && !f->nchain && (uint64_t)st.st_size > f->off)
		src->size = (uint64_t)st.st_size - f->off;
	if (src->follow) {
		f->live = true;
		src->ends = INFINITY;
		if (!f->nchain)
			watch(src, f);
	}
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
	/*
	 * A followed file truncated and written again past the read position
	 * since the last look (copytruncate while we lagged): what was just
	 * read is the new content's middle.  Its first bytes tell; then take
	 * the read back, and follow_idle() sees the truncation.
	 */
	if (n > 0 && f->live && f->mark.head_n && !sl_file_head_is(f->fd, &f->mark)) {
		lseek(f->fd, (off_t)f->off, SEEK_SET);
		n = 0;
	}
	if (n > 0) {
		/* the first bytes tell the file again (rotation.h) */
		if (f->mark.head_n < SL_HEAD_MAX && f->off == f->mark.head_n && f->regular) {
			size_t k = SL_HEAD_MAX - f->mark.head_n;

			k = (size_t)n < k ? (size_t)n : k;
			f->mark.head = sl_head_hash(f->mark.head, f->buf + f->len, k);
			f->mark.head_n += k;
		}
		f->off += (uint64_t)n;
		f->len += (size_t)n;
		src->stats.bytes += (uint64_t)n;
		if (src->on_read)
			src->on_read(src->on_read_arg);
	}
	/* the input's form is told from its first SNIFF_LEN bytes, the same
	 * however a pipe delivers them: read on until there are that many
	 * (a followed pipe: those there are, not waiting for more) */
	if (!f->started && n > 0 && f->len < SNIFF_LEN && !(f->pipe_live && !readable(f->fd))) {
		ssize_t more = refill(src, f);

		return more < 0 ? more : n + more;
	}
	if (!f->started && n >= 0 && (f->len || !f->live)) {
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
				  sl_source_begin_scan(src, f->buf + from, f->len - from,
							n == 0 && !f->live && !f->nchain);
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

	if (f->gap) {
		/* no time: it counts whatever the span asked */
		f->gap = false;
		memset(rec, 0, sizeof(*rec));
		rec->kind = SL_REC_LOSS;
		rec->loss = SL_LOSS_RESUME;
		rec->uptime = -1;
		return 1;
	}

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
			/* 0 at the end, -EAGAIN: read on */
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
			} else if (!f->eof && avail > SL_LINE_MAX) {
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
		if (f->eof) {
			if (!f->nchain)
				return 0;
			next_file(src, f);
			continue;
		}
		if (f->pipe_live && !readable(f->fd))
			return wait_more(src, f, f->fd);
		n = refill(src, f);
		if (n < 0)
			return sl_fail(cause, -errno, "read: %s", strerror(errno));
		if (n == 0 && f->live && !f->nchain) {
			int rc = follow_idle(src, f, cause);

			if (rc < 0)
				return rc;
			continue;
		}
		if (n == 0) {
			/* the last line needs no newline; nor a rotated file's:
			 * nothing will be added to it */
			f->eof = true;
			f->stop = 0;
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
	while (f->nchain)
		close(f->chain[--f->nchain]);
	if (f->ino_fd >= 0)
		close(f->ino_fd);
	free(f->buf);
	free(f);
	src->priv = NULL;
}

/*
 * Where the next run goes on: after the last line handed out, in the file
 * that holds it, known by its inode and first bytes.  The caller must have
 * counted every record next() returned.  A file read to its end without a
 * newline there may be half-way through a write: its last line is read
 * again, whole, by the next run (a record twice in two runs' totals rather
 * than a syscall never seen).
 */
static char *file_checkpoint(struct sl_source *src)
{
	struct file_priv *f = src->priv;
	struct sl_file_mark m;
	size_t keep = f ? f->len - f->pos : 0;
	const char *nl;

	if (!f || !f->regular)
		return NULL;
	if (f->eof && f->len && f->buf[f->len - 1] != '\n') {
		nl = memrchr(f->buf, '\n', f->len);
		if (nl || !f->dropped)
			keep = f->len - (nl ? (size_t)(nl + 1 - f->buf) : 0);
	}
	m = f->mark;
	m.off = f->off - keep;
	return sl_file_mark_format(&m);
}

const struct sl_source_ops sl_source_file_ops = {
	.name = "file",
	.trusted = false,	/* a file may hold syslog text anyone can write */
	.open = file_open,
	.next = file_next,
	.close = file_close,
	.checkpoint = file_checkpoint,
};
