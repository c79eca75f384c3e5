/*
 * source-file.c - records from a log file, pipe or FIFO, read as a stream
 * in fixed-size chunks: memory stays constant whatever the file size.  Only
 * the lines around a "SECCOMP"/"type=1326" marker are parsed; the rest is
 * a memmem scan, which is what keeps a harvest near grep's speed.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "source.h"

#define CHUNK (256 * 1024)
#define BUFSZ (CHUNK + SL_LINE_MAX)
/* bytes of a skipped line kept for the next scan: a marker ("SECCOMP")
 * that a read splits is still seen */
#define MARK_KEEP 6

struct file_priv {
	int fd;
	bool eof;
	bool skipping;		/* inside an overlong line: drop to its end */
	bool skip_marked;	/* ... and it has a marker: count it at its end */
	char *buf;
	size_t pos, len;	/* unread bytes are buf[pos, len) */
};

static int file_open(struct sl_source *src, char **cause)
{
	struct file_priv *f = sl_xcalloc(1, sizeof(*f));

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
	f->buf = sl_xmalloc(BUFSZ);
	src->priv = f;
	return 0;
}

/* Move the unread tail to the front and read more; 0 at EOF. */
static ssize_t refill(struct sl_source *src, struct file_priv *f)
{
	ssize_t n;

	if (f->pos) {
		memmove(f->buf, f->buf + f->pos, f->len - f->pos);
		f->len -= f->pos;
		f->pos = 0;
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
	return n;
}

static int file_next(struct sl_source *src, struct sl_record *rec, char **cause)
{
	struct file_priv *f = src->priv;

	for (;;) {
		char *data = f->buf + f->pos, *stop, *last_nl;
		size_t avail = f->len - f->pos;
		const char *m;
		ssize_t n;

		if (f->skipping) {
			char *nl = memchr(data, '\n', avail);

			/* overlong counts lines that may hold a record, as when
			 * the whole line is in the buffer: the count must not
			 * depend on where reads split the stream */
			if (sl_record_scan(data, nl ? (size_t)(nl - data) : avail))
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
			last_nl = avail ? memrchr(data, '\n', avail) : NULL;
			stop = last_nl ? last_nl + 1 : (f->eof ? data + avail : data);
			if (stop > data) {
				m = sl_record_scan(data, (size_t)(stop - data));
				if (m) {
					const char *start = memrchr(data, '\n', (size_t)(m - data));
					const char *end = memchr(m, '\n', (size_t)(stop - m));

					start = start ? start + 1 : data;
					if (!end)
						end = stop;
					f->pos = (size_t)(end - f->buf) + (end < stop);
					if ((size_t)(end - start) > SL_LINE_MAX) {
						src->stats.overlong++;
						continue;
					}
					if (sl_source_parse_line(src, start, (size_t)(end - start), rec))
						return 1;
					continue;
				}
				f->pos = (size_t)(stop - f->buf);
				continue;
			}
			if (f->eof)
				return 0;
			if (avail >= SL_LINE_MAX) {
				/* no newline in a whole line's worth: drop that line */
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
		if (n == 0)
			f->eof = true;
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
