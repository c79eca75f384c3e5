/* diff.h - unified diff of two texts, as `diff -u` prints it */
#ifndef SL_DIFF_H
#define SL_DIFF_H

#include <stddef.h>

/*
 * Unified diff of old (olen bytes) and new (nlen bytes), with `--- label_old`
 * and `+++ label_new` header lines (no timestamps), 3 lines of context.
 * Returns a malloc'd NUL-terminated string, "" (malloc'd) when the texts are equal.
 *
 * The output is byte for byte what GNU diff 3.8 `LC_ALL=C diff -a -u --label
 * label_old --label label_new` prints for the same texts: same hunks, same
 * choice among equally short edit scripts, "\ No newline at end of file" after
 * a last line that lacks its '\n'. Texts may hold any bytes, NUL included;
 * old or new may be NULL when its length is 0. Time O((N+M)D), memory O(N+M).
 */
char *sl_diff_unified(const char *old, size_t olen, const char *new, size_t nlen,
		      const char *label_old, const char *label_new);

/* The same, and *outlen (if not NULL) gets its length: NULs in the texts are in the diff too. */
char *sl_diff_unified_len(const char *old, size_t olen, const char *new, size_t nlen,
			  const char *label_old, const char *label_new, size_t *outlen);

#endif
