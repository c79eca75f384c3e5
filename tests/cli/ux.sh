#!/bin/sh
# ux.sh - what seclog does on a terminal only: the progress line of a long
# harvest on stderr, colour; and that files and pipes get neither.  The
# terminal is a real pseudo-terminal, script(1)'s.
. "$TESTLIB"

command -v script >/dev/null 2>&1 || skip "no script(1) (util-linux/bsdutils) for a terminal"
command -v perl >/dev/null 2>&1 || skip "no perl to read what the terminal showed"
unset NO_COLOR SECLOG_PROGRESS_DELAY
esc=$(printf '\033')
cr=$(printf '\r')

# onatty OUT CMD: run the shell command CMD with stdin, stdout and stderr on
# a pseudo-terminal 200 columns wide (TERM=xterm unless CMD says otherwise);
# what the terminal showed goes to OUT; returns CMD's exit status
onatty() {
	local out=$1
	shift
	TERM=xterm script -qec "stty cols ${COLS:-200}; $*" /dev/null >"$out" 2>&1 </dev/null
}

# shown FILE: what a terminal showed, as the lines that stay: the progress
# line's draws and erasures ("\r...\e[K") taken out, the tty's \r\n as \n
shown() {
	perl -pe 's/\r\n/\n/g; s/\r[^\r\n]*?\e\[K//g' "$1"
}

# repeat N FILE: FILE's bytes N times on stdout
repeat() {
	local i=0
	while [ $i -lt "$1" ]; do
		cat "$2"
		i=$((i + 1))
	done
}

# a log of a few MiB (the line is drawn after a read of 256 KiB)
repeat 300 "$FIXTURES/auditd-raw.txt" >"$T/big.in"
records=$("$SECLOG" harvest --no-dedupe --json -f "$T/big.in" | jq .records)
check "the big log has records" test "${records:-0}" -gt 1000

# --- progress
check "a harvest on a terminal" onatty "$T/tty" \
	"SECLOG_PROGRESS_DELAY=0 '$SECLOG' harvest -f '$T/big.in' -o '$T/p.json' >/dev/null"
cp "$T/p.json" "$T/p1.json"
check "shows a progress line: bytes of the size, records" \
	grep -qE "${cr}seclog: [0-9.]+ (KiB|MiB) of [0-9.]+ MiB read \([0-9]+%\), [0-9]+ records, [0-9]+ matched${esc}\[K" "$T/tty"
check "rewritten in place and erased at the end" has "${cr}${esc}\[K" "$T/tty"
check "the same harvest with stderr in a file" \
	status 0 "$SECLOG" harvest -f "$T/big.in" -o "$T/p.json"
check "the summary is there" has "wrote a profile allowing" "$T/err"
shown "$T/tty" >"$T/shown"
check "what stays on the terminal is the summary, as in a file" same "$T/err" "$T/shown"
check "no carriage return left" hasnt "$cr" "$T/shown"
check "the profile is the same" same "$T/p1.json" "$T/p.json"
check "a file gets no progress line" hasnt "$esc" "$T/err"

COLS=40
check "a terminal 40 columns wide" onatty "$T/tty" \
	"SECLOG_PROGRESS_DELAY=0 '$SECLOG' harvest -f '$T/big.in' >/dev/null"
unset COLS
check "... gets a line of 39 (it must not wrap)" \
	sh -c "tr '\r' '\n' <'$T/tty' | grep -a 'seclog: ' | sed 's/${esc}\[K//g' | awk 'length > 39 { exit 1 } END { exit NR == 0 }'"
check "-q on a terminal" onatty "$T/tty" \
	"SECLOG_PROGRESS_DELAY=0 '$SECLOG' harvest -q -f '$T/big.in' -o '$T/p3.json' >/dev/null"
check "-q: no progress line" hasnt "records," "$T/tty"
check "-q: nothing on stderr at all" test ! -s "$T/tty"

check "stdout on a terminal, stderr in a file" onatty "$T/tty" \
	"SECLOG_PROGRESS_DELAY=0 '$SECLOG' harvest -f '$T/big.in' -o '$T/p.json' 2>'$T/err2'"
check "stderr in a file: no progress line there" hasnt "$cr" "$T/err2"
check "... nor on the terminal" hasnt "records," "$T/tty"
check "... and the summary as ever" same "$T/err" "$T/err2"

