#!/bin/sh
# runtimes-root.sh - the complain twin in the real container runtimes.
# runc and crun (an OCI bundle, the profile as its linux.seccomp) and
# podman (--security-opt seccomp=FILE, with crun and with runc) load the
# twin `seclog complain` makes, a busybox command runs under it, and the
# kernel logs (type=1326) what the enforcing profile would deny; under the
# enforcing profile itself that call fails.  Podman also loads the twins of
# its own and Docker's default profiles.  A missing runtime is installed
# when SECLOG_INSTALL_RUNTIMES=1 or CI is set, else skipped with a message.
. "$TESTLIB"

[ "$(id -u)" = 0 ] || skip "not root: containers and the kernel's records need root"
need_kernel_records

missing=
for rt in runc crun podman; do
	command -v $rt >/dev/null || missing="$missing $rt"
done
if [ -n "$missing" ] && { [ "${SECLOG_INSTALL_RUNTIMES:-}" = 1 ] || [ -n "${CI:-}" ]; }; then
	echo "# installing$missing"
	t0=$(date +%s)
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends $missing >"$T/apt.out" 2>&1 ||
		{ apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends $missing; } >>"$T/apt.out" 2>&1 ||
		tail -3 "$T/apt.out"
	echo "# apt-get took $(($(date +%s) - t0)) s"
fi
rts=
for rt in runc crun podman; do
	if command -v $rt >/dev/null; then
		rts="$rts $rt"
	else
		echo "# $rt is not installed: not tested (SECLOG_INSTALL_RUNTIMES=1 installs it)"
	fi
done
[ -n "$rts" ] || skip "none of runc, crun, podman is installed (SECLOG_INSTALL_RUNTIMES=1 installs them)"
for rt in $rts; do
	echo "# $($rt --version | head -1)"
done

# a static busybox: the host's, or busybox-static's taken without
# installing it (it would replace a dynamic busybox)
bb=$(command -v busybox)
if [ -z "$bb" ] || ldd "$bb" >/dev/null 2>&1; then
	deb_file busybox-static '*/bin/busybox' busybox-static
	bb=$deb_got
fi
# podman's default profile: its broad allow list is the enforcing profile's
real_profiles >/dev/null

serialize
cleanup() {
	for id in $ids; do
		runc delete -f "$id" >/dev/null 2>&1
		crun delete -f "$id" >/dev/null 2>&1
	done
	rm -rf "$T"
}
ids=
trap cleanup EXIT INT TERM

# the rootfs: busybox at a path of its own, so that --exe takes the
# container's records only (the kernel names the exe as the container sees it)
R=$T/rootfs
mkdir -p "$R/seclog-rt" "$R/bin" "$R/proc" "$R/dev" "$R/sys" "$R/tmp" "$R/etc"
cp "$bb" "$R/seclog-rt/busybox"
chmod 755 "$R/seclog-rt/busybox"
for a in sh uname sync echo true; do
	ln -s /seclog-rt/busybox "$R/bin/$a"
done
"$R/seclog-rt/busybox" true || skip "$bb does not run here"

