/*
 * complain.h - a profile in complain mode, as its complain twin (twin.h)
 * acts: what it allows runs as written, its deny rules deny, everything
 * else runs too and leaves a SECCOMP record (SCMP_ACT_LOG).
 */
#ifndef SL_COMPLAIN_H
#define SL_COMPLAIN_H

#include <stdbool.h>

#include "profile.h"

/*
 * Load p (NULL: log every syscall) in complain mode into this process (with
 * log_denied, its deny rules log too, as `seclog complain --log-denied`), for
 * the arches p lists plus the native one.  With CAP_SYS_ADMIN, no_new_privs
 * is left alone (setuid programs under it keep working); without, the
 * kernel requires it and it is set: *nnp tells which.  Returns 0 or -errno
 * with *cause set.  Call it right before execve: every later syscall is
 * filtered.
 */
int sl_complain_load(const struct sl_profile *p, bool log_denied, bool *nnp, char **cause);

/* Would p load (its rules compile)?  0 or -errno with *cause set. */
int sl_complain_check(const struct sl_profile *p, char **cause);

/* The filter sl_complain_load would load, as libseccomp's PFC text to fd. */
int sl_complain_pfc(const struct sl_profile *p, int fd, char **cause);

#endif