check "a short scan on a terminal" onatty "$T/tty" \
	"'$SECLOG' harvest -f '$FIXTURES/auditd-raw.txt' -o '$T/p5.json' >/dev/null"
check "a short scan shows no progress line (0.5 s)" hasnt "records," "$T/tty"

check "a pipe on a terminal" onatty "$T/tty" \
	"cat '$T/big.in' | SECLOG_PROGRESS_DELAY=0 '$SECLOG' harvest -f - >/dev/null"
check "a pipe: bytes read, no size" \
	grep -qE "seclog: [0-9.]+ (KiB|MiB) read, [0-9]+ records" "$T/tty"
check "a file on standard input has its size" onatty "$T/tty" \
	"SECLOG_PROGRESS_DELAY=0 '$SECLOG' harvest -f - <'$T/big.in' >/dev/null"
check "... shown" grep -qE "seclog: [0-9.]+ (KiB|MiB) of [0-9.]+ MiB read" "$T/tty"

check "a followed harvest on a terminal" onatty "$T/tty" \
	"SECLOG_PROGRESS_DELAY=0 '$SECLOG' harvest --follow --duration 0.6 -f '$T/big.in' >/dev/null"
check "... shows the records so far, no size" \
	grep -qE "seclog: following: [0-9]+ records, [0-9]+ matched" "$T/tty"

repeat 300 "$FIXTURES/strace-f.txt" >"$T/strace.in"
check "--strace on a terminal" onatty "$T/tty" \
	"SECLOG_PROGRESS_DELAY=0 '$SECLOG' harvest --strace '$T/strace.in' -o '$T/p.json' >/dev/null"
check "... shows the trace's progress" \
	grep -qE "${cr}seclog: --strace $T/strace.in: [0-9.]+ (KiB|MiB) of [0-9.]+ MiB read \([0-9]+%\), [0-9]+ calls${esc}\[K" "$T/tty"
check "--strace with stderr in a file" status 0 "$SECLOG" harvest --strace "$T/strace.in" -o "$T/p.json"
shown "$T/tty" >"$T/shown"
check "... what stays on the terminal is what a file gets" same "$T/err" "$T/shown"

# SIGUSR1: the snapshot on stdout, the same terminal: never mixed with the line
# (sent once the harvest blocks SIGUSR1 for its signalfd: it is then caught)
"$SECLOG" harvest -f "$T/big.in" >"$T/list"
check "a followed harvest told SIGUSR1 on a terminal" onatty "$T/tty" \
	"SECLOG_PROGRESS_DELAY=0 '$SECLOG' harvest --follow --duration 3 -f '$T/big.in' & p=\$!;
	 i=0; while [ \$i -lt 100 ]; do
		b=\$(sed -n 's/^SigBlk:[[:space:]]*//p' /proc/\$p/status 2>/dev/null);
		[ \$(( 0x\${b:-0} & 0x200 )) = 0 ] || break; sleep 0.02; i=\$((i + 1)); done;
	 sleep 0.3; kill -USR1 \$p; wait \$p"
check "... drew its line" has "seclog: following: " "$T/tty"
shown "$T/tty" >"$T/shown"
cat "$T/list" "$T/list" >"$T/list2"
check "... and the snapshot and the result are whole lines, the line erased" \
	same "$T/list2" "$T/shown"

# --- colour
cat >"$T/old.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
 "syscalls": [{ "names": ["read", "ptrace"], "action": "SCMP_ACT_ALLOW" }]}
JSON
cat >"$T/new.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
 "syscalls": [{ "names": ["read", "write"], "action": "SCMP_ACT_ALLOW" }]}
JSON
# plain: what a pipe gets
check "diff into a pipe" status 1 "$SECLOG" diff "$T/old.json" "$T/new.json"
cp "$T/out" "$T/diff.plain"
check "a pipe gets no colour" hasnt "$esc" "$T/diff.plain"
check "diff on a terminal" status 1 onatty "$T/tty" "'$SECLOG' diff '$T/old.json' '$T/new.json'"
check "added in green" has "${esc}\[32m+ write${esc}\[m" "$T/tty"
check "removed in red" has "${esc}\[31m- ptrace${esc}\[m" "$T/tty"
check "the arches line bold" has "${esc}\[1mon x86_64:${esc}\[m" "$T/tty"
check "NO_COLOR on a terminal" status 1 onatty "$T/tty" \
	"NO_COLOR=1 '$SECLOG' diff '$T/old.json' '$T/new.json'"
