/*
 * pass.c - the end of one pass: a finished harvest's names merged into a
 * profile under its lock, or written as a new profile, or shown as a diff.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diff.h"
#include "error.h"
#include "pass.h"
#include "profile.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Known names (sorted, each once) and arches of the harvest. */
static void collect(const struct sl_harvest *h, const char ***names, size_t *n,
		    const struct sl_arch ***arches, size_t *narches)
{
	size_t i, j;

	*names = sl_xmalloc((h->nhits + 1) * sizeof(**names));
	*arches = sl_xmalloc((h->nhits + 1) * sizeof(**arches));
	*n = *narches = 0;
	for (i = 0; i < h->nhits; i++) {
		const struct sl_hit *t = &h->hits[i];

		if (!t->name)
			continue;
		(*names)[(*n)++] = t->name;
		for (j = 0; j < *narches && (*arches)[j] != t->arch; j++)
			;
		if (j == *narches)
			(*arches)[(*narches)++] = t->arch;
	}
	qsort(*names, *n, sizeof(**names), cmp_str);
	for (i = j = 0; i < *n; i++)
		if (!j || strcmp((*names)[i], (*names)[j - 1]))
			(*names)[j++] = (*names)[i];
	*n = j;
}

/*
 * The bytes of a file a run would replace, whatever they are (a profile
 * or not): a dry run's diff must show what the real run changes.  A file
 * that does not exist is empty.  Returns 0 or -errno.
 */
static int read_raw(const char *path, char **text, size_t *len)
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

/*
 * The diff of old and the edits made to it; both sides named as the file,
 * so that `patch -p0 < diff` applies it.
 */
static int make_diff(struct sl_pass_result *r, const char *label, const char *old, size_t olen,
		     const struct sl_jedits *e, char **cause)
{
	r->diff = sl_diff_edits(old ? old : "", olen, e, label, &r->difflen);
	if (!r->diff)
		return sl_fail(cause, -EINVAL, "%s: internal error: the edits overlap", label);
	return 0;
}

/* A dry run replacing path's bytes, whatever they are, with new. */
static int diff_replace(struct sl_pass_result *r, const char *path, const char *new,
			size_t nlen, char **cause)
{
	struct sl_jedit whole = { 0 };
	struct sl_jedits e = { &whole, 1 };
	char *old;
	size_t olen;
	int rc = read_raw(path, &old, &olen);

	if (rc)
		return sl_fail(cause, rc, "%s: %s", path, strerror(-rc));
	whole.del = olen;
	whole.ins = (char *)new;
	if (strlen(new) != nlen) {	/* never: profiles hold no NUL */
		free(old);
		return sl_fail(cause, -EINVAL, "%s: internal error: a NUL in the new text", path);
	}
	rc = make_diff(r, path, old, olen, &e, cause);
	free(old);
	return rc;
}

/*
 * Take the profile's merge lock, so that two merges into one profile run
 * one after the other and neither loses the other's names.
 */
static int lock_profile(const struct sl_pass_opts *o, int *fd, char **cause)
{
	int rc = sl_profile_lock(o->merge, false, fd, cause);

	if (rc == -EWOULDBLOCK) {
		free(*cause);
		*cause = NULL;
		if (o->waiting)
			o->waiting(o->merge, o->arg);
		rc = sl_profile_lock(o->merge, true, fd, cause);
	}
	return rc;
}

static int prefix(char **cause, const char *path, int rc)
{
	char *c = *cause;

	*cause = NULL;
	sl_fail(cause, rc, "%s: %s", path, c ? c : strerror(-rc));
	free(c);
	return rc;
}

static int merge(const struct sl_harvest *h, const struct sl_pass_opts *o,
		 struct sl_pass_result *r, char **cause)
{
	bool in_place = !o->check && !o->dry_run && (!o->output || !strcmp(o->output, o->merge));
	struct sl_jedits edits = { 0 };
	const struct sl_arch **arches;
	const char **names;
	struct sl_profile p;
	struct stat st;
	size_t n, narches, outlen;
	char *out = NULL;
	int rc, lock = -1;

