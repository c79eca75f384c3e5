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
#include <dirent.h>
#include <signal.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "profile.h"

#define PROFILE_MAX (64 * 1024 * 1024)

static const char *const actions[] = {
	"SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
	"SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
};

#define ACTIONS_LIST "SCMP_ACT_ERRNO, SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, " \
	"SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_TRACE, SCMP_ACT_ALLOW, SCMP_ACT_LOG, " \
	"SCMP_ACT_NOTIFY"

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

/* A value as the file spells it, shortened for a message. */
static char *value_text(const struct sl_profile *p, const struct sl_jnode *n)
{
	size_t len;

	if (!n)
		return sl_xstrdup("(none)");
	len = n->end - n->start;
	if (len > 60)
		return sl_xasprintf("%.57s...", p->text + n->start);
	return sl_xasprintf("%.*s", (int)len, p->text + n->start);
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

bool sl_rule_has_args(const json_t *rule)
{
	return !empty_condition(json_object_get(rule, "args"));
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
	if (!json_is_string(def) || !known_action(json_string_value(def))) {
		const struct sl_jnode *dn = sl_jnode_member(&p->jt, root, "defaultAction");
		char *bad = value_text(p, dn);

		rc = bad_at(p, dn, cause, "defaultAction %s is not a seccomp action; use one of %s",
			    bad, ACTIONS_LIST);
		free(bad);
		return rc;
	}
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
		/* "names": [] names nothing, and Docker loads it; a rule with
		 * neither key is more likely a typo ("nmaes") than meant */
		if ((!names || json_is_null(names)) && !name)
			return bad_at(p, rn, cause, "syscalls[%zu] has no \"names\"", i);
		a = sl_rule_action(rule);
		if (!a || !known_action(a)) {
			const struct sl_jnode *an = sl_jnode_member(&p->jt, rn, "action");
			char *bad = an ? value_text(p, an) : sl_xstrdup("(none)");

			rc = bad_at(p, an ?: rn, cause,
				    "syscalls[%zu]: action %s is not a seccomp action; use one of %s",
				    i, bad, ACTIONS_LIST);
			free(bad);
			return rc;
		}
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

const json_t *sl_profile_native_entry(const struct sl_profile *p)
{
	const json_t *map = json_object_get(p->root, "archMap"), *m;
	const char *native = sl_arch_native()->docker;
	size_t i;

	json_array_foreach(map, i, m) {
		const char *a = json_string_value(json_object_get(m, "architecture"));

		if (a && !strcmp(a, native))
			return m;
	}
	return NULL;
}

/*
 * What a runtime loads on this host: the native arch always (libseccomp
 * makes every filter for it), then every "architectures" entry, or, for
 * archMap, only the native entry's subArchitectures (Docker ignores the
 * entries of other hosts' arches).
 */
bool sl_profile_has_arch(const struct sl_profile *p, const struct sl_arch *arch)
{
	if (arch == sl_arch_native())
		return true;
	if (list_has(json_object_get(p->root, "architectures"), arch->docker))
		return true;
	return list_has(json_object_get(sl_profile_native_entry(p), "subArchitectures"),
			arch->docker);
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

/*
 * Where a file goes: its directory (open, so that every later step names
 * files relative to it and no step follows a symlink someone plants) and
 * its base name.  A symlink given as path is resolved first: the profile
 * the user named is written through its link, the link stays.
 */
struct place {
	int dfd;
	char *dir, *base, *target;
};

/*
 * Follow path's symlinks only when each is the caller's or root's: root
 * must not replace /etc/shadow because a user pointed a link at it.
 */
static int check_links(const char *path, char **cause)
{
	char *cur = sl_xstrdup(path), buf[PATH_MAX];
	struct stat st;
	int hops, rc = 0;

	for (hops = 0; hops < 40 && !lstat(cur, &st) && S_ISLNK(st.st_mode); hops++) {
		ssize_t n;
		char *d, *next;

		if (st.st_uid != geteuid() && st.st_uid != 0) {
			rc = sl_fail(cause, -EPERM, "%s is a symbolic link owned by uid %u: seclog "
				     "writes through a link only when it is yours or root's", cur,
				     (unsigned int)st.st_uid);
			break;
		}
		n = readlink(cur, buf, sizeof(buf) - 1);
		if (n < 0)
			break;
		buf[n] = '\0';
		d = sl_xstrdup(cur);
		next = buf[0] == '/' ? sl_xstrdup(buf) : sl_xasprintf("%s/%s", dirname(d), buf);
		free(d);
		free(cur);
		cur = next;
	}
	free(cur);
	return rc;
}

static int place_open(struct place *pl, const char *path, char **cause)
{
	char real[PATH_MAX], *d, *b;
	int rc;

	memset(pl, 0, sizeof(*pl));
	pl->dfd = -1;
	if ((rc = check_links(path, cause)))
		return rc;
	pl->target = sl_xstrdup(realpath(path, real) ? real : path);
	d = sl_xstrdup(pl->target);
	b = sl_xstrdup(pl->target);
	pl->dir = sl_xstrdup(dirname(d));
	pl->base = sl_xstrdup(basename(b));
	free(d);
	free(b);
	pl->dfd = open(pl->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pl->dfd < 0)
		return sl_fail(cause, -errno, "%s: %s", pl->dir, strerror(errno));
	return 0;
}

static void place_close(struct place *pl)
{
	if (pl->dfd >= 0)
		close(pl->dfd);
	free(pl->dir);
	free(pl->base);
	free(pl->target);
	memset(pl, 0, sizeof(*pl));
	pl->dfd = -1;
}

/*
 * Temporaries are ".BASE.seclog-PID-RANDOM": a run killed with SIGKILL
 * cannot remove its own, so the next run removes those whose PID is dead.
 * A live PID's file is never touched (it may be a merge in progress).
 */
#define TMP_TAG ".seclog-"

static void remove_stale(const struct place *pl)
{
	char *prefix = sl_xasprintf(".%s" TMP_TAG, pl->base);
	size_t plen = strlen(prefix);
	struct dirent *de;
	int fd = dup(pl->dfd);
	DIR *d;

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		free(prefix);
		return;
	}
	while ((de = readdir(d))) {
		char *end;
		long pid;

		if (strncmp(de->d_name, prefix, plen))
			continue;
		errno = 0;
		pid = strtol(de->d_name + plen, &end, 10);
		if (errno || pid <= 0 || *end != '-' || pid == getpid())
			continue;
		if (kill((pid_t)pid, 0) && errno == ESRCH)
			unlinkat(pl->dfd, de->d_name, 0);	/* never follows a link */
	}
	closedir(d);
	free(prefix);
}

/* A new file in the directory, made by us: O_EXCL never opens what is there. */
static int tmp_create(const struct place *pl, char **name, char **cause)
{
	unsigned int i;
	int fd;

	for (i = 0; i < 100; i++) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		*name = sl_xasprintf(".%s" TMP_TAG "%ld-%08lx", pl->base, (long)getpid(),
				     ((unsigned long)ts.tv_nsec ^ ((unsigned long)rand() << 8)) &
					     0xffffffffUL);
		fd = openat(pl->dfd, *name,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0)
			return fd;
		free(*name);
		*name = NULL;
		if (errno != EEXIST)
			break;
	}
	return sl_fail(cause, -errno, "cannot create a file next to %s: %s", pl->target,
		       strerror(errno));
}

/* Write data to a new temporary in pl's directory, synced. */
static int tmp_write(const struct place *pl, const char *data, size_t len,
		     const struct stat *like, char **name, char **cause)
{
	int fd = tmp_create(pl, name, cause), rc;

	if (fd < 0)
		return fd;
	if (like) {
		if (fchmod(fd, like->st_mode & 07777) < 0) {
			rc = sl_fail(cause, -errno, "chmod: %s", strerror(errno));
			goto fail;
		}
		/* only root can give the file back to its owner; not fatal */
		if (fchown(fd, like->st_uid, like->st_gid) < 0 && errno != EPERM) {
			rc = sl_fail(cause, -errno, "chown: %s", strerror(errno));
			goto fail;
		}
	} else {
		mode_t um = umask(0);

		umask(um);
		fchmod(fd, 0666 & ~um);
	}
	if ((rc = write_all(fd, data, len)) || (fsync(fd) && (rc = -errno))) {
		sl_fail(cause, rc, "write %s: %s", pl->target, strerror(-rc));
		goto fail;
	}
	rc = close(fd);
	fd = -1;
	if (rc) {
		rc = sl_fail(cause, -errno, "write %s: %s", pl->target, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlinkat(pl->dfd, *name, 0);
	free(*name);
	*name = NULL;
	return rc;
}

/*
 * BASE.bak becomes the current version: a hard link to it (no copy, and the
 * file never stops existing), or a copy where links are not supported.
 * Either lands under a fresh name first and is renamed over BASE.bak, so a
 * BASE.bak symlink someone planted is replaced, never written through.
 */
static int keep_backup(const struct place *pl, char **cause)
{
	char *bak = sl_xasprintf("%s.bak", pl->base), *tmp = NULL, *buf = NULL;
	size_t cap = 0, len = 0;
	struct stat st;
	ssize_t n;
	int fd, rc = 0;

	fd = tmp_create(pl, &tmp, cause);
	if (fd < 0)
		goto out_rc;
	close(fd);
	unlinkat(pl->dfd, tmp, 0);
	if (linkat(pl->dfd, pl->base, pl->dfd, tmp, 0) == 0)
		goto rename;
	/* copy: read it raw (it may not even be a valid profile any more) */
	free(tmp);
	tmp = NULL;
	fd = openat(pl->dfd, pl->base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		rc = sl_fail(cause, -errno, "backup %s.bak: %s", pl->target, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 65536;
			buf = sl_xrealloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	rc = n < 0 ? -errno : 0;
	close(fd);
	if (rc) {
		sl_fail(cause, rc, "backup %s.bak: %s", pl->target, strerror(-rc));
		goto out;
	}
	rc = tmp_write(pl, buf, len, &st, &tmp, cause);
	if (rc)
		goto out;
rename:
	if (renameat(pl->dfd, tmp, pl->dfd, bak))
		rc = sl_fail(cause, -errno, "backup %s.bak: %s", pl->target, strerror(errno));
	/* when BASE.bak already was this file, rename(2) leaves tmp there */
	unlinkat(pl->dfd, tmp, 0);
	goto out;
out_rc:
	rc = fd;
out:
	free(buf);
	free(tmp);
	free(bak);
	return rc;
}

/*
 * The bytes of a file a run would replace, whatever they are (a profile
 * or not): a dry run's diff must show what the real run changes.
 */
int sl_read_raw(const char *path, char **text, size_t *len)
{
	size_t cap = 65536;
	ssize_t n;
	int fd, rc = 0;

	*text = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	*text = sl_xmalloc(cap);
	for (;;) {
		if (*len == cap)
			*text = sl_xrealloc(*text, cap *= 2);
		n = read(fd, *text + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	if (n < 0) {
		rc = -errno;
		free(*text);
		*text = NULL;
		*len = 0;
	}
	close(fd);
	return rc;
}

int sl_write_atomic(const char *path, const char *data, size_t len, bool backup, char **cause)
{
	struct place pl;
	struct stat st;
	char *tmp = NULL;
	bool exists;
	int rc;

	rc = place_open(&pl, path, cause);
	if (rc)
		goto out;
	remove_stale(&pl);
	exists = fstatat(pl.dfd, pl.base, &st, 0) == 0;
	rc = tmp_write(&pl, data, len, exists ? &st : NULL, &tmp, cause);
	if (rc)
		goto out;
	if (exists && backup && (rc = keep_backup(&pl, cause)))
		goto fail;
	if (renameat(pl.dfd, tmp, pl.dfd, pl.base)) {
		rc = sl_fail(cause, -errno, "rename to %s: %s", pl.target, strerror(errno));
		goto fail;
	}
	if (fsync(pl.dfd) && errno != EINVAL)
		rc = sl_fail(cause, -errno, "fsync %s: %s", pl.dir, strerror(errno));
	goto out;
fail:
	unlinkat(pl.dfd, tmp, 0);
out:
	free(tmp);
	place_close(&pl);
	return rc;
}

int sl_profile_lock(const char *path, bool wait, int *fd, char **cause)
{
	struct place pl;
	char *name;
	int rc;

	*fd = -1;
	rc = place_open(&pl, path, cause);
	if (rc) {
		place_close(&pl);
		return rc;
	}
	name = sl_xasprintf(".%s" TMP_TAG "lock", pl.base);
	/* read-only is enough for flock; O_NOFOLLOW: never a planted link */
	*fd = openat(pl.dfd, name, O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (*fd < 0) {
		rc = sl_fail(cause, -errno, "cannot create the lock file %s/%s: %s", pl.dir, name,
			     strerror(errno));
	} else {
		while ((rc = flock(*fd, LOCK_EX | (wait ? 0 : LOCK_NB))) && errno == EINTR)
			;
		if (!rc)
			remove_stale(&pl);	/* a killed merge's, even if we write nothing */
		if (rc) {
			rc = -errno;
			if (rc != -EWOULDBLOCK)
				sl_fail(cause, rc, "lock %s/%s: %s", pl.dir, name, strerror(-rc));
			close(*fd);
			*fd = -1;
		}
	}
	free(name);
	place_close(&pl);
	return rc;
}
