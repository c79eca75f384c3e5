/*
 * state.h - the --state checkpoint: where each source stopped, so that
 * the next run reads on from there (never a record twice, never one
 * skipped).  A text file of "KEY LINE" lines, KEY naming the source
 * ("file:/var/log/audit/audit.log", "journal", "kmsg"), LINE what its
 * checkpoint() gave; written atomically, like a profile.
 */
#ifndef SL_STATE_H
#define SL_STATE_H

#include <stddef.h>

#include "source.h"

struct sl_state {
	char **keys, **lines;
	size_t n;
};

/* Load path (a missing file is an empty state).  0 or -errno, *cause. */
int sl_state_load(struct sl_state *st, const char *path, char **cause);

/* The key of a source, allocated ("file:" + path, or the ops name). */
char *sl_state_key(const struct sl_source *src);

/* The line saved for a source, or NULL. */
const char *sl_state_get(const struct sl_state *st, const char *key);

/* Take each source's checkpoint() into the state (others kept as read). */
void sl_state_update(struct sl_state *st, struct sl_source *srcs, size_t n);

/* Write it atomically.  0 or -errno with *cause set. */
int sl_state_save(const struct sl_state *st, const char *path, char **cause);

void sl_state_free(struct sl_state *st);

#endif
