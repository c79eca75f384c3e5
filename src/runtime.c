/*
 * runtime.c - a container runtime's input for one complain pass.
 *
 * The twin goes to the runtime rather than seclog loading a filter itself:
 * the runtime loads it where it always does (runc's Go init just before
 * exec, podman's runtime during init), so the pass learns the calls the
 * runtime makes after its filter is in, which an enforced run will meet.
 */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "export.h"
#include "runtime.h"
#include "scope.h"
#include "syscall.h"
#include "twin.h"

enum sl_runtime_kind sl_runtime_kind(const char *name)
{
	const char *base = strrchr(name, '/');

	return !strcmp(base ? base + 1 : name, "podman") ? SL_RUNTIME_PODMAN : SL_RUNTIME_OCI;
}

/* The text of p's complain twin, parsed into *t.  Returns 0 or -errno. */
static int twin_of(const struct sl_profile *p, bool log_denied, struct sl_profile *t,
		   char **cause)
{
	struct sl_twin_opts o = { .log_denied = log_denied };
	struct sl_profile e = { 0 };
	char *text = NULL, *etext = NULL;
	size_t len, elen;
	int rc;

	if (sl_twin_is_complain(p) && !log_denied)
		return sl_profile_parse(t, p->path, p->text, p->len, cause);
	if (sl_twin_is_complain(p)) {
		/* a twin's deny rules are its enforcing ones: from there */
		rc = sl_twin_enforce(p, NULL, &etext, &elen, NULL, cause);
		if (!rc)
			rc = sl_profile_parse(&e, p->path, etext, elen, cause);
		if (rc)
			goto out;
		p = &e;
	}
	rc = sl_twin_complain(p, &o, &text, &len, NULL, cause);
	if (!rc)
		rc = sl_profile_parse(t, p->path, text, len, cause);
out:
	sl_profile_free(&e);
	free(etext);
	free(text);
	return rc;
}

/* A file of seclog's own copies: written whole, or not at all. */
static int write_file(const char *path, const char *text, char **cause)
{
	int rc = sl_write_atomic(path, text, strlen(text), false, cause);

	return rc ? sl_fail_prefix(cause, path, rc) : 0;
}

/* The bundle's bounding set, as sl_export's includes/excludes.caps see it. */
static uint64_t bundle_caps(json_t *config)
{
	json_t *set = json_object_get(json_object_get(json_object_get(config, "process"),
						      "capabilities"), "bounding");
	uint64_t caps = 0;
	json_t *v;
	size_t i;
	int n;

	if (!json_is_array(set))
		return sl_export_default_caps();
	json_array_foreach(set, i, v)
		if (json_is_string(v) && (n = sl_scope_cap(json_string_value(v))) >= 0)
			caps |= 1ULL << n;
	return caps;
}

