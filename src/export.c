/*
 * export.c - a Docker profile as an OCI linux.seccomp object or an SPO
 * SeccompProfile (export.h).  Both are built as one JSON tree in a fixed
 * key order; SPO's is then written as YAML by a small emitter (a subset:
 * block mappings and sequences, plain scalars only where no YAML reader
 * can take them for anything but a string), so that no YAML library is
 * needed and the output is the same bytes for the same profile.
 */
#include "config.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "json-text.h"
#include "export.h"
#include "scope.h"

/* SPO's enums (its CRD, v1beta1): what the API server accepts. */
static const char *const spo_arches[] = {
	"SCMP_ARCH_NATIVE", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32",
	"SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64",
	"SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
	"SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE",
	"SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
	"SCMP_ARCH_RISCV64", NULL,
};
static const char *const spo_actions[] = {
	"SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
	"SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG",
	"SCMP_ACT_NOTIFY", NULL,
};
static const char *const spo_flags[] = {
	"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
	"SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", NULL,
};
/* SPO only lets the operator's own agent socket be a listener */
#define SPO_LISTENER_DIR "/var/run/security-profiles-operator/"

uint64_t sl_export_default_caps(void)
{
	static const int caps[] = {
		CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER, CAP_MKNOD, CAP_NET_RAW,
		CAP_SETGID, CAP_SETUID, CAP_SETFCAP, CAP_SETPCAP, CAP_NET_BIND_SERVICE,
		CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE,
	};
	uint64_t m = 0;
	size_t i;

	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		m |= 1ULL << caps[i];
	return m;
}

const char *sl_export_goarch(const struct sl_arch *arch)
{
	static const struct {
		const char *seccomp, *go;
	} map[] = {
		{ "x86_64", "amd64" }, { "x86", "386" }, { "aarch64", "arm64" }, { "arm", "arm" },
		{ "ppc64le", "ppc64le" }, { "ppc64", "ppc64" }, { "s390x", "s390x" },
		{ "s390", "s390" }, { "riscv64", "riscv64" }, { "mips", "mips" },
		{ "mipsel", "mipsle" }, { "mips64", "mips64" }, { "mipsel64", "mips64le" },
		{ "loongarch64", "loong64" },
	};
	size_t i;

	for (i = 0; arch && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(arch->name, map[i].seccomp))
			return map[i].go;
	return "";
}

