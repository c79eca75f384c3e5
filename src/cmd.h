/* cmd.h - one entry per subcommand, listed once in cmd.c */
#ifndef SL_CMD_H
#define SL_CMD_H

#include <stdbool.h>
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
extern const struct sl_cmd sl_cmd_complain;
extern const struct sl_cmd sl_cmd_enforce;
extern const struct sl_cmd sl_cmd_status;
extern const struct sl_cmd sl_cmd_init;
extern const struct sl_cmd sl_cmd_diff;
extern const struct sl_cmd sl_cmd_lint;
extern const struct sl_cmd sl_cmd_export;
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
/*
 * Rewrite the profile at path with edit (rewrite.h) and tell the result:
 * the diff (--dry-run), the text (output "-"), or "PATH: WHAT written".
 * Returns an exit status.
 */
struct sl_rewrite_opts;
struct sl_profile;
struct sl_jedits;
int sl_report_rewrite(const char *path, struct sl_rewrite_opts *o,
		      int (*edit)(const struct sl_profile *p, void *arg, char **out,
				  size_t *outlen, struct sl_jedits *edits, char **cause),
		      void *arg, bool quiet, const char *what);
/*
 * After the options, exactly one operand (what: "profile"): returns it,
 * or NULL after a usage error (the caller returns SL_EXIT_USAGE).
 */
const char *sl_one_operand(const struct sl_cmd *cmd, int argc, char **argv, const char *what);
/* Print --help to stdout. */
int sl_cmd_help(const struct sl_cmd *cmd);

#endif
