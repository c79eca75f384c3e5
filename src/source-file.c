/*
 * source-file.c - records from a log file, pipe or FIFO, read as a stream
 * in fixed-size chunks: memory stays constant whatever the file size.  Only
 * the lines around a "SECCOMP"/"type=1326" marker are parsed; the rest is
 * a memmem scan, which is what keeps a harvest near grep's speed.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "source.h"

#define CHUNK (256 * 1024)
#define BUFSZ (CHUNK + SL_LINE_MAX)

struct file_priv {
	int fd;
	bool eof;
	bool skipping;		/* inside an overlong line: drop to its end */
	char *buf;
	size_t pos, len;	/* unread bytes are buf[pos, len) */
	size_t stop;		/* end of buf's complete lines; 0: not found yet
				 * (once per read, not once per record) */
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

	f->stop = 0;
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
		size_t avail = f->len - f->pos;
		const char *m;
		ssize_t n;

		if (f->skipping) {
			char *nl = memchr(data, '\n', avail);

			if (nl) {
				f->skipping = false;
				f->pos = (size_t)(nl + 1 - f->buf);
				continue;
			}
			f->pos = f->len;
		} else {
			/* only complete lines are scanned; at EOF the last one too */
			if (!f->stop) {
				last_nl = avail ? memrchr(data, '\n', avail) : NULL;
				stop = last_nl ? last_nl + 1 : (f->eof ? data + avail : data);
				f->stop = (size_t)(stop - f->buf);
			}
			stop = f->buf + f->stop;
			if (stop > data) {
				m = sl_record_scan(data, (size_t)(stop - data));
				if (m) {
					const char *start = line_start(data, m, stop);
					const char *end = memchr(m, '\n', (size_t)(stop - m));

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
				src->stats.overlong++;
				f->skipping = true;
				f->pos = f->len;
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
