/*
 * test-strace.c - strace output as a source of names: real strace 6.1
 * output of real programs (tests/fixtures/strace-*.txt, README says how
 * each was made and how the counts below were taken, with grep, apart
 * from seclog), one line at a time and whole files.
 */
#include "config.h"

#include <inttypes.h>

#include "unit.h"
#include "harvest.h"
#include "strace.h"
#include "syscall.h"

#define X86_64 sl_arch_by_name("x86_64")

static void read_trace(struct sl_strace *st, const char *name)
{
	char path[4096], *cause = NULL;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	rc = sl_strace_read(st, path, &cause);
	if (rc < 0)
		fail_msg("%s: %s", name, cause);
	assert_true(rc >= 1);
}

static size_t proc_of(const struct sl_strace *st, int64_t pid)
{
	size_t i;

	for (i = 0; i < st->nprocs; i++)
		if (st->procs[i].pid == pid)
			return i;
	fail_msg("no process %" PRId64, pid);
	return SL_STRACE_NONE;
}

/* The count a harvest holds for (arch, name), 0 if none. */
static uint64_t hits(const struct sl_harvest *h, const char *arch, const char *name)
{
	const struct sl_arch *a = sl_arch_by_name(arch);
	int64_t nr = sl_syscall_number(a, name);
	size_t i;

	for (i = 0; i < h->nhits; i++)
		if (h->hits[i].audit_arch == sl_arch_audit(a) && h->hits[i].nr == nr)
			return h->hits[i].count;
	return 0;
}

static uint64_t hits_nr(const struct sl_harvest *h, uint32_t audit_arch, int64_t nr)
{
	size_t i;

	for (i = 0; i < h->nhits; i++)
		if (h->hits[i].audit_arch == audit_arch && h->hits[i].nr == nr)
			return h->hits[i].count;
	return 0;
}

static uint64_t arch_total(const struct sl_harvest *h, const char *arch)
{
	uint32_t a = sl_arch_audit(sl_arch_by_name(arch));
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < h->nhits; i++)
		if (h->hits[i].audit_arch == a && (!strcmp(arch, "x32") == !!(h->hits[i].nr & 0x40000000)))
			n += h->hits[i].count;
	return n;
}

static void harvest_fixture(struct sl_harvest *h, struct sl_strace *st, const char *name)
{
	sl_harvest_init(h);
	sl_strace_init(st, X86_64);
	read_trace(st, name);
	sl_strace_harvest(st, h, false);
	sl_harvest_finish(h);
}

/* One line of each shape strace prints, from the fixtures. */
static void test_lines(void **state)
{
	static const struct {
		const char *line;
		int64_t pid;		/* -1: names no call */
		const char *name;
	} cases[] = {
		{ "29739 brk(NULL)                         = 0x55eb3e024000", 29739, "brk" },
		/* -o pads a pid to 5 columns ("%-5u ") */
		{ "977   brk(NULL)                         = 0x55eb3e024000", 977, "brk" },
		{ "[pid 29749] set_robust_list(0x7f0b477bea20, 24) = 0", 29749, "set_robust_list" },
		{ "[pid 29747] wait4(-1,  <unfinished ...>", 29747, "wait4" },
		{ "29556 18:07:45.783798 brk(NULL)         = 0x55de154e0000 <0.000007>", 29556, "brk" },
		{ "29561 1796148465.807729 access(\"/etc/ld.so.preload\", R_OK) = -1 ENOENT "
		  "(No such file or directory)", 29561, "access" },
		{ "29800      0.000287 [  12] [00007f9c9bdbfc47] brk(NULL) = 0x5555a6a9e000",
		  29800, "brk" },
		{ "31952<threads> brk(NULL)                = 0x55a99bdc8000", 31952, "brk" },
		{ "29572 18:07:45 brk(NULL)                = 0x55f237326000", 29572, "brk" },
		/* -ff: no pid, and -ttt's epoch seconds are no pid */
		{ "1796148465.807729 close(3)           = 0", 0, "close" },
		{ " > /usr/lib/x86_64-linux-gnu/libc.so.6(__brk+0xb) [0xf1fb]", -1, NULL },
		{ "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=29749} ---", -1, NULL },
		{ "29761 syscall_0x1b4(0x1, 0x2)         = -1 ENOSYS (Function not implemented)",
		  29761, "syscall_0x1b4" },
	};
	struct sl_strace st;
	struct sl_strace_call c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sl_strace_init(&st, X86_64);
		sl_strace_begin(&st, 0);
		if (cases[i].pid < 0) {
			assert_false(sl_strace_line(&st, cases[i].line, strlen(cases[i].line), &c));
			assert_int_equal(st.stats.other, 1);
		} else {
			assert_true(sl_strace_line(&st, cases[i].line, strlen(cases[i].line), &c));
			assert_string_equal(c.name, cases[i].name);
			assert_int_equal(st.procs[c.proc].pid, cases[i].pid);
			assert_int_equal(c.count, 1);
			assert_int_equal(c.pers, 0);
		}
		assert_int_equal(st.stats.unread, 0);
		sl_strace_free(&st);
	}
}

