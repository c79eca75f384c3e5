#!/bin/sh
# minimize.sh - seclog minimize without root: usage errors, profiles it
# refuses, a baseline that fails, and a real search (no observed run) of
# /bin/ls from a profile allowing every name libseccomp knows for x86_64.
. "$TESTLIB"

echo '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}' >"$T/small.json"
check "no command: usage" status 2 "$SECLOG" minimize --profile "$T/small.json"
check "no profile: usage" status 2 "$SECLOG" minimize -- true
check "... says how to give one" has "no profile to minimise" "$T/err"
check "--runs 0: usage" status 2 "$SECLOG" minimize --runs 0 --profile "$T/small.json" -- true
check "--timeout x: usage" status 2 "$SECLOG" minimize --timeout x --profile "$T/small.json" -- true
check "--test with --same-output: usage" status 2 "$SECLOG" minimize --test true --same-output \
	--profile "$T/small.json" -- true
echo '{"defaultAction":"SCMP_ACT_LOG","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}' >"$T/log.json"
check "a default that does not deny: refused" status 1 "$SECLOG" minimize --profile "$T/log.json" -- true
check "... says why" has "does not deny" "$T/err"

command -v scmp_sys_resolver >/dev/null || skip "no scmp_sys_resolver (package seccomp) to list the names"
[ "$(uname -m)" = x86_64 ] || skip "the profile is for x86_64"
# its probe and, as root, minimize's observed runs make SECCOMP records:
# on the printk path they spend the burst another test is counting on
serialize
"$HELPERS/helper-logrun" -- true 2>/dev/null || skip "cannot load a seccomp filter here"
# every name libseccomp knows for x86_64, in one allow rule
i=0
while [ $i -lt 460 ]; do
	scmp_sys_resolver -a x86_64 $i
	i=$((i + 1))
done 2>/dev/null | grep -v -e '^UNKNOWN' -e '^-' | sort -u >"$T/names"
total=$(wc -l <"$T/names")
check "libseccomp knows hundreds of names ($total)" test "$total" -gt 300
jq -R . "$T/names" | jq -s '{defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 1,
	architectures: ["SCMP_ARCH_X86_64"], syscalls: [{names: ., action: "SCMP_ACT_ALLOW"}]}' \
	>"$T/all.json"

# a rule for another arch: a run here cannot tell, its names stay
jq '.syscalls += [{names: ["mount", "read"], action: "SCMP_ACT_ALLOW",
	includes: {arches: ["s390x"]}}]' "$T/all.json" >"$T/scoped.json"
check "a rule that does not apply here" status 0 "$SECLOG" minimize --no-observe \
	--profile "$T/scoped.json" -o "$T/scoped-min.json" -- /bin/true
check "... keeps its names" jqok '.syscalls[1].names == ["mount", "read"] and
	(.syscalls[0].names | index("mount")) == null' "$T/scoped-min.json"

check "a command that fails under the profile: refused" status 1 "$SECLOG" minimize \
	--profile "$T/all.json" -- sh -c 'kill -9 $$'
check "... says so" has "killed by signal 9" "$T/err"
check "a baseline past --timeout: refused" status 1 "$SECLOG" minimize --timeout 0.5 \
	--profile "$T/all.json" -- sleep 5
check "... says so" has "still running after" "$T/err"
check "a --test that fails the baseline: refused" status 1 "$SECLOG" minimize --test false \
	--profile "$T/all.json" -- true
check "... says so" has "the --test check fails" "$T/err"

check "--same-output with an output that changes: refused" status 1 "$SECLOG" minimize \
	--same-output --profile "$T/all.json" -- sh -c 'echo $$'
check "... says so" has "the same output every time" "$T/err"

# without -o: a verdict per name, nothing written
cp "$T/all.json" "$T/all.orig"
check "search without the observed run" status 0 "$SECLOG" minimize --no-observe --same-output \
	--profile "$T/all.json" -- /bin/ls -l /usr
cp "$T/out" "$T/verdicts"
check "... one verdict per name" test "$(grep -cE '^(keep|drop) ' "$T/verdicts")" = "$total"
check "... the profile is untouched" same "$T/all.orig" "$T/all.json"
check "... a summary with the runs" has "trials, .* runs" "$T/err"

# the same with -o and --json: the figures
check "-o and --json" status 0 "$SECLOG" minimize --no-observe --same-output --json \
	--profile "$T/all.json" -o "$T/min.json" -- /bin/ls -l /usr
