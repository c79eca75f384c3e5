/*
 * source-netlink.c - records straight from the kernel: the audit netlink
 * socket's read-only multicast group (AUDIT_NLGRP_READLOG).  It gets every
 * record kauditd sends, next to auditd and journald and with no printk
 * rate limit; it needs CAP_AUDIT_READ.  The kernel drops what does not fit
 * the socket's receive buffer and says so with ENOBUFS; how many it
 * dropped it counts in the socket's drop counter (SO_MEMINFO), which is
 * what a loss report here tells.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "source.h"

/* Datagrams per recvmmsg(): one record each, so a burst of 200,000 a
 * second costs a few thousand calls. */
#define NL_BATCH 64
/* The kernel's MAX_AUDIT_MESSAGE_LENGTH (8970) and the netlink header. */
#define NL_MSG_MAX 9216
/* 64 MiB (the kernel books twice that) held 161,000 records here with the
 * reader stopped: 0.8 s of a 200,000 records/s burst; past a stall, the
 * reader, not the buffer, must keep up. */
#define NL_RCVBUF (64 << 20)
/*
 * The watermark's margin: a record reaches the socket after the kernel
 * stamps it (a coarse clock, one jiffy) and queues it behind the records
 * before it (backlog_limit of them).  Measured here (scripts/bench-live):
 * two processes making 330,000 records/s with backlog_limit 8192, worst
 * 34 ms from stamp to receipt, 5-7 ms of which is the coarse clock's lag,
 * and stamps out of order by 4 ms (a jiffy) at most.  On a host busy
 * enough to starve kauditd and the reader, delays reached 440 ms: the
 * margin is 0.5 s, or twice the longest delay seen in the last 10 to 20 s
 * when that is more (10 s at most).  A margin too wide only delays a merge of several
 * sources; one too narrow lets a record come after its watermark.
 */
#define NL_LAG 0.5
#define NL_LAG_WINDOW 10.0
#define NL_LAG_MAX 10.0

struct nl_priv {
	int fd;
	unsigned int n, i;	/* datagrams in the batch, the next one */
	size_t off;		/* next message inside datagram i */
	bool overrun;		/* ENOBUFS seen, its drops not told yet */
	uint32_t drops;		/* the socket's drop counter, as told */
	double batch_t;		/* when the batch was read */
	double age, age_prev;	/* longest stamp-to-read delay, this window
				 * and the one before */
	double window_t;	/* when this window began */
	struct mmsghdr msgs[NL_BATCH];
	struct iovec iov[NL_BATCH];
	char buf[NL_BATCH][NL_MSG_MAX] __attribute__((aligned(8)));
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The kernel's count of datagrams it could not queue on fd. */
static uint32_t drop_count(int fd)
{
	uint32_t mem[SK_MEMINFO_VARS] = { 0 };
	socklen_t len = sizeof(mem);

	if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len) < 0 || len <= SK_MEMINFO_DROPS * 4)
		return 0;
	return mem[SK_MEMINFO_DROPS];
}

/*
 * A burst must not overflow the buffer while the harvest is busy: raise it
 * past net.core.rmem_max (needs CAP_NET_ADMIN), or take what rmem_max
 * allows and say so.  SECLOG_NETLINK_RCVBUF=bytes sets another size (the
 * tests make it tiny to see ENOBUFS).
 */
static void size_buffer(struct sl_source *src, struct nl_priv *nl)
{
	const char *env = getenv("SECLOG_NETLINK_RCVBUF");
	int want = NL_RCVBUF;
	long v;

	if (env && *env) {
		v = strtol(env, NULL, 10);
		if (v > 0 && v <= NL_RCVBUF * 16)
			want = (int)v;
	}
	if (setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof(want)) == 0)
		return;
	setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof(want));
	src->stats.note = "receive buffer capped by net.core.rmem_max (raising it past that "
			  "needs CAP_NET_ADMIN): a burst may overflow it, which is counted as lost";
}

