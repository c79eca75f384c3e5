/*
 * launch.h - start a command in a child under a seccomp filter.  The
 * child tells the parent how far it got (tagged, filter loaded, exec'd)
 * through a close-on-exec pipe, so a failure before CMD runs is told as
 * seclog's, not mistaken for CMD's.  Shared by seclog run and minimize.
 */
#ifndef SL_LAUNCH_H
#define SL_LAUNCH_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "profile.h"

/* How the child exits when it never became CMD (as a shell does). */
enum {
	SL_LAUNCH_FAIL = 125,		/* the filter did not load, or seclog gave up */
	SL_LAUNCH_NOEXEC = 126,		/* CMD found but could not be run */
	SL_LAUNCH_NOTFOUND = 127,	/* CMD not found */
};

enum sl_launch_filter {
	SL_LAUNCH_COMPLAIN,	/* sl_complain_load: profile may be NULL (log all) */
	SL_LAUNCH_ENFORCE,	/* sl_enforce_load: the profile as runc enforces it */
	SL_LAUNCH_NONE,		/* no filter (a check of the user's own) */
};

struct sl_launch_opts {
	char *const *argv;			/* execvp'd */
	const struct sl_profile *profile;
	enum sl_launch_filter filter;
	bool log_denied;	/* complain: the deny rules log too */
	bool tag;		/* a fresh audit session: auid to /proc/self/loginuid */
	uint32_t auid;
	bool hold;		/* load and exec only at sl_launch_go */
	bool pgrp;		/* a process group of its own, to kill as one */
	int in, out, err;	/* made the child's 0, 1, 2; -1: the caller's */
	const sigset_t *mask;	/* the child's signal mask; NULL: the caller's */
	void (*prepare)(void);	/* first thing in the child (NULL: none) */
};

enum sl_launch_stage { SL_LAUNCH_TAG = 1, SL_LAUNCH_LOAD, SL_LAUNCH_EXEC };

struct sl_launch {
	pid_t pid;
	int tag_err;			/* tag: 0, or the errno of the loginuid write */
	enum sl_launch_stage failed;	/* sl_launch_go failed: where */
	int say, go;			/* the pipes' parent ends, -1 once done */
};

/*
 * Fork the child.  With tag, returns once the child has tried to tag
 * itself (tag_err).  Returns 0 or -errno with *cause set (no child then).
 */
int sl_launch_start(struct sl_launch *l, const struct sl_launch_opts *o, char **cause);

/*
 * Let a held child go on, and wait until it has become CMD: 0; or -errno
 * with *cause and l->failed: SL_LAUNCH_LOAD (the filter: cause says why),
 * SL_LAUNCH_EXEC (-ENOENT: not found; else why exec failed).  The child
 * exits then (SL_LAUNCH_*): still wait for it.  With timeout_ms >= 0 the
 * wait ends after that long (-ETIMEDOUT: a filter that denies what the
 * child needs to get to exec may leave it spinning) or at a signal
 * (-EINTR); the child is then the caller's to kill.
 */
int sl_launch_go(struct sl_launch *l, int timeout_ms, char **cause);

/* Close what is left of the pipes; a child still held gives up. */
void sl_launch_close(struct sl_launch *l);

/*
 * The auid a tagged run gets: the caller's login uid when it has one (root
 * under sudo keeps the user's), else its uid.  A new session either way.
 */
uint32_t sl_launch_auid(void);

/* The audit session of pid (after tagging: its own), UINT32_MAX if none. */
uint32_t sl_launch_session(pid_t pid);

/* The status of a waited child as a shell gives it: 128+N for signal N. */
int sl_launch_status(int wstatus);

#endif
