/*
 * gen-audit-log - write a synthetic but realistic auditd audit.log to stdout,
 * for benchmarking seclog harvest (scripts/bench-harvest).
 *
 *   gen-audit-log [-s SIZE_MB] [-p NPIDS] [-f SECCOMP_PERCENT] [--enriched]
 *                 [--subj CONTEXT] [--seed N]
 *
 * -s SIZE_MB          stop after the event that reaches SIZE_MB MiB (default 1024;
 *                     fractions allowed: -s 0.5)
 * -p NPIDS            processes, one pid each (default 300): three quarters
 *                     long-running, the rest reused by the exec'd programs
 *                     (an execve keeps its pid), so the log holds about NPIDS
 *                     distinct pids whatever its size
 * -f SECCOMP_PERCENT  share of the lines that are SECCOMP records (default 10)
 * --enriched          auditd's ENRICHED format: interpreted fields after a 0x1d
 * --subj CONTEXT      add subj=CONTEXT to kernel records, as on a host with an
 *                     LSM (AppArmor: --subj unconfined); default none, as on
 *                     the machine the fixtures were captured on
 * --seed N            another deterministic log (default seed 1)
 *
 * The line shapes are copied from real auditd 3.0.9 output
 * (tests/fixtures/auditd-raw.txt and auditd-enriched.txt): SECCOMP records in
 * bursts per process (a program's dynamic-loader start-up right after its
 * execve, then its steady-state syscalls), execve events (SYSCALL,
 * BPRM_FCAPS for root, EXECVE, CWD, PATH x2, PROCTITLE), file-watch events,
 * cron PAM sessions, systemd SERVICE_START/STOP and BPF records.  One serial
 * per event, kernel timestamps on a 4 ms (HZ=250) grid, comm/exe/argv
 * hex-encoded the way the kernel does it (a space, a quote, a control or
 * non-ASCII byte), thread comms that differ from the main comm, statically
 * linked Go binaries (ip=0x4...), and a few 32-bit processes
 * (arch=40000003 compat=1, about 1% of the bursts).  About 1 SECCOMP record
 * in 250 is a filter's ERRNO(EPERM) or KILL_PROCESS (sig=31) rather than
 * LOG.  Output is deterministic for a given seed.
 *
 * Plain C, no dependencies: cc -O2 -o gen-audit-log gen-audit-log.c
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUTBUF (4u << 20)

static char *out;
static size_t outlen;
static uint64_t written;

static void flush_out(void)
{
	if (outlen && fwrite(out, 1, outlen, stdout) != outlen) {
		fprintf(stderr, "gen-audit-log: write: %s\n", strerror(errno));
		exit(1);
	}
	written += outlen;
	outlen = 0;
}

static inline void put(const char *s, size_t n)
{
	memcpy(out + outlen, s, n);
	outlen += n;
}

#define PUTS(lit) put(lit, sizeof(lit) - 1)

static inline void puts_(const char *s)
{
	put(s, strlen(s));
}

static inline void putc_(char c)
{
	out[outlen++] = c;
}

static inline void putu(uint64_t v)
{
	char tmp[24];
	int i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(tmp + i, sizeof(tmp) - i);
}

static inline void putx(uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[16];
	int i = sizeof(tmp);

	do {
		tmp[--i] = hex[v & 15];
		v >>= 4;
	} while (v);
	put(tmp + i, sizeof(tmp) - i);
}

/* the end of a line; events are flushed whole, so a line never straddles */
static inline void eol(void)
{
	putc_('\n');
}

/* ---- deterministic random numbers (xorshift64*) ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static inline uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* uniform in [0, n) */
static inline uint32_t rndn(uint32_t n)
{
	return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32);
}

/* true with probability p/1000 */
static inline int chance(uint32_t permille)
{
	return rndn(1000) < permille;
}

/* ---- small string builder for the strings built once at start-up ---- */

struct sb {
	char *s;
	size_t n, cap;
};

static void sb_put(struct sb *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2 + 64;
		b->s = realloc(b->s, b->cap);
		if (!b->s) {
			perror("gen-audit-log");
			exit(1);
		}
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void sb_puts(struct sb *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

static void sb_printf(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(struct sb *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		fprintf(stderr, "gen-audit-log: internal string too long\n");
		exit(1);
	}
	sb_put(b, tmp, (size_t)n);
}

static char *sb_take(struct sb *b)
{
	char *s = b->s ? b->s : strdup("");

	b->s = NULL;
	b->n = b->cap = 0;
	return s;
}

/* The kernel's audit_string_contains_control(): such a value is logged hex. */
static int needs_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c < 0x21 || c > 0x7e)
			return 1;
	}
	return 0;
}

/* audit_log_n_untrustedstring(): "value" or uppercase hex */
static void sb_untrusted(struct sb *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";

	if (!needs_hex(s, n)) {
		sb_puts(b, "\"");
		sb_put(b, s, n);
		sb_puts(b, "\"");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char h[2] = { hex[(unsigned char)s[i] >> 4], hex[s[i] & 15] };

		sb_put(b, h, 2);
	}
}

/* ---- the host: users, programs, syscall mixes ---- */

struct user {
	unsigned uid;
	const char *name;
};

static const struct user users[] = {
	{ 0, "root" },		  /* 0 */
	{ 33, "www-data" },	  /* 1 */
	{ 106, "postgres" },	  /* 2 */
	{ 1000, "alice" },	  /* 3 */
	{ 1001, "bob" },	  /* 4 */
	{ 65534, "nobody" },	  /* 5 */
	{ 998, "systemd-resolve" }, /* 6 */
	{ 110, "redis" },	  /* 7 */
	{ 999, "systemd-network" }, /* 8 */
};
enum { U_ROOT, U_WWW, U_PG, U_ALICE, U_BOB, U_NOBODY, U_RESOLVE, U_REDIS, U_NETWORK };

/* syscall mixes */
enum { C_LIBC, C_SERVER, C_GO, C_JAVA, C_I386, NCLASS };

struct prog {
	const char *exe;	/* /proc/PID/exe */
	const char *argv;	/* the args split on tabs, argv[0] first */
	const char *comms;	/* main comm then thread comms, split on '|' */
	const char *cwd;
	int user;
	int cls;
	int live_weight;	/* share of the long-running process pool */
	int exec_weight;	/* share of the execve events */
	int is_static;		/* no ELF interpreter: one PATH item */
	int session;		/* a login session process: auid/ses/tty set */
};

/*
 * Programs: daemons (mostly long-running), user tools (mostly exec'd), a
 * browser and a JVM with thread comms, Go binaries, 32-bit programs, and an
 * exe and comms with spaces (logged hex by the kernel).
 */
