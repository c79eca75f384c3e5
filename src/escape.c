/* escape.c - printable escaping of untrusted record text */
#include "config.h"

#include "error.h"
#include "escape.h"

char *sl_escape(const char *s, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	char *o = out;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c > 0x20 && c < 0x7f && c != '\\') {
			*o++ = (char)c;
		} else {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

char *sl_escape_dup(const char *s, size_t len)
{
	return sl_escape(s, len, sl_xmalloc(4 * len + 1));
}
