#!/bin/sh
# merge.sh - merging into a profile from the command line: in place, -o,
# --dry-run, --check, backups, refusals, failed writes
. "$TESTLIB"

log="$T/audit.txt"
cat >"$log" <<'REC'
type=SECCOMP msg=audit(1795422761.057:7): auid=0 uid=0 gid=0 ses=1 pid=10 comm="app" exe="/usr/bin/app" sig=0 arch=c000003e syscall=0 compat=0 ip=0x1 code=0x7ffc0000
type=SECCOMP msg=audit(1795422761.058:8): auid=0 uid=0 gid=0 ses=1 pid=10 comm="app" exe="/usr/bin/app" sig=0 arch=c000003e syscall=257 compat=0 ip=0x1 code=0x7ffc0000
type=SECCOMP msg=audit(1795422761.059:9): auid=0 uid=0 gid=0 ses=1 pid=10 comm="app" exe="/usr/bin/app" sig=0 arch=c000003e syscall=101 compat=0 ip=0x1 code=0x7ffc0000
type=SECCOMP msg=audit(1795422761.060:10): auid=0 uid=0 gid=0 ses=1 pid=10 comm="app" exe="/usr/bin/app" sig=0 arch=40000003 syscall=45 compat=1 ip=0x1 code=0x7ffc0000
REC
cat >"$T/orig.json" <<'JSON'
{
	"defaultAction": "SCMP_ACT_ERRNO",
	"comment": "web front end; owned by team web",
	"architectures": ["SCMP_ARCH_X86_64"],
	"x-unknown": {"keep": [1, 2, 3]},
	"syscalls": [
		{
			"names": ["write", "read"],
			"action": "SCMP_ACT_ALLOW"
		},
		{
			"names": ["ptrace"],
			"action": "SCMP_ACT_ERRNO",
			"errnoRet": 1,
			"comment": "never"
		}
	]
}
JSON
chmod 640 "$T/orig.json"
p="$T/p.json"
cp -p "$T/orig.json" "$p"

# --check: exit 1 when something would be added, nothing written
check "--check with new names exits 1" status 1 "$SECLOG" harvest -f "$log" --merge "$p" --check
check "--check wrote nothing" same "$T/orig.json" "$p"
check "--check made no backup" test ! -e "$p.bak"

# --dry-run: a unified diff on stdout, nothing written
check "--dry-run" status 0 "$SECLOG" harvest -f "$log" --merge "$p" --dry-run
check "--dry-run diff header" has "^--- $p" "$T/out"
check "--dry-run adds openat" has '^+.*"openat"' "$T/out"
check "--dry-run wrote nothing" same "$T/orig.json" "$p"
cp "$T/out" "$T/dry.diff"

# in place; ptrace is denied: reported, not allowed; x86 records: reported
check "merge in place" status 0 "$SECLOG" harvest -f "$log" --merge "$p"
check "denied ptrace reported" has 'ptrace is denied by syscalls\[1\] (SCMP_ACT_ERRNO)' "$T/err"
check "missing arch reported" has 'arch x86, which the profile does not list (--add-arch' "$T/err"
check "summary names the additions" has 'added 2 syscalls: brk openat' "$T/err"
check "backup is the original" same "$T/orig.json" "$p.bak"
check "mode kept" test "$(stat -c %a "$p")" = 640
check "result = original + the dry-run diff" sh -c "cp '$T/orig.json' '$T/patched' && patch -s '$T/patched' < '$T/dry.diff' && cmp -s '$T/patched' '$p'"
check "ptrace still denied" sh -c "grep -A1 '\"ptrace\"' '$p' | grep -q SCMP_ACT_ERRNO"
check "unknown key kept byte for byte" has '"x-unknown": {"keep": \[1, 2, 3\]},' "$p"
check "brk named from the x86 table (not recvfrom)" hasnt recvfrom "$p"

