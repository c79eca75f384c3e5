/*
 * helper-follow.c - the file source alone, for tests/cli/follow.sh: prints
 * "SERIAL SYSCALL" of every SECCOMP record it returns, in order, no dedupe
 * in between (a record read twice shows twice), optionally from and to a
 * --state file.
 *
 *   helper-follow [--follow] [--state FILE] [--until FILE] [--timeout S] LOG
 *
 * --until FILE: once FILE exists (the writer is done), read on until the
 * source has nothing more, then stop.  --trace: "wait" on stderr each time
 * the source has nothing more (a test knows then what it has read).  Exit 0, 1 on an error, 3 when the
 * timeout came first.  On stderr: how often it waited, whether it had a
 * descriptor to wait on, how far behind now its last watermark was, and
 * how many loss records said a resume lost its place.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "source.h"
#include "state.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void stop(int sig)
{
	(void)sig;
	sl_source_cancel = 1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'F' },
		{ "state", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "timeout", required_argument, NULL, 't' },
		{ "trace", no_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	const char *state_path = NULL, *until = NULL;
	double timeout = 20, deadline, lag = -1;
	bool follow = false, done = false, trace = false;
	unsigned long eagain = 0, gap = 0;
	struct sl_state state = { 0 };
	struct sl_record rec;
	struct sl_source src;
	char *cause = NULL, *key;
	int c, rc, status = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'F':
			follow = true;
			break;
		case 's':
			state_path = optarg;
			break;
		case 'u':
			until = optarg;
			break;
		case 't':
			timeout = atof(optarg);
			break;
		case 'w':
			trace = true;
			break;
		default:
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: helper-follow [--follow] [--state F] [--until F] LOG\n");
		return 2;
	}
	signal(SIGINT, stop);
	signal(SIGTERM, stop);
	setvbuf(stdout, NULL, _IOLBF, 0);

	memset(&src, 0, sizeof(src));
	src.ops = &sl_source_file_ops;
	src.path = argv[optind];
	src.begins = -1;
	src.ends = INFINITY;
	sl_boot_clock_init(&src.clock);
	src.follow = follow;
	if (state_path) {
		if (sl_state_load(&state, state_path, &cause)) {
			fprintf(stderr, "helper-follow: %s\n", cause);
			return 1;
		}
		key = sl_state_key(&src);
		src.resume = sl_state_get(&state, key);
		free(key);
	}
	if (src.ops->open(&src, &cause)) {
		fprintf(stderr, "helper-follow: %s: %s\n", src.path, cause);
		return 1;
	}
	deadline = now() + timeout;
	for (;;) {
		rc = sl_source_next(&src, &rec, &cause);
		if (rc > 0) {
			if (rec.kind == SL_REC_SECCOMP)
				printf("%u %lld\n", rec.serial, (long long)rec.syscall);
			else if (rec.loss == SL_LOSS_RESUME)
				gap++;
			continue;
		}
		if (rc == 0)
			break;
		if (rc != -EAGAIN) {
			fprintf(stderr, "helper-follow: %s\n", cause ? cause : strerror(-rc));
			status = 1;
			break;
		}
		eagain++;
		if (trace)
			fprintf(stderr, "wait\n");
		{
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			lag = (double)ts.tv_sec + ts.tv_nsec / 1e9 - src.watermark;
		}
		if (done)
			break;
		/* all written before the flag is there to be read: once it is
		 * seen, the next "nothing more" is the end */
		if (until && access(until, F_OK) == 0) {
			done = true;
			continue;
		}
		if (now() > deadline) {
			status = 3;
			break;
		}
		if (src.fd >= 0) {
			struct pollfd p = { .fd = src.fd, .events = POLLIN };

			poll(&p, 1, 50);
		} else {
			usleep((useconds_t)(src.wait_ms > 0 && src.wait_ms < 50 ? src.wait_ms : 50) *
			       1000);
		}
	}
	fprintf(stderr, "helper-follow: eagain=%lu fd=%s lag=%.1f gap=%lu\n", eagain,
		src.fd >= 0 ? "yes" : "no", lag, gap);
	if (state_path && status == 0) {
		sl_state_update(&state, &src, 1);
		if (sl_state_save(&state, state_path, &cause)) {
			fprintf(stderr, "helper-follow: %s\n", cause);
			status = 1;
		}
	}
	sl_state_free(&state);
	src.ops->close(&src);
	return status;
}
