/* host-limits.c - the settings that drop SECCOMP records: status, lift, restore */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#include "audit-status.h"
#include "error.h"
#include "host-limits.h"
#include "limits-state.h"
#include "sysctl.h"

enum kind { K_SYSCTL, K_AUDIT, K_INFO };

struct ctx {
	bool audit_ok;
	struct sl_audit_status st;
	char audit_err[128];
	bool printk_path;	/* no auditd: records go through printk */
};

struct entry {
	const char *name;
	enum kind kind;
	const char *key;	/* sysctl name or audit status field */
	const char *note;
	void (*policy)(struct sl_limit *l, const struct ctx *c);
};

static long num(const struct sl_limit *l)
{
	return strtol(l->value, NULL, 10);
}

static void printk_rl(struct sl_limit *l, const struct ctx *c)
{
	l->problem = num(l) != 0 && c->printk_path;
	if (num(l) != 0)
		snprintf(l->lifted, sizeof(l->lifted), "0");
}

static void at_least_10000(struct sl_limit *l, const struct ctx *c)
{
	if (num(l) < 10000)
		snprintf(l->lifted, sizeof(l->lifted), "10000");
}

static void zero(struct sl_limit *l, const struct ctx *c)
{
	if (num(l) != 0)
		snprintf(l->lifted, sizeof(l->lifted), "0");
}

static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word))) {
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return true;
		p += n;
	}
	return false;
}

static void actions_logged(struct sl_limit *l, const struct ctx *c)
{
	l->problem = !has_word(l->value, "log");
	if (l->problem)
		snprintf(l->lifted, sizeof(l->lifted), "%s%slog", l->value, *l->value ? " " : "");
}

static void rate_limit(struct sl_limit *l, const struct ctx *c)
{
	l->problem = num(l) != 0;
	zero(l, c);
}

static void backlog_limit(struct sl_limit *l, const struct ctx *c)
{
	/* bursts reach ~200k records/s: a short queue fills, and then the
	 * writer waits backlog_wait_time, or, when that is 0, the record goes */
	l->problem = num(l) < 8192 && c->st.backlog_wait_time == 0;
	if (num(l) < 8192)
		snprintf(l->lifted, sizeof(l->lifted), "8192");
}

static void backlog_wait(struct sl_limit *l, const struct ctx *c)
{
	/* 0: a full queue drops at once instead of making the caller wait */
	l->problem = num(l) == 0;
	if (l->problem)
		snprintf(l->lifted, sizeof(l->lifted), "15000");
}

static void enabled(struct sl_limit *l, const struct ctx *c)
{
	l->liftable = false;
}

static void info(struct sl_limit *l, const struct ctx *c)
{
	l->liftable = false;
}

/* The order is the order of lifting: if one fails, the earlier are put back. */
static const struct entry table[] = {
	{ "kernel.printk_ratelimit", K_SYSCTL, "kernel.printk_ratelimit",
	  "seconds per burst of printk'd records; without auditd all but ~10 records per 5 s are "
	  "lost (\"kauditd_printk_skb: N callbacks suppressed\"); 0 lets all through",
	  printk_rl },
	{ "kernel.printk_ratelimit_burst", K_SYSCTL, "kernel.printk_ratelimit_burst",
	  "records let through per printk_ratelimit interval (moot once that is 0)", at_least_10000 },
	{ "kernel.seccomp.actions_logged", K_SYSCTL, "kernel.seccomp.actions_logged",
	  "actions the kernel logs; without \"log\" SCMP_ACT_LOG writes nothing", actions_logged },
	{ "audit.enabled", K_AUDIT, "enabled",
	  "SECCOMP records are written whether it is 0 or 1; 2 locks the audit settings; audit=0 "
	  "on the kernel command line stops them all", enabled },
	{ "audit.rate_limit", K_AUDIT, "rate_limit",
	  "records per second before the audit subsystem drops them; 0 = no limit", rate_limit },
	{ "audit.backlog_limit", K_AUDIT, "backlog_limit",
	  "records queued before a writer waits (backlog_wait_time) or, with no wait, the "
	  "record is dropped", backlog_limit },
	{ "audit.backlog_wait_time", K_AUDIT, "backlog_wait_time",
	  "jiffies a process waits when the queue is full; 0 drops at once", backlog_wait },
	{ "audit.lost", K_AUDIT, "lost", "records the audit subsystem dropped since boot", info },
	{ "net.core.message_cost", K_SYSCTL, "net.core.message_cost",
	  "net_ratelimit() only: does not limit SECCOMP records (changed for those who expect it)",
	  zero },
	{ "net.core.message_burst", K_SYSCTL, "net.core.message_burst",
	  "net_ratelimit() only: does not limit SECCOMP records", at_least_10000 },
};