static const struct prog progs[] = {
	{ "/usr/sbin/nginx", "/usr/sbin/nginx\t-g\tdaemon on; master_process on;", "nginx", "/", U_WWW, C_SERVER, 40, 1, 0, 0 },
	{ "/usr/lib/postgresql/15/bin/postgres", "/usr/lib/postgresql/15/bin/postgres\t-D\t/var/lib/postgresql/15/main\t-c\tconfig_file=/etc/postgresql/15/main/postgresql.conf", "postgres", "/var/lib/postgresql/15/main", U_PG, C_SERVER, 30, 2, 0, 0 },
	{ "/usr/bin/redis-server", "/usr/bin/redis-server 127.0.0.1:6379", "redis-server|bio_close_file|bio_aof|io_thd_1", "/var/lib/redis", U_REDIS, C_SERVER, 10, 0, 0, 0 },
	{ "/usr/sbin/sshd", "/usr/sbin/sshd\t-D\t-R", "sshd", "/", U_ROOT, C_SERVER, 8, 2, 0, 0 },
	{ "/usr/sbin/cron", "/usr/sbin/cron\t-f", "cron", "/var/spool/cron", U_ROOT, C_LIBC, 3, 1, 0, 0 },
	{ "/usr/lib/systemd/systemd-resolved", "/lib/systemd/systemd-resolved", "systemd-resolve", "/", U_RESOLVE, C_SERVER, 4, 0, 0, 0 },
	{ "/usr/lib/systemd/systemd-journald", "/lib/systemd/systemd-journald", "systemd-journal", "/", U_ROOT, C_LIBC, 4, 0, 0, 0 },
	{ "/usr/lib/systemd/systemd-networkd", "/lib/systemd/systemd-networkd", "systemd-network", "/", U_NETWORK, C_SERVER, 2, 0, 0, 0 },
	{ "/usr/bin/dockerd", "/usr/bin/dockerd\t-H\tfd://\t--containerd=/run/containerd/containerd.sock", "dockerd", "/", U_ROOT, C_GO, 12, 0, 1, 0 },
	{ "/usr/bin/containerd", "/usr/bin/containerd", "containerd", "/", U_ROOT, C_GO, 10, 0, 1, 0 },
	{ "/usr/bin/containerd-shim-runc-v2", "/usr/bin/containerd-shim-runc-v2\t-namespace\tmoby\t-id\t4f2a9c1e7d3b8a6f0e5d4c3b2a1908f7e6d5c4b3a2918070f6e5d4c3b2a19080\t-address\t/run/containerd/containerd.sock", "containerd-shim", "/run/containerd/io.containerd.runtime.v2.task/moby/4f2a9c1e7d3b", U_ROOT, C_GO, 10, 1, 1, 0 },
	{ "/usr/bin/runc", "runc\tinit", "runc:[2:INIT]|runc:[1:CHILD]", "/", U_ROOT, C_GO, 1, 3, 1, 0 },
	{ "/usr/local/bin/node-exporter", "/usr/local/bin/node-exporter\t--collector.systemd", "node-exporter", "/", U_NOBODY, C_GO, 6, 0, 1, 0 },
	{ "/usr/bin/python3.11", "/usr/bin/python3\t/srv/app/worker.py\t--queue\tdefault", "python3", "/srv/app", U_WWW, C_LIBC, 20, 6, 0, 0 },
	{ "/usr/bin/python3.11", "/srv/app/venv/bin/python\t-m\tgunicorn\tapp:create_app()\t--workers\t4", "gunicorn", "/srv/app", U_WWW, C_SERVER, 20, 2, 0, 0 },
	{ "/usr/bin/node", "node\t/srv/web/server.js", "node|libuv-worker", "/srv/web", U_WWW, C_SERVER, 14, 2, 0, 0 },
	{ "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "/usr/bin/java\t-Xmx2g\t-jar\t/opt/search/search.jar", "java|C2 CompilerThre|GC Thread#0|VM Thread|http-nio-8080-e", "/opt/search", U_NOBODY, C_JAVA, 14, 0, 0, 0 },
	{ "/usr/lib/firefox-esr/firefox-esr", "/usr/lib/firefox-esr/firefox-esr\t-contentproc\t-childID\t7\t-isForBrowser\ttab", "Web Content|Isolated Web Co|Socket Thread|DOM Worker", "/home/alice", U_ALICE, C_LIBC, 12, 0, 0, 1 },
	{ "/opt/Acme Sync/acme-sync", "/opt/Acme Sync/acme-sync\t--background", "acme-sync|tokio-runtime-w", "/home/bob", U_BOB, C_LIBC, 5, 1, 0, 1 },
	{ "/usr/bin/bash", "-bash", "bash", "/home/alice", U_ALICE, C_LIBC, 6, 3, 0, 1 },
	{ "/usr/bin/vim.basic", "vim\tnotes.txt", "vim", "/home/alice", U_ALICE, C_LIBC, 2, 1, 0, 1 },
	{ "/usr/bin/tmux", "tmux\tnew\t-s\twork", "tmux: server", "/home/bob", U_BOB, C_LIBC, 2, 0, 0, 1 },
	{ "/home/alice/.local/share/Steam/ubuntu12_32/steam", "/home/alice/.local/share/Steam/ubuntu12_32/steam\t-silent", "steam|steamwebhelper", "/home/alice/.local/share/Steam", U_ALICE, C_I386, 2, 0, 0, 1 },
	{ "/opt/legacy/bin/legacyd", "/opt/legacy/bin/legacyd\t-c\t/etc/legacyd.conf", "legacyd", "/opt/legacy", U_NOBODY, C_I386, 2, 0, 0, 0 },
	/* mostly exec'd */
	{ "/usr/bin/ls", "ls\t--color=auto\t-la", "ls", "/home/alice", U_ALICE, C_LIBC, 0, 30, 0, 1 },
	{ "/usr/bin/cat", "cat\t/proc/meminfo", "cat", "/", U_ROOT, C_LIBC, 0, 25, 0, 0 },
	{ "/usr/bin/grep", "grep\t-E\terror\twarn\t/var/log/app/app.log", "grep", "/var/log/app", U_ROOT, C_LIBC, 0, 25, 0, 0 },
	{ "/usr/bin/sed", "sed\t-n\ts/^VERSION=//p\t/etc/os-release", "sed", "/", U_ROOT, C_LIBC, 0, 20, 0, 0 },
	{ "/usr/bin/date", "date\t+%s", "date", "/", U_ROOT, C_LIBC, 0, 30, 0, 0 },
	{ "/usr/bin/true", "/bin/true", "true", "/tmp", U_ROOT, C_LIBC, 0, 10, 0, 0 },
	{ "/usr/bin/uname", "/bin/uname\t-a", "uname", "/tmp", U_ROOT, C_LIBC, 0, 10, 0, 0 },
	{ "/usr/bin/dash", "/bin/sh\t-c\ttest -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.hourly; }", "sh", "/root", U_ROOT, C_LIBC, 1, 40, 0, 0 },
	{ "/usr/bin/run-parts", "run-parts\t--report\t/etc/cron.hourly", "run-parts", "/", U_ROOT, C_LIBC, 0, 6, 0, 0 },
	{ "/usr/bin/git", "git\tstatus\t--porcelain", "git", "/home/bob/src/project", U_BOB, C_LIBC, 0, 12, 0, 1 },
	{ "/usr/lib/git-core/git", "/usr/lib/git-core/git\trev-parse\t--show-toplevel", "git", "/home/bob/src/project", U_BOB, C_LIBC, 0, 6, 0, 1 },
	{ "/usr/bin/gawk", "awk\t-F:\t{print $1}\t/etc/passwd", "awk", "/home/alice", U_ALICE, C_LIBC, 0, 8, 0, 1 },
	{ "/usr/bin/systemctl", "systemctl\tis-active\t--quiet\tnginx", "systemctl", "/", U_ROOT, C_LIBC, 0, 8, 0, 0 },
	{ "/usr/bin/curl", "curl\t-fsS\t-o\t/dev/null\thttp://127.0.0.1:8080/healthz", "curl", "/", U_ROOT, C_LIBC, 0, 12, 0, 0 },
	{ "/usr/bin/logger", "logger\t-t\tbackup\tbackup finished", "logger", "/root", U_ROOT, C_LIBC, 0, 4, 0, 0 },
	{ "/usr/sbin/ip", "ip\t-j\taddr\tshow", "ip", "/", U_NOBODY, C_LIBC, 0, 4, 0, 0 },
	{ "/usr/bin/ps", "ps\t-eo\tpid,comm,rss", "ps", "/", U_ROOT, C_LIBC, 0, 5, 0, 0 },
	{ "/usr/bin/sleep", "sleep\t5", "sleep", "/", U_ROOT, C_LIBC, 1, 10, 0, 0 },
	{ "/usr/bin/docker", "docker\tps\t--format\t{{.Names}}", "docker", "/root", U_ROOT, C_GO, 0, 4, 1, 0 },
	{ "/home/bob/bin/My Tool", "/home/bob/bin/My Tool\t--sync", "My Tool", "/home/bob", U_BOB, C_LIBC, 1, 2, 0, 1 },
	{ "/usr/sbin/auditctl", "/sbin/auditctl\t-R\t/etc/audit/audit.rules", "auditctl", "/", U_ROOT, C_LIBC, 0, 0, 0, 0 },
	{ "/usr/bin/ssh", "ssh\t-o\tBatchMode=yes\tbackup@10.0.0.7\ttrue", "ssh", "/root", U_ROOT, C_LIBC, 0, 3, 0, 0 },
};
#define NPROGS (sizeof(progs) / sizeof(progs[0]))

struct scw {
	int nr, w;
};

/* x86_64 syscalls of a libc program, weighted like a complain-mode run */
static const struct scw mix_libc[] = {
	{ 0, 120 }, { 1, 90 }, { 3, 80 }, { 257, 80 }, { 9, 60 }, { 262, 60 },
	{ 202, 70 }, { 10, 25 }, { 11, 20 }, { 12, 15 }, { 13, 15 }, { 14, 30 },
	{ 16, 20 }, { 17, 15 }, { 8, 15 }, { 5, 20 }, { 21, 8 }, { 7, 15 },
	{ 20, 8 }, { 28, 8 }, { 39, 8 }, { 186, 6 }, { 228, 10 }, { 230, 8 },
	{ 281, 10 }, { 217, 10 }, { 72, 15 }, { 89, 6 }, { 79, 4 }, { 102, 4 },
	{ 107, 4 }, { 104, 3 }, { 108, 3 }, { 110, 3 }, { 318, 4 }, { 332, 12 },
	{ 293, 3 }, { 292, 2 }, { 33, 2 }, { 56, 2 }, { 435, 3 }, { 61, 3 },
	{ 60, 1 }, { 231, 3 }, { 158, 2 }, { 218, 2 }, { 273, 2 }, { 334, 2 },
	{ 302, 3 }, { 63, 2 }, { 97, 2 }, { 99, 1 }, { 157, 2 }, { 24, 3 },
	{ 35, 4 }, { 271, 4 }, { 270, 3 }, { 41, 3 }, { 42, 3 }, { 44, 3 },
	{ 45, 3 }, { 46, 2 }, { 47, 2 }, { 51, 1 }, { 52, 1 }, { 54, 1 },
	{ 55, 1 }, { 87, 2 }, { 263, 2 }, { 82, 1 }, { 316, 1 }, { 83, 1 },
	{ 258, 1 }, { 77, 2 }, { 74, 1 }, { 75, 1 }, { 439, 3 }, { 436, 1 },
	{ 319, 1 }, { 290, 1 }, { 291, 1 }, { 233, 2 }, { 232, 2 }, { 234, 1 },
	{ 62, 1 }, { 15, 2 }, { 131, 1 }, { 201, 2 }, { 95, 1 }, { 137, 1 },
	{ 138, 1 }, { 4, 2 }, { 6, 1 }, { 18, 2 }, { 19, 2 }, { 23, 1 },
	{ 32, 1 }, { 267, 1 }, { 268, 1 }, { 260, 1 }, { 280, 1 }, { 115, 1 },
	{ 0, 0 }
};

/* a network server: epoll, accept, sendfile, writev */
static const struct scw mix_server[] = {
	{ 0, 60 }, { 1, 40 }, { 3, 40 }, { 232, 90 }, { 281, 50 }, { 233, 50 },
	{ 288, 40 }, { 43, 5 }, { 45, 40 }, { 44, 40 }, { 47, 30 }, { 46, 30 },
	{ 20, 30 }, { 19, 10 }, { 40, 15 }, { 257, 30 }, { 262, 20 }, { 5, 15 },
	{ 202, 50 }, { 228, 15 }, { 72, 15 }, { 54, 10 }, { 55, 8 }, { 48, 8 },
	{ 9, 15 }, { 11, 10 }, { 28, 5 }, { 10, 5 }, { 8, 10 }, { 17, 15 },
	{ 18, 10 }, { 75, 4 }, { 74, 2 }, { 7, 10 }, { 271, 5 }, { 23, 5 },
	{ 41, 5 }, { 42, 5 }, { 49, 1 }, { 50, 1 }, { 51, 4 }, { 52, 4 },
	{ 62, 3 }, { 39, 5 }, { 186, 3 }, { 16, 8 }, { 14, 10 }, { 13, 3 },
	{ 15, 3 }, { 318, 2 }, { 332, 5 }, { 230, 4 }, { 35, 2 }, { 24, 3 },
	{ 56, 1 }, { 435, 1 }, { 61, 1 }, { 293, 1 }, { 290, 2 }, { 291, 1 },
	{ 0, 0 }
};

/* a Go runtime: futex, epoll_pwait, nanosleep, signals, madvise */
static const struct scw mix_go[] = {
	{ 202, 160 }, { 281, 80 }, { 35, 40 }, { 0, 50 }, { 1, 40 }, { 24, 25 },
	{ 13, 10 }, { 14, 30 }, { 15, 15 }, { 131, 5 }, { 234, 15 }, { 39, 10 },
	{ 186, 10 }, { 9, 15 }, { 28, 15 }, { 11, 4 }, { 56, 4 }, { 257, 15 },
	{ 262, 15 }, { 3, 15 }, { 233, 15 }, { 291, 2 }, { 290, 2 }, { 288, 10 },
	{ 42, 8 }, { 41, 8 }, { 44, 10 }, { 45, 10 }, { 47, 8 }, { 46, 8 },
	{ 72, 8 }, { 217, 6 }, { 89, 3 }, { 228, 5 }, { 293, 3 }, { 61, 3 },
	{ 247, 2 }, { 318, 2 }, { 332, 2 }, { 16, 3 }, { 8, 3 }, { 5, 5 },
	{ 17, 3 }, { 18, 3 }, { 55, 3 }, { 54, 3 }, { 51, 2 }, { 52, 2 },
	{ 0, 0 }
};

/* a JVM: futex dominates, then mprotect/madvise from GC and the JIT */
static const struct scw mix_java[] = {
	{ 202, 200 }, { 10, 40 }, { 28, 40 }, { 0, 30 }, { 1, 25 }, { 3, 15 },
	{ 232, 20 }, { 233, 10 }, { 281, 10 }, { 9, 25 }, { 11, 15 }, { 257, 15 },
	{ 262, 15 }, { 5, 10 }, { 17, 10 }, { 228, 20 }, { 230, 15 }, { 24, 10 },
	{ 186, 8 }, { 39, 4 }, { 14, 10 }, { 13, 4 }, { 56, 3 }, { 435, 2 },
	{ 273, 2 }, { 334, 2 }, { 288, 10 }, { 44, 10 }, { 45, 10 }, { 20, 8 },
	{ 72, 6 }, { 8, 6 }, { 89, 3 }, { 217, 4 }, { 318, 2 }, { 332, 3 },
	{ 0, 0 }
};

/* i386 numbers: a 32-bit libc program */
static const struct scw mix_i386[] = {
	{ 3, 100 }, { 4, 70 }, { 6, 60 }, { 295, 60 }, { 192, 50 }, { 383, 50 },
	{ 422, 60 }, { 403, 30 }, { 125, 20 }, { 91, 15 }, { 45, 12 }, { 174, 15 },
	{ 175, 25 }, { 54, 15 }, { 140, 12 }, { 197, 10 }, { 102, 20 }, { 20, 8 },
	{ 224, 6 }, { 168, 10 }, { 142, 6 }, { 162, 6 }, { 33, 5 }, { 85, 4 },
	{ 122, 2 }, { 191, 2 }, { 243, 2 }, { 258, 2 }, { 311, 2 }, { 386, 2 },
	{ 355, 3 }, { 252, 2 }, { 240, 4 }, { 220, 6 }, { 183, 3 }, { 221, 8 },
	{ 359, 3 }, { 362, 3 }, { 369, 4 }, { 371, 4 }, { 370, 2 }, { 372, 2 },
	{ 256, 4 }, { 255, 3 }, { 329, 1 }, { 328, 1 }, { 120, 2 }, { 114, 1 },
	{ 0, 0 }
};

/* rare x86_64 syscalls: a few per million records */
static const int rare_x86_64[] = {
	101, 165, 166, 246, 320, 321, 323, 298, 250, 248, 249, 425, 426, 310, 311,
	135, 169, 175, 313, 176, 272, 308, 167, 168, 155, 304, 303, 161, 163, 159,
	300, 301, 317, 312, 154, 153, 172, 173, 139, 134, 136, 180, 212, 240, 241,
	242, 243, 244, 245, 251, 252, 253, 254, 255, 256, 309, 314, 315, 322, 324,
	325, 326, 327, 328, 329, 330, 331, 333, 424, 427, 428, 429, 430, 431, 432,
	433, 434, 437, 438, 440, 441, 442, 443, 444, 445, 446, 447, 448, 449, 450,
	451, 452, 453,
};

static const int rare_i386[] = {
	26, 21, 52, 88, 128, 129, 110, 101, 123, 338, 349, 350, 357, 374, 377,
	385, 425, 426, 434, 435, 439,
};

/* names for the ENRICHED SYSCALL records (only the syscalls they carry) */
static const char *x86_64_name(int nr)
{
	switch (nr) {
	case 59: return "execve";
	case 257: return "openat";
	case 44: return "sendto";
	default: return "unknown";
	}
}

#define TABSZ 4096

static uint16_t sctab[NCLASS][TABSZ];

static void build_mix(int cls, const struct scw *m)
{
	long total = 0, acc = 0;
	int k = 0;

	for (const struct scw *p = m; p->w; p++)
		total += p->w;
	for (const struct scw *p = m; p->w; p++) {
		acc += p->w;
		while (k < TABSZ && (long)k * total < acc * TABSZ)
			sctab[cls][k++] = (uint16_t)p->nr;
	}
	while (k < TABSZ)
		sctab[cls][k++] = (uint16_t)m[0].nr;
}

/* the libc call site of syscall nr: fixed for every process (one libc) */
static uint32_t site_off[512];

/* ---- per-program strings, built once ---- */

struct progx {
	char *exe_enc;		/* exe="..." or exe=HEX */
	char *comm_enc[6];	/* comm="..." */
	int ncomm;
	char *execve;		/* argc=N a0=... */
	char *proctitle;	/* proctitle=... */
	char *cwd;		/* cwd="..." */
	char *path0;		/* item=0 ... */
	char *argv0;
	uint32_t inode;
};

static struct progx px[NPROGS];
static long live_total, exec_total;

static void split(const char *s, int sep, char ***out_v, int *out_n)
{
	char **v = NULL;
	int n = 0;
	const char *p = s;

	for (;;) {
		const char *q = strchr(p, sep);
		size_t len = q ? (size_t)(q - p) : strlen(p);

		v = realloc(v, (n + 1) * sizeof(*v));
		v[n] = strndup(p, len);
		n++;
		if (!q)
			break;
		p = q + 1;
	}
	*out_v = v;
	*out_n = n;
}

static void free_split(char **v, int n)
{
	for (int k = 0; k < n; k++)
		free(v[k]);
	free(v);
}

static void build_progs(void)
{
	for (size_t i = 0; i < NPROGS; i++) {
		const struct prog *p = &progs[i];
		struct progx *x = &px[i];
		struct sb b = { 0 };
		char **v;
		int n;

		sb_puts(&b, "exe=");
		sb_untrusted(&b, p->exe, strlen(p->exe));
		x->exe_enc = sb_take(&b);

		split(p->comms, '|', &v, &n);
		x->ncomm = n > 6 ? 6 : n;
		for (int k = 0; k < x->ncomm; k++) {
			size_t len = strlen(v[k]);

			sb_puts(&b, "comm=");
			sb_untrusted(&b, v[k], len > 15 ? 15 : len); /* TASK_COMM_LEN */
			x->comm_enc[k] = sb_take(&b);
		}
		free_split(v, n);

		split(p->argv, '\t', &v, &n);
		sb_printf(&b, "argc=%d", n);
		for (int k = 0; k < n; k++) {
			sb_printf(&b, " a%d=", k);
			sb_untrusted(&b, v[k], strlen(v[k]));
		}
		x->execve = sb_take(&b);

		/* /proc/PID/cmdline: the args NUL-separated, at most 128 bytes */
		{
			char title[512];
			size_t len = 0;

			for (int k = 0; k < n; k++) {
				size_t l = strlen(v[k]);

				if (len + l + 1 > sizeof(title))
					break;
				memcpy(title + len, v[k], l);
				len += l;
				title[len++] = '\0';
			}
			len--; /* trailing NUL trimmed */
			if (len > 128)
				len = 128;
			sb_puts(&b, "proctitle=");
			sb_untrusted(&b, title, len);
			x->proctitle = sb_take(&b);
		}
		x->argv0 = strdup(v[0][0] == '/' ? v[0] : p->exe);

		sb_puts(&b, "cwd=");
		sb_untrusted(&b, p->cwd, strlen(p->cwd));
		x->cwd = sb_take(&b);

		x->inode = 1048600 + (uint32_t)rndn(2000000);
		sb_puts(&b, "item=0 name=");
		sb_untrusted(&b, x->argv0, strlen(x->argv0));
		sb_printf(&b, " inode=%u dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 "
			  "nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0",
			  x->inode);
		x->path0 = sb_take(&b);
		free_split(v, n);

		live_total += p->live_weight;
		exec_total += p->exec_weight;
	}
}

static int pick_prog(int exec)
{
	long r = rndn((uint32_t)(exec ? exec_total : live_total));

	for (size_t i = 0; i < NPROGS; i++) {
		r -= exec ? progs[i].exec_weight : progs[i].live_weight;
		if (r < 0)
			return (int)i;
	}
	return 0;
}

/* ---- the processes ---- */

struct proc {
	uint32_t pid, ppid;
	int prog;
	uint32_t auid, ses;
	int tty;		/* -1: (none), else pts/N */
	uint64_t base;		/* libc (or Go text, or vdso) base */
	char *mid[6];		/* SECCOMP "auid=... exe=..." per comm */
	uint32_t mlen[6];
	char *ids;		/* SYSCALL "auid=... fsgid=... tty=... ses=..." */
	char *enr_ids;		/* ENRICHED AUID=... FSGID=... */
	char *enr_seccomp;	/* ENRICHED AUID=... GID=... for SECCOMP */
};

static struct proc *procs;
static int nprocs, nlive;
static uint32_t cron_pid;
static int enriched;
static const char *subj;	/* NULL: no LSM */
static char subj_enc[256];	/* " subj=CTX" or "" */

static const char *uname_of(uint32_t uid)
{
	if (uid == 4294967295u)
		return "unset";
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++)
		if (users[i].uid == uid)
			return users[i].name;
	return "unknown";
}

