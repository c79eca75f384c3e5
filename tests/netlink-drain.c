/*
 * netlink-drain: read the netlink source (libseclog's) the way a live
 * harvest does, for the root tests and scripts/bench-live.
 *
 *   netlink-drain [-f] [-r READYFILE] [-p PID] [-n COUNT] [-l]
 *
 * -f         follow: wait on the socket until SIGTERM/SIGINT or COUNT, then
 *            read what is left (a snapshot read) and stop; without -f,
 *            read what is queued now and stop
 * -r FILE    create FILE once the socket listens (start the workload then)
 * -p PID     count this process's records apart (pid_records=)
 * -n COUNT   stop once PID's records (all records without -p) reach COUNT
 * -l         latency: receipt time minus the record's stamp, and how far a
 *            stamp ran behind one that arrived before it (disorder)
 *
 * Prints key=value lines: records, pid_records, lost, loss_reports,
 * malformed, note, and with -l lat_p50_ms, lat_p99_ms, lat_max_ms,
 * disorder_max_ms, cpu_s.  Exit 0, or 1 with the cause on stderr.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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

int main(int argc, char **argv)
{
	static struct sl_record rec;
	struct sl_source src;
	struct sigaction sa;
	const char *ready = NULL;
	char *cause = NULL;
	long pid = -1, want = -1;
	uint64_t pid_records = 0, loss_reports = 0, lost = 0;
	double *lat = NULL, newest = 0, disorder = 0;
	size_t nlat = 0, cap = 0;
	bool latency = false;
	int c, rc, fd;

	memset(&src, 0, sizeof(src));
	while ((c = getopt(argc, argv, "fr:p:n:l")) != -1) {
		switch (c) {
		case 'f':
			src.follow = true;
			break;
		case 'r':
			ready = optarg;
			break;
		case 'p':
			pid = strtol(optarg, NULL, 10);
			break;
		case 'n':
			want = strtol(optarg, NULL, 10);
			break;
		case 'l':
			latency = true;
			break;
		default:
			fprintf(stderr, "usage: netlink-drain [-f] [-r READYFILE] [-p PID] "
					"[-n COUNT] [-l]\n");
			return 2;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

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
		if (stop || (want >= 0 && (pid >= 0 ? pid_records : src.stats.records) >=
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
		if (pid >= 0 && rec.pid == pid)
			pid_records++;
		if (latency && (pid < 0 || rec.pid == pid)) {
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
		printf("cpu_s=%.3f\n", ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
				       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	}
	src.ops->close(&src);
	free(lat);
	return 0;
}
