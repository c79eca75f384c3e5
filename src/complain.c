/*
 * complain.c - load a profile in complain mode (seclog run): the filter of
 * its complain twin (twin.h), from enforce.c's builder.
 */
#include "config.h"

#include <errno.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "complain.h"
#include "enforce.h"
#include "error.h"

/* May this process load a filter without no_new_privs? */
static bool may_skip_nnp(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return false;
	return data[CAP_SYS_ADMIN / 32].effective & (1u << (CAP_SYS_ADMIN % 32));
}

int sl_complain_load(const struct sl_profile *p, bool log_denied, bool *nnp, char **cause)
{
	scmp_filter_ctx ctx;
	int rc = sl_enforce_build(p, SL_BUILD_COMPLAIN | (log_denied ? SL_BUILD_LOG_DENIED : 0),
				  &ctx, cause);

	if (rc)
		return rc;
	/* libseccomp sets no_new_privs on load unless told not to */
	*nnp = !may_skip_nnp();
	if (!*nnp && (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0)
		return sl_fail(cause, rc, "no_new_privs: %s", strerror(-rc));
	if ((rc = seccomp_load(ctx)) < 0)
		return sl_fail(cause, rc, "seccomp_load: %s", strerror(-rc));
	/* the context stays allocated: freeing it may call munmap, which the
	 * filter would log as the program's */
	return 0;
}

int sl_complain_check(const struct sl_profile *p, char **cause)
{
	scmp_filter_ctx ctx;
	int rc = sl_enforce_build(p, SL_BUILD_COMPLAIN, &ctx, cause);

	if (!rc)
		seccomp_release(ctx);
	return rc;
}

int sl_complain_pfc(const struct sl_profile *p, int fd, char **cause)
{
	scmp_filter_ctx ctx;
	int rc = sl_enforce_build(p, SL_BUILD_COMPLAIN, &ctx, cause);

	if (rc)
		return rc;
	rc = seccomp_export_pfc(ctx, fd);
	seccomp_release(ctx);
	return rc < 0 ? sl_fail(cause, rc, "seccomp_export_pfc: %s", strerror(-rc)) : 0;
}
