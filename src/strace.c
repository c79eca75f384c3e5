/*
 * strace.c - syscall names from strace output.  strace prints a call
 * for the personality of the process that made it (a 32-bit program
 * under a 64-bit strace says "[ Process PID=N runs in 32 bit mode. ]"
 * once), so each process carries its personality, inherited from the
 * process that forked it.  Numbers come from libseccomp for that arch,
 * never from strace's tables.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "strace.h"

#define X32_BIT 0x40000000LL

struct sl_strace_tally {
	size_t proc;		/* the image; SL_STRACE_NONE: a -c row */
	size_t name;		/* index + 1 into names; 0: free slot */
	uint64_t count;
};

/* strace's personalities per host arch (its PERSONALITY_NAMES). */
static const struct {
	const char *host;
	const char *pers[SL_STRACE_PERS];
	const char *arch[SL_STRACE_PERS];
} personalities[] = {
	{ "x86_64", { "64 bit", "32 bit", "x32" }, { "x86_64", "x86", "x32" } },
	{ "x32", { "x32", "32 bit" }, { "x32", "x86" } },
	{ "aarch64", { "64 bit", "32 bit" }, { "aarch64", "arm" } },
	{ "ppc64", { "64 bit", "32 bit" }, { "ppc64", "ppc" } },
	{ "ppc64le", { "64 bit", "32 bit" }, { "ppc64le", "ppc" } },
	{ "s390x", { "64 bit", "32 bit" }, { "s390x", "s390" } },
};

/*
 * Where strace 6.1 spells a syscall otherwise than libseccomp 2.5.  Every
 * name of strace's x86_64, i386, x32, aarch64 and arm tables was resolved
 * with libseccomp 2.5.4 for its arch: these are all the differences, but
 * for x86's socketcall/ipc calls (sl_syscall_number_called), x32's
 * "name#64" (resolve) and arm's OABI-only names, which EABI has not.
 */
static const struct {
	const char *arch, *strace, *libseccomp;
} spellings[] = {
	{ "arm", "fadvise64_64", "arm_fadvise64_64" },
	{ "arm", "sync_file_range2", "arm_sync_file_range" },
};

enum { TABLE_NONE, TABLE_HEADER, TABLE_ROWS, TABLE_TOTAL };

void sl_strace_init(struct sl_strace *st, const struct sl_arch *native)
{
	size_t i;

	memset(st, 0, sizeof(*st));
	st->anon = st->cont = SL_STRACE_NONE;
	if (!native)
		native = sl_arch_native();
	for (i = 0; native && i < sizeof(personalities) / sizeof(personalities[0]); i++) {
		if (strcmp(personalities[i].host, native->name))
			continue;
		for (; st->npers < SL_STRACE_PERS && personalities[i].pers[st->npers]; st->npers++) {
			st->pers_name[st->npers] = personalities[i].pers[st->npers];
			st->arch[st->npers] = sl_arch_by_name(personalities[i].arch[st->npers]);
		}
		return;
	}
	/* one personality: strace names it by the word size */
	st->pers_name[0] = "64 bit";
	st->pers_name[1] = "32 bit";
	st->arch[0] = st->arch[1] = native;
	st->npers = 2;
}

void sl_strace_free(struct sl_strace *st)
{
	size_t i;

	for (i = 0; i < st->nnames; i++)
		free(st->names[i].name);
	free(st->names);
	free(st->name_slot);
	free(st->tally);
	free(st->procs);
	free(st->images);
	free(st->pid_slot);
	memset(st, 0, sizeof(*st));
}

void sl_strace_begin(struct sl_strace *st, int64_t pid)
{
	st->file_pid = pid;
	st->cont = SL_STRACE_NONE;
	st->table = TABLE_NONE;
	st->table_pers = 0;
}

/* --- processes --- */

static size_t pid_hash(int64_t pid, size_t mask)
{
	return (size_t)(((uint64_t)pid * 0x9e3779b97f4a7c15ULL) >> 32) & mask;
}

static void pid_insert(struct sl_strace *st, size_t idx);

static void pid_grow(struct sl_strace *st)
{
	size_t i;

	free(st->pid_slot);
	if (!st->pid_mask)
		st->pid_mask = 63;
	while ((st->nprocs + 1) * 2 > st->pid_mask + 1)
		st->pid_mask = 2 * st->pid_mask + 1;
	st->pid_slot = sl_xcalloc(st->pid_mask + 1, sizeof(*st->pid_slot));
	/* only the live one of each pid is found again */
	for (i = 0; i < st->nprocs; i++)
		if (!st->procs[i].dead && st->procs[i].pid)
			pid_insert(st, i);
}

static void pid_insert(struct sl_strace *st, size_t idx)
{
	int64_t pid = st->procs[idx].pid;
	size_t i;

	if (!st->pid_slot || (st->nprocs + 1) * 2 > st->pid_mask + 1)
		pid_grow(st);	/* idx among the rest, if live */
	for (i = pid_hash(pid, st->pid_mask); st->pid_slot[i]; i = (i + 1) & st->pid_mask)
		if (st->procs[st->pid_slot[i] - 1].pid == pid)
			break;
	st->pid_slot[i] = idx + 1;
}

