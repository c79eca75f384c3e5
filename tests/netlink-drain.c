/*
 * netlink-drain: read the netlink source (libseclog's) the way a live
 * harvest does, for the root tests and scripts/bench-live.
 *
 *   netlink-drain [-f] [-r READYFILE] [-p PID] [-n COUNT] [-l] [-R]
 *
 * -f         follow: wait on the socket until SIGTERM/SIGINT or COUNT, then
 *            read what is left (a snapshot read) and stop; without -f,
 *            read what is queued now and stop
 * -r FILE    create FILE once the socket listens (start the workload then)
 * -p PID     count this process's records apart (pid_records=); up to
 *            8 times, for several processes
 * -n COUNT   stop once PID's records (all records without -p) reach COUNT
 * -l         latency: receipt time minus the record's stamp, how far a
 *            stamp ran behind one that arrived before it (disorder), and
 *            how far the kernel's coarse clock, which stamps records, lags
 *            the precise one (coarse_lag: part of every latency)
 *
 * -R         raw: a plain C reader instead of libseclog's source (the same
 *            socket, buffer and recvmmsg batches; a record's pid found by
 *            strstr, nothing parsed): the peer scripts/bench-live compares
 *            the source with.  Only records, pid_records and lost (the
 *            kernel's drop count) are printed.
 *
 * Prints key=value lines: records, pid_records, lost, loss_reports,
 * malformed, note, and with -l lat_p50_ms, lat_p99_ms, lat_max_ms,
 * disorder_max_ms, coarse_lag_mean_ms, coarse_lag_max_ms, cpu_s.  Exit 0, or 1 with the cause on stderr.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "source.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#define PIDS_MAX 8

static bool watched(const long *pids, size_t n, int64_t pid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* The coarse clock's lag behind CLOCK_REALTIME, sampled. */
static void coarse_lag(double *mean, double *max)
{
	struct timespec a, b;
	double d, sum = 0;
	int i, n = 200000;

	*max = 0;
	for (i = 0; i < n; i++) {
		clock_gettime(CLOCK_REALTIME_COARSE, &a);
		clock_gettime(CLOCK_REALTIME, &b);
		d = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
		sum += d;
		if (d > *max)
			*max = d;
	}
	*mean = sum / n;
}

