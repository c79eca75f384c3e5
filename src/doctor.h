/* doctor.h - everything that can make a complain-mode run lose records */
#ifndef SL_DOCTOR_H
#define SL_DOCTOR_H

#include <stddef.h>

enum sl_verdict {
	SL_OK,
	SL_PROBLEM,	/* a harvest will miss records */
	SL_UNKNOWN,	/* could not tell (usually: not root) */
	SL_INFO,	/* worth knowing; never a failure */
};

struct sl_check {
	char name[48];
	enum sl_verdict verdict;
	char detail[640];
	char fix[640];
};

/* Run every check.  *out is malloc'd. */
void sl_doctor_run(struct sl_check **out, size_t *n);

/* "ok", "PROBLEM", "unknown", "info" */
const char *sl_verdict_name(enum sl_verdict v);

#endif