/* What is not strace's is counted as such, never dropped unsaid. */
static void test_unread(void **state)
{
	static const char *const lines[] = {
		"cat: /nonexistent: No such file or directory",	/* the program's own */
		"29761 <... read resumed",			/* cut short */
		"29761 READ(0) = 1",				/* not a name strace prints */
		"[ Process PID=12 runs in 16 bit mode. ]",	/* no such personality */
	};
	struct sl_strace st;
	struct sl_strace_call c;
	size_t i;

	(void)state;
	sl_strace_init(&st, X86_64);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		assert_false(sl_strace_line(&st, lines[i], strlen(lines[i]), &c));
	assert_int_equal(st.stats.foreign, 1);
	assert_int_equal(st.stats.unread, 3);
	assert_int_equal(st.first_unread_line, 2);
	assert_string_equal(st.first_unread, "29761 <... read resumed");
	sl_strace_free(&st);
}

/*
 * strace -f -o: a thread (clone3 with CLONE_THREAD, unfinished, its
 * child's lines before the result) and a fork (clone without it).
 */
static void test_threads(void **state)
{
	struct sl_strace st;
	size_t main_, thread, child;
	int64_t pid = 29739;

	(void)state;
	sl_strace_init(&st, X86_64);
	read_trace(&st, "strace-f.txt");
	assert_int_equal(st.stats.calls, 52);
	assert_int_equal(st.stats.unread + st.stats.foreign, 0);
	assert_int_equal(st.nprocs, 3);
	main_ = proc_of(&st, 29739);
	thread = proc_of(&st, 29741);
	child = proc_of(&st, 29742);
	assert_int_equal(sl_strace_tgid(&st, thread), 29739);
	assert_int_equal(st.procs[thread].parent, main_);
	assert_int_equal(sl_strace_tgid(&st, child), 29742);
	assert_int_equal(st.procs[child].parent, main_);
	/* --pid is a thread-group id; --children adds what it forked */
	assert_true(sl_strace_match(&st, thread, &pid, 1, false));
	assert_false(sl_strace_match(&st, child, &pid, 1, false));
	assert_true(sl_strace_match(&st, child, &pid, 1, true));
	assert_true(st.procs[main_].dead && st.procs[thread].dead && st.procs[child].dead);
	sl_strace_free(&st);
}

/* The same program traced with -Y, -r -i -n: the same names and counts. */
static void test_same_run_other_options(void **state)
{
	static const char *const files[] = { "strace-Y.txt", "strace-r-i-n.txt" };
	struct sl_harvest ref, h;
	struct sl_strace st, st2;
	size_t i, j;

	(void)state;
	harvest_fixture(&ref, &st, "strace-f.txt");
	assert_int_equal(ref.matched, 52);
	for (i = 0; i < 2; i++) {
		harvest_fixture(&h, &st2, files[i]);
		assert_int_equal(h.nhits, ref.nhits);
		for (j = 0; j < h.nhits; j++) {
			assert_int_equal(h.hits[j].nr, ref.hits[j].nr);
			assert_int_equal(h.hits[j].count, ref.hits[j].count);
		}
		sl_harvest_free(&h);
		sl_strace_free(&st2);
	}
	sl_harvest_free(&ref);
	sl_strace_free(&st);
}

/*
 * strace without -o: "[pid N]" prefixes only while two processes live,
 * lines cut by "strace: Process N attached", the program's stderr mixed in.
 */
static void test_stderr(void **state)
{
	struct sl_strace st;
	size_t sh;

	(void)state;
	sl_strace_init(&st, X86_64);
	read_trace(&st, "strace-stderr.txt");
	assert_int_equal(st.stats.calls, 111);
	assert_int_equal(st.stats.unread, 0);
	assert_int_equal(st.stats.foreign, 1);	/* ")           = 1" after cat's "\n" */
	assert_int_equal(st.nprocs, 3);
	/* the first process's pid, learnt when prefixes began */
	sh = proc_of(&st, 29747);
	assert_int_equal(st.procs[proc_of(&st, 29749)].parent, sh);
	assert_int_equal(st.procs[proc_of(&st, 29751)].parent, sh);
	sl_strace_free(&st);
}

