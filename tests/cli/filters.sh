#!/bin/sh
# filters.sh - --pid/--comm/--exe/--auid/--ses/--since/--until, dedupe,
# and the escaping of record text on the terminal
. "$TESTLIB"

log="$T/mixed.txt"
# pid 100 "web" (auid 1000 ses 5) at 1795422700; pid 200 hex comm "my app" at 1795422800
cat >"$log" <<'REC'
type=SECCOMP msg=audit(1795422700.001:1): auid=1000 uid=0 gid=0 ses=5 pid=100 comm="web" exe="/usr/sbin/web" sig=0 arch=c000003e syscall=0 compat=0 ip=0x1 code=0x7ffc0000
type=SECCOMP msg=audit(1795422700.002:2): auid=1000 uid=0 gid=0 ses=5 pid=100 comm="web" exe="/usr/sbin/web" sig=0 arch=c000003e syscall=1 compat=0 ip=0x1 code=0x7ffc0000
type=SECCOMP msg=audit(1795422800.001:3): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=200 comm=6D7920617070 exe=2F6F70742F6D7920617070 sig=0 arch=c000003e syscall=257 compat=0 ip=0x1 code=0x7ffc0000
type=SECCOMP msg=audit(1795422800.002:4): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=201 comm=1B5D303B70776E6564071B5B33316D exe="/x" sig=0 arch=c000003e syscall=3 compat=0 ip=0x1 code=0x7ffc0000
REC

names() { "$SECLOG" harvest -q -f "$log" "$@" | awk '{print $2}' | tr '\n' ' '; }

check "no filter: 4 names" test "$(names)" = "close openat read write "
check "--pid 100" test "$(names --pid 100)" = "read write "
check "--pid repeat" test "$(names --pid 100 --pid 201)" = "close read write "
check "--comm web" test "$(names --comm web)" = "read write "
check "--comm matches decoded hex" test "$(names --comm 'my app')" = "openat "
check "--exe decoded" test "$(names --exe '/opt/my app')" = "openat "
check "--auid 1000" test "$(names --auid 1000)" = "read write "
check "--ses 5 --pid 200: nothing" test "$(names --ses 5 --pid 200)" = ""
check "--since epoch" test "$(names --since 1795422750)" = "close openat "
check "--until epoch" test "$(names --until 1795422750)" = "read write "
check "--since > --until is a usage error" status 2 "$SECLOG" harvest -f "$log" --since 1795422800 --until 1795422700
check "--since YYYY-MM-DD HH:MM:SS (local time)" test "$(TZ=UTC names --since '2026-11-23 08:32:00')" = "close openat "
check "--until in another zone" test "$(TZ=Europe/Berlin names --until '2026-11-23 09:32:00')" = "read write "
check "--since keyword accepted" status 0 "$SECLOG" harvest -f "$log" --since this-week

# the same records again, through another file and format: counted once
sed 's/^type=SECCOMP msg=/Nov 23 08:31:40 vm kernel: [ 10.0] audit: type=1326 /' "$log" >"$T/kern.txt"
check "dedupe across files" status 0 "$SECLOG" harvest -f "$log" -f "$T/kern.txt" --json
check "dedupe counts" jqok '.records == 8 and .matched == 4 and .duplicates == 4' "$T/out"
check "--no-dedupe counts twice" sh -c "'$SECLOG' harvest -q -f '$log' -f '$T/kern.txt' --no-dedupe --trust-syslog | grep -q '^x86_64 read 2$'"

# text from records never reaches the terminal raw
check "-v lists processes" status 0 "$SECLOG" harvest -v -f "$log"
check "-v: hex comm decoded and escaped" has 'comm=my\\x20app exe=/opt/my\\x20app' "$T/err"
check "-v: escape sequence neutralised" has 'comm=\\x1b\]0;pwned\\x07\\x1b\[31m' "$T/err"
check "-v: no raw ESC byte on stderr" sh -c "! grep -q \"\$(printf '\\033')\" '$T/err'"
check "--json -v: no raw ESC byte" sh -c "'$SECLOG' harvest -q -v --json -f '$log' > '$T/j' 2>/dev/null && ! grep -q \"\$(printf '\\033')\" '$T/j' && jq -e '.processes | length == 3' '$T/j' >/dev/null"

# malformed lines: one summary line, escaped, not a flood
{
	i=0
	while [ $i -lt 50 ]; do
		printf 'type=SECCOMP msg=audit(1795422700.001:%d): pid=1 comm="\033[2J" arch=c000003e sysc\n' $((i + 10))
		i=$((i + 1))
	done
} >"$T/bad.txt"
check "malformed lines: success" status 0 "$SECLOG" harvest -f "$T/bad.txt" -f "$log"
check "malformed: one summary line" test "$(grep -c malformed "$T/err")" = 1
check "malformed: count" has '50 malformed SECCOMP lines skipped' "$T/err"
check "malformed: sample escaped" has 'comm="\\x1b\[2J"' "$T/err"
check "--json malformed count" sh -c "'$SECLOG' harvest -q --json -f '$T/bad.txt' | jq -e '.malformed == 50' >/dev/null"
finish