#define NTABLE (sizeof(table) / sizeof(table[0]))

/* Measured: /proc/sys is written by uid 0 only, whatever the capabilities
 * (EACCES); actions_logged also wants CAP_SYS_ADMIN (EPERM). */
static const char *cap_hint(int err, enum kind k)
{
	if (err == -EROFS)
		return " (/proc/sys is read-only here)";
	if (k == K_AUDIT && (err == -EPERM || err == -EACCES))
		return " (needs root: CAP_AUDIT_CONTROL)";
	if (err == -EACCES)
		return " (needs root: only uid 0 may write /proc/sys)";
	if (err == -EPERM)
		return " (needs root with CAP_SYS_ADMIN)";
	return "";
}

static uint32_t audit_field(const struct sl_audit_status *st, const char *key)
{
	if (!strcmp(key, "enabled"))
		return st->enabled;
	if (!strcmp(key, "rate_limit"))
		return st->rate_limit;
	if (!strcmp(key, "backlog_limit"))
		return st->backlog_limit;
	if (!strcmp(key, "backlog_wait_time"))
		return st->backlog_wait_time;
	return st->lost;
}

static void read_entry(const struct entry *e, const struct ctx *c, struct sl_limit *l)
{
	int rc;

	memset(l, 0, sizeof(*l));
	l->name = e->name;
	l->note = e->note;
	l->liftable = e->kind != K_INFO;
	if (e->kind == K_SYSCTL) {
		rc = sl_sysctl_get(e->key, l->value, sizeof(l->value));
		if (rc) {
			snprintf(l->error, sizeof(l->error), "%s%s", strerror(-rc),
				 cap_hint(rc, K_SYSCTL));
			l->value[0] = '\0';
			return;
		}
	} else if (e->kind == K_AUDIT) {
		if (!c->audit_ok) {
			snprintf(l->error, sizeof(l->error), "%s", c->audit_err);
			return;
		}
		snprintf(l->value, sizeof(l->value), "%u", audit_field(&c->st, e->key));
	}
	e->policy(l, c);
	if (!l->liftable)
		l->lifted[0] = '\0';
}

static void read_ctx(struct ctx *c)
{
	char *cause = NULL;

	memset(c, 0, sizeof(*c));
	c->audit_ok = sl_audit_get_status(&c->st, &cause) == 0;
	if (!c->audit_ok)
		snprintf(c->audit_err, sizeof(c->audit_err), "%s", cause ? cause : "unknown");
	free(cause);
	c->printk_path = !c->audit_ok || !c->st.pid;
}

/*
 * Each line of a daemon's main configuration file, then of the *.conf
 * files of its drop-in directories in name order: later lines win, as
 * they do for the daemon.
 */
static int conf_only(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return n > 5 && !strcmp(e->d_name + n - 5, ".conf");
}

static void config_lines(const char *main, const char *const *dirs, size_t ndirs,
			 void (*fn)(const char *line, void *arg), void *arg)
{
	char line[1024], path[512];
	struct dirent **ents;
	size_t d;
	int n, i;
	FILE *f;

	for (d = 0; d <= ndirs; d++) {
		n = d ? scandir(dirs[d - 1], &ents, conf_only, alphasort) : 1;
		for (i = 0; i < n; i++) {
			if (d)
				snprintf(path, sizeof(path), "%s/%s", dirs[d - 1], ents[i]->d_name);
			f = fopen(d ? path : main, "r");
			while (f && fgets(line, sizeof(line), f))
				fn(line, arg);
			if (f)
				fclose(f);
			if (d)
				free(ents[i]);
		}
		if (d && n >= 0)
			free(ents);
	}
}

