/*
 * helper-enforce: run a command under a seccomp profile, enforced as runc
 * would enforce it.  The end-to-end tests use it to prove that a merged
 * profile really lets the program run.
 *
 *   helper-enforce PROFILE -- CMD [ARG...]
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "enforce.h"
#include "profile.h"

int main(int argc, char **argv)
{
	struct sl_profile p;
	char *cause = NULL;

	if (argc < 4 || strcmp(argv[2], "--")) {
		fprintf(stderr, "usage: helper-enforce PROFILE -- CMD [ARG...]\n");
		return 2;
	}
	if (sl_profile_load(&p, argv[1], &cause)) {
		fprintf(stderr, "helper-enforce: %s: %s\n", argv[1], cause);
		return 2;
	}
	if (sl_enforce_load(&p, &cause)) {
		fprintf(stderr, "helper-enforce: %s: %s\n", argv[1], cause);
		return 2;
	}
	execvp(argv[3], argv + 3);
	/* under the filter now: no exit handlers (a sanitizer's leak check
	 * would make syscalls the profile refuses, and retry forever) */
	_exit(127);
}