# a second merge of the same records: a no-op, not even a rewrite
cp -p "$p" "$T/after1.json"
sleep 1
check "second merge" status 0 "$SECLOG" harvest -f "$log" --merge "$p"
check "second merge says up to date" has 'up to date' "$T/err"
check "second merge left the file byte-identical" same "$T/after1.json" "$p"
check "second merge did not rewrite (mtime)" test ! "$p" -nt "$T/after1.json"
check "--check now exits 0" status 0 "$SECLOG" harvest -f "$log" --merge "$p" --check

# --add-arch and --allow-denied
check "--add-arch --allow-denied" status 0 "$SECLOG" harvest -q -f "$log" --merge "$p" --add-arch --allow-denied
check "x86 arch added" has '"architectures": \["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"\]' "$p"
check "ptrace allowed now" sh -c "grep -B3 -A3 '\"ptrace\"' '$p' | grep -q SCMP_ACT_ALLOW"
check "deny rule without names removed" hasnt '"never"' "$p"

# -o: PROFILE untouched, OUT written
cp -p "$T/orig.json" "$p"
rm -f "$p.bak"
check "merge -o OUT" status 0 "$SECLOG" harvest -f "$log" --merge "$p" -o "$T/out.json"
check "-o left PROFILE untouched" same "$T/orig.json" "$p"
check "-o made no PROFILE backup" test ! -e "$p.bak"
check "-o wrote OUT" has '"openat"' "$T/out.json"

# a new profile from records
check "new profile -o" status 0 "$SECLOG" harvest -f "$log" -o "$T/new.json"
check "new profile: default errno" has '"defaultAction": "SCMP_ACT_ERRNO"' "$T/new.json"
check "new profile: both arches" sh -c "grep -q SCMP_ARCH_X86_64 '$T/new.json' && grep -q '\"SCMP_ARCH_X86\"' '$T/new.json'"
check "new profile: names" sh -c "grep -q '\"brk\"' '$T/new.json' && grep -q '\"openat\"' '$T/new.json' && grep -q '\"ptrace\"' '$T/new.json'"
check "new profile merges as a no-op" status 0 "$SECLOG" harvest -f "$log" --merge "$T/new.json" --check

# refusals: not JSON, not a profile; nothing written
printf '{\n  "defaultAction": "SCMP_ACT_ERRNO",\n  "syscalls": [\n    {"names": ["read"] "action": 1}\n  ]\n}\n' >"$T/bad.json"
cp "$T/bad.json" "$T/bad.orig"
check "invalid JSON refused" status 1 "$SECLOG" harvest -f "$log" --merge "$T/bad.json"
check "invalid JSON: file:line:col" has "^seclog: $T/bad.json: 4:[0-9]*: " "$T/err"
check "invalid JSON: untouched" same "$T/bad.orig" "$T/bad.json"
echo '{"syscalls": []}' >"$T/notprof.json"
check "not a profile refused" status 1 "$SECLOG" harvest -f "$log" --merge "$T/notprof.json"
check "not a profile: says so" has 'not a seccomp profile' "$T/err"

# a write that fails half-way leaves the original
cp -p "$T/orig.json" "$p"
big="$T/big.txt"
i=0
while [ $i -lt 300 ]; do
	echo "type=SECCOMP msg=audit(1795422761.057:$((i + 100))): pid=10 arch=c000003e syscall=$i compat=0" >>"$big"
	i=$((i + 1))
done
check "write beyond RLIMIT_FSIZE fails" sh -c "trap '' XFSZ; ulimit -f 1; '$SECLOG' harvest -q -f '$big' --merge '$p'; test \$? = 1"
check "failed write: original intact" same "$T/orig.json" "$p"
check "failed write: no temp file left" test "$(ls -A "$T" | grep -c '^\.p\.json\.seclog-[0-9]')" = 0

# a symlinked profile stays a symlink
cp "$T/orig.json" "$T/target.json"
ln -s target.json "$T/link.json"
check "merge through symlink" status 0 "$SECLOG" harvest -q -f "$log" --merge "$T/link.json"
check "symlink kept" test -L "$T/link.json"
check "target updated" has '"openat"' "$T/target.json"

