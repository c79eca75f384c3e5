/* doctor.c - check the host end to end: kernel, audit, daemons, limits */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "audit-status.h"
#include "doctor.h"
#include "host-logs.h"
#include "error.h"
#include "host-limits.h"
#include "source.h"

struct list {
	struct sl_check *v;
	size_t n;
};

static struct sl_check *add(struct list *l, const char *name, enum sl_verdict v, const char *fmt,
			    ...) __attribute__((format(printf, 4, 5)));

static struct sl_check *add(struct list *l, const char *name, enum sl_verdict v, const char *fmt,
			    ...)
{
	struct sl_check *c;
	va_list ap;

	l->v = sl_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	c = &l->v[l->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->verdict = v;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
	return c;
}

const char *sl_verdict_name(enum sl_verdict v)
{
	static const char *const names[] = { "ok", "PROBLEM", "unknown", "info" };

	return names[v];
}

static void check_kernel(struct list *l)
{
	unsigned int action = SECCOMP_RET_LOG;
	char cmdline[4096] = "";
	FILE *f;

	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0)
		add(l, "seccomp log action", SL_OK, "the kernel supports SECCOMP_RET_LOG");
	else
		snprintf(add(l, "seccomp log action", SL_PROBLEM,
			     "the kernel has no SECCOMP_RET_LOG (%s): SCMP_ACT_LOG cannot work",
			     strerror(errno))->fix, sizeof(((struct sl_check *)0)->fix), "a kernel 4.14 or later");
	f = fopen("/proc/cmdline", "r");
	if (f) {
		if (!fgets(cmdline, sizeof(cmdline), f))
			cmdline[0] = '\0';
		fclose(f);
	}
	if (strstr(cmdline, "audit=0"))
		snprintf(add(l, "audit at boot", SL_PROBLEM,
			     "the kernel was booted with audit=0: it writes no audit records at "
			     "all, SECCOMP included")->fix, sizeof(((struct sl_check *)0)->fix),
			 "remove audit=0 from the kernel command line and reboot");
	else
		add(l, "audit at boot", SL_OK, "audit is not disabled on the kernel command line");
}

static void check_audit(struct list *l, struct sl_audit_status *st, bool *st_ok)
{
	char *rules[16], *cause = NULL;
	struct sl_check *c;
	int n, i;

	*st_ok = sl_audit_get_status(st, &cause) == 0;
	if (!*st_ok) {
		snprintf(add(l, "audit status", SL_UNKNOWN, "%s", cause)->fix, sizeof(((struct sl_check *)0)->fix),
			 "run seclog doctor as root");
		free(cause);
		cause = NULL;
	} else if (st->enabled == 2) {
		add(l, "audit status", SL_INFO,
		    "audit is locked (enabled=2): its limits cannot be changed until reboot");
	} else {
		add(l, "audit status", SL_OK, "enabled=%u (SECCOMP records are written either way)",
		    st->enabled);
	}
	n = sl_audit_seccomp_excludes(rules, 16, &cause);
	if (n < 0) {
		snprintf(add(l, "audit exclude rules", SL_UNKNOWN, "%s", cause)->fix, sizeof(((struct sl_check *)0)->fix),
			 "run seclog doctor as root");
		free(cause);
		return;
	}
	if (!n) {
		add(l, "audit exclude rules", SL_OK, "no rule excludes SECCOMP records");
		return;
	}
	for (i = 0; i < n; i++) {
		c = add(l, "audit exclude rules", SL_PROBLEM,
			"'%s' keeps SECCOMP records out of every log", rules[i]);
		/* the same rule with -d deletes it, when we could spell it whole */
		if (strstr(rules[i], " other field"))
			snprintf(c->fix, sizeof(c->fix), "find the rule in 'auditctl -l' and "
				 "delete it: auditctl -d with the same fields");
		else
			snprintf(c->fix, sizeof(c->fix), "auditctl -d%s", rules[i] + 2);
		free(rules[i]);
	}
}

