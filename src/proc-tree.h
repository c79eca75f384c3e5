/*
 * proc-tree.h - a process and its descendants, also those forked after
 * tracking began (--pid N --children, seclog run).  A pid names a process
 * for the span of time it lived only: a pid reused later is another
 * process (told by its start time), and its records are not taken.
 */
#ifndef SL_PROC_TREE_H
#define SL_PROC_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sl_proc_tree;

/*
 * Track the processes roots[0..n) and every descendant.  Uses the kernel's
 * process events connector when it can (root: every fork, even of a child
 * that lives a microsecond), else a scan of /proc each update (a child
 * that is born and dies between two scans is missed).  *how is set to a
 * static phrase saying which ("process events", "/proc scans").
 * Returns 0 or -errno with *cause set (a root that does not exist).
 */
int sl_proc_tree_open(struct sl_proc_tree **t, const int64_t *roots, size_t n, const char **how,
		      char **cause);

/* Poll this for POLLIN, then update: events as they come, or (scanning)
 * the timer of the next scan.  -1: none (update now and then). */
int sl_proc_tree_fd(const struct sl_proc_tree *t);

/* Take the events pending (or scan /proc).  Returns 0 or -errno. */
int sl_proc_tree_update(struct sl_proc_tree *t, char **cause);

/*
 * Was pid one of the tracked processes at time when (epoch seconds; < 0:
 * unknown, any time it was tracked)?  A pid not known yet is looked up
 * (events pending, /proc) before the answer is no.
 */
bool sl_proc_tree_has(struct sl_proc_tree *t, int64_t pid, double when);

/* Have all tracked processes exited? */
bool sl_proc_tree_empty(const struct sl_proc_tree *t);

void sl_proc_tree_close(struct sl_proc_tree *t);

#endif
