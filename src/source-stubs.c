/* source-stubs.c - placeholders until proc-tree.c lands.  Temporary. */
#include "config.h"

#include <errno.h>

#include "error.h"
#include "source.h"

/* proc-tree.c comes with issue 8's branches (state.c is in) */
#include <stdlib.h>
#include "proc-tree.h"

__attribute__((weak)) int sl_proc_tree_open(struct sl_proc_tree **t, const int64_t *roots,
					    size_t n, const char **how, char **cause)
{
	(void)t; (void)roots; (void)n; (void)how;
	return sl_fail(cause, -ENOTSUP, "not built in");
}
__attribute__((weak)) int sl_proc_tree_fd(const struct sl_proc_tree *t) { (void)t; return -1; }
__attribute__((weak)) int sl_proc_tree_update(struct sl_proc_tree *t, char **cause) { (void)t; (void)cause; return 0; }
__attribute__((weak)) bool sl_proc_tree_has(struct sl_proc_tree *t, int64_t pid, double when) { (void)t; (void)pid; (void)when; return false; }
__attribute__((weak)) bool sl_proc_tree_empty(const struct sl_proc_tree *t) { (void)t; return true; }
__attribute__((weak)) void sl_proc_tree_close(struct sl_proc_tree *t) { (void)t; }
