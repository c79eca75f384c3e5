/*
 * json-text.h - positions of values in a JSON text, and edits that change
 * only the bytes they must.  jansson gives the profile's meaning but not
 * where each value sits; a merge must leave every other byte as the user
 * wrote it (order, spacing, comments), so it edits the text itself.
 */
#ifndef SL_JSON_TEXT_H
#define SL_JSON_TEXT_H

#include <stdbool.h>
#include <stddef.h>

struct sl_jnode {
	char type;		/* '{' '[' '"' 'n' (number) 't' 'f' '0' (null) */
	size_t start, end;	/* the value: text[start, end) */
	size_t key_start;	/* object member: its key's opening quote */
	size_t key_end;		/* and just past its closing quote */
	struct sl_jnode *kids;	/* members or elements, in text order */
	size_t nkids;
};

struct sl_jtext {
	const char *text;	/* not owned */
	size_t len;
	bool crlf;		/* lines end in \r\n (from the first line) */
	struct sl_jnode root;
};

/*
 * Index a text that jansson has already accepted.  Returns 0, or -EINVAL
 * when the text is not JSON after all (with *cause set).
 */
int sl_jtext_index(struct sl_jtext *jt, const char *text, size_t len, char **cause);
void sl_jtext_free(struct sl_jtext *jt);

/* Member of an object by key (JSON-unescaped compare); NULL if none. */
const struct sl_jnode *sl_jnode_member(const struct sl_jtext *jt, const struct sl_jnode *obj,
				       const char *key);

/* 1-based line and column of a byte offset, as editors count them. */
void sl_jtext_position(const struct sl_jtext *jt, size_t off, size_t *line, size_t *col);

/* A pending change: replace text[off, off+del) with ins. */
struct sl_jedit {
	size_t off, del;
	char *ins;
};

struct sl_jedits {
	struct sl_jedit *v;
	size_t n;
};

/*
 * Append values (already JSON-encoded, e.g. "\"read\"") to an array, in the
 * array's own style: after its last element with the separator it already
 * uses, one per line or on one line as the array does.
 */
void sl_jedit_append(struct sl_jedits *e, const struct sl_jtext *jt, const struct sl_jnode *arr,
		     const char *const *values, size_t n);

/* Append a member "key": value (value already JSON, may span lines, will
 * be re-indented) to an object, in the object's style. */
void sl_jedit_add_member(struct sl_jedits *e, const struct sl_jtext *jt,
			 const struct sl_jnode *obj, const char *key, const char *value);

/* Replace a value (e.g. a null) with new JSON text. */
void sl_jedit_replace(struct sl_jedits *e, const struct sl_jnode *n, const char *value);

/* Remove the elements of an array (or the members of an object) flagged
 * in drop[0..nkids), with their separators; the others keep their bytes. */
void sl_jedit_remove(struct sl_jedits *e, const struct sl_jtext *jt, const struct sl_jnode *c,
		     const bool *drop);

/* s (malloc'd, taken) with its line ends made the text's own: \r\n in a
 * CRLF text.  Returns a malloc'd string. */
char *sl_jtext_eol(const struct sl_jtext *jt, char *s);

/* The indentation of the line a value starts on, and one nesting step
 * inside obj as the text uses it (for rendering new values). */
char *sl_jtext_indent_of(const struct sl_jtext *jt, size_t off);
char *sl_jtext_indent_unit(const struct sl_jtext *jt, const struct sl_jnode *container);

/*
 * Render a jansson value for insertion: one line when unit is NULL, else
 * one element per line, nested lines indented base + unit * depth (so a
 * profile indented with tabs gets tabs).  Returns a malloc'd string.
 */
struct json_t;
char *sl_jtext_render(const struct json_t *v, const char *base, const char *unit);

/*
 * Apply the edits (any order) to a copy of the text.  Returns NULL when
 * two edits overlap or one lies outside the text.
 */
char *sl_jedits_apply(const struct sl_jedits *e, const char *text, size_t len, size_t *outlen);
/* The edits in the order they apply (malloc'd array of e->n; the ins
 * strings still belong to e). */
struct sl_jedit *sl_jedits_sorted(const struct sl_jedits *e);
void sl_jedits_free(struct sl_jedits *e);

#endif
