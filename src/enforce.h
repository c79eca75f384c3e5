/* enforce.h - load a profile into this process as a seccomp filter */
#ifndef SL_ENFORCE_H
#define SL_ENFORCE_H

#include "profile.h"

/*
 * Compile p as runc does (default action and errno, architectures or
 * archMap, every rule's names with its action, errnoRet and args; names
 * the arch does not have and rules equal to the default are skipped) and
 * load it with no_new_privs.  Rules with includes/excludes are refused:
 * those are resolved by Docker before a runtime sees the profile.
 * Returns 0 or -errno with *cause set.  Between this call and execve the
 * caller should make no other syscalls it does not want filtered.
 */
int sl_enforce_load(const struct sl_profile *p, char **cause);

#endif
