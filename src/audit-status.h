/* audit-status.h - the kernel audit subsystem's settings, through libaudit */
#ifndef SL_AUDIT_STATUS_H
#define SL_AUDIT_STATUS_H

#include <stdbool.h>
#include <stdint.h>

struct sl_audit_status {
	uint32_t enabled;		/* 0 off, 1 on, 2 locked */
	uint32_t failure;
	uint32_t pid;			/* auditd's pid, 0 when none is registered */
	uint32_t rate_limit;		/* records per second, 0 = no limit */
	uint32_t backlog_limit;
	uint32_t lost;			/* records dropped since boot */
	uint32_t backlog;
	uint32_t backlog_wait_time;	/* in jiffies */
};

/* Ask the kernel (AUDIT_GET; needs CAP_AUDIT_CONTROL).  0 or -errno. */
int sl_audit_get_status(struct sl_audit_status *st, char **cause);

/* Set "rate_limit", "backlog_limit", "backlog_wait_time" or "enabled". */
int sl_audit_set(const char *field, uint32_t value, char **cause);

/*
 * Audit rules that keep SECCOMP records out of the log: "never" rules on
 * the exclude list that match msgtype 1326 (or every type).  Fills up to
 * max short descriptions (auditctl -l style, malloc'd) and returns how
 * many, or -errno.
 */
int sl_audit_seccomp_excludes(char **rules, int max, char **cause);

#endif
