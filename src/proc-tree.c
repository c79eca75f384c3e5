/*
 * proc-tree.c - a process and its descendants, each for the span it lived.
 *
 * Where the kernel lets us listen (root; any user on recent kernels; not
 * outside the initial pid namespace, which a fork of our own tells), the
 * process events connector tells every fork and exit as it happens, with
 * the kernel's own timestamps; /proc is scanned once at the start (the
 * tree that exists already) and again when events were lost.  Without
 * it, /proc is scanned on each update (a timer paces them): a process is
 * a descendant when its parent was one when it was seen, so a child whose
 * parent exited before a scan saw it (reparented to init) is missed.
 *
 * A process is its pid and its start time: a record counts for a tracked
 * process only when its time falls between that process's start and exit.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "proc-tree.h"

/*
 * Records are stamped with the coarse clock (a jiffy behind at worst),
 * /proc's start times are in clock ticks: a record this close to a
 * process's start or exit still counts for it.  A pid is not reused that
 * fast (the kernel hands pids out in turn up to pid_max).
 */
#define SLACK 0.03

/* A negative answer from /proc is trusted this long for records that old. */
#define NEG_SLOTS 256
#define NEG_TTL 0.1

/* Scanning: how often (a scan of ~200 processes takes about a millisecond) */
#define SCAN_MS 50
#define EVENTS_TTL 0.001

struct node {
	int64_t pid;
	double start, end;	/* epoch seconds; end INFINITY: alive */
	int64_t next;		/* the previous process with this pid, -1 */
	uint64_t seen;		/* the last scan that found it alive */
};

struct neg {
	int64_t pid;		/* 0: free */
	double start;		/* the outsider's start; -INFINITY: by events */
	double checked;		/* when /proc (or a drain) said no descendant */
};

struct sl_proc_tree {
	int fd;			/* the connector socket; -1: scanning */
	int timer;		/* scanning: readable when the next scan is due */
	bool lost;		/* events were dropped: /proc may know more */
	struct node *nodes;
	size_t n, cap;
	int64_t *slots;		/* pid -> newest node index + 1; 0 free */
	size_t mask, used;
	size_t alive;
	uint64_t scans;
	int64_t probe;		/* the child forked to test the connector */
	bool probe_seen;
	double drained;		/* when the last drain began */
	struct neg neg[NEG_SLOTS];
	char buf[8192];
};

struct pstat {
	int64_t pid, ppid;
	uint64_t ticks;		/* start, in clock ticks since boot */
	double start;
	bool dead;		/* a zombie: it makes no more syscalls */
};

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now(void)
{
	return clock_s(CLOCK_REALTIME);
}

/*
 * When the boot was, in epoch seconds: starttime counts from it in
 * CLOCK_BOOTTIME (suspend included).  Taken once: the two clocks read a
 * moment apart differ by a few ns each time, which would shuffle the
 * order of processes started in the same tick.
 */
static double boot_epoch(void)
{
	static double at;

	if (!at)
		at = clock_s(CLOCK_REALTIME) - clock_s(CLOCK_BOOTTIME);
	return at;
}

static size_t hash(int64_t pid, size_t mask)
{
	return (size_t)((uint64_t)pid * 0x9e3779b97f4a7c15ull >> 20) & mask;
}

static int64_t *slot_of(const struct sl_proc_tree *t, int64_t pid)
{
	size_t i = hash(pid, t->mask);

	while (t->slots[i] && t->nodes[t->slots[i] - 1].pid != pid)
		i = (i + 1) & t->mask;
	return &t->slots[i];
}

static void grow_slots(struct sl_proc_tree *t)
{
	int64_t *old = t->slots;
	size_t oldn = t->mask + 1, i;

	t->mask = oldn * 2 - 1;
	t->slots = sl_xcalloc(t->mask + 1, sizeof(*t->slots));
	for (i = 0; i < oldn; i++)
		if (old[i])
			*slot_of(t, t->nodes[old[i] - 1].pid) = old[i];
	free(old);
}

/* The process with this pid that is alive now, or NULL. */
static struct node *alive(const struct sl_proc_tree *t, int64_t pid)
{
	int64_t i = *slot_of(t, pid) - 1;

	return i >= 0 && isinf(t->nodes[i].end) ? &t->nodes[i] : NULL;
}

static void add(struct sl_proc_tree *t, int64_t pid, double start)
{
	int64_t *s;

	if (alive(t, pid))
		return;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->nodes = sl_xrealloc(t->nodes, t->cap * sizeof(*t->nodes));
	}
	s = slot_of(t, pid);
	t->nodes[t->n] = (struct node){ .pid = pid, .start = start, .end = INFINITY,
					.next = *s - 1 };
	if (!*s)
		t->used++;
	*s = (int64_t)++t->n;
	t->alive++;
	if (t->used * 2 > t->mask)
		grow_slots(t);
}

