/*
 * twin.c - the complain twin of a profile and the way back (twin.h).
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "error.h"
#include "twin.h"

static const json_t *record(const struct sl_profile *p)
{
	const json_t *r = p ? json_object_get(p->root, SL_TWIN_KEY) : NULL;

	return json_is_object(r) ? r : NULL;
}

bool sl_twin_is_complain(const struct sl_profile *p)
{
	return sl_twin_recorded_default(p) != NULL;
}

const char *sl_twin_recorded_default(const struct sl_profile *p)
{
	return json_string_value(json_object_get(json_object_get(record(p), "enforce"),
						 "defaultAction"));
}

int sl_twin_complain(const struct sl_profile *p, const struct sl_twin_opts *o, char **out,
		     size_t *outlen, char **cause)
{
	(void)p, (void)o, (void)out, (void)outlen;
	return sl_fail(cause, -ENOSYS, "not yet");
}

int sl_twin_enforce(const struct sl_profile *p, const char *default_action, char **out,
		    size_t *outlen, char **cause)
{
	(void)p, (void)default_action, (void)out, (void)outlen;
	return sl_fail(cause, -ENOSYS, "not yet");
}
