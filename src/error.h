/* error.h - how the library hands an error back to the CLI */
#ifndef SL_ERROR_H
#define SL_ERROR_H

#include <stddef.h>

/*
 * Library functions return 0 (or a count) on success and -errno on failure.
 * When they fail they may also set *cause to a malloc'd sentence that says
 * why, in words a user can act on; the CLI prints "seclog: <what>: <cause>".
 * A NULL cause pointer means the caller does not want the text.
 */

/* Set *cause (if cause != NULL) from a printf format; returns err. */
int sl_fail(char **cause, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* *cause becomes "what: <*cause>" (or "what: strerror"); returns err. */
int sl_fail_prefix(char **cause, const char *what, int err);

/* malloc or abort: allocation failure is not a recoverable event here. */
void *sl_xmalloc(size_t n);
void *sl_xcalloc(size_t n, size_t size);
void *sl_xrealloc(void *p, size_t n);
char *sl_xstrdup(const char *s);
char *sl_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
