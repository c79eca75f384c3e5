#!/bin/sh
# lint.sh - seclog lint: each problem kind with its level, line and exit
# status; podman's real default profile has no error
. "$TESTLIB"
# Docker's and podman's real defaults, where apt can get them
real_profiles_maybe
docker=$real_docker podman=$real_podman

x86=false
[ "$(uname -m)" = x86_64 ] && x86=true

check "a profile is needed" status 2 "$SECLOG" lint
check "the usage is shown" has "usage: seclog lint" "$T/err"
check "one profile only" status 2 "$SECLOG" lint a.json b.json
check "an unknown option is refused" status 2 "$SECLOG" lint --nope a.json
check "a missing profile: exit 2" status 2 "$SECLOG" lint "$T/none.json"
check "it is named" has "seclog: $T/none.json: No such file" "$T/err"
echo '{"syscalls": []}' >"$T/notprofile.json"
check "not a profile: exit 2" status 2 "$SECLOG" lint "$T/notprofile.json"
check "--help" status 0 "$SECLOG" lint --help
check "--help names --strict" has "\-\-strict" "$T/out"

# nothing to say
cat >"$T/clean.json" <<'JSON'
{
	"defaultAction": "SCMP_ACT_ERRNO",
	"defaultErrnoRet": 1,
	"architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
	"syscalls": [
		{ "names": ["read", "write", "exit_group"], "action": "SCMP_ACT_ALLOW" },
		{ "names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38 }
	]
}
JSON
if $x86; then
	check "a clean profile: exit 0" status 0 "$SECLOG" lint --strict "$T/clean.json"
	check "no finding" has "^0 errors, 0 warnings, 0 notes$" "$T/out"
	check "a summary line alone" sh -c "[ \$(wc -l <'$T/out') -eq 1 ]"
fi

# a typo and a name libseccomp does not know: warnings, exit 0
cat >"$T/typo.json" <<'JSON'
{
	"defaultAction": "SCMP_ACT_ERRNO",
	"architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
	"syscalls": [
		{ "names": ["read", "write", "opnat"], "action": "SCMP_ACT_ALLOW" },
		{ "names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38 }
	]
}
JSON
if $x86; then
	check "a typo: exit 0" status 0 "$SECLOG" lint "$T/typo.json"
	check "a warning at its line, with the nearest name" \
		has "^$T/typo.json:5:[0-9]*: warning: opnat: no syscall of that name on x86_64, x86, x32 (libseccomp [0-9.]*); did you mean openat? \[unknown-name\]$" "$T/out"
	check "counted" has "^0 errors, 1 warning, 0 notes$" "$T/out"
	check "--strict: exit 1" status 1 "$SECLOG" lint --strict "$T/typo.json"
	check "from standard input" sh -c "\"\$SECLOG\" lint - <'$T/typo.json' >'$T/out'"
	check "named <stdin>" has "^<stdin>:5:[0-9]*: warning: opnat: " "$T/out"
	check "--json" status 0 "$SECLOG" lint --json "$T/typo.json"
	check "--json: the finding" \
		jqok '.findings == [.findings[0]] and .findings[0].kind == "unknown-name" and .findings[0].name == "opnat" and .findings[0].level == "warning" and .findings[0].line == 5' "$T/out"
	check "--json: counts and ok" jqok '.errors == 0 and .warnings == 1 and .notes == 0 and .ok' "$T/out"
	check "--json --strict: not ok" status 1 "$SECLOG" lint --json --strict "$T/typo.json"
	check "--json --strict: ok false" jqok '.ok == false' "$T/out"
fi

# allowed and denied, both unconditionally: an error
cat >"$T/conflict.json" <<'JSON'
{
	"defaultAction": "SCMP_ACT_ERRNO",
	"architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
	"syscalls": [
		{ "names": ["read", "write", "getpid", "write"], "action": "SCMP_ACT_ALLOW" },
		{ "names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38 },
		{ "names": ["read"], "action": "SCMP_ACT_ALLOW" },
		{ "names": ["getpid"], "action": "SCMP_ACT_KILL_PROCESS" }
	]
}
JSON
if $x86; then
	check "a conflict: exit 1" status 1 "$SECLOG" lint "$T/conflict.json"
	check "the error" has "conflict.json:8:[0-9]*: error: getpid: syscalls\[0\] says SCMP_ACT_ALLOW and syscalls\[3\] says SCMP_ACT_KILL_PROCESS, both unconditionally" "$T/out"
	check "write twice in one rule" has "conflict.json:5:[0-9]*: warning: write is listed more than once in syscalls\[0\] \[duplicate\]" "$T/out"
	check "read in two rules" has "warning: read: syscalls\[0\] (SCMP_ACT_ALLOW) and syscalls\[2\] (SCMP_ACT_ALLOW) give the same action" "$T/out"
	check "counted" has "^1 error, 2 warnings, 0 notes$" "$T/out"
fi

# defaults that enforce nothing
cat >"$T/allow.json" <<'JSON'
{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ALLOW" } ] }
JSON
check "default ALLOW, nothing denied: exit 1" status 1 "$SECLOG" lint "$T/allow.json"
check "said so" has "allow.json:1:[0-9]*: error: defaultAction SCMP_ACT_ALLOW and no rule denies anything: the profile enforces nothing" "$T/out"
cat >"$T/denylist.json" <<'JSON'
{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["ptrace", "bpf"], "action": "SCMP_ACT_ERRNO" } ] }
JSON
check "a deny list: exit 0" status 0 "$SECLOG" lint "$T/denylist.json"
check "a warning" has "warning: defaultAction SCMP_ACT_ALLOW: a deny list" "$T/out"
check "what it forgets: mount" has "warning: mount allowed by the default action SCMP_ACT_ALLOW: mounts file systems" "$T/out"
check "not ptrace, denied" hasnt "ptrace allowed" "$T/out"
cat >"$T/log.json" <<'JSON'
{ "defaultAction": "SCMP_ACT_LOG", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ALLOW" } ] }
JSON
check "default LOG without the twin's record: a warning" status 0 "$SECLOG" lint "$T/log.json"
check "it names seclog complain" has "warning: defaultAction SCMP_ACT_LOG .*seclog complain" "$T/out"
jq '.seclog = {"enforce": {"defaultAction": "SCMP_ACT_ERRNO"}}' "$T/log.json" >"$T/twin.json"
check "a complain twin: exit 0 with --strict" status 0 "$SECLOG" lint --strict "$T/twin.json"
check "a note: seclog enforce makes the enforcing one" has "note: a complain twin: .*seclog enforce. makes the enforcing one \[complain\]" "$T/out"
check "no warning" has "^0 errors, 0 warnings" "$T/out"

# escapes, each with its reason
cat >"$T/escape.json" <<'JSON'
{
	"defaultAction": "SCMP_ACT_ERRNO",
	"defaultErrnoRet": 1,
	"syscalls": [
		{ "names": ["read", "ptrace", "unshare", "open_by_handle_at", "personality", "clone"],
		  "action": "SCMP_ACT_ALLOW" },
		{ "names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": { "caps": ["CAP_SYS_ADMIN"] } }
	]
}
JSON
if $x86; then
	check "escapes are warnings: exit 0" status 0 "$SECLOG" lint "$T/escape.json"
	check "ptrace" has "escape.json:5:[0-9]*: warning: ptrace allowed unconditionally by syscalls\[0\]: reads and writes other processes' memory" "$T/out"
	check "unshare" has "warning: unshare allowed unconditionally by syscalls\[0\]: creates namespaces" "$T/out"
	check "open_by_handle_at" has "warning: open_by_handle_at allowed unconditionally .*shocker" "$T/out"
	check "personality" has "warning: personality allowed without arg conditions" "$T/out"
	check "clone" has "warning: clone allowed by syscalls\[0\] without the namespace-flag condition" "$T/out"
	check "mount under CAP_SYS_ADMIN: not flagged" hasnt "mount allowed" "$T/out"
	check "clone3 denied with EPERM: a note" has "note: clone3 meets default SCMP_ACT_ERRNO(EPERM): glibc" "$T/out"
	check "no arch listed: i386 and x32 programs" has "note: covers x86_64 but not x86 and x32: i386 (32-bit x86) programs and x32 programs" "$T/out"
	check "counted" has "^0 errors, 5 warnings, 2 notes$" "$T/out"
	check "--strict: exit 1" status 1 "$SECLOG" lint --strict "$T/escape.json"
fi

# podman's real default profile
if [ -n "$podman" ]; then
	check "podman's default: exit 0" status 0 "$SECLOG" lint "$podman"
	check "no error" has "^0 errors, " "$T/out"
	if $x86; then
		# podman leaves these to the capabilities it drops
		check "its unconditional ptrace is a warning" has "warning: ptrace allowed unconditionally" "$T/out"
		check "its socket rule written twice" has "warning: socket: syscalls\[[0-9]*\] (SCMP_ACT_ALLOW if arg2 != 9 and without CAP_AUDIT_WRITE) and syscalls\[[0-9]*\] (.*) give the same action" "$T/out"
		check "no typo" hasnt "unknown-name" "$T/out"
		check "ARM and s390 calls noted once" sh -c "grep -c 'other-arch' '$T/out' | grep -qx 1"
		"$SECLOG" lint --json "$podman" >"$T/podman.json"
		check "--json: no error, ok" jqok '.errors == 0 and .ok and (.findings | map(select(.level == "error")) | length == 0)' "$T/podman.json"
		check "seclog complain makes podman's twin" \
			status 0 "$SECLOG" complain -q -o "$T/podman-twin.json" "$podman"
		check "its twin: no error" status 0 "$SECLOG" lint "$T/podman-twin.json"
		check "a note that it is the twin" \
			has "note: a complain twin: default SCMP_ACT_LOG logs what the enforcing profile denies (SCMP_ACT_ERRNO)" "$T/out"
		check "no default-log warning" hasnt "default-log" "$T/out"
	fi
else
	echo "# podman's default profile could not be had (apt-get download containers-common): its checks skipped"
fi

# Docker's real default profile (moby 20.10, as Debian ships its source)
if [ -n "$docker" ]; then
	check "Docker's default: exit 0" status 0 "$SECLOG" lint "$docker"
	check "no error" has "^0 errors, " "$T/out"
	if $x86; then
		# what it guards with conditions is not reported
		check "its clone has the namespace-flag condition" hasnt "\[clone\]" "$T/out"
		check "its personality has arg conditions" hasnt "\[personality\]" "$T/out"
		check "its clone3 ENOSYS rule counts" hasnt "clone3-errno" "$T/out"
		check "its capability-gated mount, ptrace, bpf are not reported" \
			hasnt "mount allowed\|ptrace allowed\|bpf allowed" "$T/out"
		# 20.10 still allowed io_uring, which Docker 25 denies
		check "its io_uring calls are" has "warning: io_uring_setup allowed unconditionally" "$T/out"
		check "three warnings" has "^0 errors, 3 warnings, " "$T/out"
	fi
else
	echo "# Docker's default profile could not be had (apt-get download golang-github-docker-docker-dev): its checks skipped"
fi

finish
