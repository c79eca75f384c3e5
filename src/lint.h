/*
 * lint.h - known problems of a profile (seclog lint), from its meaning
 * (policy.h): typos, duplicates, contradictions, a default that enforces
 * nothing, allows that widen the kernel's reach, arches left out.
 */
#ifndef SL_LINT_H
#define SL_LINT_H

#include <stddef.h>

#include "profile.h"

enum sl_level { SL_LEVEL_NOTE, SL_LEVEL_WARNING, SL_LEVEL_ERROR };

struct sl_finding {
	enum sl_level level;
	const char *kind;	/* "unknown-name", "duplicate", ... (seclog-lint(1)) */
	char *name;		/* the syscall, or NULL for the whole profile */
	char *message;		/* one line: what and why */
	size_t line, col;	/* where in the file (0 when the profile as a whole) */
};

struct sl_lint {
	struct sl_finding *f;	/* by position in the file */
	size_t n;
	size_t count[3];	/* per level */
};

/* Lint a loaded profile for the arches a runtime on this host loads. */
void sl_lint(const struct sl_profile *p, struct sl_lint *out);
void sl_lint_free(struct sl_lint *l);
const char *sl_level_name(enum sl_level level);

/* The known syscall nearest to name (edit distance), or NULL: malloc'd. */
char *sl_lint_suggest(const char *name, const struct sl_arch *const *arches, size_t narches);

#endif
