/*
 * fuzz-source-file.c - the streaming file source: its result must not
 * depend on where reads split the stream (a pipe, a FIFO, a slow disk).
 * Input: 4 bytes seeding the read sizes, 3 bytes of padding length and 1 of
 * its place (so that a small input can hold a line near the 64 KiB limit),
 * then the stream.  The stream is read twice through the source, by reads
 * as large as it asks for and by reads of varied sizes (1 byte, a few KiB,
 * around 64 KiB, an EINTR now and then), served by a read() wrapper
 * (link with -Wl,--wrap=read); records and stats must be the same.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "source.h"

#define HDR 8
#define PAD_MAX (3 * SL_LINE_MAX)
#define MAX_RECORDS 4096

static struct {
	bool active;
	const char *data;
	size_t len, pos;
	uint32_t rng;		/* 0: reads as large as asked */
} feed;

ssize_t __real_read(int fd, void *buf, size_t count);
ssize_t __wrap_read(int fd, void *buf, size_t count);

static uint32_t next_rand(void)
{
	uint32_t x = feed.rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return feed.rng = x;
}

ssize_t __wrap_read(int fd, void *buf, size_t count)
{
	size_t n = count, r;

	if (!feed.active || fd != STDIN_FILENO)
		return __real_read(fd, buf, count);
	if (feed.rng) {
		r = next_rand();
		switch (r % 5) {
		case 0:
			n = 1 + (r >> 8) % 16;
			break;
		case 1:
			n = 1 + (r >> 8) % 4096;
			break;
		case 2:
			n = 1 + (r >> 8) % (2 * SL_LINE_MAX);
			break;
		case 3:	/* around the line limit */
			n = SL_LINE_MAX - 32 + (r >> 8) % 64;
			break;
		default:
			if ((r >> 8) % 4 == 0) {
				errno = EINTR;
				return -1;
			}
			n = count;
		}
	}
	if (n > count)
		n = count;
	if (n > feed.len - feed.pos)
		n = feed.len - feed.pos;
	memcpy(buf, feed.data + feed.pos, n);
	feed.pos += n;
	return (ssize_t)n;
}

struct result {
	struct sl_record *recs;
	size_t n;
	struct sl_source_stats stats;
	int rc;
};

static void run(const char *data, size_t len, uint32_t seed, struct result *res)
{
	static struct sl_record rec;
	struct sl_source src;
	char *cause = NULL;
	int rc;

	memset(res, 0, sizeof(*res));
	feed.data = data;
	feed.len = len;
	feed.pos = 0;
	feed.rng = seed;
	feed.active = true;
	rc = sl_source_open(&src, "-", &cause);
	FUZZ_CHECK(rc == 0, "open: %s", cause);
	for (;;) {
		memset(&rec, 0, sizeof(rec));
		rc = sl_source_next(&src, &rec, &cause);
		if (rc <= 0)
			break;
		if (res->n < MAX_RECORDS) {
			res->recs = realloc(res->recs, (res->n + 1) * sizeof(rec));
			memcpy(&res->recs[res->n], &rec, sizeof(rec));
		}
		res->n++;
	}
	res->rc = rc;
	memcpy(&res->stats, &src.stats, sizeof(src.stats));
	sl_source_close(&src);
	feed.active = false;
	FUZZ_CHECK(rc == 0, "read error %d: %s", rc, cause ? cause : "?");
	FUZZ_CHECK(feed.pos == len, "read %zu of %zu bytes", feed.pos, len);
	free(cause);
}

/* What a record says (the bytes after a string's end may be stale). */
static bool same_record(const struct sl_record *a, const struct sl_record *b)
{
	return a->kind == b->kind && a->loss == b->loss && a->lost == b->lost &&
	       !memcmp(&a->uptime, &b->uptime, sizeof(a->uptime)) && a->sec == b->sec &&
	       a->msec == b->msec && a->serial == b->serial && a->has_stamp == b->has_stamp &&
	       a->has_time == b->has_time && a->format == b->format && a->origin == b->origin &&
	       a->fields == b->fields && a->auid == b->auid && a->uid == b->uid &&
	       a->gid == b->gid && a->ses == b->ses && a->pid == b->pid && a->sig == b->sig &&
	       a->arch == b->arch && a->syscall == b->syscall && a->compat == b->compat &&
	       a->ip == b->ip && a->code == b->code &&
	       !strncmp(a->subj, b->subj, SL_SUBJ_MAX) && a->comm_len == b->comm_len &&
	       !memcmp(a->comm, b->comm, a->comm_len) && a->exe_len == b->exe_len &&
	       !memcmp(a->exe, b->exe, a->exe_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct result whole, split;
	uint32_t seed;
	size_t pad, at, len, i;
	char *s;

	if (size < HDR)
		return 0;
	seed = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
	       (uint32_t)data[3] << 24;
	pad = ((size_t)data[4] | (size_t)data[5] << 8 | (size_t)data[6] << 16) % (PAD_MAX + 1);
	data += HDR;
	size -= HDR;
	at = size * data[-1] / 256;
	len = size + pad;
	s = malloc(len ? len : 1);
	memcpy(s, data, at);
	memset(s + at, 'x', pad);
	memcpy(s + at + pad, data + at, size - at);

	run(s, len, 0, &whole);
	run(s, len, seed ? seed : 1, &split);
	FUZZ_CHECK(whole.n == split.n, "%zu records read whole, %zu split", whole.n, split.n);
	for (i = 0; i < whole.n && i < MAX_RECORDS; i++)
		FUZZ_CHECK(same_record(&whole.recs[i], &split.recs[i]),
			   "record %zu differs when reads split (serial %u/%u, sec %lld/%lld, "
			   "fields %#x/%#x)", i, whole.recs[i].serial, split.recs[i].serial,
			   (long long)whole.recs[i].sec, (long long)split.recs[i].sec,
			   whole.recs[i].fields, split.recs[i].fields);
	FUZZ_CHECK(whole.stats.records == split.stats.records &&
		   whole.stats.malformed == split.stats.malformed &&
		   whole.stats.overlong == split.stats.overlong &&
		   whole.stats.bytes == split.stats.bytes,
		   "stats differ: records %llu/%llu malformed %llu/%llu overlong %llu/%llu",
		   (unsigned long long)whole.stats.records, (unsigned long long)split.stats.records,
		   (unsigned long long)whole.stats.malformed,
		   (unsigned long long)split.stats.malformed,
		   (unsigned long long)whole.stats.overlong,
		   (unsigned long long)split.stats.overlong);
	FUZZ_CHECK(!memcmp(&whole.stats, &split.stats, sizeof(whole.stats)),
		   "stats differ when reads split: unknown %llu/%llu lost %llu/%llu, "
		   "first bad line %.*s/%.*s",
		   (unsigned long long)whole.stats.unknown, (unsigned long long)split.stats.unknown,
		   (unsigned long long)whole.stats.lost, (unsigned long long)split.stats.lost,
		   (int)whole.stats.first_bad_len, whole.stats.first_bad,
		   (int)split.stats.first_bad_len, split.stats.first_bad);
	free(whole.recs);
	free(split.recs);
	free(s);
	return 0;
}
