/*
 * trial.c - runs of CMD in parallel slots.  Each slot runs CMD, then the
 * user's check if there is one, then the next run of its trial.  Exits
 * come in as SIGCHLD (blocked, taken with sigtimedwait), so the wait for
 * the next exit is also the wait for the nearest timeout.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "launch.h"
#include "trial.h"

enum phase { FREE, CMD, TEST };

struct slot {
	enum phase phase;
	size_t trial;
	unsigned int run;
	pid_t pid;
	double start, deadline;
	bool timed_out;
	int status;
	char out[4096], err[4096];
};

struct engine {
	const struct sl_trial_opts *o;
	const struct sl_profile *const *p;
	struct slot *slots;
	size_t nslots;
	int null_fd;
	sigset_t old;
	struct sl_trial_stats *st;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int start(struct engine *e, struct slot *s, enum phase ph, char **cause)
{
	const struct sl_trial_opts *o = e->o;
	struct sl_launch l;
	struct sl_launch_opts lo = { .pgrp = true, .in = e->null_fd, .mask = &e->old };
	char status[16];
	char *targv[5];
	bool timed_out = false;
	int out = -1, err = -1, rc;

	if (ph == CMD) {
		out = open(s->out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		err = open(s->err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (out < 0 || err < 0) {
			rc = sl_fail(cause, -errno, "%s: %s", s->out, strerror(errno));
			goto out;
		}
		lo.argv = o->argv;
		lo.filter = SL_LAUNCH_ENFORCE;
		lo.profile = e->p[s->trial];
		lo.out = out;
		lo.err = err;
		e->st->runs++;
	} else {
		snprintf(status, sizeof(status), "%d", s->status);
		targv[0] = (char *)o->test;
		targv[1] = status;
		targv[2] = s->out;
		targv[3] = s->err;
		targv[4] = NULL;
		lo.argv = targv;
		lo.filter = SL_LAUNCH_NONE;
		lo.out = lo.err = o->test_err >= 0 ? o->test_err : e->null_fd;
		e->st->tests++;
	}
	rc = sl_launch_start(&l, &lo, cause);
	if (!rc)
		rc = sl_launch_go(&l, (int)(o->timeout * 1000), cause);
	/* a filter that denies execve (or what CMD needs to be found) fails
	 * the run: the child exits SL_LAUNCH_NOEXEC or _NOTFOUND; one that
	 * leaves it stuck before exec fails it as a timeout */
	if (rc && ph == CMD && l.failed == SL_LAUNCH_EXEC)
		rc = 0;
	if (rc == -ETIMEDOUT && ph == CMD) {
		kill(-l.pid, SIGKILL);
		e->st->timeouts++;
		timed_out = true;
		rc = 0;
	}
	if (rc && l.pid > 0) {
		char *why = sl_xstrdup(cause && *cause ? *cause : "?");

		sl_fail(cause, rc, "%s: %s", ph == TEST ? o->test : l.failed == SL_LAUNCH_LOAD ?
			"the filter" : o->argv[0], why);
		free(why);
		kill(-l.pid, SIGKILL);
		while (waitpid(l.pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	sl_launch_close(&l);
	if (!rc) {
		s->phase = ph;
		s->pid = l.pid;
		s->timed_out = timed_out;
		s->start = now();
		s->deadline = s->start + o->timeout;
	}
out:
	if (out >= 0)
		close(out);
	if (err >= 0)
		close(err);
	return rc;
}

static bool same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "re"), *fb = fopen(b, "re");
	bool same = fa && fb;
	int ca, cb;

	while (same) {
		ca = getc(fa);
		cb = getc(fb);
		if (ca != cb)
			same = false;
		if (ca == EOF)
			break;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

/* Did the run of s pass (CMD's exit, without a check)? */
static bool judged(const struct engine *e, const struct slot *s)
{
	if (s->timed_out)
		return false;
	if (s->status != e->o->want_status)
		return false;
	char want[4200];

	if (!e->o->want)
		return true;
	snprintf(want, sizeof(want), "%s.out", e->o->want);
	if (!same_file(s->out, want))
		return false;
	snprintf(want, sizeof(want), "%s.err", e->o->want);
	return same_file(s->err, want);
}

/* Wait for an exit or the nearest deadline; kill the runs past theirs. */
static void wait_some(struct engine *e)
{
	double t = now(), next = t + 1;
	struct timespec ts;
	sigset_t chld;
	size_t i;

	for (i = 0; i < e->nslots; i++) {
		struct slot *s = &e->slots[i];

		if (s->phase == FREE || s->timed_out)
			continue;
		if (s->deadline <= t) {
			/* a blocked workload fails; all of its processes go */
			kill(-s->pid, SIGKILL);
			s->timed_out = true;
			if (s->phase == CMD)
				e->st->timeouts++;
		} else if (s->deadline < next) {
			next = s->deadline;
		}
	}
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	t = next - now();
	if (t < 0)
		t = 0;
	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	sigtimedwait(&chld, NULL, &ts);
}

static int engine(struct engine *e, size_t n, bool *pass, char **cause)
{
	const struct sl_trial_opts *o = e->o;
	size_t next = 0, active = 0, i;
	int rc = 0, st;
	pid_t pid;

	for (i = 0; i < n; i++)
		pass[i] = true;
	while (!rc && (next < n || active)) {
		for (i = 0; !rc && next < n && i < e->nslots; i++) {
			struct slot *s = &e->slots[i];

			if (s->phase != FREE)
				continue;
			s->trial = next++;
			s->run = 0;
			rc = start(e, s, CMD, cause);
			active += !rc;
		}
		if (rc || !active)
			break;
		wait_some(e);
		if (o->stop && *o->stop) {
			rc = sl_fail(cause, -EINTR, "interrupted");
			break;
		}
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
			struct slot *s = NULL;
			bool ok;

			for (i = 0; i < e->nslots; i++)
				if (e->slots[i].phase != FREE && e->slots[i].pid == pid)
					s = &e->slots[i];
			if (!s)
				continue;	/* not ours */
			/* what CMD left behind does not outlive its run */
			kill(-pid, SIGKILL);
			if (s->phase == CMD) {
				s->status = sl_launch_status(st);
				if (o->test && !s->timed_out && !rc) {
					rc = start(e, s, TEST, cause);
					if (!rc)
						continue;
				}
				ok = !o->test && judged(e, s);
			} else {
				ok = !s->timed_out && WIFEXITED(st) && !WEXITSTATUS(st);
			}
			s->phase = FREE;
			if (!ok)
				pass[s->trial] = false;
			if (ok && ++s->run < o->runs && !rc) {
				rc = start(e, s, CMD, cause);
				if (!rc)
					continue;
			}
			active--;
		}
	}
	/* an error: what still runs is killed and reaped */
	for (i = 0; i < e->nslots; i++) {
		struct slot *s = &e->slots[i];

		if (s->phase == FREE)
			continue;
		kill(-s->pid, SIGKILL);
		while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
			;
		s->phase = FREE;
	}
	return rc;
}

static int setup(struct engine *e, const struct sl_trial_opts *o, size_t nslots,
		 struct sl_trial_stats *st, char **cause)
{
	sigset_t chld;
	size_t i;

	memset(e, 0, sizeof(*e));
	e->o = o;
	e->st = st;
	e->null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (e->null_fd < 0)
		return sl_fail(cause, -errno, "/dev/null: %s", strerror(errno));
	e->nslots = nslots ? nslots : 1;
	e->slots = sl_xcalloc(e->nslots, sizeof(*e->slots));
	for (i = 0; i < e->nslots; i++) {
		snprintf(e->slots[i].out, sizeof(e->slots[i].out), "%s/run%zu.out", o->dir, i);
		snprintf(e->slots[i].err, sizeof(e->slots[i].err), "%s/run%zu.err", o->dir, i);
	}
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &e->old);
	return 0;
}