/* The last process of pid, live or not, or SL_STRACE_NONE. */
static size_t pid_last(const struct sl_strace *st, int64_t pid)
{
	size_t i, p;

	if (!st->pid_slot)
		return SL_STRACE_NONE;
	for (i = pid_hash(pid, st->pid_mask); st->pid_slot[i]; i = (i + 1) & st->pid_mask) {
		p = st->pid_slot[i] - 1;
		if (st->procs[p].pid == pid)
			return p;
	}
	return SL_STRACE_NONE;
}

/* The live process pid, or SL_STRACE_NONE. */
static size_t pid_find(const struct sl_strace *st, int64_t pid)
{
	size_t p = pid_last(st, pid);

	return p == SL_STRACE_NONE || st->procs[p].dead ? SL_STRACE_NONE : p;
}

#define PERS(st, proc) ((st)->images[(st)->procs[proc].image].pers)

/* A new image for process proc: from is what it came from (fork or exec). */
static size_t image_new(struct sl_strace *st, size_t proc, size_t from, unsigned int pers,
			bool told)
{
	struct sl_strace_image *im;

	st->images = sl_xrealloc(st->images, (st->nimages + 1) * sizeof(*st->images));
	im = &st->images[st->nimages];
	im->proc = proc;
	im->parent = from;
	im->pers = pers;
	im->told = told;
	im->inferred = false;
	return st->nimages++;
}

/* A process, its image forked from image from (SL_STRACE_NONE: not known). */
static size_t proc_new(struct sl_strace *st, int64_t pid, size_t from)
{
	struct sl_strace_proc *p;
	size_t idx = st->nprocs;
	unsigned int pers = from != SL_STRACE_NONE ? st->images[from].pers : st->cur_pers;
	bool told = from != SL_STRACE_NONE && st->images[from].told;

	st->procs = sl_xrealloc(st->procs, (st->nprocs + 1) * sizeof(*st->procs));
	p = &st->procs[st->nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->leader = idx;
	p->parent = SL_STRACE_NONE;
	p->image = image_new(st, idx, from, pers, told);
	st->nlive++;
	if (pid)
		pid_insert(st, idx);
	return idx;
}

/* The live process pid, made on first sight with the last call's personality. */
static size_t proc_get(struct sl_strace *st, int64_t pid)
{
	size_t i = pid_find(st, pid);

	return i != SL_STRACE_NONE ? i : proc_new(st, pid, SL_STRACE_NONE);
}

/* A line without a pid: the -ff file's process, else the only one alive. */
static size_t proc_unprefixed(struct sl_strace *st)
{
	size_t i;

	if (st->file_pid) {
		i = proc_get(st, st->file_pid);
		st->procs[i].ff = true;
		return i;
	}
	if (st->anon != SL_STRACE_NONE && !st->procs[st->anon].dead)
		return st->anon;
	if (st->nlive == 1)
		for (i = st->nprocs; i-- > 0;)
			if (!st->procs[i].dead)
				return i;
	st->anon = proc_new(st, 0, SL_STRACE_NONE);
	return st->anon;
}

/*
 * A pid seen for the first time while the first process's pid is not
 * known yet: strace prefixes lines with pids only once it traces two
 * processes, so this is that first process, unless it was forking.
 */
static size_t proc_prefixed(struct sl_strace *st, int64_t pid)
{
	size_t i = pid_find(st, pid);
	struct sl_strace_proc *a;

	if (i != SL_STRACE_NONE)
		return i;
	if (st->anon != SL_STRACE_NONE && !st->procs[st->anon].dead &&
	    !st->procs[st->anon].pid && !st->procs[st->anon].pending_fork) {
		a = &st->procs[st->anon];
		a->pid = pid;
		pid_insert(st, st->anon);
		return st->anon;
	}
	return proc_new(st, pid, SL_STRACE_NONE);
}

static void proc_end(struct sl_strace *st, size_t i)
{
	if (!st->procs[i].dead) {
		st->procs[i].dead = true;
		st->nlive--;
	}
}

/* Process parent forked pid (a thread of it with thread). */
static void forked(struct sl_strace *st, size_t parent, int64_t pid, bool thread)
{
	size_t c = pid_find(st, pid);
	struct sl_strace_image *im;
	struct sl_strace_proc *p;

	if (pid <= 0)
		return;
	if (c == SL_STRACE_NONE) {
		c = pid_last(st, pid);
		/* -ff files go in pid order: after a pid wrap, a child's file
		 * comes before its parent's, and it is that child */
		if (c == SL_STRACE_NONE || !st->procs[c].ff || st->procs[c].parent != SL_STRACE_NONE ||
		    c == parent)
			c = proc_new(st, pid, st->procs[parent].image);
	}
	p = &st->procs[c];
	if (p->parent != SL_STRACE_NONE || c == parent)
		return;
	p->parent = parent;
	p->leader = thread ? st->procs[parent].leader : c;
	/* its lines came before the fork's result: now its origin is known */
	im = &st->images[p->image];
	if (im->parent == SL_STRACE_NONE && im->proc == c) {
		im->parent = st->procs[parent].image;
		if (!im->told) {
			im->pers = st->images[im->parent].pers;
			im->told = st->images[im->parent].told;
		}
	}
}

static bool execs(const char *name)
{
	return !strcmp(name, "execve") || !strcmp(name, "execveat");
}

/* Does the call's line end in " = 0" (-T: " = 0 <0.000123>")? */
static bool result_zero(const char *s, const char *end)
{
	const char *p = NULL, *q;

	for (q = s; q + 3 <= end; q++)
		if (q[0] == ' ' && q[1] == '=' && q[2] == ' ')
			p = q + 3;
	return p && p < end && *p == '0' && (p + 1 == end || p[1] == ' ');
}

/* Process proc's execve succeeded: a new image, of the personality strace told. */
static void exec_done(struct sl_strace *st, size_t proc)
{
	struct sl_strace_proc *p = &st->procs[proc];
	unsigned int pers = p->next_pers ? p->next_pers - 1 : PERS(st, proc);
	/* strace tells every change, unless quiet: having told one, same is told */
	bool told = p->next_pers || st->stats.switches;

	p->image = image_new(st, proc, SL_STRACE_NONE, pers, told);
	p->next_pers = 0;
}

static bool forks(const char *name)
{
	return !strcmp(name, "clone") || !strcmp(name, "clone3") || !strcmp(name, "fork") ||
	       !strcmp(name, "vfork");
}

/* The value after the last " = " in s: a pid; 0 if none or an error. */
static int64_t result_pid(const char *s, const char *end)
{
	const char *p = NULL, *q;
	int64_t v = 0;

	for (q = s; q + 3 <= end; q++)
		if (q[0] == ' ' && q[1] == '=' && q[2] == ' ')
			p = q + 3;
	if (!p || p >= end || !isdigit((unsigned char)*p))
		return 0;
	for (; p < end && isdigit((unsigned char)*p) && v < INT32_MAX; p++)
		v = v * 10 + (*p - '0');
	return v;
}

/* --- lines --- */

/* The pid at p (0 if none, or longer than a pid can be); *after: past it. */
static int64_t number(const char *p, const char *end, const char **after)
{
	int64_t v = 0;

	for (; p < end && isdigit((unsigned char)*p); p++)
		if (v <= INT32_MAX)
			v = v * 10 + (*p - '0');
	*after = p;
	return v <= INT32_MAX ? v : 0;
}

static bool starts(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(end - p) >= n && !memcmp(p, s, n);
}

static const char *find(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);

	for (; p + n <= end; p++)
		if (*p == *s && !memcmp(p, s, n))
			return p;
	return NULL;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '#';
}