/* The plain reader: what any program could do with the socket. */
static int raw(const char *ready, const long *pids, size_t npids, long want)
{
	static char buf[64][9216];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
				  .nl_groups = 1u << (AUDIT_NLGRP_READLOG - 1) };
	struct mmsghdr msgs[64];
	struct iovec iov[64];
	uint32_t mem[SK_MEMINFO_VARS] = { 0 };
	socklen_t mlen = sizeof(mem);
	uint64_t records = 0, mine = 0;
	int fd, size = 64 << 20, i, n;
	bool done = false;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("netlink-drain: raw");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	for (i = 0; i < 64; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = sizeof(buf[i]);
		msgs[i].msg_hdr = (struct msghdr){ .msg_iov = &iov[i], .msg_iovlen = 1 };
	}
	if (ready && (n = open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) >= 0)
		close(n);
	for (;;) {
		/* at the end, what is queued, then stop */
		done = stop || (want >= 0 && (npids ? mine : records) >= (uint64_t)want);
		n = recvmmsg(fd, msgs, 64, done ? MSG_DONTWAIT : MSG_WAITFORONE, NULL);
		if (n < 0) {
			if (errno == EINTR || errno == ENOBUFS)
				continue;
			if (errno == EAGAIN)
				break;
			perror("netlink-drain: raw");
			return 1;
		}
		for (i = 0; i < n; i++) {
			const struct nlmsghdr *h = (const void *)buf[i];
			const char *p;

			if (h->nlmsg_type != AUDIT_SECCOMP || msgs[i].msg_len >= sizeof(buf[i]))
				continue;
			records++;
			buf[i][msgs[i].msg_len] = '\0';
			p = strstr(buf[i] + NLMSG_HDRLEN, " pid=");
			if (npids && p && watched(pids, npids, strtol(p + 5, NULL, 10)))
				mine++;
		}
	}
	getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &mlen);
	printf("records=%llu\npid_records=%llu\nlost=%u\n", (unsigned long long)records,
	       (unsigned long long)mine, mem[SK_MEMINFO_DROPS]);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	static struct sl_record rec;
	struct sl_source src;
	struct sigaction sa;
	const char *ready = NULL;
	char *cause = NULL;
	long pids[PIDS_MAX], want = -1;
	size_t npids = 0;
	double lag_mean = 0, lag_max = 0;
	uint64_t pid_records = 0, loss_reports = 0, lost = 0;
	double *lat = NULL, newest = 0, disorder = 0;
	size_t nlat = 0, cap = 0;
	bool latency = false, plain = false;
	int c, rc, fd;

	memset(&src, 0, sizeof(src));
	while ((c = getopt(argc, argv, "fr:p:n:lR")) != -1) {
		switch (c) {
		case 'f':
			src.follow = true;
			break;
		case 'r':
			ready = optarg;
			break;
		case 'p':
			if (npids < PIDS_MAX)
				pids[npids++] = strtol(optarg, NULL, 10);
			break;
		case 'n':
			want = strtol(optarg, NULL, 10);
			break;
		case 'l':
			latency = true;
			break;
		case 'R':
			plain = true;
			break;
		default:
			fprintf(stderr, "usage: netlink-drain [-f] [-r READYFILE] [-p PID] "
					"[-n COUNT] [-l] [-R]\n");
			return 2;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (plain)
		return raw(ready, pids, npids, want);

	if (latency)
		coarse_lag(&lag_mean, &lag_max);
	src.ops = &sl_source_netlink_ops;
	src.path = "netlink";
	src.fd = -1;
	if (src.ops->open(&src, &cause) < 0) {
		fprintf(stderr, "netlink-drain: %s\n", cause);
		return 1;
	}
	if (ready && (fd = open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) >= 0)
		close(fd);
	for (;;) {
		if (stop || (want >= 0 && (npids ? pid_records : src.stats.records) >=
					   (uint64_t)want))
			src.follow = false;	/* what is queued, then stop */
		rc = src.ops->next(&src, &rec, &cause);
		if (rc == -EAGAIN) {
			struct pollfd p = { .fd = src.fd, .events = POLLIN };

			poll(&p, 1, 100);
			continue;
		}
		if (rc < 0) {
			fprintf(stderr, "netlink-drain: %s\n", cause);
			return 1;
		}
		if (rc == 0)
			break;
		if (rec.kind == SL_REC_LOSS) {
			loss_reports++;
			lost += rec.lost;
			continue;
		}
		if (npids && watched(pids, npids, rec.pid))
			pid_records++;
		if (latency && (!npids || watched(pids, npids, rec.pid))) {
			double t = now(), stamp = (double)rec.sec + rec.msec / 1e3;

			if (nlat == cap) {
				cap = cap ? 2 * cap : 65536;
				lat = realloc(lat, cap * sizeof(*lat));
				if (!lat)
					return 1;
			}
			lat[nlat++] = (t - stamp) * 1e3;
			if (stamp > newest)
				newest = stamp;
			else if (newest - stamp > disorder)
				disorder = newest - stamp;
		}
	}
	printf("records=%llu\n", (unsigned long long)src.stats.records);
	printf("pid_records=%llu\n", (unsigned long long)pid_records);
	printf("lost=%llu\n", (unsigned long long)lost);
	printf("stats_lost=%llu\n", (unsigned long long)src.stats.lost);
	printf("loss_reports=%llu\n", (unsigned long long)loss_reports);
	printf("malformed=%llu\n", (unsigned long long)src.stats.malformed);
	printf("note=%s\n", src.stats.note ? src.stats.note : "");
	if (latency) {
		struct rusage ru;

		getrusage(RUSAGE_SELF, &ru);
		qsort(lat, nlat, sizeof(*lat), cmp);
		printf("lat_n=%zu\n", nlat);
		if (nlat) {
			printf("lat_p50_ms=%.3f\n", lat[nlat / 2]);
			printf("lat_p99_ms=%.3f\n", lat[(size_t)((double)nlat * 0.99)]);
			printf("lat_max_ms=%.3f\n", lat[nlat - 1]);
		}
		printf("disorder_max_ms=%.3f\n", disorder * 1e3);
		printf("coarse_lag_mean_ms=%.3f\n", lag_mean);
		printf("coarse_lag_max_ms=%.3f\n", lag_max);
		printf("cpu_s=%.3f\n", ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
				       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	}
	src.ops->close(&src);
	free(lat);
	return 0;
}
