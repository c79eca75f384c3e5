/*
 * ausearch.c - ausearch -i's interpreted SECCOMP records, the form audit
 * users reach for first.  Every value there is a name (arch=x86_64,
 * syscall=getppid, uid=root, code=log) and comm and exe are printed
 * decoded and unquoted, so they may hold spaces.  The fields after exe
 * never do, nor do those before comm: the line is read from both ends.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "ausearch.h"
#include "syscall.h"

#define LIT(s) (s), (sizeof(s) - 1)

struct span {
	const char *p;
	size_t n;
};

static bool is(struct span k, const char *lit, size_t n)
{
	return k.n == n && !memcmp(k.p, lit, n);
}

static bool dec(const char *p, const char *end, uint64_t *out, const char **stop)
{
	const char *s = p;
	uint64_t v = 0;

	while (p < end && *p >= '0' && *p <= '9' && p - s < 19)
		v = v * 10 + (uint64_t)(*p++ - '0');
	*stop = p;
	*out = v;
	return p > s;
}

static bool whole_dec(struct span v, uint64_t *out)
{
	const char *q;

	return dec(v.p, v.p + v.n, out, &q) && q == v.p + v.n;
}

static bool whole_hex(struct span v, uint64_t *out)
{
	const char *p = v.p, *end = v.p + v.n;
	uint64_t x = 0;

	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	if (p == end || end - p > 16)
		return false;
	for (; p < end; p++) {
		int h = *p >= '0' && *p <= '9' ? *p - '0' :
			*p >= 'a' && *p <= 'f' ? *p - 'a' + 10 :
			*p >= 'A' && *p <= 'F' ? *p - 'A' + 10 : -1;

		if (h < 0)
			return false;
		x = x << 4 | (uint64_t)h;
	}
	*out = x;
	return true;
}

/* "unknown-syscall(59)", "unknown-elf-type(c000003e)": what is inside */
static bool inside(struct span v, const char *prefix, size_t n, struct span *in)
{
	if (v.n < n + 2 || memcmp(v.p, prefix, n) || v.p[n] != '(' || v.p[v.n - 1] != ')')
		return false;
	in->p = v.p + n + 1;
	in->n = v.n - n - 2;
	return true;
}

static void cstr(struct span v, char *buf, size_t cap)
{
	size_t n = v.n < cap - 1 ? v.n : cap - 1;

	memcpy(buf, v.p, n);
	buf[n] = '\0';
}

/*
 * The last name looked up, per kind: an ausearch -i listing names the same
 * few users on every line, and each lookup reads /etc/passwd.
 */
static struct {
	char name[64];
	uint32_t id;
	bool found;
} last_id[2];

/* auid/uid/gid/ses: a number, "unset" (-1) or a name on this host */
static bool id_of(struct span v, bool group, uint32_t *out)
{
	char name[256], buf[4096];
	uint64_t n;
	bool ok;

	if (is(v, LIT("unset"))) {
		*out = UINT32_MAX;
		return true;
	}
	if (whole_dec(v, &n))
		return n <= UINT32_MAX ? (*out = (uint32_t)n, true) : false;
	if (v.n >= sizeof(last_id[0].name))
		return false;
	cstr(v, name, sizeof(name));
	if (!strcmp(last_id[group].name, name)) {
		*out = last_id[group].id;
		return last_id[group].found;
	}
	ok = false;
	if (group) {
		struct group gr, *g = NULL;

		if (!getgrnam_r(name, &gr, buf, sizeof(buf), &g) && g)
			*out = g->gr_gid, ok = true;
	} else {
		struct passwd pw, *u = NULL;

		if (!getpwnam_r(name, &pw, buf, sizeof(buf), &u) && u)
			*out = u->pw_uid, ok = true;
	}
	memcpy(last_id[group].name, name, strlen(name) + 1);
	last_id[group].id = ok ? *out : 0;
	last_id[group].found = ok;
	return ok;
}

/* "SIG0", "SIGSYS", "31" */
static bool sig_of(struct span v, int64_t *out)
{
	uint64_t n;
	int i;

	if (v.n > 3 && !memcmp(v.p, "SIG", 3)) {
		struct span s = { v.p + 3, v.n - 3 };

		if (whole_dec(s, &n) && n < 1024)
			return *out = (int64_t)n, true;
		for (i = 1; i < 65; i++) {
			const char *a = sigabbrev_np(i);

			if (a && strlen(a) == s.n && !memcmp(a, s.p, s.n))
				return *out = i, true;
		}
		return false;
	}
	return whole_dec(v, &n) && n < 1024 && (*out = (int64_t)n, true);
}

/* auparse names the action only (seccomptab.h); its data is not shown */
static bool code_of(struct span v, uint32_t *out)
{
	static const struct {
		const char *name;
		uint32_t code;
	} acts[] = { { "kill", 0x00000000U }, { "trap", 0x00030000U }, { "errno", 0x00050000U },
		     { "trace", 0x7ff00000U }, { "log", 0x7ffc0000U }, { "allow", 0x7fff0000U } };
	struct span in;
	uint64_t n;
	size_t i;

	for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
		if (v.n == strlen(acts[i].name) && !memcmp(v.p, acts[i].name, v.n))
			return *out = acts[i].code, true;
	if ((inside(v, LIT("unknown-seccomp-code"), &in) || (in = v, true)) && whole_hex(in, &n) &&
	    n <= UINT32_MAX)
		return *out = (uint32_t)n, true;
	return false;
}

