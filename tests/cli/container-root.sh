#!/bin/sh
# container-root.sh - scripts/container-loop in the real runtimes: busybox
# httpd + wget in a container, from seclog init's empty template to a
# converged profile, each pass one `seclog run --runtime` (the runtime
# loads the twin, its run tagged with a fresh audit session), then
# enforced 10 times, and failing without bind; the same for runc with the
# passes made by hand (harvest --container between create and start);
# and harvest --container's lookup of a container's init.  Every
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
		jqok -s '[.[] | select(.command == "run")][0].added.x86_64 // [] |
			index("bind") != null and index("accept") != null and index("connect") != null' \
		"$p.seclog-history"
	check "  the last two added nothing" \
		jqok -s '[.[] | select(.command == "run")][-2:] | map(.added == {}) | all' "$p.seclog-history"
	check "  enforce: an ERRNO profile" jqok '.defaultAction == "SCMP_ACT_ERRNO" and (has("seclog") | not)' "$p"
	check "  enforced, 10 runs of 10 served the page" has "^$rt: .*; enforced 10/10;" "$T/loop.out"
	check "  without bind the service fails (no page)" has "^$rt: .*no page (as it must)" "$T/loop.out"
done
# runc's Go init makes calls after its filter is in (futex): started as
# containerd does (create, then start), every pass shows them
grep -q '^runc: converged' "$T/loop.out" &&
	check "runc: its init's futex was learned" jqok '[.syscalls[].names[]?] | index("futex") != null' \
		"$T/loop/runc/profile.json"

# seclog run --runtime on a bundle as `runc spec` makes it (a terminal, a
# relative rootfs): the container's exit status, the bundle untouched,
# the container and seclog's copy gone, runc's init's calls learned
for rt in runc crun; do
	grep -q "^$rt: converged" "$T/loop.out" || continue
	b=$T/spec-$rt
	mkdir -p "$b" "$T/tmp-$rt"
	ln -s "$T/loop/rootfs" "$b/rootfs"
	(cd "$b" && $rt spec) &&
		jq '.process.args = ["/bin/sh", "-c", "ls /www; exit 3"]' "$b/config.json" >"$b/c" &&
		mv "$b/c" "$b/config.json"
	cp "$b/config.json" "$T/config.orig"
	"$SECLOG" init -q -o "$T/$rt.json"
	set -- "$SECLOG" run --runtime $rt --bundle "$b" --name seclog-rt-$$ --merge "$T/$rt.json"
	# (in_ns's namespace as a command line, not a function: the SIGINT
	# check below needs seclog's own pid from a background job)
	[ $rt = crun ] && mountpoint -q /sys/fs/cgroup/unified &&
		set -- unshare -m --propagation private sh -c 'umount /sys/fs/cgroup/unified && exec "$@"' sh "$@"
	check "run --runtime $rt: the container's exit status (3)" status 3 env TMPDIR="$T/tmp-$rt" "$@"
	check "  its output is seclog's" has '^index.html$' "$T/out"
	check "  the bundle is not written" cmp -s "$b/config.json" "$T/config.orig"
	check "  the container is deleted" sh -c "! $rt state seclog-rt-$$ >/dev/null 2>&1"
	check "  seclog's copy is removed" test -z "$(ls -A "$T/tmp-$rt")"
	check "  ls's getdents64 learned" jqok '[.syscalls[].names[]?] | index("getdents64") != null' "$T/$rt.json"
	check "  a pass in the history, by run" jqok -s '.[-1].command == "run" and .[-1].records > 0' \
		"$T/$rt.json.seclog-history"
	[ $rt = runc ] && check "  runc's init's futex learned (create, then start)" \
		jqok '[.syscalls[].names[]?] | index("futex") != null' "$T/$rt.json"
	check "  a second pass adds nothing" status 3 env TMPDIR="$T/tmp-$rt" "$@"
	check "  (up to date)" has "up to date, nothing to add" "$T/err"
	# the init has a session of its own: seclog passes ^C on
	jq '.process.args = ["/bin/sh", "-c", "trap \"echo got INT; exit 7\" INT; echo up; sleep 30 & wait"]' \
		"$T/config.orig" >"$b/config.json"
	env TMPDIR="$T/tmp-$rt" "$@" >"$T/int.out" 2>"$T/int.err" &
	pid=$!
	i=0
	until grep -q up "$T/int.out" || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
	kill -INT $pid
	wait $pid
	check "  SIGINT to seclog reaches the container: its status (7)" test $? = 7
	check "  (its trap ran)" has "got INT" "$T/int.out"
	cp "$T/config.orig" "$b/config.json"
done

# the passes by hand: runc create, harvest --container, runc start
if grep -q '^runc: converged' "$T/loop.out"; then
	"$loop" --runtime runc --with harvest --runs 3 --keep "$T/byhand" --seclog "$SECLOG" \
		>"$T/byhand.out" 2>"$T/byhand.err"
	rc=$?
	sed 's/^/# /' "$T/byhand.out" | grep -v '^# learned' | tail -2
	check "by hand (harvest --container): container-loop exits 0" test $rc = 0
	check "  converged, enforced 3/3, fails without bind" \
		has '^runc: converged after .*; enforced 3/3; .*no page (as it must)' "$T/byhand.out"
	check "  its passes were harvests" \
		jqok -s '[.[] | select(.command == "harvest")] | length >= 3' \
		"$T/byhand/runc/profile.json.seclog-history"
fi

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