static bool in(const char *const *list, const char *s)
{
	for (; s && *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

static bool lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool sl_k8s_name_ok(const char *s, bool label)
{
	size_t len = strlen(s), i;

	if (!len || len > (label ? 63u : 253u))
		return false;
	for (i = 0; i < len; i++) {
		bool edge = i == 0 || i == len - 1 || (!label && (s[i - 1] == '.' || s[i + 1] == '.'));

		if (lower_alnum(s[i]))
			continue;
		if (edge || (s[i] != '-' && (label || s[i] != '.')))
			return false;
	}
	return true;
}

char *sl_export_name_from_path(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t len = strlen(base);
	char *name;

	if (len > 5 && !strcmp(base + len - 5, ".json"))
		len -= 5;
	name = sl_xasprintf("%.*s", (int)len, base);
	if (!sl_k8s_name_ok(name, false)) {
		free(name);
		return NULL;
	}
	return name;
}

/* SPO's lists are sets (the API server refuses a duplicate); a name
 * listed twice means what it means once */
static void append_once(json_t *arr, const json_t *v)
{
	const json_t *w;
	size_t i;

	json_array_foreach(arr, i, w)
		if (json_equal((json_t *)w, (json_t *)v))
			return;
	json_array_append(arr, (json_t *)v);
}

/* The archMap entry of the target, or NULL. */
static const json_t *map_entry(const struct sl_profile *p, const struct sl_arch *arch)
{
	const json_t *m;
	size_t i;

	json_array_foreach(json_object_get(p->root, "archMap"), i, m) {
		const char *a = json_string_value(json_object_get(m, "architecture"));

		if (a && !strcmp(a, arch->docker))
			return m;
	}
	return NULL;
}

/*
 * "architectures" as Docker hands it to the runtime: the list as written,
 * or from archMap the target's entry and its subArchitectures (nothing
 * when no entry is the target's: the runtime then takes its native arch).
 */
static int arches(const struct sl_profile *p, const struct sl_export_opts *o, json_t *spec,
		  char **cause)
{
	const json_t *list = json_object_get(p->root, "architectures"), *m, *v;
	json_t *out = json_array();
	size_t i;

	if ((m = map_entry(p, o->arch))) {
		json_array_append_new(out, json_string(o->arch->docker));
		list = json_object_get(m, "subArchitectures");
	}
	json_array_foreach(list, i, v) {
		if (!json_is_string(v)) {
			json_decref(out);
			return sl_fail(cause, -EINVAL, "an architecture is not a string");
		}
		append_once(out, v);
	}
	json_array_foreach(out, i, v) {
		if (o->format == SL_EXPORT_SPO && !in(spo_arches, json_string_value(v))) {
			json_decref(out);
			return sl_fail(cause, -EINVAL,
				       "architecture %s: SPO's SeccompProfile does not take it "
				       "(its CRD lists SCMP_ARCH_NATIVE, X86, X86_64, X32, ARM, "
				       "AARCH64, MIPS*, PPC*, S390*, PARISC*, RISCV64)",
				       json_string_value(v));
		}
	}
	if (json_array_size(out))
		json_object_set_new(spec, "architectures", out);
	else
		json_decref(out);
	return 0;
}

/*
 * An integer the format can hold: SPO's are unsigned (minimum 0), and
 * errnoRet and index are int32 there.
 */
static int number(const struct sl_export_opts *o, const json_t *v, const char *what, size_t i,
		  json_t *dst, const char *key, char **cause)
{
	bool int32 = strcmp(key, "value") && strcmp(key, "valueTwo");

	if (!v)
		return 0;
	if (!json_is_integer(v))
		return sl_fail(cause, -EINVAL, "syscalls[%zu]: %s is not an integer", i, what);
	if (o->format == SL_EXPORT_SPO && json_integer_value(v) < 0)
		return sl_fail(cause, -EINVAL,
			       "syscalls[%zu]: %s %lld: SPO takes no negative value (write it "
			       "as the unsigned 64-bit number the kernel compares)", i, what,
			       (long long)json_integer_value(v));
	if (o->format == SL_EXPORT_SPO && int32 && json_integer_value(v) > INT32_MAX)
		return sl_fail(cause, -EINVAL, "syscalls[%zu]: %s %lld: more than SPO's int32",
			       i, what, (long long)json_integer_value(v));
	json_object_set_new(dst, key, json_integer(json_integer_value(v)));
	return 0;
}

static int args(const struct sl_export_opts *o, const json_t *in_args, size_t i, json_t *rule,
		char **cause)
{
	json_t *out = json_array();
	const json_t *a;
	size_t j;
	int rc = 0;

	/* libseccomp compares 6 arguments at most; SPO says so in its CRD */
	if (o->format == SL_EXPORT_SPO && json_array_size(in_args) > 6)
		rc = sl_fail(cause, -EINVAL, "syscalls[%zu]: %zu args, SPO takes 6 at most", i,
			     json_array_size(in_args));
	json_array_foreach(in_args, j, a) {
		json_t *arg = json_object();

		if (rc) {
			json_decref(arg);
			break;
		}

		json_array_append_new(out, arg);
		if (!json_is_integer(json_object_get(a, "index")) ||
		    !json_is_string(json_object_get(a, "op"))) {
			rc = sl_fail(cause, -EINVAL, "syscalls[%zu].args[%zu] needs index and op",
				     i, j);
			break;
		}
		if ((rc = number(o, json_object_get(a, "index"), "args index", i, arg, "index",
				 cause)) ||
		    (rc = number(o, json_object_get(a, "value"), "args value", i, arg, "value",
				 cause)) ||
		    (rc = number(o, json_object_get(a, "valueTwo"), "args valueTwo", i, arg,
				 "valueTwo", cause)))
			break;
		json_object_set(arg, "op", json_object_get(a, "op"));
	}
	if (!rc && json_array_size(out))
		json_object_set(rule, "args", out);
	json_decref(out);
	return rc;
}

static int rules(const struct sl_profile *p, const struct sl_export_opts *o, json_t *spec,
		 char **cause)
{
	struct sl_scope scope = {
		.goarch = sl_export_goarch(o->arch),
		.caps = o->caps,
		.kernel = { o->kernel[0], o->kernel[1] },
	};
	json_t *out = json_array();
	const json_t *r, *v;
	size_t i, j;
	int rc = 0;

	json_array_foreach(json_object_get(p->root, "syscalls"), i, r) {
		const char *act = sl_rule_action(r);
		json_t *rule, *names = json_array();

		if (!sl_scope_applies(r, &scope)) {
			json_decref(names);
			continue;
		}
		if (json_is_string(json_object_get(r, "name")))
			json_array_append(names, json_object_get(r, "name"));
		json_array_foreach(json_object_get(r, "names"), j, v)
			append_once(names, v);
		/* SPO wants one name at least; for a runtime such a rule
		 * matches nothing */
		if (!json_array_size(names)) {
			json_decref(names);
			continue;
		}
		if (!act || (o->format == SL_EXPORT_SPO && !in(spo_actions, act))) {
			json_decref(names);
			rc = sl_fail(cause, -EINVAL, "syscalls[%zu]: action %s: %s", i,
				     act ? act : "missing",
				     act ? "SPO's SeccompProfile does not take it" : "needs one");
			break;
		}
		rule = json_object();
		json_object_set_new(rule, "names", names);
		json_object_set_new(rule, "action", json_string(act));
		json_array_append_new(out, rule);
		if ((rc = number(o, json_object_get(r, "errnoRet"), "errnoRet", i, rule, "errnoRet",
				 cause)) ||
		    (rc = args(o, json_object_get(r, "args"), i, rule, cause)))
			break;
	}
	if (!rc && json_array_size(out))
		json_object_set(spec, "syscalls", out);
	json_decref(out);
	return rc;
}

/* The common spec: the runtime's view of the profile on the target. */
static int build(const struct sl_profile *p, const struct sl_export_opts *o, json_t *spec,
		 char **cause)
{
	const json_t *root = p->root, *def = json_object_get(root, "defaultAction"),
		     *eret = json_object_get(root, "defaultErrnoRet"), *v;
	size_t i;
	int rc;

	if (!json_is_string(def))
		return sl_fail(cause, -EINVAL, "defaultAction is missing");
	if (o->format == SL_EXPORT_SPO && !in(spo_actions, json_string_value(def)))
		return sl_fail(cause, -EINVAL, "defaultAction %s: SPO's SeccompProfile does not "
			       "take it", json_string_value(def));
	json_object_set(spec, "defaultAction", (json_t *)def);
	if (eret && o->format == SL_EXPORT_OCI) {
		if (!json_is_integer(eret))
			return sl_fail(cause, -EINVAL, "defaultErrnoRet is not an integer");
		json_object_set(spec, "defaultErrnoRet", (json_t *)eret);
	} else if (eret && json_integer_value(eret) != 1) {
		/* SPO has no such field; runtimes then return EPERM (1) */
		return sl_fail(cause, -EINVAL,
			       "defaultErrnoRet %lld: SPO's SeccompProfile has no defaultErrnoRet "
			       "(runtimes then use EPERM, 1); make the default EPERM or use "
			       "--format oci", (long long)json_integer_value(eret));
	}
	if ((rc = arches(p, o, spec, cause)))
		return rc;
	v = json_object_get(root, "flags");
	json_array_foreach(v, i, def) {
		if (o->format == SL_EXPORT_SPO && !in(spo_flags, json_string_value(def)))
			return sl_fail(cause, -EINVAL, "flag %s: SPO's SeccompProfile does not "
				       "take it", json_string_value(def) ? json_string_value(def) :
				       "(not a string)");
	}
	if (json_array_size(v)) {
		json_t *flags = json_array();

		json_array_foreach(v, i, def)
			append_once(flags, def);
		json_object_set_new(spec, "flags", flags);
	}
	v = json_object_get(root, "listenerPath");
	if (json_is_string(v) && o->format == SL_EXPORT_SPO) {
		const char *s = json_string_value(v), *t;

		if (strncmp(s, SPO_LISTENER_DIR, strlen(SPO_LISTENER_DIR)) ||
		    !s[strlen(SPO_LISTENER_DIR)])
			return sl_fail(cause, -EINVAL, "listenerPath %s: SPO takes only a socket "
				       "in " SPO_LISTENER_DIR, s);
		for (t = s + strlen(SPO_LISTENER_DIR); *t; t++)
			if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "0123456789_-.", *t))
				return sl_fail(cause, -EINVAL, "listenerPath %s: SPO takes only "
					       "letters, digits, _, - and . in the socket's name",
					       s);
	}
	if (json_is_string(v))
		json_object_set(spec, "listenerPath", (json_t *)v);
	v = json_object_get(root, "listenerMetadata");
	if (json_is_string(v))
		json_object_set(spec, "listenerMetadata", (json_t *)v);
	return rules(p, o, spec, cause);
}

