/* cmd-export.c - seclog export: a profile for Kubernetes (SPO) or an OCI config.json */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "error.h"
#include "export.h"
#include "profile.h"
#include "scope.h"
#include "twin.h"

static int cmd_export(int argc, char **argv);

const struct sl_cmd sl_cmd_export = {
	.name = "export",
	.summary = "Write a profile as an SPO SeccompProfile or an OCI linux.seccomp",
	.usage = "[--format spo|oci|docker] [--name NAME] [--namespace NS] [-o FILE | --bundle DIR] "
		 "PROFILE",
	.help =
		"The profile itself (the loop's file) is not changed.  Docker's own keys\n"
		"(archMap, includes, excludes, comment) are resolved for one target, as\n"
		"Docker resolves them when it starts a container there.\n"
		"Options:\n"
		"  -F, --format FORMAT  spo (the default): a SeccompProfile of the Security\n"
		"                       Profiles Operator (YAML, v1beta1); oci: the\n"
		"                       linux.seccomp object of a config.json (JSON);\n"
		"                       docker: the profile as Docker loads it (JSON)\n"
		"  -n, --name NAME      spo: metadata.name (default: the file's name less .json)\n"
		"      --namespace NS   spo: metadata.namespace (SPO before 0.9 only: since,\n"
		"                       SeccompProfile is cluster-wide)\n"
		"  -a, --arch ARCH      the target's arch (x86_64, aarch64, ... or\n"
		"                       SCMP_ARCH_*): archMap's entry and includes.arches\n"
		"                       (default: this host's)\n"
		"      --cap-add CAP    the container has CAP too (includes/excludes.caps;\n"
		"                       default: the runtimes' default set); ALL: every one\n"
		"      --cap-drop CAP   the container lacks CAP; ALL: every one\n"
		"      --complain       a complain twin: export it as it is (it logs, it does\n"
		"                       not enforce), without seclog's record\n"
		"      --enforcing      a complain twin: export its enforcing profile\n"
		"  -o, --output FILE    write there, atomically (default: standard output)\n"
		"  -b, --bundle DIR     oci: set linux.seccomp in DIR/config.json, in place and\n"
		"                       atomically; every other byte stays\n"
		"  -q, --quiet          no message on success\n"
		"  -h, --help           show this help\n"
		"\n"
		"Exit status: 0 success, 1 failure (a twin without --complain or\n"
		"--enforcing, something the format cannot hold), 2 usage error.\n",
	.exec = cmd_export,
};

enum { OPT_NS = 256, OPT_CAP_ADD, OPT_CAP_DROP, OPT_COMPLAIN, OPT_ENFORCING };