static void proc_strings(struct proc *p)
{
	const struct prog *g = &progs[p->prog];
	const struct progx *x = &px[p->prog];
	unsigned uid = users[g->user].uid;
	struct sb b = { 0 };

	for (int k = 0; k < 6; k++) {
		free(p->mid[k]);
		p->mid[k] = NULL;
	}
	free(p->ids);
	free(p->enr_ids);
	free(p->enr_seccomp);

	if (g->session) {
		p->auid = uid;
		p->ses = uid == 1000 ? 3 : 7;
		p->tty = uid == 1000 ? 0 : 1;
	} else {
		p->auid = 4294967295u;
		p->ses = 4294967295u;
		p->tty = -1;
	}
	if (g->cls == C_I386)
		p->base = 0xf7f00000ull + ((uint64_t)rndn(0xc0) << 12) + 0x579;
	else if (g->is_static)
		p->base = 0;
	else
		p->base = 0x7f0000000000ull + ((uint64_t)rndn(0xff00000) << 12);

	for (int k = 0; k < x->ncomm; k++) {
		sb_printf(&b, "auid=%u uid=%u gid=%u ses=%u%s pid=%u %s %s", p->auid, uid, uid,
			  p->ses, subj_enc, p->pid, x->comm_enc[k], x->exe_enc);
		p->mlen[k] = (uint32_t)b.n;
		p->mid[k] = sb_take(&b);
	}

	sb_printf(&b, "ppid=%u pid=%u auid=%u uid=%u gid=%u euid=%u suid=%u fsuid=%u egid=%u "
		  "sgid=%u fsgid=%u tty=", p->ppid, p->pid, p->auid, uid, uid, uid, uid, uid,
		  uid, uid, uid);
	if (p->tty < 0)
		sb_puts(&b, "(none)");
	else
		sb_printf(&b, "pts%d", p->tty);
	sb_printf(&b, " ses=%u", p->ses);
	p->ids = sb_take(&b);

	{
		const char *a = uname_of(p->auid), *u = uname_of(uid);

		sb_printf(&b, " AUID=\"%s\" UID=\"%s\" GID=\"%s\" EUID=\"%s\" SUID=\"%s\" "
			  "FSUID=\"%s\" EGID=\"%s\" SGID=\"%s\" FSGID=\"%s\"", a, u, u, u, u, u, u,
			  u, u);
		p->enr_ids = sb_take(&b);
		sb_printf(&b, "\x1d" "AUID=\"%s\" UID=\"%s\" GID=\"%s\" ARCH=%s "
			  "SYSCALL=unknown-syscall(-1)", a, u, u,
			  g->cls == C_I386 ? "i386" : "x86_64");
		p->enr_seccomp = sb_take(&b);
	}
}

