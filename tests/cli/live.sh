#!/bin/sh
# live.sh - the live options' usage errors and how a followed harvest of
# a file ends (no root needed); live-root.sh has the kernel's records.
. "$TESTLIB"

f="$FIXTURES/auditd-enriched.txt"

check "--from-start without --follow: usage" status 2 "$SECLOG" harvest --source kmsg --from-start
check "  says why" has 'needs --follow' "$T/err"
check "--source netlink without --follow: usage" status 2 "$SECLOG" harvest --source netlink
check "  the socket holds no past" has 'holds no past' "$T/err"
check "--source bogus: usage" status 2 "$SECLOG" harvest --source bogus
check "  names the kinds" has 'netlink, journal, kmsg, auto' "$T/err"
check "--children without --pid: usage" status 2 "$SECLOG" harvest --children -f "$f"
check "--duration 0: usage" status 2 "$SECLOG" harvest --duration 0 -f "$f"
check "--duration x: usage" status 2 "$SECLOG" harvest --duration x -f "$f"
check "--until-exit 0: usage" status 2 "$SECLOG" harvest --until-exit 0 -f "$f"
# a pid that cannot exist (above pid_max's ceiling)
check "--until-exit of no process: failure" status 1 "$SECLOG" harvest --until-exit 4194305 -f "$f"
check "  says so" has 'until-exit 4194305: no such process' "$T/err"

# a file followed for a while: read to its end, then waited on; the end
# of --duration is a normal end, with the same result as a plain read
check "plain read" status 0 "$SECLOG" harvest --json -f "$f"
cp "$T/out" "$T/plain.json"
s=$(date +%s%N)
check "-f FILE --duration 1: exit 0" status 0 "$SECLOG" harvest --json -f "$f" --duration 1
e=$(date +%s%N)
check "  the same records" jqok --slurpfile p "$T/plain.json" '.matched == $p[0].matched and .syscalls == $p[0].syscalls' "$T/out"
check "  after about a second" test $(((e - s) / 1000000)) -ge 900 -a $(((e - s) / 1000000)) -lt 5000

# --until-exit of a process that ends: the harvest ends with it
sleep 1 &
check "--until-exit: ends when the process does" status 0 "$SECLOG" harvest -f "$f" --until-exit $!
check "  with the file's records" has 'x86_64' "$T/out"

# SIGTERM ends a followed harvest normally, with its result
"$SECLOG" harvest --json -f "$f" --follow >"$T/t.json" 2>"$T/t.err" &
h=$!
sleep 0.5
kill -TERM $h
wait $h
check "--follow, SIGTERM: exit 0" test $? = 0
check "  the result" jqok --slurpfile p "$T/plain.json" '.matched == $p[0].matched' "$T/t.json"
finish
