#!/bin/sh
# The loop as a workflow: complain twin and back, pass history, status,
# names of one arch in a multi-arch profile.
. "$(dirname "$0")/lib.sh"

shapes="$FIXTURES/profiles/shapes.json"
log="$FIXTURES/kmsg.txt"

# --- complain and enforce: a round trip keeps every byte
round_trip() {	# NAME PROFILE [complain options]
	local name=$1 prof=$2
	shift 2
	cp "$prof" "$T/$name.json"
	check "$name: complain" status 0 "$SECLOG" complain "$@" "$T/$name.json"
	check "  says what it wrote" has "complain twin written" "$T/err"
	check "  keeps a backup" same "$prof" "$T/$name.json.bak"
	check "  default is SCMP_ACT_LOG" jqok '.defaultAction == "SCMP_ACT_LOG"' "$T/$name.json"
	check "  the enforcing default is recorded" \
		jqok --slurpfile o "$prof" '.seclog.enforce.defaultAction == $o[0].defaultAction' "$T/$name.json"
	check "  what it allows is as written" \
		jqok --slurpfile o "$prof" '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW")] == [$o[0].syscalls[] | select(.action == "SCMP_ACT_ALLOW")]' "$T/$name.json"
	local del='.defaultAction, .defaultErrnoRet, .defaultErrno'
	[ $# = 0 ] || del="$del, .syscalls[].action, .syscalls[].errnoRet, .syscalls[].errno"
	check "  everything but the default, the errnos and the record unchanged" \
		jqok --slurpfile o "$prof" "del(.seclog, $del) == (\$o[0] | del($del))" "$T/$name.json"
	# crun refuses an errno next to SCMP_ACT_LOG ("errno value specified for
	# action"), and it is podman's default runtime: they go into the record
	check "  no errno next to SCMP_ACT_LOG (crun refuses it)" \
		jqok '(has("defaultErrnoRet") or has("defaultErrno") | not) and ([.syscalls[] | select(.action == "SCMP_ACT_LOG" and (has("errnoRet") or has("errno")))] == [])' "$T/$name.json"
	check "  the errnos are in the record" \
		jqok --slurpfile o "$prof" '.seclog.enforce.defaultErrnoRet == $o[0].defaultErrnoRet' "$T/$name.json"
	check "  a second complain is refused" status 1 "$SECLOG" complain "$T/$name.json"
	check "  saying it is a twin already" has "complain twin already" "$T/err"
	check "$name: enforce" status 0 "$SECLOG" enforce "$T/$name.json"
	check "  gives the original back, byte for byte" same "$prof" "$T/$name.json"
}
round_trip shapes "$shapes"
round_trip shapes-log-denied "$shapes" --log-denied
cp "$shapes" "$T/ld.json"
"$SECLOG" complain -q --log-denied "$T/ld.json"
check "--log-denied: every deny rule logs" \
	jqok '[.syscalls[] | select(.action | test("ERRNO|KILL|TRAP"))] == []' "$T/ld.json"
check "  and the record names each, with its action" \
	jqok '[.seclog.enforce.rules[] | .action] == ["SCMP_ACT_ERRNO", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP"]' "$T/ld.json"
check "  allow rules untouched" \
	jqok '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW")] | length == 6' "$T/ld.json"

# (Docker's and podman's real defaults: real-profiles.sh)

# a merge into the twin, then enforce: the names stay, the rest is the original
cp "$shapes" "$T/m.json"
"$SECLOG" complain -q "$T/m.json"
check "merge into a twin" status 0 "$SECLOG" harvest -f "$log" --merge "$T/m.json"
check "  no 'enforces nothing' warning for a twin" hasnt 'enforces nothing' "$T/err"
"$SECLOG" harvest -q -f "$log" --merge "$T/m.json"
check "  up to date, and says how to go on" \
	sh -c "'$SECLOG' harvest -f '$log' --merge '$T/m.json' 2>&1 | grep -q 'seclog enforce'"
check "enforce after merges" status 0 "$SECLOG" enforce "$T/m.json"
check "  the original default is back" jqok '.defaultAction == "SCMP_ACT_ERRNO" and .defaultErrnoRet == 1 and (has("seclog") | not)' "$T/m.json"
check "  the merged names stay" jqok '[.syscalls[].names[]?] | index("arch_prctl") != null' "$T/m.json"
check "  of the original, at most one line changed (a comma), the rest added" \
	test "$(diff "$shapes" "$T/m.json" | grep -c '^<')" -le 1

# -o, -o -, --dry-run
check "complain -o OUT" status 0 "$SECLOG" complain -q -o "$T/out.json" "$shapes"
check "  OUT is the twin" jqok '.seclog.enforce.defaultAction == "SCMP_ACT_ERRNO"' "$T/out.json"
check "complain -o -: to stdout" status 0 "$SECLOG" complain -o - "$shapes"
check "  same bytes as -o OUT" same "$T/out.json" "$T/out"
check "  and no history beside the source" test ! -e "$shapes.seclog-history"
cp "$shapes" "$T/d.json"
check "complain --dry-run" status 0 sh -c "cd '$T' && '$SECLOG' complain --dry-run d.json"
check "  the file unchanged" same "$shapes" "$T/d.json"
check "  the diff applies" sh -c "cd '$T' && patch -s -p0 <'$T/out' && cmp -s d.json out.json"
check "enforce --dry-run on the twin: a diff back" status 0 "$SECLOG" enforce --dry-run "$T/out.json"
check "  removing the record" has '^-.*"seclog"' "$T/out"

# enforce without a record, --default-action
printf '{"defaultAction": "SCMP_ACT_LOG", "syscalls": []}\n' >"$T/log.json"
check "enforce a hand-made LOG profile" status 0 "$SECLOG" enforce -o - "$T/log.json"
check "  SCMP_ACT_ERRNO with defaultErrnoRet 1" jqok '.defaultAction == "SCMP_ACT_ERRNO" and .defaultErrnoRet == 1' "$T/out"
check "enforce --default-action SCMP_ACT_KILL_PROCESS" status 0 "$SECLOG" enforce --default-action SCMP_ACT_KILL_PROCESS -o - "$T/out.json"
check "  takes it over the recorded one" jqok '.defaultAction == "SCMP_ACT_KILL_PROCESS" and (has("seclog") | not)' "$T/out"
check "--default-action SCMP_ACT_ALLOW is a usage error" status 2 "$SECLOG" enforce --default-action SCMP_ACT_ALLOW "$T/log.json"
cp "$shapes" "$T/e.json"
check "enforce an enforcing profile: unchanged" status 0 "$SECLOG" enforce "$T/e.json"
check "  says so" has 'unchanged' "$T/err"
check "  not a byte touched" same "$shapes" "$T/e.json"
check "complain of an ALLOW profile is refused" status 1 "$SECLOG" complain -o - "$T/log.json"
check "  saying why" has 'not a deny action' "$T/err"
check "complain: no profile is a usage error" status 2 "$SECLOG" complain

# --- status over a scripted series of passes
p="$T/s.json"
cp "$shapes" "$p"
"$SECLOG" complain -q "$p"
check "status with no pass yet: not converged (1)" status 1 "$SECLOG" status "$p"
check "  says why" has 'not converged: no pass yet' "$T/out"
cat >"$T/new.txt" <<'L'
audit: type=1326 audit(1795387692.655:1): auid=0 uid=0 gid=0 ses=1 pid=42 comm="x" exe="/x" sig=0 arch=c000003e syscall=39 compat=0 ip=0x1 code=0x7ffc0000
L
cat >"$T/more.txt" <<'L'
audit: type=1326 audit(1795387693.655:2): auid=0 uid=0 gid=0 ses=1 pid=42 comm="x" exe="/x" sig=0 arch=c000003e syscall=110 compat=0 ip=0x1 code=0x7ffc0000
L
cat >"$T/lost.txt" <<'L'
audit: type=1326 audit(1795387694.655:3): auid=0 uid=0 gid=0 ses=1 pid=42 comm="x" exe="/x" sig=0 arch=c000003e syscall=39 compat=0 ip=0x1 code=0x7ffc0000
audit: audit_lost=5 audit_rate_limit=0 audit_backlog_limit=64
L
: >"$T/empty.txt"
h() { "$SECLOG" harvest -q --trust-syslog -f "$@" --merge "$p"; }
h "$T/new.txt"				# 1: adds getpid
h "$T/new.txt"				# 2: nothing
check "after one quiet pass: not converged" status 1 "$SECLOG" status "$p"
check "  1 of 2" has '(1 of 2 quiet passes)' "$T/out"
check "  --passes 1: converged (0)" status 0 "$SECLOG" status --passes 1 "$p"
h "$T/more.txt"				# 3: adds getppid
h "$T/new.txt"				# 4: nothing
h "$T/new.txt"				# 5: nothing
check "two quiet passes after the last addition: converged" status 0 "$SECLOG" status "$p"
check "  lists five passes" has '^ *5 .*harvest' "$T/out"
check "  what pass 3 added, per arch" has '^ *3 .*added   1  x86_64: getppid' "$T/out"
check "  and how to go on" has 'seclog enforce' "$T/out"
check "  and nothing that says otherwise" hasnt 'not converged' "$T/out"
check "--passes 3: not yet" status 1 "$SECLOG" status --passes 3 "$p"
h "$T/lost.txt"				# 6: nothing, but incomplete
check "an incomplete pass: not converged" status 1 "$SECLOG" status "$p"
check "  says why" has 'incomplete' "$T/out"
check "  marked in the list" has 'INCOMPLETE' "$T/out"
h "$T/new.txt"; h "$T/new.txt"		# 7, 8
check "two complete quiet passes later: converged again" status 0 "$SECLOG" status "$p"
"$SECLOG" harvest -q -f "$T/empty.txt" --merge "$p"	# 9: read nothing
check "a harvest that matched no record counts (a converged twin logs nothing)" status 0 "$SECLOG" status "$p"
check "  with a note that a wrong log looks the same" has 'wrong log or filter' "$T/out"
h "$T/new.txt"; h "$T/new.txt"
check "  (the note goes once the passes matched records again)" sh -c "'$SECLOG' status '$p' | grep -q 'wrong log' && exit 1 || exit 0"
check "--json" status 0 "$SECLOG" status --json "$p"
check "  the verdict and the passes" jqok '.converged and .passes == 11 and .passes_needed == 2 and .mode == "complain" and ([.entries[] | select(.command == "harvest")] | length) == 11' "$T/out"
check "  pass 3's names by arch" jqok '[.entries[] | select(.command == "harvest")][2].added == {"x86_64": ["getppid"]}' "$T/out"
check "  the complain itself is in the history" jqok '.entries[0].command == "complain"' "$T/out"
printf ' ' >>"$p"
check "a hand edit since the last pass is noticed" status 0 "$SECLOG" status "$p"
check "  and said" has 'changed since the last pass' "$T/out"
printf 'garbage\n' >>"$p.seclog-history"
check "a broken history line is skipped and counted" status 0 "$SECLOG" status --json "$p"
check "  (bad_lines 1)" jqok '.bad_lines == 1' "$T/out"
check "status of a missing profile fails" status 1 "$SECLOG" status "$T/nope.json"
check "--passes 0 is a usage error" status 2 "$SECLOG" status --passes 0 "$p"
check "dry runs and --check leave no history" sh -c "n=\$(wc -l <'$p.seclog-history'); '$SECLOG' harvest -q --trust-syslog -f '$T/more.txt' --merge '$p' --dry-run >/dev/null; '$SECLOG' harvest -q --trust-syslog -f '$T/more.txt' --merge '$p' --check; test \$(wc -l <'$p.seclog-history') = \$n"
check "a new profile (-o) starts its history" sh -c "'$SECLOG' harvest -q --trust-syslog -f '$T/new.txt' -o '$T/fresh.json' && '$SECLOG' status --json --passes 1 '$T/fresh.json' >'$T/fresh.out'; jq -e '.passes == 1 and .entries[0].added == {\"x86_64\": [\"getpid\"]}' '$T/fresh.out' >/dev/null"

# --- -o -: the profile on standard output, nothing written
cp "$shapes" "$T/so.json"
check "harvest --merge -o -" status 0 sh -c "cd '$T' && '$SECLOG' harvest -q -f '$log' --merge so.json -o -"
check "  prints the merged profile" jqok '[.syscalls[].names[]?] | index("arch_prctl") != null' "$T/out"
check "  the profile untouched, no file named -, no history" sh -c "cmp -s '$shapes' '$T/so.json' && test ! -e '$T/-' && test ! -e '$T/so.json.seclog-history'"
check "harvest -o - (a new profile)" status 0 "$SECLOG" harvest -q -f "$log" -o -
check "  prints it" jqok '.defaultAction == "SCMP_ACT_ERRNO" and (.syscalls[0].names | length) > 20' "$T/out"
check "-o - with --json is a usage error" status 2 "$SECLOG" harvest -f "$log" -o - --json

# --- a name only one of the profile's arches has
printf '{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86"],"syscalls":[]}\n' >"$T/multi.json"
cat >"$T/i386.txt" <<'L'
audit: type=1326 audit(1795387692.655:3607): auid=0 uid=0 gid=0 ses=1 pid=4320 comm="hello32" exe="/x" sig=0 arch=40000003 syscall=102 compat=1 ip=0x8077e4b code=0x7ffc0000
audit: type=1326 audit(1795387692.656:3608): auid=0 uid=0 gid=0 ses=1 pid=4320 comm="hello32" exe="/x" sig=0 arch=40000003 syscall=3 compat=1 ip=0x8077e4b code=0x7ffc0000
L
check "i386 names into an x86_64 + x86 profile" status 0 "$SECLOG" harvest --trust-syslog -f "$T/i386.txt" --merge "$T/multi.json"
check "  socketcall, x86's alone, is warned about" has 'socketcall exists only on x86' "$T/err"
check "  read, which both have, is not" hasnt 'read exists only' "$T/err"
check "  the history keeps them under x86" jqok '.added == {"x86": ["read", "socketcall"]}' "$T/multi.json.seclog-history"

# --- init: templates as complain twins
check "init -o FILE: the empty template" status 0 "$SECLOG" init -o "$T/i.json"
check "  a complain twin that allows nothing" jqok '.defaultAction == "SCMP_ACT_LOG" and .syscalls == [] and .seclog.enforce.defaultAction == "SCMP_ACT_ERRNO"' "$T/i.json"
check "  enforce gives an ERRNO profile with errno 1" sh -c "'$SECLOG' enforce -o - '$T/i.json' | jq -e '.defaultAction == \"SCMP_ACT_ERRNO\" and .defaultErrnoRet == 1 and (has(\"seclog\") | not)' >/dev/null"
check "  noted in its history" jqok '.command == "init" and .template == "empty"' "$T/i.json.seclog-history"
check "init over an existing file fails" status 1 "$SECLOG" init -o "$T/i.json"
check "  and says --force" has 'force' "$T/err"
check "init --force replaces it, keeping a backup" status 0 "$SECLOG" init -f -t glibc-base -o "$T/i.json"
check "  the backup is the old one" jqok '.syscalls == []' "$T/i.json.bak"
if [ "$(uname -m)" = x86_64 ]; then
	check "  glibc-base allows execve, with how it was derived" \
		jqok '.syscalls[0].action == "SCMP_ACT_ALLOW" and (.syscalls[0].names | index("execve")) != null and (.syscalls[0].comment | test("minimi"))' "$T/i.json"
fi
check "init --list names both" status 0 "$SECLOG" init --list
check "  empty" has '^empty ' "$T/out"
check "  glibc-base" has '^glibc-base ' "$T/out"
check "an unknown template is a usage error" status 2 "$SECLOG" init -t nope -o -
check "init without -o is a usage error" status 2 "$SECLOG" init

finish