/* A 64-bit shell runs a 32-bit program: told, and (strace -o's -q) not told. */
static void test_personality(void **state)
{
	static const char *const files[] = { "strace-f-32.txt", "strace-f-32-q.txt" };
	struct sl_harvest h;
	struct sl_strace st;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		harvest_fixture(&h, &st, files[i]);
		assert_int_equal(st.stats.switches, i == 0 ? 1 : 0);
		assert_int_equal(st.stats.inferred, i == 0 ? 0 : 1);
		/* grep: 17 calls after the 32-bit execve returned, 64 before */
		assert_int_equal(arch_total(&h, "x86"), 17);
		assert_int_equal(arch_total(&h, "x86_64"), 81 - 17);
		assert_int_equal(hits(&h, "x86", "set_thread_area"), 1);
		assert_int_equal(hits(&h, "x86", "ugetrlimit"), 1);
		assert_int_equal(hits(&h, "x86", "brk"), 6);
		assert_int_equal(hits(&h, "x86", "exit_group"), 1);
		/* the execve was the 64-bit shell's */
		assert_int_equal(hits(&h, "x86_64", "execve"), 2);
		assert_int_equal(hits(&h, "x86", "execve"), 0);
		sl_harvest_free(&h);
		sl_strace_free(&st);
	}
}

/* strace -c with a 32-bit section; its rows, named per section. */
static void test_summary(void **state)
{
	struct sl_harvest h, trace;
	struct sl_strace st, st2;
	size_t i;

	(void)state;
	harvest_fixture(&h, &st, "strace-c-32.txt");
	assert_int_equal(st.stats.calls, 0);
	assert_int_equal(st.stats.rows, 44);		/* 33 + 11 */
	assert_int_equal(st.stats.row_calls, 139);	/* the totals: 123 + 16 */
	assert_int_equal(st.stats.unread + st.stats.foreign, 0);
	assert_int_equal(arch_total(&h, "x86"), 16);
	assert_int_equal(hits(&h, "x86", "brk"), 6);
	assert_int_equal(hits(&h, "x86_64", "execve"), 3);
	/* the same program traced: the same 32-bit names, but exit_group
	 * (strace -c counts a call when it returns) */
	harvest_fixture(&trace, &st2, "strace-f-32.txt");
	for (i = 0; i < trace.nhits; i++) {
		if (trace.hits[i].audit_arch != sl_arch_audit(sl_arch_by_name("x86")))
			continue;
		if (strcmp(trace.hits[i].name, "exit_group"))
			assert_true(hits_nr(&h, trace.hits[i].audit_arch, trace.hits[i].nr) > 0);
		else
			assert_int_equal(hits_nr(&h, trace.hits[i].audit_arch, trace.hits[i].nr), 0);
	}
	sl_harvest_free(&trace);
	sl_strace_free(&st2);
	/* a summary holds no pids: --pid leaves it out */
	sl_harvest_free(&h);
	sl_strace_free(&st);
	sl_harvest_init(&h);
	sl_filter_add_pid(&h.filter, 1);
	sl_strace_init(&st, X86_64);
	read_trace(&st, "strace-c-32.txt");
	sl_strace_harvest(&st, &h, false);
	assert_int_equal(h.matched, 0);
	assert_int_equal(h.filtered, 139);
	sl_harvest_free(&h);
	sl_strace_free(&st);
}

/* -C: a trace, then its summary; -w -S calls -U name,calls,errors: other columns. */
static void test_summary_forms(void **state)
{
	struct sl_harvest h;
	struct sl_strace st;

	(void)state;
	harvest_fixture(&h, &st, "strace-C.txt");
	assert_int_equal(st.stats.calls, 109);
	assert_int_equal(st.stats.rows, 33);
	assert_int_equal(st.stats.row_calls, 107);
	/* each call once from the trace, once from the summary, exit_group once */
	assert_int_equal(h.matched, 109 + 107);
	assert_int_equal(hits(&h, "x86_64", "exit_group"), 2);
	sl_harvest_free(&h);
	sl_strace_free(&st);

	harvest_fixture(&h, &st, "strace-w-U.txt");
	assert_int_equal(st.stats.rows, 33);
	assert_int_equal(st.stats.row_calls, 107);
	assert_int_equal(h.matched, 107);
	assert_int_equal(hits(&h, "x86_64", "mmap"), 17);
	assert_int_equal(st.stats.unread + st.stats.foreign, 0);
	sl_harvest_free(&h);
	sl_strace_free(&st);
}