/* The start of the last minute converted (the time zone is taken as fixed
 * for the life of the process). */
static struct {
	int year, mon, mday, hour, min;
	time_t t;
	bool ok;
} last_minute;

/* "12/01/26 14:03:22.985:61) : " (C locale's %x %T; ISO and d.m.y too) */
static const char *when(const char *p, const char *end, struct sl_record *rec)
{
	uint64_t a, b, c, hh, mm, ss, ms, serial;
	struct tm tm = { 0 };
	const char *q;
	char sep;
	time_t t;

	if (!dec(p, end, &a, &q) || q >= end)
		return NULL;
	sep = *q;
	if ((sep != '/' && sep != '-' && sep != '.') || !dec(q + 1, end, &b, &p) || p >= end ||
	    *p != sep || !dec(p + 1, end, &c, &q) || q >= end || *q != ' ')
		return NULL;
	if (!dec(q + 1, end, &hh, &p) || p >= end || *p != ':' || !dec(p + 1, end, &mm, &q) ||
	    q >= end || *q != ':' || !dec(q + 1, end, &ss, &p) || p >= end || *p != '.' ||
	    !dec(p + 1, end, &ms, &q) || q - p != 4 || q >= end || *q != ':' ||
	    !dec(q + 1, end, &serial, &p) || serial > UINT32_MAX)
		return NULL;
	if (end - p < 4 || memcmp(p, ") : ", 4))
		return NULL;
	if (sep == '/') {		/* %x in C and en_US: month first */
		tm.tm_mon = (int)a - 1;
		tm.tm_mday = (int)b;
		tm.tm_year = (int)c;
	} else if (sep == '-') {	/* ISO */
		tm.tm_year = (int)a;
		tm.tm_mon = (int)b - 1;
		tm.tm_mday = (int)c;
	} else {			/* de_DE and others: day first */
		tm.tm_mday = (int)a;
		tm.tm_mon = (int)b - 1;
		tm.tm_year = (int)c;
	}
	if (tm.tm_year < 100)
		tm.tm_year += tm.tm_year < 69 ? 2000 : 1900;	/* as strptime's %y */
	if (tm.tm_year > 9999 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || hh > 23 || mm > 59 || ss > 60)
		return NULL;
	tm.tm_year -= 1900;
	tm.tm_hour = (int)hh;
	tm.tm_min = (int)mm;
	tm.tm_isdst = -1;
	/* ausearch -i prints local time; mktime() costs a stat of
	 * /etc/localtime, and records come many to a minute */
	if (last_minute.ok && last_minute.year == tm.tm_year && last_minute.mon == tm.tm_mon &&
	    last_minute.mday == tm.tm_mday && last_minute.hour == tm.tm_hour &&
	    last_minute.min == tm.tm_min) {
		t = last_minute.t;
	} else {
		last_minute.year = tm.tm_year;
		last_minute.mon = tm.tm_mon;
		last_minute.mday = tm.tm_mday;
		last_minute.hour = tm.tm_hour;
		last_minute.min = tm.tm_min;
		t = mktime(&tm);
		last_minute.t = t;
		last_minute.ok = t != (time_t)-1;
	}
	if (t == (time_t)-1)
		return NULL;
	t += (time_t)ss;
	rec->sec = t;
	rec->msec = (uint32_t)ms;
	rec->serial = (uint32_t)serial;
	rec->has_stamp = rec->has_time = true;
	return p + 4;
}

/* The fields after exe, which hold no space: false when key is not one. */
static bool tail_field(struct span k, struct span v, struct sl_record *rec, struct span *sc,
		       bool *bad)
{
	struct span in;
	uint64_t n;

	if (is(k, LIT("sig"))) {
		if (sig_of(v, &rec->sig))
			rec->fields |= SL_F_SIG;
	} else if (is(k, LIT("arch"))) {
		char name[32];

		cstr(v, name, sizeof(name));
		if (inside(v, LIT("unknown-elf-type"), &in) && whole_hex(in, &n) && n <= UINT32_MAX)
			rec->arch = (uint32_t)n;
		else if (!(rec->arch = sl_audit_arch_by_audit_name(name)) &&
			 !(whole_hex(v, &n) && n <= UINT32_MAX && (rec->arch = (uint32_t)n)))
			*bad = true;
		if (!*bad)
			rec->fields |= SL_F_ARCH;
	} else if (is(k, LIT("syscall"))) {
		*sc = v;	/* named for its arch, once that is known */
	} else if (is(k, LIT("compat"))) {
		if (whole_dec(v, &n)) {
			rec->compat = (int)n;
			rec->fields |= SL_F_COMPAT;
		}
	} else if (is(k, LIT("ip"))) {
		if (whole_hex(v, &rec->ip))
			rec->fields |= SL_F_IP;
	} else if (is(k, LIT("code"))) {
		if (code_of(v, &rec->code))
			rec->fields |= SL_F_CODE;
	} else {
		return false;
	}
	return true;
}

