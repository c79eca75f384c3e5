#!/bin/sh
# export-root.sh - seclog export --format oci in real runtimes: the block,
# put as linux.seccomp into the config.json `runc spec` writes (with jq),
# (or by seclog export --bundle) loads in runc and crun and enforces: Docker's real default profile
# (archMap and includes resolved by seclog) runs a busybox workload that
# makes a directory; the same profile without mkdir/mkdirat makes it fail
# with EPERM.  A runtime that cannot start a container here even
# unconfined (a chroot without cgroup mounts) is skipped with its error.
. "$TESTLIB"

[ "$(id -u)" = 0 ] || skip "not root: runc and crun need root here"
[ "$(uname -m)" = x86_64 ] || skip "the profiles here are x86_64's"
rts=
for rt in runc crun; do
	command -v $rt >/dev/null && rts="$rts $rt"
done
[ -n "$rts" ] || skip "neither runc nor crun is installed (tests/cli/runtimes-root.sh installs them)"
real_profiles >/dev/null
docker=$real_docker
bb=$(command -v busybox)
if [ -z "$bb" ] || ldd "$bb" >/dev/null 2>&1; then
	deb_file busybox-static '*/bin/busybox' busybox-static
	bb=$deb_got
fi

ids=
cleanup() {
	for id in $ids; do
		runc delete -f "$id" >/dev/null 2>&1
		crun delete -f "$id" >/dev/null 2>&1
	done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

R=$T/rootfs
mkdir -p "$R/bin" "$R/proc" "$R/dev" "$R/sys" "$R/tmp" "$R/etc"
cp "$bb" "$R/bin/busybox"
chmod 755 "$R/bin/busybox"
for a in sh mkdir echo rmdir; do
	ln -s busybox "$R/bin/$a"
done
"$R/bin/busybox" true || skip "$bb does not run here"

mkdir "$T/bundle"
(cd "$T/bundle" && { command -v runc >/dev/null && runc spec || crun spec; })
mv "$T/bundle/config.json" "$T/base.json"
W='["/bin/sh", "-c", "mkdir /tmp/d && rmdir /tmp/d && echo ok"]'
n=0
# oci RUNTIME BLOCK [--bundle]: the workload in the bundle, BLOCK (a file)
# as linux.seccomp; with --bundle BLOCK is a profile seclog export puts in
oci() {
	local rt=$1
	n=$((n + 1))
	ids="$ids seclog-ex-$$-$n"
	if [ "${3:-}" = --bundle ]; then
		# the profile itself, put in by seclog export --bundle
		jq --arg r "$R" --argjson a "$W" '.process.terminal = false | .process.args = $a |
			.root = {path: $r, readonly: false}' "$T/base.json" >"$T/bundle/config.json" &&
			"$SECLOG" export -q --bundle "$T/bundle" "$2" || return 125
	else
		jq --slurpfile s "$2" --arg r "$R" --argjson a "$W" \
			'.process.terminal = false | .process.args = $a | .root = {path: $r, readonly: false} |
			 .linux.seccomp = $s[0]' "$T/base.json" >"$T/bundle/config.json" || return 125
	fi
	in_ns $rt $rt run -b "$T/bundle" "seclog-ex-$$-$n"
}

check "Docker's default as an OCI block" status 0 "$SECLOG" export -F oci -o "$T/dd.json" "$docker"
check "no Docker keys left" jqok '[.. | objects | (has("archMap") or has("includes") or has("excludes"))] | any | not' "$T/dd.json"
jq '(.syscalls[].names) -= ["mkdir", "mkdirat"]' "$docker" >"$T/nomkdir-profile.json"
check "without mkdir" status 0 "$SECLOG" export -F oci -o "$T/nomkdir.json" "$T/nomkdir-profile.json"
echo '{"defaultAction": "SCMP_ACT_ALLOW"}' >"$T/allow.json"
tested=0
for rt in $rts; do
	if ! oci $rt "$T/allow.json" >"$T/$rt-probe.out" 2>"$T/$rt-probe.err"; then
		echo "# SKIP $rt: it cannot start a container here, even unconfined:" \
			"$(grep -v '^time=\|^Your kernel' "$T/$rt-probe.err" | tail -1)"
		continue
	fi
	tested=$((tested + 1))
	echo "# $($rt --version | head -1)"
	check "$rt: loads the exported block and runs the workload" status 0 oci $rt "$T/dd.json"
	check "$rt: it printed ok" has "^ok$" "$T/out"
	check "$rt: without mkdir in the block" status 1 oci $rt "$T/nomkdir.json"
	check "$rt: mkdir is denied (EPERM)" has "Operation not permitted" "$T/err"
	check "$rt: the rest did not run" hasnt "^ok$" "$T/out"
	check "$rt: export --bundle, Docker's default" status 0 oci $rt "$docker" --bundle
	check "$rt: it printed ok" has "^ok$" "$T/out"
	check "$rt: export --bundle, without mkdir" status 1 oci $rt "$T/nomkdir-profile.json" --bundle
	check "$rt: mkdir is denied (EPERM)" has "Operation not permitted" "$T/err"
done
[ $tested -gt 0 ] || skip "no runtime could start a container here"
finish