/* A syscall name at p (strace's: lower case, digits, _, x32's #64); its length. */
static size_t name_len(const char *p, const char *end)
{
	const char *q = p;

	if (p >= end || !((*p >= 'a' && *p <= 'z') || *p == '_'))
		return 0;
	while (q < end && name_char(*q))
		q++;
	return (size_t)(q - p) < SL_STRACE_NAME_MAX ? (size_t)(q - p) : 0;
}

static const char *set_name(struct sl_strace *st, const char *p, size_t n)
{
	memcpy(st->buf, p, n);
	st->buf[n] = '\0';
	return st->buf;
}

/* "[pid  123] " or "[pid 123<comm>] " (stderr), "123 " or "123<comm> " (-o). */
static const char *pid_prefix(const char *p, const char *end, int64_t *pid)
{
	const char *q = p;
	int64_t v = 0;
	int digits = 0;
	bool bracket = starts(p, end, "[pid ");

	if (bracket)
		for (q += 5; q < end && *q == ' '; q++)
			;
	for (; q < end && isdigit((unsigned char)*q) && digits < 8; q++, digits++)
		v = v * 10 + (*q - '0');
	/* pids have at most 7 digits; epoch seconds (-ttt) have 10 */
	if (!digits || digits > 7 || !v)
		return NULL;
	if (q < end && *q == '<') {		/* -Y: the comm, with <> escaped */
		while (q < end && *q != '>')
			q++;
		if (q++ == end)
			return NULL;
	}
	if (bracket && (q == end || *q++ != ']'))
		return NULL;
	if (q == end || *q != ' ')
		return NULL;
	*pid = v;
	return q + 1;
}

/*
 * What strace prints between the pid and the call: -t/-tt/-ttt stamps,
 * -r "  0.000123" (or "(+ 0.000123)" with -t), SELinux "[context]",
 * -n "[ 59]", -i "[00007f...]".  Stops at "[ Process".
 */