/* strace -ff -o strace-ff.txt: one file per process, read by the prefix. */
static void test_ff(void **state)
{
	struct sl_strace st;
	size_t sh;

	(void)state;
	sl_strace_init(&st, X86_64);
	read_trace(&st, "strace-ff.txt");
	assert_int_equal(st.stats.calls, 118);
	assert_int_equal(st.nprocs, 3);
	sh = proc_of(&st, 29822);
	assert_int_equal(st.procs[proc_of(&st, 29823)].parent, sh);
	assert_int_equal(st.procs[proc_of(&st, 29824)].parent, sh);
	sl_strace_free(&st);
}

/* -ff after a pid wrap: the child's file (lower pid) is read first. */
static void test_ff_wrap(void **state)
{
	static const char *const child[] = {
		"[ Process PID=200 runs in 32 bit mode. ]",
		"brk(NULL)                         = 0x9b09000",
		"exit_group(0)                     = ?",
		"+++ exited with 0 +++",
	};
	static const char *const parent[] = {
		"vfork()                           = 200",
		"wait4(-1, NULL, 0, NULL)          = 200",
		"exit_group(0)                     = ?",
		"+++ exited with 0 +++",
	};
	struct sl_strace_call c;
	struct sl_strace st;
	int64_t pid = 32000;
	size_t i;

	(void)state;
	sl_strace_init(&st, X86_64);
	sl_strace_begin(&st, 200);
	for (i = 0; i < 4; i++)
		if (sl_strace_line(&st, child[i], strlen(child[i]), &c))
			sl_strace_add(&st, &c);
	sl_strace_begin(&st, 32000);
	for (i = 0; i < 4; i++)
		if (sl_strace_line(&st, parent[i], strlen(parent[i]), &c))
			sl_strace_add(&st, &c);
	assert_int_equal(st.nprocs, 2);
	assert_int_equal(st.procs[proc_of(&st, 200)].parent, proc_of(&st, 32000));
	assert_true(sl_strace_match(&st, proc_of(&st, 200), &pid, 1, true));
	/* told 32-bit in its own file: that stays */
	assert_int_equal(st.images[st.procs[proc_of(&st, 200)].image].pers, 1);
	sl_strace_free(&st);
}

/* A child killed by SIGKILL mid-call: its calls count, it ends. */
static void test_killed(void **state)
{
	struct sl_harvest h;
	struct sl_strace st;
	size_t i;

	(void)state;
	harvest_fixture(&h, &st, "strace-killed.txt");
	assert_int_equal(st.stats.calls, 136);
	assert_int_equal(st.stats.unread + st.stats.foreign, 0);
	for (i = 0; i < st.nprocs; i++)
		assert_true(st.procs[i].dead);
	assert_int_equal(hits(&h, "x86_64", "clock_nanosleep"), 2);
	sl_harvest_free(&h);
	sl_strace_free(&st);
}

/* x32 (made by hand from strace 6.1's formats: this kernel has no x32). */
static void test_x32(void **state)
{
	const struct sl_arch *x32 = sl_arch_by_name("x32");
	struct sl_harvest h;
	struct sl_strace st;

	(void)state;
	if (!x32)
		skip();
	harvest_fixture(&h, &st, "strace-x32-made.txt");
	assert_int_equal(st.stats.unread + st.stats.foreign, 0);
	assert_int_equal(sl_arch_audit(x32), sl_arch_audit(X86_64));
	assert_int_equal(hits(&h, "x32", "write"), 1 + 1);	/* trace + x32 summary */
	assert_true(sl_syscall_number(x32, "write") & 0x40000000);
	/* "ioctl#64": x86_64's ioctl with the x32 bit; syscall_0x400001ff as is */
	assert_int_equal(hits_nr(&h, sl_arch_audit(x32), 0x40000000 | 16), 2);
	assert_int_equal(hits_nr(&h, sl_arch_audit(x32), 0x400001ff), 1);
	assert_int_equal(hits(&h, "x86_64", "write"), 0);
	assert_int_equal(hits(&h, "x86_64", "mmap"), 8 + 8);
	sl_harvest_free(&h);
	sl_strace_free(&st);
}

