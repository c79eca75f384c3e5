/* profile.c - load, check and write Docker/OCI seccomp profiles */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "profile.h"

#define PROFILE_MAX (64 * 1024 * 1024)

static const char *const actions[] = {
	"SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
	"SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
};

static bool known_action(const char *a)
{
	size_t i;

	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(a, actions[i]))
			return true;
	return false;
}

bool sl_action_denies(const char *a)
{
	return a && (!strncmp(a, "SCMP_ACT_KILL", 13) || !strcmp(a, "SCMP_ACT_ERRNO") ||
		      !strcmp(a, "SCMP_ACT_TRAP"));
}

/* "LINE:COL: message" for the value at node */
static int bad_at(const struct sl_profile *p, const struct sl_jnode *n, char **cause,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int bad_at(const struct sl_profile *p, const struct sl_jnode *n, char **cause,
		  const char *fmt, ...)
{
	size_t line = 1, col = 1;
	va_list ap;
	char *msg;

	if (n)
		sl_jtext_position(&p->jt, n->type && n->key_start ? n->key_start : n->start,
				  &line, &col);
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	sl_fail(cause, -EINVAL, "%zu:%zu: %s", line, col, msg ? msg : "invalid profile");
	free(msg);
	return -EINVAL;
}

static bool empty_condition(const json_t *v)
{
	const char *k;
	json_t *x;

	if (!v || json_is_null(v))
		return true;
	if (json_is_array(v))
		return json_array_size(v) == 0;
	if (!json_is_object(v))
		return false;
	/* includes/excludes: {} or only empty lists, as Docker's own profile has */
	json_object_foreach((json_t *)v, k, x) {
		if (!(json_is_array(x) && json_array_size(x) == 0) &&
		    !(json_is_string(x) && !*json_string_value(x)) && !json_is_null(x))
			return false;
	}
	return true;
}

json_t *sl_json_strings(const char *const *s, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(s[i]));
	return a;
}

const char *sl_rule_action(const json_t *rule)
{
	return json_string_value(json_object_get(rule, "action"));
}

bool sl_rule_unconditional(const json_t *rule)
{
	return empty_condition(json_object_get(rule, "args")) &&
	       empty_condition(json_object_get(rule, "includes")) &&
	       empty_condition(json_object_get(rule, "excludes"));
}

bool sl_rule_has_name(const json_t *rule, const char *name)
{
	const json_t *names = json_object_get(rule, "names"), *v;
	const char *one = json_string_value(json_object_get(rule, "name"));
	size_t i;

	if (one && !strcmp(one, name))
		return true;
	json_array_foreach(names, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), name))
			return true;
	return false;
}

static int check_string_array(const struct sl_profile *p, const json_t *a,
			      const struct sl_jnode *n, const char *what, char **cause)
{
	const json_t *v;
	size_t i;

	if (!json_is_array(a))
		return bad_at(p, n, cause, "%s must be an array of strings", what);
	json_array_foreach(a, i, v)
		if (!json_is_string(v))
			return bad_at(p, n && i < n->nkids ? &n->kids[i] : n, cause,
				      "%s[%zu] must be a string", what, i);
	return 0;
}

static int check_arches(const struct sl_profile *p, char **cause)
{
	const json_t *arches = json_object_get(p->root, "architectures");
	const json_t *map = json_object_get(p->root, "archMap"), *m;
	const struct sl_jnode *an = sl_jnode_member(&p->jt, &p->jt.root, "architectures");
	const struct sl_jnode *mn = sl_jnode_member(&p->jt, &p->jt.root, "archMap");
	size_t i;
	int rc;

	if (arches && !json_is_null(arches) &&
	    (rc = check_string_array(p, arches, an, "architectures", cause)))
		return rc;
	if (!map || json_is_null(map))
		return 0;
	if (!json_is_array(map))
		return bad_at(p, mn, cause, "archMap must be an array of objects");
	if (json_array_size(arches) && json_array_size(map))
		return bad_at(p, mn, cause, "use either architectures or archMap, not both");
	json_array_foreach(map, i, m) {
		const struct sl_jnode *en = mn && i < mn->nkids ? &mn->kids[i] : mn;
		const json_t *sub = json_object_get(m, "subArchitectures");

		if (!json_is_object(m) || !json_is_string(json_object_get(m, "architecture")))
			return bad_at(p, en, cause,
				      "archMap[%zu] needs an \"architecture\" string", i);
		if (sub && !json_is_null(sub) &&
		    (rc = check_string_array(p, sub, sl_jnode_member(&p->jt, en, "subArchitectures"),
					     "subArchitectures", cause)))
			return rc;
	}
	return 0;
}

