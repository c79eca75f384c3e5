/*
 * limits-state.h - the state file of a lift: the original values, who holds
 * the limits lifted, and the lock every change to it is made under.  Root
 * writes it, so it is never opened through a link another user planted.
 */
#ifndef SL_LIMITS_STATE_H
#define SL_LIMITS_STATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A process that lifted the limits and will release them when it exits. */
struct sl_holder {
	pid_t pid;
	unsigned long long start;	/* its start time: a reused pid is not it */
};

struct sl_lstate {
	bool exists;		/* a state file was there (or has been saved) */
	bool manual;		/* `seclog limits lift`: held until restore */
	struct sl_holder *holders;
	size_t nholders;
	json_t *saved;		/* setting name -> original value (string) */
	/* private */
	int dirfd, lockfd;
	char *base;		/* the file's name in its directory */
	const char *path;	/* as given, for messages */
};

/*
 * Open the state file's directory (with create, make it mode 0700 when
 * missing), check that it is a real directory that only its owner (this
 * user or root) can write, take the lock (<name>.lock beside it, flock)
 * and read the state file if there is one.  -ENOENT without create when
 * the directory does not exist.  Returns 0 or -errno with *cause set.
 */
int sl_lstate_open(struct sl_lstate *ls, const char *path, bool create, char **cause);

/* Write the state atomically (a new file renamed over the old one). */
int sl_lstate_save(struct sl_lstate *ls, char **cause);

/* Remove the state file (the lift is over). */
int sl_lstate_remove(struct sl_lstate *ls, char **cause);

/* Release the lock and free everything. */
void sl_lstate_close(struct sl_lstate *ls);

/* Add a holder (pid with its start time now), once. */
void sl_lstate_add_holder(struct sl_lstate *ls, pid_t pid);

/* Remove the holder of this pid; true when it was there. */
bool sl_lstate_drop_holder(struct sl_lstate *ls, pid_t pid);

/*
 * Remove the holders whose process is gone (no such pid, or one started
 * at another time); *dead gets them (malloc'd) when not NULL.  Returns
 * how many.
 */
size_t sl_lstate_drop_dead(struct sl_lstate *ls, struct sl_holder **dead);

/* A process's start time in clock ticks after boot, 0 when it is gone. */
unsigned long long sl_proc_start_time(pid_t pid);

#endif
