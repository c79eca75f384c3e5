/* record.h - one SECCOMP audit record and the line parser */
#ifndef SL_RECORD_H
#define SL_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where a line came from, as told by its shape. */
enum sl_format {
	SL_FMT_AUDITD = 1,	/* auditd audit.log: type=SECCOMP msg=audit(..) */
	SL_FMT_KMSG,		/* /dev/kmsg: 6,1234,5678,-;audit: type=1326 */
	SL_FMT_DMESG,		/* dmesg: [ 6775.88] audit: ..., dmesg -T */
	SL_FMT_SYSLOG,		/* rsyslog / journalctl -o short: ... kernel: */
	SL_FMT_JOURNAL,		/* journalctl -o short: audit[PID]: SECCOMP */
	SL_FMT_BARE,		/* journalctl -o cat: the message alone */
	SL_FMT_JOURNAL_JSON,	/* journalctl -o json (-seq, -sse, -pretty) */
	SL_FMT_JOURNAL_EXPORT,	/* journalctl -o export */
	SL_FMT_JOURNAL_VERBOSE,	/* journalctl -o verbose */
	SL_FMT_AUSEARCH,	/* ausearch -i: names, local time */
	SL_FMT_NETLINK,		/* the audit netlink socket: type + audit(..): body */
};

/*
 * Who made a record, as far as its line can tell (issue 7: forged lines).
 * Kernel-made lines come from the kernel or auditd and no local user can
 * write them (kmsg, dmesg, audit.log, the journal's audit and kernel
 * transports); syslog text can be written by anyone with logger(1).
 */
enum sl_origin {
	SL_ORIGIN_UNKNOWN = 0,	/* the layout does not say */
	SL_ORIGIN_KERNEL,	/* kernel-made */
	SL_ORIGIN_TEXT,		/* syslog text: anyone's */
};

/* Which fields a record held (sl_record.fields). */
enum {
	SL_F_AUID = 1 << 0,
	SL_F_UID = 1 << 1,
	SL_F_GID = 1 << 2,
	SL_F_SES = 1 << 3,
	SL_F_SUBJ = 1 << 4,
	SL_F_PID = 1 << 5,
	SL_F_COMM = 1 << 6,
	SL_F_EXE = 1 << 7,
	SL_F_SIG = 1 << 8,
	SL_F_ARCH = 1 << 9,
	SL_F_SYSCALL = 1 << 10,
	SL_F_COMPAT = 1 << 11,
	SL_F_IP = 1 << 12,
	SL_F_CODE = 1 << 13,
};

/* What a parsed line holds. */
enum sl_kind {
	SL_REC_SECCOMP = 1,	/* a SECCOMP record */
	SL_REC_LOSS,		/* the kernel saying it dropped records */
};

/* Why the kernel says records were lost. */
enum sl_loss {
	SL_LOSS_SUPPRESSED = 1,	/* kauditd_printk_skb: N callbacks suppressed */
	SL_LOSS_LOST,		/* audit: audit_lost=N ... */
	SL_LOSS_RATE,		/* audit: rate limit exceeded */
	SL_LOSS_BACKLOG,	/* audit: backlog limit exceeded */
	SL_LOSS_RING,		/* /dev/kmsg: the ring wrapped before it was read */
	SL_LOSS_PRINTK,		/* a live kmsg read saw the printk limit's burst */
	SL_LOSS_RESUME,		/* --state: the file it stopped in is gone */
	SL_LOSS_JOURNAL_KMSG,	/* journald: Missed N kernel messages (kmsg overrun) */
	SL_LOSS_JOURNAL_AUDIT,	/* journald stopped reading its audit socket */
	SL_LOSS_JOURNAL_GAP,	/* the journal no longer holds the entries after a
				 * resumed cursor (vacuumed) */
	SL_LOSS_OVERRUN,	/* the netlink socket's buffer overflowed */
};

