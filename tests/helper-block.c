/*
 * helper-block: a workload for seclog minimize's timeouts.  It leaves a
 * child behind (in its process group, still running when it exits), and
 * blocks, spinning, when getppid is denied: without getppid the run never
 * ends and must be killed.
 *
 *   helper-block MARKER     (MARKER: for pgrep -f, to find what is left)
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (fork() == 0)
		for (;;)
			pause();
	if (getppid() < 0)
		for (;;)
			;
	puts("ok");
	return 0;
}
