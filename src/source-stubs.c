/*
 * source-stubs.c - placeholders, overridden by source-netlink.c and
 * source-journal.c (weak: whichever is linked wins).  Temporary.
 */
#include "config.h"

#include <errno.h>

#include "error.h"
#include "source.h"

static int stub_open(struct sl_source *src, char **cause)
{
	return sl_fail(cause, -ENOTSUP, "the %s source is not built in", src->ops->name);
}

__attribute__((weak)) const struct sl_source_ops sl_source_netlink_ops = {
	.name = "netlink", .trusted = true, .open = stub_open,
};

__attribute__((weak)) const struct sl_source_ops sl_source_journal_ops = {
	.name = "journal", .trusted = true, .open = stub_open,
};

/* state.c comes with issue 8's branches */
#include <stdlib.h>
#include "state.h"

__attribute__((weak)) int sl_state_load(struct sl_state *st, const char *path, char **cause)
{
	(void)st; (void)path;
	return sl_fail(cause, -ENOTSUP, "not built in");
}
__attribute__((weak)) char *sl_state_key(const struct sl_source *src) { (void)src; return NULL; }
__attribute__((weak)) const char *sl_state_get(const struct sl_state *st, const char *key) { (void)st; (void)key; return NULL; }
__attribute__((weak)) void sl_state_update(struct sl_state *st, struct sl_source *srcs, size_t n) { (void)st; (void)srcs; (void)n; }
__attribute__((weak)) int sl_state_save(const struct sl_state *st, const char *path, char **cause) { (void)st; (void)path; return sl_fail(cause, -ENOTSUP, "not built in"); }
__attribute__((weak)) void sl_state_free(struct sl_state *st) { (void)st; }
