#!/bin/sh
# stream.sh - stdin, pipes and FIFOs read as streams; constant memory
. "$TESTLIB"

rec='type=SECCOMP msg=audit(1795422700.001:1): auid=0 uid=0 gid=0 ses=1 pid=9 comm="a" exe="/a" sig=0 arch=c000003e syscall=0 compat=0 ip=0x1 code=0x7ffc0000'
echo "$rec" >"$T/one.txt"

check "stdin with -f -" sh -c "'$SECLOG' harvest -f - < '$T/one.txt' | grep -qx 'x86_64 read 1'"
check "a pipe" sh -c "cat '$T/one.txt' | '$SECLOG' harvest -f - | grep -qx 'x86_64 read 1'"
mkfifo "$T/fifo"
(cat "$T/one.txt" >"$T/fifo") &
check "a FIFO" sh -c "'$SECLOG' harvest -f '$T/fifo' | grep -qx 'x86_64 read 1'"
wait

# ~200 MB through a pipe: peak RSS stays small whatever the size
if ldd "$SECLOG" | grep -q libasan; then
	echo "# sanitizer build: its shadow memory makes RSS meaningless; not measured"
elif [ -x /usr/bin/time ]; then
	awk -v r="$rec" 'BEGIN { pad = sprintf("%300s", ""); for (i = 0; i < 600000; i++) { print "type=SYSCALL msg=audit(1795422700.001:" i "): arch=c000003e syscall=59 " pad; if (i % 50 == 0) { sub(/:[0-9]+\)/, ":" i ")", r); print r } } }' |
		/usr/bin/time -f '%M' -o "$T/rss" "$SECLOG" harvest -f - >"$T/out" 2>"$T/err"
	check "200 MB pipe harvested" has '^x86_64 read 12000$' "$T/out"
	check "peak RSS under 16 MB ($(cat "$T/rss") KiB)" test "$(cat "$T/rss")" -lt 16384
else
	echo "# /usr/bin/time missing: RSS check not run (scripts/test installs it)"
fi
finish