static void head_field(struct span k, struct span v, struct sl_record *rec, bool *bad)
{
	uint64_t n;

	if (is(k, LIT("auid"))) {
		if (id_of(v, false, &rec->auid))
			rec->fields |= SL_F_AUID;
	} else if (is(k, LIT("uid"))) {
		if (id_of(v, false, &rec->uid))
			rec->fields |= SL_F_UID;
	} else if (is(k, LIT("gid"))) {
		if (id_of(v, true, &rec->gid))
			rec->fields |= SL_F_GID;
	} else if (is(k, LIT("ses"))) {
		if (is(v, LIT("unset")))
			rec->ses = UINT32_MAX, rec->fields |= SL_F_SES;
		else if (whole_dec(v, &n) && n <= UINT32_MAX)
			rec->ses = (uint32_t)n, rec->fields |= SL_F_SES;
	} else if (is(k, LIT("pid"))) {
		if (whole_dec(v, &n))
			rec->pid = (int64_t)n, rec->fields |= SL_F_PID;
		else
			*bad = true;
	} else if (is(k, LIT("subj"))) {
		cstr(v, rec->subj, sizeof(rec->subj));
		rec->fields |= SL_F_SUBJ;
	}
}

static void text_field(struct span v, char *buf, size_t cap, size_t *len)
{
	size_t n = v.n < cap - 1 ? v.n : cap - 1;

	memcpy(buf, v.p, n);
	buf[n] = '\0';
	*len = n;
}

int sl_ausearch_parse(const char *p, const char *end, struct sl_record *rec)
{
	struct span sc = { NULL, 0 }, in;
	const char *e, *s, *eq, *x;
	bool bad = false;
	uint64_t n;

	if (end - p < 6 || memcmp(p, "audit(", 6))
		return -EBADMSG;
	p = when(p + 6, end, rec);
	if (!p)
		return -EBADMSG;
	rec->format = SL_FMT_AUSEARCH;
	rec->origin = SL_ORIGIN_KERNEL;	/* audit.log, interpreted */

	/* from the right: code ip compat syscall arch sig */
	for (e = end; e > p && e[-1] == ' '; e--)
		;
	while (e > p) {
		struct span k, v;

		for (s = e; s > p && s[-1] != ' '; s--)
			;
		eq = memchr(s, '=', (size_t)(e - s));
		if (!eq)
			break;
		k = (struct span){ s, (size_t)(eq - s) };
		v = (struct span){ eq + 1, (size_t)(e - eq - 1) };
		if (!tail_field(k, v, rec, &sc, &bad))
			break;
		for (e = s; e > p && e[-1] == ' '; e--)
			;
		if (is(k, LIT("sig")))
			break;
	}
	/* from the left: auid uid gid ses [subj] pid, then comm and exe */
	while (p < e) {
		struct span k, v;

		for (s = p; p < e && *p != ' '; p++)
			;
		eq = memchr(s, '=', (size_t)(p - s));
		if (eq && eq - s == 4 && !memcmp(s, "comm", 4)) {
			x = memmem(eq + 1, (size_t)(e - eq - 1), LIT(" exe="));
			text_field((struct span){ eq + 1, (size_t)((x ? x : e) - eq - 1) }, rec->comm,
				   sizeof(rec->comm), &rec->comm_len);
			rec->fields |= SL_F_COMM;
			if (x) {
				text_field((struct span){ x + 5, (size_t)(e - x - 5) }, rec->exe,
					   sizeof(rec->exe), &rec->exe_len);
				rec->fields |= SL_F_EXE;
			}
			break;
		}
		if (eq && eq - s == 3 && !memcmp(s, "exe", 3)) {
			text_field((struct span){ eq + 1, (size_t)(e - eq - 1) }, rec->exe,
				   sizeof(rec->exe), &rec->exe_len);
			rec->fields |= SL_F_EXE;
			break;
		}
		if (eq) {
			k = (struct span){ s, (size_t)(eq - s) };
			v = (struct span){ eq + 1, (size_t)(p - eq - 1) };
			head_field(k, v, rec, &bad);
		}
		while (p < e && *p == ' ')
			p++;
	}
	if (sc.p && (rec->fields & SL_F_ARCH)) {
		char name[64];
		int64_t nr = -1;

		if (inside(sc, LIT("unknown-syscall"), &in))
			sc = in;
		if (whole_dec(sc, &n) && n <= INT32_MAX) {
			nr = (int64_t)n;
		} else if (sc.n < sizeof(name)) {
			cstr(sc, name, sizeof(name));
			nr = sl_syscall_number_audit(rec->arch, name);
		}
		if (nr >= 0) {
			rec->syscall = nr;
			rec->fields |= SL_F_SYSCALL;
		}
	}
	if (bad || (rec->fields & (SL_F_ARCH | SL_F_SYSCALL)) != (SL_F_ARCH | SL_F_SYSCALL))
		return -EBADMSG;
	return 1;
}
