#!/bin/sh
# formats.sh - every fixture (real output of dmesg, kmsg, auditd RAW and
# ENRICHED, rsyslog, journalctl; see tests/fixtures/README) read by seclog
# and checked against an independent reading: awk for the records per
# (arch, number), libseccomp's scmp_sys_resolver for the names.
. "$TESTLIB"

command -v scmp_sys_resolver >/dev/null || skip "scmp_sys_resolver missing (package seccomp; scripts/test installs it)"

# arch name for scmp_sys_resolver from an AUDIT_ARCH value and a number
arch_of() {
	case $1 in
	c000003e) [ $(($2 & 0x40000000)) -ne 0 ] && echo x32 || echo x86_64 ;;
	40000003) echo x86 ;;
	c00000b7) echo aarch64 ;;
	*) echo unknown ;;
	esac
}

n=0
for f in "$FIXTURES"/*.txt; do
	name=$(basename "$f")
	# export format is read through sd-journal, not as text
	case $name in *export*) continue ;; esac
	n=$((n + 1))
	# the independent count: every SECCOMP record line, by arch and number
	LC_ALL=C awk '/(type=SECCOMP msg=audit\(|audit: type=1326 audit\(|SECCOMP auid=)/ {
		a = ""; s = ""
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^arch=/) a = substr($i, 6)
			if ($i ~ /^syscall=/) s = substr($i, 9)
		}
		if (a != "" && s ~ /^[0-9]+$/) c[a " " s]++
	} END { for (k in c) print k, c[k] }' "$f" | sort >"$T/want.$name"
	# every line counts here, syslog text too (trust is tested in trust.sh)
	"$SECLOG" harvest -q --no-dedupe --trust-syslog --json -f "$f" >"$T/got.json"
	rc=$?
	check "$name: harvest ran (exit $rc)" test $rc = 0 -o $rc = 3
	jq -r '(.syscalls + .unknown)[] | "\(.number) \(.count) \(.name // "?") \(.arch)"' "$T/got.json" >"$T/got.$name"
	total_want=$(awk '{ s += $3 } END { print s + 0 }' "$T/want.$name")
	total_got=$(jq '.matched' "$T/got.json")
	check "$name: $total_want records, as awk counts them" test "$total_got" = "$total_want"
	check "$name: no malformed lines" test "$(jq .malformed "$T/got.json")" = 0
	while read -r arch nr count; do
		a=$(arch_of "$arch" "$nr")
		want=$(scmp_sys_resolver -a "$a" "$nr" 2>/dev/null)
		check "$name: $a $nr = $want x$count" grep -qx "$nr $count $want $a" "$T/got.$name"
	done <"$T/want.$name"
done
check "fixtures were found ($n)" test "$n" -ge 8

# format-specific facts
f="$FIXTURES/i386.txt"
if [ -f "$f" ]; then
	"$SECLOG" harvest -q -f "$f" >"$T/i386"
	check "i386: 45 is brk on x86 (not x86_64's recvfrom)" has '^x86 brk ' "$T/i386"
	check "i386: no x86 recvfrom" hasnt '^x86 recvfrom' "$T/i386"
fi
f="$FIXTURES/hexcomm.txt"
if [ -f "$f" ]; then
	"$SECLOG" harvest -v -f "$f" >/dev/null 2>"$T/hex"
	check "hex-encoded comm decoded (and escaped: the space)" has 'comm=my\\x20prog' "$T/hex"
	check "hex-encoded comm matches --comm" sh -c "'$SECLOG' harvest -q -f '$f' --comm 'my prog' | grep -q ."
fi
f="$FIXTURES/tagged.txt"
if [ -f "$f" ]; then
	check "tagged run: --auid 4242 finds it" sh -c "'$SECLOG' harvest -q -f '$f' --auid 4242 | grep -q ."
	check "tagged run: --auid 4243 does not" sh -c "test -z \"\$('$SECLOG' harvest -q -f '$f' --auid 4243)\""
fi
f="$FIXTURES/auditd-enriched.txt"
if [ -f "$f" ]; then
	check "ENRICHED lines carry the 0x1d tail" sh -c "grep -q \"\$(printf '\\035')\" '$f'"
	check "ENRICHED: names come from the numbers, not the tail" sh -c "! '$SECLOG' harvest -q -f '$f' | grep -q unknown"
fi
f="$FIXTURES/burst-suppressed.txt"
if [ -f "$f" ]; then
	check "suppressed burst: exit 3" status 3 "$SECLOG" harvest -f "$f" --json
	check "suppressed burst: incomplete" jqok '.incomplete == true and .loss.records > 0' "$T/out"
	check "suppressed burst: the warning" has 'may be incomplete' "$T/err"
	last=$(LC_ALL=C grep -o 'audit([0-9]*' "$f" | tail -1 | tr -dc 0-9)
	check "suppressed burst: a span after it is complete" status 0 "$SECLOG" harvest -f "$f" --since $((last + 3600))
	# uptime-only reports are placed from the file's own lines, never from
	# this machine's boot: the same capture moved 400 days back, --since
	# between its "511" (1795424296.68) and "20" (1795424302.69) reports
	shift=$((400 * 86400))
	LC_ALL=C awk -v d=$shift '{ if (match($0, /audit\([0-9]+\./)) printf "%s%d%s\n",
		substr($0, 1, RSTART + 5), substr($0, RSTART + 6, RLENGTH - 7) - d,
		substr($0, RSTART + RLENGTH - 1); else print }' "$f" >"$T/earlier.txt"
	check "earlier boot: only the later report in the span" status 3 "$SECLOG" harvest -f "$T/earlier.txt" --since $((1795424297 - shift)) --json
	check "earlier boot: 20 suppressed" jqok '.loss.reports == 1 and .loss.records == 20' "$T/out"
	check "earlier boot: a span after both is complete" status 0 "$SECLOG" harvest -f "$T/earlier.txt" --since $((1795424303 - shift))
fi
# the same records from several formats count once
a="$FIXTURES/kernlog-traditional.txt" b="$FIXTURES/kernlog-rfc3339.txt"
if [ -f "$a" ] && [ -f "$b" ] && [ -f "$FIXTURES/dmesg.txt" ]; then
	"$SECLOG" harvest -q --json -f "$FIXTURES/dmesg.txt" >"$T/one.json"
	"$SECLOG" harvest -q --json -f "$FIXTURES/dmesg.txt" -f "$FIXTURES/dmesg.txt" >"$T/two.json"
	check "a file read twice counts once" test "$(jq .matched "$T/one.json")" = "$(jq .matched "$T/two.json")"
fi
finish
