/* sysctl.c - /proc/sys access by dotted name, as sysctl(8) spells it */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sysctl.h"

int sl_sysctl_path(const char *name, char *path, size_t len)
{
	size_t i, n = (size_t)snprintf(path, len, "/proc/sys/%s", name);

	if (n >= len)
		return -ENAMETOOLONG;
	for (i = 10; path[i]; i++)
		if (path[i] == '.')
			path[i] = '/';
	return 0;
}

/* The setting's file, opened: a descriptor or -errno. */
static int open_sysctl(const char *name, int flags)
{
	char path[256];
	int fd, rc = sl_sysctl_path(name, path, sizeof(path));

	if (rc)
		return rc;
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int sl_sysctl_get(const char *name, char *buf, size_t len)
{
	ssize_t n;
	int fd = open_sysctl(name, O_RDONLY), rc;

	if (fd < 0)
		return fd;
	n = read(fd, buf, len - 1);
	rc = n < 0 ? -errno : 0;
	close(fd);
	if (rc)
		return rc;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	for (char *p = buf; *p; p++)
		if (*p == '\t')
			*p = ' ';
	return 0;
}

int sl_sysctl_set(const char *name, const char *value)
{
	size_t len = strlen(value);
	ssize_t n;
	int fd = open_sysctl(name, O_WRONLY), rc;

	if (fd < 0)
		return fd;
	n = write(fd, value, len);
	rc = n < 0 ? -errno : (size_t)n != len ? -EIO : 0;
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}