/* A YAML reader takes these plain scalars for something else than a
 * string (YAML 1.1 and 1.2 booleans and nulls). */
static bool special_word(const char *s)
{
	static const char *const words[] = {
		"y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", NULL,
	};
	const char *const *w;

	for (w = words; *w; w++)
		if (!strcasecmp(s, *w))
			return true;
	return false;
}

/*
 * Plain only what is surely a string to every YAML reader: a letter or
 * _ or / first, then letters, digits and _ . / - (no number, no
 * indicator, no ": " or " #", no leading or trailing space).
 */
static bool plain_ok(const char *s)
{
	const char *t;

	if (!*s || special_word(s))
		return false;
	if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_/", *s))
		return false;
	for (t = s; *t; t++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-",
			    *t))
			return false;
	return true;
}

struct buf {
	char *s;
	size_t len, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = sl_xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void indent(struct buf *b, int n)
{
	while (n-- > 0)
		put(b, " ", 1);
}

/*
 * A double-quoted scalar: \ and " escaped, control bytes as \xNN, the
 * characters YAML 1.1 takes for line breaks (NEL, LS, PS: folded into a
 * space when written as they are) and the BOM escaped; other UTF-8 as it
 * is.
 */
static void quoted(struct buf *b, const char *s)
{
	static const struct {
		const char *utf8, *esc;
	} breaks[] = {
		{ "\xc2\x85", "\\N" }, { "\xe2\x80\xa8", "\\L" }, { "\xe2\x80\xa9", "\\P" },
		{ "\xef\xbb\xbf", "\\uFEFF" },
	};
	char esc[8];
	size_t i;

	put(b, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		for (i = 0; i < sizeof(breaks) / sizeof(breaks[0]); i++)
			if (!strncmp(s, breaks[i].utf8, strlen(breaks[i].utf8)))
				break;
		if (i < sizeof(breaks) / sizeof(breaks[0])) {
			puts_(b, breaks[i].esc);
			s += strlen(breaks[i].utf8) - 1;
		} else if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			put(b, esc, 2);
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof(esc), "\\x%02x", c);
			puts_(b, esc);
		} else {
			put(b, (const char *)&c, 1);
		}
	}
	put(b, "\"", 1);
}

