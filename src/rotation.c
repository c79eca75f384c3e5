/* rotation.c - finding a log again after logrotate or auditd moved it */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "rotation.h"

uint64_t sl_head_hash(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--) {
		h ^= *c++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

bool sl_file_head_is(int fd, const struct sl_file_mark *m)
{
	char buf[SL_HEAD_MAX];
	size_t got = 0;
	ssize_t n;

	if (!m->head_n)
		return true;
	while (got < m->head_n) {
		n = pread(fd, buf + got, m->head_n - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return sl_head_hash(SL_HEAD_INIT, buf, got) == m->head;
}

char *sl_file_mark_format(const struct sl_file_mark *m)
{
	return sl_xasprintf("dev=%" PRIu64 " ino=%" PRIu64 " off=%" PRIu64 " head=%zu:%016" PRIx64,
			    m->dev, m->ino, m->off, m->head_n, m->head);
}

/* digits only, all the way to end */
static bool number(const char *p, const char *end, int base, uint64_t *v)
{
	char *stop;

	if (p == end || !(base == 16 ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p)))
		return false;
	errno = 0;
	*v = strtoull(p, &stop, base);
	return !errno && stop == end;
}

int sl_file_mark_parse(const char *line, struct sl_file_mark *m)
{
	unsigned int have = 0;
	const char *p = line;
	uint64_t n;

	memset(m, 0, sizeof(*m));
	m->head = SL_HEAD_INIT;
	while (*p) {
		const char *eq, *end, *colon;

		if (*p == ' ') {
			p++;
			continue;
		}
		end = strchr(p, ' ');
		if (!end)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		if (!eq)
			return -EINVAL;
		if (eq - p == 3 && !memcmp(p, "dev", 3)) {
			if (!number(eq + 1, end, 10, &m->dev))
				return -EINVAL;
			have |= 1;
		} else if (eq - p == 3 && !memcmp(p, "ino", 3)) {
			if (!number(eq + 1, end, 10, &m->ino))
				return -EINVAL;
			have |= 2;
		} else if (eq - p == 3 && !memcmp(p, "off", 3)) {
			if (!number(eq + 1, end, 10, &m->off))
				return -EINVAL;
			have |= 4;
		} else if (eq - p == 4 && !memcmp(p, "head", 4)) {
			colon = memchr(eq, ':', (size_t)(end - eq));
			if (!colon || !number(eq + 1, colon, 10, &n) || n > SL_HEAD_MAX ||
			    !number(colon + 1, end, 16, &m->head))
				return -EINVAL;
			m->head_n = (size_t)n;
		}
		/* other keys: a later version's, not ours to judge */
		p = end;
	}
	return have == 7 ? 0 : -EINVAL;
}

bool sl_file_is(int fd, const struct stat *st, const struct sl_file_mark *m)
{
	if ((uint64_t)st->st_ino != m->ino)
		return false;
	/* a device renumbered at boot (device mapper) keeps its inodes: then
	 * only the first bytes can tell, and must exist */
	if ((uint64_t)st->st_dev != m->dev && !m->head_n)
		return false;
	return sl_file_head_is(fd, m);
}

/* "audit.log.1", "audit.log-20261201", "syslog.2": never "audit.log.1.gz" */
static bool rotated_name(const char *name, const char *base, size_t blen)
{
	const char *s = name + blen;
	bool digit = false;

	if (strncmp(name, base, blen) || (*s != '.' && *s != '-' && *s != '_'))
		return false;
	for (s++; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digit = true;
		else if (*s != '.' && *s != '-' && *s != '_')
			return false;
	}
	return digit;
}

struct sibling {
	int fd;
	struct stat st;
};

/* Open every rotated sibling of path (regular files only); returns how many. */
static size_t siblings(const char *path, struct sibling **out)
{
	char *dup = sl_xstrdup(path), *slash = strrchr(dup, '/');
	const char *dir = ".", *base = dup;
	struct sibling *sib = NULL;
	size_t n = 0, blen;
	struct dirent *de;
	DIR *d;
	int dfd;

	if (slash) {
		*slash = '\0';
		dir = slash == dup ? "/" : dup;
		base = slash + 1;
	}
	blen = strlen(base);
	d = opendir(dir);
	if (!d) {
		free(dup);
		*out = NULL;
		return 0;
	}
	dfd = dirfd(d);
	while ((de = readdir(d))) {
		int fd;

		if (!rotated_name(de->d_name, base, blen))
			continue;
		fd = openat(dfd, de->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			continue;
		sib = sl_xrealloc(sib, (n + 1) * sizeof(*sib));
		if (fstat(fd, &sib[n].st) || !S_ISREG(sib[n].st.st_mode)) {
			close(fd);
			continue;
		}
		sib[n++].fd = fd;
	}
	closedir(d);
	free(dup);
	*out = sib;
	return n;
}

static bool newer(const struct stat *a, const struct stat *b)
{
	if (a->st_mtim.tv_sec != b->st_mtim.tv_sec)
		return a->st_mtim.tv_sec > b->st_mtim.tv_sec;
	return a->st_mtim.tv_nsec > b->st_mtim.tv_nsec;
}

int sl_rotation_find(const char *path, const struct sl_file_mark *m, bool copy, struct stat *st)
{
	struct sibling *sib;
	size_t n = siblings(path, &sib), i;
	ssize_t best = -1;
	int fd;

	for (i = 0; i < n; i++) {
		bool ok;

		if (copy)
			ok = m->head_n && (uint64_t)sib[i].st.st_ino != m->ino &&
			     sl_file_head_is(sib[i].fd, m);
		else
			ok = sl_file_is(sib[i].fd, &sib[i].st, m);
		if (ok && (best < 0 || newer(&sib[i].st, &sib[best].st)))
			best = (ssize_t)i;
	}
	for (i = 0; i < n; i++)
		if ((ssize_t)i != best)
			close(sib[i].fd);
	fd = best < 0 ? -1 : sib[best].fd;
	if (best >= 0)
		*st = sib[best].st;
	free(sib);
	return fd;
}

static int by_mtime(const void *a, const void *b)
{
	const struct sibling *x = a, *y = b;

	return newer(&x->st, &y->st) ? 1 : newer(&y->st, &x->st) ? -1 : 0;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return b && a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

size_t sl_rotation_after(const char *path, const struct stat *old, const struct stat *cur,
			 int *fds, size_t max)
{
	struct sibling *sib;
	size_t n = siblings(path, &sib), i, k = 0;

	qsort(sib, n, sizeof(*sib), by_mtime);
	for (i = 0; i < n; i++) {
		/* not older: a coarse clock (a jiffy) may stamp two alike, and
		 * a file read twice costs less than one never read */
		if (k < max && !newer(old, &sib[i].st) && !same_file(&sib[i].st, old) &&
		    !same_file(&sib[i].st, cur))
			fds[k++] = sib[i].fd;
		else
			close(sib[i].fd);
	}
	free(sib);
	return k;
}