static void teardown(struct engine *e)
{
	size_t i;

	sigprocmask(SIG_SETMASK, &e->old, NULL);
	for (i = 0; i < e->nslots; i++) {
		unlink(e->slots[i].out);
		unlink(e->slots[i].err);
	}
	free(e->slots);
	close(e->null_fd);
}

int sl_trial_run(const struct sl_trial_opts *o, const struct sl_profile *const *p, size_t n,
		 bool *pass, struct sl_trial_stats *st, char **cause)
{
	struct engine e;
	size_t slots = o->jobs ? o->jobs : 1;
	int rc;

	if (slots > n)
		slots = n;
	rc = setup(&e, o, slots, st, cause);
	if (rc)
		return rc;
	e.p = p;
	rc = engine(&e, n, pass, cause);
	teardown(&e);
	return rc;
}

int sl_trial_once(const struct sl_trial_opts *o, const struct sl_profile *p,
		  const char *keep, int *status, bool *timed_out, double *seconds,
		  char **cause)
{
	struct sl_trial_opts one = *o;
	struct sl_trial_stats st = { 0 };
	struct engine e;
	struct slot *s;
	double t0;
	int rc, ws;
	pid_t pid;

	one.runs = 1;
	rc = setup(&e, &one, 1, &st, cause);
	if (rc)
		return rc;
	e.p = &p;
	s = &e.slots[0];
	snprintf(s->out, sizeof(s->out), "%s.out", keep);
	snprintf(s->err, sizeof(s->err), "%s.err", keep);
	t0 = now();
	rc = start(&e, s, CMD, cause);
	while (!rc && s->phase != FREE) {
		wait_some(&e);
		if (o->stop && *o->stop) {
			rc = sl_fail(cause, -EINTR, "interrupted");
			kill(-s->pid, SIGKILL);
			while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
				;
			break;
		}
		while ((pid = waitpid(s->pid, &ws, WNOHANG)) < 0 && errno == EINTR)
			;
		if (pid == s->pid) {
			kill(-pid, SIGKILL);
			*status = sl_launch_status(ws);
			s->phase = FREE;
		}
	}
	*timed_out = s->timed_out;
	*seconds = now() - t0;
	s->out[0] = s->err[0] = '\0';	/* the caller's: teardown leaves them */
	teardown(&e);
	return rc;
}