struct conf_value {
	const char *key, *legacy;	/* journald Key=, or imklog's two spellings */
	char *out;
	size_t len;
};

static void journald_line(const char *line, void *arg)
{
	struct conf_value *c = arg;
	size_t klen = strlen(c->key);

	if (!strncmp(line, c->key, klen) && line[klen] == '=') {
		snprintf(c->out, c->len, "%s", line + klen + 1);
		c->out[strcspn(c->out, "\r\n")] = '\0';
	}
}

static void rsyslog_line(const char *line, void *arg)
{
	struct conf_value *c = arg;
	const char *p;

	if (line[0] == '#')
		return;
	if (strstr(line, "imklog") && (p = strstr(line, c->key)) && (p = strchr(p, '"')))
		snprintf(c->out, c->len, "%ld", strtol(p + 1, NULL, 10));
	else if (!strncmp(line, c->legacy, strlen(c->legacy)))
		snprintf(c->out, c->len, "%ld", strtol(line + strlen(c->legacy), NULL, 10));
}

/* A setting of a daemon's configuration, shown by status, never changed. */
static struct sl_limit *push_setting(struct sl_limit **v, size_t *n, const char *name,
				     const char *dflt, const char *note)
{
	struct sl_limit *l;

	*v = sl_xrealloc(*v, (*n + 1) * sizeof(**v));
	l = &(*v)[(*n)++];
	memset(l, 0, sizeof(*l));
	l->name = name;
	l->note = note;
	snprintf(l->value, sizeof(l->value), "%s", dflt);
	return l;
}

static void add_daemon_limits(struct sl_limit **v, size_t *n)
{
	static const char *const journald_dirs[] = { "/etc/systemd/journald.conf.d",
						     "/run/systemd/journald.conf.d" };
	static const char *const rsyslog_dirs[] = { "/etc/rsyslog.d" };
	static const char journald_note[] =
		"per-service limit on journal messages; kernel and audit records are not "
		"subject to it";
	struct conf_value c;
	struct sl_limit *l;

	if (access("/lib/systemd/systemd-journald", X_OK) == 0) {
		l = push_setting(v, n, "journald.RateLimitIntervalSec", "30s", journald_note);
		c = (struct conf_value){ "RateLimitIntervalSec", NULL, l->value, sizeof(l->value) };
		config_lines("/etc/systemd/journald.conf", journald_dirs, 2, journald_line, &c);
		l = push_setting(v, n, "journald.RateLimitBurst", "10000", journald_note);
		c = (struct conf_value){ "RateLimitBurst", NULL, l->value, sizeof(l->value) };
		config_lines("/etc/systemd/journald.conf", journald_dirs, 2, journald_line, &c);
	}
	if (access("/usr/sbin/rsyslogd", X_OK) == 0) {
		l = push_setting(v, n, "rsyslog.imklog.ratelimit.interval", "0",
				 "rsyslog's own limit on kernel messages read into kern.log; 0 = "
				 "none (set ratelimit.interval=\"0\" on imklog to lift it)");
		c = (struct conf_value){ "ratelimit.interval", "$imklogRatelimitInterval", l->value,
					 sizeof(l->value) };
		config_lines("/etc/rsyslog.conf", rsyslog_dirs, 1, rsyslog_line, &c);
		l->problem = strtol(l->value, NULL, 10) > 0;
		l = push_setting(v, n, "rsyslog.imklog.ratelimit.burst", "10000",
				 "messages per imklog interval (moot when the interval is 0); "
				 "imuxsock's limits apply to local syslog(3) messages, not to kernel "
				 "records");
		c = (struct conf_value){ "ratelimit.burst", "$imklogRatelimitBurst", l->value,
					 sizeof(l->value) };
		config_lines("/etc/rsyslog.conf", rsyslog_dirs, 1, rsyslog_line, &c);
	}
}

