/* limits-state.c - the lift's state file: locked, holder-counted, link-proof */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "limits-state.h"

unsigned long long sl_proc_start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long t = 0;
	FILE *f;
	int i;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	/*
	 * Field 22; comm (field 2) may hold spaces and ')', so count from the
	 * last ')'.  A zombie (state Z) has exited: it holds nothing.
	 */
	if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')) && p[1] == ' ' &&
	    p[2] != 'Z' && p[2] != 'X') {
		for (i = 0; i < 20 && p; i++)
			p = strchr(p + 1, ' ');
		if (p)
			t = strtoull(p + 1, NULL, 10);
	}
	fclose(f);
	return t;
}

/*
 * The directory must be one nobody else can add a name to: otherwise a
 * user could plant "limits.state" as a link to /etc/shadow and have root
 * write through it, or hold the lock file forever.
 */
static int open_dir(struct sl_lstate *ls, const char *dir, bool create, char **cause)
{
	struct stat st;

	if (create && mkdir(dir, 0700) && errno != EEXIST)
		return sl_fail(cause, -errno, "cannot create %s: %s", dir, strerror(errno));
	ls->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (ls->dirfd < 0) {
		if (errno == ELOOP || errno == ENOTDIR)
			return sl_fail(cause, -ENOTDIR, "%s is not a directory (a symbolic link?): "
				       "refusing to keep the limits' state there", dir);
		return sl_fail(cause, -errno, "%s: %s", dir, strerror(errno));
	}
	if (fstat(ls->dirfd, &st))
		return sl_fail(cause, -errno, "%s: %s", dir, strerror(errno));
	if (st.st_uid != geteuid() && st.st_uid != 0)
		return sl_fail(cause, -EPERM, "%s belongs to uid %u, not to this user or root: "
			       "refusing to keep the limits' state there", dir,
			       (unsigned int)st.st_uid);
	if (st.st_mode & 022)
		return sl_fail(cause, -EPERM, "%s can be written by other users (mode %04o): "
			       "refusing to keep the limits' state there; use a directory "
			       "only its owner can write to", dir,
			       (unsigned int)(st.st_mode & 07777));
	return 0;
}

