#!/bin/sh
# strace.sh - harvest --strace: strace output as a source of names, from
# the fixtures (real strace 6.1 output, tests/fixtures/README) and from a
# real strace run now, checked against the trace itself (awk) and against
# scmp_sys_resolver, an independent namer
. "$TESTLIB"

F=$FIXTURES

# names the trace shows, by a plain awk over "PID name(" lines (strace -f -o)
trace_names() {
	awk 'match($0, /^[0-9]+ +[a-z0-9_]+\(/) { s = substr($0, RSTART, RLENGTH)
		sub(/^[0-9]+ +/, "", s); sub(/\($/, "", s); print s }' "$1" | sort -u
}
json_names() { jq -r --arg a "$1" '.syscalls[] | select(.arch == $a) | .name' "$2" | sort -u; }

# --- the fixtures ---
check "a strace -f trace: 0" status 0 "$SECLOG" harvest --strace "$F/strace-f.txt" --json
cp "$T/out" "$T/f.json"
check "... no default log read (no source)" jqok '.sources == []' "$T/f.json"
check "... each call counted once (52 syscall lines)" jqok '.matched == 52' "$T/f.json"
trace_names "$F/strace-f.txt" >"$T/want"
json_names x86_64 "$T/f.json" >"$T/got"
check "... the trace's names, every one" same "$T/want" "$T/got"
check "... said on stderr" has "strace .*strace-f.txt: 52 calls by 3 processes" "$T/err"

# --pid: a thread-group id (29741 is a thread of 29739, 29742 its fork)
check "--pid 29739: 0" status 0 "$SECLOG" harvest --strace "$F/strace-f.txt" --pid 29739 --json
check "... its thread's calls count, its child's do not" \
	jqok '.matched == 42 + 7 and .filtered == 3' "$T/out"
check "--pid 29739 --children: 0" status 0 "$SECLOG" harvest --strace "$F/strace-f.txt" \
	--pid 29739 --children --json
check "... the child too" jqok '.matched == 52 and .filtered == 0' "$T/out"
check "--pid 29741 (a thread, not a process): nothing matched" status 0 "$SECLOG" harvest \
	--strace "$F/strace-f.txt" --pid 29741
check "... says whose calls the trace holds" has "processes in the traces: 29739 (49 calls)" "$T/err"
check "--comm with only --strace: 2" status 2 "$SECLOG" harvest --strace "$F/strace-f.txt" --comm sh
check "... says why" has "does not apply to strace input" "$T/err"

# a 64-bit shell running a 32-bit program, told and not told (strace -o's -q)
for f in strace-f-32.txt strace-f-32-q.txt; do
	check "$f: 0" status 0 "$SECLOG" harvest --strace "$F/$f" --json
	cp "$T/out" "$T/$f.json"
	check "... x86 names after the 32-bit execve" jqok \
		'[.syscalls[] | select(.arch == "x86") | .count] | add == 17' "$T/$f.json"
	check "... no x86-only name taken for x86_64" jqok \
		'[.syscalls[] | select(.arch == "x86_64" and .name == "ugetrlimit")] == []' "$T/$f.json"
done
check "... told or inferred: the same result" same "$T/strace-f-32.txt.json" "$T/strace-f-32-q.txt.json"
check "... inferred says so" status 0 "$SECLOG" harvest --strace "$F/strace-f-32-q.txt"
check "... and how to have it told" has "add -e quiet=none" "$T/err"
# the numbers, from an independent namer
if command -v scmp_sys_resolver >/dev/null; then
	jq -r '.syscalls[] | "\(.arch) \(.name) \(.number)"' "$T/strace-f-32.txt.json" >"$T/nums"
	bad=0
	while read -r arch name nr; do
		[ "$(scmp_sys_resolver -a "$arch" "$name")" = "$nr" ] || { echo "  $arch $name $nr" >&2; bad=1; }
	done <"$T/nums"
	check "... every number is scmp_sys_resolver's for its arch" test "$bad" = 0
