/* unit.h - what every cmocka test includes */
#ifndef SL_UNIT_H
#define SL_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * A test's scratch space: a fresh directory (unit_dir) or an empty file
 * (unit_file) named /tmp/seclog-NAME.XXXXXX, its path put in buf;
 * unit_dir_remove takes a directory away with what it holds.  They return
 * 0 or -1, as a cmocka setup or teardown does.
 */
static inline int unit_dir(char *buf, size_t cap, const char *name)
{
	snprintf(buf, cap, "/tmp/seclog-%s.XXXXXX", name);
	return mkdtemp(buf) ? 0 : -1;
}

static inline int unit_dir_remove(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

static inline int unit_file(char *buf, size_t cap, const char *name)
{
	int fd;

	snprintf(buf, cap, "/tmp/seclog-%s.XXXXXX", name);
	fd = mkstemp(buf);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* Read a whole fixture file (tests/fixtures/NAME) into memory. */
static inline char *read_fixture(const char *name, size_t *len)
{
	char path[4096];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

#endif
