/*
 * helper-crd.c - check a JSON document against a CRD's openAPIV3Schema
 * (JSON) as the Kubernetes API server does for a custom resource: types,
 * enum, pattern, required, minimum/maximum, int32/int64 formats,
 * minItems/maxItems, list-type set (no duplicates), and unknown fields,
 * which a structural schema prunes (kubectl's strict field validation
 * rejects them).  metadata is checked as ObjectMeta's name and namespace.
 * A schema keyword this checker does not know fails the check, so that a
 * newer CRD cannot pass on what it ignored.
 *
 *   helper-crd SCHEMA.json DOC.json   exit 0 valid, 1 invalid (why on stderr)
 */
#include <jansson.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int errors;

static void __attribute__((format(printf, 2, 3))) bad(const char *path, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "helper-crd: %s: ", path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	errors++;
}

static bool type_is(const json_t *v, const char *t)
{
	if (!strcmp(t, "object"))
		return json_is_object(v);
	if (!strcmp(t, "array"))
		return json_is_array(v);
	if (!strcmp(t, "string"))
		return json_is_string(v);
	if (!strcmp(t, "integer"))
		return json_is_integer(v);
	if (!strcmp(t, "number"))
		return json_is_number(v);
	if (!strcmp(t, "boolean"))
		return json_is_boolean(v);
	return false;
}

/* The CRD's patterns are Go (RE2) syntax: inside a bracket, \- and \.
 * are a literal - and .; POSIX ERE wants - last and no backslash. */
static char *posix_pattern(const char *re)
{
	char *out = malloc(strlen(re) * 2 + 2), *o = out;
	bool in = false, dash = false;

	for (; *re; re++) {
		if (!in && *re == '[') {
			in = true;
			dash = false;
			*o++ = *re;
		} else if (in && *re == '\\' && re[1]) {
			re++;
			if (*re == '-')
				dash = true;
			else
				*o++ = *re;
		} else if (in && *re == ']') {
			if (dash)
				*o++ = '-';
			*o++ = ']';
			in = false;
		} else {
			*o++ = *re;
		}
	}
	*o = '\0';
	return out;
}

static bool k8s_name(const char *s, bool label)
{
	regex_t re;
	bool ok;

	regcomp(&re, label ? "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" :
		"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
		REG_EXTENDED | REG_NOSUB);
	ok = !regexec(&re, s, 0, NULL, 0) && strlen(s) <= (label ? 63 : 253);
	regfree(&re);
	return ok;
}

static void check(const json_t *schema, const json_t *v, const char *path);

static void check_meta(const json_t *v, const char *path)
{
	const char *k;
	const json_t *m;

	if (!json_is_object(v)) {
		bad(path, "%s", "metadata is not an object");
		return;
	}
	json_object_foreach((json_t *)v, k, m) {
		if (!strcmp(k, "name") || !strcmp(k, "namespace")) {
			if (!json_is_string(m) || !k8s_name(json_string_value(m), !strcmp(k, "namespace")))
				bad(path, "metadata.%s is no valid name", k);
		} else if (strcmp(k, "labels") && strcmp(k, "annotations")) {
			bad(path, "metadata.%s: not checked here", k);
		}
	}
	if (!json_object_get(v, "name"))
		bad(path, "%s", "metadata.name is required");
}

static void check(const json_t *schema, const json_t *v, const char *path)
{
	static const char *const known[] = {
		"description", "type", "properties", "required", "items", "enum", "pattern",
		"minimum", "maximum", "minItems", "maxItems", "format", "default",
		"x-kubernetes-list-type", NULL,
	};
	const char *key, *t = json_string_value(json_object_get(schema, "type"));
	const json_t *s, *e;
	char sub[1024];
	size_t i, j;

	json_object_foreach((json_t *)schema, key, s) {
		const char *const *k;

		for (k = known; *k && strcmp(*k, key); k++)
			;
		if (!*k)
			bad(path, "schema keyword %s: this checker does not know it", key);
	}
	if (t && !type_is(v, t)) {
		bad(path, "not of type %s", t);
		return;
	}
	if ((s = json_object_get(schema, "enum"))) {
		bool found = false;

		json_array_foreach(s, i, e)
			found |= json_equal((json_t *)e, (json_t *)v);
		if (!found)
			bad(path, "%s is not in the enum", json_is_string(v) ? json_string_value(v) : "value");
	}
	if ((s = json_object_get(schema, "pattern")) && json_is_string(v)) {
		char *p = posix_pattern(json_string_value(s));
		regex_t re;

		if (regcomp(&re, p, REG_EXTENDED | REG_NOSUB)) {
			bad(path, "pattern %s does not compile", p);
		} else {
			if (regexec(&re, json_string_value(v), 0, NULL, 0))
				bad(path, "does not match %s", json_string_value(s));
			regfree(&re);
		}
		free(p);
	}
	if (json_is_integer(v)) {
		long long n = json_integer_value(v);
		const char *f = json_string_value(json_object_get(schema, "format"));

		if ((s = json_object_get(schema, "minimum")) && n < json_integer_value(s))
			bad(path, "%s", "below the minimum");
		if ((s = json_object_get(schema, "maximum")) && n > json_integer_value(s))
			bad(path, "%s", "above the maximum");
		if (f && !strcmp(f, "int32") && (n < INT32_MIN || n > INT32_MAX))
			bad(path, "%s", "not an int32");
	}
	if (json_is_array(v)) {
		const char *lt = json_string_value(json_object_get(schema, "x-kubernetes-list-type"));

		if ((s = json_object_get(schema, "minItems")) &&
		    json_array_size(v) < (size_t)json_integer_value(s))
			bad(path, "%s", "fewer items than minItems");
		if ((s = json_object_get(schema, "maxItems")) &&
		    json_array_size(v) > (size_t)json_integer_value(s))
			bad(path, "%s", "more items than maxItems");
		json_array_foreach(v, i, e) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			if ((s = json_object_get(schema, "items")))
				check(s, e, sub);
			for (j = 0; lt && !strcmp(lt, "set") && j < i; j++)
				if (json_equal(json_array_get(v, j), (json_t *)e))
					bad(sub, "%s", "duplicate in a list-type set");
		}
	}
	if (json_is_object(v)) {
		const json_t *props = json_object_get(schema, "properties");

		json_array_foreach(json_object_get(schema, "required"), i, e)
			if (!json_object_get(v, json_string_value(e)))
				bad(path, "%s is required", json_string_value(e));
		json_object_foreach((json_t *)v, key, e) {
			snprintf(sub, sizeof(sub), "%s.%s", path, key);
			if (!strcmp(path, "") && !strcmp(key, "metadata")) {
				check_meta(e, sub);
				continue;
			}
			if (!props) {
				bad(sub, "%s", "no properties listed: pruned");
				continue;
			}
			if (!(s = json_object_get(props, key))) {
				bad(sub, "%s", "unknown field (pruned, or refused by strict validation)");
				continue;
			}
			check(s, e, sub);
		}
	}
}

int main(int argc, char **argv)
{
	json_error_t err;
	json_t *schema, *doc;

	if (argc != 3) {
		fprintf(stderr, "usage: helper-crd SCHEMA.json DOC.json\n");
		return 2;
	}
	schema = json_load_file(argv[1], 0, &err);
	doc = json_load_file(argv[2], 0, &err);
	if (!schema || !doc) {
		fprintf(stderr, "helper-crd: %s:%d: %s\n", err.source, err.line, err.text);
		return 2;
	}
	check(schema, doc, "");
	json_decref(schema);
	json_decref(doc);
	return errors ? 1 : 0;
}
