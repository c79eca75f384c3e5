/*
 * rewrite.c - a profile replaced by an edited version of itself (rewrite.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diff.h"
#include "error.h"
#include "history.h"
#include "rewrite.h"

/* Both sides named as the file, so that `patch -p0 < diff` applies it. */
static int make_diff(const char *label, const char *old, size_t olen, const struct sl_jedits *e,
		     char **diff, size_t *difflen, char **cause)
{
	*diff = sl_diff_edits(old ? old : "", olen, e, label, difflen);
	if (!*diff)
		return sl_fail(cause, -EINVAL, "%s: internal error: the edits overlap", label);
	return 0;
}

int sl_rewrite_diff_replace(const char *path, const char *new, size_t nlen, char **diff,
			    size_t *difflen, char **cause)
{
	struct sl_jedit whole = { 0 };
	struct sl_jedits e = { &whole, 1 };
	char *old;
	size_t olen;
	int rc = sl_read_raw(path, &old, &olen);

	if (rc)
		return sl_fail(cause, rc, "%s: %s", path, strerror(-rc));
	whole.del = olen;
	whole.ins = (char *)new;
	if (strlen(new) != nlen) {	/* never: profiles hold no NUL */
		free(old);
		return sl_fail(cause, -EINVAL, "%s: internal error: a NUL in the new text", path);
	}
	rc = make_diff(path, old, olen, &e, diff, difflen, cause);
	free(old);
	return rc;
}

/*
 * Take the profile's lock, so that two runs changing one profile go one
 * after the other and neither loses the other's change.
 */
static int lock_profile(const char *path, const struct sl_rewrite_opts *o, int *fd, char **cause)
{
	int rc = sl_profile_lock(path, false, fd, cause);

	if (rc == -EWOULDBLOCK) {
		free(*cause);
		*cause = NULL;
		if (o->waiting)
			o->waiting(path, o->arg);
		rc = sl_profile_lock(path, true, fd, cause);
	}
	return rc;
}

/* The pass in the target's history; a failure there is only reported. */
static void note(const struct sl_rewrite_opts *o, struct sl_rewrite_result *r)
{
	sl_history_note(r->target, o->history, r->text, r->len, &r->history_error);
}

int sl_rewrite(const char *path, const struct sl_rewrite_opts *o,
	       int (*edit)(const struct sl_profile *p, void *arg, char **out, size_t *outlen,
			   struct sl_jedits *edits, char **cause),
	       void *arg, struct sl_rewrite_result *r, char **cause)
{
	bool in_place = !o->check && !o->dry_run && (!o->output || !strcmp(o->output, path));
	struct sl_jedits edits = { 0 };
	struct sl_profile p;
	struct stat st;
	int rc, lock = -1;

	memset(r, 0, sizeof(*r));
	if (stat(path, &st) && errno == ENOENT)
		return sl_fail(cause, -ENOENT, "%s: no such profile", path);
	if (in_place && (rc = lock_profile(path, o, &lock, cause)))
		return sl_fail_prefix(cause, path, rc);
	rc = sl_profile_load(&p, path, cause);
	if (rc) {
		if (lock >= 0)
			close(lock);
		return sl_fail_prefix(cause, path, rc);
	}
	r->target = o->output ? o->output : path;
	rc = edit(&p, arg, &r->text, &r->len, &edits, cause);
	if (rc) {
		sl_fail_prefix(cause, path, rc);
		goto out;
	}
	if (!r->text) {
		r->text = sl_xmalloc(p.len + 1);
		memcpy(r->text, p.text, p.len + 1);
		r->len = p.len;
	}
	r->changed = r->len != p.len || memcmp(r->text, p.text, p.len);
	if (o->check) {
		/* nothing written: r->changed tells */
	} else if (o->dry_run) {
		char *old = NULL;
		size_t olen = 0;

		/* -o OUT: the diff is against OUT's bytes, which the run replaces */
		if (o->output && (rc = sl_read_raw(o->output, &old, &olen)))
			sl_fail(cause, rc, "%s: %s", o->output, strerror(-rc));
		else if (o->output && (olen != p.len || memcmp(old, p.text, olen)))
			rc = sl_rewrite_diff_replace(o->output, r->text, r->len, &r->diff,
						     &r->difflen, cause);
		else
			rc = make_diff(r->target, p.text, p.len, &edits, &r->diff, &r->difflen,
				       cause);
		free(old);
	} else {
		/* unchanged in place: not a byte touched, no backup made */
		if (r->changed || o->output)
			rc = sl_write_atomic(r->target, r->text, r->len, true, cause);
		if (rc)
			sl_fail_prefix(cause, r->target, rc);
		else
			r->written = r->changed || o->output;
		if (!rc && o->history)
			note(o, r);
	}
out:
	sl_profile_free(&p);
	sl_jedits_free(&edits);
	if (lock >= 0)
		close(lock);
	return rc;
}

void sl_rewrite_result_free(struct sl_rewrite_result *r)
{
	free(r->text);
	free(r->diff);
	free(r->history_error);
	memset(r, 0, sizeof(*r));
}