/* A regular file of ours, or a refusal naming what it is instead. */
static int check_file(int fd, const char *path, char **cause)
{
	struct stat st;

	if (fstat(fd, &st))
		return sl_fail(cause, -errno, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return sl_fail(cause, -EINVAL, "%s is not a regular file: refusing it", path);
	if (st.st_uid != geteuid() && st.st_uid != 0)
		return sl_fail(cause, -EPERM, "%s belongs to uid %u: refusing it", path,
			       (unsigned int)st.st_uid);
	return 0;
}

static int open_lock(struct sl_lstate *ls, char **cause)
{
	char *name = sl_xasprintf("%s.lock", ls->base);
	char *shown = sl_xasprintf("%s.lock", ls->path);
	int rc = 0;

	ls->lockfd = openat(ls->dirfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (ls->lockfd < 0)
		rc = sl_fail(cause, -errno, "%s: %s%s", shown, strerror(errno),
			     errno == ELOOP ? " (a symbolic link: refusing it)" : "");
	else
		rc = check_file(ls->lockfd, shown, cause);
	/* held until close: lifts, releases and restores take turns */
	while (!rc && flock(ls->lockfd, LOCK_EX))
		if (errno != EINTR)
			rc = sl_fail(cause, -errno, "lock %s: %s", shown, strerror(errno));
	free(name);
	free(shown);
	return rc;
}

static void take_holders(struct sl_lstate *ls, json_t *arr)
{
	size_t i;
	json_t *h;

	json_array_foreach(arr, i, h) {
		json_int_t pid = json_integer_value(json_object_get(h, "pid"));

		if (pid <= 0)
			continue;
		ls->holders = sl_xrealloc(ls->holders, (ls->nholders + 1) * sizeof(*ls->holders));
		ls->holders[ls->nholders].pid = (pid_t)pid;
		ls->holders[ls->nholders++].start =
			(unsigned long long)json_integer_value(json_object_get(h, "start"));
	}
}

static int load(struct sl_lstate *ls, char **cause)
{
	json_error_t je;
	json_t *doc, *v;
	FILE *f;
	int fd, rc;

	fd = openat(ls->dirfd, ls->base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return sl_fail(cause, -errno, "%s: %s%s", ls->path, strerror(errno),
			       errno == ELOOP ? " (a symbolic link: refusing it)" : "");
	}
	rc = check_file(fd, ls->path, cause);
	if (rc) {
		close(fd);
		return rc;
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return sl_fail(cause, -errno, "%s: %s", ls->path, strerror(errno));
	}
	doc = json_loadf(f, 0, &je);
	fclose(f);
	if (!doc || !json_is_object(json_object_get(doc, "saved"))) {
		json_decref(doc);
		return sl_fail(cause, -EBADMSG, "%s: not a seclog state file; check the "
			       "settings with 'seclog limits status' and remove it", ls->path);
	}
	ls->exists = true;
	ls->saved = json_incref(json_object_get(doc, "saved"));
	if (json_integer_value(json_object_get(doc, "version")) < 2) {
		/* version 1 had one owner; 0 meant `seclog limits lift` */
		v = json_object_get(doc, "owner");
		if (json_integer_value(v) > 0) {
			ls->holders = sl_xmalloc(sizeof(*ls->holders));
			ls->holders[0].pid = (pid_t)json_integer_value(v);
			ls->holders[0].start = (unsigned long long)json_integer_value(
				json_object_get(doc, "owner_start"));
			ls->nholders = 1;
		} else {
			ls->manual = true;
		}
	} else {
		ls->manual = json_is_true(json_object_get(doc, "manual"));
		take_holders(ls, json_object_get(doc, "holders"));
	}
	json_decref(doc);
	return 0;
}

int sl_lstate_open(struct sl_lstate *ls, const char *path, bool create, char **cause)
{
	char *dir = sl_xstrdup(path), *slash = strrchr(dir, '/');
	int rc;

	memset(ls, 0, sizeof(*ls));
	ls->dirfd = ls->lockfd = -1;
	ls->path = path;
	if (slash) {
		ls->base = sl_xstrdup(slash + 1);
		if (slash == dir)
			slash[1] = '\0';	/* "/x": the root directory */
		else
			*slash = '\0';
	} else {
		ls->base = sl_xstrdup(path);
		strcpy(dir, ".");
	}
	if (!*ls->base) {
		rc = sl_fail(cause, -EINVAL, "%s: a state file needs a file name", path);
		goto out;
	}
	rc = open_dir(ls, dir, create, cause);
	if (!rc)
		rc = open_lock(ls, cause);
	if (!rc)
		rc = load(ls, cause);
out:
	free(dir);
	if (rc)
		sl_lstate_close(ls);
	return rc;
}

/* Temporaries are only written under the lock: any we see is a leftover. */
static void remove_stale_temps(struct sl_lstate *ls, const char *prefix)
{
	int fd = openat(ls->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, prefix, strlen(prefix)))
			unlinkat(ls->dirfd, e->d_name, 0);
	closedir(d);
}

static int write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int sl_lstate_save(struct sl_lstate *ls, char **cause)
{
	json_t *doc = json_object(), *arr = json_array();
	char *prefix = sl_xasprintf(".%s.", ls->base), *tmp = NULL, *text;
	unsigned char rnd[6];
	size_t i;
	int fd = -1, rc, tries;

	json_object_set_new(doc, "version", json_integer(2));
	json_object_set_new(doc, "manual", json_boolean(ls->manual));
	for (i = 0; i < ls->nholders; i++)
		json_array_append_new(arr, json_pack("{s:I,s:I}", "pid",
						     (json_int_t)ls->holders[i].pid, "start",
						     (json_int_t)ls->holders[i].start));
	json_object_set_new(doc, "holders", arr);
	json_object_set(doc, "saved", ls->saved ? ls->saved : json_object());
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);

	remove_stale_temps(ls, prefix);
	/* a new name each time, created here or not at all (O_EXCL) */
	for (tries = 0; fd < 0 && tries < 100; tries++) {
		if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
			memset(rnd, tries, sizeof(rnd));
		free(tmp);
		tmp = sl_xasprintf("%s%02x%02x%02x%02x%02x%02x", prefix, rnd[0], rnd[1], rnd[2],
				   rnd[3], rnd[4], rnd[5]);
		fd = openat(ls->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		rc = sl_fail(cause, -errno, "cannot create a file next to %s: %s", ls->path,
			     strerror(errno));
		goto out;
	}
	rc = write_all(fd, text, strlen(text));
	if (!rc)
		rc = write_all(fd, "\n", 1);
	if (!rc && fsync(fd))
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	if (rc) {
		sl_fail(cause, rc, "write %s: %s", ls->path, strerror(-rc));
		unlinkat(ls->dirfd, tmp, 0);
		goto out;
	}
	/* rename replaces whatever has the name, a link included, never its target */
	if (renameat(ls->dirfd, tmp, ls->dirfd, ls->base)) {
		rc = sl_fail(cause, -errno, "rename to %s: %s", ls->path, strerror(errno));
		unlinkat(ls->dirfd, tmp, 0);
		goto out;
	}
	fsync(ls->dirfd);
	ls->exists = true;
out:
	free(text);
	free(tmp);
	free(prefix);
	return rc;
}

int sl_lstate_remove(struct sl_lstate *ls, char **cause)
{
	if (unlinkat(ls->dirfd, ls->base, 0) && errno != ENOENT)
		return sl_fail(cause, -errno, "%s: %s", ls->path, strerror(errno));
	fsync(ls->dirfd);
	ls->exists = false;
	return 0;
}

void sl_lstate_close(struct sl_lstate *ls)
{
	if (ls->lockfd >= 0)
		close(ls->lockfd);	/* and with it the lock */
	if (ls->dirfd >= 0)
		close(ls->dirfd);
	ls->lockfd = ls->dirfd = -1;
	json_decref(ls->saved);
	ls->saved = NULL;
	free(ls->holders);
	ls->holders = NULL;
	ls->nholders = 0;
	free(ls->base);
	ls->base = NULL;
}

void sl_lstate_add_holder(struct sl_lstate *ls, pid_t pid)
{
	size_t i;

	for (i = 0; i < ls->nholders; i++)
		if (ls->holders[i].pid == pid)
			break;
	if (i == ls->nholders) {
		ls->holders = sl_xrealloc(ls->holders, (ls->nholders + 1) * sizeof(*ls->holders));
		ls->nholders++;
	}
	ls->holders[i].pid = pid;
	ls->holders[i].start = sl_proc_start_time(pid);
}

bool sl_lstate_drop_holder(struct sl_lstate *ls, pid_t pid)
{
	size_t i;

	for (i = 0; i < ls->nholders; i++) {
		if (ls->holders[i].pid == pid) {
			memmove(&ls->holders[i], &ls->holders[i + 1],
				(ls->nholders - i - 1) * sizeof(*ls->holders));
			ls->nholders--;
			return true;
		}
	}
	return false;
}

size_t sl_lstate_drop_dead(struct sl_lstate *ls, struct sl_holder **dead)
{
	size_t i, j, n = 0;

	if (dead)
		*dead = NULL;
	for (i = j = 0; i < ls->nholders; i++) {
		unsigned long long now = sl_proc_start_time(ls->holders[i].pid);

		if (now && now == ls->holders[i].start) {
			ls->holders[j++] = ls->holders[i];
			continue;
		}
		if (dead) {
			*dead = sl_xrealloc(*dead, (n + 1) * sizeof(**dead));
			(*dead)[n] = ls->holders[i];
		}
		n++;
	}
	ls->nholders = j;
	return n;
}