#define SL_COMM_MAX 64
#define SL_EXE_MAX 4096
#define SL_SUBJ_MAX 256

struct sl_record {
	enum sl_kind kind;
	/* SL_REC_LOSS: why, and how many records (0: not said) */
	enum sl_loss loss;
	uint64_t lost;
	/* seconds since boot from a kmsg/dmesg/syslog prefix, or -1 */
	double uptime;

	/* audit(SEC.MSEC:SERIAL); has_stamp is false for journal lines */
	int64_t sec;
	uint32_t msec;
	uint32_t serial;
	bool has_stamp;
	bool has_time;		/* sec is known, from the stamp or the line */
	enum sl_format format;
	enum sl_origin origin;
	unsigned int fields;

	uint32_t auid, uid, gid, ses;
	int64_t pid;
	int64_t sig;
	uint32_t arch;		/* AUDIT_ARCH_* value */
	int64_t syscall;	/* as logged; x32 keeps bit 30 */
	int compat;
	uint64_t ip;
	uint32_t code;
	char subj[SL_SUBJ_MAX];
	char comm[SL_COMM_MAX];	/* decoded: may hold any byte */
	size_t comm_len;
	char exe[SL_EXE_MAX];
	size_t exe_len;
};

/*
 * Find the first place in [buf, buf+len) where a line worth parsing may be:
 * "SECCOMP", "audit: " or "skb: " (the kernel's loss reports); NULL if
 * none.  This is the hot path of a harvest: one vector pass over the data
 * for all markers, faster than grep's scan for one.
 */
const char *sl_record_scan(const char *buf, size_t len);

/*
 * Parse one line (no newline; may hold NUL bytes or a trailing CR).
 * Returns 1 and fills rec when the line is a SECCOMP record or a loss
 * report (rec->kind tells), 0 when it is neither, and -EBADMSG when it
 * looks like a SECCOMP record but is malformed or cut.  Never allocates.
 * Keeps the bytes of the last few records per thread to read a burst's
 * repeated fields once: a speed-up only, the result depends on the line
 * alone.
 */
int sl_record_parse(const char *line, size_t len, struct sl_record *rec);

/* A record holding nothing: what a parse starts from (a record made
 * otherwise, as a held loss report, must not keep an earlier one's fields). */
void sl_record_clear(struct sl_record *rec);

/*
 * The bulk of a dense audit.log, read before the line's end is known: buf
 * holds avail bytes from a line's start.  When the line is a SECCOMP
 * record in auditd's form (type=SECCOMP msg=audit(..): ...), fills rec as
 * sl_record_parse would for the whole line, sets *len to the line's length
 * (up to its newline, or avail) and returns 1; a record that ends with
 * the ENRICHED tail of a process just seen is read with no search for the
 * line's end but past its fields.  0 otherwise (rec is then undefined):
 * find the line's end and call sl_record_parse.
 */
int sl_record_parse_next(const char *buf, size_t avail, struct sl_record *rec, size_t *len);

/*
 * Does a line that sl_record_parse did not take hold a SECCOMP record in a
 * layout seclog does not read (an unknown prefix before a whole record,
 * ausearch --format text or csv)?  *hint is then NULL or a sentence naming
 * a form that works.
 */
bool sl_record_unknown(const char *line, size_t len, const char **hint);

/*
 * A record as the audit netlink socket hands it: the message type from
 * the netlink header (1326 for SECCOMP; any other type returns 0: the
 * kernel's loss reports are printk only, never sent on netlink) and the
 * body "audit(SEC.MSEC:SERIAL): auid=...", with no prefix before it.
 * Returns as sl_record_parse does; rec->format is SL_FMT_NETLINK and
 * rec->origin SL_ORIGIN_KERNEL.
 */
int sl_record_parse_body(int type, const char *body, size_t len, struct sl_record *rec);

/* Short name of a format ("auditd", "kmsg", ...). */
const char *sl_format_name(enum sl_format fmt);

#endif
