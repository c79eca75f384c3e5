/*
 * source-kmsg.c - records from the kernel's printk ring through /dev/kmsg,
 * read to its current end.  Each read() returns one message; EPIPE means
 * the ring overwrote messages before we read them, which is counted.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "source.h"

#define KMSG_MAX 8192	/* the kernel's CONSOLE_EXT_LOG_MAX */

struct kmsg_priv {
	int fd;
	char buf[KMSG_MAX];
};

static int kmsg_open(struct sl_source *src, char **cause)
{
	struct kmsg_priv *k = sl_xcalloc(1, sizeof(*k));

	k->fd = open(src->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (k->fd < 0) {
		int err = -errno;

		free(k);
		return sl_fail(cause, err, "%s%s", strerror(-err),
			       err == -EPERM || err == -EACCES ?
			       " (reading the kernel log needs root or CAP_SYSLOG when"
			       " kernel.dmesg_restrict=1)" : "");
	}
	src->priv = k;
	/* the running boot's ring: /proc/stat's btime may place its lines */
	sl_boot_clock_this_boot(&src->clock);
	return 0;
}

/* "LEVEL,0,..." : the boot's first message */
static bool first_of_boot(const char *msg, size_t n)
{
	const char *c = memchr(msg, ',', n);

	return c && (size_t)(c - msg) + 2 < n && c[1] == '0' && c[2] == ',';
}

static int kmsg_next(struct sl_source *src, struct sl_record *rec, char **cause)
{
	struct kmsg_priv *k = src->priv;

	for (;;) {
		ssize_t n;
		char *nl;

		if (sl_source_cancel)
			return sl_fail(cause, -EINTR, "interrupted");
		n = read(k->fd, k->buf, sizeof(k->buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE) {
				src->stats.lost++;
				continue;
			}
			if (errno == EAGAIN)
				return 0;
			return sl_fail(cause, -errno, "read: %s", strerror(errno));
		}
		if (n == 0)
			return 0;
		src->stats.bytes += (uint64_t)n;
		/* the message ends at the first newline; dictionary lines follow */
		nl = memchr(k->buf, '\n', (size_t)n);
		if (!src->begin_done) {	/* the oldest message left in the ring */
			sl_source_begin_scan(src, k->buf, nl ? (size_t)(nl - k->buf) : (size_t)n,
					     true);
			/* sequence 0: the ring holds its whole boot, which began
			 * at btime (whole seconds, as --since boot counts them) */
			if (first_of_boot(k->buf, (size_t)n) && src->clock.fallback > 0)
				src->begins = src->clock.fallback - 1;
		}
		if (sl_source_parse_line(src, k->buf, nl ? (size_t)(nl - k->buf) : (size_t)n, rec))
			return 1;
	}
}

static void kmsg_close(struct sl_source *src)
{
	struct kmsg_priv *k = src->priv;

	if (!k)
		return;
	close(k->fd);
	free(k);
	src->priv = NULL;
}

const struct sl_source_ops sl_source_kmsg_ops = {
	.name = "kmsg",
	.trusted = true,
	.open = kmsg_open,
	.next = kmsg_next,
	.close = kmsg_close,
};
