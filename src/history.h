/*
 * history.h - the passes a profile went through, kept beside it in
 * PROFILE.seclog-history (JSON Lines, one object per line, appended), and
 * whether the loop has converged.  seclog-profile(5) describes the file.
 */
#ifndef SL_HISTORY_H
#define SL_HISTORY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define SL_HISTORY_SUFFIX ".seclog-history"

/* PROFILE.seclog-history (malloc'd). */
char *sl_history_path(const char *profile);

/* "fnv1a64:HEX" of a profile's bytes: tells a hand edit since a pass. */
char *sl_history_hash(const char *text, size_t len);

/*
 * Append entry (an object; "time" is added when missing) as one line,
 * with O_APPEND so that concurrent appends never interleave, and fsync.
 * The file is created with the profile's mode.  Returns 0 or -errno with
 * *cause set.
 */
int sl_history_append(const char *profile, json_t *entry, char **cause);

/*
 * Append entry for the profile text[0, len) just written: with its hash
 * (so that seclog status tells a later hand edit) and its defaultAction
 * ("default").  Returns as sl_history_append.
 */
int sl_history_note(const char *profile, json_t *entry, const char *text, size_t len,
		    char **cause);

/*
 * Every entry of the history, oldest first, into *entries (a JSON array;
 * an absent file gives an empty one), *bad the lines that are not JSON
 * objects (skipped: a line cut short by a crash must not hide the rest).
 * Returns 0 or -errno with *cause set.
 */
int sl_history_load(const char *profile, json_t **entries, size_t *bad, char **cause);

/* Is entry a pass (a harvest or run merge), not a complain/enforce? */
bool sl_history_is_pass(const json_t *entry);

/* The number of names an entry's "added" holds (over all arches). */
size_t sl_history_added(const json_t *entry);

struct sl_convergence {
	bool converged;
	size_t passes;		/* passes in the history */
	size_t quiet;		/* trailing passes that added nothing, complete */
	size_t empty;		/* of them, harvests that matched no record */
	/* why not, when not converged (static text) */
	const char *why;
};

/*
 * Converged: the last `need` passes added nothing and none was
 * incomplete.  A harvest that matched no record counts (a converged
 * complain twin logs nothing), but c->empty says how many did: a wrong
 * log or filter looks the same.
 */
void sl_history_converged(const json_t *entries, size_t need, struct sl_convergence *c);

#endif