/* The printk ring's size: dmesg, and a /dev/kmsg reader that comes late,
 * see only its last bytes; older records are gone unless a daemon wrote
 * them down. */
static void add_ring(struct sl_limit **v, size_t *n)
{
	struct sl_limit *l;
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);

	*v = sl_xrealloc(*v, (*n + 1) * sizeof(**v));
	l = &(*v)[(*n)++];
	memset(l, 0, sizeof(*l));
	l->name = "kernel.log_buf_len";
	if (size > 0) {
		snprintf(l->value, sizeof(l->value), "%d", size);
	} else {
		int err = errno;
		char restricted[16] = "";
		const char *hint = "";

		/* syslog(2) wants CAP_SYSLOG only while dmesg_restrict is set */
		if (err == EPERM) {
			sl_sysctl_get("kernel.dmesg_restrict", restricted, sizeof(restricted));
			hint = strcmp(restricted, "0") ? " (needs root: CAP_SYSLOG, as "
				"kernel.dmesg_restrict=1)" : " (needs root: CAP_SYSLOG)";
		}
		snprintf(l->error, sizeof(l->error), "%s%s", strerror(err), hint);
	}
	l->note = "bytes in the printk ring (about 250 per SECCOMP record): dmesg and a late "
		  "/dev/kmsg reader see only the newest; log_buf_len= on the kernel command "
		  "line enlarges it";
}

void sl_limits_status(struct sl_limit **out, size_t *n)
{
	struct ctx c;
	size_t i;

	read_ctx(&c);
	*out = sl_xcalloc(NTABLE, sizeof(**out));
	for (i = 0; i < NTABLE; i++)
		read_entry(&table[i], &c, &(*out)[i]);
	*n = NTABLE;
	add_ring(out, n);
	add_daemon_limits(out, n);
}

static int set_entry(const struct entry *e, const char *value, char **cause)
{
	int rc;

	if (e->kind == K_SYSCTL) {
		rc = sl_sysctl_set(e->key, value);
		if (rc)
			return sl_fail(cause, rc, "%s: %s%s", e->name, strerror(-rc),
				       cap_hint(rc, K_SYSCTL));
		return 0;
	}
	rc = sl_audit_set(e->key, (uint32_t)strtoul(value, NULL, 10), NULL);
	if (rc)
		return sl_fail(cause, rc, "%s: %s%s", e->name, strerror(-rc), cap_hint(rc, K_AUDIT));
	return 0;
}

static const struct entry *entry_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < NTABLE; i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

/* Put back what was saved; the first error is returned, the rest tried. */
static int put_back(json_t *saved, char **cause)
{
	const char *name;
	json_t *v;
	int rc = 0;

	json_object_foreach(saved, name, v) {
		const struct entry *e = entry_by_name(name);
		char now[256] = "";
		int r;

		if (!e || !json_is_string(v))
			continue;
		if (e->kind == K_SYSCTL && sl_sysctl_get(e->key, now, sizeof(now)) == 0 &&
		    !strcmp(now, json_string_value(v)))
			continue;	/* already so: do not write what need not be */
		r = set_entry(e, json_string_value(v), rc ? NULL : cause);
		if (r && !rc)
			rc = r;
	}
	return rc;
}

/* Before saving anything: may this process change what must change? */
static int preflight(const struct ctx *c, char **cause)
{
	struct sl_limit l;
	char path[256];
	size_t i;

	for (i = 0; i < NTABLE; i++) {
		read_entry(&table[i], c, &l);
		if (!l.liftable)
			continue;
		/* a setting we cannot even read we cannot promise to lift */
		if (l.error[0])
			return sl_fail(cause, -EPERM, "%s: %s", l.name, l.error);
		if (!l.lifted[0])
			continue;
		if (table[i].kind == K_AUDIT && c->st.enabled == 2)
			return sl_fail(cause, -EPERM, "%s: the audit settings are locked "
				       "(enabled=2) until the next boot", l.name);
		if (table[i].kind != K_SYSCTL)
			continue;
		if (sl_sysctl_path(table[i].key, path, sizeof(path)) || access(path, W_OK))
			return sl_fail(cause, -errno, "%s: %s%s", l.name, strerror(errno),
				       cap_hint(-errno, K_SYSCTL));
	}
	return 0;
}