fi
# strace -c of the same program: its 32-bit section, the trace's x86 names but exit_group
check "strace -c summary with a 32 bit section: 0" status 0 "$SECLOG" harvest \
	--strace "$F/strace-c-32.txt" --json
json_names x86 "$T/out" >"$T/c32"
json_names x86 "$T/strace-f-32.txt.json" | grep -vx exit_group >"$T/t32"
check "... the trace's x86 names (a summary has no exit_group)" same "$T/t32" "$T/c32"
check "... and warns of it" has "exit_group and exit, which never return" "$T/err"

# -ff: the prefix reads every PATH.PID
check "strace -ff files by their prefix: 0" status 0 "$SECLOG" harvest --strace "$F/strace-ff.txt" --json
check "... all three (118 calls)" jqok '.matched == 118' "$T/out"

# what is not strace output
printf 'hello\nworld\n' >"$T/not-a-trace.txt"
check "a file with no strace output: 1" status 1 "$SECLOG" harvest --strace "$T/not-a-trace.txt"
check "... says so" has "no strace output in it" "$T/err"
check "a missing file: 1" status 1 "$SECLOG" harvest --strace "$T/none.txt"
check "... names it" has "none.txt: no such file" "$T/err"
{ cat "$F/strace-f.txt"; echo '29739 <... read resumed'; } >"$T/cut.txt"
check "a line seclog cannot read: still 0" status 0 "$SECLOG" harvest --strace "$T/cut.txt"
check "... but counted and shown" has "1 line looks like strace output seclog cannot read (the first, line 63" "$T/err"
check "the program's own output mixed in: 0" status 0 "$SECLOG" harvest --strace "$F/strace-stderr.txt"
check "... told apart" has "1 line is not strace output" "$T/err"

# merge, --check: as for records
check "-o a new profile: 0" status 0 "$SECLOG" harvest -q --strace "$F/strace-f-32.txt" -o "$T/p.json"
check "... both arches listed" jqok '.architectures | index("SCMP_ARCH_X86") and index("SCMP_ARCH_X86_64")' "$T/p.json"
check "--check against it: up to date, 0" status 0 "$SECLOG" harvest --strace "$F/strace-f-32.txt" \
	--merge "$T/p.json" --check
check "--check with more: 1" status 1 "$SECLOG" harvest --strace "$F/strace-f-32.txt" \
	--strace "$F/strace-killed.txt" --merge "$T/p.json" --check

# --- a real strace, now ---
command -v strace >/dev/null || { finish; exit; }
if ! strace -f -e quiet=none -o "$T/now.txt" sh -c 'cat /etc/hostname >/dev/null; ls / >/dev/null' \
	2>"$T/strace.err"; then
	echo "# strace cannot trace here: $(head -1 "$T/strace.err")"
	finish
	exit
fi
check "a trace made now: 0" status 0 "$SECLOG" harvest --strace "$T/now.txt" --json
trace_names "$T/now.txt" >"$T/want"
json_names "$(uname -m)" "$T/out" >"$T/got"
check "... its names are the trace's" same "$T/want" "$T/got"
check "... each line once" jqok --argjson n "$(grep -cE '^[0-9]+ +[a-z0-9_]+\(' "$T/now.txt")" \
	'.matched == $n' "$T/out"
# strace writing to the terminal: pids only while two processes live, lines cut
strace -f sh -c 'true & wait; cat /etc/hostname >/dev/null' 2>"$T/now-stderr.txt" >/dev/null
check "a trace strace wrote to stderr: 0" status 0 "$SECLOG" harvest --strace "$T/now-stderr.txt" --json
awk 'match($0, /^(\[pid +[0-9]+\] )?[a-z0-9_]+\(/) { s = substr($0, RSTART, RLENGTH)
	sub(/^\[pid +[0-9]+\] /, "", s); sub(/\($/, "", s); print s }' "$T/now-stderr.txt" | sort -u >"$T/want"