/*
 * The kernel multicasts records on the initial network namespace's audit
 * socket only: in another one (unshare -n, most containers) joining the
 * group works and nothing ever arrives.  kthreadd (pid 2, when it is
 * visible: the host's pid namespace) lives in the initial one.
 */
static bool other_netns(void)
{
	struct stat self, init;
	char comm[16] = "";
	int fd = open("/proc/2/comm", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	if (n != 9 || memcmp(comm, "kthreadd\n", 9))
		return false;
	if (stat("/proc/self/ns/net", &self) < 0 || stat("/proc/2/ns/net", &init) < 0)
		return false;
	return self.st_ino != init.st_ino || self.st_dev != init.st_dev;
}

static int nl_open(struct sl_source *src, char **cause)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1u << (AUDIT_NLGRP_READLOG - 1),
	};
	struct nl_priv *nl;
	unsigned int i;
	int err;

	if (other_netns())
		return sl_fail(cause, -EOPNOTSUPP,
			       "not in the host's network namespace, where alone the kernel sends "
			       "audit records (run seclog there, e.g. nsenter -t 1 -n seclog ...)");
	nl = sl_xcalloc(1, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_AUDIT);
	if (nl->fd < 0) {
		err = -errno;
		free(nl);
		return sl_fail(cause, err, "audit netlink socket: %s%s", strerror(-err),
			       err == -EPROTONOSUPPORT ?
			       " (the kernel was built without audit support, CONFIG_AUDIT)" : "");
	}
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		close(nl->fd);
		free(nl);
		return sl_fail(cause, err, "joining the audit multicast group: %s%s", strerror(-err),
			       err == -EPERM || err == -EACCES ?
			       " (reading audit records from netlink needs CAP_AUDIT_READ: run as "
			       "root or grant the capability)" : "");
	}
	size_buffer(src, nl);
	nl->drops = drop_count(nl->fd);
	for (i = 0; i < NL_BATCH; i++) {
		nl->iov[i].iov_base = nl->buf[i];
		nl->iov[i].iov_len = NL_MSG_MAX;
		nl->msgs[i].msg_hdr.msg_iov = &nl->iov[i];
		nl->msgs[i].msg_hdr.msg_iovlen = 1;
	}
	src->priv = nl;
	src->fd = -1;
	/* it holds what the kernel sent since it joined: a --since before
	 * that is a span it does not cover */
	src->begins = now();
	return 0;
}

/* What the kernel dropped since the last report, as a loss record. */
static bool told_drops(struct sl_source *src, struct nl_priv *nl, struct sl_record *rec)
{
	uint32_t d = drop_count(nl->fd), lost = d - nl->drops;
	double t;

	nl->overrun = false;
	if (!lost)	/* told with an earlier ENOBUFS */
		return false;
	nl->drops = d;
	src->stats.lost += lost;
	memset(rec, 0, offsetof(struct sl_record, subj));
	rec->subj[0] = rec->comm[0] = rec->exe[0] = '\0';
	rec->comm_len = rec->exe_len = 0;
	rec->kind = SL_REC_LOSS;
	rec->loss = SL_LOSS_OVERRUN;
	rec->lost = lost;
	rec->uptime = -1;
	rec->format = SL_FMT_NETLINK;
	rec->origin = SL_ORIGIN_KERNEL;
	t = now();
	rec->sec = (int64_t)t;
	rec->msec = (uint32_t)((t - (double)rec->sec) * 1000);
	rec->has_time = true;
	return true;
}

static void next_window(struct nl_priv *nl, double t)
{
	if (t - nl->window_t > NL_LAG_WINDOW) {
		nl->age_prev = nl->age;
		nl->age = 0;
		nl->window_t = t;
	}
}

/* How far behind now a record not read yet may be stamped: a clock set
 * forward makes records look old, which must not stall a merge long. */
static double lag(const struct nl_priv *nl)
{
	double worst = 2 * (nl->age > nl->age_prev ? nl->age : nl->age_prev);

	return worst < NL_LAG ? NL_LAG : worst > NL_LAG_MAX ? NL_LAG_MAX : worst;
}

