/*
 * journal.c - SECCOMP records in journalctl's structured outputs (-o json,
 * json-seq, json-sse, json-pretty, export, verbose).  Their MESSAGE is a
 * line as the short forms show it; what only they carry is used too:
 * _AUDIT_ID and _SOURCE_REALTIME_TIMESTAMP give an audit-transport record
 * its audit(SEC.MSEC:SERIAL) stamp (so it meets its kernel-transport twin
 * in the dedupe), and _TRANSPORT says who wrote the entry.
 */
#include "config.h"

#include <endian.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "journal.h"
#include "kv.h"

/* Longer than any audit message the kernel sends (MAX_AUDIT_MESSAGE_LENGTH
 * is 8970) once JSON-unescaped. */
#define MSG_MAX 16384

#define LIT(s) (s), (sizeof(s) - 1)

/* The fields of an entry that matter here. */
struct jentry {
	const char *msg;
	size_t msg_len;
	bool msg_cut;		/* longer than MSG_MAX: not read */
	char transport[16];
	bool has_transport;
	uint64_t audit_id;
	bool has_audit_id;
	uint64_t src_rt, rt;	/* µs since the epoch; 0 = absent */
	uint64_t src_mono;	/* µs since boot (kernel transport) */
	bool has_src_mono;
	uint64_t facility;	/* SYSLOG_FACILITY: 0 is the kernel's */
	bool has_facility;
};

static bool is(const char *k, size_t n, const char *lit, size_t ln)
{
	return n == ln && !memcmp(k, lit, n);
}

static bool number(const char *v, size_t n, uint64_t *out)
{
	uint64_t x = 0;
	size_t i;

	if (!n || n > 19)
		return false;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return false;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	*out = x;
	return true;
}

/* Does the key matter?  (JSON values of other keys are not copied.) */
static bool wanted(const char *k, size_t n)
{
	return is(k, n, LIT("MESSAGE")) || is(k, n, LIT("_TRANSPORT")) ||
	       is(k, n, LIT("_AUDIT_ID")) || is(k, n, LIT("_SOURCE_REALTIME_TIMESTAMP")) ||
	       is(k, n, LIT("__REALTIME_TIMESTAMP")) || is(k, n, LIT("_SOURCE_MONOTONIC_TIMESTAMP")) ||
	       is(k, n, LIT("SYSLOG_FACILITY"));
}

/* One field of an entry; v stays valid as long as the entry's text. */
static void take(struct jentry *e, const char *k, size_t kn, const char *v, size_t vn)
{
	if (is(k, kn, LIT("MESSAGE"))) {
		if (!e->msg) {
			e->msg = v;
			e->msg_len = vn;
		}
	} else if (is(k, kn, LIT("_TRANSPORT"))) {
		if (vn < sizeof(e->transport)) {
			memcpy(e->transport, v, vn);
			e->transport[vn] = '\0';
			e->has_transport = true;
		}
	} else if (is(k, kn, LIT("_AUDIT_ID"))) {
		e->has_audit_id = number(v, vn, &e->audit_id) && e->audit_id <= UINT32_MAX;
	} else if (is(k, kn, LIT("_SOURCE_REALTIME_TIMESTAMP"))) {
		if (!number(v, vn, &e->src_rt))
			e->src_rt = 0;
	} else if (is(k, kn, LIT("__REALTIME_TIMESTAMP"))) {
		if (!number(v, vn, &e->rt))
			e->rt = 0;
	} else if (is(k, kn, LIT("_SOURCE_MONOTONIC_TIMESTAMP"))) {
		e->has_src_mono = number(v, vn, &e->src_mono);
	} else if (is(k, kn, LIT("SYSLOG_FACILITY"))) {
		e->has_facility = number(v, vn, &e->facility);
	}
}

/* ---- JSON (one entry per line, or json-pretty's lines) ---- */

static const char *ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/*
 * A JSON string at p (just past its opening quote), unescaped into
 * out[0, cap) when out is not NULL.  Returns the position past the closing
 * quote, or NULL when malformed; *n is its length, *cut set when it did
 * not fit.
 */
