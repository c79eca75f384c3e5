/* sysctl.h - read and write kernel settings through /proc/sys */
#ifndef SL_SYSCTL_H
#define SL_SYSCTL_H

#include <stddef.h>

/* The /proc/sys path of a dotted name.  0 or -ENAMETOOLONG. */
int sl_sysctl_path(const char *name, char *path, size_t len);

/*
 * Read a setting by its dotted name ("kernel.printk_ratelimit") into buf,
 * without the trailing newline; tabs become spaces.  Returns 0 or -errno.
 */
int sl_sysctl_get(const char *name, char *buf, size_t len);

/* Write a setting.  Returns 0 or -errno (-EACCES/-EPERM: not permitted). */
int sl_sysctl_set(const char *name, const char *value);

#endif
