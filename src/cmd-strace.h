/* cmd-strace.h - harvest --strace: traces read into a harvest, and told */
#ifndef SL_CMD_STRACE_H
#define SL_CMD_STRACE_H

#include <stdbool.h>
#include <stddef.h>

#include "harvest.h"
#include "strace.h"

/*
 * Read every trace into st, saying on stderr what each held (unless
 * quiet).  Returns 0, or SL_EXIT_FAIL after saying why (a file that
 * cannot be read, or holds no strace output at all).
 */
int sl_cmd_strace_read(struct sl_strace *st, const char *const *paths, size_t n, bool quiet);

/*
 * Add the traces' calls that pass h's --pid (--children) to h, and warn
 * (unless quiet) about names no arch knows, calls of the wrong arch and
 * calls the filter left out; verbose: list the traces' processes.
 */
void sl_cmd_strace_harvest(struct sl_strace *st, struct sl_harvest *h, bool children, bool quiet,
			   bool verbose);

#endif