static const char *jstring(const char *p, const char *end, char *out, size_t cap, size_t *n,
			   bool *cut)
{
	size_t k = 0;

	while (p < end && *p != '"') {
		unsigned int c = (unsigned char)*p++, u = 0;
		bool esc = c == '\\';
		char b[4];
		size_t nb = 1, i;

		if (esc) {
			if (p >= end)
				return NULL;
			switch (*p++) {
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			case '/': c = '/'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'u':
				if (end - p < 4)
					return NULL;
				for (i = 0; i < 4; i++) {
					int h = sl_hexval(p[i]);

					if (h < 0)
						return NULL;
					u = u << 4 | (unsigned int)h;
				}
				p += 4;
				c = u;
				break;
			default:
				return NULL;
			}
		}
		/* \u escapes above 0x7f as UTF-8 (journalctl escapes only
		 * control bytes; non-UTF-8 values come as byte arrays) */
		if (c < 0x80 || !esc) {
			b[0] = (char)c;	/* raw UTF-8 bytes pass as they are */
		} else if (c < 0x800) {
			b[0] = (char)(0xc0 | c >> 6);
			b[1] = (char)(0x80 | (c & 0x3f));
			nb = 2;
		} else {
			b[0] = (char)(0xe0 | c >> 12);
			b[1] = (char)(0x80 | (c >> 6 & 0x3f));
			b[2] = (char)(0x80 | (c & 0x3f));
			nb = 3;
		}
		for (i = 0; i < nb; i++) {
			if (out && k < cap)
				out[k] = b[i];
			else if (out)
				*cut = true;
			k++;
		}
	}
	if (p >= end)
		return NULL;
	*n = k < cap ? k : cap;
	return p + 1;
}

/* A number, true, false or null: skipped. */
static const char *jscalar(const char *p, const char *end)
{
	const char *s = p;

	while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n' &&
	       *p != '\t' && *p != '\r')
		p++;
	return p > s ? p : NULL;
}

/*
 * A value into out (when not NULL): a string; a byte array (journalctl's
 * form for a value that is not valid text); or an array of values, for a
 * field the entry holds several times, of which the first is taken.
 */
static const char *jvalue(const char *p, const char *end, char *out, size_t cap, size_t *n,
			  bool *cut, bool *got)
{
	size_t k = 0;

	*got = false;
	if (p >= end)
		return NULL;
	if (*p == '"') {
		p = jstring(p + 1, end, out, cap, n, cut);
		*got = p != NULL;
		return p;
	}
	if (*p != '[')
		return jscalar(p, end);
	p = ws(p + 1, end);
	if (p < end && *p == ']')
		return p + 1;
	if (p < end && (*p == '"' || *p == '[')) {
		bool first = true, g;

		for (;;) {
			p = jvalue(p, end, first ? out : NULL, cap, n, cut, &g);
			if (!p)
				return NULL;
			if (first)
				*got = g;
			first = false;
			p = ws(p, end);
			if (p < end && *p == ']')
				return p + 1;
			if (p >= end || *p != ',')
				return NULL;
			p = ws(p + 1, end);
		}
	}
	for (;;) {
		uint64_t b = 0;
		const char *s = p;

		while (p < end && *p >= '0' && *p <= '9' && p - s < 4)
			b = b * 10 + (uint64_t)(*p++ - '0');
		if (p == s || b > 255)
			return NULL;
		if (out && k < cap)
			out[k] = (char)b;
		else if (out)
			*cut = true;
		k++;
		p = ws(p, end);
		if (p < end && *p == ']')
			break;
		if (p >= end || *p != ',')
			return NULL;
		p = ws(p + 1, end);
	}
	*n = k < cap ? k : cap;
	*got = true;
	return p + 1;
}

