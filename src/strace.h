/*
 * strace.h - syscall names from strace output: traces (strace -f, -ff,
 * -o, with any of -t/-tt/-ttt/-r/-T/-y/-s/-v/-k/-i/-n/-Y/-e) and the
 * summaries of strace -c/-C/-w, read line by line.  Each call is named
 * for the personality of the process that made it (strace's "[ Process
 * PID=N runs in 32 bit mode. ]"), tallied per process, and handed to a
 * harvest as (audit arch, number) once the whole input is read: only then
 * is the process tree known that --pid and --children need.
 */
#ifndef SL_STRACE_H
#define SL_STRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harvest.h"
#include "syscall.h"

#define SL_STRACE_PERS 3	/* strace's personalities: 64 bit, 32 bit, x32 */
#define SL_STRACE_NAME_MAX 64	/* longer is no strace syscall name */
#define SL_STRACE_NONE ((size_t)-1)

/* How the lines read were taken. */
struct sl_strace_stats {
	uint64_t lines;
	uint64_t calls;		/* syscall lines (a resumed line is the same call) */
	uint64_t rows;		/* rows of -c summary tables */
	uint64_t row_calls;	/* the calls those rows count */
	uint64_t switches;	/* "[ Process PID=N runs in ... mode. ]" */
	uint64_t other;		/* strace's lines that name no call: signals,
				 * exits, its own messages, stack frames, dumps */
	uint64_t unread;	/* look like strace output, but seclog cannot read them */
	uint64_t foreign;	/* not strace output (the program's own?) */
	uint64_t inferred;	/* images whose personality the names told */
};

/*
 * What a process runs between two execve: its calls are tallied under
 * it, as they all share one personality.  strace -o PROG hides strace's
 * personality lines (it implies -q) unless -e quiet=none: then a 32-bit
 * program shows only by names its arch alone has (mmap2, ugetrlimit),
 * and the whole image is taken to be of that arch.
 */
struct sl_strace_image {
	size_t proc;
	size_t parent;		/* the image that forked it, or SL_STRACE_NONE */
	unsigned int pers;	/* personality: index into sl_strace.arch */
	bool told;		/* strace said so ("[ Process PID=N runs in ...") */
	bool inferred;		/* taken from the names it made */
};

/* A process (a thread, as strace shows them) seen in the trace. */
struct sl_strace_proc {
	int64_t pid;		/* 0: the first process, its pid never shown */
	size_t leader;		/* its thread-group leader (itself if none known) */
	size_t parent;		/* the process that forked it, or SL_STRACE_NONE */
	size_t image;		/* what it runs now */
	unsigned int next_pers;	/* told during its execve: the next image's, + 1 */
	bool dead;		/* exited, killed or detached */
	bool ff;		/* an strace -ff file's */
	bool pending_fork;	/* its unfinished call forks: */
	bool pending_thread;	/* a thread (CLONE_THREAD) */
	char pending[SL_STRACE_NAME_MAX];	/* the unfinished call, "" none */
	uint64_t calls;
};

/*
 * One call a line named (sl_strace_line): its process's pid is
 * procs[proc].pid, its arch arch[pers] (as far as strace told yet: an
 * image's personality may still be inferred by sl_strace_harvest).
 */
struct sl_strace_call {
	size_t proc;		/* index in procs; SL_STRACE_NONE: a -c row */
	size_t image;		/* index in images; SL_STRACE_NONE: a -c row */
	unsigned int pers;	/* the personality it ran in, as far as told yet */
	const char *name;	/* as strace printed it, NUL-terminated */
	uint64_t count;		/* 1, or a -c row's calls */
};

/* How a name was taken (sl_strace_name.kind). */
enum sl_strace_kind {
	SL_STRACE_OK,		/* a syscall of its arch (nr) */
	SL_STRACE_OTHER_ARCH,	/* not of its arch, but another arch knows it */
	SL_STRACE_UNKNOWN,	/* no arch libseccomp knows has it */
	SL_STRACE_NO_ARCH,	/* a personality libseccomp has no arch for */
};

/* A name strace printed, for one personality, resolved once. */
struct sl_strace_name {
	unsigned int pers;
	char *name;
	enum sl_strace_kind kind;
	uint32_t audit_arch;	/* SL_STRACE_OK: the record arch it counts under */
	int64_t nr;		/* the number (x32: with bit 30) */
	uint64_t count;		/* calls, after sl_strace_harvest: those that matched */
};

