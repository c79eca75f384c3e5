/* cmd.c - the command table and the CLI's message helpers */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "cmd.h"

const struct sl_cmd *const sl_cmds[] = {
	&sl_cmd_harvest,
	&sl_cmd_limits,
	&sl_cmd_doctor,
	NULL,
};

static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "seclog: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void sl_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void sl_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

int sl_usage_error(const struct sl_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vmsg("", fmt, ap);
		va_end(ap);
	}
	fprintf(stderr, "usage: seclog %s %s\n", cmd->name, cmd->usage);
	fprintf(stderr, "Try 'seclog %s --help' for more information.\n", cmd->name);
	return SL_EXIT_USAGE;
}

int sl_cmd_help(const struct sl_cmd *cmd)
{
	printf("usage: seclog %s %s\n\n%s\n\n%s", cmd->name, cmd->usage, cmd->summary, cmd->help);
	printf("\nSee seclog-%s(1) for details.\n", cmd->name);
	return SL_EXIT_OK;
}
