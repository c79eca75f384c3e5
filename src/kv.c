/* kv.c - key=value tokenizer for audit records */
#include "config.h"

#include <string.h>

#include "kv.h"

#define ENRICHED_SEP '\x1d'

bool sl_kv_next(const char **p, const char *end, struct sl_kv *kv)
{
	const char *s = *p, *eq, *v;

	for (;;) {
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (s >= end || *s == ENRICHED_SEP) {
			*p = s;
			return false;
		}
		kv->key = s;
		while (s < end && *s != '=' && *s != ' ' && *s != ENRICHED_SEP)
			s++;
		if (s < end && *s == '=')
			break;
		/* a bare word (no '='): not a field, skip it */
	}
	eq = s;
	kv->klen = (size_t)(eq - kv->key);
	v = eq + 1;
	if (v < end && *v == '"') {
		const char *q = memchr(v + 1, '"', (size_t)(end - v - 1));

		if (q) {
			kv->val = v + 1;
			kv->vlen = (size_t)(q - v - 1);
			kv->quoted = true;
			*p = q + 1;
			return true;
		}
		/* unterminated quote: take the rest of the token as is */
	}
	s = v;
	while (s < end && *s != ' ' && *s != ENRICHED_SEP)
		s++;
	kv->val = v;
	kv->vlen = (size_t)(s - v);
	kv->quoted = false;
	*p = s;
	return true;
}

/* digit value + 1, 0 for a non-digit (which then wraps to a huge value):
 * every field of every record is a number, so these loops are hot */
static const unsigned char digit1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

int sl_hexval(char c)
{
	unsigned int d = digit1[(unsigned char)c] - 1u;

	return d < 16 ? (int)d : -1;
}

long sl_kv_untrusted(const struct sl_kv *kv, char *out, size_t cap)
{
	unsigned int bad = 0;
	size_t n, i;

	if (!cap)
		return -1;
	if (kv->quoted || (kv->vlen == 6 && !memcmp(kv->val, "(null)", 6)) ||
	    (kv->vlen == 1 && kv->val[0] == '?')) {
		n = kv->vlen < cap - 1 ? kv->vlen : cap - 1;
		memcpy(out, kv->val, n);
		out[n] = '\0';
		return (long)n;
	}
	/* check all of it before writing: a bad value leaves out as it was
	 * (a record's second, broken comm= must not spoil the first) */
	if (kv->vlen % 2)
		return -1;
	for (i = 0; i < kv->vlen; i++)
		bad |= digit1[(unsigned char)kv->val[i]] - 1u >= 16;
	if (bad)
		return -1;
	n = kv->vlen / 2 < cap - 1 ? kv->vlen / 2 : cap - 1;
	for (i = 0; i < n; i++)
		out[i] = (char)((digit1[(unsigned char)kv->val[2 * i]] - 1u) << 4 |
				(digit1[(unsigned char)kv->val[2 * i + 1]] - 1u));
	out[n] = '\0';
	return (long)n;
}

bool sl_kv_u64(const struct sl_kv *kv, int base, uint64_t *out)
{
	const char *s = kv->val, *end = kv->val + kv->vlen;
	unsigned int bad = 0;
	uint64_t v = 0;

	if (base == 16 && kv->vlen > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	/* bounding the digits rules out overflow without a division per digit
	 * (this runs for every field of every record) */
	if (s >= end || end - s > (base == 16 ? 16 : 19))
		return false;
	/* one loop per base: a shift or a constant multiply, and one test at
	 * the end instead of a branch per digit */
	if (base == 16) {
		for (; s < end; s++) {
			unsigned int d = digit1[(unsigned char)*s] - 1u;

			bad |= d >= 16;
			v = v << 4 | (d & 0xf);
		}
	} else {
		for (; s < end; s++) {
			unsigned int d = digit1[(unsigned char)*s] - 1u;

			bad |= d >= 10;
			v = v * 10 + (d & 0xf);
		}
	}
	if (bad)
		return false;
	*out = v;
	return true;
}

bool sl_kv_i64(const struct sl_kv *kv, int64_t *out)
{
	struct sl_kv t = *kv;
	uint64_t v;
	bool neg = t.vlen && t.val[0] == '-';

	if (neg) {
		t.val++;
		t.vlen--;
	}
	if (!sl_kv_u64(&t, 10, &v) || v > (uint64_t)INT64_MAX)
		return false;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return true;
}