static bool readable(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static struct sl_check *add_fix(struct sl_check *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static struct sl_check *add_fix(struct sl_check *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->fix, sizeof(c->fix), fmt, ap);
	va_end(ap);
	return c;
}

static void check_readable(struct list *l, const char *path, const char *fix)
{
	if (readable(path))
		add(l, "log readable", SL_OK, "%s is readable", path);
	else
		add_fix(add(l, "log readable", SL_PROBLEM, "%s cannot be read by this user: %s",
			    path, strerror(errno)), "%s", fix);
}

/* "128 KiB, about 524 records", or what is known without CAP_SYSLOG */
static void ring_size(char *out, size_t len)
{
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);

	if (size > 0)
		snprintf(out, len, "%d KiB, about %d SECCOMP records", size / 1024, size / 250);
	else
		snprintf(out, len, "its size needs CAP_SYSLOG to read; 128 KiB, about 500 "
			 "SECCOMP records, by default");
}

/*
 * Where records land, against what a harvest given no -f reads: the list
 * is sl_source_defaults, the very list harvest opens, so the two cannot
 * disagree.  A record is safe only in a source that keeps every record
 * and that harvest reads; the kmsg ring keeps only the newest.
 */
static void check_destination(struct list *l, const struct sl_audit_status *st, bool st_ok)
{
	pid_t auditd = st_ok && st->pid ? (pid_t)st->pid : sl_find_process("auditd");
	pid_t rsyslog = sl_find_process("rsyslogd"), journald = sl_find_process("systemd-journal");
	const char *src[8], *kept = NULL, *text = NULL;
	char log[512], list[512] = "", ring[128], journal[160] = "", fix[96];
	size_t nsrc = sl_source_defaults(src, 8), i, used = 0;
	struct sl_check *c;

	for (i = 0; i < nsrc && used < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
					 src[i]);
	add(l, "harvest reads", SL_INFO, "without -f: %s", list);
	sl_auditd_log_file(log, sizeof(log));
	if (auditd) {
		add(l, "where records go", SL_INFO,
		    "auditd (pid %d) writes them to %s; nothing reaches the kernel log",
		    (int)auditd, log);
		for (i = 0; i < nsrc && !kept; i++)
			if (!strcmp(src[i], log))
				kept = src[i];
		if (!kept) {
			add_fix(add(l, "records kept", SL_PROBLEM, "auditd writes them to %s, "
				    "which a harvest reads only when named with -f", log),
				"seclog harvest -f %s", log);
			return;
		}
		add(l, "records kept", SL_OK, "%s keeps every record, and a harvest reads it",
		    kept);
		check_readable(l, kept, "run seclog harvest as root, or give this user read "
			       "access (log_group in auditd.conf)");
		return;
	}
	if (journald)
		snprintf(journal, sizeof(journal), ", journald (pid %d) to the journal",
			 (int)journald);
	add(l, "where records go", SL_INFO, "no auditd: the printk path, to the kernel's ring "
	    "(/dev/kmsg, dmesg)%s%s", rsyslog ? ", rsyslog to its log files" : "", journal);
	/* besides the ring, a default source here is a file rsyslog writes */
	for (i = 0; i < nsrc && rsyslog && !text; i++)
		if (strcmp(src[i], "/dev/kmsg") && strcmp(src[i], log))
			text = src[i];
	check_readable(l, "/dev/kmsg", "run seclog harvest as root (CAP_SYSLOG; "
		       "kernel.dmesg_restrict)");
	/*
	 * rsyslog's copy is syslog text, which any user can forge with
	 * logger(1): harvest counts a record there only when a kernel-made
	 * source holds it too (or with --trust-syslog).  It keeps every
	 * record, but vouches for none the ring has lost.
	 */
	if (text) {
		add(l, "syslog copy", SL_INFO, "%s keeps every record rsyslog receives, as syslog "
		    "text any local user can forge: a harvest counts a record there only while "
		    "the kernel's ring holds it too, unless run with --trust-syslog", text);
		check_readable(l, text, "run seclog harvest as root or as a member of group adm");
	}
	ring_size(ring, sizeof(ring));
	c = add(l, "records kept", SL_PROBLEM, "of the sources a harvest reads, only the "
		"kernel's ring (/dev/kmsg; %s) receives these records%s, and it wraps: a harvest "
		"that starts after the workload may have lost the oldest%s", ring,
		text ? " as the kernel made them" : "",
		journald ? "; journald keeps a copy, which a harvest reads only when asked "
		"(--source journal)" : "");
	snprintf(fix, sizeof(fix), "%s", text ? "; or, where no local user may forge log "
		 "lines, seclog harvest --trust-syslog" : "");
	if (journald)
#ifdef HAVE_SYSTEMD
		add_fix(c, "harvest journald's copy: seclog harvest --source journal --since "
			"TIME ...; or run auditd%s", fix);
#else
		add_fix(c, "harvest journald's copy: journalctl -o json --since TIME | seclog "
			"harvest -f - ...; or run auditd%s", fix);
#endif
	else
		add_fix(c, "run auditd, or keep 'cat /dev/kmsg > FILE' running during the run and "
			"harvest -f FILE%s", fix);
}

