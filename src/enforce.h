/* enforce.h - load a profile into this process as a seccomp filter */
#ifndef SL_ENFORCE_H
#define SL_ENFORCE_H

#include <stdbool.h>

#include "profile.h"

/* How sl_enforce_build compiles (1 is complain, as `true` once was). */
#define SL_BUILD_COMPLAIN	1u	/* the complain twin's filter */
#define SL_BUILD_LOG_DENIED	2u	/* ... with its deny rules logging too */

/*
 * Compile p as runc does (default action and errno, architectures or
 * archMap, every rule's names with its action, errnoRet and args; names
 * the arch does not have and rules equal to the default are skipped) into
 * a new libseccomp context (*ctx, a scmp_filter_ctx; seccomp_release it).
 * Rules with includes/excludes apply as Docker decides them for this host
 * and this process's capabilities (scope.h).  SL_BUILD_COMPLAIN: the
 * complain twin (twin.h): a default that denies logs instead, what p
 * allows stays allowed as written, its deny rules act (or log, with
 * SL_BUILD_LOG_DENIED), and so do the syscalls of arches not in the
 * filter (killed when enforced); p may then be NULL (log all).  Returns 0
 * or -errno with *cause.
 */
int sl_enforce_build(const struct sl_profile *p, unsigned int flags, void **ctx, char **cause);
/* Free a context sl_enforce_build made. */
void sl_enforce_release(void *ctx);

/*
 * Compile p (sl_enforce_build, enforced) and load it with no_new_privs.
 * Returns 0 or -errno with *cause set.  Between this call and execve the
 * caller should make no other syscalls it does not want filtered.
 */
int sl_enforce_load(const struct sl_profile *p, char **cause);

#endif
