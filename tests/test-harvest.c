/* test-harvest.c - the file source's streaming edges, and the tally */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "harvest.h"

#define REC(serial, nr) "type=SECCOMP msg=audit(1795422761.057:" #serial "): pid=10 " \
	"comm=\"t\" exe=\"/t\" arch=c000003e syscall=" #nr " compat=0 code=0x7ffc0000"

static char path[64];

static int setup(void **state)
{
	return unit_file(path, sizeof(path), "harvest");
}

static int teardown(void **state)
{
	unlink(path);
	return 0;
}

static void run(struct sl_harvest *h, struct sl_source *src)
{
	char *cause = NULL;

	assert_int_equal(sl_source_open(src, path, &cause), 0);
	assert_int_equal(sl_harvest_source(h, src, &cause), 0);
}

static void test_chunk_boundaries(void **state)
{
	FILE *f = fopen(path, "wb");
	struct sl_harvest h;
	struct sl_source src;
	size_t i, j;

	/* records at every offset around the 256 KiB read size */
	for (i = 0; i < 3000; i++) {
		for (j = 0; j < i % 7; j++)
			fputs("type=SYSCALL msg=audit(1795422761.057:1): arch=c000003e syscall=59\n", f);
		fprintf(f, "type=SECCOMP msg=audit(1795422761.%03zu:%zu): pid=10 arch=c000003e "
			   "syscall=%zu compat=0\n", i % 1000, 100 + i, i % 3);
	}
	fclose(f);
	sl_harvest_init(&h);
	run(&h, &src);
	sl_harvest_finish(&h);
	assert_int_equal(src.stats.records, 3000);
	assert_int_equal(src.stats.malformed, 0);
	assert_int_equal(h.matched, 3000);
	assert_int_equal(h.nhits, 3);
	assert_int_equal(h.hits[0].count + h.hits[1].count + h.hits[2].count, 3000);
	sl_source_close(&src);
	sl_harvest_free(&h);
}

static void test_odd_lines(void **state)
{
	FILE *f = fopen(path, "wb");
	struct sl_harvest h;
	struct sl_source src;
	size_t i;

	fputs(REC(1, 0) "\r\n", f);
	fwrite("garbage \0 with NUL\n", 1, 19, f);
	{
		static const char nul[] = "type=SECCOMP msg=audit(1795422761.057:2): pid=10 "
					  "comm=\"a\0b\" arch=c000003e syscall=1\n";

		fwrite(nul, 1, sizeof(nul) - 1, f);
	}
	/* a 200 KiB line holding a marker: counted as overlong, skipped */
	fputs("type=SECCOMP msg=audit(1795422761.057:3): pid=10 arch=c000003e syscall=2 x=", f);
	for (i = 0; i < 200 * 1024; i++)
		fputc('a', f);
	fputc('\n', f);
	/* a 1 MiB line without a newline for a long way: no marker */
	for (i = 0; i < 1024 * 1024; i++)
		fputc('b', f);
	fputc('\n', f);
	fputs("type=SECCOMP msg=audit(1795422761.057:4): pid=10 arch=c000003e sysc\n", f);
	fputs(REC(5, 3), f);	/* no final newline */
	fclose(f);
	sl_harvest_init(&h);
	run(&h, &src);
	sl_harvest_finish(&h);
	assert_int_equal(src.stats.records, 3);
	assert_int_equal(src.stats.malformed, 1);
	assert_int_equal(src.stats.overlong, 1);	/* the 1 MiB line has no marker */
	assert_int_equal(h.nhits, 3);
	assert_string_equal(h.hits[0].name, "close");	/* by name: close, read, write */
	assert_string_equal(h.hits[2].name, "write");
	sl_source_close(&src);
	sl_harvest_free(&h);
}

