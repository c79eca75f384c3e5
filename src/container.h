/*
 * container.h - a container's init process, from its runtime's state
 * (harvest --container): runc and crun by `RUNTIME state ID` (the OCI
 * runtime state, whose "pid" is the init's host pid), podman by `podman
 * container inspect`.
 */
#ifndef SL_CONTAINER_H
#define SL_CONTAINER_H

#include <stdint.h>

/*
 * The host pid of the init process of container spec: "ID" (runc, crun,
 * then podman are asked in turn; the first that knows ID answers) or
 * "RUNTIME:ID" (only that runtime).  The container must exist and not be
 * stopped (created, running or paused).  *runtime is set to the static name
 * of the runtime that answered.  Runs the runtime's command, prints
 * nothing.  Returns 0 or -errno with *cause set.
 */
int sl_container_pid(const char *spec, int64_t *pid, const char **runtime, char **cause);

/*
 * The same from one runtime, named by its command or a path to it (podman
 * when its base name is podman, else an OCI runtime's `state ID`).
 */
int sl_container_state_pid(const char *runtime, const char *id, int64_t *pid, char **cause);

#endif