/* Names strace spells otherwise, and names no arch or another arch has. */
static void test_names(void **state)
{
	static const struct {
		const char *native;
		const char *lines[2];
		const char *arch;	/* where it counts */
		const char *as;		/* as this libseccomp name; NULL: kind */
		int64_t nr;		/* or this number */
		enum sl_strace_kind kind;
	} cases[] = {
		{ "x86_64", { "5 syscall_0x1b4()                 = 0" }, "x86_64", NULL, 436,
		  SL_STRACE_OK },
		{ "x86_64", { "5 syscall_436()                   = 0" }, "x86_64", NULL, 436,
		  SL_STRACE_OK },
		{ "x86_64", { "5 [ Process PID=5 runs in 32 bit mode. ]", "5 socket(AF_UNIX) = 3" },
		  "x86", "socket", 0, SL_STRACE_OK },
		{ "x86_64", { "5 [ Process PID=5 runs in 32 bit mode. ]", "5 send(3, \"\", 0) = 0" },
		  "x86", "socketcall", 0, SL_STRACE_OK },
		{ "x86_64", { "5 [ Process PID=5 runs in 32 bit mode. ]", "5 semop(3, [], 0) = 0" },
		  "x86", "ipc", 0, SL_STRACE_OK },
		{ "aarch64", { "5 [ Process PID=5 runs in 32 bit mode. ]",
			       "5 fadvise64_64(3, 0, 0, POSIX_FADV_NORMAL) = 0" },
		  "arm", "arm_fadvise64_64", 0, SL_STRACE_OK },
		{ "aarch64", { "5 [ Process PID=5 runs in 32 bit mode. ]",
			       "5 sync_file_range2(3, 0, 0, 0) = 0" },
		  "arm", "arm_sync_file_range", 0, SL_STRACE_OK },
		/* not told: only x86 has mmap2, so the program was x86's */
		{ "x86_64", { "5 mmap2(NULL, 8192) = 0xf7f9f000" }, "x86", "mmap2", 0,
		  SL_STRACE_OK },
		{ "x86_64", { "5 [ Process PID=5 runs in 64 bit mode. ]",
			      "5 mmap2(NULL, 8192) = 0xf7f9f000" }, NULL, NULL, 0,
		  SL_STRACE_OTHER_ARCH },
		{ "x86_64", { "5 frobnicate() = 0" }, NULL, NULL, 0, SL_STRACE_UNKNOWN },
	};
	struct sl_strace_call c;
	struct sl_harvest h;
	struct sl_strace st;
	const struct sl_arch *arch;
	size_t i, j, k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!sl_arch_by_name(cases[i].native))
			continue;
		sl_strace_init(&st, sl_arch_by_name(cases[i].native));
		sl_harvest_init(&h);
		for (j = 0; j < 2 && cases[i].lines[j]; j++)
			if (sl_strace_line(&st, cases[i].lines[j], strlen(cases[i].lines[j]), &c))
				sl_strace_add(&st, &c);
		assert_int_equal(st.stats.unread, 0);
		sl_strace_harvest(&st, &h, false);
		sl_harvest_finish(&h);
		/* the one name that counted (others were tried for the image) */
		for (k = 0, j = 0; j < st.nnames; j++)
			if (st.names[j].count)
				k = j + 1;
		assert_true(k > 0);
		assert_int_equal(st.names[k - 1].count, 1);
		assert_int_equal(st.names[k - 1].kind, cases[i].kind);
		if (cases[i].arch) {
			arch = sl_arch_by_name(cases[i].arch);
			assert_int_equal(h.nhits, 1);
			assert_int_equal(h.hits[0].audit_arch, sl_arch_audit(arch));
			assert_int_equal(h.hits[0].nr, cases[i].as ?
					 sl_syscall_number_called(arch, cases[i].as) : cases[i].nr);
			assert_true(h.hits[0].nr >= 0);
		} else {
			assert_int_equal(h.nhits, 0);
			assert_int_equal(h.records, 1);
		}
		sl_harvest_free(&h);
		sl_strace_free(&st);
	}
	/* x86's socket is the direct syscall (359), not a pseudo number */
	assert_int_equal(sl_syscall_number_called(sl_arch_by_name("x86"), "socket"), 359);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_unread),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_same_run_other_options),
		cmocka_unit_test(test_stderr),
		cmocka_unit_test(test_personality),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_summary_forms),
		cmocka_unit_test(test_ff),
		cmocka_unit_test(test_ff_wrap),
		cmocka_unit_test(test_killed),
		cmocka_unit_test(test_x32),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
