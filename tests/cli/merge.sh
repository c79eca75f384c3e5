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
check "failed write: no temp file left" test "$(ls -A "$T" | grep -c '^\.p\.json\.')" = 0

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
finish
