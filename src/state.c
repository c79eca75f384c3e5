/*
 * state.c - the --state checkpoint file: one "KEY LINE" line per source.
 * KEY is escaped as /proc/mounts does (\040 for a space, \011, \012, \134)
 * since paths may hold spaces; LINE is the rest of the line, as the
 * source's checkpoint() gave it.  Lines starting with '#' and blank lines
 * are comments.
 */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "profile.h"
#include "state.h"

/* a state file is a few lines per source: anything bigger is not one */
#define STATE_MAX (1024 * 1024)

static const char header[] =
	"# seclog --state: where each source stopped (see seclog-harvest(1))\n";

static void put(struct sl_state *st, char *key, char *line)
{
	st->keys = sl_xrealloc(st->keys, (st->n + 1) * sizeof(*st->keys));
	st->lines = sl_xrealloc(st->lines, (st->n + 1) * sizeof(*st->lines));
	st->keys[st->n] = key;
	st->lines[st->n] = line;
	st->n++;
}

static ssize_t find(const struct sl_state *st, const char *key)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (!strcmp(st->keys[i], key))
			return (ssize_t)i;
	return -1;
}

/* Undo the key's escapes in place; false on a bad one. */
static bool unescape(char *s)
{
	char *out = s;

	while (*s) {
		if (*s != '\\') {
			*out++ = *s++;
			continue;
		}
		if (s[1] < '0' || s[1] > '3' || s[2] < '0' || s[2] > '7' || s[3] < '0' || s[3] > '7')
			return false;
		*out++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
		s += 4;
	}
	*out = '\0';
	return true;
}

static char *escape(const char *s)
{
	char *out = sl_xmalloc(4 * strlen(s) + 1), *p = out;

	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\' || *s == '\r')
			p += sprintf(p, "\\%03o", (unsigned char)*s);
		else
			*p++ = *s;
	}
	*p = '\0';
	return out;
}

static int parse(struct sl_state *st, const char *path, char *text, char **cause)
{
	char *line = text, *nl, *sp;
	size_t lineno = 0;

	for (; *line; line = nl + 1) {
		lineno++;
		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line) - 1;	/* last line, no newline */
		else
			*nl = '\0';
		if (*line == '#' || *line == '\0')
			continue;
		sp = strchr(line, ' ');
		if (!sp || sp == line || !sp[1])
			return sl_fail(cause, -EINVAL, "%s:%zu: not a \"SOURCE CHECKPOINT\" line",
				       path, lineno);
		*sp = '\0';
		if (!unescape(line))
			return sl_fail(cause, -EINVAL, "%s:%zu: bad escape in the source name",
				       path, lineno);
		if (find(st, line) >= 0)
			return sl_fail(cause, -EINVAL, "%s:%zu: %s is there twice", path, lineno,
				       line);
		put(st, sl_xstrdup(line), sl_xstrdup(sp + 1));
		if (!nl[1])
			break;
	}
	return 0;
}

int sl_state_load(struct sl_state *st, const char *path, char **cause)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	memset(st, 0, sizeof(*st));
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : sl_fail(cause, -errno, "%s: %s", path, strerror(errno));
	text = sl_xmalloc(STATE_MAX + 1);
	len = fread(text, 1, STATE_MAX + 1, f);
	if (ferror(f)) {
		rc = sl_fail(cause, -EIO, "%s: read error", path);
	} else if (len > STATE_MAX) {
		rc = sl_fail(cause, -EFBIG, "%s: larger than %d bytes: not a state file", path,
			     STATE_MAX);
	} else if (memchr(text, '\0', len)) {
		rc = sl_fail(cause, -EINVAL, "%s: holds NUL bytes: not a state file", path);
	} else {
		text[len] = '\0';
		rc = parse(st, path, text, cause);
	}
	fclose(f);
	free(text);
	if (rc)
		sl_state_free(st);
	return rc;
}

char *sl_state_key(const struct sl_source *src)
{
	char *dup, *dir, *base, *real, *key;

	if (strcmp(src->ops->name, "file") || !src->path || !strcmp(src->path, "-"))
		return sl_xstrdup(src->ops->name);
	/*
	 * The same file whatever the working directory or the spelling
	 * ("./audit.log", "../audit/audit.log"): its directory made absolute,
	 * the name itself kept, since the name is what rotation keeps.
	 */
	dup = sl_xstrdup(src->path);
	dir = dirname(dup);
	real = realpath(dir, NULL);
	free(dup);
	if (!real)
		return sl_xasprintf("file:%s", src->path);
	dup = sl_xstrdup(src->path);
	base = basename(dup);
	key = sl_xasprintf("file:%s%s%s", real, strcmp(real, "/") ? "/" : "", base);
	free(dup);
	free(real);
	return key;
}

const char *sl_state_get(const struct sl_state *st, const char *key)
{
	ssize_t i = find(st, key);

	return i < 0 ? NULL : st->lines[i];
}

void sl_state_update(struct sl_state *st, struct sl_source *srcs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *line, *key;
		ssize_t at;

		if (!srcs[i].ops || !srcs[i].ops->checkpoint)
			continue;
		line = srcs[i].ops->checkpoint(&srcs[i]);
		/* nothing to save (a pipe), or not one line: keep what was */
		if (!line || !*line || strchr(line, '\n')) {
			free(line);
			continue;
		}
		key = sl_state_key(&srcs[i]);
		at = find(st, key);
		if (at >= 0) {
			free(key);
			free(st->lines[at]);
			st->lines[at] = line;
		} else {
			put(st, key, line);
		}
	}
}

int sl_state_save(const struct sl_state *st, const char *path, char **cause)
{
	size_t cap = sizeof(header), len, i;
	char *text, *p;
	int rc;

	for (i = 0; i < st->n; i++)
		cap += 4 * strlen(st->keys[i]) + strlen(st->lines[i]) + 2;
	text = sl_xmalloc(cap);
	p = text;
	memcpy(p, header, sizeof(header) - 1);
	p += sizeof(header) - 1;
	for (i = 0; i < st->n; i++) {
		char *key = escape(st->keys[i]);

		p += sprintf(p, "%s %s\n", key, st->lines[i]);
		free(key);
	}
	len = (size_t)(p - text);
	rc = sl_write_atomic(path, text, len, false, cause);
	free(text);
	return rc;
}

void sl_state_free(struct sl_state *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		free(st->keys[i]);
		free(st->lines[i]);
	}
	free(st->keys);
	free(st->lines);
	memset(st, 0, sizeof(*st));
}