static void test_dedupe_across_sources(void **state)
{
	FILE *f = fopen(path, "wb");
	struct sl_harvest h;
	struct sl_source a, b;

	fputs(REC(1, 0) "\n" REC(2, 1) "\n", f);
	/* the same record as kern.log shows it */
	fputs("Nov 22 22:47:17 vm kernel: [ 1.0] audit: type=1326 audit(1795422761.057:2): "
	      "pid=10 comm=\"t\" exe=\"/t\" arch=c000003e syscall=1 compat=0 code=0x7ffc0000\n", f);
	/* a forged line reusing a real stamp: not its twin, and text only */
	fputs("Nov 22 22:47:17 vm kernel: audit: type=1326 audit(1795422761.057:2): "
	      "pid=10 comm=\"t\" exe=\"/t\" arch=c000003e syscall=165 compat=0 code=0x7ffc0000\n", f);
	fclose(f);
	sl_harvest_init(&h);
	run(&h, &a);
	run(&h, &b);
	sl_harvest_finish(&h);
	assert_int_equal(h.records, 8);
	assert_int_equal(h.matched, 2);
	assert_int_equal(h.duplicates, 5);	/* the forged line's second read too */
	assert_int_equal(h.untrusted, 1);
	assert_int_equal(h.held, 0);
	assert_int_equal(h.nuntrusted_hits, 1);
	assert_string_equal(h.untrusted_hits[0].name, "mount");
	assert_int_equal(h.nprocs, 1);
	assert_int_equal(h.procs[0].count, 2);
	sl_source_close(&a);
	sl_source_close(&b);
	sl_harvest_free(&h);

	sl_harvest_init(&h);
	h.dedupe = false;
	run(&h, &a);
	assert_int_equal(h.matched, 2);
	assert_int_equal(h.untrusted, 2);
	sl_source_close(&a);
	sl_harvest_free(&h);

	sl_harvest_init(&h);
	h.dedupe = false;
	h.trust_syslog = true;
	run(&h, &a);
	assert_int_equal(h.matched, 4);
	sl_source_close(&a);
	sl_harvest_free(&h);
}

/* Several sources merged by time: all read, twins counted once even when
 * more than a dedupe window of records lies between them in each file. */
static void test_merged_sources(void **state)
{
	char second[64];
	FILE *f = fopen(path, "wb"), *g;
	struct sl_harvest h;
	struct sl_source src[3];
	size_t failed, i;
	char *cause = NULL;
	int fd;

	strcpy(second, "/tmp/seclog-harvest2-XXXXXX");
	fd = mkstemp(second);
	g = fdopen(fd, "wb");
	/* file 1: even serials and every 10th; file 2 (kern.log form): odd
	 * serials and every 10th: the every-10th are twins */
	for (i = 1; i <= 3 * SL_DEDUPE_WINDOW; i++) {
		if (i % 2 == 0 || i % 10 == 0)
			fprintf(f, "type=SECCOMP msg=audit(1795422761.%03zu:%zu): pid=1 "
				   "arch=c000003e syscall=%zu\n", (i / 1000) % 1000, i, i % 2);
		if (i % 2 == 1 || i % 10 == 0)
			fprintf(g, "Nov 23 08:31:40 vm kernel: [ 1.0] audit: type=1326 "
				   "audit(1795422761.%03zu:%zu): pid=1 arch=c000003e syscall=%zu\n",
				(i / 1000) % 1000, i, i % 2);
	}
	fclose(f);
	fclose(g);
	sl_harvest_init(&h);
	assert_int_equal(sl_source_open(&src[0], path, &cause), 0);
	assert_int_equal(sl_source_open(&src[1], second, &cause), 0);
	assert_int_equal(sl_source_open(&src[2], "/dev/null", &cause), 0);
	assert_int_equal(sl_harvest_sources(&h, src, 3, &failed, &cause), 0);
	sl_harvest_finish(&h);
	/* file 2 is syslog text: only its every-10th, which file 1 holds
	 * too, count; the odd ones are held, then reported */
	assert_int_equal(h.matched, 3 * SL_DEDUPE_WINDOW / 2);
	assert_int_equal(h.duplicates, 3 * SL_DEDUPE_WINDOW / 10);
	assert_int_equal(h.untrusted, 3 * SL_DEDUPE_WINDOW / 2);
	assert_int_equal(h.held, 0);
	for (i = 0; i < 3; i++)
		sl_source_close(&src[i]);
	sl_harvest_free(&h);

	sl_harvest_init(&h);
	h.trust_syslog = true;
	assert_int_equal(sl_source_open(&src[0], path, &cause), 0);
	assert_int_equal(sl_source_open(&src[1], second, &cause), 0);
	assert_int_equal(sl_harvest_sources(&h, src, 2, &failed, &cause), 0);
	assert_int_equal(h.matched, 3 * SL_DEDUPE_WINDOW);
	assert_int_equal(h.duplicates, 3 * SL_DEDUPE_WINDOW / 10);
	for (i = 0; i < 2; i++)
		sl_source_close(&src[i]);
	sl_harvest_free(&h);
	unlink(second);
}