static void ended(struct sl_proc_tree *t, int64_t pid, double when)
{
	struct node *n = alive(t, pid);

	if (n) {
		n->end = when < n->start ? n->start : when;
		t->alive--;
	}
}

static bool lived(const struct sl_proc_tree *t, int64_t pid, double when)
{
	int64_t i = *slot_of(t, pid) - 1;

	for (; i >= 0; i = t->nodes[i].next)
		if (when < 0 || (when >= t->nodes[i].start - SLACK && when <= t->nodes[i].end + SLACK))
			return true;
	return false;
}

/* /proc/PID/stat: parent, start (epoch), zombie.  0 or -errno. */
static int read_stat(int64_t pid, struct pstat *ps)
{
	char path[64], buf[1024], *p;
	unsigned long long ticks = 0;
	long ppid = 0;
	char state = 0;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%lld/stat", (long long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return len < 0 ? -errno : -ESRCH;
	buf[len] = '\0';
	/* comm may hold anything, ')' too: the fields follow the last one */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d "
			 "%*d %*d %*d %*d %llu", &state, &ppid, &ticks) != 3)
		return -EINVAL;
	ps->pid = pid;
	ps->ppid = ppid;
	/* starttime counts from boot in CLOCK_BOOTTIME (suspend included) */
	ps->ticks = ticks;
	ps->start = boot_epoch() + (double)ticks / (double)sysconf(_SC_CLK_TCK);
	ps->dead = state == 'Z' || state == 'X';
	return 0;
}

static int cmp_start(const void *a, const void *b)
{
	const struct pstat *x = a, *y = b;

	if (x->ticks != y->ticks)
		return x->ticks < y->ticks ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static int list_proc(struct pstat **out, size_t *n)
{
	struct pstat *ps = NULL;
	size_t cap = 0;
	struct dirent *d;
	DIR *dir = opendir("/proc");

	*n = 0;
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		char *end;
		long long pid = strtoll(d->d_name, &end, 10);

		if (*end || pid <= 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			ps = sl_xrealloc(ps, cap * sizeof(*ps));
		}
		if (!read_stat(pid, &ps[*n]))
			++*n;
	}
	closedir(dir);
	/* a parent starts before its children: one pass in start order
	 * finds every generation */
	qsort(ps, *n, sizeof(*ps), cmp_start);
	*out = ps;
	return 0;
}

/*
 * Bring the tree up to /proc: processes gone (or pids now held by later
 * processes) have ended; living processes whose parent is tracked join.
 */
static int scan(struct sl_proc_tree *t)
{
	struct pstat *ps = NULL;
	double at = now();
	size_t n, i;
	int rc = list_proc(&ps, &n);

	if (rc)
		return rc;
	t->scans++;
	for (i = 0; i < n; i++) {
		struct node *nd = alive(t, ps[i].pid), *parent;

		if (ps[i].dead)
			continue;
		/* the same process, not a later one given its pid */
		if (nd && fabs(ps[i].start - nd->start) < 0.1) {
			nd->seen = t->scans;
			continue;
		}
		if (nd)
			ended(t, nd->pid, ps[i].start);
		parent = alive(t, ps[i].ppid);
		if (parent && parent->seen == t->scans && parent->start <= ps[i].start + SLACK) {
			add(t, ps[i].pid, ps[i].start);
			t->nodes[t->n - 1].seen = t->scans;
		}
	}
	for (i = 0; i < t->n; i++)
		if (isinf(t->nodes[i].end) && t->nodes[i].seen != t->scans)
			ended(t, t->nodes[i].pid, at);
	free(ps);
	return 0;
}

/*
 * One pid in /proc: joins when an ancestor is tracked (a fork event not
 * seen, or not scanned yet).  Returns true when it joined.
 */
static bool check_proc(struct sl_proc_tree *t, int64_t pid, int depth)
{
	struct neg *ng = &t->neg[(size_t)pid % NEG_SLOTS];
	struct node *parent;
	struct pstat ps;

	if (depth > 64 || pid <= 1 || read_stat(pid, &ps) || ps.dead)
		return false;
	parent = alive(t, ps.ppid);
	if ((parent && parent->start <= ps.start + SLACK) ||
	    (!parent && check_proc(t, ps.ppid, depth + 1))) {
		add(t, pid, ps.start);
		return true;
	}
	*ng = (struct neg){ .pid = pid, .start = ps.start, .checked = now() };
	return false;
}

static void drain(struct sl_proc_tree *t);

