/* audit-status.c - audit status, settings and exclude rules via libaudit */
#include "config.h"

#include <errno.h>
#include <libaudit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit-status.h"
#include "error.h"

#define SECCOMP_TYPE 1326	/* AUDIT_SECCOMP */

static int open_audit(char **cause)
{
	int fd = audit_open();

	if (fd < 0)
		return sl_fail(cause, -errno, "audit netlink socket: %s", strerror(errno));
	return fd;
}

static const char *perm_hint(int err)
{
	return err == -EPERM || err == -EACCES ? " (needs root: CAP_AUDIT_CONTROL)" : "";
}

int sl_audit_get_status(struct sl_audit_status *st, char **cause)
{
	struct audit_reply rep;
	int fd = open_audit(cause), rc, i;

	if (fd < 0)
		return fd;
	rc = audit_request_status(fd);
	if (rc < 0) {
		audit_close(fd);
		return sl_fail(cause, rc, "audit status: %s%s", strerror(-rc), perm_hint(rc));
	}
	for (i = 0; i < 16; i++) {
		rc = audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0);
		if (rc <= 0)
			break;
		if (rep.type == NLMSG_ERROR && rep.error->error) {
			rc = rep.error->error;
			break;
		}
		if (rep.type != AUDIT_GET)
			continue;
		st->enabled = rep.status->enabled;
		st->failure = rep.status->failure;
		st->pid = rep.status->pid;
		st->rate_limit = rep.status->rate_limit;
		st->backlog_limit = rep.status->backlog_limit;
		st->lost = rep.status->lost;
		st->backlog = rep.status->backlog;
		st->backlog_wait_time = rep.status->backlog_wait_time;
		audit_close(fd);
		return 0;
	}
	audit_close(fd);
	if (rc >= 0)
		rc = -EIO;
	return sl_fail(cause, rc, "audit status: %s%s", strerror(-rc), perm_hint(rc));
}

int sl_audit_set(const char *field, uint32_t value, char **cause)
{
	int fd = open_audit(cause), rc;

	if (fd < 0)
		return fd;
	if (!strcmp(field, "rate_limit"))
		rc = audit_set_rate_limit(fd, (int)value);
	else if (!strcmp(field, "backlog_limit"))
		rc = audit_set_backlog_limit(fd, value);
	else if (!strcmp(field, "backlog_wait_time"))
		rc = audit_set_backlog_wait_time(fd, value);
	else if (!strcmp(field, "enabled"))
		rc = audit_set_enabled(fd, value);
	else
		rc = -EINVAL;
	audit_close(fd);
	if (rc < 0)
		return sl_fail(cause, rc, "audit %s: %s%s", field, strerror(-rc), perm_hint(rc));
	return 0;
}

/* Does "msgtype OP value" hold for SECCOMP's type? */
static bool type_matches(uint32_t op, uint32_t v)
{
	uint32_t t = SECCOMP_TYPE;

	switch (op) {
	case AUDIT_EQUAL:
		return t == v;
	case AUDIT_NOT_EQUAL:
		return t != v;
	case AUDIT_LESS_THAN:
		return t < v;
	case AUDIT_LESS_THAN_OR_EQUAL:
		return t <= v;
	case AUDIT_GREATER_THAN:
		return t > v;
	case AUDIT_GREATER_THAN_OR_EQUAL:
		return t >= v;
	case AUDIT_BIT_MASK:
		return t & v;
	case AUDIT_BIT_TEST:
		return (t & v) == v;
	}
	return true;
}

static const char *op_name(uint32_t op)
{
	switch (op) {
	case AUDIT_EQUAL:
		return "=";
	case AUDIT_NOT_EQUAL:
		return "!=";
	case AUDIT_LESS_THAN:
		return "<";
	case AUDIT_LESS_THAN_OR_EQUAL:
		return "<=";
	case AUDIT_GREATER_THAN:
		return ">";
	case AUDIT_GREATER_THAN_OR_EQUAL:
		return ">=";
	}
	return "&";
}

static char *describe(const struct audit_rule_data *r)
{
	char buf[512];
	size_t n;
	uint32_t i, other = 0;

	n = (size_t)snprintf(buf, sizeof(buf), "-a %s,exclude",
			     r->action == AUDIT_NEVER ? "never" : "always");
	for (i = 0; i < r->field_count && n < sizeof(buf); i++) {
		if (r->fields[i] == AUDIT_MSGTYPE) {
			const char *name = audit_msg_type_to_name((int)r->values[i]);

			if (name)
				n += (size_t)snprintf(buf + n, sizeof(buf) - n, " -F msgtype%s%s",
						      op_name(r->fieldflags[i]), name);
			else
				n += (size_t)snprintf(buf + n, sizeof(buf) - n, " -F msgtype%s%u",
						      op_name(r->fieldflags[i]), r->values[i]);
		} else {
			other++;
		}
	}
	if (other && n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - n, " (and %u other field%s)", other,
			 other == 1 ? "" : "s");
	return sl_xstrdup(buf);
}

int sl_audit_seccomp_excludes(char **rules, int max, char **cause)
{
	struct audit_reply rep;
	int fd = open_audit(cause), rc, found = 0;

	if (fd < 0)
		return fd;
	rc = audit_request_rules_list_data(fd);
	if (rc < 0) {
		audit_close(fd);
		return sl_fail(cause, rc, "audit rules: %s%s", strerror(-rc), perm_hint(rc));
	}
	for (;;) {
		const struct audit_rule_data *r;
		bool match = true;
		uint32_t i;

		rc = audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0);
		if (rc <= 0 || rep.type == NLMSG_DONE)
			break;
		if (rep.type == NLMSG_ERROR) {
			if (rep.error->error) {
				rc = rep.error->error;
				break;
			}
			continue;
		}
		if (rep.type != AUDIT_LIST_RULES)
			continue;
		r = rep.ruledata;
		/* every rule on the exclude list drops what it matches */
		if ((r->flags & ~AUDIT_FILTER_PREPEND) != AUDIT_FILTER_EXCLUDE)
			continue;
		for (i = 0; i < r->field_count; i++)
			if (r->fields[i] == AUDIT_MSGTYPE &&
			    !type_matches(r->fieldflags[i], r->values[i]))
				match = false;
		if (match && found < max)
			rules[found++] = describe(r);
	}
	audit_close(fd);
	if (rc < 0) {
		while (found)
			free(rules[--found]);
		return sl_fail(cause, rc, "audit rules: %s%s", strerror(-rc), perm_hint(rc));
	}
	return found;
}
