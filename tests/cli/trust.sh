#!/bin/sh
# trust.sh - who wrote a record: syslog text (anyone, with logger) counts
# only with a kernel-made copy or --trust-syslog; the journal's two copies
# of a record count once.  Real captures (tests/fixtures/README):
# rsyslog's syslog and journalctl output holding lines forged by user
# nobody with logger and systemd-cat, dmesg of the same run, and bursts of
# identical records through journald.
. "$TESTLIB"

F=$FIXTURES/trust
sys=$F/trust-syslog.txt dm=$F/trust-dmesg.txt
# independent counts
real=$(grep -c 'audit: type=1326 .*comm="\(true\|helper-logrun\)".*syscall=[0-9]* ' "$dm")
forged=$(grep -c 'syscall=165 ' "$sys")
check "fixtures: $real real records, $forged forged lines" test "$real" -gt 0 -a "$forged" -gt 0
stamp=$(grep -o 'audit([0-9.:]*)' "$dm" | head -1)
check "a forged line reuses a real stamp" sh -c "grep '$stamp' '$sys' | grep -q 'syscall=165 '"

# syslog text alone: nothing counts, all is reported
check "syslog alone: exit 0" status 0 "$SECLOG" harvest --json -f "$sys"
check "syslog alone: nothing counted" jqok '.matched == 0' "$T/out"
# 4 forged lines parse ("kernel:" twice, "audit[PID]:" twice); the
# "kernel[PID]:" of systemd-cat is no record at all
check "syslog alone: all reported, each once" jqok ".records == $((real + 4)) and .untrusted.records + .duplicates == .records" "$T/out"
check "syslog alone: the warning" has 'only in syslog text, which any local user can write, were not counted; --trust-syslog counts them' "$T/err"
check "syslog alone: names they would add" has 'they would add: .*mount' "$T/err"

# with the kernel's own copy: the real records count, the forged do not,
# the one with a copied stamp included
check "syslog + dmesg: exit 0" status 0 "$SECLOG" harvest --json -f "$sys" -f "$dm"
check "syslog + dmesg: the real records count" jqok ".matched == $real" "$T/out"
check "syslog + dmesg: all read" jqok ".records == $((2 * real + 4))" "$T/out"
check "syslog + dmesg: the forged ones are reported, not counted" jqok '.untrusted.records > 0 and .untrusted.new == ["mount"] and [.untrusted.syscalls[].name] == ["mount"]' "$T/out"
check "syslog + dmesg: mount not in the result" jqok '[.syscalls[].name] | index("mount") == null' "$T/out"
check "syslog + dmesg: warning names mount" has 'they would add: mount$' "$T/err"
check "order of sources does not matter" status 0 "$SECLOG" harvest --json -f "$dm" -f "$sys"
check "  (same counts)" jqok ".matched == $real and .untrusted.new == [\"mount\"]" "$T/out"

# a merge never takes the forged name unless told
printf '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[]}\n' >"$T/p.json"
check "merge: written" status 0 "$SECLOG" harvest -f "$sys" -f "$dm" --merge "$T/p.json"
check "merge: no mount" hasnt '"mount"' "$T/p.json"
check "merge: execve added" has '"execve"' "$T/p.json"
check "--trust-syslog: mount counted" status 0 "$SECLOG" harvest --json --trust-syslog -f "$sys" -f "$dm"
check "--trust-syslog: nothing left out" jqok ".untrusted.records == 0 and .matched > $real" "$T/out"
check "--trust-syslog: mount in the result" jqok '[.syscalls[].name] | index("mount") != null' "$T/out"
check "--trust-syslog: no warning" hasnt 'only in syslog text' "$T/err"
check "-q silences the warning" status 0 "$SECLOG" harvest -q -f "$sys"
check "  (nothing on stderr)" test ! -s "$T/err"

# journalctl short and cat: text as well (a forged "audit[PID]: SECCOMP"
# line looks exactly like the audit transport there)
for o in short cat; do
	j=$F/trust-journal-$o.txt
	check "journal $o: text, not counted" status 0 "$SECLOG" harvest --json -f "$j"
	check "journal $o: 0 counted" jqok '.matched == 0 and .untrusted.records > 0' "$T/out"
done
check "journal short + dmesg: the real records count once" status 0 "$SECLOG" harvest --json -f "$F/trust-journal-short.txt" -f "$dm"
check "  ($real, only the 2 forged audit lines reported)" jqok ".matched == $real and .untrusted.records == 2 and .untrusted.new == [\"mount\"]" "$T/out"

# each record once: the journal's audit and kernel transports pair up in
# order, also for a loop's identical records, in every short form and cat
for f in "$FIXTURES"/burst-journal-*.txt "$FIXTURES"/burst-all-journal-short.txt \
	"$FIXTURES"/journal-short.txt "$FIXTURES"/journal-cat.txt; do
	name=$(basename "$f")
	a=$(grep -c 'SECCOMP auid=' "$f")
	k=$(grep -c 'audit: type=1326 ' "$f")
	"$SECLOG" harvest -q --json --trust-syslog -f "$f" >"$T/j.json"
	check "$name: $a records once ($k kernel copies are duplicates)" \
		jqok ".matched == $a and .duplicates == $k and .records == $((a + k))" "$T/j.json"
	want=$(grep 'SECCOMP auid=' "$f" | grep -c 'syscall=110 ')
	check "$name: getppid x$want" jqok "([.syscalls[] | select(.name == \"getppid\") | .count] | add // 0) == $want" "$T/j.json"
	"$SECLOG" harvest -q --json --trust-syslog --no-dedupe -f "$f" >"$T/j.json"
	check "$name: --no-dedupe counts both copies" jqok ".matched == $((a + k))" "$T/j.json"
done
# a twin a filter leaves out does not stand for the other copy: -o cat
# audit copies have no time, so --since keeps only the kernel copies
f=$FIXTURES/journal-cat.txt
first=$(grep -o 'audit([0-9]*' "$f" | head -1 | tr -dc 0-9)
k=$(grep -c 'audit: type=1326 ' "$f")
"$SECLOG" harvest -q --json --trust-syslog -f "$f" --since "$first" >"$T/j.json"
check "journal cat --since: the $k kernel copies count" jqok ".matched == $k and .duplicates == 0" "$T/j.json"
k=$(grep -c 'audit: type=1326 ' "$FIXTURES/burst-journal-short.txt")
check "the burst kept only some kernel copies (rate limit: $k)" test "$k" -lt 200
finish