static void check_limits(struct list *l)
{
	struct sl_limit *v;
	size_t n, i, problems = 0;

	sl_limits_status(&v, &n);
	for (i = 0; i < n; i++) {
		struct sl_check *c;

		if (v[i].error[0]) {
			/* audit.lost and friends: the audit status check says it once */
			if (strncmp(v[i].name, "audit.", 6)) {
				c = add(l, v[i].name, SL_UNKNOWN, "%s", v[i].error);
				snprintf(c->fix, sizeof(c->fix), "run seclog doctor as root");
			}
			continue;
		}
		if (!v[i].problem)
			continue;
		problems++;
		c = add(l, v[i].name, SL_PROBLEM, "%s=%s: %s", v[i].name, v[i].value, v[i].note);
		if (v[i].lifted[0])
			snprintf(c->fix, sizeof(c->fix),
				 "seclog limits lift (sets %s=%s), or seclog harvest --lift-limits",
				 v[i].name, v[i].lifted);
		else
			snprintf(c->fix, sizeof(c->fix), "change it in the daemon's configuration");
	}
	if (!problems)
		add(l, "rate limits", SL_OK, "no limit drops SECCOMP records (see seclog limits "
		    "status)");
	free(v);
}

/* runc 1.1 refuses seccomp "flags" it does not know: worth a line */
static void check_runtimes(struct list *l)
{
	static const char *const runtimes[] = { "runc", "crun" };
	char cmd[64], line[256];
	size_t i;
	FILE *p;

	for (i = 0; i < 2; i++) {
		snprintf(cmd, sizeof(cmd), "%s --version 2>/dev/null", runtimes[i]);
		p = popen(cmd, "r");
		if (!p)
			continue;
		if (fgets(line, sizeof(line), p)) {
			line[strcspn(line, "\n")] = '\0';
			add(l, "container runtime", SL_INFO,
			    "%s: a runtime may refuse profile \"flags\" it does not know (runc 1.1 "
			    "does); keep them to what '%s features' lists", line, runtimes[i]);
		}
		pclose(p);
	}
}

/* Which source a live harvest (--follow, seclog run) would read. */
static void check_live(struct list *l)
{
	struct sl_source src;
	char *why = NULL, *cause = NULL, *nl;
	struct sl_check *c;

	if (sl_source_auto(&src, SL_SOURCE_FOLLOW, &why, &cause)) {
		c = add(l, "live source", SL_PROBLEM, "no source can be followed here: %s", cause);
		add_fix(c, "run as root (netlink needs CAP_AUDIT_READ)");
	} else {
		c = add(l, "live source", SL_INFO, "--follow and seclog run read %s", src.ops->name);
		sl_source_close(&src);
	}
	/* the better sources it could not take, on one line */
	for (nl = why; nl && (nl = strchr(nl, '\n')); )
		*nl = ',';
	if (why)
		snprintf(c->detail + strlen(c->detail), sizeof(c->detail) - strlen(c->detail),
			 " (not %s)", why);
	free(why);
	free(cause);
}

void sl_doctor_run(struct sl_check **out, size_t *n)
{
	struct list l = { 0 };
	struct sl_audit_status st;
	bool st_ok;

	memset(&st, 0, sizeof(st));
	check_kernel(&l);
	check_audit(&l, &st, &st_ok);
	check_destination(&l, &st, st_ok);
	check_limits(&l);
	check_runtimes(&l);
	check_live(&l);
	*out = l.v;
	*n = l.n;
}