# --json merge report
cp -p "$T/orig.json" "$p"
check "--json --check" status 1 "$SECLOG" harvest -f "$log" --merge "$p" --check --json
check "--json merge report" jqok '.merge.added == ["brk", "openat"] and .merge.denied[0].name == "ptrace" and .merge.written == false and .merge.changed == true' "$T/out"

rec() { # rec SERIAL ARCH NR: one record as auditd writes it
	echo "type=SECCOMP msg=audit(1795422762.123:$1): auid=0 uid=0 gid=0 ses=1 pid=10 comm=\"app\" exe=\"/usr/bin/app\" sig=0 arch=$2 syscall=$3 compat=0 ip=0x1 code=0x7ffc0000"
}
rec 100 c000003e 110 >"$T/getppid.txt"

# --allow-denied on a profile whose only rule is a deny
printf '{"defaultAction":"SCMP_ACT_LOG","syscalls":[{"names":["getppid"],"action":"SCMP_ACT_ERRNO"}]}\n' >"$T/deny.json"
check "--allow-denied, only rule a deny" status 0 "$SECLOG" harvest -f "$T/getppid.txt" --merge "$T/deny.json" --allow-denied
check "  getppid allowed, the deny gone" jqok '.syscalls == [{"names": ["getppid"], "action": "SCMP_ACT_ALLOW", "comment": "added by seclog"}]' "$T/deny.json"
check "  complain-mode profile: warned it enforces nothing" has 'defaultAction is SCMP_ACT_LOG: this profile enforces nothing' "$T/err"

# defaultAction ALLOW: "up to date", and a word that it enforces nothing
printf '{"defaultAction": "SCMP_ACT_ALLOW"}\n' >"$T/allow.json"
check "default ALLOW merge" status 0 "$SECLOG" harvest -f "$T/getppid.txt" --merge "$T/allow.json"
check "  warns it enforces nothing" has 'defaultAction is SCMP_ACT_ALLOW: this profile enforces nothing' "$T/err"
check "  up to date, but says so" has 'up to date, nothing to add (but it enforces nothing)' "$T/err"

# a conditional deny is superseded once the name is allowed: say so
printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_KILL", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]}]}\n' >"$T/cond.json"
check "conditional deny without --allow-denied" status 0 "$SECLOG" harvest -f "$T/getppid.txt" --merge "$T/cond.json"
check "  kept, and how to allow it" has 'getppid is denied under a condition by syscalls\[0\] (SCMP_ACT_KILL); left as it is (--allow-denied allows it)' "$T/err"
check "conditional deny with --allow-denied" status 0 "$SECLOG" harvest -f "$T/getppid.txt" --merge "$T/cond.json" --allow-denied
check "  says the deny no longer acts" has 'libseccomp lets an unconditional rule supersede one with args: that deny is left in the file but no longer acts' "$T/err"
check "  the deny is still in the file" jqok '.syscalls[0].action == "SCMP_ACT_KILL" and .syscalls[1].names == ["getppid"]' "$T/cond.json"

# archMap: the arch goes where Docker reads it on this host
cat >"$T/map.json" <<'JSON'
{
    "defaultAction": "SCMP_ACT_ERRNO",
    "archMap": [
        {
            "architecture": "SCMP_ARCH_X86_64",
            "subArchitectures": [
                "SCMP_ARCH_X32"
            ]
        },
        {
            "architecture": "SCMP_ARCH_AARCH64",
            "subArchitectures": [
                "SCMP_ARCH_ARM"
            ]
        }
    ],
    "syscalls": [
        {
            "names": [],
            "action": "SCMP_ACT_ALLOW"
        }
    ]
}
JSON
check "archMap --add-arch (and a rule with names [])" status 0 "$SECLOG" harvest -f "$log" --merge "$T/map.json" --add-arch
check "  x86 is a sub-arch of the native entry" jqok '.archMap == [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X32", "SCMP_ARCH_X86"]}, {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]}]' "$T/map.json"
check "  names [] extended" jqok '.syscalls[0].names == ["brk", "openat", "ptrace", "read"]' "$T/map.json"
check "  in the file's style" has '^                "SCMP_ARCH_X32",$' "$T/map.json"
check "  a second run: the arch is loaded now" status 0 "$SECLOG" harvest -f "$log" --merge "$T/map.json" --check