static void test_fifo(void **state)
{
	struct sl_harvest h;
	struct sl_source src;
	pid_t pid;
	int i;

	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	pid = fork();
	if (pid == 0) {
		FILE *f = fopen(path, "w");

		for (i = 0; i < 1000; i++)
			fprintf(f, "type=SECCOMP msg=audit(1.000:%d): pid=1 arch=c000003e "
				   "syscall=%d\n", i, i % 5);
		fclose(f);
		_exit(0);
	}
	sl_harvest_init(&h);
	run(&h, &src);
	sl_harvest_finish(&h);
	assert_int_equal(h.matched, 1000);
	assert_int_equal(h.nhits, 5);
	sl_source_close(&src);
	sl_harvest_free(&h);
}

static void test_unknown_names_kept(void **state)
{
	FILE *f = fopen(path, "wb");
	struct sl_harvest h;
	struct sl_source src;

	fputs(REC(1, 9999) "\n" REC(2, 0) "\n", f);
	fputs("type=SECCOMP msg=audit(1.000:3): arch=deadbeef syscall=1\n", f);
	fclose(f);
	sl_harvest_init(&h);
	run(&h, &src);
	sl_harvest_finish(&h);
	assert_int_equal(h.nhits, 3);
	assert_null(h.hits[0].arch);	/* unknown arch sorts first */
	assert_string_equal(h.hits[1].name, "read");
	assert_null(h.hits[2].name);
	assert_int_equal(h.hits[2].nr, 9999);
	sl_source_close(&src);
	sl_harvest_free(&h);
}

/* Long lines, as a file read whole and as a pipe fed in small writes:
 * "overlong" counts the lines that may hold a record (a marker), the same
 * whichever way reads split them (found by tests/fuzz/fuzz-source-file). */
static void write_long_lines(FILE *f)
{
	size_t i;

	for (i = 0; i < 100 * 1024; i++)	/* no marker: not counted */
		fputc('b', f);
	fputc('\n', f);
	for (i = 0; i < 50 * 1024; i++)		/* a marker inside: counted */
		fputc('c', f);
	fputs(" type=SECCOMP msg=audit(1.000:1): ", f);
	for (i = 0; i < 50 * 1024; i++)
		fputc('c', f);
	fputc('\n', f);
	fputs(REC(2, 1) "\n", f);
	for (i = 0; i < 100 * 1024; i++)	/* at EOF, no newline: counted */
		fputc('d', f);
	fputs(" SECCOMP", f);
}

static void test_overlong_wherever_reads_split(void **state)
{
	struct sl_source src;
	struct sl_record rec;
	char *cause = NULL, *buf;
	size_t len, off;
	FILE *f = open_memstream(&buf, &len);
	pid_t pid = 0;
	int fd, pass;

	write_long_lines(f);
	fclose(f);
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1) {	/* through a FIFO, 4 KiB per write */
			unlink(path);
			assert_int_equal(mkfifo(path, 0600), 0);
			pid = fork();
			if (pid == 0) {
				fd = open(path, O_WRONLY);
				for (off = 0; off < len; off += 4096)
					if (write(fd, buf + off, len - off < 4096 ? len - off : 4096) < 0)
						_exit(1);
				_exit(0);
			}
		} else {
			fd = open(path, O_WRONLY | O_TRUNC);
			assert_int_equal(write(fd, buf, len), (ssize_t)len);
			close(fd);
		}
		assert_int_equal(sl_source_open(&src, path, &cause), 0);
		while (sl_source_next(&src, &rec, &cause) > 0)
			;
		assert_int_equal(src.stats.records, 1);
		assert_int_equal(src.stats.overlong, 2);
		sl_source_close(&src);
		if (pass == 1)
			assert_int_equal(waitpid(pid, NULL, 0), pid);
	}
	free(buf);
}

/*
 * Counts of buf[0, len) read from a file, and through a FIFO fed first
 * `first` bytes, then writes of `piece` bytes, each alone in the pipe for
 * pause microseconds.
 */
