/*
 * replay.c - run a fuzz target over its corpus without libFuzzer, so that
 * make check (gcc, or the sanitizer build) catches a regression on every
 * input a fuzzer ever kept, reproducers included.
 *   replay-X [DIR|FILE]...    default: the corpus the build names (CORPUS)
 * With no argument, the inputs of PENDING (reproducers of defects whose fix
 * is not merged yet) are also run, each in a child, and only reported.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_file(const char *path)
{
	struct stat st;
	uint8_t *buf;
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	/* exactly the input's size: ASan then sees a read past its end */
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	while (len < (size_t)st.st_size &&
	       (n = read(fd, buf + len, (size_t)st.st_size - len)) > 0)
		len += (size_t)n;
	close(fd);
	fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int run_path(const char *path, size_t *count)
{
	struct dirent *d;
	struct stat st;
	char **names = NULL;
	size_t n = 0, i;
	int rc = 0;
	DIR *dir;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		names[n] = malloc(strlen(path) + strlen(d->d_name) + 2);
		sprintf(names[n++], "%s/%s", path, d->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n; i++) {
		if (run_file(names[i]))
			rc = -1;
		(*count)++;
		free(names[i]);
	}
	free(names);
	return rc;
}

/* Say which pending reproducers pass now: they belong in the corpus then. */
static void run_pending(const char *dir)
{
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (!dp)
		return;
	while ((d = readdir(dp))) {
		char path[4096];
		size_t count = 0;
		int status = 0;
		pid_t pid;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		fflush(NULL);
		pid = fork();
		if (pid == 0) {
			/* its report would only repeat the known defect */
			if (!freopen("/dev/null", "w", stderr))
				_exit(1);
			_exit(run_path(path, &count) ? 1 : 0);
		}
		if (pid < 0 || waitpid(pid, &status, 0) < 0)
			continue;
		printf("pending %s: %s\n", path,
		       WIFEXITED(status) && !WEXITSTATUS(status) ?
		       "passes now: move it into the corpus" : "still fails (a known defect)");
	}
	closedir(dp);
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int i, rc = 0;

	if (argc < 2) {
		rc = run_path(CORPUS, &count);
#ifdef PENDING
		run_pending(PENDING);
#endif
	} else {
		for (i = 1; i < argc; i++)
			if (run_path(argv[i], &count))
				rc = -1;
	}
	if (!count) {
		fprintf(stderr, "replay: no input found\n");
		return 1;
	}
	printf("replayed %zu inputs\n", count);
	return rc ? 1 : 0;
}
