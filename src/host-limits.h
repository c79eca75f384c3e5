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

#include "limits-state.h"

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
 * Lift every liftable setting.  Every change to the state file is made
 * under its lock.  Without a state file, the values now are saved in it
 * first (they are the originals; *saved = true); with one, its originals
 * are kept.  holder is the pid that will call sl_limits_release when it
 * ends; 0 holds the limits lifted until sl_limits_restore.  If one
 * setting fails, the ones this call changed are put back, the state is
 * left as it was, and the error says what is missing (root, a capability).
 */
int sl_limits_lift(const char *state, pid_t holder, bool *saved, char **cause);

/*
 * holder is done: forget it, and put the saved values back when it was the
 * last live holder and no `seclog limits lift` holds them (*restored).
 * Nothing to do when the state is gone (restored by hand).
 */
int sl_limits_release(const char *state, pid_t holder, bool *restored, char **cause);

/*
 * Put back exactly what the state file saved and remove it, whoever holds
 * it: *held gets the live holders (malloc'd) so the caller can say so.
 * Safe without a state file (*had = false).  Returns 0 or -errno.
 */
int sl_limits_restore(const char *state, bool *had, struct sl_holder **held, size_t *nheld,
		      char **cause);

/*
 * Holders that died without releasing (kill -9, a crash) are dropped into
 * *stale (malloc'd); when no live holder is left and no `seclog limits
 * lift` holds the state, it is restored (*restored).
 */
int sl_limits_restore_stale(const char *state, struct sl_holder **stale, size_t *nstale,
			    bool *restored, char **cause);

/*
 * Who holds the limits lifted (for status): *manual for `seclog limits
 * lift`, and the live holders (malloc'd).  -ENOENT when nothing is lifted.
 */
int sl_limits_held(const char *state, bool *manual, struct sl_holder **held, size_t *nheld,
		   char **cause);

#endif