/* One JSON object: 0, or -1 when it is not one. */
static int parse_json(const char *p, const char *end, struct jentry *e, char *msg)
{
	char key[64], val[64];
	size_t kn, vn;
	bool cut = false, got;

	if (p < end && *p == '\x1e')
		p++;	/* json-seq's record separator */
	else if (end - p > 6 && !memcmp(p, "data: ", 6))
		p += 6;	/* json-sse */
	p = ws(p, end);
	if (p >= end || *p != '{')
		return -1;
	p = ws(p + 1, end);
	if (p < end && *p == '}')
		return 0;
	for (;;) {
		bool kcut = false, is_msg;

		if (p >= end || *p != '"')
			return -1;
		p = jstring(p + 1, end, key, sizeof(key), &kn, &kcut);
		if (!p)
			return -1;
		p = ws(p, end);
		if (p >= end || *p != ':')
			return -1;
		p = ws(p + 1, end);
		if (kcut || !wanted(key, kn)) {
			p = jvalue(p, end, NULL, 0, &vn, &cut, &got);
		} else {
			is_msg = is(key, kn, LIT("MESSAGE"));
			cut = false;
			p = jvalue(p, end, is_msg ? msg : val, is_msg ? MSG_MAX : sizeof(val), &vn,
				   &cut, &got);
			if (p && got && is_msg && cut)
				e->msg_cut = true;
			else if (p && got && !cut)
				take(e, key, kn, is_msg ? msg : val, vn);
		}
		if (!p)
			return -1;
		p = ws(p, end);
		if (p < end && *p == '}')
			return 0;
		if (p >= end || *p != ',')
			return -1;
		p = ws(p + 1, end);
	}
}

/* ---- export: KEY=value lines; KEY\n<le64 size><bytes>\n for binary ---- */

static void parse_export(const char *p, const char *end, struct jentry *e)
{
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *eq;
		uint64_t n;

		if (!nl)
			nl = end;
		if (nl == p)
			break;	/* the blank line after the entry */
		eq = memchr(p, '=', (size_t)(nl - p));
		if (eq) {
			take(e, p, (size_t)(eq - p), eq + 1, (size_t)(nl - eq - 1));
			p = nl + 1;
			continue;
		}
		if (end - nl < 9)
			break;
		memcpy(&n, nl + 1, 8);
		n = le64toh(n);
		if (n > (uint64_t)(end - nl - 9))
			break;
		take(e, p, (size_t)(nl - p), nl + 9, (size_t)n);
		p = nl + 9 + n + 1;
	}
}

/* ---- verbose: "DATE [s=..;t=HEX;..]", then "    KEY=value" lines ---- */

static void parse_verbose(const char *p, const char *end, struct jentry *e)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p)), *t;

	if (!nl)
		nl = end;
	/* the cursor's t= is __REALTIME_TIMESTAMP in hex */
	t = memmem(p, (size_t)(nl - p), LIT(";t="));
	if (t) {
		uint64_t v = 0;
		int h;

		for (t += 3; t < nl && (h = sl_hexval(*t)) >= 0 && v >> 60 == 0; t++)
			v = v << 4 | (uint64_t)h;
		e->rt = v;
	}
	for (p = nl + 1; p < end; p = nl + 1) {
		const char *eq;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (nl - p < 5 || memcmp(p, "    ", 4) || p[4] == ' ')
			continue;
		eq = memchr(p + 4, '=', (size_t)(nl - p - 4));
		if (eq)
			take(e, p + 4, (size_t)(eq - p - 4), eq + 1, (size_t)(nl - eq - 1));
	}
}

/* ---- from the fields to a record ---- */

static enum sl_origin origin_of_transport(const struct jentry *e)
{
	if (!e->has_transport)
		return SL_ORIGIN_UNKNOWN;
	/* only the kernel and kauditd write these two; syslog, stdout,
	 * journal (and anything else) can be anyone's */
	if (!strcmp(e->transport, "audit"))
		return SL_ORIGIN_KERNEL;
	/* a program writing to /dev/kmsg cannot use facility 0, the kernel's */
	if (!strcmp(e->transport, "kernel"))
		return e->has_facility && e->facility ? SL_ORIGIN_TEXT : SL_ORIGIN_KERNEL;
	return SL_ORIGIN_TEXT;
}

