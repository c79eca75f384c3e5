/*
 * helper-journal: read the journal source (source-journal.c) alone, as a
 * harvest does (sl_harvest_add: filters, dedupe), for what only the source
 * shows (tests/cli/journal-root.sh): its waits, its watermark, and how far
 * apart the two copies of a record are.
 *
 *   helper-journal [-s] [-F SECONDS] [-p PID]...
 *
 * -s          with -F, from the oldest entry (src->from_start), not now
 * -F SECONDS  follow: wait for more (poll src->fd) for SECONDS, then stop;
 *             without it, the whole journal to its end
 * -p PID      count only this process's records (repeatable)
 *
 * Prints "key value" lines: records, matched, duplicates, loss_reports,
 * lost, loss_suppressed, loss_journal_kmsg, loss_journal_audit,
 * loss_journal_gap (1: a report of that kind), eagain (times next() said
 * "nothing yet"), twin_gap (most records between a record's two copies),
 * watermark_ok (1: no record came older than a watermark given before it).
 * Exit 0, or 1 with the source's cause on stderr.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harvest.h"
#include "source.h"

#define SEEN_MAX 65536

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static uint32_t seen_serial[SEEN_MAX];
	static uint64_t seen_at[SEEN_MAX];
	struct sl_source src;
	struct sl_harvest h;
	struct sl_record rec;
	char *cause = NULL;
	double follow = -1, end = 0, wm = -INFINITY;
	uint64_t eagain = 0, n = 0, gap = 0;
	bool wm_ok = true;
	size_t nseen = 0, i;
	int c, r;

	sl_harvest_init(&h);
	h.dedupe = true;
	memset(&src, 0, sizeof(src));
	while ((c = getopt(argc, argv, "sF:p:")) != -1) {
		switch (c) {
		case 's':
			src.from_start = true;
			break;
		case 'F':
			follow = atof(optarg);
			break;
		case 'p':
			sl_filter_add_pid(&h.filter, atoll(optarg));
			break;
		default:
			return 2;
		}
	}
	src.ops = &sl_source_journal_ops;
	src.path = strdup("journal");
	src.begins = -1;
	src.ends = INFINITY;
	sl_boot_clock_init(&src.clock);
	src.follow = follow >= 0;
	r = src.ops->open(&src, &cause);
	if (r < 0) {
		fprintf(stderr, "helper-journal: %s\n", cause ? cause : strerror(-r));
		return r == -ENOTSUP ? 77 : 1;
	}
	if (src.follow)
		end = now() + follow;
	for (;;) {
		r = src.ops->next(&src, &rec, &cause);
		if (r == -EAGAIN) {
			struct pollfd pfd = { .fd = src.fd, .events = POLLIN };
			double left = end - now();
			int ms = (int)(left * 1000);

			eagain++;
			if (left <= 0)
				break;
			if (src.wait_ms >= 0 && src.wait_ms < ms)
				ms = src.wait_ms;
			if (src.watermark > wm)
				wm = src.watermark;
			poll(&pfd, src.fd >= 0 ? 1 : 0, ms);
			continue;
		}
		if (r < 0) {
			fprintf(stderr, "helper-journal: %s\n", cause ? cause : strerror(-r));
			return 1;
		}
		if (r == 0)
			break;
		n++;
		if (rec.kind == SL_REC_SECCOMP && rec.has_time &&
		    (double)rec.sec + rec.msec / 1e3 < wm)
			wm_ok = false;
		if (src.watermark > wm)
			wm = src.watermark;
		if (rec.kind == SL_REC_SECCOMP && sl_filter_match(&h.filter, &rec)) {
			/* how far apart the two copies of a record are */
			for (i = nseen; i-- > 0 && nseen - i < 8192;) {
				if (seen_serial[i] == rec.serial) {
					if (n - seen_at[i] > gap)
						gap = n - seen_at[i];
					break;
				}
			}
			if (nseen < SEEN_MAX) {
				seen_serial[nseen] = rec.serial;
				seen_at[nseen++] = n;
			}
		}
		sl_harvest_add(&h, &rec);
	}
#define WHY(l) ((h.loss_why >> (l)) & 1)
	printf("records %llu\nmatched %llu\nduplicates %llu\nloss_reports %llu\nlost %llu\n"
	       "loss_suppressed %u\nloss_journal_kmsg %u\nloss_journal_audit %u\n"
	       "loss_journal_gap %u\neagain %llu\ntwin_gap %llu\nwatermark_ok %d\n",
	       (unsigned long long)h.records, (unsigned long long)h.matched,
	       (unsigned long long)h.duplicates, (unsigned long long)h.loss_reports,
	       (unsigned long long)h.lost, WHY(SL_LOSS_SUPPRESSED), WHY(SL_LOSS_JOURNAL_KMSG),
	       WHY(SL_LOSS_JOURNAL_AUDIT), WHY(SL_LOSS_JOURNAL_GAP), (unsigned long long)eagain,
	       (unsigned long long)gap, wm_ok);
	src.ops->close(&src);
	free(src.path);
	sl_harvest_free(&h);
	return 0;
}
