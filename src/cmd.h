/* cmd.h - one entry per subcommand, listed once in cmd.c */
#ifndef SL_CMD_H
#define SL_CMD_H

#include <stddef.h>

/* Exit statuses every command shares (seclog(1) documents them). */
enum {
	SL_EXIT_OK = 0,
	SL_EXIT_FAIL = 1,
	SL_EXIT_USAGE = 2,
	SL_EXIT_INCOMPLETE = 3,	/* the kernel reported lost records */
	SL_EXIT_NOTHING = 4,	/* harvest --check: no SECCOMP record to check */
};

struct sl_cmd {
	const char *name;	/* "harvest" */
	const char *summary;	/* one line for seclog --help */
	const char *usage;	/* the synopsis, also printed on usage errors */
	const char *help;	/* the options, for --help */
	int (*exec)(int argc, char **argv);	/* returns the exit status */
};

extern const struct sl_cmd sl_cmd_harvest;
extern const struct sl_cmd sl_cmd_limits;
extern const struct sl_cmd sl_cmd_doctor;
extern const struct sl_cmd sl_cmd_run;
extern const struct sl_cmd sl_cmd_minimize;

extern const struct sl_cmd *const sl_cmds[];

/* Messages in the house form: "seclog: <what>: <why>". */
void sl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sl_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print usage to stderr and return SL_EXIT_USAGE. */
int sl_usage_error(const struct sl_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * getopt_long returned '?' or ':' (opterr is 0, and every optstring starts
 * with ':'): say what was wrong in the house form, print the usage, and
 * return SL_EXIT_USAGE.  Uses optind, optopt and the longopts of cmd.
 */
struct option;
int sl_opt_error(const struct sl_cmd *cmd, const struct option *longopts, int c,
		 char **argv);
/* "pid 12" or "pids 12, 34" for a message. */
struct sl_holder;
void sl_pid_list(char *buf, size_t len, const struct sl_holder *h, size_t n);
/* Print --help to stdout. */
int sl_cmd_help(const struct sl_cmd *cmd);

#endif
