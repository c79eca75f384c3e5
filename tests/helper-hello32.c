/*
 * helper-hello32: a tiny program built as a 32-bit (i386) static binary,
 * used to produce SECCOMP records with arch=40000003 compat=1:
 *
 *   gcc -m32 -static -o /tmp/hello32 tests/helper-hello32.c
 *   helper-logrun -x -- /tmp/hello32
 *
 * It makes a few easily recognised syscalls (getpid, brk, write) and exits.
 * Needs a kernel with IA32 emulation on; the dev VM's kernel has it off
 * ("32-bit emulation disabled"), see tests/fixtures/README (i386-noemu.txt).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	char buf[64];
	long pid = syscall(SYS_getpid);		/* i386: 20 */
	void *p = sbrk(4096);			/* i386: brk, 45 */
	int n = snprintf(buf, sizeof(buf), "hello32 pid=%ld brk=%p\n", pid, p);

	if (n > 0)
		write(1, buf, (size_t)n);	/* i386: write, 4 */
	return 0;
}