json_names "$(uname -m)" "$T/out" >"$T/got"
check "... its names are the trace's" same "$T/want" "$T/got"
check "... each line once" jqok --argjson n "$(grep -cE '^(\[pid +[0-9]+\] )?[a-z0-9_]+\(' \
	"$T/now-stderr.txt")" '.matched == $n' "$T/out"
check "... nothing it cannot read" hasnt "cannot read" "$T/err"
# the profile made from the trace lets the program run, enforced; one name less does not
if [ -x "${HELPERS:-}/helper-enforce" ]; then
	"$SECLOG" harvest -q --strace "$T/now.txt" -o "$T/now.json"
	check "the trace's profile runs the program, enforced" \
		"$HELPERS/helper-enforce" "$T/now.json" -- sh -c 'cat /etc/hostname >/dev/null; ls / >/dev/null'
	jq '(.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names) |= map(select(. != "openat"))' \
		"$T/now.json" >"$T/now-less.json"
	check "... and without openat, it does not" sh -c "! '$HELPERS/helper-enforce' '$T/now-less.json' -- \
		sh -c 'cat /etc/hostname >/dev/null' 2>/dev/null"
fi
# -C: the trace and its summary in one file
strace -f -C -o "$T/now-C.txt" sh -c 'cat /etc/hostname >/dev/null' 2>/dev/null
check "strace -C now: 0" status 0 "$SECLOG" harvest --strace "$T/now-C.txt" --json
json_names "$(uname -m)" "$T/out" >"$T/got"
awk '/^-+ /{n++; next} n == 1 { print $NF }' "$T/now-C.txt" | sort -u >"$T/sum"
check "... the summary's names are among the trace's" sh -c "comm -23 '$T/sum' '$T/got' | grep -q . && exit 1 || exit 0"

# a 32-bit program, if this host builds and runs one
src=$FIXTURES/../helper-hello32.c
if gcc -m32 -static -o "$T/hello32" "$src" 2>/dev/null && "$T/hello32" >/dev/null 2>&1; then
	for q in "-e quiet=none" ""; do
		# shellcheck disable=SC2086
		strace -f $q -o "$T/now32.txt" sh -c "'$T/hello32' >/dev/null; true" 2>/dev/null
		check "a 32-bit child traced now ($q): 0" status 0 "$SECLOG" harvest --strace "$T/now32.txt" --json
		json_names x86 "$T/out" >"$T/got"
		awk -v pid="$(awk '/execve\("[^"]*hello32"/ { print $1; exit }' "$T/now32.txt")" \
			'$1 == pid && /execve resumed>|execve\("[^"]*hello32".*\) = 0$/ { on = 1; next }
			 on && $1 == pid && match($0, /^[0-9]+ +[a-z0-9_]+\(/) {
				s = substr($0, RSTART, RLENGTH); sub(/^[0-9]+ +/, "", s); sub(/\($/, "", s); print s }' \
			"$T/now32.txt" | sort -u >"$T/want"
		check "... its x86 names are the 32-bit program's calls" same "$T/want" "$T/got"
		check "... hello32's own calls among them" sh -c "grep -qx getpid '$T/got' && grep -qx write '$T/got'"
		[ -x "${HELPERS:-}/helper-enforce" ] || continue
		"$SECLOG" harvest -q --strace "$T/now32.txt" -o "$T/now32.json"
		check "... its profile runs it, enforced (x86_64 and x86)" \
			"$HELPERS/helper-enforce" "$T/now32.json" -- sh -c "'$T/hello32' >/dev/null; true"
		jq '(.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names) |= map(select(. != "set_thread_area"))' \
			"$T/now32.json" >"$T/now32-less.json"
		check "... and without x86's set_thread_area, it does not" sh -c "! '$HELPERS/helper-enforce' \
			'$T/now32-less.json' -- '$T/hello32' >/dev/null 2>&1"
	done
else
	echo "# no 32-bit program here (gcc -m32 or the kernel): the fixtures cover it"
fi
finish
