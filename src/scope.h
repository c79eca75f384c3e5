/*
 * scope.h - where a rule applies: Docker's includes/excludes (caps,
 * arches, minKernel), decided as Docker decides them, for this host and
 * a process with given capabilities.
 */
#ifndef SL_SCOPE_H
#define SL_SCOPE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct sl_scope {
	const char *goarch;	/* Go's name of the native arch: "amd64" */
	uint64_t caps;		/* 1 << CAP_*: the effective set */
	unsigned int kernel[2];	/* major, minor */
};

/* This host, and this process's effective capabilities. */
void sl_scope_self(struct sl_scope *s);

/*
 * Does the rule apply?  Like Docker: excludes.arches holding the arch,
 * any of excludes.caps held or excludes.minKernel reached leave it out;
 * includes.arches not holding the arch, any of includes.caps missing or
 * includes.minKernel not reached too.  A cap name seclog does not know is
 * never held.
 */
bool sl_scope_applies(const json_t *rule, const struct sl_scope *s);

/* The number of a capability named as Docker names it ("CAP_SYS_ADMIN"),
 * or -1 when seclog does not know it. */
int sl_scope_cap(const char *name);

#endif