static int from_entry(const struct jentry *e, enum sl_format fmt, struct sl_record *rec)
{
	int rc;

	/* a MESSAGE that is itself an entry is someone's text, not a record
	 * (and would be parsed as one again, without end) */
	if (!e->msg || (e->msg_len && (e->msg[0] == '{' || e->msg[0] == '\x1e' ||
				       (e->msg_len > 5 && !memcmp(e->msg, "data:", 5)))))
		return 0;
	rc = sl_record_parse(e->msg, e->msg_len, rec);
	if (rc <= 0)
		return rc;
	rec->format = fmt;
	rec->origin = origin_of_transport(e);
	if (rec->kind == SL_REC_SECCOMP && !rec->has_stamp && e->has_audit_id && e->src_rt) {
		/* journald took these from the audit(SEC.MSEC:SERIAL) it was sent */
		rec->sec = (int64_t)(e->src_rt / 1000000);
		rec->msec = (uint32_t)(e->src_rt / 1000 % 1000);
		rec->serial = (uint32_t)e->audit_id;
		rec->has_stamp = rec->has_time = true;
	}
	if (!rec->has_time && (e->src_rt || e->rt)) {
		rec->sec = (int64_t)((e->src_rt ? e->src_rt : e->rt) / 1000000);
		rec->has_time = true;
	}
	if (rec->uptime < 0 && e->has_src_mono && e->has_transport &&
	    !strcmp(e->transport, "kernel"))
		rec->uptime = (double)e->src_mono / 1e6;
	return rc;
}

static int parse_json_entry(const char *text, size_t len, struct sl_record *rec)
{
	struct jentry e = { 0 };
	char msg[MSG_MAX];

	if (parse_json(text, text + len, &e, msg) < 0 || e.msg_cut)
		return 0;
	return from_entry(&e, SL_FMT_JOURNAL_JSON, rec);
}

int sl_journal_parse(enum sl_jform form, const char *text, size_t len, struct sl_record *rec)
{
	struct jentry e = { 0 };

	switch (form) {
	case SL_J_JSON:
	case SL_J_PRETTY:
		return parse_json_entry(text, len, rec);
	case SL_J_EXPORT:
		parse_export(text, text + len, &e);
		return from_entry(&e, SL_FMT_JOURNAL_EXPORT, rec);
	case SL_J_VERBOSE:
		parse_verbose(text, text + len, &e);
		return from_entry(&e, SL_FMT_JOURNAL_VERBOSE, rec);
	case SL_J_NONE:
		break;
	}
	return 0;
}

/* ---- where entries begin and end ---- */

