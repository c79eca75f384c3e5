/*
 * observe.c - one tagged run under a log-everything filter, followed by
 * its audit session (as seclog run follows it; no process-tree fallback:
 * minimize does without the hint rather than risk a partial one).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "launch.h"
#include "observe.h"
#include "source.h"

int sl_observe(const struct sl_observe_opts *o, struct sl_harvest *h, int *status,
	       char **cause)
{
	struct sl_source src;
	struct sl_live live;
	struct sl_launch l = { .pid = -1, .say = -1, .go = -1 };
	struct sl_launch_opts lo = { .argv = o->argv, .filter = SL_LAUNCH_COMPLAIN, .tag = true,
				     .auid = o->auid, .hold = true, .pgrp = true, .in = o->in,
				     .out = o->out, .err = o->err };
	char *why = NULL;
	size_t failed = 0;
	int rc, st = 0;

	memset(&src, 0, sizeof(src));
	sl_live_init(&live);
	rc = sl_source_auto(&src, SL_SOURCE_FOLLOW, &why, cause);
	free(why);
	if (rc)
		return rc;
	rc = sl_launch_start(&l, &lo, cause);
	if (rc)
		goto out;
	if (l.tag_err) {
		rc = sl_fail(cause, -l.tag_err, "cannot tag the run with an audit session: %s",
			     strerror(l.tag_err));
		goto stop;
	}
	h->filter.ses = sl_launch_session(l.pid);
	h->filter.has_ses = h->filter.ses != UINT32_MAX;
	if (!h->filter.has_ses) {
		rc = sl_fail(cause, -ENOTSUP, "this kernel has no audit sessions");
		goto stop;
	}
#ifdef SYS_pidfd_open
	live.stop_fd = (int)syscall(SYS_pidfd_open, l.pid, 0);
#endif
	if (live.stop_fd < 0) {
		rc = sl_fail(cause, -ENOTSUP, "cannot watch the run for its exit (pidfd_open)");
		goto stop;
	}
	live.settle = 0.25;
	live.duration = o->timeout;
	rc = sl_launch_go(&l, -1, cause);
	if (rc)
		goto stop;
	rc = sl_harvest_run(h, &src, 1, &live, &failed, cause);
	if (!rc && !live.stopped)
		rc = sl_fail(cause, -ETIMEDOUT, "%s ran past the timeout", o->argv[0]);
stop:
	sl_launch_close(&l);
	kill(-l.pid, SIGKILL);
	while (waitpid(l.pid, &st, 0) < 0 && errno == EINTR)
		;
	*status = sl_launch_status(st);
	if (!rc)
		sl_harvest_finish(h);
out:
	if (live.stop_fd >= 0)
		close(live.stop_fd);
	sl_source_close(&src);
	return rc;
}
