/*
 * history.c - the pass history beside a profile (history.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "history.h"
#include "profile.h"

char *sl_history_path(const char *profile)
{
	return sl_xasprintf("%s%s", profile, SL_HISTORY_SUFFIX);
}

char *sl_history_hash(const char *text, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)text[i];
		h *= 0x100000001b3ULL;
	}
	return sl_xasprintf("fnv1a64:%016" PRIx64, h);
}

static void stamp(json_t *entry)
{
	char buf[32];
	struct tm tm;
	time_t now = time(NULL);

	if (json_object_get(entry, "time"))
		return;
	gmtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_set_new(entry, "time", json_string(buf));
}

int sl_history_append(const char *profile, json_t *entry, char **cause)
{
	char *path = sl_history_path(profile), *line;
	mode_t mode = 0644;
	struct stat st;
	size_t len, off = 0;
	int fd, rc = 0;

	if (!stat(profile, &st))
		mode = st.st_mode & 0666;
	stamp(entry);
	line = json_dumps(entry, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!line) {
		free(path);
		return sl_fail(cause, -ENOMEM, "out of memory");
	}
	len = strlen(line);
	line = sl_xrealloc(line, len + 2);
	line[len++] = '\n';
	/* no symlink: root must not append where another user's link points */
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0) {
		rc = sl_fail(cause, -errno, "%s: %s", path, strerror(errno));
		goto out;
	}
	/* one write: O_APPEND places it whole after any concurrent one */
	while (off < len) {
		ssize_t n = write(fd, line + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = sl_fail(cause, n < 0 ? -errno : -EIO, "%s: %s", path,
				     strerror(n < 0 ? errno : EIO));
			break;
		}
		off += (size_t)n;
	}
	if (!rc && fsync(fd))
		rc = sl_fail(cause, -errno, "%s: %s", path, strerror(errno));
	close(fd);
out:
	free(line);
	free(path);
	return rc;
}

int sl_history_note(const char *profile, json_t *entry, const char *text, size_t len,
		    char **cause)
{
	json_t *root = json_loadb(text, len, 0, NULL);
	char *hash = sl_history_hash(text, len);

	json_object_set_new(entry, "hash", json_string(hash));
	free(hash);
	json_object_set(entry, "default", json_object_get(root, "defaultAction"));
	json_decref(root);
	return sl_history_append(profile, entry, cause);
}

int sl_history_load(const char *profile, json_t **entries, size_t *bad, char **cause)
{
	char *path = sl_history_path(profile), *text, *s, *nl;
	size_t len;
	int rc = sl_read_raw(path, &text, &len);

	*entries = json_array();
	*bad = 0;
	if (rc) {
		sl_fail(cause, rc, "%s: %s", path, strerror(-rc));
		free(path);
		return rc;
	}
	free(path);
	for (s = text; s && s < text + len; s = nl + 1) {
		json_t *v;

		nl = memchr(s, '\n', (size_t)(text + len - s));
		if (!nl)
			nl = text + len;
		if (nl == s)
			continue;
		v = json_loadb(s, (size_t)(nl - s), JSON_DECODE_ANY, NULL);
		if (json_is_object(v))
			json_array_append_new(*entries, v);
		else {
			json_decref(v);
			++*bad;
		}
	}
	free(text);
	return 0;
}

bool sl_history_is_pass(const json_t *entry)
{
	const char *c = json_string_value(json_object_get(entry, "command"));

	return c && (!strcmp(c, "harvest") || !strcmp(c, "run"));
}

size_t sl_history_added(const json_t *entry)
{
	const json_t *names;
	const char *arch;
	size_t n = 0;

	json_object_foreach((json_t *)json_object_get(entry, "added"), arch, names)
		n += json_array_size(names);
	return n;
}

void sl_history_converged(const json_t *entries, size_t need, struct sl_convergence *c)
{
	const json_t *e;
	size_t i;
	bool counting = true;

	memset(c, 0, sizeof(*c));
	for (i = json_array_size(entries); i-- > 0;) {
		e = json_array_get(entries, i);
		if (!sl_history_is_pass(e))
			continue;
		c->passes++;
		if (!counting)
			continue;
		if (sl_history_added(e)) {
			counting = false;
			if (c->quiet < need)
				c->why = "a recent pass added names";
		} else if (json_is_true(json_object_get(e, "incomplete"))) {
			counting = false;
			if (c->quiet < need)
				c->why = "a recent pass was incomplete (records were lost)";
		} else {
			/* a harvest that matched nothing: what a converged twin
			 * gives, or a wrong log; a run saw its workload run */
			if (c->quiet < need && !json_integer_value(json_object_get(e, "matched")) &&
			    strcmp(json_string_value(json_object_get(e, "command")), "run"))
				c->empty++;
			c->quiet++;
		}
	}
	c->converged = need && c->quiet >= need;
	if (!c->converged && !c->why)
		c->why = c->passes ? "not enough passes that added nothing yet" : "no pass yet";
}