static int check(const struct sl_profile *p, char **cause)
{
	const struct sl_jnode *root = &p->jt.root, *sn, *rn;
	const json_t *def, *calls, *rule;
	const char *a;
	size_t i;
	int rc;

	if (!json_is_object(p->root))
		return bad_at(p, root, cause, "a seccomp profile is a JSON object");
	def = json_object_get(p->root, "defaultAction");
	if (!def)
		return bad_at(p, root, cause,
			      "no \"defaultAction\": this is not a seccomp profile");
	if (!json_is_string(def) || !known_action(json_string_value(def)))
		return bad_at(p, sl_jnode_member(&p->jt, root, "defaultAction"), cause,
			      "defaultAction must be one of SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, "
			      "SCMP_ACT_LOG, SCMP_ACT_KILL...");
	if ((rc = check_arches(p, cause)))
		return rc;
	calls = json_object_get(p->root, "syscalls");
	sn = sl_jnode_member(&p->jt, root, "syscalls");
	if (!calls || json_is_null(calls))
		return 0;
	if (!json_is_array(calls))
		return bad_at(p, sn, cause, "syscalls must be an array of rules");
	json_array_foreach(calls, i, rule) {
		const json_t *names = json_object_get(rule, "names");
		const json_t *name = json_object_get(rule, "name");

		rn = sn && i < sn->nkids ? &sn->kids[i] : sn;
		if (!json_is_object(rule))
			return bad_at(p, rn, cause, "syscalls[%zu] must be an object", i);
		if (names && !json_is_null(names) &&
		    (rc = check_string_array(p, names, sl_jnode_member(&p->jt, rn, "names"),
					     "names", cause)))
			return rc;
		if (name && !json_is_string(name))
			return bad_at(p, sl_jnode_member(&p->jt, rn, "name"), cause,
				      "name must be a string");
		if (!json_array_size(names) && !name)
			return bad_at(p, rn, cause, "syscalls[%zu] has no \"names\"", i);
		a = sl_rule_action(rule);
		if (!a || !known_action(a))
			return bad_at(p, sl_jnode_member(&p->jt, rn, "action") ?: rn, cause,
				      "syscalls[%zu] needs an action such as SCMP_ACT_ALLOW", i);
	}
	return 0;
}

int sl_profile_parse(struct sl_profile *p, const char *path, const char *text, size_t len,
		     char **cause)
{
	json_error_t err;
	int rc;

	memset(p, 0, sizeof(*p));
	p->path = sl_xstrdup(path);
	p->text = sl_xmalloc(len + 1);
	memcpy(p->text, text, len);
	p->text[len] = '\0';
	p->len = len;
	p->root = json_loadb(p->text, len, JSON_REJECT_DUPLICATES, &err);
	if (!p->root) {
		sl_fail(cause, -EINVAL, "%d:%d: %s", err.line, err.column, err.text);
		sl_profile_free(p);
		return -EINVAL;
	}
	rc = sl_jtext_index(&p->jt, p->text, p->len, cause);
	if (!rc)
		rc = check(p, cause);
	if (rc)
		sl_profile_free(p);
	return rc;
}

int sl_profile_load(struct sl_profile *p, const char *path, char **cause)
{
	size_t len = 0, cap = 65536;
	char *buf;
	ssize_t n;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sl_fail(cause, -errno, "%s", strerror(errno));
	buf = sl_xmalloc(cap);
	for (;;) {
		if (len == cap) {
			if (cap >= PROFILE_MAX) {
				close(fd);
				free(buf);
				return sl_fail(cause, -EFBIG, "larger than %d MiB: not a profile",
					       PROFILE_MAX >> 20);
			}
			cap *= 2;
			buf = sl_xrealloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			close(fd);
			free(buf);
			return sl_fail(cause, rc, "%s", strerror(-rc));
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	rc = sl_profile_parse(p, path, buf, len, cause);
	free(buf);
	return rc;
}

void sl_profile_free(struct sl_profile *p)
{
	sl_jtext_free(&p->jt);
	json_decref(p->root);
	free(p->text);
	free(p->path);
	memset(p, 0, sizeof(*p));
}

static bool list_has(const json_t *a, const char *s)
{
	const json_t *v;
	size_t i;

	json_array_foreach(a, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), s))
			return true;
	return false;
}

