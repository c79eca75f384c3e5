/* kv.h - tokenizer for the key=value fields of an audit record */
#ifndef SL_KV_H
#define SL_KV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct sl_kv {
	const char *key;
	size_t klen;
	const char *val;	/* without the quotes when quoted */
	size_t vlen;
	bool quoted;
};

/*
 * Take the next key=value from [*p, end); advances *p.  Returns true when a
 * field was read, false at the end of the line or at the 0x1d byte that
 * starts auditd's ENRICHED tail (its fields are auditd's interpretation,
 * not the kernel's, and are not read).  A token without '=' is skipped.
 */
bool sl_kv_next(const char **p, const char *end, struct sl_kv *kv);

/* Does the field's key equal a string literal?  (No strlen per field.) */
#define SL_KV_IS(kv, lit) \
	((kv)->klen == sizeof(lit) - 1 && !memcmp((kv)->key, (lit), sizeof(lit) - 1))

/*
 * Decode an "untrusted string" field as the kernel writes it: quoted
 * ("sh"), hex-encoded without quotes when the text holds a space, a quote
 * or a control byte (7368), or "(null)".  Writes at most cap-1 bytes and a
 * NUL to out; returns the decoded length, or -1 when an unquoted value is
 * not valid hex, and out is then left as it was.  The result may hold any
 * byte: escape it before printing.
 */
long sl_kv_untrusted(const struct sl_kv *kv, char *out, size_t cap);

/* Parse the value as an unsigned number, base 10 or 16 (0x allowed); false
 * if it is not one or does not fit. */
bool sl_kv_u64(const struct sl_kv *kv, int base, uint64_t *out);
/* The value of a hexadecimal digit, or -1. */
int sl_hexval(char c);
/* Signed decimal. */
bool sl_kv_i64(const struct sl_kv *kv, int64_t *out);

#endif