static void scalar(struct buf *b, const json_t *v)
{
	char num[32];

	if (json_is_string(v)) {
		if (plain_ok(json_string_value(v)))
			puts_(b, json_string_value(v));
		else
			quoted(b, json_string_value(v));
	} else if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		puts_(b, num);
	} else if (json_is_boolean(v)) {
		puts_(b, json_is_true(v) ? "true" : "false");
	} else {
		puts_(b, "null");
	}
}

static void yaml_value(struct buf *b, const json_t *v, int ind);

/* The members of an object, the first on the current line when first
 * is set (a sequence item's "- "). */
static void yaml_members(struct buf *b, const json_t *obj, int ind, bool first)
{
	const char *k;
	const json_t *v;

	json_object_foreach((json_t *)obj, k, v) {
		if (!first)
			indent(b, ind);
		first = false;
		puts_(b, k);
		put(b, ":", 1);
		yaml_value(b, v, ind + 2);
	}
}

/* After "key:": a scalar on the line, or the collection below it. */
static void yaml_value(struct buf *b, const json_t *v, int ind)
{
	const json_t *e;
	size_t i;

	if (json_is_object(v) && json_object_size(v)) {
		put(b, "\n", 1);
		yaml_members(b, v, ind, false);
	} else if (json_is_array(v) && json_array_size(v)) {
		put(b, "\n", 1);
		/* sequence items at the key's indentation, as kubectl writes */
		json_array_foreach(v, i, e) {
			indent(b, ind - 2);
			puts_(b, "- ");
			if (json_is_object(e) && json_object_size(e)) {
				yaml_members(b, e, ind, true);
			} else {
				scalar(b, e);
				put(b, "\n", 1);
			}
		}
	} else {
		put(b, " ", 1);
		if (json_is_object(v))
			puts_(b, "{}");
		else if (json_is_array(v))
			puts_(b, "[]");
		else
			scalar(b, v);
		put(b, "\n", 1);
	}
}

