/* host-logs.h - where this host's logging daemons are and write */
#ifndef SL_HOST_LOGS_H
#define SL_HOST_LOGS_H

#include <stddef.h>
#include <sys/types.h>

/* The process whose comm is name, or 0. */
pid_t sl_find_process(const char *name);

/* auditd.conf's log_file, or its default /var/log/audit/audit.log. */
void sl_auditd_log_file(char *out, size_t len);

#endif