bool sl_profile_has_arch(const struct sl_profile *p, const struct sl_arch *arch)
{
	const json_t *arches = json_object_get(p->root, "architectures");
	const json_t *map = json_object_get(p->root, "archMap"), *m;
	size_t i;

	if (!json_array_size(arches) && !json_array_size(map))
		return arch == sl_arch_native();
	if (list_has(arches, arch->docker))
		return true;
	json_array_foreach(map, i, m) {
		const char *a = json_string_value(json_object_get(m, "architecture"));

		if ((a && !strcmp(a, arch->docker)) ||
		    list_has(json_object_get(m, "subArchitectures"), arch->docker))
			return true;
	}
	return false;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *sl_profile_new(const char *const *names, size_t n, const struct sl_arch *const *arches,
		     size_t narches)
{
	json_t *root = json_object(), *a = json_array(), *list = json_array(),
	       *calls = json_array();
	const char **sorted = sl_xmalloc((n ? n : 1) * sizeof(*sorted));
	char *text, *out;
	size_t i;

	for (i = 0; i < narches; i++)
		json_array_append_new(a, json_string(arches[i]->docker));
	/* a name seen on several arches is one name in a profile */
	memcpy(sorted, names, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_name);
	for (i = 0; i < n; i++)
		if (!i || strcmp(sorted[i], sorted[i - 1]))
			json_array_append_new(list, json_string(sorted[i]));
	free(sorted);
	json_object_set_new(root, "defaultAction", json_string("SCMP_ACT_ERRNO"));
	json_object_set_new(root, "defaultErrnoRet", json_integer(1));
	json_object_set_new(root, "architectures", a);
	/* no names: no rule (a rule must name something) */
	if (json_array_size(list))
		json_array_append_new(calls, json_pack("{s:O,s:s}", "names", list, "action",
						       "SCMP_ACT_ALLOW"));
	json_decref(list);
	json_object_set_new(root, "syscalls", calls);
	text = json_dumps(root, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return NULL;
	out = sl_xasprintf("%s\n", text);
	free(text);
	return out;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd) && errno != EINVAL)
		rc = -errno;
	close(fd);
	return rc;
}

/* path.bak becomes the current version: a hard link to it (no copy, and
 * path never stops existing), or a copy where links are not supported. */
static int keep_backup(const char *path, const char *bak, char **cause)
{
	char *tmp = sl_xasprintf("%s.seclog-tmp", bak);
	int rc = 0;

	unlink(tmp);
	if (link(path, tmp) == 0) {
		if (rename(tmp, bak))
			rc = -errno;
		unlink(tmp);
		free(tmp);
		return rc ? sl_fail(cause, rc, "backup %s: %s", bak, strerror(-rc)) : 0;
	}
	free(tmp);
	/* copy: read it raw (it may not even be a valid profile any more) */
	{
		FILE *f = fopen(path, "rb");
		char *buf = NULL;
		size_t cap = 0, len = 0, n;

		if (!f)
			return sl_fail(cause, -errno, "backup %s: %s", bak, strerror(errno));
		do {
			cap = cap ? 2 * cap : 65536;
			buf = sl_xrealloc(buf, cap);
			n = fread(buf + len, 1, cap - len, f);
			len += n;
		} while (len == cap);
		fclose(f);
		rc = sl_write_atomic(bak, buf, len, false, cause);
		free(buf);
	}
	return rc;
}

int sl_write_atomic(const char *path, const char *data, size_t len, bool backup, char **cause)
{
	char real[PATH_MAX], *dirc, *tmp, *bak;
	const char *target = path, *base;
	struct stat st;
	bool exists;
	int fd, rc;

	if (realpath(path, real))
		target = real;	/* write through a symlink, keep the link */
	exists = stat(target, &st) == 0;
	dirc = sl_xstrdup(target);
	base = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
	tmp = sl_xasprintf("%s/.%s.XXXXXX", dirname(dirc), base);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = sl_fail(cause, -errno, "cannot create a file next to %s: %s", target,
			     strerror(errno));
		goto out;
	}
	if (exists) {
		if (fchmod(fd, st.st_mode & 07777) < 0) {
			rc = sl_fail(cause, -errno, "chmod: %s", strerror(errno));
			goto fail;
		}
		/* only root can give the file back to its owner; not fatal */
		if (fchown(fd, st.st_uid, st.st_gid) < 0 && errno != EPERM) {
			rc = sl_fail(cause, -errno, "chown: %s", strerror(errno));
			goto fail;
		}
	} else {
		mode_t um = umask(0);

		umask(um);
		fchmod(fd, 0666 & ~um);
	}
	if ((rc = write_all(fd, data, len)) || (fsync(fd) && (rc = -errno))) {
		sl_fail(cause, rc, "write %s: %s", target, strerror(-rc));
		goto fail;
	}
	if (close(fd)) {
		fd = -1;
		rc = sl_fail(cause, -errno, "write %s: %s", target, strerror(errno));
		goto fail;
	}
	fd = -1;
	if (exists && backup) {
		bak = sl_xasprintf("%s.bak", target);
		rc = keep_backup(target, bak, cause);
		free(bak);
		if (rc)
			goto fail;
	}
	if (rename(tmp, target)) {
		rc = sl_fail(cause, -errno, "rename to %s: %s", target, strerror(errno));
		goto fail;
	}
	free(dirc);
	dirc = sl_xstrdup(target);
	rc = fsync_dir(dirname(dirc));
	if (rc)
		sl_fail(cause, rc, "fsync %s: %s", dirc, strerror(-rc));
	goto out;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out:
	free(tmp);
	free(dirc);
	return rc;
}