# --check on sources with no SECCOMP record: not "up to date"
echo 'type=SYSCALL msg=audit(1795422761.057:7): arch=c000003e syscall=0' >"$T/none.txt"
cp -p "$T/orig.json" "$p"
check "--check, no record at all: exit 4" status 4 "$SECLOG" harvest -f "$T/none.txt" --merge "$p" --check
check "  says why" has "seclog: $p: nothing to check: no SECCOMP record was read" "$T/err"
check "  not 'up to date'" hasnt 'up to date' "$T/err"
check "--check, records but none matched: exit 4" status 4 "$SECLOG" harvest -f "$log" --comm nosuch --merge "$p" --check
check "  says so" has 'nothing to check: 4 SECCOMP records read, none matched the filters' "$T/err"

# --merge of a file that does not exist: say how to make one
check "--merge of a missing file" status 1 "$SECLOG" harvest -f "$log" --merge "$T/nope.json"
check "  points to -o" has "seclog: $T/nope.json: no such profile (to write a new profile, use -o $T/nope.json)" "$T/err"
check "  and made no file" test ! -e "$T/nope.json" -a ! -e "$T/.nope.json.seclog-lock"

# an invalid defaultAction: the whole message, with the bad value
printf '{"defaultAction": "SCMP_ACT_DENY"}\n' >"$T/badact.json"
check "invalid defaultAction" status 1 "$SECLOG" harvest -f "$log" --merge "$T/badact.json"
check "  names the value and every action" has 'defaultAction "SCMP_ACT_DENY" is not a seccomp action; use one of .*SCMP_ACT_LOG, SCMP_ACT_NOTIFY$' "$T/err"

# CRLF profiles get CRLF lines
printf '{\r\n  "defaultAction": "SCMP_ACT_ERRNO",\r\n  "syscalls": [\r\n    {\r\n      "names": ["ptrace"],\r\n      "action": "SCMP_ACT_ERRNO"\r\n    }\r\n  ]\r\n}\r\n' >"$T/crlf.json"
check "CRLF profile" status 0 "$SECLOG" harvest -f "$log" --merge "$T/crlf.json"
check "  every line ends in CRLF" test "$(grep -c "$(printf '\r')\$" "$T/crlf.json")" = "$(wc -l <"$T/crlf.json")"
check "  and a rule was added" jqok '.syscalls[1].names == ["brk", "openat", "read"]' "$T/crlf.json"

# --dry-run: the diff applies with patch -p0, giving the real run's bytes
cp -p "$T/orig.json" "$T/d.json"
check "--dry-run, relative path" status 0 sh -c "cd '$T' && '$SECLOG' harvest -f '$log' --merge d.json --add-arch --allow-denied --dry-run >d.diff"
check "  patch -p0 applies it" sh -c "cd '$T' && cp d.json d.keep && patch -s -p0 <d.diff && mv d.json d.patched && mv d.keep d.json"
check "  the real run" status 0 sh -c "cd '$T' && '$SECLOG' harvest -q -f '$log' --merge d.json --add-arch --allow-denied"
check "  = the patched file" same "$T/d.json" "$T/d.patched"

# --dry-run -o EXISTING that is not a profile: the diff is against its bytes
printf 'not a profile\n' >"$T/junk.json"
check "--dry-run -o over a non-profile" status 0 sh -c "cd '$T' && '$SECLOG' harvest -f '$log' --merge orig.json -o junk.json --dry-run >junk.diff"
check "  removes its bytes" has '^-not a profile$' "$T/junk.diff"
check "  patch -p0 turns it into the real result" sh -c "cd '$T' && patch -s -p0 <junk.diff && '$SECLOG' harvest -q -f '$log' --merge orig.json -o real.json && cmp -s junk.json real.json"
printf 'old\n' >"$T/new-o.json"
check "--dry-run -o over a file, new profile" status 0 sh -c "cd '$T' && '$SECLOG' harvest -f '$log' -o new-o.json --dry-run >newo.diff"
check "  removes its bytes" has '^-old$' "$T/newo.diff"

