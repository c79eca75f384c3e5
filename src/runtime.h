/*
 * runtime.h - what seclog run --runtime hands a container runtime: the
 * profile's complain twin, as an OCI runtime (runc, crun) reads it from a
 * bundle's config.json, or as podman reads it from --security-opt
 * seccomp=FILE.  The user's bundle and profile are never written: seclog
 * works on copies in a directory of its own.
 */
#ifndef SL_RUNTIME_H
#define SL_RUNTIME_H

#include <stdbool.h>

#include "profile.h"

enum sl_runtime_kind {
	SL_RUNTIME_OCI,		/* runc, crun (or any with their create/start/state/delete) */
	SL_RUNTIME_PODMAN,	/* podman run --security-opt seccomp=FILE */
};

/* The kind of the runtime named name (a command or a path to one). */
enum sl_runtime_kind sl_runtime_kind(const char *name);

struct sl_runtime_run {
	char *dir;		/* seclog's own directory of copies (mkdtemp) */
	char *bundle;		/* OCI: dir, holding config.json */
	char *profile;		/* podman: dir/profile.json */
	char **argv;		/* podman: the command with the profile added */
};

/*
 * Prepare a run of p's complain twin (p itself when it is one; with
 * log_denied, its deny rules log too).  OCI: a copy of bundle's
 * config.json with linux.seccomp set to the twin (resolved for this host
 * and the bundle's capabilities, as sl_export does), root.path made
 * absolute and process.terminal false (the container's stdio is seclog's).
 * podman: the twin in a file, and argv with "--security-opt seccomp=FILE"
 * after its "run" word (refused when it has none).  Returns 0, or -errno
 * with *cause set; free with sl_runtime_run_free either way.
 */
int sl_runtime_prepare(struct sl_runtime_run *r, enum sl_runtime_kind kind,
		       const struct sl_profile *p, bool log_denied, const char *bundle,
		       char *const *argv, char **cause);

/* Remove seclog's copies and free r. */
void sl_runtime_run_free(struct sl_runtime_run *r);

#endif