static void feed_twice(const char *buf, size_t len, size_t first, size_t piece,
		       useconds_t pause, struct sl_source_stats *st)
{
	struct sl_record rec;
	struct sl_source src;
	char *cause = NULL;
	size_t off, n;
	pid_t pid;
	int fd, pass;

	for (pass = 0; pass < 2; pass++) {
		pid = 0;
		unlink(path);
		if (pass == 0) {
			fd = open(path, O_WRONLY | O_TRUNC | O_CREAT, 0600);
			assert_int_equal(write(fd, buf, len), (ssize_t)len);
			close(fd);
		} else {
			assert_int_equal(mkfifo(path, 0600), 0);
			pid = fork();
			if (pid == 0) {
				fd = open(path, O_WRONLY);
				for (off = 0; off < len; off += n) {
					n = off ? piece : first;
					if (n > len - off)
						n = len - off;
					if (write(fd, buf + off, n) < 0)
						_exit(1);
					usleep(pause);
				}
				_exit(0);
			}
		}
		assert_int_equal(sl_source_open(&src, path, &cause), 0);
		while (sl_source_next(&src, &rec, &cause) > 0)
			;
		st[pass] = src.stats;
		sl_source_close(&src);
		if (pid)
			assert_int_equal(waitpid(pid, NULL, 0), pid);
	}
	unlink(path);
}

/* Counts of a fixture (with a journal entry of 100 KiB in its middle when
 * big is set) read from a file, and through a FIFO whose first write is
 * only its first `first` bytes. */
static void fixture_twice(const char *name, bool big, size_t first, struct sl_source_stats *st)
{
	char fix[512], *buf;
	size_t len, half;
	FILE *f;

	snprintf(fix, sizeof(fix), "%s/%s", FIXTURES, name);
	f = fopen(fix, "rb");
	assert_non_null(f);
	buf = malloc(1 << 20);
	len = fread(buf, 1, 1 << 19, f);
	fclose(f);
	if (big) {	/* the fixture, an entry of 100 KiB, the fixture again */
		half = len;
		memcpy(buf + len, "X_BIG=", 6);
		memset(buf + len + 6, 'x', 100 * 1024);
		len += 6 + 100 * 1024;
		memcpy(buf + len, "\n\n", 2);
		len += 2;
		memcpy(buf + len, buf, half);
		len += half;
		first = half + first;
	}
	/* the reader gets the first bytes alone */
	feed_twice(buf, len, first, len, 100000, st);
	free(buf);
}

/* The form of an input (journal entries, ausearch text) is told from the
 * same bytes whether a pipe's first read brings two bytes or all of them
 * (found by tests/fuzz/fuzz-source-file). */
static void test_form_wherever_reads_split(void **state)
{
	struct sl_source_stats st[2];

	fixture_twice("journal-json-pretty.txt", false, 2, st);
	assert_true(st[0].records > 0);
	assert_int_equal(st[1].records, st[0].records);
	assert_int_equal(st[1].malformed, st[0].malformed);
	fixture_twice("ausearch-text.txt", false, 2, st);
	assert_true(st[0].unknown > 0);
	assert_int_equal(st[1].unknown, st[0].unknown);
	assert_int_equal(st[1].records, st[0].records);
	/* an entry too long to hold, whole in the buffer or not yet */
	fixture_twice("journal-export.txt", true, 1000, st);
	assert_true(st[0].records > 0);
	assert_int_equal(st[1].records, st[0].records);
	assert_int_equal(st[1].overlong, st[0].overlong);
	assert_int_equal(st[1].malformed, st[0].malformed);
}

/*
 * Export entries after a plain log (so scanned line by line, not walked):
 * an entry whose start a read left behind is still found, and a line longer
 * than is ever held that follows an entry (no blank line between) ends it in
 * the same place whether it was read whole or not (found by
 * tests/fuzz/fuzz-source-file).
 */
static void test_entries_wherever_reads_split(void **state)
{
	struct sl_source_stats st[2], one[2];
	char fix[512], *buf = malloc(1 << 20);
	size_t n, len = 0;
	FILE *f;

	snprintf(fix, sizeof(fix), "%s/journal-export.txt", FIXTURES);
	f = fopen(fix, "rb");
	assert_non_null(f);
	n = fread(buf + (1 << 19), 1, 1 << 18, f);
	fclose(f);
	assert_true(n > 2 && buf[(1 << 19) + n - 2] == '\n');
	feed_twice(buf + (1 << 19), n, 700, 700, 200, one);
	assert_true(one[0].records > 0);

	len = (size_t)sprintf(buf, "plain log line\nplain log line\nplain log line\n");
	memcpy(buf + len, buf + (1 << 19), n - 1);	/* no blank line after the last entry */
	len += n - 1;
	memcpy(buf + len, "SYSL", 4);
	memset(buf + len + 4, 'x', 100 * 1024);
	len += 4 + 100 * 1024;
	memcpy(buf + len, "\n\n", 2);
	len += 2;
	memcpy(buf + len, buf + (1 << 19), n);
	len += n;
	feed_twice(buf, len, 700, 700, 200, st);
	assert_int_equal(st[0].records, 2 * one[0].records);
	assert_int_equal(st[1].records, st[0].records);
	assert_int_equal(st[0].overlong, 0);
	assert_int_equal(st[1].overlong, 0);
	assert_int_equal(st[1].malformed, st[0].malformed);
	free(buf);
}

