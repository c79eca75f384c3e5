#!/bin/sh
# span.sh - a harvest whose --since is earlier than every source begins
# (a wrapped ring, a rotated log) is incomplete: exit 3, with the reason;
# when nothing matched, the warning says whose records were read.
. "$TESTLIB"

reason='no source reaches back to --since'

# --- files: when each begins (its first timed line, computed here by date(1))
f="$FIXTURES/kernlog-rfc3339.txt"
b=$(date -d "$(head -1 "$f" | cut -d' ' -f1)" +%s.%N)
bs=${b%.*}
check "a file that begins after --since: exit 3" status 3 "$SECLOG" harvest -f "$f" --since $((bs - 60)) --json
check "... incomplete, with the reason" jqok --arg r "$reason" '.incomplete == true and (.incomplete_reasons | index($r))' "$T/out"
check "... its beginning, as date(1) reads its first line" jqok --argjson b "$b" '(.sources[0].begins - $b) | fabs < 0.001' "$T/out"
check "... the warning names it and when it begins" has "kernlog-rfc3339.txt: begins $(date -d @$bs '+%Y-%m-%d %H:%M:%S')" "$T/err"
check "... and what to do" has 'fix: read a log that keeps every record' "$T/err"
check "--since after it begins: exit 0" status 0 "$SECLOG" harvest -f "$f" --since $((bs + 1)) --json
check "... complete" jqok '.incomplete == false and .incomplete_reasons == []' "$T/out"
check "no --since: nothing to cover" status 0 "$SECLOG" harvest -q -f "$f"

# several sources: one that holds --since is enough (a rotated log and its
# successor); one that ended before it (last written earlier) is not
cp "$FIXTURES/auditd-raw.txt" "$T/audit.log.1"
a=$(head -1 "$T/audit.log.1" | sed 's/.*audit(\([0-9]*\)\..*/\1/')
check "the older file holds --since: covered" status 0 "$SECLOG" harvest -f "$T/audit.log.1" -f "$f" --since $((bs - 60)) --json
check "... complete" jqok '.incomplete == false' "$T/out"
touch -d @$((a + 10)) "$T/audit.log.1"
check "it was last written before --since: exit 3" status 3 "$SECLOG" harvest -f "$T/audit.log.1" -f "$f" --since $((bs - 60))
check "... the warning says when it was last written" has "audit.log.1: begins .* and was last written" "$T/err"

# no line with a time: when it begins is unknown, so --since is not covered
grep -a '^SECCOMP auid=' "$FIXTURES/journal-cat.txt" >"$T/cat.txt"
check "a file with no timed line and --since: exit 3" status 3 "$SECLOG" harvest -f "$T/cat.txt" --since $((bs - 60))
check "... says its beginning is unknown" has 'cat.txt: no line in its first 256 KiB carries a time' "$T/err"

# --- nothing matched: who was seen (counted here with awk)
f="$FIXTURES/dmesg-T.txt"
top=$(awk '/audit: type=1326/ { for (i = 1; i <= NF; i++) { if ($i ~ /^pid=/) p = substr($i, 5); if ($i ~ /^comm=/) c = substr($i, 6) }
	gsub(/"/, "", c); n[p]++; last[p] = c } END { for (p in n) print n[p], p, last[p] }' "$f" | sort -rn | head -1)
set -- $top
check "nothing matched --pid 1: exit 0" status 0 "$SECLOG" harvest -f "$f" --pid 1
check "... the pid with the most records, and its comm" has "most records by pid: $2 $3 ($1)" "$T/err"
check "... the comms" has "most records by comm: $3 " "$T/err"
check "... --pid does not follow children; --auid does" has '--pid matches those pids only, not their children.*--auid' "$T/err"
check "--comm that matches nothing: the lists, no --pid note" status 0 "$SECLOG" harvest -f "$f" --comm nosuch
check "... the lists" has "most records by pid: $2 $3 ($1)" "$T/err"
check "... no --pid note" hasnt 'not their children' "$T/err"

# --- the real ring, wrapped: a tagged burst bigger than the 128 KiB ring
if [ "$(id -u)" != 0 ]; then
	echo "# not root: the /dev/kmsg part is skipped (it needs root)"
elif pidof auditd >/dev/null; then
	echo "# auditd is running: records go to audit.log, not the ring; ring part not run"
elif ! "$HELPERS/helper-logrun" -- true 2>/dev/null; then
	echo "# cannot load a seccomp filter here: ring part not run"
else
	serialize
	old_rl=$(sysctl -n kernel.printk_ratelimit)
	trap 'sysctl -q -w kernel.printk_ratelimit="$old_rl"; rm -rf "$T"' EXIT INT TERM
	sysctl -q -w kernel.printk_ratelimit=0
	start=$(date +%s)
	sleep 1
	# 4000 records of ~250 bytes: the ring (dmesg's log_buf_len) wraps
	"$HELPERS/helper-logrun" -t 4247 -n 4000
	sleep 0.5
	sysctl -q -w kernel.printk_ratelimit="$old_rl"
	check "the wrapped ring: exit 3" status 3 "$SECLOG" harvest -f /dev/kmsg --since "$start" --auid 4247 --json
	check "... incomplete for the ring's late start, not a loss report" jqok --arg r "$reason" '.incomplete == true and (.incomplete_reasons | index($r)) and .loss.reports == 0' "$T/out"
	check "... fewer than 4000 of the run's records were left" jqok '.matched > 0 and .matched < 4000' "$T/out"
	check "... the ring begins after --since" jqok --argjson s "$start" '.sources[0].begins > $s' "$T/out"
	check "... the warning names the ring" has '/dev/kmsg: begins .*(its oldest message' "$T/err"
	echo "# the ring kept $(jq .matched "$T/out") of 4000 records"
	# (exit 0 or 3: the ring may hold the kernel's later loss reports)
	"$SECLOG" harvest -q -f /dev/kmsg --since "$(jq '.sources[0].begins + 1' "$T/out")" --json >"$T/later.json"
	check "--since after the ring begins: covered" jqok --arg r "$reason" '(.incomplete_reasons | index($r)) == null' "$T/later.json"
	# the ring now begins with this burst: a test that takes the lock next
	# and starts its span in this same second would begin before the ring
	sleep 1.1
fi
finish
