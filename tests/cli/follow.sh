#!/bin/bash
# follow.sh - -f FILE --follow and --state: a writer appends real auditd
# lines while the file source follows; rotation by rename (auditd ROTATE,
# logrotate create), copytruncate, a line written in two halves, a resume
# across runs with rotations in between.  Every count is exact: no record
# lost, none read twice.  No root needed.
. "$TESTLIB"

HF=$HELPERS/helper-follow
[ -x "$HF" ] || skip "helper-follow not built"

# a real auditd ENRICHED SECCOMP line, its serial and syscall made variable
tpl=$(grep -m1 'type=SECCOMP' "$FIXTURES/auditd-enriched.txt")
other=$(grep -m1 'type=SYSCALL' "$FIXTURES/auditd-enriched.txt")
pre=${tpl%%:1471)*}:
post=${tpl#*:1471)}
post=${post/syscall=59 /syscall=SYSCALL }
[ "$pre$post" != "$tpl" ] || skip "fixture changed"

# line SERIAL: record SERIAL, its syscall SERIAL % 300 + 1 (never a prefix
# of another: a half line parsed early would show)
line() { local s=$1; printf '%s%s)%s\n' "$pre" "$s" "${post/syscall=SYSCALL /syscall=$((s % 300 + 1)) }"; }
# emit FROM TO on fd 3, a non-SECCOMP line between records, like auditd
emit() { local i; for ((i = $1; i <= $2; i++)); do line "$i" >&3; printf '%s\n' "$other" >&3; done; }
# want FROM TO: the serials and syscalls a reader must print, in order
want() { local i; for ((i = $1; i <= $2; i++)); do echo "$i $((i % 300 + 1))"; done; }

D=$T/log
mkdir "$D"
L=$D/audit.log

# wait_lines N: until the reader has printed N records (a loaded machine
# may take its time to start it)
wait_lines() { local i; for ((i = 0; i < 200; i++)); do [ "$(cat "$T/got" 2>/dev/null | wc -l)" -ge "$1" ] && return; sleep 0.05; done; }
start() { rm -f "$T/done"; : >"$T/got"; "$HF" --follow --until "$T/done" --timeout 30 "$@" "$L" >"$T/got" 2>"$T/err" & reader=$!; }
finish_reader() { touch "$T/done"; wait "$reader"; }

# 1. a file that grows, is renamed away (the writer keeps writing the old
# one for a while, as a daemon does until it reopens), then a new one
exec 3>>"$L"
emit 1 200
start
wait_lines 200
emit 201 400
mv "$L" "$L.1"
emit 401 450			# still the old file: the writer did not reopen yet
sleep 0.2
: >"$L"				# logrotate's create: new and empty
emit 451 500			# ... the old one still
sleep 0.4
exec 3>>"$L"			# the writer reopens
emit 501 700
sleep 0.2
# auditd's ROTATE: rename and a new file at once, written at once
mv "$L" "$L.2"
exec 3>>"$L"
emit 701 900
finish_reader
check "rename rotation: reader ended well" test $? = 0
want 1 900 >"$T/want"
check "rename rotation: 900 records, each once, in order" same "$T/want" "$T/got"
check "waited on a descriptor (inotify)" has 'eagain=[1-9][0-9]* fd=yes' "$T/err"
# the watermark at a wait: now minus the 5 s margin
check "watermark 5 s behind now" has 'lag=5\.[0-9]' "$T/err"

# 2. copytruncate while the reader is stopped: the lines it had not read
# yet are in the copy only
rm -f "$D"/*
exec 3>>"$L"
emit 1 100
start
wait_lines 100
kill -STOP "$reader"
emit 101 300
cp "$L" "$L.1" && : >"$L"	# logrotate copytruncate (nothing written between)
emit 301 400			# O_APPEND: from the start of the emptied file
kill -CONT "$reader"
sleep 0.3
emit 401 500
finish_reader
want 1 500 >"$T/want"
check "copytruncate: 500 records, each once (the rest read from the copy)" same "$T/want" "$T/got"

# 3. copytruncate, reader keeping up, file grows past the old size before
# the reader looks again: told by its first bytes, not its size
rm -f "$D"/*
exec 3>>"$L"
emit 1 50
start
wait_lines 50
kill -STOP "$reader"
: >"$L"				# truncated, no copy kept
emit 1001 1200			# larger than before
kill -CONT "$reader"
sleep 0.3
finish_reader
{ want 1 50; want 1001 1200; } >"$T/want"
check "truncate and regrow past the old size: read from the start" same "$T/want" "$T/got"

# 4. a line written in two halves, split inside "syscall=NN": never parsed
# before its newline comes (the reader waits with the half read)
waits() { grep -c '^wait$' "$T/err"; }
# wait_more N: until the reader has waited N more times than now
wait_more() { local w i; w=$(($(waits) + $1)); for ((i = 0; i < 200; i++)); do [ "$(waits)" -ge "$w" ] && return; sleep 0.05; done; }
rm -f "$D"/*
exec 3>>"$L"
emit 1 3
start --trace
wait_lines 3
whole=$(line 4)
half=${whole%%syscall=*}syscall=
printf '%s' "${half}" >&3
wait_more 2			# a wait after reading the half line
printf '%s\n' "${whole#"$half"}" >&3
finish_reader
want 1 4 >"$T/want"
check "a half-written line waits for its newline" same "$T/want" "$T/got"
# ... but at a rotation, the old file's unterminated tail is final
rm -f "$D"/*
exec 3>>"$L"
emit 1 3
start
wait_lines 3
line 4 | tr -d '\n' >&3
mv "$L" "$L.1"
exec 3>>"$L"
emit 5 6
finish_reader
want 1 6 >"$T/want"
check "a rotated file's last line needs no newline" same "$T/want" "$T/got"

# 4b. no inotify to be had (here: no descriptor left for it): the file is
# looked at every 250 ms instead, and nothing is missed
rm -f "$D"/*
exec 3>>"$L"
emit 1 10
rm -f "$T/done"
: >"$T/got"
(exec 3>&-; ulimit -n 4; exec "$HF" --follow --until "$T/done" --timeout 30 "$L") >"$T/got" 2>"$T/err" &
reader=$!
wait_lines 10
emit 11 20
sleep 0.6
emit 21 30
finish_reader
want 1 30 >"$T/want"
check "without inotify: polled, 30 records, each once" same "$T/want" "$T/got"
check "... waiting on a timer, not a descriptor" has 'eagain=[1-9][0-9]* fd=no' "$T/err"

# 5. the reader stopped across two rotations: the file it was in, the one
# rotated after it, then the current one
rm -f "$D"/*
exec 3>>"$L"
emit 1 100
start
wait_lines 100
kill -STOP "$reader"
emit 101 200
mv "$L" "$L.1"
exec 3>>"$L"
emit 201 300
sleep 0.05			# mtimes tell the order
mv "$L.1" "$L.2" && mv "$L" "$L.1"
exec 3>>"$L"
emit 301 400
kill -CONT "$reader"
sleep 0.3
finish_reader
want 1 400 >"$T/want"
check "two rotations while stopped: 400 records, each once" same "$T/want" "$T/got"

# 6. a pipe with --follow: read until its writer closes it, never blocking
{ emit 1 5; sleep 0.5; emit 6 10; } 3>&1 | "$HF" --follow --timeout 10 - >"$T/got" 2>"$T/err"
check "a pipe ends with its writer" test $? = 0
want 1 10 >"$T/want"
check "a pipe: 10 records" same "$T/want" "$T/got"
check "a pipe is waited on, not blocked in" has 'eagain=[1-9]' "$T/err"

# 7. --state: resume across runs, with appends and rotations in between
rm -f "$D"/* "$T/state"
S=$T/state
exec 3>>"$L"
emit 1 100
"$HF" --state "$S" "$L" >"$T/got" 2>"$T/err"
want 1 100 >"$T/want"
check "state run 1: all 100" same "$T/want" "$T/got"
check "state file names the file by its absolute path" \
	grep -q "^file:$(realpath "$D")/audit.log dev=[0-9]* ino=[0-9]* off=[0-9]* head=[0-9]*:[0-9a-f]*$" "$S"
emit 101 150
"$HF" --state "$S" "$L" >"$T/got" 2>"$T/err"
want 101 150 >"$T/want"
check "state run 2: only the 50 appended" same "$T/want" "$T/got"
"$HF" --state "$S" "$L" >"$T/got" 2>"$T/err"
check "state run 3: nothing new, nothing" test ! -s "$T/got"
# a half-written line at the end: not a record, and not passed by the
# checkpoint; the next run reads it whole
whole=$(line 151)
printf '%s' "${whole:0:80}" >&3
"$HF" --state "$S" "$L" >"$T/got" 2>"$T/err"
check "state run 4: a half-written last line is no record" test ! -s "$T/got"
printf '%s\n' "${whole:80}" >&3
emit 152 160
"$HF" --state "$S" "$L" >"$T/got" 2>"$T/err"
want 151 160 >"$T/want"
check "state run 5: that line read whole, then the rest" same "$T/want" "$T/got"
# rename rotation between runs (auditd ROTATE)
emit 161 200
mv "$L" "$L.1"
exec 3>>"$L"
emit 201 250
"$HF" --state "$S" "$L" >"$T/got" 2>"$T/err"
want 161 250 >"$T/want"
check "state across a rename: the old file's rest, then the new one" same "$T/want" "$T/got"
check "state across a rename: no gap" has 'gap=0' "$T/err"
# two rotations (logrotate dateext names) between runs
emit 251 300
mv "$L" "$L-20261201"
exec 3>>"$L"
emit 301 350
sleep 0.05
mv "$L" "$L-20261202"
exec 3>>"$L"
emit 351 400
"$HF" --state "$S" "$L" >"$T/got" 2>"$T/err"
want 251 400 >"$T/want"
check "state across two rotations: 150 records, each once" same "$T/want" "$T/got"
# copytruncate between runs
emit 401 450
cp "$L" "$L.9" && : >"$L"
emit 451 470
"$HF" --state "$S" "$L" >"$T/got" 2>"$T/err"
want 401 470 >"$T/want"
check "state across copytruncate: the copy's rest, then the file from 0" same "$T/want" "$T/got"
# resumed by a follow run, rotated while it runs
emit 471 480
start --state "$S"
wait_lines 10
emit 481 490
mv "$L" "$L.1"
exec 3>>"$L"
emit 491 500
finish_reader
want 471 500 >"$T/want"
check "state then --follow across a rename" same "$T/want" "$T/got"
emit 501 510
"$HF" --state "$S" "$L" >"$T/got" 2>"$T/err"
want 501 510 >"$T/want"
check "the follow run's state resumes exactly" same "$T/want" "$T/got"
# the file it stopped in compressed away: from the new file's start, and
# the gap is said
emit 511 520
mv "$L" "$L.1"
gzip -f "$L.1"
exec 3>>"$L"
emit 521 530
"$HF" --state "$S" "$L" >"$T/got" 2>"$T/err"
want 521 530 >"$T/want"
check "a compressed rotated file: the new file from its start" same "$T/want" "$T/got"
check "... and the gap is said, once" has 'gap=1$' "$T/err"
# a malformed checkpoint is an error, not a silent restart
printf 'file:%s dev=1 ino=x off=3\n' "$L" >"$S"
check "a malformed checkpoint is refused" status 1 "$HF" --state "$S" "$L"
check "... saying so" has 'not a checkpoint of a file' "$T/err"

# 7b. the real logrotate: create (the writer reopens later), then
# copytruncate, while followed; a writer that does not write while
# logrotate copies (logrotate's own caveat for the lines in between)
if command -v logrotate >/dev/null; then
	rm -f "$D"/*
	printf '%s {\n\trotate 5\n\tcreate\n}\n' "$L" >"$T/lr-create.conf"
	printf '%s {\n\trotate 5\n\tcopytruncate\n}\n' "$L" >"$T/lr-copy.conf"
	exec 3>>"$L"
	emit 1 100
	start
	wait_lines 100
	emit 101 200
	logrotate -f -s "$T/lr.state" "$T/lr-create.conf"
	emit 201 250			# the old file, until the daemon reopens
	sleep 0.3
	exec 3>>"$L"
	emit 251 300
	sleep 0.3
	logrotate -f -s "$T/lr.state" "$T/lr-copy.conf"
	emit 301 400
	finish_reader
	want 1 400 >"$T/want"
	check "logrotate create, then copytruncate, followed: 400 records, each once" \
		same "$T/want" "$T/got"
	check "... logrotate did rotate twice" test -s "$L.2"
else
	echo "# logrotate is not installed: its part not run"
fi

# 8. the same through the CLI: harvest --follow --duration --state --json;
# .records counts every record read, .duplicates those read twice
rm -f "$D"/* "$S"
exec 3>>"$L"
emit 1 100
"$SECLOG" harvest -f "$L" --follow --duration 4 --state "$S" --json >"$T/run.json" 2>"$T/run.err" &
harvest=$!
sleep 0.5
emit 101 200
mv "$L" "$L.1"
exec 3>>"$L"
emit 201 300
sleep 0.3
cp "$L" "$L.2" && : >"$L"
emit 301 400
wait "$harvest"
check "harvest --follow: exit 0 at its --duration" test $? = 0
check "harvest --follow across a rename and a copytruncate: 400 records, none twice" \
	jqok '.records == 400 and .duplicates == 0 and .matched == 400 and .incomplete == false' "$T/run.json"
emit 401 450
mv "$L" "$L.1"
exec 3>>"$L"
emit 451 500
check "harvest --state after a rotation: exit 0" status 0 "$SECLOG" harvest -f "$L" --state "$S" --json
check "... the 100 new records, none twice" jqok '.records == 100 and .duplicates == 0' "$T/out"
check "... again: none" status 0 "$SECLOG" harvest -f "$L" --state "$S" --json
check "... none" jqok '.records == 0' "$T/out"
emit 501 510
mv "$L" "$L.1"
gzip -f "$L.1"
exec 3>>"$L"
emit 511 520
check "harvest --state when the file it stopped in was compressed: exit 3" \
	status 3 "$SECLOG" harvest -f "$L" --state "$S" --json
check "... the new file's 10, incomplete, and why" \
	jqok '.records == 10 and .incomplete == true and (.loss.reasons | map(test("--state")) | any)' "$T/out"
check "... on stderr too, with the fix" has 'delaycompress' "$T/err"
check "a file missing at the start is an error, --follow or not" \
	status 1 "$SECLOG" harvest -f "$D/nosuch" --follow --duration 1
exec 3>&-

finish