static const struct option longopts[] = {
	{ "format", required_argument, NULL, 'F' },
	{ "name", required_argument, NULL, 'n' },
	{ "namespace", required_argument, NULL, OPT_NS },
	{ "arch", required_argument, NULL, 'a' },
	{ "cap-add", required_argument, NULL, OPT_CAP_ADD },
	{ "cap-drop", required_argument, NULL, OPT_CAP_DROP },
	{ "complain", no_argument, NULL, OPT_COMPLAIN },
	{ "enforcing", no_argument, NULL, OPT_ENFORCING },
	{ "output", required_argument, NULL, 'o' },
	{ "bundle", required_argument, NULL, 'b' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* "CAP_NET_ADMIN" or "net_admin" (as Kubernetes writes them) -> its bit */
static int cap_bits(const char *arg, uint64_t *bits)
{
	char name[64];
	size_t i;
	int n;

	if (!strcasecmp(arg, "ALL")) {
		*bits = ~0ULL;
		return 0;
	}
	snprintf(name, sizeof(name), "%s%s", strncasecmp(arg, "CAP_", 4) ? "CAP_" : "", arg);
	for (i = 0; name[i]; i++)
		name[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i]);
	n = sl_scope_cap(name);
	if (n < 0)
		return -EINVAL;
	*bits = 1ULL << n;
	return 0;
}

static int write_out(const char *out, const char *text, bool quiet, const char *what)
{
	char *cause = NULL;

	if (!out || !strcmp(out, "-")) {
		fputs(text, stdout);
		return fflush(stdout) ? SL_EXIT_FAIL : SL_EXIT_OK;
	}
	if (sl_write_atomic(out, text, strlen(text), false, &cause)) {
		sl_err("%s: %s", out, cause);
		free(cause);
		return SL_EXIT_FAIL;
	}
	if (!quiet)
		fprintf(stderr, "seclog: %s: %s written\n", out, what);
	return SL_EXIT_OK;
}

/* DIR/config.json with its linux.seccomp set to block */
static int into_bundle(const char *dir, const char *block, bool quiet)
{
	char *path = sl_xasprintf("%s/config.json", dir), *text = NULL, *out = NULL;
	char *cause = NULL;
	size_t len = 0, outlen;
	int rc = sl_read_raw(path, &text, &len), status = SL_EXIT_FAIL;

	if (rc || !text) {
		sl_err("%s: %s", path, rc ? strerror(-rc) : "No such file (runc spec makes one)");
		goto out;
	}
	if (sl_export_config(text, len, block, &out, &outlen, &cause) ||
	    sl_write_atomic(path, out, outlen, false, &cause)) {
		sl_err("%s: %s", path, cause);
		goto out;
	}
	if (!quiet)
		fprintf(stderr, "seclog: %s: linux.seccomp written\n", path);
	status = SL_EXIT_OK;
out:
	free(path);
	free(text);
	free(out);
	free(cause);
	return status;
}

static int cmd_export(int argc, char **argv)
{
	const struct sl_cmd *cmd = &sl_cmd_export;
	const char *format = NULL, *out = NULL, *bundle = NULL, *path, *def;
	bool quiet = false, complain = false, enforcing = false, docker = false;
	uint64_t add = 0, drop = 0, bits;
	struct sl_export_opts o = { 0 };
	struct sl_profile p = { 0 }, e = { 0 };
	const struct sl_profile *src = &p;
	char *cause = NULL, *text = NULL, *name = NULL;
	size_t len;
	struct sl_scope self;
	int c, rc = SL_EXIT_FAIL;

	o.arch = sl_arch_native();
	optind = 1;
	while ((c = getopt_long(argc, argv, ":F:n:a:o:b:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'F':
			format = optarg;
			break;
		case 'n':
			o.name = optarg;
			break;
		case OPT_NS:
			o.ns = optarg;
			break;
		case 'a':
			o.arch = sl_arch_by_name(optarg);
			if (!o.arch)
				o.arch = sl_arch_by_docker(optarg);
			if (!o.arch)
				return sl_usage_error(cmd, "--arch %s: libseccomp knows no such "
						      "arch (x86_64, aarch64, SCMP_ARCH_X86_64, ...)",
						      optarg);
			break;
		case OPT_CAP_ADD:
		case OPT_CAP_DROP:
			if (cap_bits(optarg, &bits))
				return sl_usage_error(cmd, "%s %s: no such capability",
						      c == OPT_CAP_ADD ? "--cap-add" : "--cap-drop",
						      optarg);
			*(c == OPT_CAP_ADD ? &add : &drop) |= bits;
			break;
		case OPT_COMPLAIN:
			complain = true;
			break;
		case OPT_ENFORCING:
			enforcing = true;
			break;
		case 'o':
			out = optarg;
			break;
		case 'b':
			bundle = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			return sl_cmd_help(cmd);
		default:
			return sl_opt_error(cmd, longopts, c, argv);
		}
	}
	if (!(path = sl_one_operand(cmd, argc, argv, "profile")))
		return SL_EXIT_USAGE;
	if (bundle && out)
		return sl_usage_error(cmd, "-o and --bundle exclude each other");
	if (bundle && format && strcmp(format, "oci"))
		return sl_usage_error(cmd, "--bundle writes the oci format, not %s", format);
	if (!format)
		format = bundle ? "oci" : "spo";
	if (!strcmp(format, "spo"))
		o.format = SL_EXPORT_SPO;
	else if (!strcmp(format, "oci"))
		o.format = SL_EXPORT_OCI;
	else if (!strcmp(format, "docker"))
		docker = true;
	else
		return sl_usage_error(cmd, "--format %s: spo, oci or docker", format);
	if (complain && enforcing)
		return sl_usage_error(cmd, "--complain and --enforcing exclude each other");
	if (out && strcmp(out, "-") && !strcmp(out, path))
		return sl_usage_error(cmd, "-o %s is the profile itself: export writes another "
				      "file", out);
	/* Docker's rule: the default set, less what is dropped, plus what is
	 * added (an add wins, as in Docker and Kubernetes) */
	o.caps = (sl_export_default_caps() & ~drop) | add;
	sl_scope_self(&self);
	o.kernel[0] = self.kernel[0];
	o.kernel[1] = self.kernel[1];
	if (o.name && !sl_k8s_name_ok(o.name, false))
		return sl_usage_error(cmd, "--name %s: no Kubernetes object name (lower case "
				      "letters, digits, - and ., at most 253)", o.name);
	if (o.ns && !sl_k8s_name_ok(o.ns, true))
		return sl_usage_error(cmd, "--namespace %s: no Kubernetes namespace name (lower "
				      "case letters, digits and -, at most 63)", o.ns);
	if (!docker && o.format == SL_EXPORT_SPO && !o.name) {
		o.name = name = sl_export_name_from_path(path);
		if (!name)
			return sl_usage_error(cmd, "%s: its name is no Kubernetes object name "
					      "(lower case letters, digits, - and .): give --name",
					      path);
	}

	if (sl_profile_load(&p, path, &cause)) {
		sl_err("%s", cause);
		goto out;
	}
	if (sl_twin_is_complain(&p)) {
		if (!complain && !enforcing) {
			sl_err("%s: a complain twin (it logs, it does not enforce): --enforcing "
			       "exports its enforcing profile, --complain the twin as it is", path);
			goto out;
		}
		if (enforcing) {
			if (sl_twin_enforce(&p, NULL, &text, &len, NULL, &cause) ||
			    sl_profile_parse(&e, path, text, len, &cause)) {
				sl_err("%s: %s", path, cause);
				goto out;
			}
			src = &e;
		}
	}
	def = json_string_value(json_object_get(src->root, "defaultAction"));
	if (!quiet && def && !sl_action_denies(def) && !(sl_twin_is_complain(src) && complain))
		sl_warn("%s: defaultAction %s: the profile enforces nothing", path, def);
	if (docker) {
		/* Docker reads archMap and includes itself, and ignores the
		 * twin's record: the file (or its enforcing form) as it is */
		rc = write_out(out, src == &e ? text : p.text, quiet, "Docker profile");
		goto out;
	}
	free(text);
	text = NULL;
	if (sl_export(src, &o, &text, &cause)) {
		sl_err("%s: %s", path, cause);
		goto out;
	}
	if (bundle)
		rc = into_bundle(bundle, text, quiet);
	else
		rc = write_out(out, text, quiet, o.format == SL_EXPORT_SPO ? "SeccompProfile" :
			       "linux.seccomp");
out:
	free(cause);
	free(text);
	free(name);
	sl_profile_free(&p);
	sl_profile_free(&e);
	return rc;
}
