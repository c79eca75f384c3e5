/* cmd.c - the command table and the CLI's message helpers */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "limits-state.h"
#include "rewrite.h"
#include "tty.h"

const struct sl_cmd *const sl_cmds[] = {
	&sl_cmd_harvest,
	&sl_cmd_run,
	&sl_cmd_minimize,
	&sl_cmd_complain,
	&sl_cmd_enforce,
	&sl_cmd_status,
	&sl_cmd_init,
	&sl_cmd_limits,
	&sl_cmd_doctor,
	&sl_cmd_diff,
	&sl_cmd_lint,
	&sl_cmd_export,
	NULL,
};

/* "seclog: " in bold red for an error, "warning:" in bold yellow (tty.h) */
static void vmsg(bool warn, const char *fmt, va_list ap)
{
	fflush(stdout);
	sl_progress_clear();
	if (warn)
		fprintf(stderr, "seclog: %swarning:%s ", sl_color(stderr, SL_SGR_BOLD_YELLOW),
			sl_color(stderr, SL_SGR_RESET));
	else
		fprintf(stderr, "%sseclog:%s ", sl_color(stderr, SL_SGR_BOLD_RED),
			sl_color(stderr, SL_SGR_RESET));
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void sl_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(false, fmt, ap);
	va_end(ap);
}

void sl_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(true, fmt, ap);
	va_end(ap);
}

int sl_usage_error(const struct sl_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vmsg(false, fmt, ap);
		va_end(ap);
	}
	fprintf(stderr, "usage: seclog %s %s\n", cmd->name, cmd->usage);
	fprintf(stderr, "Try 'seclog %s --help' for more information.\n", cmd->name);
	return SL_EXIT_USAGE;
}

/* The long option that arg ("--name" or "--name=value") names, or NULL. */
static const struct option *long_named(const struct option *o, const char *arg, size_t *nmatch)
{
	size_t len = strcspn(arg + 2, "=");
	const struct option *found = NULL;

	*nmatch = 0;
	for (; o->name; o++) {
		if (strncmp(o->name, arg + 2, len))
			continue;
		if (strlen(o->name) == len) {
			*nmatch = 1;
			return o;
		}
		found = o;
		++*nmatch;
	}
	return *nmatch == 1 ? found : NULL;
}

int sl_opt_error(const struct sl_cmd *cmd, const struct option *longopts, int c, char **argv)
{
	const char *arg = argv[optind - 1];
	const struct option *o;
	size_t n, len;

	/*
	 * getopt's own messages lack our prefix and name no alternative.  For
	 * a long option glibc has stepped past it: argv[optind - 1] is it.  A
	 * short option may sit inside a cluster ("-qx"), so it is named by
	 * optopt alone.
	 */
	if (!strncmp(arg, "--", 2) && arg[2]) {
		o = long_named(longopts, arg, &n);
		len = strcspn(arg, "=");
		if (!o && n > 1) {
			char list[512] = "";
			const struct option *p;
			size_t used = 0;

			for (p = longopts; p->name && used < sizeof(list); p++)
				if (!strncmp(p->name, arg + 2, len - 2))
					used += (size_t)snprintf(list + used, sizeof(list) - used,
								 "%s--%s", used ? ", " : "",
								 p->name);
			return sl_usage_error(cmd, "option '%.*s' is ambiguous: %s", (int)len, arg,
					      list);
		}
		if (o && (optopt == o->val || !optopt)) {
			if (c == ':')
				return sl_usage_error(cmd, "option '--%s' needs an argument", o->name);
			if (o->has_arg == no_argument && arg[len])
				return sl_usage_error(cmd, "option '--%s' takes no argument", o->name);
		}
		if (!o && !optopt)
			return sl_usage_error(cmd, "unknown option '%.*s'", (int)len, arg);
	}
	if (c == ':')
		return sl_usage_error(cmd, "option '-%c' needs an argument", optopt);
	return sl_usage_error(cmd, "unknown option '-%c'", optopt);
}

void sl_pid_list(char *buf, size_t len, const struct sl_holder *h, size_t n)
{
	size_t used = (size_t)snprintf(buf, len, "pid%s", n == 1 ? "" : "s"), i;

	for (i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s %d", i ? "," : "",
					 (int)h[i].pid);
}

const char *sl_one_operand(const struct sl_cmd *cmd, int argc, char **argv, const char *what)
{
	if (optind >= argc) {
		sl_usage_error(cmd, "no %s given", what);
		return NULL;
	}
	if (optind + 1 < argc) {
		sl_usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
		return NULL;
	}
	return argv[optind];
}

int sl_cmd_help(const struct sl_cmd *cmd)
{
	printf("usage: seclog %s %s\n\n%s\n\n%s", cmd->name, cmd->usage, cmd->summary, cmd->help);
	printf("\nSee seclog-%s(1) for details.\n", cmd->name);
	return SL_EXIT_OK;
}

static void waiting(const char *path, void *arg)
{
	(void)arg;
	fprintf(stderr, "seclog: %s: another seclog is changing it; waiting\n", path);
}

int sl_report_rewrite(const char *path, struct sl_rewrite_opts *o,
		      int (*edit)(const struct sl_profile *p, void *arg, char **out,
				  size_t *outlen, struct sl_jedits *edits, char **cause),
		      void *arg, bool quiet, const char *what)
{
	bool to_stdout = o->output && !strcmp(o->output, "-");
	struct sl_rewrite_result r;
	char *cause = NULL;
	int rc;

	if (to_stdout) {
		o->output = NULL;
		o->check = true;
	}
	o->waiting = quiet ? NULL : waiting;
	rc = sl_rewrite(path, o, edit, arg, &r, &cause);
	if (rc) {
		sl_err("%s", cause ? cause : strerror(-rc));
		free(cause);
		return SL_EXIT_FAIL;
	}
	if (to_stdout) {
		fwrite(r.text, 1, r.len, stdout);
	} else if (o->dry_run) {
		sl_write_diff(stdout, r.diff, r.difflen);
	} else if (!quiet) {
		if (!r.changed && !o->output)
			fprintf(stderr, "seclog: %s: unchanged: it is the %s already\n", path, what);
		else
			fprintf(stderr, "seclog: %s: %s written\n", r.target, what);
		if (r.written && !strcmp(r.target, path))
			fprintf(stderr, "seclog: previous version kept in %s.bak\n", path);
	}
	if (r.history_error && !quiet)
		sl_warn("%s (not noted in the history)", r.history_error);
	sl_rewrite_result_free(&r);
	return SL_EXIT_OK;
}
