/*
 * template.h - profiles to start the loop from (seclog init): each is a
 * complain twin (twin.h), ready for the first pass.
 */
#ifndef SL_TEMPLATE_H
#define SL_TEMPLATE_H

#include <stddef.h>

struct sl_template {
	const char *name;	/* "empty", "glibc-base" */
	const char *summary;	/* one line for --list */
};

/* The templates, ending with a NULL name. */
extern const struct sl_template sl_templates[];

/*
 * The template's text for this host's arch (malloc'd, checked by parsing
 * it).  Returns 0, -ENOENT for an unknown name, -EOPNOTSUPP when the
 * template was not derived for this arch, or -errno; *cause says why.
 */
int sl_template_text(const char *name, char **text, char **cause);

#endif