/* ---- time and serials ---- */

static uint64_t now_ms;		/* kernel clock, on the 4 ms jiffy grid */
static uint64_t serial = 1154;
static char tsbuf[40];
static size_t tslen;
static uint64_t ts_for = ~0ull;

static inline void tick(uint32_t permille)
{
	if (chance(permille))
		now_ms += 4 * (1 + (rndn(16) == 0 ? rndn(250) : rndn(3)));
}

/* "type=T msg=audit(SEC.MS:SERIAL): " for the current event */
static inline void hdr(const char *type, size_t tlen)
{
	if (ts_for != now_ms) {
		uint64_t s = now_ms / 1000;
		unsigned ms = (unsigned)(now_ms % 1000);
		char *p = tsbuf;
		char tmp[24];
		int i = sizeof(tmp);

		do {
			tmp[--i] = (char)('0' + s % 10);
			s /= 10;
		} while (s);
		memcpy(p, tmp + i, sizeof(tmp) - i);
		p += sizeof(tmp) - i;
		*p++ = '.';
		*p++ = (char)('0' + ms / 100);
		*p++ = (char)('0' + ms / 10 % 10);
		*p++ = (char)('0' + ms % 10);
		*p++ = ':';
		tslen = (size_t)(p - tsbuf);
		ts_for = now_ms;
	}
	PUTS("type=");
	put(type, tlen);
	PUTS(" msg=audit(");
	put(tsbuf, tslen);
	putu(serial);
	PUTS("): ");
}