/*
 * The state's directory is root's and mode 0700: another user gets EACCES
 * there before any setting is tried.  Say what restoring needs.
 */
static int open_state(struct sl_lstate *ls, const char *state, bool create, char **cause)
{
	char *why = NULL;
	int rc = sl_lstate_open(ls, state, create, &why);

	if (rc == -EACCES && geteuid() != 0)
		rc = sl_fail(cause, rc, "%s: %s (the limits' state is root's: run as root; "
			     "putting the settings back needs uid 0, and CAP_SYS_ADMIN for "
			     "kernel.seccomp.actions_logged, CAP_AUDIT_CONTROL for the audit "
			     "settings)", state, strerror(-rc));
	else if (rc)
		sl_fail(cause, rc, "%s", why);
	free(why);
	return rc;
}

/* The originals: every liftable setting's value now, before any change. */
static json_t *read_originals(void)
{
	json_t *saved = json_object();
	struct sl_limit l;
	struct ctx c;
	size_t i;

	read_ctx(&c);
	for (i = 0; i < NTABLE; i++) {
		read_entry(&table[i], &c, &l);
		if (l.liftable && l.value[0])
			json_object_set_new(saved, table[i].name, json_string(l.value));
	}
	return saved;
}

/* Set every setting to its lifted value; on failure put back what this did. */
static int apply_lift(char **cause)
{
	const struct entry *done[NTABLE];
	char *was[NTABLE];
	struct sl_limit l;
	struct ctx c;
	size_t i, changed = 0;
	int rc = 0;

	/* read again under the lock: another lift may have changed them */
	read_ctx(&c);
	for (i = 0; i < NTABLE && !rc; i++) {
		read_entry(&table[i], &c, &l);
		if (!l.liftable || !l.lifted[0])
			continue;
		if (l.error[0]) {
			rc = sl_fail(cause, -EPERM, "%s: %s", l.name, l.error);
			break;
		}
		rc = set_entry(&table[i], l.lifted, cause);
		if (rc)
			break;
		done[changed] = &table[i];
		was[changed++] = sl_xstrdup(l.value);
	}
	/* nothing half-changed: put back what this call changed */
	while (changed--) {
		if (rc)
			set_entry(done[changed], was[changed], NULL);
		free(was[changed]);
	}
	return rc;
}

int sl_limits_lift(const char *state, pid_t holder, bool *saved, char **cause)
{
	struct sl_lstate ls;
	bool was_manual;
	struct ctx c;
	int rc;

	*saved = false;
	read_ctx(&c);
	rc = preflight(&c, cause);
	if (rc)
		return rc;
	rc = open_state(&ls, state, true, cause);
	if (rc)
		return rc;
	/*
	 * Under the lock no other lift runs: when there is no state, the
	 * values now are the originals, never another lift's.  A state whose
	 * holders are all gone still holds the originals: keep it.
	 */
	sl_lstate_drop_dead(&ls, NULL);
	if (!ls.exists) {
		ls.saved = read_originals();
		*saved = true;
	}
	was_manual = ls.manual;
	if (holder)
		sl_lstate_add_holder(&ls, holder);
	else
		ls.manual = true;
	/* saved before anything is touched: a crash now leaves a restorable state */
	rc = sl_lstate_save(&ls, cause);
	if (rc)
		goto out;
	rc = apply_lift(cause);
	if (rc) {
		char *ignored = NULL;

		if (*saved) {
			sl_lstate_remove(&ls, NULL);
		} else {
			/* leave the others' state as it was */
			if (holder)
				sl_lstate_drop_holder(&ls, holder);
			ls.manual = was_manual;
			sl_lstate_save(&ls, &ignored);
			free(ignored);
		}
		*saved = false;
	}
out:
	sl_lstate_close(&ls);
	return rc;
}