# P: enforcing, ERRNO (1) by default; allows what podman's default allows
# without conditions, and arch_prctl (allowed there by arch), except uname;
# sync is denied explicitly with its own errno.  No architectures: the
# host's own.  (Not getppid: runc's init
# calls it after the filter is in, and panics under podman when denied.)
jq '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW" and ((.includes // {}) | length) == 0 and
	((.excludes // {}) | length) == 0 and ((.args // []) | length) == 0) | .names[]] +
	["arch_prctl"] - ["uname", "sync"]' "$real_podman" >"$T/allow.json"
check "podman's default allows hundreds of calls" \
	jqok 'length > 200 and index("execve") != null' "$T/allow.json"
jq -n --slurpfile a "$T/allow.json" '{
	defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 1,
	syscalls: [{names: $a[0], action: "SCMP_ACT_ALLOW"},
		{names: ["sync"], action: "SCMP_ACT_ERRNO", errnoRet: 1}]}' >"$T/P.json"
check "complain P" status 0 "$SECLOG" complain -q "$T/P.json" -o "$T/twin.json"
check "complain --log-denied P" status 0 "$SECLOG" complain -q --log-denied "$T/P.json" -o "$T/twin-ld.json"
check "complain podman's default" status 0 "$SECLOG" complain -q "$real_podman" -o "$T/podman-twin.json"
check "complain Docker's default" status 0 "$SECLOG" complain -q "$real_docker" -o "$T/docker-twin.json"

# the OCI bundle runc and crun run: the profile goes in as linux.seccomp
# as it is, the twin's record with it
mkdir "$T/bundle"
if command -v runc >/dev/null; then
	(cd "$T/bundle" && runc spec)
elif command -v crun >/dev/null; then
	(cd "$T/bundle" && crun spec)
fi
[ -s "$T/bundle/config.json" ] && mv "$T/bundle/config.json" "$T/base.json"
W='["/bin/sh", "-c", "uname; sync; echo ok"]'
n=0
# oci RUNTIME PROFILE: run the workload in the bundle
oci() {
	local rt=$1
	n=$((n + 1))
	ids="$ids seclog-rt-$$-$n"
	jq --slurpfile s "$2" --arg r "$R" --argjson a "$W" \
		'.process.terminal = false | .process.args = $a | .root = {path: $r, readonly: true} |
		 .linux.seccomp = $s[0]' "$T/base.json" >"$T/bundle/config.json" || return 125
	in_ns $rt $rt run -b "$T/bundle" "seclog-rt-$$-$n"
}
# pod RUNTIME PROFILE: podman runs the workload (--runtime is a global
# option; options after --rootfs DIR are lost; podman raises RLIMIT_NOFILE
# and RLIMIT_NPROC by default, which root without CAP_SYS_RESOURCE may not)
pod() {
	in_ns $1 podman --runtime $1 run --rm --network none --ulimit nofile=1024:1024 \
		--ulimit nproc=1024:1024 --security-opt seccomp="$2" --rootfs "$R" /bin/sh -c 'uname; sync; echo ok'
}
# inrun NAME CMD...: CMD while a harvest takes the records of the
# container's busybox until CMD exits: NAME.json the records,
# NAME.out/.err/.rc CMD's output and status
mkfifo "$T/go"
inrun() {
	local name=$1 w h
	shift
	(read x <"$T/go"; "$@" >"$T/$name.out" 2>"$T/$name.err"; echo $? >"$T/$name.rc") &
	w=$!
	"$SECLOG" harvest --json --until-exit $w --exe /seclog-rt/busybox >"$T/$name.json" 2>"$T/$name.herr" &
	h=$!
	sleep 0.5
	echo go >"$T/go"
	wait $w
	wait $h
}
# logged NAME SYSCALL: NAME's records include SYSCALL
logged() { jqok --arg s "$2" '[.syscalls[] | select(.name == $s)] | length > 0' "$T/$1.json"; }
notlogged() { jqok --arg s "$2" '[.syscalls[] | select(.name == $s)] | length == 0' "$T/$1.json"; }

start=$(date +%s)
tested=0 skipped=
for rt in $rts; do
	if [ $rt = podman ]; then
		set -- pod-crun "pod crun" pod-runc "pod runc"
		command -v crun >/dev/null || set -- pod-runc "pod runc"
		command -v runc >/dev/null || set -- pod-crun "pod crun"
	else
		set -- $rt "oci $rt"
	fi
	while [ $# -gt 0 ]; do
		what=$1 how=$2
		shift 2
		# the host must let this runtime start a container at all (a chroot
		# without the cgroup mounts does not): else say so, test the others
		echo '{"defaultAction": "SCMP_ACT_ALLOW"}' >"$T/allow.json"
		if ! $how "$T/allow.json" >"$T/$what-probe.out" 2>"$T/$what-probe.err"; then
			echo "# SKIP $what: it cannot start a container here, even unconfined:" \
				"$(grep -v '^time=\|^Your kernel' "$T/$what-probe.err" | tail -1)"
			skipped="$skipped $what"
			continue
		fi
		tested=$((tested + 1))
		inrun $what-twin $how "$T/twin.json"
		check "$what loads the complain twin, the workload runs (exit 0)" \
			sh -c "test \"\$(cat '$T/$what-twin.rc')\" = 0 || { cat '$T/$what-twin.err' >&2; false; }"
		check "  uname ran although P denies it" has '^Linux$' "$T/$what-twin.out"
		check "  and was logged (type=1326)" logged $what-twin uname
		check "  sync, which P denies explicitly, was not" notlogged $what-twin sync
		inrun $what-ld $how "$T/twin-ld.json"
		check "$what loads the --log-denied twin (exit 0)" \
			sh -c "test \"\$(cat '$T/$what-ld.rc')\" = 0 || { cat '$T/$what-ld.err' >&2; false; }"
		check "  uname was logged" logged $what-ld uname
		check "  and sync, which P denies explicitly" logged $what-ld sync
		inrun $what-P $how "$T/P.json"
		check "$what: under P itself the workload starts" has '^ok$' "$T/$what-P.out"
		check "  and uname is denied" hasnt '^Linux$' "$T/$what-P.out"
		check "  silently (no record for an ERRNO action)" notlogged $what-P uname
		case $what in
		pod-*)
			for p in podman docker; do
				$how "$T/$p-twin.json" >"$T/$what-$p.out" 2>"$T/$what-$p.err"
				check "$what loads the twin of $p's default profile" \
					sh -c "grep -q '^ok\$' '$T/$what-$p.out' || { cat '$T/$what-$p.err' >&2; false; }"
			done
			;;
		esac
	done
done
echo "# $(($(date +%s) - start)) s for the runs"
[ $tested -gt 0 ] || skip "no runtime could start a container here:$skipped"
finish