#define HDR(lit) hdr(lit, sizeof(lit) - 1)

/* ---- line accounting for the SECCOMP share ---- */

static uint64_t lines_total, lines_seccomp;

/* ---- records ---- */

static void seccomp_record(struct proc *p, int nr, int arch32)
{
	const struct prog *g = &progs[p->prog];
	int k = 0;
	uint32_t r;
	uint64_t ip;

	if (px[p->prog].ncomm > 1 && rndn(10) >= 6)
		k = 1 + (int)rndn((uint32_t)px[p->prog].ncomm - 1);

	/* the action: LOG, or now and then a filter's ERRNO(EPERM) or KILL_PROCESS */
	r = rndn(1000);
	serial++;
	HDR("SECCOMP");
	put(p->mid[k], p->mlen[k]);
	if (r == 0)
		PUTS(" sig=31");
	else
		PUTS(" sig=0");
	if (arch32) {
		PUTS(" arch=40000003 syscall=");
		putu((uint64_t)nr);
		PUTS(" compat=1 ip=0x");
		ip = p->base;
	} else {
		PUTS(" arch=c000003e syscall=");
		putu((uint64_t)nr);
		PUTS(" compat=0 ip=0x");
		if (g->is_static)
			ip = 0x400000 + 0x6e000 + (site_off[nr & 511] & 0x1fff);
		else
			ip = p->base + site_off[nr & 511];
	}
	putx(ip);
	if (r == 0)
		PUTS(" code=0x80000000");
	else if (r < 4)
		PUTS(" code=0x50001");
	else
		PUTS(" code=0x7ffc0000");
	if (enriched)
		puts_(p->enr_seccomp);
	eol();
	lines_total++;
	lines_seccomp++;
}

static int pick_nr(const struct proc *p)
{
	const struct prog *g = &progs[p->prog];

	if (g->cls == C_I386) {
		if (rndn(100000) < 5)
			return rare_i386[rndn(sizeof(rare_i386) / sizeof(int))];
		return sctab[C_I386][rnd() & (TABSZ - 1)];
	}
	if (rndn(100000) < 5)
		return rare_x86_64[rndn(sizeof(rare_x86_64) / sizeof(int))];
	return sctab[g->cls][rnd() & (TABSZ - 1)];
}