struct sl_strace {
	/* per personality: strace's name for it ("32 bit"), seclog's arch */
	const char *pers_name[SL_STRACE_PERS];
	const struct sl_arch *arch[SL_STRACE_PERS];
	unsigned int npers;

	struct sl_strace_stats stats;
	struct sl_strace_proc *procs;
	size_t nprocs;
	struct sl_strace_image *images;
	size_t nimages;
	size_t *pid_slot, pid_mask;	/* live pid -> index + 1 */
	size_t anon;			/* the pid-0 process, or SL_STRACE_NONE */
	size_t nlive;
	unsigned int cur_pers;		/* of the last call: a new process's */

	/* the input being read */
	int64_t file_pid;		/* -ff: lines without a prefix are its */
	size_t cont;			/* a call cut by "strace: Process N attached" */
	int table;			/* -c table state */
	unsigned int table_pers;
	size_t calls_col[2], name_col[2];	/* -c columns: [start, end) */
	bool has_calls_col;
	char hdr[256];			/* the -c header, for its divider */
	size_t hdr_len;
	char first_unread[128];		/* the first unread line, for a message */
	uint64_t first_unread_line;

	struct sl_strace_name *names;	/* each (personality, name) once */
	size_t nnames;
	size_t *name_slot, name_mask;
	struct sl_strace_tally *tally;	/* (image, name) -> calls */
	size_t ntally, tally_mask;
	char buf[SL_STRACE_NAME_MAX];

	/* Progress, for a caller that draws it (the library never prints):
	 * the file being read, its bytes read and size (0: not known);
	 * on_read, if set, is called every 4096 lines. */
	const char *path;
	uint64_t bytes, size;
	void (*on_read)(void *arg);
	void *on_read_arg;
};

/*
 * Start a parser for traces made on a host of arch native (NULL: this
 * host's): its personalities are strace's for that arch (x86_64: 64 bit
 * = x86_64, 32 bit = x86, x32 = x32; aarch64: 32 bit = arm; ...).
 */
void sl_strace_init(struct sl_strace *st, const struct sl_arch *native);
void sl_strace_free(struct sl_strace *st);

/*
 * A new input begins (a file): pid is the process of an strace -ff file
 * (FILE.PID), whose lines carry no pid, or 0.  Processes carry over from
 * input to input (-ff files: a child's personality is its parent's).
 */
void sl_strace_begin(struct sl_strace *st, int64_t pid);

/*
 * Take one line (without its newline).  Returns true with *call set when
 * the line names a call (a syscall line, a -c row, a resumed call whose
 * start was not shown); stats say how every line was taken.  call->name
 * points into st until the next line.
 */
bool sl_strace_line(struct sl_strace *st, const char *line, size_t len,
		    struct sl_strace_call *call);

/* Name a call for its personality's arch and tally it under its process. */
void sl_strace_add(struct sl_strace *st, const struct sl_strace_call *call);

/*
 * Read a trace to its end: sl_strace_begin, then every line through
 * sl_strace_line and sl_strace_add.  path "-" is stdin; a path that does
 * not exist but PATH.PID files do (strace -ff -o PATH) reads them all, in
 * pid order.  Returns the number of files read, or -errno with *cause.
 */
int sl_strace_read(struct sl_strace *st, const char *path, char **cause);

/*
 * Does process i pass --pid (pids, any of them, thread-group ids: its
 * threads pass too) and, with children, are they its ancestors?  No pid
 * given: every process passes.  A -c row (SL_STRACE_NONE) holds no pid:
 * it passes only when no pid is given.
 */
bool sl_strace_match(const struct sl_strace *st, size_t i, const int64_t *pids, size_t npids,
		     bool children);

/*
 * The whole input read: settle the personality of images strace did not
 * tell (names only another personality's arch has: that one, for the
 * whole image), add the calls of the processes that match to h
 * (sl_harvest_add_hit), count the others as filtered, and set each
 * name's count to its matched calls (names[].kind says which counted).
 */
void sl_strace_harvest(struct sl_strace *st, struct sl_harvest *h, bool children);

/* The thread-group id of process i (its leader's pid; 0: not known). */
int64_t sl_strace_tgid(const struct sl_strace *st, size_t i);

#endif