shown "$T/tty" >"$T/shown"
check "NO_COLOR: the bytes a pipe gets" same "$T/diff.plain" "$T/shown"
check "NO_COLOR empty is not set (no-color.org)" status 1 onatty "$T/tty" \
	"NO_COLOR= '$SECLOG' diff '$T/old.json' '$T/new.json'"
check "... colour" has "${esc}\[32m" "$T/tty"
check "TERM=dumb on a terminal" status 1 onatty "$T/tty" \
	"TERM=dumb '$SECLOG' diff '$T/old.json' '$T/new.json'"
check "TERM=dumb: no colour" hasnt "$esc" "$T/tty"
check "--color=never on a terminal" status 1 onatty "$T/tty" \
	"'$SECLOG' --color=never diff '$T/old.json' '$T/new.json'"
check "--color=never: no colour" hasnt "$esc" "$T/tty"
check "--color=always into a pipe" status 1 "$SECLOG" --color=always diff "$T/old.json" "$T/new.json"
check "--color=always: colour" has "${esc}\[32m+ write" "$T/out"
check "--color=always overrides NO_COLOR" \
	sh -c "NO_COLOR=1 '$SECLOG' --color=always diff '$T/old.json' '$T/new.json' | grep -q '$esc'"
check "--color=auto into a pipe" status 1 "$SECLOG" --color=auto diff "$T/old.json" "$T/new.json"
check "--color=auto: the plain bytes" same "$T/diff.plain" "$T/out"
check "--color=WHEN checked" status 2 "$SECLOG" --color=sometimes diff "$T/old.json" "$T/new.json"
check "... and named" has "seclog: --color: 'sometimes' is not auto, always or never" "$T/err"

check "an error on a terminal" status 1 onatty "$T/tty" "'$SECLOG' harvest -f '$T/none.in'"
check "seclog: in bold red" has "${esc}\[1;31mseclog:${esc}\[m $T/none.in: No such file" "$T/tty"
check "an error into a file" status 1 "$SECLOG" harvest -f "$T/none.in"
check "... plain" has "^seclog: $T/none.in: No such file" "$T/err"

check "lint on a terminal" onatty "$T/tty" "'$SECLOG' lint '$T/new.json'"
check "lint's levels coloured" has "${esc}\[1;36mnote:${esc}\[m" "$T/tty"
check "lint into a pipe" status 0 "$SECLOG" lint "$T/new.json"
check "... plain" has "^$T/new.json: note: " "$T/out"

cp "$T/old.json" "$T/merged.json"
check "--dry-run on a terminal" onatty "$T/tty" \
	"'$SECLOG' harvest -f '$FIXTURES/auditd-raw.txt' --merge '$T/merged.json' --dry-run"
check "the diff's header bold" has "${esc}\[1m--- $T/merged.json${esc}\[m" "$T/tty"
check "its hunk range cyan" has "${esc}\[36m@@ " "$T/tty"
check "its added line green" has "${esc}\[32m+" "$T/tty"
check "its removed line red" has "${esc}\[31m-" "$T/tty"
check "--dry-run into a pipe" status 0 "$SECLOG" harvest -f "$FIXTURES/auditd-raw.txt" \
	--merge "$T/merged.json" --dry-run
check "... a plain unified diff" has "^@@ -1,[0-9]* +1,[0-9]* @@" "$T/out"
check "... no colour" hasnt "$esc" "$T/out"

check "a pass for status" status 0 "$SECLOG" harvest -q -f "$FIXTURES/auditd-raw.txt" \
	--merge "$T/merged.json"
check "status on a terminal" status 1 onatty "$T/tty" "'$SECLOG' status '$T/merged.json'"
check "not converged in bold yellow" has "${esc}\[1;33mnot converged${esc}\[m: " "$T/tty"
check "status into a pipe" status 1 "$SECLOG" status "$T/merged.json"
check "... plain" has "^not converged: " "$T/out"
finish