static const char *skip_leader(const char *p, const char *end)
{
	const char *q;

	for (;;) {
		while (p < end && *p == ' ')
			p++;
		if (p == end || starts(p, end, "[ Process PID="))
			return p;
		if (*p == '[' || starts(p, end, "(+")) {
			q = memchr(p, *p == '[' ? ']' : ')', (size_t)(end - p));
			if (!q || q + 1 == end || q[1] != ' ')
				return p;
			p = q + 2;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			return p;
		for (q = p; q < end && (isdigit((unsigned char)*q) || *q == ':' || *q == '.'); q++)
			;
		if (q == end || *q != ' ')
			return p;
		p = q + 1;
	}
}

/* --- -c summaries --- */

static bool divider(const char *p, const char *end)
{
	if (p == end || *p != '-')
		return false;
	for (; p < end; p++)
		if (*p != '-' && *p != ' ')
			return false;
	return true;
}

/* The header of a -c table: only its column names, "syscall" among them. */
static bool table_header(const char *p, const char *end)
{
	static const char *const cols[] = {
		"%", "time", "seconds", "usecs/call", "calls", "errors", "syscall",
		"shortest", "longest",
	};
	const char *q;
	bool name = false, ok;
	size_t i;

	while (p < end) {
		while (p < end && *p == ' ')
			p++;
		for (q = p; q < end && *q != ' '; q++)
			;
		if (q == p)
			break;
		for (ok = false, i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
			if (strlen(cols[i]) == (size_t)(q - p) && !memcmp(cols[i], p, (size_t)(q - p)))
				ok = true;
		if (!ok)
			return false;
		if (q - p == 7 && !memcmp(p, "syscall", 7))
			name = true;
		p = q;
	}
	return name;
}

/* The divider under the header: which columns hold the calls and the name. */
static bool table_columns(struct sl_strace *st, const char *head, size_t hlen, const char *p,
			  const char *end)
{
	const char *start = p, *q;
	size_t s, e, a, b;
	bool name = false;

	st->has_calls_col = false;
	while (p < end) {
		while (p < end && *p == ' ')
			p++;
		for (q = p; q < end && *q == '-'; q++)
			;
		if (q == p)
			break;
		s = (size_t)(p - start);
		e = (size_t)(q - start);
		/* the header's word inside this column */
		for (a = s; a < e && a < hlen && head[a] == ' '; a++)
			;
		for (b = e < hlen ? e : hlen; b > a && head[b - 1] == ' '; b--)
			;
		if (b - a == 5 && !memcmp(head + a, "calls", 5)) {
			st->calls_col[0] = s;
			st->calls_col[1] = e;
			st->has_calls_col = true;
		} else if (b - a == 7 && !memcmp(head + a, "syscall", 7)) {
			st->name_col[0] = s;
			/* the last column is not padded: a long name runs on */
			st->name_col[1] = q == end ? SIZE_MAX : e;
			name = true;
		}
		p = q;
	}
	return name;
}

/* The trimmed text of column [s, e) of a row. */
static const char *column(const char *line, size_t len, const size_t col[2], size_t *n)
{
	size_t s = col[0], e = col[1] < len ? col[1] : len;

	if (s >= e)
		return *n = 0, line;
	while (s < e && line[s] == ' ')
		s++;
	while (e > s && line[e - 1] == ' ')
		e--;
	*n = e - s;
	return line + s;
}

static bool table_row(struct sl_strace *st, const char *line, size_t len,
		      struct sl_strace_call *call)
{
	const char *name, *calls;
	size_t n, cn, i;
	uint64_t v = 0;

	name = column(line, len, st->name_col, &n);
	if (!n || name_len(name, name + n) != n)
		return false;
	if (st->has_calls_col) {
		calls = column(line, len, st->calls_col, &cn);
		if (!cn)
			return false;
		for (i = 0; i < cn; i++) {
			if (!isdigit((unsigned char)calls[i]) || v > UINT64_MAX / 10 - 10)
				return false;
			v = v * 10 + (uint64_t)(calls[i] - '0');
		}
	} else {
		v = 1;		/* -U without calls: it was called */
	}
	call->proc = call->image = SL_STRACE_NONE;
	call->pers = st->table_pers;
	call->name = set_name(st, name, n);
	call->count = v;
	st->stats.rows++;
	st->stats.row_calls += v;
	return v > 0;
}

/* "System call usage summary for 32 bit mode:": the next table's personality. */
static bool table_mode(struct sl_strace *st, const char *p, const char *end)
{
	static const char head[] = "System call usage summary for ";
	unsigned int i;
	size_t n;

	if (!starts(p, end, head))
		return false;
	p += sizeof(head) - 1;
	for (i = 0; i < st->npers; i++) {
		n = strlen(st->pers_name[i]);
		if (starts(p, end, st->pers_name[i]) && (size_t)(end - p) == n + 6 &&
		    !memcmp(p + n, " mode:", 6)) {
			st->table_pers = i;
			return true;
		}
	}
	return false;
}

/* --- the parser --- */

static void unread(struct sl_strace *st, const char *line, size_t len)
{
	if (!st->stats.unread++) {
		st->first_unread_line = st->stats.lines;
		snprintf(st->first_unread, sizeof(st->first_unread), "%.*s",
			 (int)(len < sizeof(st->first_unread) - 1 ? len : sizeof(st->first_unread) - 1),
			 line);
	}
}

/* Does a line seclog does not read look like strace's? */
static bool strace_like(const char *p, const char *end)
{
	return find(p, end, ") = ") || find(p, end, "resumed>") || find(p, end, "<unfinished") ||
	       starts(p, end, "+++ ") || starts(p, end, "--- ") || starts(p, end, "[ Process");
}

/* "[ Process PID=N runs in 32 bit mode. ]" */
static bool personality(struct sl_strace *st, const char *p, const char *end, size_t proc)
{
	const char *q = p + 14;		/* after "[ Process PID=" */
	int64_t pid = 0;
	unsigned int i;
	size_t n;

	for (; q < end && isdigit((unsigned char)*q) && pid < INT32_MAX; q++)
		pid = pid * 10 + (*q - '0');
	if (!pid || !starts(q, end, " runs in "))
		return false;
	q += 9;
	for (i = 0; i < st->npers; i++) {
		n = strlen(st->pers_name[i]);
		if (!starts(q, end, st->pers_name[i]) || !starts(q + n, end, " mode. ]"))
			continue;
		if (proc == SL_STRACE_NONE) {
			proc = proc_unprefixed(st);
			/* the first process: now its pid is known */
			if (!st->procs[proc].pid && pid_find(st, pid) == SL_STRACE_NONE) {
				st->procs[proc].pid = pid;
				pid_insert(st, proc);
			}
		}
		if (execs(st->procs[proc].pending)) {
			/* told before the execve's end: the new image's */
			st->procs[proc].next_pers = i + 1;
		} else {
			st->images[st->procs[proc].image].pers = i;
			st->images[st->procs[proc].image].told = true;
		}
		st->cur_pers = i;
		st->stats.switches++;
		return true;
	}
	return false;
}

/* One call of proc, counted once (at its start, or at its end when
 * strace showed no start). */
static void count_call(struct sl_strace *st, size_t proc, struct sl_strace_call *call,
		       const char *name)
{
	struct sl_strace_proc *pr = &st->procs[proc];

	st->cur_pers = PERS(st, proc);
	pr->calls++;
	st->stats.calls++;
	call->proc = proc;
	call->pers = PERS(st, proc);
	call->name = name;
	call->count = 1;
	call->image = pr->image;
}

/* A call's line: "name(args) = result", or cut: "name(args <unfinished ...>". */
static bool call_line(struct sl_strace *st, const char *p, const char *end, size_t proc, size_t n,
		      struct sl_strace_call *call)
{
	struct sl_strace_proc *pr = &st->procs[proc];
	const char *name = set_name(st, p, n), *att;
	int64_t child;

	count_call(st, proc, call, name);
	pr->pending_fork = forks(name);
	pr->pending_thread = pr->pending_fork && find(p, end, "CLONE_THREAD");
	pr->pending[0] = '\0';
	/* strace's stderr message cut the line: its end comes next */
	att = find(p, end, "strace: Process ");
	if (att && find(att, end, " attached")) {
		child = number(att + 16, end, &att);
		if (pr->pending_fork && child)
			forked(st, proc, child, pr->pending_thread);
		else if (child)
			proc_get(st, child);
		pr = &st->procs[proc];	/* moved if procs grew */
		/* the child is known: a pid not seen yet is not it */
		pr->pending_fork = pr->pending_fork && !child;
		st->cont = proc;
		memcpy(pr->pending, name, n + 1);
	} else if (find(p, end, "<unfinished ...>")) {
		memcpy(pr->pending, name, n + 1);
	} else if (pr->pending_fork && (child = result_pid(p, end))) {
		forked(st, proc, child, pr->pending_thread);
		st->procs[proc].pending_fork = false;
	} else {
		pr->pending_fork = false;
		if (execs(name) && result_zero(p, end))
			exec_done(st, proc);
	}
	return true;
}

/* "<... name resumed>...": the end of a call counted at its start. */
static bool resumed(struct sl_strace *st, const char *p, const char *end, size_t proc,
		    struct sl_strace_call *call)
{
	struct sl_strace_proc *pr = &st->procs[proc];
	size_t n = name_len(p + 5, end);
	const char *name;
	int64_t child;

	if (!n || !starts(p + 5 + n, end, " resumed>"))
		return false;
	name = set_name(st, p + 5, n);
	if (strcmp(pr->pending, name)) {
		/* its start was not shown (attached mid-call): count it here */
		pr->pending_fork = forks(name);
		pr->pending_thread = false;
		count_call(st, proc, call, name);
	}
	if (pr->pending_fork && (child = result_pid(p, end)))
		forked(st, proc, child, pr->pending_thread);
	else if (execs(name) && result_zero(p, end))
		exec_done(st, proc);
	pr = &st->procs[proc];	/* moved if procs grew */
	pr->pending[0] = '\0';
	pr->pending_fork = false;
	if (call->name == name)
		return true;
	st->stats.other++;
	return false;
}

bool sl_strace_line(struct sl_strace *st, const char *line, size_t len,
		    struct sl_strace_call *call)
{
	const char *end = line + len, *p = line, *q;
	size_t proc = SL_STRACE_NONE, n;
	int64_t pid = 0, child;

	memset(call, 0, sizeof(*call));
	if (len && line[len - 1] == '\r')
		end--, len--;
	st->stats.lines++;
	if (st->cont != SL_STRACE_NONE) {
		/* the rest of a call strace's "Process N attached" cut */
		size_t c = st->cont;

		st->cont = SL_STRACE_NONE;
		if (st->procs[c].pending_fork && (child = result_pid(p, end)))
			forked(st, c, child, st->procs[c].pending_thread);
		else if (execs(st->procs[c].pending) && result_zero(p, end))
			exec_done(st, c);
		if (!find(p, end, "<unfinished ...>")) {
			st->procs[c].pending[0] = '\0';
			st->procs[c].pending_fork = false;
		}
		st->stats.other++;
		return false;
	}
	if (p == end) {
		st->stats.other++;
		return false;
	}

	/* -c tables */
	if (st->table == TABLE_ROWS) {
		if (divider(p, end)) {
			st->table = TABLE_TOTAL;
			st->stats.other++;
			return false;
		}
		if (table_row(st, line, len, call))
			return true;
		if (call->name)
			return false;	/* a row of 0 calls, counted in rows */
		/* the table ended without its footer: read the line as any */
		st->table = TABLE_NONE;
		st->table_pers = 0;
	}
	if (st->table == TABLE_TOTAL) {
		/* the totals; the next table is the first personality's unless told */
		st->table = TABLE_NONE;
		st->table_pers = 0;
		q = column(line, len, st->name_col, &n);
		if (n == 5 && !memcmp(q, "total", 5)) {
			st->stats.other++;
			return false;
		}
	}
	if (st->table == TABLE_HEADER) {
		st->table = TABLE_NONE;
		if (divider(p, end) && table_columns(st, st->hdr, st->hdr_len, p, end)) {
			st->table = TABLE_ROWS;
			st->stats.other++;
			return false;
		}
	}
	if (table_header(p, end)) {
		st->table = TABLE_HEADER;
		st->stats.other++;
		/* keep the header for the divider that follows */
		st->hdr_len = len < sizeof(st->hdr) ? len : sizeof(st->hdr);
		memcpy(st->hdr, line, st->hdr_len);
		return false;
	}
	if (table_mode(st, p, end)) {
		st->stats.other++;
		return false;
	}

	if ((q = pid_prefix(p, end, &pid))) {
		p = q;
		proc = proc_prefixed(st, pid);
	}
	p = skip_leader(p, end);
	if (starts(p, end, "[ Process PID=") && personality(st, p, end, proc))
		return false;
	if (starts(p, end, "strace: ")) {
		/* strace's own: "Process N attached", "... detached" */
		if (starts(p, end, "strace: Process ")) {
			child = number(p + 16, end, &q);
			if (child && starts(q, end, " attached"))
				proc_get(st, child);
			else if (child && starts(q, end, " detached") &&
				 (n = pid_find(st, child)) != SL_STRACE_NONE)
				proc_end(st, n);
		}
		st->stats.other++;
		return false;
	}
	if (starts(p, end, "+++ ") || starts(p, end, "--- ")) {
		if (*p == '+') {
			if (proc == SL_STRACE_NONE)
				proc = proc_unprefixed(st);
			/* exited, killed by SIG, superseded by execve */
			proc_end(st, proc);
		}
		st->stats.other++;
		return false;
	}
	if (starts(p, end, "> ") || starts(p, end, "| ")) {
		/* -k stack frames, -e read=/write= dumps */
		st->stats.other++;
		return false;
	}
	if (starts(p, end, "<... ")) {
		if (proc == SL_STRACE_NONE)
			proc = proc_unprefixed(st);
		n = name_len(p + 5, end);
		if (n && starts(p + 5 + n, end, " resumed>"))
			return resumed(st, p, end, proc, call);
	} else if ((n = name_len(p, end)) && p + n < end && p[n] == '(') {
		if (proc == SL_STRACE_NONE)
			proc = proc_unprefixed(st);
		return call_line(st, p, end, proc, n, call);
	}
	if (proc != SL_STRACE_NONE || strace_like(p, end))
		unread(st, line, len);
	else
		st->stats.foreign++;
	return false;
}

/* --- names and tallies --- */

static uint64_t name_hash(unsigned int pers, const char *s)
{
	uint64_t h = 1469598103934665603ULL ^ pers;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void name_slot_put(struct sl_strace *st, size_t idx)
{
	size_t i = name_hash(st->names[idx].pers, st->names[idx].name) & st->name_mask;

	while (st->name_slot[i])
		i = (i + 1) & st->name_mask;
	st->name_slot[i] = idx + 1;
}

/* What a name strace printed is on its personality's arch. */
static void resolve(const struct sl_strace *st, struct sl_strace_name *e)
{
	const struct sl_arch *arch = st->arch[e->pers], *x86_64;
	const char *name = e->name, *hash;
	char base[SL_STRACE_NAME_MAX], *end;
	bool x32;
	int64_t nr;
	size_t i;

	e->kind = SL_STRACE_NO_ARCH;
	if (!arch)
		return;
	e->audit_arch = sl_arch_audit(arch);
	x32 = !strcmp(arch->name, "x32");
	/* syscall_0x1b4 (syscall_436 before strace 5.x): a number strace
	 * has no name for; libseccomp may have one */
	if (!strncmp(name, "syscall_", 8) && isdigit((unsigned char)name[8])) {
		errno = 0;
		nr = strtoll(name + 8, &end, 0);
		if (!*end && !errno && nr >= 0 && nr <= INT32_MAX) {
			e->nr = x32 ? nr | X32_BIT : nr;
			e->kind = SL_STRACE_OK;
			return;
		}
	}
	/* x32's "ioctl#64": x86_64's number called with the x32 bit, which
	 * the kernel refuses; seccomp sees that number, nameless */
	if ((hash = strchr(name, '#'))) {
		x86_64 = sl_arch_by_name("x86_64");
		snprintf(base, sizeof(base), "%.*s", (int)(hash - name), name);
		if (x32 && x86_64 && !strcmp(hash, "#64") &&
		    (nr = sl_syscall_number(x86_64, base)) >= 0) {
			e->nr = nr | X32_BIT;
			e->kind = SL_STRACE_OK;
		} else {
			e->kind = SL_STRACE_UNKNOWN;
		}
		return;
	}
	for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++)
		if (!strcmp(spellings[i].arch, arch->name) && !strcmp(spellings[i].strace, name))
			name = spellings[i].libseccomp;
	if ((e->nr = sl_syscall_number_called(arch, name)) >= 0)
		e->kind = SL_STRACE_OK;
	else
		e->kind = sl_syscall_known(name) ? SL_STRACE_OTHER_ARCH : SL_STRACE_UNKNOWN;
}

/* The index of (pers, name) in names, resolved when first seen. */
static size_t name_get(struct sl_strace *st, unsigned int pers, const char *name)
{
	struct sl_strace_name *e;
	size_t i;

	if (st->name_slot) {
		for (i = name_hash(pers, name) & st->name_mask; st->name_slot[i];
		     i = (i + 1) & st->name_mask) {
			e = &st->names[st->name_slot[i] - 1];
			if (e->pers == pers && !strcmp(e->name, name))
				return st->name_slot[i] - 1;
		}
	}
	if (!st->name_slot || (st->nnames + 1) * 2 > st->name_mask + 1) {
		free(st->name_slot);
		st->name_mask = st->name_mask ? 2 * st->name_mask + 1 : 255;
		st->name_slot = sl_xcalloc(st->name_mask + 1, sizeof(*st->name_slot));
		for (i = 0; i < st->nnames; i++)
			name_slot_put(st, i);
	}
	st->names = sl_xrealloc(st->names, (st->nnames + 1) * sizeof(*st->names));
	e = &st->names[st->nnames];
	memset(e, 0, sizeof(*e));
	e->pers = pers;
	e->name = sl_xstrdup(name);
	resolve(st, e);
	name_slot_put(st, st->nnames);
	return st->nnames++;
}

static size_t tally_hash(size_t proc, size_t name, size_t mask)
{
	uint64_t k = ((uint64_t)proc << 24) ^ (uint64_t)name;

	return (size_t)((k * 0x9e3779b97f4a7c15ULL) >> 32) & mask;
}

static void tally_add(struct sl_strace *st, size_t proc, size_t name, uint64_t n)
{
	struct sl_strace_tally *old = st->tally, *t;
	size_t i, j, oldn = st->tally_mask + 1;

	if (!st->tally || (st->ntally + 1) * 2 > st->tally_mask + 1) {
		st->tally_mask = st->tally ? 2 * st->tally_mask + 1 : 255;
		st->tally = sl_xcalloc(st->tally_mask + 1, sizeof(*st->tally));
		for (i = 0; old && i < oldn; i++) {
			if (!old[i].name)
				continue;
			for (j = tally_hash(old[i].proc, old[i].name, st->tally_mask);
			     st->tally[j].name; j = (j + 1) & st->tally_mask)
				;
			st->tally[j] = old[i];
		}
		free(old);
	}
	for (i = tally_hash(proc, name + 1, st->tally_mask); st->tally[i].name;
	     i = (i + 1) & st->tally_mask) {
		t = &st->tally[i];
		if (t->proc == proc && t->name == name + 1) {
			t->count += n;
			return;
		}
	}
	st->tally[i].proc = proc;
	st->tally[i].name = name + 1;
	st->tally[i].count = n;
	st->ntally++;
}

void sl_strace_add(struct sl_strace *st, const struct sl_strace_call *call)
{
	if (call->pers >= SL_STRACE_PERS || !call->name || !call->count)
		return;
	tally_add(st, call->image, name_get(st, call->pers, call->name), call->count);
}

int64_t sl_strace_tgid(const struct sl_strace *st, size_t i)
{
	return st->procs[st->procs[i].leader].pid;
}

bool sl_strace_match(const struct sl_strace *st, size_t i, const int64_t *pids, size_t npids,
		     bool children)
{
	size_t steps, k;
	int64_t tgid;

	if (!npids)
		return true;
	if (i == SL_STRACE_NONE)
		return false;
	/* the process itself, then (children) its ancestors */
	for (steps = 0; i != SL_STRACE_NONE && steps <= st->nprocs; steps++) {
		tgid = sl_strace_tgid(st, i);
		for (k = 0; tgid && k < npids; k++)
			if (pids[k] == tgid)
				return true;
		if (!children)
			break;
		i = st->procs[i].parent;
	}
	return false;
}

/* Do all names image im made resolve on the arch of personality pers? */
static bool image_fits(struct sl_strace *st, size_t im, unsigned int pers)
{
	size_t i, n;

	for (i = 0; i <= st->tally_mask; i++) {
		if (!st->tally[i].name || st->tally[i].proc != im)
			continue;
		n = name_get(st, pers, st->names[st->tally[i].name - 1].name);
		if (st->names[n].kind != SL_STRACE_OK)
			return false;
	}
	return true;
}

/*
 * Images whose personality strace did not tell: one that made a name its
 * arch lacks but another personality's arch has throughout was of that
 * personality (strace named its calls from that arch's table); a process
 * it forked, unless told otherwise, too.  Images go in the order they
 * began, so a parent is settled before its children.
 */
static void infer(struct sl_strace *st)
{
	struct sl_strace_image *im;
	bool *odd = sl_xcalloc(st->nimages + 1, sizeof(*odd));
	size_t i, n;
	unsigned int p;

	for (i = 0; st->tally && i <= st->tally_mask; i++) {
		if (!st->tally[i].name || st->tally[i].proc == SL_STRACE_NONE)
			continue;
		im = &st->images[st->tally[i].proc];
		n = st->tally[i].name - 1;
		if (!im->told && st->names[n].pers == im->pers &&
		    st->names[n].kind == SL_STRACE_OTHER_ARCH)
			odd[st->tally[i].proc] = true;
	}
	for (i = 0; i < st->nimages; i++) {
		im = &st->images[i];
		if (im->told)
			continue;
		if (im->parent != SL_STRACE_NONE && st->images[im->parent].inferred) {
			im->pers = st->images[im->parent].pers;
			im->inferred = true;
		}
		if (!odd[i])
			continue;
		for (p = 0; p < st->npers; p++) {
			if (p == im->pers || !image_fits(st, i, p))
				continue;
			st->images[i].pers = p;
			st->images[i].inferred = true;
			st->stats.inferred++;
			break;
		}
	}
	free(odd);
}

void sl_strace_harvest(struct sl_strace *st, struct sl_harvest *h, bool children)
{
	signed char *memo = sl_xcalloc(st->nprocs + 1, 1);
	struct sl_strace_tally *t;
	struct sl_strace_name *e;
	size_t i, m, proc, n;

	if (st->tally)
		infer(st);
	for (i = 0; i < st->nnames; i++)
		st->names[i].count = 0;
	for (i = 0; st->tally && i <= st->tally_mask; i++) {
		t = &st->tally[i];
		if (!t->name)
			continue;
		proc = t->proc == SL_STRACE_NONE ? SL_STRACE_NONE : st->images[t->proc].proc;
		m = proc == SL_STRACE_NONE ? st->nprocs : proc;
		if (!memo[m])
			memo[m] = sl_strace_match(st, proc, h->filter.pids, h->filter.npids,
						  children) ? 1 : -1;
		if (memo[m] < 0) {
			h->records += t->count;
			h->filtered += t->count;
			continue;
		}
		/* named for the personality its image ended up with */
		n = t->name - 1;
		if (t->proc != SL_STRACE_NONE && st->names[n].pers != st->images[t->proc].pers)
			n = name_get(st, st->images[t->proc].pers, st->names[n].name);
		e = &st->names[n];
		e->count += t->count;
		if (e->kind == SL_STRACE_OK)
			sl_harvest_add_hit(h, e->audit_arch, e->nr, t->count);
		else
			h->records += t->count;
	}
	free(memo);
}

/* --- files --- */

static int read_stream(struct sl_strace *st, FILE *f, const char *path, char **cause)
{
	struct sl_strace_call call;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	struct stat sb;
	uint64_t k = 0;

	st->path = path;
	st->bytes = 0;
	st->size = !fstat(fileno(f), &sb) && S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
	while ((n = getline(&line, &cap, f)) >= 0) {
		st->bytes += (uint64_t)n;
		if (st->on_read && !(++k % 4096))
			st->on_read(st->on_read_arg);
		if (n && line[n - 1] == '\n')
			n--;
		if (sl_strace_line(st, line, (size_t)n, &call))
			sl_strace_add(st, &call);
	}
	free(line);
	if (ferror(f))
		return sl_fail(cause, -EIO, "%s: read error", path);
	return 0;
}

/* The pid of an strace -ff file name, FILE.PID; 0 if it is none. */
static int64_t ff_pid(const char *name)
{
	const char *dot = strrchr(name, '.'), *q;
	int64_t pid = 0;

	if (!dot || strchr(dot, '/') || !dot[1] || strlen(dot + 1) > 7)
		return 0;
	for (q = dot + 1; *q; q++) {
		if (!isdigit((unsigned char)*q))
			return 0;
		pid = pid * 10 + (*q - '0');
	}
	return pid;
}

static int read_file(struct sl_strace *st, const char *path, int64_t pid, char **cause)
{
	FILE *f = fopen(path, "re");
	int rc;

	if (!f)
		return sl_fail(cause, -errno, "%s: %s", path, strerror(errno));
	sl_strace_begin(st, pid);
	rc = read_stream(st, f, path, cause);
	fclose(f);
	return rc;
}

static int cmp_pid(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* strace -ff -o PATH wrote PATH.PID for each process: read them in pid order. */
static int read_ff(struct sl_strace *st, const char *path, char **cause)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	char *dir = slash ? sl_xasprintf("%.*s", (int)(slash - path + 1), path) : sl_xstrdup(".");
	size_t blen = strlen(base), n = 0, i;
	int64_t *pids = NULL, pid;
	struct dirent *d;
	char *file;
	DIR *dh;
	int rc = 0;

	dh = opendir(dir);
	while (dh && (d = readdir(dh))) {
		if (strncmp(d->d_name, base, blen) || d->d_name[blen] != '.' ||
		    (pid = ff_pid(d->d_name + blen)) <= 0 || strchr(d->d_name + blen + 1, '.'))
			continue;
		pids = sl_xrealloc(pids, (n + 1) * sizeof(*pids));
		pids[n++] = pid;
	}
	if (dh)
		closedir(dh);
	free(dir);
	if (!n) {
		free(pids);
		return sl_fail(cause, -ENOENT, "%s: no such file (nor strace -ff files %s.PID)",
			       path, path);
	}
	qsort(pids, n, sizeof(*pids), cmp_pid);
	for (i = 0; i < n && !rc; i++) {
		file = sl_xasprintf("%s.%" PRId64, path, pids[i]);
		rc = read_file(st, file, pids[i], cause);
		free(file);
	}
	free(pids);
	return rc ? rc : (int)n;
}

int sl_strace_read(struct sl_strace *st, const char *path, char **cause)
{
	struct stat sb;
	int rc;

	if (!strcmp(path, "-")) {
		sl_strace_begin(st, 0);
		rc = read_stream(st, stdin, "stdin", cause);
		return rc ? rc : 1;
	}
	if (stat(path, &sb)) {
		if (errno != ENOENT)
			return sl_fail(cause, -errno, "%s: %s", path, strerror(errno));
		return read_ff(st, path, cause);
	}
	if (S_ISDIR(sb.st_mode))
		return sl_fail(cause, -EISDIR, "%s: is a directory (strace -ff -o PATH writes "
			       "PATH.PID files: name PATH)", path);
	rc = read_file(st, path, ff_pid(path), cause);
	return rc ? rc : 1;
}
