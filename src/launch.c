/*
 * launch.c - the child side of seclog run and minimize: tag, wait to be
 * released, load the filter, exec.  seclog has one thread, so the malloc
 * libseccomp does after the fork is safe.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "complain.h"
#include "enforce.h"
#include "error.h"
#include "launch.h"

/* What the child tells the parent. */
struct msg {
	int stage;		/* enum sl_launch_stage */
	int err;		/* errno, 0 */
	char text[240];
};

static void say(int fd, int stage, int err, const char *text)
{
	struct msg m = { .stage = stage, .err = err };

	if (text)
		snprintf(m.text, sizeof(m.text), "%s", text);
	if (write(fd, &m, sizeof(m)) < 0)
		_exit(SL_LAUNCH_FAIL);
}

static void child(const struct sl_launch_opts *o, int out, int go)
{
	char buf[16], *cause = NULL, b;
	int fd, len, err = 0, rc;
	bool nnp;

	if (o->prepare)
		o->prepare();
	if (o->mask)
		sigprocmask(SIG_SETMASK, o->mask, NULL);
	if (o->pgrp)
		setpgid(0, 0);
	if ((o->in >= 0 && dup2(o->in, 0) < 0) || (o->out >= 0 && dup2(o->out, 1) < 0) ||
	    (o->err >= 0 && dup2(o->err, 2) < 0)) {
		say(out, SL_LAUNCH_LOAD, errno, strerror(errno));
		_exit(SL_LAUNCH_FAIL);
	}
	if (o->tag) {
		/* a fresh audit session: the kernel hands out a new ses on each write */
		len = snprintf(buf, sizeof(buf), "%" PRIu32, o->auid);
		fd = open("/proc/self/loginuid", O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, buf, (size_t)len) != len)
			err = errno ? errno : EIO;
		if (fd >= 0)
			close(fd);
		say(out, SL_LAUNCH_TAG, err, NULL);
	}
	if (o->hold && read(go, &b, 1) != 1)
		_exit(SL_LAUNCH_FAIL);	/* the parent gave up */
	if (go >= 0)
		close(go);
	/* from here on every syscall is filtered, execve's own included */
	if (o->filter == SL_LAUNCH_ENFORCE)
		rc = sl_enforce_load(o->profile, &cause);
	else if (o->filter == SL_LAUNCH_COMPLAIN)
		rc = sl_complain_load(o->profile, o->log_denied, &nnp, &cause);
	else
		rc = 0;
	if (rc) {
		say(out, SL_LAUNCH_LOAD, -rc, cause);
		_exit(SL_LAUNCH_FAIL);
	}
	execvp(o->argv[0], o->argv);
	err = errno;
	say(out, SL_LAUNCH_EXEC, err, NULL);
	_exit(err == ENOENT ? SL_LAUNCH_NOTFOUND : SL_LAUNCH_NOEXEC);
}

int sl_launch_start(struct sl_launch *l, const struct sl_launch_opts *o, char **cause)
{
	int s[2] = { -1, -1 }, g[2] = { -1, -1 };
	struct msg m;

	memset(l, 0, sizeof(*l));
	l->pid = -1;
	l->say = l->go = -1;
	if (pipe2(s, O_CLOEXEC) || (o->hold && pipe2(g, O_CLOEXEC))) {
		int err = errno;

		if (s[0] >= 0) {
			close(s[0]);
			close(s[1]);
		}
		return sl_fail(cause, -err, "pipe: %s", strerror(err));
	}
	fflush(NULL);
	l->pid = fork();
	if (l->pid < 0) {
		int err = errno;

		close(s[0]);
		close(s[1]);
		if (g[0] >= 0) {
			close(g[0]);
			close(g[1]);
		}
		return sl_fail(cause, -err, "fork: %s", strerror(err));
	}
	if (!l->pid) {
		close(s[0]);
		if (g[1] >= 0)
			close(g[1]);
		child(o, s[1], g[0]);
	}
	if (o->pgrp)
		setpgid(l->pid, l->pid);	/* either side may come first */
	close(s[1]);
	if (g[0] >= 0)
		close(g[0]);
	l->say = s[0];
	l->go = g[1];
	if (!o->tag)
		return 0;
	if (read(l->say, &m, sizeof(m)) != sizeof(m) || m.stage != SL_LAUNCH_TAG) {
		l->tag_err = EIO;
		l->failed = SL_LAUNCH_TAG;
		return sl_fail(cause, -EIO, "the child failed before it could run");
	}
	l->tag_err = m.err;
	return 0;
}

int sl_launch_go(struct sl_launch *l, int timeout_ms, char **cause)
{
	struct msg m;
	ssize_t n;

	if (l->go >= 0) {
		if (write(l->go, "g", 1) != 1) {
			int err = errno;

			l->failed = SL_LAUNCH_LOAD;
			return sl_fail(cause, -err, "cannot start it: %s", strerror(err));
		}
		close(l->go);
		l->go = -1;
	}
	if (timeout_ms >= 0) {
		struct pollfd pfd = { .fd = l->say, .events = POLLIN };
		int r = poll(&pfd, 1, timeout_ms);

		if (r < 0 && errno == EINTR)
			return sl_fail(cause, -EINTR, "interrupted");
		if (!r)
			return sl_fail(cause, -ETIMEDOUT, "did not get to exec in time");
	}
	/* loaded and exec'd: the close-on-exec pipe reads EOF */
	while ((n = read(l->say, &m, sizeof(m))) < 0 && errno == EINTR)
		;
	close(l->say);
	l->say = -1;
	if (n != sizeof(m))
		return 0;
	l->failed = m.stage;
	if (m.stage == SL_LAUNCH_EXEC)
		return sl_fail(cause, -m.err, "%s", m.err == ENOENT ? "command not found" :
			       strerror(m.err));
	return sl_fail(cause, m.err ? -m.err : -EINVAL, "%s", m.text);
}

void sl_launch_close(struct sl_launch *l)
{
	if (l->say >= 0)
		close(l->say);
	if (l->go >= 0)
		close(l->go);
	l->say = l->go = -1;
}

int sl_launch_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return SL_LAUNCH_FAIL;
}

static uint32_t read_u32(const char *path)
{
	char buf[32];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return UINT32_MAX;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return UINT32_MAX;
	buf[n] = '\0';
	return (uint32_t)strtoul(buf, NULL, 10);
}

uint32_t sl_launch_auid(void)
{
	uint32_t auid = read_u32("/proc/self/loginuid");

	return auid == UINT32_MAX ? (uint32_t)getuid() : auid;
}

uint32_t sl_launch_session(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/sessionid", (int)pid);
	return read_u32(path);
}