/* Put back the saved values and remove the state; keep it if one fails. */
static int restore_locked(struct sl_lstate *ls, char **cause)
{
	int rc = put_back(ls->saved, cause);

	if (rc) {
		char *ignored = NULL;

		/* holders gone, so the next seclog finishes what failed here */
		ls->manual = false;
		ls->nholders = 0;
		sl_lstate_save(ls, &ignored);
		free(ignored);
		return rc;
	}
	return sl_lstate_remove(ls, cause);
}

/*
 * The state file, locked, when there is one: 1, or 0 when there is
 * nothing to restore (no directory or no file), or -errno.
 */
static int open_existing(struct sl_lstate *ls, const char *state, char **cause)
{
	int rc = open_state(ls, state, false, cause);

	if (rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	if (!ls->exists) {
		sl_lstate_close(ls);
		return 0;
	}
	return 1;
}

/*
 * After holders left: restore when none is left (and no manual lift
 * holds), else save the state when changed.  Closes ls.
 */
static int settle(struct sl_lstate *ls, bool changed, bool *restored, char **cause)
{
	int rc = 0;

	if (ls->nholders || ls->manual) {
		if (changed)
			rc = sl_lstate_save(ls, cause);
	} else {
		rc = restore_locked(ls, cause);
		*restored = !rc;
	}
	sl_lstate_close(ls);
	return rc;
}

int sl_limits_release(const char *state, pid_t holder, bool *restored, char **cause)
{
	struct sl_lstate ls;
	int rc;

	*restored = false;
	rc = open_existing(&ls, state, cause);
	if (rc <= 0)
		return rc;
	/* restored by hand meanwhile: nothing is ours any more */
	if (!sl_lstate_drop_holder(&ls, holder)) {
		sl_lstate_close(&ls);
		return 0;
	}
	sl_lstate_drop_dead(&ls, NULL);
	return settle(&ls, true, restored, cause);
}

int sl_limits_restore(const char *state, bool *had, struct sl_holder **held, size_t *nheld,
		      char **cause)
{
	struct sl_lstate ls;
	int rc;

	*had = false;
	*held = NULL;
	*nheld = 0;
	rc = open_existing(&ls, state, cause);
	if (rc <= 0)
		return rc;
	*had = true;
	sl_lstate_drop_dead(&ls, NULL);
	if (ls.nholders) {
		*held = sl_xmalloc(ls.nholders * sizeof(**held));
		memcpy(*held, ls.holders, ls.nholders * sizeof(**held));
		*nheld = ls.nholders;
	}
	rc = restore_locked(&ls, cause);
	sl_lstate_close(&ls);
	return rc;
}

int sl_limits_restore_stale(const char *state, struct sl_holder **stale, size_t *nstale,
			    bool *restored, char **cause)
{
	struct sl_lstate ls;
	size_t dead;
	int rc;

	*stale = NULL;
	*nstale = 0;
	*restored = false;
	rc = open_existing(&ls, state, cause);
	if (rc <= 0)
		return rc;
	dead = sl_lstate_drop_dead(&ls, stale);
	*nstale = dead;
	/* still held: only forget the dead */
	return settle(&ls, dead > 0, restored, cause);
}

int sl_limits_held(const char *state, bool *manual, struct sl_holder **held, size_t *nheld,
		   char **cause)
{
	struct sl_lstate ls;
	int rc;

	*manual = false;
	*held = NULL;
	*nheld = 0;
	rc = sl_lstate_open(&ls, state, false, cause);
	if (rc)
		return rc;
	if (!ls.exists) {
		sl_lstate_close(&ls);
		return -ENOENT;
	}
	sl_lstate_drop_dead(&ls, NULL);
	*manual = ls.manual;
	*nheld = ls.nholders;
	*held = ls.holders;
	ls.holders = NULL;
	sl_lstate_close(&ls);
	return 0;
}
