/* host-logs.c - where this host's logging daemons are and write */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host-logs.h"

/* The process whose comm is name, or 0. */
pid_t sl_find_process(const char *name)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t found = 0;

	while (d && !found && (e = readdir(d))) {
		char path[300], comm[64] = "";
		FILE *f;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, name, strlen(name)) &&
		    (comm[strlen(name)] == '\n' || !comm[strlen(name)]))
			found = (pid_t)atoi(e->d_name);
		fclose(f);
	}
	if (d)
		closedir(d);
	return found;
}

/* auditd.conf's log_file, or its default */
void sl_auditd_log_file(char *out, size_t len)
{
	FILE *f = fopen("/etc/audit/auditd.conf", "re");
	char line[512];

	snprintf(out, len, "/var/log/audit/audit.log");
	while (f && fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " \t");

		if (!strncmp(p, "log_file", 8)) {
			p = strchr(p, '=');
			if (p) {
				p += 1 + strspn(p + 1, " \t");
				p[strcspn(p, " \t\r\n")] = '\0';
				snprintf(out, len, "%s", p);
			}
		}
	}
	if (f)
		fclose(f);
}
