/* escape.h - make text from a record safe to print */
#ifndef SL_ESCAPE_H
#define SL_ESCAPE_H

#include <stddef.h>

/*
 * Copy len bytes of untrusted text (a comm, an exe, a file name from the
 * log) to out as printable ASCII: bytes outside 0x21..0x7e and the
 * backslash become \xHH (space too, so a field stays one word), as
 * ausearch -i does for control characters.  A crafted process name can
 * then not send escape sequences to the user's terminal.  out must hold
 * 4 * len + 1 bytes; returns out.
 */
char *sl_escape(const char *s, size_t len, char *out);

/* Same, into a malloc'd string. */
char *sl_escape_dup(const char *s, size_t len);

#endif
