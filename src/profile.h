/* profile.h - a Docker/OCI seccomp profile: its text, its meaning, its file */
#ifndef SL_PROFILE_H
#define SL_PROFILE_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "json-text.h"
#include "syscall.h"

struct sl_profile {
	char *path;
	char *text;		/* the bytes as read */
	size_t len;
	json_t *root;		/* their meaning (jansson) */
	struct sl_jtext jt;	/* where each value sits in text */
};

/*
 * Read and check a profile.  Refuses a file that is not JSON or not a
 * seccomp profile, with *cause naming "LINE:COL: what is wrong".
 * Returns 0 or -errno (-EINVAL for a bad profile).
 */
int sl_profile_load(struct sl_profile *p, const char *path, char **cause);
/* Same from memory (text is copied); path is used in messages only. */
int sl_profile_parse(struct sl_profile *p, const char *path, const char *text, size_t len,
		     char **cause);
void sl_profile_free(struct sl_profile *p);

/* A JSON array of the strings s[0..n). */
json_t *sl_json_strings(const char *const *s, size_t n);

/* Rule helpers over the jansson tree. */
const char *sl_rule_action(const json_t *rule);
/* No args, includes or excludes that narrow when the rule applies. */
bool sl_rule_unconditional(const json_t *rule);
/* Has args: a condition libseccomp itself checks (includes/excludes are
 * the runtime's: where they apply, the rule is unconditional). */
bool sl_rule_has_args(const json_t *rule);
/* Does the rule list name (in "names" or the older "name")? */
bool sl_rule_has_name(const json_t *rule, const char *name);
/* Is action one of the deny actions (ERRNO, KILL*, TRAP)? */
bool sl_action_denies(const char *action);

/*
 * Would a runtime on this host load the profile for arch?  The native arch
 * always; others when "architectures" lists them, or when they are
 * subArchitectures of the archMap entry of the native arch (as Docker
 * reads archMap; entries for other hosts' arches do not count).
 */
bool sl_profile_has_arch(const struct sl_profile *p, const struct sl_arch *arch);
/* The archMap entry whose architecture is the native one, or NULL. */
const json_t *sl_profile_native_entry(const struct sl_profile *p);

/*
 * A new profile: defaultAction SCMP_ACT_ERRNO, the names in one
 * SCMP_ACT_ALLOW rule, architectures as given (Docker names).  Returns
 * malloc'd JSON text ending in a newline.
 */
char *sl_profile_new(const char *const *names, size_t n, const struct sl_arch *const *arches,
		     size_t narches);

/* The bytes of a file (none when it does not exist).  0 or -errno. */
int sl_read_raw(const char *path, char **text, size_t *len);

/*
 * Replace path with data atomically: a temporary file in the same
 * directory (created with O_EXCL, named .BASE.seclog-PID-RANDOM; those of
 * dead PIDs, left by killed runs, are removed first), fsync, rename, fsync
 * of the directory.  The file keeps its mode (and owner, when we may); a
 * symlink given as path is followed, not replaced, when it is the caller's
 * or root's (else -EPERM: root must not write where a user's link points);
 * no other step follows a symlink.  When backup is set and path exists, the previous version stays
 * as path.bak.  On failure path is untouched.  Returns 0 or -errno with
 * *cause set.
 */
int sl_write_atomic(const char *path, const char *data, size_t len, bool backup, char **cause);

/*
 * Take the merge lock of the profile at path: flock(LOCK_EX) on
 * .BASE.seclog-lock beside it (the profile itself is replaced by rename,
 * so it cannot carry the lock), then remove the temporaries killed runs
 * left (see sl_write_atomic).  Without wait, -EWOULDBLOCK when another
 * process holds it (no *cause).  Returns 0 with *fd to close to release.
 */
int sl_profile_lock(const char *path, bool wait, int *fd, char **cause);

#endif