/* a dynamically linked program starting (taken from a real run of /bin/true) */
static const int startup_x86_64[] = { 12, 9, 21, 257, 262, 9, 3, 257, 0, 17, 262, 17, 9, 9,
				      9, 9, 3, 9, 158, 218, 273, 334, 10, 10, 10, 302, 11 };
static const int startup_i386[] = { 45, 33, 295, 383, 192, 6, 295, 3, 383, 192, 192, 192,
				    192, 6, 243, 258, 311, 386, 125, 125, 125, 191, 91 };
/* a Go binary starting */
static const int startup_go[] = { 158, 13, 13, 13, 13, 13, 13, 14, 9, 9, 9, 9, 131, 186,
				  14, 56, 14, 202, 9, 24, 202 };

static void seccomp_burst(struct proc *p, int startup)
{
	const struct prog *g = &progs[p->prog];
	int arch32 = g->cls == C_I386;
	uint32_t n;

	if (startup) {
		const int *seq = arch32 ? startup_i386 : g->is_static ? startup_go : startup_x86_64;
		size_t len = arch32 ? sizeof(startup_i386) : g->is_static ? sizeof(startup_go)
									   : sizeof(startup_x86_64);

		for (size_t i = 0; i < len / sizeof(int); i++) {
			seccomp_record(p, seq[i], arch32);
			tick(40);
		}
	}
	/* geometric burst length, mean about 6 */
	n = 1;
	while (n < 200 && rndn(6) != 0)
		n++;
	for (uint32_t i = 0; i < n; i++) {
		seccomp_record(p, pick_nr(p), arch32);
		tick(60);
	}
}

static const char bprm_fcaps[] =
	"fver=0 fp=0 fi=0 fe=0 old_pp=000001fffeffffff old_pi=0 old_pe=000001fffeffffff "
	"old_pa=0 pp=000001fffeffffff pi=0 pe=000001fffeffffff pa=0 frootid=0";
static const char path_tail_enr[] = "\x1d" "OUID=\"root\" OGID=\"root\"";

static void syscall_line(struct proc *p, int nr, const char *success, long exitv,
			 uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, int items,
			 const char *key)
{
	const struct progx *x = &px[p->prog];

	HDR("SYSCALL");
	PUTS("arch=c000003e syscall=");
	putu((uint64_t)nr);
	PUTS(" success=");
	puts_(success);
	PUTS(" exit=");
	if (exitv < 0) {
		putc_('-');
		putu((uint64_t)-exitv);
	} else {
		putu((uint64_t)exitv);
	}
	PUTS(" a0=");
	putx(a0);
	PUTS(" a1=");
	putx(a1);
	PUTS(" a2=");
	putx(a2);
	PUTS(" a3=");
	putx(a3);
	PUTS(" items=");
	putu((uint64_t)items);
	putc_(' ');
	puts_(p->ids);
	putc_(' ');
	puts_(x->comm_enc[0]);
	putc_(' ');
	puts_(x->exe_enc);
	puts_(subj_enc);
	PUTS(" key=");
	puts_(key);
	if (enriched) {
		PUTS("\x1d" "ARCH=x86_64 SYSCALL=");
		puts_(x86_64_name(nr));
		puts_(p->enr_ids);
	}
	eol();
	lines_total++;
}

static void proctitle_line(const struct proc *p)
{
	HDR("PROCTITLE");
	puts_(px[p->prog].proctitle);
	eol();
	lines_total++;
}

/* execve(2) of a new program by process p: the record set auditd writes */
static void exec_event(struct proc *p)
{
	const struct progx *x;
	uint64_t heap = 0x550000000000ull + ((uint64_t)rndn(0xfffffff) << 12);
	int items;

	p->prog = pick_prog(1);
	proc_strings(p);
	x = &px[p->prog];
	items = progs[p->prog].is_static ? 1 : 2;

	serial++;
	tick(500);
	if (rndn(3) == 0)
		syscall_line(p, 59, "yes", 0, 0x7ffc00000000ull + rndn(0x3fffffff),
			     0x7ffc00000000ull + rndn(0x3fffffff),
			     0x7ffc00000000ull + rndn(0x3fffffff), 0x7f0000000000ull + rnd() % 0xffffffffffull,
			     items, "\"execs\"");
	else
		syscall_line(p, 59, "yes", 0, heap + rndn(0xfffff), heap + rndn(0xfffff),
			     heap + rndn(0xfffff), rnd() >> 1, items, "\"execs\"");
	if (users[progs[p->prog].user].uid == 0) {
		HDR("BPRM_FCAPS");
		PUTS(bprm_fcaps);
		eol();
		lines_total++;
	}
	HDR("EXECVE");
	puts_(x->execve);
	eol();
	HDR("CWD");
	puts_(x->cwd);
	eol();
	HDR("PATH");
	puts_(x->path0);
	if (enriched)
		PUTS(path_tail_enr);
	eol();
	lines_total += 3;
	if (items == 2) {
		HDR("PATH");
		if (progs[p->prog].cls == C_I386)
			PUTS("item=1 name=\"/lib/ld-linux.so.2\" inode=266741 dev=fe:00 ");
		else
			PUTS("item=1 name=\"/lib64/ld-linux-x86-64.so.2\" inode=332383 dev=fe:00 ");
		PUTS("mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 "
		     "cap_fe=0 cap_fver=0 cap_frootid=0");
		if (enriched)
			PUTS(path_tail_enr);
		eol();
		lines_total++;
	}
	proctitle_line(p);
}

/* an open of a watched file (-w /etc/... -p wa): SYSCALL CWD PATH PATH PROCTITLE */
static void watch_event(struct proc *p)
{
	static const char *const files[] = { "/etc/passwd", "/etc/shadow", "/etc/group",
					     "/etc/sudoers", "/etc/ssh/sshd_config",
					     "/etc/hosts" };
	static const uint32_t inodes[] = { 1050012, 1050031, 1050007, 1050190, 1052214,
					   1049877 };
	int f = (int)rndn(6);

	serial++;
	tick(500);
	if (users[progs[p->prog].user].uid == 0)
		syscall_line(p, 257, "yes", 3 + rndn(8), 0xffffff9c,
			     0x7ffd00000000ull + rndn(0x3fffffff), 0x241, 0x1b6, 2,
			     f < 2 ? "\"identity\"" : "\"config\"");
	else	/* EACCES */
		syscall_line(p, 257, "no", -13, 0xffffff9c, 0x7ffd00000000ull + rndn(0x3fffffff),
			     0x241, 0x1b6, 2, f < 2 ? "\"identity\"" : "\"config\"");
	HDR("CWD");
	puts_(px[p->prog].cwd);
	eol();
	HDR("PATH");
	PUTS("item=0 name=\"/etc/\" inode=1048577 dev=fe:00 mode=040755 ouid=0 ogid=0 "
	     "rdev=00:00 nametype=PARENT cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0");
	if (enriched)
		PUTS(path_tail_enr);
	eol();
	HDR("PATH");
	PUTS("item=1 name=\"");
	puts_(files[f]);
	PUTS("\" inode=");
	putu(inodes[f]);
	PUTS(" dev=fe:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 "
	     "cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0");
	if (enriched)
		PUTS(path_tail_enr);
	eol();
	lines_total += 3;
	proctitle_line(p);
}

