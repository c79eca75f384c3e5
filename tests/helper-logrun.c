/*
 * helper-logrun: run a command under a complain-mode seccomp filter
 * (default action SCMP_ACT_LOG), so that the kernel writes a SECCOMP audit
 * record for every syscall it makes.  Used by the tests and by
 * scripts/quickstart to produce real records.
 *
 *   helper-logrun [-x] [-t TAG] [-n COUNT] -- CMD [ARG...]
 *   helper-logrun [-x] [-t TAG] [-d USEC] [-s NAME] -n COUNT
 *
 * -x        also add the x86 (i386) arch, so 32-bit programs run logged too
 * -t TAG    write TAG to /proc/self/loginuid first (root, unset loginuid):
 *           every record of the run then carries auid=TAG
 * -n COUNT  with no CMD: call getppid() COUNT times under the filter
 *           (a burst of COUNT records) and exit
 * -s NAME   call syscall NAME (no arguments) instead of getppid: a flood
 *           whose records a test can tell from its workload's
 * -d USEC   pause USEC microseconds between those calls, spinning on the
 *           vDSO clock (no syscall, so no record): still far above the
 *           printk rate limit, slow enough for a /dev/kmsg reader to keep
 *           up with a 128 KiB ring
 */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void spin(long usec)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((b.tv_sec - a.tv_sec) * 1000000L + (b.tv_nsec - a.tv_nsec) / 1000 < usec);
}

static int set_loginuid(const char *tag)
{
	int fd = open("/proc/self/loginuid", O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, tag, strlen(tag));
	close(fd);
	return n < 0 ? -errno : 0;
}

int main(int argc, char **argv)
{
	scmp_filter_ctx ctx;
	const char *tag = NULL;
	long count = -1, delay = 0, nr = SYS_getppid;
	int x86 = 0, c, rc;

	while ((c = getopt(argc, argv, "+xt:n:d:s:")) != -1) {
		switch (c) {
		case 'x':
			x86 = 1;
			break;
		case 't':
			tag = optarg;
			break;
		case 'n':
			count = strtol(optarg, NULL, 10);
			break;
		case 'd':
			delay = strtol(optarg, NULL, 10);
			break;
		case 's':
			nr = seccomp_syscall_resolve_name(optarg);
			if (nr == __NR_SCMP_ERROR) {
				fprintf(stderr, "helper-logrun: no syscall %s\n", optarg);
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: helper-logrun [-x] [-t TAG] [-d USEC] [-s NAME] [-n COUNT] "
					"[-- CMD [ARG...]]\n");
			return 2;
		}
	}
	if (optind >= argc && count < 0) {
		fprintf(stderr, "helper-logrun: nothing to run\n");
		return 2;
	}
	if (tag && (rc = set_loginuid(tag)) < 0) {
		fprintf(stderr, "helper-logrun: loginuid: %s\n", strerror(-rc));
		return 1;
	}
	ctx = seccomp_init(SCMP_ACT_LOG);
	if (!ctx) {
		fprintf(stderr, "helper-logrun: seccomp_init failed\n");
		return 1;
	}
	if (x86 && (rc = seccomp_arch_add(ctx, SCMP_ARCH_X86)) < 0 && rc != -EEXIST) {
		fprintf(stderr, "helper-logrun: arch x86: %s\n", strerror(-rc));
		return 1;
	}
	rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc < 0) {
		fprintf(stderr, "helper-logrun: seccomp_load: %s\n", strerror(-rc));
		return 1;
	}
	if (optind >= argc) {
		/* raw syscall: glibc may cache getppid in the future */
		for (long i = 0; i < count; i++) {
			syscall(nr);
			if (delay)
				spin(delay);
		}
		return 0;
	}
	execvp(argv[optind], argv + optind);
	fprintf(stderr, "helper-logrun: %s: %s\n", argv[optind], strerror(errno));
	return 127;
}
