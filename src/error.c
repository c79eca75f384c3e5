/* error.c - error text and allocation helpers shared by the library */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

int sl_fail(char **cause, int err, const char *fmt, ...)
{
	va_list ap;

	if (cause) {
		free(*cause);
		va_start(ap, fmt);
		if (vasprintf(cause, fmt, ap) < 0)
			*cause = NULL;
		va_end(ap);
	}
	return err;
}

static void *oom(void)
{
	/* The library never prints, except here where it cannot go on. */
	fputs("seclog: out of memory\n", stderr);
	abort();
}

void *sl_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	return p ? p : oom();
}

void *sl_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	return p ? p : oom();
}

void *sl_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	return p ? p : oom();
}

char *sl_xstrdup(const char *s)
{
	char *p = strdup(s);

	return p ? p : oom();
}

char *sl_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? oom() : s;
}

int sl_fail_prefix(char **cause, const char *what, int err)
{
	char *c;

	if (!cause)
		return err;
	c = *cause;
	*cause = NULL;
	sl_fail(cause, err, "%s: %s", what, c ? c : strerror(-err));
	free(c);
	return err;
}
