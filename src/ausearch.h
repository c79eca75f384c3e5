/* ausearch.h - ausearch -i's interpreted SECCOMP records */
#ifndef SL_AUSEARCH_H
#define SL_AUSEARCH_H

#include "record.h"

/*
 * Parse the interpreted form that `ausearch -i` prints, from just past
 * "msg=": "audit(12/01/26 14:03:22.985:61) : auid=unset uid=root ...
 * arch=x86_64 syscall=brk ... code=log".  Names are mapped back to
 * numbers (arch and syscall through libaudit's tables, which ausearch
 * used; users and groups through this host's).  The date is local time,
 * month first when written with slashes.  Returns 1, or -EBADMSG.
 */
int sl_ausearch_parse(const char *p, const char *end, struct sl_record *rec);

#endif
