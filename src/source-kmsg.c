/*
 * source-kmsg.c - records from the kernel's printk ring through /dev/kmsg,
 * read to its current end, or followed (from now, or from the oldest
 * message).  Each read() returns one message; EPIPE means the ring
 * overwrote messages before we read them, which is counted.  A checkpoint
 * is the boot and the sequence number of the last message read.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "source.h"
#include "sysctl.h"

#define KMSG_MAX 8192	/* the kernel's CONSOLE_EXT_LOG_MAX */

struct kmsg_priv {
	int fd;
	char boot[40];		/* /proc/sys/kernel/random/boot_id */
	uint64_t seq;		/* of the last message read */
	bool has_seq;
	uint64_t skip_to;	/* resume: messages up to this seq were read */
	/* Following: the printk limit (kernel.printk_ratelimit seconds,
	 * _burst messages) that kauditd_printk_skb obeys, and the times of
	 * the last burst of audit messages.  Its "callbacks suppressed" line
	 * comes only with the next audit message after the interval, which
	 * may never come while we read: a full burst inside one interval is
	 * reported as a possible loss at once. */
	double interval;
	unsigned int burst;
	double times[64];
	unsigned int ntimes;
	enum sl_loss pending;	/* a loss to return before the next read */
	double pending_at;
	char buf[KMSG_MAX];
};

static void boot_id(char *out, size_t cap)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");

	out[0] = '\0';
	if (f) {
		if (fgets(out, (int)cap, f))
			out[strcspn(out, "\n")] = '\0';
		fclose(f);
	}
}

/* "boot=ID seq=N" of this boot: read on after N; another boot: all of it */
static void resume(struct kmsg_priv *k, const char *line)
{
	char boot[40];
	uint64_t seq;

	if (line && sscanf(line, "boot=%39s seq=%" SCNu64, boot, &seq) == 2 &&
	    !strcmp(boot, k->boot))
		k->skip_to = seq + 1;
}

static void printk_limit(struct kmsg_priv *k)
{
	char v[32];
	long burst;

	if (sl_sysctl_get("kernel.printk_ratelimit", v, sizeof(v)) || atoi(v) <= 0)
		return;
	k->interval = atoi(v);
	if (sl_sysctl_get("kernel.printk_ratelimit_burst", v, sizeof(v)))
		return;
	burst = atol(v);
	if (burst > 0 && burst <= (long)(sizeof(k->times) / sizeof(k->times[0])))
		k->burst = (unsigned int)burst;
}

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
	boot_id(k->boot, sizeof(k->boot));
	resume(k, src->resume);
	if (src->follow)
		printk_limit(k);
	/* following from now: what the ring holds is the past */
	if (src->follow && !src->from_start && !k->skip_to)
		lseek(k->fd, 0, SEEK_END);
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

/* An audit message at uptime t: did it complete a burst in one interval? */
static bool burst_full(struct kmsg_priv *k, double t)
{
	unsigned int cap = k->burst;

	if (!cap)
		return false;
	if (k->ntimes == cap)
		memmove(k->times, k->times + 1, (cap - 1) * sizeof(k->times[0]));
	else
		k->ntimes++;
	k->times[k->ntimes - 1] = t;
	if (k->ntimes < cap || t - k->times[0] >= k->interval)
		return false;
	k->ntimes = 0;	/* one report per burst */
	return true;
}

/* "PRI,SEQ,USEC,FLAGS;TEXT": the message's uptime in seconds and its text */
static bool audit_msg(const char *msg, size_t n, double *t)
{
	const char *c = memchr(msg, ',', n), *semi = memchr(msg, ';', n);

	if (!c || !semi || (size_t)(semi - msg) + 8 > n || memcmp(semi + 1, "audit: ", 7))
		return false;
	c = memchr(c + 1, ',', (size_t)(semi - c - 1));
	if (!c)
		return false;
	*t = strtoull(c + 1, NULL, 10) / 1e6;
	return true;
}

static int pending_loss(struct kmsg_priv *k, struct sl_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->kind = SL_REC_LOSS;
	rec->loss = k->pending;
	rec->uptime = k->pending_at;
	rec->format = SL_FMT_KMSG;
	rec->origin = SL_ORIGIN_KERNEL;
	k->pending = 0;
	return 1;
}

static bool seq_of(const char *msg, size_t n, uint64_t *seq)
{
	const char *c = memchr(msg, ',', n);
	char *end;

	if (!c)
		return false;
	*seq = strtoull(c + 1, &end, 10);
	return end != c + 1 && (size_t)(end - msg) < n && *end == ',';
}

static int kmsg_next(struct sl_source *src, struct sl_record *rec, char **cause)
{
	struct kmsg_priv *k = src->priv;

	for (;;) {
		ssize_t n;
		char *nl;

		double t;

		if (k->pending)
			return pending_loss(k, rec);
		if (sl_source_cancel)
			return sl_fail(cause, -EINTR, "interrupted");
		n = read(k->fd, k->buf, sizeof(k->buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE) {
				src->stats.lost++;
				/* following, the lost messages were written while we
				 * read: records of the workload may be among them */
				if (src->follow) {
					k->pending = SL_LOSS_RING;
					k->pending_at = -1;
				}
				continue;
			}
			if (errno == EAGAIN) {
				if (!src->follow)
					return 0;
				src->fd = k->fd;
				return -EAGAIN;
			}
			return sl_fail(cause, -errno, "read: %s", strerror(errno));
		}
		if (n == 0)
			return 0;
		src->stats.bytes += (uint64_t)n;
		/* "PRI,SEQ,USEC,FLAGS;": the sequence number is the checkpoint */
		if (!seq_of(k->buf, (size_t)n, &k->seq))
			continue;
		k->has_seq = true;
		if (k->seq < k->skip_to)
			continue;
		if (k->burst && audit_msg(k->buf, (size_t)n, &t) && burst_full(k, t)) {
			k->pending = SL_LOSS_PRINTK;
			k->pending_at = t;
		}
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

static char *kmsg_checkpoint(struct sl_source *src)
{
	struct kmsg_priv *k = src->priv;
	char *line;

	if (!k || !k->has_seq || !k->boot[0])
		return NULL;
	if (asprintf(&line, "boot=%s seq=%" PRIu64, k->boot, k->seq) < 0)
		return NULL;
	return line;
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
	.checkpoint = kmsg_checkpoint,
};
