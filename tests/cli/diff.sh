#!/bin/sh
# diff.sh - seclog diff: what two profiles allow differently, by meaning;
# known answers on small profiles and on podman's real default profile
. "$TESTLIB"
# Docker's and podman's real defaults, where apt can get them
real_profiles_maybe
docker=$real_docker podman=$real_podman

x86=false
[ "$(uname -m)" = x86_64 ] && x86=true

cat >"$T/old.json" <<'JSON'
{
	"defaultAction": "SCMP_ACT_ERRNO",
	"architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
	"syscalls": [
		{ "names": ["read", "write", "getpid", "ptrace"], "action": "SCMP_ACT_ALLOW" },
		{ "names": ["getppid"], "action": "SCMP_ACT_LOG" },
		{ "names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1 },
		{ "names": ["personality"], "action": "SCMP_ACT_ALLOW",
		  "args": [{ "index": 0, "value": 8, "op": "SCMP_CMP_EQ" }] }
	]
}
JSON
# the same meaning: other order, other layout, names split and repeated,
# the defaults written out
cat >"$T/same.json" <<'JSON'
{"syscalls":[{"action":"SCMP_ACT_ALLOW","names":["personality"],"args":[{"op":"SCMP_CMP_EQ","value":8,"index":0,"valueTwo":0}]},
{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"},{"names":["write","read","read"],"action":"SCMP_ACT_ALLOW","args":[]},
{"names":["getppid"],"action":"SCMP_ACT_LOG"},{"names":["ptrace","getpid"],"action":"SCMP_ACT_ALLOW","includes":{},"excludes":{}}],
"defaultErrnoRet":1,"architectures":["SCMP_ARCH_X86"],"defaultAction":"SCMP_ACT_ERRNO"}
JSON
cat >"$T/new.json" <<'JSON'
{
	"defaultAction": "SCMP_ACT_ERRNO",
	"architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
	"syscalls": [
		{ "names": ["read", "write", "getpid", "getppid", "bpf", "socketcall"],
		  "action": "SCMP_ACT_ALLOW" },
		{ "names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13 },
		{ "names": ["personality"], "action": "SCMP_ACT_ALLOW",
		  "args": [{ "index": 0, "value": 0, "op": "SCMP_CMP_EQ" }] }
	]
}
JSON

check "two arguments are needed" status 2 "$SECLOG" diff "$T/old.json"
check "the usage is shown" has "usage: seclog diff" "$T/err"
check "a third argument is refused" status 2 "$SECLOG" diff "$T/old.json" "$T/old.json" "$T/old.json"
check "an unknown option is refused" status 2 "$SECLOG" diff --nope "$T/old.json" "$T/old.json"
check "a missing profile: exit 2" status 2 "$SECLOG" diff "$T/old.json" "$T/none.json"
check "it is named" has "seclog: $T/none.json: No such file" "$T/err"
echo '{"defaultAction": "SCMP_ACT_ERRNO",' >"$T/bad.json"
check "a profile that is not JSON: exit 2" status 2 "$SECLOG" diff "$T/bad.json" "$T/old.json"
check "--help" status 0 "$SECLOG" diff --help
check "--help names the exit statuses" has "0 no difference, 1 differences" "$T/out"

check "a profile against itself: exit 0" status 0 "$SECLOG" diff "$T/old.json" "$T/old.json"
check "and nothing printed" test ! -s "$T/out"
check "OLD from standard input" sh -c "\"\$SECLOG\" diff - '$T/old.json' <'$T/old.json'"
check "- twice is refused" status 2 "$SECLOG" diff - - </dev/null
check "said so" has "standard input (-) can be OLD or NEW, not both" "$T/err"
check "a bad profile on standard input: exit 2" sh -c "echo '{' | \"\$SECLOG\" diff '$T/old.json' - 2>'$T/err'; [ \$? -eq 2 ]"
check "named <stdin>" has "^seclog: <stdin>: " "$T/err"

if $x86; then
	check "reordered, reformatted, repeated: no difference" \
		status 0 "$SECLOG" diff "$T/old.json" "$T/same.json"
	check "nothing printed" test ! -s "$T/out"

	check "differences: exit 1" status 1 "$SECLOG" diff "$T/old.json" "$T/new.json"
	cp "$T/out" "$T/text"
	check "the arch added" has "^arches in NEW only: x32$" "$T/text"
	check "no default change" hasnt "default action" "$T/text"
	check "bpf allowed in NEW only" has "^  + bpf: SCMP_ACT_ALLOW (was default SCMP_ACT_ERRNO(EPERM))" "$T/text"
	check "ptrace allowed in OLD only" has "^  - ptrace: default SCMP_ACT_ERRNO(EPERM) (was SCMP_ACT_ALLOW)" "$T/text"
	check "getppid: another action" has "^  ~ getppid: SCMP_ACT_ALLOW (was SCMP_ACT_LOG)" "$T/text"
	check "mkdir: another errno" has "^  ~ mkdir: SCMP_ACT_ERRNO(EACCES) (was default SCMP_ACT_ERRNO(EPERM))" "$T/text"
	check "personality: another condition" \
		has "^  ~ personality: SCMP_ACT_ALLOW if arg0 == 0; default SCMP_ACT_ERRNO(EPERM) (was SCMP_ACT_ALLOW if arg0 == 8; default SCMP_ACT_ERRNO(EPERM))" "$T/text"
	check "unchanged names are not shown" hasnt "read\|write\|getpid:" "$T/text"
	check "names on both common arches grouped" has "^on x86_64, x86:$" "$T/text"
	# socketcall is an x86 call: its own group, last
	check "an x86-only name in a group of its own" sh -c "tail -2 '$T/text' | head -1 | grep -qx 'on x86:'"
	check "socketcall there" sh -c "tail -1 '$T/text' | grep -q '^  + socketcall: '"

	check "--json: exit 1" status 1 "$SECLOG" diff --json "$T/old.json" "$T/new.json"
	check "--json: one document, differ" jqok '.differ == true and .default.changed == false' "$T/out"
	check "--json: arches" jqok '.arches.added == ["x32"] and .arches.removed == [] and .arches.old == ["x86_64","x86"]' "$T/out"
	check "--json: six changed names" jqok '.changes | length == 6' "$T/out"
	check "--json: bpf added on both arches" \
		jqok '.changes[] | select(.name == "bpf") | .change == "added" and .arches == ["x86_64","x86"] and .old[0].default and .old[0].errnoRet == 1' "$T/out"
	check "--json: mkdir's errno" \
		jqok '.changes[] | select(.name == "mkdir") | .change == "action" and .new[0].errnoRet == 13' "$T/out"
	check "--json: personality's condition" \
		jqok '.changes[] | select(.name == "personality") | .change == "condition" and .new[0].condition == "arg0 == 0"' "$T/out"
	check "--json: socketcall on x86 only" \
		jqok '.changes[] | select(.name == "socketcall") | .arches == ["x86"]' "$T/out"
	check "--json: the same profile" status 0 "$SECLOG" diff --json "$T/old.json" "$T/same.json"
	check "--json: differ false, no changes" jqok '.differ == false and .changes == []' "$T/out"

	# an arch removed, names that exist only there are not listed
	check "arch removed: exit 1" status 1 "$SECLOG" diff "$T/new.json" "$T/old.json"
	check "arch removed named" has "^arches in OLD only: x32$" "$T/out"
fi

# the complain twin differs in its default action alone
cat >"$T/enforcing.json" <<'JSON'
{
	"defaultAction": "SCMP_ACT_ERRNO",
	"defaultErrnoRet": 1,
	"syscalls": [
		{ "names": ["read", "write"], "action": "SCMP_ACT_ALLOW" },
		{ "names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13 }
	]
}
JSON
jq '.defaultAction = "SCMP_ACT_LOG" | .seclog = {"comment": "twin", "enforce": {"defaultAction": "SCMP_ACT_ERRNO"}}' \
	"$T/enforcing.json" >"$T/twin.json"
check "twin vs enforcing: exit 1" status 1 "$SECLOG" diff "$T/enforcing.json" "$T/twin.json"
check "the default action only" sh -c "[ \$(wc -l <'$T/out') -eq 1 ]"
check "said to be the twin" \
	has "^default action: SCMP_ACT_ERRNO(EPERM) -> SCMP_ACT_LOG (NEW is the complain twin of OLD" "$T/out"
check "--json: twin new" status 1 "$SECLOG" diff --json "$T/enforcing.json" "$T/twin.json"
check "--json: twin, no changes" \
	jqok '.complain.twin == "new" and .complain.new and (.changes | length == 0) and .default.new.action == "SCMP_ACT_LOG"' "$T/out"

# podman's real default profile
if [ -n "$podman" ]; then
	jq -c '.syscalls |= (reverse | map(.names |= reverse))' "$podman" >"$T/podman-re.json"
	check "podman's default, rules and names reversed, one line: no difference" \
		status 0 "$SECLOG" diff "$podman" "$T/podman-re.json"
	check "nothing printed" test ! -s "$T/out"
	jq '(.syscalls[] | select(.action == "SCMP_ACT_ALLOW" and (.names | length) > 100) | .names) -= ["ptrace"]' \
		"$podman" >"$T/podman-noptrace.json"
	check "podman's default without ptrace: exit 1" status 1 "$SECLOG" diff "$podman" "$T/podman-noptrace.json"
	check "ptrace allowed in OLD only, denied by podman's default errno" \
		has "^  - ptrace: default SCMP_ACT_ERRNO(ENOSYS) (was SCMP_ACT_ALLOW)" "$T/out"
	check "and nothing else" sh -c "[ \$(wc -l <'$T/out') -eq 2 ]"

	# the real twin, as seclog complain makes it, and the way back
	check "seclog complain makes podman's twin" \
		status 0 "$SECLOG" complain -q -o "$T/podman-twin.json" "$podman"
	check "podman vs its twin: exit 1" status 1 "$SECLOG" diff "$podman" "$T/podman-twin.json"
	check "the default action alone" sh -c "[ \$(wc -l <'$T/out') -eq 1 ]"
	check "said to be the twin" \
		has "^default action: SCMP_ACT_ERRNO(ENOSYS) -> SCMP_ACT_LOG (NEW is the complain twin of OLD" "$T/out"
	check "seclog enforce gives it back" \
		status 0 "$SECLOG" enforce -q -o "$T/podman-back.json" "$T/podman-twin.json"
	check "podman vs the twin enforced: no difference" \
		status 0 "$SECLOG" diff "$podman" "$T/podman-back.json"
	check "--log-denied: deny rules log too" \
		status 0 "$SECLOG" complain -q --log-denied -o "$T/podman-twin2.json" "$podman"
	check "they are listed" status 1 "$SECLOG" diff "$podman" "$T/podman-twin2.json"
	check "as allowed in more cases" \
		has "^  + kexec_load: default SCMP_ACT_LOG (was SCMP_ACT_ERRNO(EPERM))" "$T/out"
else
	echo "# podman's default profile could not be had (apt-get download containers-common): its checks skipped"
fi

# Docker's real default profile against podman's
if [ -n "$docker" ] && [ -n "$podman" ]; then
	jq -S . "$docker" >"$T/docker-sorted.json"
	check "Docker's default, keys sorted: no difference" status 0 "$SECLOG" diff "$docker" "$T/docker-sorted.json"
	check "Docker's vs podman's: exit 1" status 1 "$SECLOG" diff "$docker" "$podman"
	check "podman's default errno" has "^default action: SCMP_ACT_ERRNO(EPERM) -> SCMP_ACT_ERRNO(ENOSYS)$" "$T/out"
	if $x86; then
		check "podman allows keyctl, Docker does not" \
			has "^  + keyctl: SCMP_ACT_ALLOW (was default SCMP_ACT_ERRNO(EPERM))$" "$T/out"
		check "podman allows mount always, Docker with CAP_SYS_ADMIN" \
			has "^  + mount: SCMP_ACT_ALLOW (was SCMP_ACT_ALLOW if with CAP_SYS_ADMIN; default SCMP_ACT_ERRNO(EPERM))$" "$T/out"
		check "Docker 20.10 allows io_uring, podman does not" \
			has "^  - io_uring_setup: default SCMP_ACT_ERRNO(ENOSYS) (was SCMP_ACT_ALLOW)$" "$T/out"
		check "ptrace: Docker's minKernel condition" \
			has "^  + ptrace: SCMP_ACT_ALLOW (was SCMP_ACT_ALLOW if kernel >= 4.8; " "$T/out"
	fi
else
	echo "# Docker's or podman's default profile could not be had: their comparison skipped"
fi

finish