/* [A-Z_][A-Z0-9_]* followed by stop */
static bool key_then(const char *p, const char *end, char stop)
{
	const char *s = p;

	if (p >= end || !((*p >= 'A' && *p <= 'Z') || *p == '_'))
		return false;
	while (p < end && ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
		p++;
	return p < end && *p == stop && p - s < 64;
}

enum sl_jform sl_journal_line_form(const char *line, size_t len)
{
	const char *end = line + len;

	if (len > 5 && !memcmp(line, "    ", 4) && key_then(line + 4, end, '='))
		return SL_J_VERBOSE;
	if (len > 3 && line[0] == '\t' && line[1] == '"' && key_then(line + 2, end, '"'))
		return SL_J_PRETTY;
	if (key_then(line, end, '='))
		return SL_J_EXPORT;
	return SL_J_NONE;
}

/*
 * Start of the line before the one at p (p > buf, p a line start), or NULL
 * when its start is not in buf (!from_start: buf[0] may be mid-line).  Such
 * a line is never judged by the bytes that happen to be there: which bytes
 * those are depends on where reads split the input.
 */
static const char *prev_line(const char *buf, const char *p, bool from_start)
{
	p--;	/* its '\n' */
	while (p > buf && p[-1] != '\n')
		p--;
	return p == buf && !from_start ? NULL : p;
}

static bool line_is(const char *p, const char *end, const char *s, size_t n)
{
	return end - p >= (ptrdiff_t)n + 1 && !memcmp(p, s, n) && p[n] == '\n';
}

int sl_journal_entry_end(enum sl_jform form, const char *p, const char *bend, bool at_eof,
			 const char **end)
{
	const char *line = p, *nl, *next;
	uint64_t n;

	/* does an entry of that form start at p? */
	nl = memchr(p, '\n', (size_t)(bend - p));
	if (!nl && !at_eof)
		return 0;
	if (!nl)
		nl = bend;
	switch (form) {
	case SL_J_EXPORT:
		if (!key_then(p, nl + 1, '=') && !key_then(p, nl + 1, '\n'))
			return -1;
		break;
	case SL_J_VERBOSE:
		if (*p == ' ')
			return -1;
		if (nl + 1 >= bend)
			return at_eof ? -1 : 0;
		/* its second line is a field: judged whole, not as far as read */
		next = memchr(nl + 1, '\n', (size_t)(bend - nl - 1));
		if (!next && !at_eof)
			return 0;
		if (sl_journal_line_form(nl + 1, (size_t)((next ? next : bend) - nl - 1)) !=
		    SL_J_VERBOSE)
			return -1;
		break;
	case SL_J_PRETTY:
		if (!line_is(p, bend, LIT("{")))
			return -1;
		break;
	default:
		return -1;
	}
	switch (form) {
	case SL_J_EXPORT:
		/*
		 * Field by field: a binary value may hold blank lines.  A line
		 * is told by its first bytes (KEY= or KEY and a newline), not
		 * by its end: the line may be longer than is ever held, and the
		 * entry must end in the same place however much of it is read.
		 */
		while (p < bend) {
			const char *k = p;

			if (*p == '\n') {
				*end = p + 1;
				return 1;
			}
			while (k < bend && k - p < 64 &&
			       ((*k >= 'A' && *k <= 'Z') || *k == '_' ||
				(k > p && *k >= '0' && *k <= '9')))
				k++;
			if (k == bend && !at_eof)
				break;	/* its key is not all read yet */
			if (k == p || k == bend || k - p >= 64 || (*k != '=' && *k != '\n')) {
				/* not a field: the entry ended without its blank line */
				*end = p;
				return 1;
			}
			if (*k == '=') {
				nl = memchr(k, '\n', (size_t)(bend - k));
				if (!nl)
					break;
				p = nl + 1;
				continue;
			}
			nl = k;
			if (bend - nl < 9)
				break;
			memcpy(&n, nl + 1, 8);
			n = le64toh(n);
			if (n >= (uint64_t)(bend - nl - 9))
				break;
			p = nl + 9 + n + 1;
		}
		break;
	case SL_J_VERBOSE:
		/* to the next date line */
		for (; (nl = memchr(p, '\n', (size_t)(bend - p))) && nl + 1 < bend; p = nl + 1) {
			if (nl[1] != ' ') {
				*end = nl + 1;
				return 1;
			}
		}
		break;
	case SL_J_PRETTY:
		for (; (nl = memchr(p, '\n', (size_t)(bend - p))); p = nl + 1) {
			if (p > line && line_is(p, bend, LIT("}"))) {
				*end = nl + 1;
				return 1;
			}
		}
		if (at_eof && bend - p == 1 && *p == '}') {
			*end = bend;
			return 1;
		}
		break;
	default:
		return -1;
	}
	if (!at_eof)
		return 0;
	*end = bend;
	return 1;
}

int sl_journal_entry_bounds(enum sl_jform form, const char *buf, size_t len, const char *line,
			    bool from_start, bool at_eof, const char **start, const char **end)
{
	const char *p = line;

	switch (form) {
	case SL_J_EXPORT:
		/* back to the blank line before the entry, or to the line
		 * before it that is not a field (another log's) */
		while (!(p - buf >= 2 && p[-1] == '\n' && p[-2] == '\n')) {
			const char *q;

			if (p == buf) {
				if (!from_start)
					return -1;
				break;
			}
			q = prev_line(buf, p, from_start);
			if (!q)
				return -1;
			if (!key_then(q, p, '=') && !key_then(q, p, '\n'))
				break;
			p = q;
		}
		*start = p;
		return sl_journal_entry_end(form, p, buf + len, at_eof, end);
	case SL_J_VERBOSE:
		/* back to the date line that starts the entry */
		while (*p == ' ') {
			if (p == buf) {
				if (!from_start)
					return -1;
				break;
			}
			p = prev_line(buf, p, from_start);
			if (!p)
				return -1;
		}
		*start = p;
		return sl_journal_entry_end(form, p, buf + len, at_eof, end);
	case SL_J_PRETTY:
		while (!line_is(p, buf + len, LIT("{"))) {
			if (p == buf)
				return -1;
			p = prev_line(buf, p, from_start);
			if (!p)
				return -1;
		}
		*start = p;
		return sl_journal_entry_end(form, p, buf + len, at_eof, end);
	default:
		return -1;
	}
}