int sl_proc_tree_update(struct sl_proc_tree *t, char **cause)
{
	uint64_t ticks;
	int rc = 0;

	if (t->timer >= 0 && read(t->timer, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		return sl_fail(cause, -errno, "timer: %s", strerror(errno));
	if (t->fd >= 0)
		drain(t);
	if (t->fd < 0 || t->lost) {
		rc = scan(t);
		if (!rc)
			t->lost = false;
	}
	return rc < 0 ? sl_fail(cause, rc, "/proc: %s", strerror(-rc)) : 0;
}

/* The kernel's monotonic nanoseconds (event stamps) as epoch seconds. */
static double mono_to_epoch(uint64_t ns)
{
	return clock_s(CLOCK_REALTIME) - clock_s(CLOCK_MONOTONIC) + (double)ns / 1e9;
}

/* A pid's negative answer is void once it names a new process. */
static void forget(struct sl_proc_tree *t, int64_t pid)
{
	struct neg *n = &t->neg[(size_t)pid % NEG_SLOTS];

	if (n->pid == pid)
		n->pid = 0;
}

static void event(struct sl_proc_tree *t, const struct proc_event *ev)
{
	double at = mono_to_epoch(ev->timestamp_ns);
	struct node *parent;

	switch (ev->what) {
	case PROC_EVENT_FORK:
		/* threads share their process's pid in records */
		if (ev->event_data.fork.child_pid != ev->event_data.fork.child_tgid)
			break;
		if (ev->event_data.fork.child_tgid == t->probe)
			t->probe_seen = true;
		forget(t, ev->event_data.fork.child_tgid);
		parent = alive(t, ev->event_data.fork.parent_tgid);
		if (parent && parent->start <= at + SLACK) {
			/* a pid freed and taken again before we drained: the
			 * exit of the old one came first */
			ended(t, ev->event_data.fork.child_tgid, at);
			add(t, ev->event_data.fork.child_tgid, at);
		}
		break;
	case PROC_EVENT_EXIT:
		/* a thread's exit is not its process's */
		if (ev->event_data.exit.process_pid == ev->event_data.exit.process_tgid)
			ended(t, ev->event_data.exit.process_tgid, at);
		break;
	default:
		/* exec keeps the process (and its pid): nothing changes */
		break;
	}
}

/* Take every event queued on the socket. */
static void drain(struct sl_proc_tree *t)
{
	struct proc_event ev;

	t->drained = now();
	for (;;) {
		ssize_t len = recv(t->fd, t->buf, sizeof(t->buf), MSG_DONTWAIT);
		struct nlmsghdr *nh;

		if (len < 0) {
			if (errno == EINTR)
				continue;
			/* ENOBUFS: events dropped; the next update scans */
			if (errno == ENOBUFS)
				t->lost = true;
			return;
		}
		for (nh = (struct nlmsghdr *)t->buf; NLMSG_OK(nh, (size_t)len);
		     nh = NLMSG_NEXT(nh, len)) {
			struct cn_msg *cn = NLMSG_DATA(nh);

			if (nh->nlmsg_type == NLMSG_NOOP)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR || nh->nlmsg_type == NLMSG_OVERRUN) {
				t->lost = true;
				continue;
			}
			if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*cn) + sizeof(struct proc_event)) ||
			    cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC)
				continue;
			/* cn->data sits 36 bytes in: copied out, aligned */
			memcpy(&ev, cn->data, sizeof(ev));
			event(t, &ev);
		}
	}
}

static int mcast(int fd, enum proc_cn_mcast_op op)
{
	struct {
		struct nlmsghdr nh;
		struct cn_msg cn;
		enum proc_cn_mcast_op op;
	} __attribute__((packed)) msg;

	memset(&msg, 0, sizeof(msg));
	msg.nh.nlmsg_len = sizeof(msg);
	msg.nh.nlmsg_type = NLMSG_DONE;
	msg.nh.nlmsg_pid = 0;
	msg.cn.id.idx = CN_IDX_PROC;
	msg.cn.id.val = CN_VAL_PROC;
	msg.cn.len = sizeof(op);
	msg.op = op;
	return send(fd, &msg, sizeof(msg), 0) < 0 ? -errno : 0;
}

/* The connector, listening; -errno when the kernel or our rights say no. */
static int connector(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	int fd = socket(PF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_CONNECTOR);
	int size = 4 << 20, rc = 0;

	if (fd < 0)
		return -errno;
	/* a fork bomb of a build must not overflow it (root: force) */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		rc = -errno;
	else
		rc = mcast(fd, PROC_CN_MCAST_LISTEN);
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}

/*
 * Outside the initial pid namespace the kernel accepts the listen request
 * and sends nothing: see a fork of our own arrive before trusting it.
 */
