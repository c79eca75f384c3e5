/*
 * host-limits.h - every setting that can drop or hide a SECCOMP record: read
 * them, lift them to values that drop nothing, and put back exactly what
 * was there, even after a crash (the state file remembers).
 */
#ifndef SL_HOST_LIMITS_H
#define SL_HOST_LIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define SL_LIMITS_STATE "/run/seclog/limits.state"

struct sl_limit {
	const char *name;	/* "kernel.printk_ratelimit", "audit.rate_limit" */
	char value[256];	/* current value; "" when it could not be read */
	char error[128];	/* why it could not be read */
	bool problem;		/* drops or hides SECCOMP records as it is */
	bool liftable;		/* seclog limits lift changes it */
	char lifted[264];	/* what lift sets ("" = already fine / not ours) */
	const char *note;	/* what the setting does to SECCOMP records */
};

/*
 * Read every setting.  Never fails as a whole: a setting that cannot be
 * read says why in its error.  *out is malloc'd.
 */
void sl_limits_status(struct sl_limit **out, size_t *n);

/*
 * Lift every liftable setting, saving the previous values first in the
 * state file (atomically).  A state file already there keeps its values:
 * lifting twice keeps the originals.  owner is the pid that will restore
 * on exit (0: nobody, until `seclog limits restore`).  If one setting
 * fails, the ones changed are put back and the error says which
 * capability is missing.  *owned tells the caller whether it must restore
 * (false when another lift's state was already in place).
 */
int sl_limits_lift(const char *state, pid_t owner, bool *owned, char **cause);

/*
 * Put back exactly what the state file saved and remove it.  Safe without
 * a state file (*had = false).  Returns 0 or -errno.
 */
int sl_limits_restore(const char *state, bool *had, char **cause);

/*
 * A state file whose owner died without restoring (kill -9, a crash):
 * restore it.  *stale_pid is that owner (0 when nothing was stale).
 */
int sl_limits_restore_stale(const char *state, pid_t *stale_pid, char **cause);

#endif
