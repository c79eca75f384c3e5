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