static int oci_bundle(struct sl_runtime_run *r, const struct sl_profile *twin,
		      const char *bundle, char **cause)
{
	struct sl_export_opts o = { .format = SL_EXPORT_OCI, .arch = sl_arch_native() };
	struct sl_scope self;
	char *path = sl_xasprintf("%s/config.json", bundle), *block = NULL, *out = NULL;
	char real[PATH_MAX];
	json_t *config, *root, *proc, *seccomp = NULL;
	json_error_t jerr;
	const char *rp;
	int rc;

	config = json_load_file(path, JSON_DECODE_ANY, &jerr);
	if (!config) {
		rc = sl_fail(cause, access(path, F_OK) ? -ENOENT : -EINVAL, "%s: %s%s", path,
			     access(path, F_OK) ? "" : "not JSON: ", access(path, F_OK) ?
			     "no such file (an OCI bundle holds config.json: runc spec makes one)"
			     : jerr.text);
		goto out;
	}
	root = json_object_get(config, "root");
	rp = json_string_value(json_object_get(root, "path"));
	proc = json_object_get(config, "process");
	if (!json_is_object(config) || !rp || !json_is_object(proc)) {
		rc = sl_fail(cause, -EINVAL, "%s: no OCI config (it lacks root.path or process)",
			     path);
		goto out;
	}
	if (!realpath(bundle, real)) {
		rc = sl_fail(cause, -errno, "%s: %s", bundle, strerror(errno));
		goto out;
	}
	/* the copy lives elsewhere: a relative rootfs is the bundle's (runc
	 * wants no symlink in it: resolved) */
	if (*rp != '/') {
		char *abs = sl_xasprintf("%s/%s", real, rp), rabs[PATH_MAX];

		json_object_set_new(root, "path", json_string(realpath(abs, rabs) ? rabs : abs));
		free(abs);
	}
	json_object_set_new(proc, "terminal", json_false());

	sl_scope_self(&self);
	o.kernel[0] = self.kernel[0];
	o.kernel[1] = self.kernel[1];
	o.caps = bundle_caps(config);
	rc = sl_export(twin, &o, &block, cause);
	if (rc)
		goto out;
	seccomp = json_loads(block, 0, &jerr);
	if (!seccomp) {
		rc = sl_fail(cause, -EINVAL, "internal error: the exported block: %s", jerr.text);
		goto out;
	}
	if (!json_is_object(json_object_get(config, "linux")))
		json_object_set_new(config, "linux", json_object());
	json_object_set(json_object_get(config, "linux"), "seccomp", seccomp);
	out = json_dumps(config, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!out) {
		rc = sl_fail(cause, -ENOMEM, "%s", strerror(ENOMEM));
		goto out;
	}
	free(path);
	path = sl_xasprintf("%s/config.json", r->dir);
	rc = write_file(path, out, cause);
	if (!rc)
		r->bundle = sl_xstrdup(r->dir);
out:
	json_decref(seccomp);
	json_decref(config);
	free(block);
	free(out);
	free(path);
	return rc;
}

static int podman_argv(struct sl_runtime_run *r, const struct sl_profile *twin,
		       char *const *argv, char **cause)
{
	size_t n = 0, i, at = SIZE_MAX;
	char *path;
	int rc;

	for (; argv[n]; n++)
		if (at == SIZE_MAX && n && !strcmp(argv[n], "run"))
			at = n;
	if (at == SIZE_MAX)
		return sl_fail(cause, -EINVAL, "the podman command has no 'run' (seclog gives "
			       "the profile to podman run)");
	path = sl_xasprintf("%s/profile.json", r->dir);
	rc = write_file(path, twin->text, cause);
	if (rc) {
		free(path);
		return rc;
	}
	r->profile = path;
	r->argv = sl_xmalloc((n + 3) * sizeof(*r->argv));
	for (i = 0; i <= at; i++)
		r->argv[i] = sl_xstrdup(argv[i]);
	r->argv[at + 1] = sl_xstrdup("--security-opt");
	r->argv[at + 2] = sl_xasprintf("seccomp=%s", path);
	for (i = at + 1; i < n; i++)
		r->argv[i + 2] = sl_xstrdup(argv[i]);
	r->argv[n + 2] = NULL;
	return 0;
}

int sl_runtime_prepare(struct sl_runtime_run *r, enum sl_runtime_kind kind,
		       const struct sl_profile *p, bool log_denied, const char *bundle,
		       char *const *argv, char **cause)
{
	struct sl_profile twin = { 0 };
	const char *tmp = getenv("TMPDIR");
	int rc;

	memset(r, 0, sizeof(*r));
	rc = twin_of(p, log_denied, &twin, cause);
	if (rc)
		return rc;
	r->dir = sl_xasprintf("%s/seclog-run.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(r->dir)) {
		rc = sl_fail(cause, -errno, "cannot make a directory in %s: %s",
			     tmp && *tmp ? tmp : "/tmp", strerror(errno));
		free(r->dir);
		r->dir = NULL;
		goto out;
	}
	rc = kind == SL_RUNTIME_OCI ? oci_bundle(r, &twin, bundle, cause) :
		podman_argv(r, &twin, argv, cause);
out:
	sl_profile_free(&twin);
	return rc;
}

void sl_runtime_run_free(struct sl_runtime_run *r)
{
	char *f;
	size_t i;

	if (r->dir) {
		f = sl_xasprintf("%s/config.json", r->dir);
		unlink(f);
		free(f);
		if (r->profile)
			unlink(r->profile);
		rmdir(r->dir);
	}
	for (i = 0; r->argv && r->argv[i]; i++)
		free(r->argv[i]);
	free(r->argv);
	free(r->profile);
	free(r->bundle);
	free(r->dir);
	memset(r, 0, sizeof(*r));
}
