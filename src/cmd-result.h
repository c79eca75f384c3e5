/* cmd-result.h - the CLI's telling of a harvest, shared by harvest and run */
#ifndef SL_CMD_RESULT_H
#define SL_CMD_RESULT_H

#include <stdbool.h>
#include <stddef.h>

#include "harvest.h"
#include "pass.h"

struct sl_report {
	bool json, quiet, verbose;
	bool named;		/* the user named the sources: unreadable ones fail */
	/* nothing matched is a result, not a filter gone wrong (run under a
	 * profile: every syscall was allowed, the pass converged) */
	bool none_expected;
	/* harvest --strace: the traces read, named in the pass history */
	const char *const *straces;
	size_t nstraces;
	/* run: the command and how it ended, for --json (NULL: none) */
	const char *command;
	int command_status;
	struct sl_pass_opts pass;
};

/*
 * A source the user named that gave no record, only lines in a layout
 * seclog does not read, is an error: returns SL_EXIT_FAIL after saying so.
 */
int sl_report_unread(const struct sl_report *a, const struct sl_source *srcs, size_t n);

/* The warnings about sources, names, losses, filters (none with quiet). */
void sl_report_warnings(const struct sl_report *a, const struct sl_harvest *h,
			const struct sl_source *srcs, size_t n);

/*
 * Write the pass (merge, new profile, diff) and print the result (text or
 * JSON).  Returns an exit status: SL_EXIT_OK, _FAIL (also: --check found
 * changes), _NOTHING.
 */
int sl_report_pass(struct sl_report *a, const struct sl_harvest *h,
		   const struct sl_source *srcs, size_t n, struct sl_pass_result *m);

/* The syscalls, a line each: "arch name count". */
void sl_report_text(const struct sl_harvest *h);

/* The JSON result on stdout (m: the merge's, or NULL). */
void sl_report_json(const struct sl_report *a, const struct sl_harvest *h,
		    const struct sl_source *srcs, size_t nsrcs, const struct sl_pass_result *m);

/* The source a --source names (netlink, journal, kmsg), or NULL. */
const struct sl_source_ops *sl_report_source_kind(const char *name);

/*
 * --source auto: open the best source in src, saying on stderr which it
 * took and why not each better one.  0, or SL_EXIT_FAIL after saying why.
 */
int sl_report_source_auto(const struct sl_report *a, struct sl_source *src, unsigned int flags);

/* "seclog: source: NAME [PATH]" unless quiet. */
void sl_report_source(const struct sl_report *a, const struct sl_source *src);

#endif
