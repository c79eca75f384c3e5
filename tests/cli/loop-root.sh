#!/bin/sh
# loop-root.sh - the loop as a workflow on a real program: an empty
# template, passes of seclog run under its complain twin until seclog
# status says converged, then seclog enforce and seclog minimize; the
# program then runs under the enforcing profile with identical output, and
# not under the empty one.  glibc-base runs /bin/true and needs each of its
# names.  Also Docker's and podman's real defaults run in complain mode.
. "$TESTLIB"

[ "$(id -u)" = 0 ] || skip "not root: reading the kernel's records needs root"
need_kernel_records

serialize
old_rl=$(sysctl -n kernel.printk_ratelimit)
cleanup() {
	sysctl -q -w kernel.printk_ratelimit="$old_rl"
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
sysctl -q -w kernel.printk_ratelimit=0

# the workload: forks a pipeline that reads, sorts, compresses; over a
# directory of its own, which nothing else changes while minimize compares
# the outputs of its runs
mkdir "$T/data"
cp "$FIXTURES"/*.txt "$T/data"
cat >"$T/work.sh" <<SH
#!/bin/sh
ls -la '$T/data' | sort -r | gzip -9 | gzip -dc | md5sum
(cat /etc/hostname >/dev/null; echo sub)
SH
chmod +x "$T/work.sh"
"$T/work.sh" >"$T/plain.out" 2>&1
p="$T/app.json"

check "init: an empty complain twin" status 0 "$SECLOG" init -q -o "$p"
passes=0
while ! "$SECLOG" status "$p" >/dev/null && [ $passes -lt 8 ]; do
	"$SECLOG" run -q --merge "$p" -- "$T/work.sh" >"$T/pass.out" 2>"$T/pass.err"
	echo "# pass $((passes + 1)): exit $?, $(jq -s '.[-1].added | [.[][]] | length' "$p.seclog-history") names added"
	passes=$((passes + 1))
done
check "status: converged after $passes passes" status 0 "$SECLOG" status "$p"
check "  the first pass learned the names" \
	jqok -s '[.[] | select(.command == "run")][0].added.x86_64 | length > 20' "$p.seclog-history"
check "  the last two added nothing (a converged run logs nothing)" \
	jqok -s '[.[] | select(.command == "run")][-2:] | map(.added == {} and .incomplete == false) | all' "$p.seclog-history"
check "  every pass ran the workload with its usual output" same "$T/plain.out" "$T/pass.out"
check "enforce" status 0 "$SECLOG" enforce -q "$p"
check "  an ERRNO profile with errno 1, no record" \
	jqok '.defaultAction == "SCMP_ACT_ERRNO" and .defaultErrnoRet == 1 and (has("seclog") | not)' "$p"
check "  the workload runs enforced" status 0 "$HELPERS/helper-enforce" "$p" -- "$T/work.sh"
check "  with identical output" same "$T/plain.out" "$T/out"
before=$(jq '[.syscalls[].names[]?] | length' "$p")
check "minimize the learned profile against the workload" \
	status 0 "$SECLOG" minimize --json --runs 3 --keep-going --same-output --profile "$p" -o "$p" -- "$T/work.sh"
cp "$T/out" "$T/min.json"
echo "# minimize: $(jq -c '{names: .names, kept: (.kept | length), trials, runs}' "$T/min.json" 2>/dev/null)"
check "  it dropped names" test "$(jq '[.syscalls[].names[]?] | length' "$p")" -lt "$before"
ok=0
for i in 1 2 3 4 5; do
	"$HELPERS/helper-enforce" "$p" -- "$T/work.sh" >"$T/min.out" 2>&1 && same "$T/plain.out" "$T/min.out" && ok=$((ok + 1))
done
check "  the minimised profile runs the workload, 5 of 5, identical output" test $ok = 5
check "  and lints without error" status 0 "$SECLOG" lint "$p"
check "  the history notes it: status takes it for no hand edit" status 0 "$SECLOG" status "$p"
check "  (minimize: dropped N)" has 'minimize: dropped' "$T/out"
check "  (not 'changed since')" hasnt 'changed since' "$T/out"

# glibc-base: what /bin/true cannot do without, every name needed
if [ "$(uname -m)" = x86_64 ]; then
	"$SECLOG" init -q -t glibc-base -o "$T/base.json"
	"$SECLOG" enforce -q "$T/base.json"
	check "glibc-base enforced runs /bin/true" "$HELPERS/helper-enforce" "$T/base.json" -- /bin/true
	for name in $(jq -r '.syscalls[0].names[]' "$T/base.json"); do
		jq --arg n "$name" '.syscalls[0].names -= [$n]' "$T/base.json" >"$T/less.json"
		check "  without $name it does not" sh -c "! '$HELPERS/helper-enforce' '$T/less.json' -- /bin/true >/dev/null 2>&1"
	done
fi

"$SECLOG" init -q -o "$T/empty.json"
"$SECLOG" enforce -q "$T/empty.json"
# the control may exit: a process that cannot even exit_group spins
jq '.syscalls = [{"names": ["exit_group", "exit"], "action": "SCMP_ACT_ALLOW"}]' "$T/empty.json" >"$T/control.json"
check "  and not under the empty template enforced (control)" \
	sh -c "! '$HELPERS/helper-enforce' '$T/control.json' -- '$T/work.sh' >/dev/null 2>&1"
check "status after enforce: the mode says so" status 0 "$SECLOG" status "$p"
check "  enforce" has '^mode: enforce' "$T/out"

# real defaults in complain mode: the deny rules stay, the rest logs
real_profiles_maybe
for prof in $real_docker $real_podman; do
	check "$prof: run --profile (its complain twin)" \
		status 0 "$SECLOG" run -q --json --profile "$prof" -- "$T/work.sh"
	check "  the workload ran as usual" sh -c "sed '/^{/,\$d' '$T/out' | cmp -s - '$T/plain.out'"
done

finish
