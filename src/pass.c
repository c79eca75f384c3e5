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

#include "error.h"
#include "pass.h"
#include "profile.h"
#include "rewrite.h"
#include "history.h"
#include "twin.h"

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

struct merge_arg {
	const struct sl_harvest *h;
	const struct sl_pass_opts *o;
	struct sl_pass_result *r;
	json_t *entry;		/* the history's, or NULL */
};

/* {"x86_64": ["read", ...], ...}: each added name (plan NULL: each name)
 * under the arches it was seen on */
static json_t *added_by_arch(const struct sl_harvest *h, const struct sl_merge_plan *plan)
{
	json_t *by = json_object();
	size_t i;

	for (i = 0; i < h->nhits; i++) {
		const struct sl_hit *t = &h->hits[i];
		json_t *names;

		if (!t->name || !t->arch ||
		    (plan && (!plan->nadd || !bsearch(&t->name, plan->add, plan->nadd,
						      sizeof(*plan->add), cmp_str))))
			continue;
		names = json_object_get(by, t->arch->name);
		if (!names)
			json_object_set_new(by, t->arch->name, names = json_array());
		json_array_append_new(names, json_string(t->name));
	}
	return by;
}

/* The history entry of this pass, all but what the merge adds. */
static json_t *entry_of(const struct sl_harvest *h, const struct sl_pass_opts *o)
{
	if (!o->verb)
		return NULL;
	return json_pack("{s:s, s:o, s:I, s:I, s:b}", "command", o->verb, "sources",
			 sl_json_strings((const char *const *)o->sources, o->nsources), "records",
			 (json_int_t)h->records, "matched", (json_int_t)h->matched, "incomplete",
			 sl_harvest_incomplete(h));
}

/* The merge as a rewrite of the profile (rewrite.h). */
static int merge_edit(const struct sl_profile *p, void *arg, char **out, size_t *outlen,
		      struct sl_jedits *edits, char **cause)
{
	const struct merge_arg *m = arg;
	const struct sl_harvest *h = m->h;
	const struct sl_arch **arches;
	const char **names;
	size_t n, narches;

	if (m->o->check && !h->matched) {
		/* an empty or wrong log must not pass a CI gate as "converged" */
		if (h->records)
			return sl_fail(cause, -ENODATA, "nothing to check: %" PRIu64 " SECCOMP "
				       "record%s read, none matched the filters", h->records,
				       h->records == 1 ? "" : "s");
		return sl_fail(cause, -ENODATA, "nothing to check: no SECCOMP record was read");
	}
	collect(h, &names, &n, &arches, &narches);
	sl_merge_plan(p, names, n, arches, narches, &m->o->mopts, &m->r->plan);
	free(names);
	free(arches);
	m->r->twin = sl_twin_is_complain(p);
	if (m->entry)
		json_object_set_new(m->entry, "added", added_by_arch(h, &m->r->plan));
	if (!sl_merge_changes(&m->r->plan))
		return 0;
	return sl_merge_apply_edits(p, &m->r->plan, out, outlen, edits, cause);
}

static int merge(const struct sl_harvest *h, const struct sl_pass_opts *o,
		 struct sl_pass_result *r, char **cause)
{
	struct sl_rewrite_opts ro = {
		.output = o->output, .dry_run = o->dry_run, .check = o->check,
		.waiting = o->waiting, .arg = o->arg,
	};
	bool to_stdout = o->output && !strcmp(o->output, "-");
	struct merge_arg m = { h, o, r, to_stdout ? NULL : entry_of(h, o) };
	struct sl_rewrite_result w;
	struct stat st;
	int rc;

	ro.history = m.entry;
	if (to_stdout && !o->dry_run) {
		/* nothing written: the text comes back to be printed */
		ro.output = NULL;
		ro.check = true;
	}
	if (stat(o->merge, &st) && errno == ENOENT)
		return sl_fail(cause, -ENOENT, "%s: no such profile (to write a new profile, "
			       "use -o %s)", o->merge, o->merge);
	rc = sl_rewrite(o->merge, &ro, merge_edit, &m, &w, cause);
	r->target = w.target;
	r->changed = sl_merge_changes(&r->plan);
	r->written = w.written;
	r->diff = w.diff;
	r->difflen = w.difflen;
	r->history_error = w.history_error;
	if (to_stdout && !rc) {
		r->text = w.text;
		r->len = w.len;
		w.text = NULL;
	}
	w.diff = NULL;
	w.history_error = NULL;
	sl_rewrite_result_free(&w);
	json_decref(m.entry);
	return rc;
}

static int new_profile(const struct sl_harvest *h, const struct sl_pass_opts *o,
		       struct sl_pass_result *r, char **cause)
{
	const struct sl_arch **arches;
	const char **names;
	size_t narches;
	json_t *entry;
	char *text;
	int rc;

	collect(h, &names, &r->nnames, &arches, &narches);
	text = sl_profile_new(names, r->nnames, arches, narches);
	r->target = o->output;
	r->changed = true;
	if (!strcmp(o->output, "-") && !o->dry_run) {
		r->text = text;
		r->len = strlen(text);
		text = NULL;
		rc = 0;
	} else if (o->dry_run) {
		rc = sl_rewrite_diff_replace(o->output, text, strlen(text), &r->diff, &r->difflen,
					     cause);
	} else {
		rc = sl_write_atomic(o->output, text, strlen(text), true, cause);
		if (rc)
			rc = sl_fail_prefix(cause, o->output, rc);
		else
			r->written = true;
		if (!rc && (entry = entry_of(h, o))) {
			/* all is new in a new profile */
			json_object_set_new(entry, "added", added_by_arch(h, NULL));
			sl_history_note(o->output, entry, text, strlen(text), &r->history_error);
			json_decref(entry);
		}
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
	free(r->history_error);
	r->history_error = NULL;
	free(r->text);
	r->text = NULL;
}