static bool connector_works(struct sl_proc_tree *t)
{
	struct pollfd pfd = { .fd = t->fd, .events = POLLIN };
	pid_t pid = fork();
	int i;

	if (pid < 0)
		return false;
	if (!pid)
		_exit(0);
	t->probe = pid;
	waitpid(pid, NULL, 0);
	for (i = 0; i < 20 && !t->probe_seen; i++) {
		drain(t);
		if (!t->probe_seen)
			poll(&pfd, 1, 10);
	}
	t->probe = 0;
	return t->probe_seen;
}

int sl_proc_tree_open(struct sl_proc_tree **out, const int64_t *roots, size_t n, const char **how,
		      char **cause)
{
	struct sl_proc_tree *t = sl_xcalloc(1, sizeof(*t));
	size_t i;
	int rc;

	t->mask = 63;
	t->slots = sl_xcalloc(t->mask + 1, sizeof(*t->slots));
	/* listen before looking: a fork between the scan and the first
	 * event is in the queue then, not lost */
	t->fd = connector();
	if (t->fd >= 0 && !connector_works(t)) {
		mcast(t->fd, PROC_CN_MCAST_IGNORE);
		close(t->fd);
		t->fd = -1;
	}
	if (t->fd < 0)
		t->fd = -1;
	t->timer = -1;
	if (t->fd < 0 && (t->timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK |
						    TFD_CLOEXEC)) >= 0) {
		/* a harvest polls the tree's fd: scans then come on a timer,
		 * often enough to see most children while their parent lives */
		struct itimerspec its = { { 0, SCAN_MS * 1000000L }, { 0, SCAN_MS * 1000000L } };

		timerfd_settime(t->timer, 0, &its, NULL);
	}
	for (i = 0; i < n; i++) {
		struct pstat ps;

		if ((rc = read_stat(roots[i], &ps)) || ps.dead) {
			sl_proc_tree_close(t);
			return sl_fail(cause, rc ? rc : -ESRCH, "no process %lld",
				       (long long)roots[i]);
		}
		add(t, roots[i], ps.start);
	}
	if ((rc = scan(t)) < 0) {
		sl_proc_tree_close(t);
		return sl_fail(cause, rc, "/proc: %s", strerror(-rc));
	}
	if (t->fd >= 0)
		drain(t);
	*how = t->fd >= 0 ? "process events" : "/proc scans";
	*out = t;
	return 0;
}

int sl_proc_tree_fd(const struct sl_proc_tree *t)
{
	return t->fd >= 0 ? t->fd : t->timer;
}

bool sl_proc_tree_has(struct sl_proc_tree *t, int64_t pid, double when)
{
	struct neg *ng = &t->neg[(size_t)pid % NEG_SLOTS];

	if (t->fd >= 0) {
		/*
		 * What the tree says holds up to the last drain: a record made
		 * before it came after its process's fork, and before a reuse
		 * of its pid.  A later record needs a drain (its fork, or the
		 * exit that freed the pid, may be queued), but a flood of one
		 * process (ours, or an outsider's: no fork of its pid was
		 * queued, a drained fork forgets it) is spared a drain per
		 * record for EVENTS_TTL: a pid is not freed and taken again
		 * that fast.
		 */
		bool current = when >= 0 && when <= t->drained - SLACK;
		bool known = alive(t, pid) || (ng->pid == pid && isinf(ng->start));

		if (!current && !(known && now() - t->drained < EVENTS_TTL))
			drain(t);
		if (lived(t, pid, when))
			return true;
		if (!t->lost) {
			*ng = (struct neg){ .pid = pid, .start = -INFINITY, .checked = t->drained };
			return false;
		}
	} else if (lived(t, pid, when)) {
		return true;
	}
	/*
	 * /proc said no already, for a process that covers this time; a flood
	 * of an outsider's records comes in real time, each a little after
	 * the last look: a look is good for NEG_TTL (a pid freed and taken
	 * by a descendant that fast would be missed until then)
	 */
	if (ng->pid == pid && isfinite(ng->start) && (when < 0 || (when >= ng->start - SLACK &&
					    (when <= ng->checked || now() - ng->checked < NEG_TTL))))
		return false;
	return check_proc(t, pid, 0) && lived(t, pid, when);
}

bool sl_proc_tree_empty(const struct sl_proc_tree *t)
{
	return t->alive == 0;
}

void sl_proc_tree_close(struct sl_proc_tree *t)
{
	if (!t)
		return;
	if (t->fd >= 0) {
		mcast(t->fd, PROC_CN_MCAST_IGNORE);
		close(t->fd);
	}
	if (t->timer >= 0)
		close(t->timer);
	free(t->nodes);
	free(t->slots);
	free(t);
}