static void bad(struct sl_source *src, const char *msg, size_t len)
{
	struct sl_source_stats *st = &src->stats;

	if (st->malformed++)
		return;
	st->first_bad_len = len < sizeof(st->first_bad) ? len : sizeof(st->first_bad);
	memcpy(st->first_bad, msg, st->first_bad_len);
}

/* The next SECCOMP record in the batch: 1, or 0 when it is used up. */
static int from_batch(struct sl_source *src, struct nl_priv *nl, struct sl_record *rec)
{
	for (; nl->i < nl->n; nl->i++, nl->off = 0) {
		const struct mmsghdr *m = &nl->msgs[nl->i];
		const char *d = nl->buf[nl->i];
		size_t len = m->msg_len;

		if (m->msg_hdr.msg_flags & MSG_TRUNC) {
			src->stats.overlong++;
			continue;
		}
		/* one message a datagram, as the kernel sends them; more are
		 * read all the same */
		while (nl->off + NLMSG_HDRLEN <= len) {
			const struct nlmsghdr *h = (const void *)(d + nl->off);
			size_t n = h->nlmsg_len;
			int rc;

			if (n < NLMSG_HDRLEN || n > len - nl->off)
				break;
			nl->off += NLMSG_ALIGN(n);
			if (h->nlmsg_type != AUDIT_SECCOMP)
				continue;
			rc = sl_record_parse_body(h->nlmsg_type, (const char *)NLMSG_DATA(h),
						  n - NLMSG_HDRLEN, rec);
			if (rc > 0) {
				double age = nl->batch_t - ((double)rec->sec + rec->msec / 1e3);

				if (age > nl->age)
					nl->age = age;
				src->stats.records++;
				return 1;
			}
			if (rc < 0)
				bad(src, (const char *)NLMSG_DATA(h), n - NLMSG_HDRLEN);
		}
	}
	return 0;
}

static int nl_next(struct sl_source *src, struct sl_record *rec, char **cause)
{
	struct nl_priv *nl = src->priv;
	unsigned int i;
	double t;
	int n;

	for (;;) {
		if (sl_source_cancel)
			return sl_fail(cause, -EINTR, "interrupted");
		if (from_batch(src, nl, rec))
			return 1;
		for (i = 0; i < NL_BATCH; i++)
			nl->msgs[i].msg_hdr.msg_flags = 0;
		n = recvmmsg(nl->fd, nl->msgs, NL_BATCH, MSG_DONTWAIT, NULL);
		if (n > 0) {
			nl->batch_t = now();
			next_window(nl, nl->batch_t);
			nl->n = (unsigned int)n;
			nl->i = 0;
			nl->off = 0;
			for (i = 0; i < nl->n; i++)
				src->stats.bytes += nl->msgs[i].msg_len;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			/* it drops until the queue is empty: count at the end */
			nl->overrun = true;
			continue;
		}
		if (n < 0 && errno != EAGAIN)
			return sl_fail(cause, -errno, "audit netlink socket: %s", strerror(errno));
		/* drained; a snapshot's last look needs no ENOBUFS to go by */
		if ((nl->overrun || !src->follow) && told_drops(src, nl, rec))
			return 1;
		if (!src->follow)
			return 0;
		src->fd = nl->fd;
		src->wait_ms = -1;
		t = now();
		next_window(nl, t);
		src->watermark = t - lag(nl);
		return -EAGAIN;
	}
}

static void nl_close(struct sl_source *src)
{
	struct nl_priv *nl = src->priv;

	if (!nl)
		return;
	close(nl->fd);
	free(nl);
	src->priv = NULL;
	src->fd = -1;
}

const struct sl_source_ops sl_source_netlink_ops = {
	.name = "netlink",
	.trusted = true,
	.open = nl_open,
	.next = nl_next,
	.close = nl_close,
	.checkpoint = NULL,	/* it holds nothing from before the open */
};