/*
 * A snapshot tells the result so far as sl_harvest_finish would, and the
 * harvest goes on unchanged: held syslog text is decided on the copy.
 */
static void test_snapshot(void **state)
{
	FILE *f = fopen(path, "wb");
	struct sl_harvest h, snap;
	struct sl_source src;
	struct sl_record rec;
	char *cause = NULL;
	int i;

	for (i = 0; i < 30; i++)
		fprintf(f, "type=SECCOMP msg=audit(1795422761.%03d:%d): pid=10 comm=\"t\" "
			   "exe=\"/t\" arch=c000003e syscall=%d compat=0 code=0x7ffc0000\n",
			i, 500 + i, i < 20 ? 0 : 1);
	fclose(f);
	sl_harvest_init(&h);
	assert_int_equal(sl_source_open(&src, path, &cause), 0);
	for (i = 0; i < 20; i++) {
		assert_int_equal(sl_source_next(&src, &rec, &cause), 1);
		sl_harvest_add(&h, &rec);
	}
	sl_harvest_snapshot(&h, &snap);
	assert_int_equal(snap.matched, 20);
	assert_int_equal(snap.nhits, 1);
	assert_string_equal(snap.hits[0].name, "read");
	assert_int_equal(snap.hits[0].count, 20);
	sl_harvest_free(&snap);
	while (sl_source_next(&src, &rec, &cause) > 0)
		sl_harvest_add(&h, &rec);
	sl_source_close(&src);
	sl_harvest_snapshot(&h, &snap);
	sl_harvest_finish(&h);
	assert_int_equal(h.matched, 30);
	assert_int_equal(snap.matched, h.matched);
	assert_int_equal(snap.nhits, 2);
	assert_int_equal(h.nhits, 2);
	for (i = 0; i < 2; i++) {
		assert_string_equal(snap.hits[i].name, h.hits[i].name);
		assert_int_equal(snap.hits[i].count, h.hits[i].count);
	}
	sl_harvest_free(&snap);
	sl_harvest_free(&h);
}

/* A live source that never has anything: it says so, with a wait. */
static int quiet_open(struct sl_source *src, char **cause)
{
	return 0;
}

static int quiet_next(struct sl_source *src, struct sl_record *rec, char **cause)
{
	src->wait_ms = 20;
	return -EAGAIN;
}

static void quiet_close(struct sl_source *src)
{
}

static const struct sl_source_ops quiet_ops = {
	.name = "quiet", .open = quiet_open, .next = quiet_next, .close = quiet_close,
};

/* A live harvest ends at its duration, or when the stop fd is readable. */
static void test_live_ends(void **state)
{
	struct sl_harvest h;
	struct sl_source src;
	struct sl_live live;
	struct timespec a, b;
	char *cause = NULL;
	size_t failed;
	int p[2];

	sl_harvest_init(&h);
	assert_int_equal(sl_source_open_ops(&src, &quiet_ops, NULL, SL_SOURCE_FOLLOW, NULL,
					    &cause), 0);
	sl_live_init(&live);
	live.duration = 0.3;
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(sl_harvest_run(&h, &src, 1, &live, &failed, &cause), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 >= 300);
	assert_true((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < 3000);

	/* a stop fd that is ready at once: over after the settle time */
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	sl_live_init(&live);
	live.stop_fd = p[0];
	live.settle = 0.1;
	assert_int_equal(sl_harvest_run(&h, &src, 1, &live, &failed, &cause), 0);
	assert_true(live.stopped);
	close(p[0]);
	close(p[1]);
	sl_source_close(&src);
	sl_harvest_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_chunk_boundaries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_snapshot, setup, teardown),
		cmocka_unit_test(test_live_ends),
		cmocka_unit_test_setup_teardown(test_odd_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dedupe_across_sources, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merged_sources, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_names_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlong_wherever_reads_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_form_wherever_reads_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entries_wherever_reads_split, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