# stale temporaries: those of dead runs go, a live run's stay
cp -p "$T/orig.json" "$p"
sh -c 'exit 0' &
dead=$!
wait $dead
: >"$T/.p.json.seclog-$dead-0badc0de"
: >"$T/.p.json.seclog-$$-0badc0de"
check "merge after a killed run" status 0 "$SECLOG" harvest -q -f "$log" --merge "$p"
check "  the dead run's temporary removed" test ! -e "$T/.p.json.seclog-$dead-0badc0de"
check "  a live pid's kept" test -e "$T/.p.json.seclog-$$-0badc0de"
rm -f "$T/.p.json.seclog-$$-0badc0de"
# real SIGKILLs at random moments, then one run: nothing of theirs left
i=0
while [ $i -lt 30 ]; do
	cp -p "$T/orig.json" "$p"
	"$SECLOG" harvest -q -f "$big" --merge "$p" --allow-denied >/dev/null 2>&1 &
	k=$!
	sleep "0.00$((i % 10))"
	kill -9 $k 2>/dev/null
	wait $k 2>/dev/null
	i=$((i + 1))
done
echo "  temporaries after 30 kills: $(ls -A "$T" | grep -c '^\.p\.json\.seclog-[0-9]')"
check "a run after 30 kills" status 0 "$SECLOG" harvest -q -f "$log" --merge "$p"
check "  leaves no temporary" test "$(ls -A "$T" | grep -c '^\.p\.json\.seclog-[0-9]')" = 0
check "  the profile is whole" jqok '.defaultAction == "SCMP_ACT_ERRNO"' "$p"

# two merges into one profile at once: neither loses the other's names
half() { # half FROM TO: records of syscalls FROM..TO-1
	n=$1
	while [ $n -lt $2 ]; do rec $((1000 + n)) c000003e $n; n=$((n + 1)); done
}
half 0 150 >"$T/a.txt"
half 150 300 >"$T/b.txt"
lost=0
i=0
while [ $i -lt 10 ]; do
	printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": [], "action": "SCMP_ACT_ALLOW"}]}\n' >"$T/c.json"
	"$SECLOG" harvest -q -f "$T/a.txt" --merge "$T/c.json" &
	"$SECLOG" harvest -q -f "$T/b.txt" --merge "$T/c.json"
	wait $!
	"$SECLOG" harvest -q -f "$T/a.txt" -f "$T/b.txt" --merge "$T/c.json" --check || lost=$((lost + 1))
	i=$((i + 1))
done
check "10 x two concurrent merges: no name lost" test $lost = 0
check "  the lock file is beside the profile" test -f "$T/.c.json.seclog-lock"