int sl_export(const struct sl_profile *p, const struct sl_export_opts *o, char **out,
	      char **cause)
{
	json_t *spec = json_object(), *doc, *meta;
	struct buf b = { 0 };
	int rc;

	if (o->format == SL_EXPORT_SPO && (!o->name || !sl_k8s_name_ok(o->name, false))) {
		json_decref(spec);
		return sl_fail(cause, -EINVAL, "%s is no Kubernetes object name (lower case "
			       "letters, digits, - and ., at most 253)", o->name ? o->name : "(none)");
	}
	if (o->format == SL_EXPORT_SPO && o->ns && !sl_k8s_name_ok(o->ns, true)) {
		json_decref(spec);
		return sl_fail(cause, -EINVAL, "%s is no Kubernetes namespace name (lower case "
			       "letters, digits and -, at most 63)", o->ns);
	}
	rc = build(p, o, spec, cause);
	if (rc) {
		json_decref(spec);
		return rc;
	}
	if (o->format == SL_EXPORT_OCI) {
		char *s = json_dumps(spec, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		json_decref(spec);
		*out = sl_xasprintf("%s\n", s);
		free(s);
		return 0;
	}
	meta = json_pack("{s:s}", "name", o->name);
	if (o->ns)
		json_object_set_new(meta, "namespace", json_string(o->ns));
	doc = json_pack("{s:s, s:s, s:o, s:o}", "apiVersion", SL_SPO_API_VERSION, "kind",
			"SeccompProfile", "metadata", meta, "spec", spec);
	yaml_members(&b, doc, 0, false);
	json_decref(doc);
	*out = b.s;
	return 0;
}

/* Render v as a member value inside obj, whose members are indented like
 * the line at off. */
static char *render_in(const struct sl_jtext *jt, const struct sl_jnode *obj, size_t off,
		       const json_t *v)
{
	char *base = sl_jtext_indent_of(jt, off), *unit = sl_jtext_indent_unit(jt, obj), *r;

	r = sl_jtext_render(v, base, unit);
	free(base);
	free(unit);
	return r;
}

int sl_export_config(const char *text, size_t len, const char *block, char **out,
		     size_t *outlen, char **cause)
{
	const struct sl_jnode *lin, *sec;
	struct sl_jedits e = { 0 };
	struct sl_jtext jt = { 0 };
	json_error_t err;
	json_t *root = json_loadb(text, len, 0, &err), *b = json_loads(block, 0, NULL), *check;
	char *r;
	int rc = 0;

	if (!json_is_object(root) || !b) {
		rc = root ? sl_fail(cause, -EINVAL, "not a JSON object") :
			    sl_fail(cause, -EINVAL, "%d:%d: %s", err.line, err.column, err.text);
		goto out;
	}
	if ((rc = sl_jtext_index(&jt, text, len, cause)))
		goto out;
	lin = sl_jnode_member(&jt, &jt.root, "linux");
	if (lin && lin->type != '{') {
		rc = sl_fail(cause, -EINVAL, "\"linux\" is not an object");
		goto out;
	}
	if (lin && (sec = sl_jnode_member(&jt, lin, "seccomp"))) {
		r = render_in(&jt, lin, sec->key_start, b);
		sl_jedit_replace(&e, sec, r);
	} else if (lin) {
		r = render_in(&jt, lin, lin->nkids ? lin->kids[lin->nkids - 1].key_start :
			      lin->start, b);
		sl_jedit_add_member(&e, &jt, lin, "seccomp", r);
	} else {
		json_t *w = json_pack("{s:O}", "seccomp", b);

		r = render_in(&jt, &jt.root, jt.root.nkids ?
			      jt.root.kids[jt.root.nkids - 1].key_start : 0, w);
		json_decref(w);
		sl_jedit_add_member(&e, &jt, &jt.root, "linux", r);
	}
	free(r);
	*out = sl_jedits_apply(&e, text, len, outlen);
	/* the result must say what was meant: everything as it was, and
	 * linux.seccomp the block */
	check = *out ? json_loadb(*out, *outlen, 0, NULL) : NULL;
	if (!json_object_get(root, "linux"))
		json_object_set_new(root, "linux", json_object());
	json_object_set(json_object_get(root, "linux"), "seccomp", b);
	if (!check || !json_equal(check, root)) {
		free(*out);
		*out = NULL;
		rc = sl_fail(cause, -EINVAL, "editing it went wrong (a seclog bug): left as it is");
	}
	json_decref(check);
out:
	sl_jedits_free(&e);
	sl_jtext_free(&jt);
	json_decref(root);
	json_decref(b);
	return rc;
}
