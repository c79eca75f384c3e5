/*
 * container.c - a container's init pid from its runtime's own state.
 *
 * The runtime's command is asked rather than its files read: `runc state`
 * and `crun state` print the OCI runtime state (a stable interface; their
 * files under /run are not), and they know their --root default; podman's
 * containers are known by name only to podman.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container.h"
#include "error.h"
#include "runtime.h"

#define OUT_MAX 65536

static const char *const runtimes[] = { "runc", "crun", "podman" };

/* Read fd to its end into a NUL-terminated buffer of at most OUT_MAX bytes. */
static char *slurp(int fd)
{
	char *buf = sl_xmalloc(OUT_MAX + 1);
	size_t n = 0;
	ssize_t r;

	while (n < OUT_MAX && ((r = read(fd, buf + n, OUT_MAX - n)) > 0 ||
			       (r < 0 && errno == EINTR)))
		if (r > 0)
			n += (size_t)r;
	buf[n] = '\0';
	return buf;
}

/* The last non-empty line of s, trimmed, for a cause (s is changed). */
static const char *last_line(char *s)
{
	char *e = s + strlen(s), *b;

	while (e > s && (e[-1] == '\n' || e[-1] == ' '))
		*--e = '\0';
	b = strrchr(s, '\n');
	return b ? b + 1 : s;
}

/*
 * Run argv; *out gets its standard output.  Its standard error goes to a
 * file, not a pipe, so that neither can fill while the other is read.
 * Returns its exit status, 127 when it cannot be run, or -errno.
 */
static int run(char *const argv[], char **out, char **err)
{
	int pfd[2], status;
	FILE *ef;
	pid_t pid;

	*out = *err = NULL;
	if (!(ef = tmpfile()))
		return -errno;
	if (pipe2(pfd, O_CLOEXEC)) {
		fclose(ef);
		return -errno;
	}
	pid = fork();
	if (pid < 0) {
		status = -errno;
		close(pfd[0]);
		close(pfd[1]);
		fclose(ef);
		return status;
	}
	if (pid == 0) {
		int nul = open("/dev/null", O_RDONLY);

		if (nul >= 0)
			dup2(nul, 0);
		dup2(pfd[1], 1);
		dup2(fileno(ef), 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	*out = slurp(pfd[0]);
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			status = -errno;
			fclose(ef);
			return status;
		}
	lseek(fileno(ef), 0, SEEK_SET);
	*err = slurp(fileno(ef));
	fclose(ef);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Ask one runtime about id: 0 (found, *pid set), or -errno with *cause. */
static int ask(const char *rt, const char *id, int64_t *pid, char **cause)
{
	char *argv[8], *out, *err, *status = NULL;
	json_t *j = NULL;
	long long p = 0;
	int rc;

	if (sl_runtime_kind(rt) == SL_RUNTIME_PODMAN) {
		char *a[] = { "podman", "container", "inspect", "--format",
			      "{{.State.Pid}} {{.State.Status}}", "--", (char *)id, NULL };

		memcpy(argv, a, sizeof(a));
	} else {
		char *a[] = { (char *)rt, "state", (char *)id, NULL };

		memcpy(argv, a, sizeof(a));
	}
	rc = run(argv, &out, &err);
	if (rc < 0) {
		rc = sl_fail(cause, rc, "cannot run %s: %s", rt, strerror(-rc));
		goto out;
	}
	if (rc == 127) {
		rc = sl_fail(cause, -ENOENT, "%s is not installed", rt);
		goto out;
	}
	if (rc) {
		rc = sl_fail(cause, -ESRCH, "%s", *last_line(err) ? last_line(err) :
			     "does not know it");
		goto out;
	}
	if (sl_runtime_kind(rt) == SL_RUNTIME_PODMAN) {
		char word[32];

		if (sscanf(out, "%lld %31s", &p, word) != 2) {
			rc = sl_fail(cause, -EINVAL, "unexpected output: %s", last_line(out));
			goto out;
		}
		status = sl_xstrdup(word);
	} else {
		json_t *v;

		j = json_loads(out, 0, NULL);
		v = j ? json_object_get(j, "pid") : NULL;
		if (!json_is_integer(v)) {
			rc = sl_fail(cause, -EINVAL, "its state has no pid");
			goto out;
		}
		p = json_integer_value(v);
		v = json_object_get(j, "status");
		status = sl_xstrdup(json_is_string(v) ? json_string_value(v) : "unknown");
	}
	if (p <= 0 || !strcmp(status, "stopped") || !strcmp(status, "exited")) {
		rc = sl_fail(cause, -ESRCH, "the container is %s: its processes are gone "
			     "(attribute past records with --pid, --ses or --exe)", status);
		goto out;
	}
	*pid = p;
	rc = 0;
out:
	json_decref(j);
	free(status);
	free(out);
	free(err);
	return rc;
}

int sl_container_state_pid(const char *runtime, const char *id, int64_t *pid, char **cause)
{
	return ask(runtime, id, pid, cause);
}

int sl_container_pid(const char *spec, int64_t *pid, const char **runtime, char **cause)
{
	const char *colon = strchr(spec, ':'), *id = spec;
	char *why = NULL, *all = NULL, *t;
	size_t i, only = SIZE_MAX;
	int rc = -ESRCH;

	for (i = 0; colon && i < sizeof(runtimes) / sizeof(*runtimes); i++)
		if (strlen(runtimes[i]) == (size_t)(colon - spec) &&
		    !strncmp(spec, runtimes[i], (size_t)(colon - spec))) {
			only = i;
			id = colon + 1;
		}
	if (!*id || *id == '-')
		return sl_fail(cause, -EINVAL, "'%s' is not a container id", id);
	for (i = 0; i < sizeof(runtimes) / sizeof(*runtimes); i++) {
		if (only != SIZE_MAX && i != only)
			continue;
		rc = ask(runtimes[i], id, pid, &why);
		if (!rc) {
			*runtime = runtimes[i];
			free(all);
			return 0;
		}
		t = sl_xasprintf("%s%s%s: %s", all ? all : "", all ? "; " : "", runtimes[i],
				 why ? why : strerror(-rc));
		free(all);
		free(why);
		why = NULL;
		all = t;
	}
	rc = sl_fail(cause, rc, "no runtime knows container '%s' (%s)", id, all);
	free(all);
	return rc;
}