/* a user-space record: USER_ACCT, SERVICE_START... "pid= uid= auid= ses= msg='...'" */
static void user_msg(const char *type, size_t tlen, uint32_t pid, uint32_t auid, uint32_t ses,
		     const char *msg)
{
	serial++;
	hdr(type, tlen);
	PUTS("pid=");
	putu(pid);
	PUTS(" uid=0 auid=");
	putu(auid);
	PUTS(" ses=");
	putu(ses);
	puts_(subj_enc);
	PUTS(" msg='");
	puts_(msg);
	PUTS("'");
	if (enriched) {
		PUTS("\x1d" "UID=\"root\" AUID=\"");
		puts_(uname_of(auid));
		PUTS("\"");
	}
	eol();
	lines_total++;
}

#define USER_MSG(t, pid, auid, ses, msg) user_msg(t, sizeof(t) - 1, pid, auid, ses, msg)

static uint32_t cron_ses = 12;

/* cron running a job: the PAM records of its session */
static void cron_event(void)
{
	const char *grant = "grantors=pam_permit acct=\"root\" exe=\"/usr/sbin/cron\" "
			    "hostname=? addr=? terminal=cron res=success";
	const uint32_t un = 4294967295u;
	char m[512];

	/* cron's child for the job: one of the reused pids */
	if (nlive < nprocs)
		cron_pid = procs[nlive + (int)rndn((uint32_t)(nprocs - nlive))].pid;
	cron_ses++;
	tick(500);
	snprintf(m, sizeof(m), "op=PAM:accounting %s", grant);
	USER_MSG("USER_ACCT", cron_pid, un, un, m);
	snprintf(m, sizeof(m), "op=PAM:setcred %s", grant);
	USER_MSG("CRED_ACQ", cron_pid, un, un, m);

	serial++;
	HDR("LOGIN");
	PUTS("pid=");
	putu(cron_pid);
	PUTS(" uid=0");
	puts_(subj_enc);
	PUTS(" old-auid=4294967295 auid=0 tty=(none) old-ses=4294967295 ses=");
	putu(cron_ses);
	PUTS(" res=1");
	if (enriched)
		PUTS("\x1d" "UID=\"root\" OLD-AUID=\"unset\" AUID=\"root\"");
	eol();
	lines_total++;

	snprintf(m, sizeof(m),
		 "op=PAM:session_open grantors=pam_loginuid,pam_env,pam_env,pam_permit,"
		 "pam_unix,pam_limits acct=\"root\" exe=\"/usr/sbin/cron\" hostname=? addr=? "
		 "terminal=cron res=success");
	USER_MSG("USER_START", cron_pid, 0, cron_ses, m);
	tick(300);
	snprintf(m, sizeof(m), "op=PAM:setcred %s", grant);
	USER_MSG("CRED_DISP", cron_pid, 0, cron_ses, m);
	snprintf(m, sizeof(m),
		 "op=PAM:session_close grantors=pam_loginuid,pam_env,pam_env,pam_permit,"
		 "pam_unix,pam_limits acct=\"root\" exe=\"/usr/sbin/cron\" hostname=? addr=? "
		 "terminal=cron res=success");
	USER_MSG("USER_END", cron_pid, 0, cron_ses, m);
}

static void service_event(void)
{
	static const char *const units[] = { "logrotate", "man-db", "apt-daily",
					     "systemd-tmpfiles-clean", "phpsessionclean",
					     "certbot", "fstrim", "sysstat-collect" };
	const char *u = units[rndn(sizeof(units) / sizeof(units[0]))];
	char m[256];

	tick(500);
	snprintf(m, sizeof(m),
		 "unit=%s comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? "
		 "terminal=? res=success", u);
	USER_MSG("SERVICE_START", 1, 4294967295u, 4294967295u, m);
	tick(800);
	USER_MSG("SERVICE_STOP", 1, 4294967295u, 4294967295u, m);
}

static uint32_t bpf_id = 41;

static void bpf_event(void)
{
	tick(500);
	serial++;
	HDR("BPF");
	PUTS("prog-id=");
	if (rndn(2)) {
		putu(++bpf_id);
		PUTS(" op=LOAD");
	} else {
		putu(bpf_id > 42 ? bpf_id - 1 - rndn(2) : bpf_id);
		PUTS(" op=UNLOAD");
	}
	eol();
	lines_total++;
}

/* auditd starting and its rules being loaded: the head of a log file */
static void head(uint64_t daemon_ms)
{
	char buf[512];
	int n;

	n = snprintf(buf, sizeof(buf),
		     "type=DAEMON_START msg=audit(%llu.%03u:749): op=start ver=3.0.9 format=%s "
		     "kernel=6.1.0-27-amd64 auid=4294967295 pid=611 uid=0 ses=4294967295%s "
		     "res=success%s\n",
		     (unsigned long long)(daemon_ms / 1000), (unsigned)(daemon_ms % 1000),
		     enriched ? "enriched" : "raw", subj_enc,
		     enriched ? "\x1d" "AUID=\"unset\" UID=\"root\"" : "");
	put(buf, (size_t)n);
	lines_total++;

	/* augenrules loading the rules with auditctl */
	struct proc actl = { .pid = 598, .ppid = 590 };

	for (size_t g = 0; g < NPROGS; g++)
		if (!strcmp(progs[g].exe, "/usr/sbin/auditctl"))
			actl.prog = (int)g;
	proc_strings(&actl);

	static const char *const keys[] = { "execs", "identity", "identity", "config",
					    "config", "config" };
	for (int i = 0; i < 6; i++) {
		serial++;
		HDR("CONFIG_CHANGE");
		PUTS("auid=4294967295 ses=4294967295");
		puts_(subj_enc);
		PUTS(" op=add_rule key=\"");
		puts_(keys[i]);
		PUTS("\" list=4 res=1");
		if (enriched)
			PUTS("\x1d" "AUID=\"unset\"");
		eol();
		lines_total++;
		syscall_line(&actl, 44, "yes", 1064, 3, 0x7ffe63db2000ull + rndn(0xfff), 0x428, 0,
			     0, "(null)");
		proctitle_line(&actl);
	}
	free(actl.mid[0]);
	free(actl.ids);
	free(actl.enr_ids);
	free(actl.enr_seccomp);
}

/* x^0.8 without libm: x over its fifth root (Newton's method, from above) */
static double pow_08(int x)
{
	double y = 1 + (x - 1) / 5.0;

	for (int i = 0; i < 200 && x > 1; i++)
		y -= (y * y * y * y * y - x) / (5 * y * y * y * y);
	return x / y;
}

/*
 * Which long-running process logs the next burst: Zipf-like, a few processes
 * are much noisier than the rest; 32-bit processes log about 1% of the bursts.
 */
static uint32_t *noise_tab;
static uint32_t noise_len;
static int *i386_slots;
static int n_i386;

