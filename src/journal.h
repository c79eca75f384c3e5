/* journal.h - SECCOMP records in journalctl's structured outputs */
#ifndef SL_JOURNAL_H
#define SL_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "record.h"

/* How one journal entry is laid out. */
enum sl_jform {
	SL_J_NONE = 0,
	SL_J_JSON,	/* -o json, json-seq, json-sse: one line per entry */
	SL_J_EXPORT,	/* -o export: KEY=value lines, binary fields, a blank line */
	SL_J_VERBOSE,	/* -o verbose: a date line, then "    KEY=value" lines */
	SL_J_PRETTY,	/* -o json-pretty: "{", "\t\"KEY\" : value," lines, "}" */
};

/*
 * The multi-line entry form a line belongs to (EXPORT, VERBOSE, PRETTY),
 * or SL_J_NONE for a line that stands alone.
 */
enum sl_jform sl_journal_line_form(const char *line, size_t len);

/*
 * Where the entry that starts at p ends (past its last newline), for an
 * input whose every entry is walked.  Returns 1 with *end, 0 when the end
 * is not in [p, bend) yet (at_eof: nothing follows bend), -1 when no entry
 * of that form starts at p.
 */
int sl_journal_entry_end(enum sl_jform form, const char *p, const char *bend, bool at_eof,
			 const char **end);

/*
 * Where the entry holding the line at `line` begins and ends inside
 * buf[0, len).  from_start: buf begins at the start of the input; at_eof:
 * nothing follows buf.  Returns 1 with [*start, *end) (the end past the
 * entry's last newline), 0 when its end is not in buf yet, -1 when its
 * start, or the start of a line it is told from (the one before it), is
 * not in buf: a line cut by buf's start is never judged (!from_start).
 */
int sl_journal_entry_bounds(enum sl_jform form, const char *buf, size_t len, const char *line,
			    bool from_start, bool at_eof, const char **start, const char **end);

/*
 * Parse one entry (for SL_J_JSON one line) into rec, as sl_record_parse
 * does for a line.  The MESSAGE field is parsed as a line; _AUDIT_ID and
 * _SOURCE_REALTIME_TIMESTAMP give an audit-transport record the stamp its
 * MESSAGE lacks, and _TRANSPORT says who wrote it (rec->origin).  Never
 * allocates.
 */
int sl_journal_parse(enum sl_jform form, const char *text, size_t len, struct sl_record *rec);

#endif