# real-world profiles: podman's (containers-common) where installed, and
# any named in SECLOG_REAL_PROFILES (e.g. Docker's default.json)
rec 200 c000003e 165 >"$T/rw.txt"	# mount: allowed there only with CAP_SYS_ADMIN
rec 201 c000003e 435 >>"$T/rw.txt"	# clone3: denied there without it
rec 202 c000003e 0 >>"$T/rw.txt"	# read: allowed
n=0
for prof in /usr/share/containers/seccomp.json ${SECLOG_REAL_PROFILES:-}; do
	[ -f "$prof" ] || continue
	n=$((n + 1))
	cp "$prof" "$T/rw$n.json"
	cp "$prof" "$T/rw$n.orig"
	check "$prof: --dry-run" status 0 sh -c "cd '$T' && '$SECLOG' harvest -f rw.txt --merge rw$n.json --dry-run >rw$n.diff"
	check "  the diff applies" sh -c "cd '$T' && cp rw$n.json rw$n.p && patch -s rw$n.p <rw$n.diff"
	check "  merge" status 0 "$SECLOG" harvest -f "$T/rw.txt" --merge "$T/rw$n.json"
	check "  = the patched file" same "$T/rw$n.p" "$T/rw$n.json"
	check "  at most one line changed (a comma), the rest added" test "$(diff "$T/rw$n.orig" "$T/rw$n.json" | grep -c '^<')" -le 1
	check "  every name still there" sh -c "jq -S '[.syscalls[] | .names[]?]' '$T/rw$n.orig' >'$T/rwa' && jq -S '[.syscalls[] | .names[]?]' '$T/rw$n.json' >'$T/rwb' && jq -n --slurpfile a '$T/rwa' --slurpfile b '$T/rwb' -e '\$a[0] - \$b[0] == []' >/dev/null"
	check "  and the rest as it was" jqok --slurpfile o "$T/rw$n.orig" '(. | del(.syscalls)) == ($o[0] | del(.syscalls)) and (.syscalls | length) == ($o[0].syscalls | length)' "$T/rw$n.json"
	check "  a second merge is a no-op" status 0 "$SECLOG" harvest -f "$T/rw.txt" --merge "$T/rw$n.json" --check
done
[ $n = 0 ] && echo "SKIP: real-world profiles (no /usr/share/containers/seccomp.json, SECLOG_REAL_PROFILES unset)"

# root: another user's view, planted links, a full disk
if [ "$(id -u)" = 0 ]; then
	# a user who may not write the directory: one error, no success line
	mkdir "$T/ro"
	cp "$T/orig.json" "$T/ro/p.json"
	chmod 755 "$T/ro"
	chmod 666 "$T/ro/p.json"
	chmod 755 "$T"
	check "unwritable directory" status 1 setpriv --reuid=65534 --regid=65534 --clear-groups "$SECLOG" harvest -f "$log" --merge "$T/ro/p.json"
	check "  says why" has "Permission denied" "$T/err"
	check "  no success line after it" hasnt 'added' "$T/err"
	check "  file unchanged" same "$T/orig.json" "$T/ro/p.json"

	# a p.json.bak symlink planted by another user is not written through
	cp -p "$T/orig.json" "$p"
	echo precious >"$T/victim"
	rm -f "$p.bak"
	ln -s victim "$p.bak"
	check "merge with a planted .bak link" status 0 "$SECLOG" harvest -q -f "$log" --merge "$p"
	check "  the link's target untouched" has '^precious$' "$T/victim"
	check "  .bak is the old profile, a file" sh -c "test ! -L '$p.bak' && cmp -s '$T/orig.json' '$p.bak'"

	# a profile link another user owns is not written through as root
	echo precious >"$T/victim2"
	ln -s victim2 "$T/theirs.json"
	chown -h nobody "$T/theirs.json"
	check "another user's link" status 1 "$SECLOG" harvest -f "$log" -o "$T/theirs.json"
	check "  says why" has 'is a symbolic link owned by uid 65534' "$T/err"
	check "  its target untouched" has '^precious$' "$T/victim2"

	# a full disk leaves the old profile intact
	mkdir "$T/full"
	if mount -t tmpfs -o size=64k seclog-full "$T/full" 2>/dev/null; then
		cp "$T/orig.json" "$T/full/p.json"
		dd if=/dev/zero of="$T/full/fill" bs=1k count=1000 2>/dev/null
		rm -f "$T/full/fill.small"
		check "full disk: merge fails" status 1 "$SECLOG" harvest -f "$big" --merge "$T/full/p.json"
		check "  says so" has 'No space left on device' "$T/err"
		check "  no success line" hasnt 'added' "$T/err"
		check "  old profile intact" same "$T/orig.json" "$T/full/p.json"
		check "  no temporary left" test "$(ls -A "$T/full" | grep -c '^\.p\.json\.seclog-[0-9]')" = 0
		umount "$T/full"
	else
		echo "SKIP: full disk (cannot mount a tmpfs here)"
	fi
else
	echo "SKIP: unwritable directory, planted links, full disk (need root)"
fi
finish
