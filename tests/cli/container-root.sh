#!/bin/sh
# container-root.sh - scripts/container-loop in the real runtimes: busybox
# httpd + wget in a container, from seclog init's empty template to a
# converged profile (harvest --container for runc and crun, an audit
# session tag for podman), then enforced 10 times, and failing without
# bind; and harvest --container's lookup of a container's init.  Every
# installed runtime that can start a container here is run; a missing one
# is installed when SECLOG_INSTALL_RUNTIMES=1 or CI is set.
. "$TESTLIB"

[ "$(id -u)" = 0 ] || skip "not root: containers and the kernel's records need root"
need_kernel_records
command -v jq >/dev/null || skip "no jq"
loop=$(cd "$(dirname "$TESTLIB")/../.." && pwd)/scripts/container-loop
[ -x "$loop" ] || skip "no $loop"

missing=
for rt in runc crun; do
	command -v $rt >/dev/null || missing="$missing $rt"
done
if [ -n "$missing" ] && { [ "${SECLOG_INSTALL_RUNTIMES:-}" = 1 ] || [ -n "${CI:-}" ]; }; then
	echo "# installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends $missing >"$T/apt.out" 2>&1 ||
		{ apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends $missing; } >>"$T/apt.out" 2>&1 ||
		tail -3 "$T/apt.out"
fi
rts=
for rt in runc crun podman; do
	command -v $rt >/dev/null && rts="$rts --runtime $rt"
done
[ -n "$rts" ] || skip "none of runc, crun, podman is installed (SECLOG_INSTALL_RUNTIMES=1 installs runc and crun)"

serialize
ids=
cleanup() {
	for id in $ids; do
		runc delete -f "$id" >/dev/null 2>&1
	done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

# --container: the runtime's own answer, or its error
check "--container of no container: exit 1" \
	status 1 "$SECLOG" harvest --container seclog-none-$$ -f /dev/null
check "  with each runtime's reason" has "no runtime knows container 'seclog-none-$$' (runc: " "$T/err"
check "--container with an unknown runtime prefix is an id (and unknown)" \
	status 1 "$SECLOG" harvest --container nosuch:x -f /dev/null

start=$(date +%s)
"$loop" $rts --runs 10 --keep "$T/loop" --seclog "$SECLOG" >"$T/loop.out" 2>"$T/loop.err"
rc=$?
echo "# container-loop: exit $rc, $(($(date +%s) - start)) s"
sed 's/^/# /' "$T/loop.out" | grep -v '^# learned'
sed 's/^/# stderr: /' "$T/loop.err" | tail -5
[ $rc = 77 ] && skip "container-loop could not run here: $(tail -1 "$T/loop.err")"
grep -q ': converged after\|NOT converged' "$T/loop.out" ||
	skip "no runtime could start a container here: $(grep SKIP "$T/loop.err" | tail -1)"
check "container-loop exits 0" test $rc = 0
for rt in runc crun podman; do
	grep -q "^$rt: converged\|^$rt: NOT" "$T/loop.out" || continue
	p=$T/loop/$rt/profile.json
	check "$rt: converged (seclog status says so)" has "^$rt: converged after [0-9]* passes" "$T/loop.out"
	check "  its history: the first pass learned the service's calls" \
		jqok -s '[.[] | select(.command == "harvest")][0].added.x86_64 // [] |
			index("bind") != null and index("accept") != null and index("connect") != null' \
		"$p.seclog-history"
	check "  the last two added nothing" \
		jqok -s '[.[] | select(.command == "harvest")][-2:] | map(.added == {}) | all' "$p.seclog-history"
	check "  enforce: an ERRNO profile" jqok '.defaultAction == "SCMP_ACT_ERRNO" and (has("seclog") | not)' "$p"
	check "  enforced, 10 runs of 10 served the page" has "^$rt: .*; enforced 10/10;" "$T/loop.out"
	check "  without bind the service fails (no page)" has "^$rt: .*no page (as it must)" "$T/loop.out"
done
# runc's Go init makes calls after its filter is in (futex): started as
# containerd does (create, then start), every pass shows them
grep -q '^runc: converged' "$T/loop.out" &&
	check "runc: its init's futex was learned" jqok '[.syscalls[].names[]?] | index("futex") != null' \
		"$T/loop/runc/profile.json"

# --container on a created runc container: its init's pid, as runc state says
if grep -q '^runc: converged' "$T/loop.out"; then
	id=seclog-ct-$$
	ids=$id
	if runc create -b "$T/loop/runc/bundle" $id >/dev/null 2>&1 </dev/null; then
		pid=$(runc state $id | jq .pid)
		check "--container runc:ID on a created container: exit 0" \
			status 0 "$SECLOG" harvest -v --container runc:$id -f /dev/null
		check "  its init is runc state's pid" has "runc's init is pid $pid\$" "$T/err"
		check "  the same without the runtime's name" \
			status 0 "$SECLOG" harvest -v --container $id -f /dev/null
		check "  (runc answered)" has "runc's init is pid $pid\$" "$T/err"
		runc delete -f $id >/dev/null 2>&1
		check "  deleted: exit 1" status 1 "$SECLOG" harvest --container runc:$id -f /dev/null
	fi
fi
finish
