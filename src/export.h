/*
 * export.h - a Docker profile in the forms other tools load: the
 * linux.seccomp object of an OCI config.json, and a Security Profiles
 * Operator SeccompProfile object (YAML) for Kubernetes.
 *
 * Docker's own keys (archMap, includes, excludes, comment, name) have no
 * place there: they are resolved for one target, as Docker resolves them
 * when it starts a container on that target.
 */
#ifndef SL_EXPORT_H
#define SL_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "profile.h"
#include "syscall.h"

enum sl_export_format {
	SL_EXPORT_OCI,		/* JSON: config.json's linux.seccomp */
	SL_EXPORT_SPO,		/* YAML: SeccompProfile, v1beta1 */
};

/* The SPO API version written (served by SPO 0.4 to 1.x). */
#define SL_SPO_API_VERSION "security-profiles-operator.x-k8s.io/v1beta1"

struct sl_export_opts {
	enum sl_export_format format;
	const struct sl_arch *arch;	/* the target's arch (archMap, includes.arches) */
	uint64_t caps;		/* the container's capabilities: 1 << CAP_* */
	unsigned int kernel[2];	/* the target's kernel (minKernel) */
	const char *name;	/* SPO: metadata.name */
	const char *ns;		/* SPO: metadata.namespace, or NULL */
};

/* The capabilities a container gets when none are added or dropped
 * (Docker's and containerd's default set). */
uint64_t sl_export_default_caps(void);

/*
 * p in the form o->format asks for, for o's target: archMap gives the
 * target's entry, rules whose includes/excludes leave the target out go,
 * "name" becomes "names", rules that name nothing go, comments and
 * seclog's twin record go.  What the format cannot hold (an arch, action
 * or flag SPO does not know, a defaultErrnoRet other than 1 for SPO,
 * negative argument values) is refused with -EINVAL and *cause naming it.
 * Returns 0 with *out (malloc'd, ending in a newline) or -errno.
 */
int sl_export(const struct sl_profile *p, const struct sl_export_opts *o, char **out,
	      char **cause);

/*
 * The OCI config.json text[0, len) with its linux.seccomp set to block (the
 * JSON text sl_export made for SL_EXPORT_OCI): replaced where there is
 * one, else added (with "linux" when missing), in the file's own
 * indentation; every other byte stays.  Returns 0 with *out (malloc'd)
 * and *outlen, or -errno with *cause set.
 */
int sl_export_config(const char *text, size_t len, const char *block, char **out,
		     size_t *outlen, char **cause);

/* Is s a valid Kubernetes object name (a DNS-1123 subdomain)?  label:
 * a DNS-1123 label (a namespace). */
bool sl_k8s_name_ok(const char *s, bool label);

/* "app.json" -> "app"; NULL when the base name is no valid object name.
 * Returns a malloc'd string. */
char *sl_export_name_from_path(const char *path);

/* Go's name of arch (includes.arches compares with it), or "". */
const char *sl_export_goarch(const struct sl_arch *arch);

#endif