	if (stat(o->merge, &st) && errno == ENOENT)
		return sl_fail(cause, -ENOENT, "%s: no such profile (to write a new profile, "
			       "use -o %s)", o->merge, o->merge);
	/* lock, then read: a merge that waited sees the other's result */
	if (in_place && (rc = lock_profile(o, &lock, cause)))
		return prefix(cause, o->merge, rc);
	rc = sl_profile_load(&p, o->merge, cause);
	if (rc) {
		if (lock >= 0)
			close(lock);
		return prefix(cause, o->merge, rc);
	}
	r->target = o->output ? o->output : o->merge;
	if (o->check && !h->matched) {
		/* an empty or wrong log must not pass a CI gate as "converged" */
		if (h->records)
			sl_fail(cause, -ENODATA, "%s: nothing to check: %" PRIu64 " SECCOMP "
				"record%s read, none matched the filters", o->merge, h->records,
				h->records == 1 ? "" : "s");
		else
			sl_fail(cause, -ENODATA, "%s: nothing to check: no SECCOMP record was read",
				o->merge);
		sl_profile_free(&p);
		return -ENODATA;
	}
	collect(h, &names, &n, &arches, &narches);
	sl_merge_plan(&p, names, n, arches, narches, &o->mopts, &r->plan);
	free(names);
	free(arches);

	r->changed = sl_merge_changes(&r->plan);
	if (r->changed) {
		rc = sl_merge_apply_edits(&p, &r->plan, &out, &outlen, &edits, cause);
		if (rc) {
			rc = prefix(cause, o->merge, rc);
			goto out;
		}
	} else {
		out = sl_xmalloc(p.len + 1);
		memcpy(out, p.text, p.len + 1);
		outlen = p.len;
	}
	rc = 0;
	if (o->check) {
		/* nothing written: r->changed tells */
	} else if (o->dry_run) {
		char *old = NULL;
		size_t olen = 0;

		/* -o OUT: the diff is against OUT's bytes, which the run replaces */
		if (o->output && (rc = read_raw(o->output, &old, &olen)))
			sl_fail(cause, rc, "%s: %s", o->output, strerror(-rc));
		else if (o->output && (olen != p.len || memcmp(old, p.text, olen)))
			rc = diff_replace(r, o->output, out, outlen, cause);
		else
			rc = make_diff(r, r->target, p.text, p.len, &edits, cause);
		free(old);
	} else if (r->changed || o->output) {
		/* unchanged in place: not a byte touched, no backup made */
		rc = sl_write_atomic(r->target, out, outlen, true, cause);
		if (rc)
			rc = prefix(cause, r->target, rc);
		else
			r->written = true;
	}
out:
	if (lock >= 0)
		close(lock);
	sl_jedits_free(&edits);
	free(out);
	sl_profile_free(&p);
	return rc;
}

static int new_profile(const struct sl_harvest *h, const struct sl_pass_opts *o,
		       struct sl_pass_result *r, char **cause)
{
	const struct sl_arch **arches;
	const char **names;
	size_t narches;
	char *text;
	int rc;

	collect(h, &names, &r->nnames, &arches, &narches);
	text = sl_profile_new(names, r->nnames, arches, narches);
	r->target = o->output;
	r->changed = true;
	if (o->dry_run) {
		rc = diff_replace(r, o->output, text, strlen(text), cause);
	} else {
		rc = sl_write_atomic(o->output, text, strlen(text), true, cause);
		if (rc)
			rc = prefix(cause, o->output, rc);
		else
			r->written = true;
	}
	free(text);
	free(names);
	free(arches);
	return rc;
}

int sl_pass_write(const struct sl_harvest *h, const struct sl_pass_opts *o,
		  struct sl_pass_result *r, char **cause)
{
	memset(r, 0, sizeof(*r));
	if (o->merge)
		return merge(h, o, r, cause);
	if (o->output)
		return new_profile(h, o, r, cause);
	return 0;
}

void sl_pass_result_free(struct sl_pass_result *r)
{
	sl_merge_plan_free(&r->plan);
	free(r->diff);
	r->diff = NULL;
}