cp "$T/out" "$T/min-report.json"
kept=$(jq '.names_kept' "$T/min-report.json")
trials=$(jq '.trials' "$T/min-report.json")
runs=$(jq '.runs' "$T/min-report.json")
echo "# $total names, $kept kept, $trials trials, $runs runs, $(jq .seconds "$T/min-report.json") s (no observed run)"
check "... the names in the report" jqok ".names == $total and .observed == false" "$T/min-report.json"
check "... kept + dropped = names" jqok '(.kept | length) + (.dropped | length) == .names' "$T/min-report.json"
check "... far fewer trials than names" test "$trials" -lt $((total / 2))
check "... the runs counted (baseline + trials)" test "$runs" -gt "$trials"
check "... the written profile allows the kept names" sh -c \
	"jq -S '[.syscalls[].names[]] | sort' '$T/min.json' >'$T/a' &&
	 jq -S '.kept | sort' '$T/min-report.json' >'$T/b' && cmp -s '$T/a' '$T/b'"
check "... ls runs under it, with the same output" sh -c \
	"/bin/ls -l /usr >'$T/want' && '$HELPERS/helper-enforce' '$T/min.json' -- /bin/ls -l /usr >'$T/got' &&
	 cmp -s '$T/want' '$T/got'"
check "... the text: the names removed, nothing else" sh -c \
	"jq 'del(.syscalls[0].names)' '$T/all.json' >'$T/a' && jq 'del(.syscalls[0].names)' '$T/min.json' >'$T/b' && cmp -s '$T/a' '$T/b'"
check "... a minimised profile minimises to itself" status 0 "$SECLOG" minimize --no-observe \
	--same-output --json --profile "$T/min.json" -- /bin/ls -l /usr
check "... ... keeping every name" jqok '.dropped == []' "$T/out"

# ^C: the runs (in process groups of their own) are killed, nothing written
cp "$T/all.json" "$T/int.json"
"$SECLOG" minimize --no-observe -o "$T/int.json" -- sh -c 'sleep 1' "seclog-int-$$" \
	>"$T/out" 2>"$T/err" &
pid=$!
# past the 1 s baseline, inside the first trials (a run left behind would
# still be sleeping)
sleep 2
kill -INT $pid
wait $pid
check "interrupted: exit 1" test $? = 1
check "... says nothing was written" has "interrupted: nothing written" "$T/err"
check "... the profile is untouched" same "$T/all.json" "$T/int.json"
check "... no run left behind" sh -c "! pgrep -f 'seclog-[i]nt-$$' >/dev/null"

# a run past --timeout fails and its process group is killed; what a run
# leaves behind goes too
check "a workload that blocks without getppid" status 0 "$SECLOG" minimize --no-observe \
	--timeout 1 --json --profile "$T/all.json" -- "$HELPERS/helper-block" "seclog-blk-$$"
check "... getppid kept, the blocked runs counted" jqok \
	'(.kept | index("getppid")) != null and .timeouts >= 1' "$T/out"
check "... nothing left running" sh -c "! pgrep -f 'seclog-[b]lk-$$' >/dev/null"

# a flaky workload: every other run fails (a counter in a file); the
# final judgements of the result (three, one at a time) see a failure
# (a run that cannot read or write the counter fails: else the search
# finds that taking those calls away makes it pass every time)
flaky='n=$(cat "$0") && [ -n "$n" ] && echo $((n + 1)) >"$0" && [ $((n % 2)) = 0 ]'
echo 0 >"$T/count1"
echo 0 >"$T/count2"
check "a flaky workload: stops" status 1 "$SECLOG" minimize --no-observe --jobs 1 \
	--profile "$T/all.json" -o "$T/flaky.json" -- sh -c "$flaky" "$T/count1"
check "... says so" has "the workload is flaky; nothing written" "$T/err"
check "... writes nothing" test ! -e "$T/flaky.json"
check "--keep-going: puts the drops back" status 0 "$SECLOG" minimize --no-observe --jobs 1 \
	--keep-going --json --profile "$T/all.json" -- sh -c "$flaky" "$T/count2"
check "... all of them (no set passes every time)" jqok \
	'.flaky == true and .dropped == [] and .readded > 0' "$T/out"
check "... and warns" has "is flaky" "$T/err"

# a check of the user's own: it sees CMD's status and output files
cat >"$T/check.sh" <<'EOF2'
#!/bin/sh
[ "$1" = 0 ] && [ -f "$3" ] && grep -qx etc "$2"
EOF2
chmod +x "$T/check.sh"
check "--test SCRIPT" status 0 "$SECLOG" minimize --no-observe --test "$T/check.sh" --json \
	--profile "$T/all.json" -- /bin/ls /
check "... the check ran" jqok '.tests > .trials and .names_kept > 3' "$T/out"
jq '.kept' "$T/out" >"$T/kept-test"
check "... and what it kept lists /" sh -c "jq '.syscalls[0].names = $(tr -d '\n' <"$T/kept-test")' \
	'$T/all.json' >'$T/t.json' && '$HELPERS/helper-enforce' '$T/t.json' -- /bin/ls / | grep -qx etc"
finish