static void build_noise(void)
{
	double total = 0, acc = 0;
	uint32_t k = 0;
	int n = 0;

	i386_slots = calloc((size_t)nlive, sizeof(int));
	/* a host with 32-bit programs: make sure a couple are running */
	for (int i = 0; i < nlive; i++)
		if (progs[procs[i].prog].cls == C_I386)
			n++;
	if (!n && nlive >= 10) {
		for (size_t g = 0; g < NPROGS; g++)
			if (progs[g].cls == C_I386) {
				int i = nlive / 2 + n++ * 3;

				procs[i].prog = (int)g;
				proc_strings(&procs[i]);
			}
	}
	for (int i = 0; i < nlive; i++) {
		if (progs[procs[i].prog].cls == C_I386)
			i386_slots[n_i386++] = i;
		else
			total += 1.0 / pow_08(i + 1);
	}
	noise_len = nlive * 16u < 4096 ? 4096 : (uint32_t)nlive * 16u;
	noise_tab = malloc(noise_len * sizeof(*noise_tab));
	if (!i386_slots || !noise_tab) {
		perror("gen-audit-log");
		exit(1);
	}
	for (int i = 0; i < nlive; i++) {
		if (progs[procs[i].prog].cls == C_I386)
			continue;
		acc += 1.0 / pow_08(i + 1);
		while (k < noise_len && (double)k < acc / total * noise_len)
			noise_tab[k++] = (uint32_t)i;
	}
	for (; k < noise_len; k++)
		noise_tab[k] = k ? noise_tab[k - 1] : 0;
}

static struct proc *pick_noisy(void)
{
	if (n_i386 && (n_i386 == nlive || rndn(100) == 0))
		return &procs[i386_slots[rndn((uint32_t)n_i386)]];
	return &procs[noise_tab[rndn(noise_len)]];
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: gen-audit-log [-s SIZE_MB] [-p NPIDS] [-f SECCOMP_PERCENT] [--enriched]\n"
		"                     [--subj CONTEXT] [--seed N]\n"
		"Write a realistic auditd audit.log of about SIZE_MB MiB (default 1024) to\n"
		"stdout: SECCOMP records (SECCOMP_PERCENT of the lines, default 10) among\n"
		"execve and file-watch events, cron PAM sessions, service and BPF records,\n"
		"from NPIDS processes (default 300). Deterministic for a given seed.\n");
}

int main(int argc, char **argv)
{
	double size_mb = 1024, pct = 10;
	long npids = 300;
	uint64_t seed = 1, target;
	int pending = -1;	/* a process that just exec'd: its start-up comes next */

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--enriched")) {
			enriched = 1;
		} else if ((!strcmp(a, "-s") || !strcmp(a, "--size")) && v) {
			size_mb = strtod(v, &end);
			if (*end || !(size_mb > 0) || size_mb > 1e7)
				goto bad;
			i++;
		} else if ((!strcmp(a, "-p") || !strcmp(a, "--pids")) && v) {
			npids = strtol(v, &end, 10);
			if (*end || npids < 1 || npids > 1000000)
				goto bad;
			i++;
		} else if ((!strcmp(a, "-f") || !strcmp(a, "--seccomp-percent")) && v) {
			pct = strtod(v, &end);
			if (*end || pct < 0 || pct > 100)
				goto bad;
			i++;
		} else if (!strcmp(a, "--subj") && v) {
			subj = v;
			if (strlen(subj) > 200)
				goto bad;
			i++;
		} else if (!strcmp(a, "--seed") && v) {
			seed = strtoull(v, &end, 10);
			if (*end)
				goto bad;
			i++;
		} else {
			goto bad;
		}
		continue;
bad:
		fprintf(stderr, "gen-audit-log: bad argument: %s%s%s\n", a,
			v && strcmp(a, "--enriched") ? " " : "", v && strcmp(a, "--enriched") ? v : "");
		usage(stderr);
		return 2;
	}
	if (subj)
		snprintf(subj_enc, sizeof(subj_enc), " subj=%s", subj);

	rng_state ^= seed * 0xd1b54a32d192ed03ull;
	if (!rng_state)
		rng_state = 1;
	for (int i = 0; i < 8; i++)
		rnd();

	out = malloc(OUTBUF);
	if (!out) {
		perror("gen-audit-log");
		return 1;
	}
	target = (uint64_t)(size_mb * 1048576.0);

	build_mix(C_LIBC, mix_libc);
	build_mix(C_SERVER, mix_server);
	build_mix(C_GO, mix_go);
	build_mix(C_JAVA, mix_java);
	build_mix(C_I386, mix_i386);
	for (int i = 0; i < 512; i++)
		site_off[i] = 0x20000 + (uint32_t)rndn(0x160000);
	build_progs();

	/*
	 * The pool: npids distinct pids, as a pid_max=4194304 host hands them out.
	 * Three quarters are long-running processes that do most of the SECCOMP
	 * logging; the rest are reused for the programs that the execve events
	 * start (each execve keeps its pid, so the pid count stays npids).
	 */
	nprocs = (int)npids;
	nlive = nprocs >= 4 ? nprocs * 3 / 4 : nprocs;
	procs = calloc((size_t)nprocs, sizeof(*procs));
	if (!procs) {
		perror("gen-audit-log");
		return 1;
	}
	{
		uint32_t pid = 380;

		for (int i = 0; i < nprocs; i++) {
			pid += 1 + rndn(i < 40 ? 60 : 9000);
			if (pid >= 4194304)
				pid = 300 + (uint32_t)i;
			procs[i].pid = pid;
			procs[i].ppid = i < 40 ? 1 : procs[rndn((uint32_t)(i < nlive ? i : nlive))].pid;
			procs[i].prog = i < nlive ? pick_prog(0) : pick_prog(1);
			proc_strings(&procs[i]);
		}
		cron_pid = pid + 1000;	/* a pool of 1-3 pids has no spare */
	}
	build_noise();

	now_ms = 1795420000000ull + 1;	/* on the jiffy grid: ms % 4 == 1 */
	head(now_ms - 1088 + 2);
	now_ms += 4 * 30;

	while (written + outlen < target) {
		int do_seccomp;

		if (pct >= 100)
			do_seccomp = 1;
		else if (pct <= 0)
			do_seccomp = 0;
		else
			do_seccomp = (double)lines_seccomp * 100.0 <= pct * (double)lines_total;

		if (do_seccomp) {
			int startup = 0;
			struct proc *p;

			if (pending >= 0 && rndn(5) == 0) {
				/* a program just exec'd under a complain-mode filter */
				p = &procs[pending];
				startup = 1;
			} else {
				p = pick_noisy();
			}
			pending = -1;
			tick(300);
			seccomp_burst(p, startup);
		} else {
			uint32_t r = rndn(1000);

			if (r < 880) {
				struct proc *p = &procs[nlive < nprocs
							? nlive + (int)rndn((uint32_t)(nprocs - nlive))
							: (int)rndn((uint32_t)nprocs)];

				/* now and then the old image's execve is logged, under its comm */
				if (pct > 0 && rndn(20) == 0) {
					tick(200);
					seccomp_record(p, progs[p->prog].cls == C_I386 ? 11 : 59,
						       progs[p->prog].cls == C_I386);
				}
				exec_event(p);
				pending = (int)(p - procs);
			} else if (r < 950) {
				watch_event(&procs[rndn((uint32_t)nlive)]);
			} else if (r < 965) {
				cron_event();
			} else if (r < 980) {
				service_event();
			} else {
				bpf_event();
			}
		}
		if (outlen > OUTBUF - 65536)
			flush_out();
	}
	flush_out();
	if (fflush(stdout) != 0) {
		fprintf(stderr, "gen-audit-log: write: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
