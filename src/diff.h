/* diff.h - the unified diff of a text and the edits made to it */
#ifndef SL_DIFF_H
#define SL_DIFF_H

#include <stddef.h>

#include "json-text.h"

/*
 * The unified diff (`diff -u` format, 3 lines of context, hunks closer than
 * 6 lines joined) between text and text with the edits e applied.  Both
 * file names are label, so `patch -p0 < DIFF` applies it to label.  Lines
 * both sides share are context, even inside an edit (a whole-text
 * replacement shows only the lines that differ at its start and end).
 * Returns a malloc'd string ("" when nothing changes) with *outlen (if not
 * NULL) its length, or NULL when edits overlap.
 */
char *sl_diff_edits(const char *text, size_t len, const struct sl_jedits *e, const char *label,
		    size_t *outlen);

#endif
