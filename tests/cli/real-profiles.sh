#!/bin/sh
# real-profiles.sh - Docker's and podman's default profiles, as Debian
# ships them (real_profiles in lib.sh), are profiles seclog reads: a merge
# of no records leaves each byte as it was, and complain then enforce gives
# it back byte for byte.  Their twins carry no errno beside SCMP_ACT_LOG,
# which crun refuses (runtimes-root.sh loads them in the real runtimes).
. "$TESTLIB"

# not in $(...) nor redirected: a skip must end the test and be seen
real_profiles
real_profiles >"$T/paths"
check "real_profiles prints the two paths" test "$(cat "$T/paths")" = "$real_docker
$real_podman"
echo "# $(tr '\n' ' ' <"${SECLOG_PROFILE_CACHE:-${TMPDIR:-/tmp}/seclog-real-profiles}/VERSIONS" 2>/dev/null)"

check "Docker's: an enforcing allow list with arch maps and rules by capability" \
	jqok '.defaultAction == "SCMP_ACT_ERRNO" and (.archMap | length) > 0 and
		([.syscalls[].names[]] | length) > 300 and
		([.syscalls[] | select(.includes.caps)] | length) > 0' "$real_docker"
check "podman's: the same, with defaultErrnoRet and errno names" \
	jqok '.defaultAction == "SCMP_ACT_ERRNO" and .defaultErrnoRet == 38 and .defaultErrno == "ENOSYS" and
		([.syscalls[].names[]] | length) > 300 and
		([.syscalls[] | select(.errno)] | length) > 0' "$real_podman"

: >"$T/none.txt"
for who in docker podman; do
	eval p=\$real_$who
	cp "$p" "$T/$who.json"
	check "$who: a merge of no records" status 0 "$SECLOG" harvest -f "$T/none.txt" --merge "$T/$who.json" -o "$T/$who-m.json"
	check "  leaves it byte for byte" same "$p" "$T/$who-m.json"
	for ld in "" --log-denied; do
		check "$who: complain $ld" status 0 "$SECLOG" complain -q $ld "$T/$who.json" -o "$T/$who-c$ld.json"
		check "  a twin: LOG by default, the record in \"seclog\"" \
			jqok '.defaultAction == "SCMP_ACT_LOG" and (.seclog | type) == "object"' "$T/$who-c$ld.json"
		# crun: "errno value specified for action `SCMP_ACT_LOG`"; podman
		# turns defaultErrno/errno names into errnoRet before crun sees them
		check "  no errno beside a LOG action (crun refuses it)" \
			jqok '(.defaultAction != "SCMP_ACT_LOG" or (has("defaultErrnoRet") or has("defaultErrno") | not)) and
				all(.syscalls[]; .action != "SCMP_ACT_LOG" or (has("errnoRet") or has("errno") | not))' \
			"$T/$who-c$ld.json"
		check "  enforce gives it back" status 0 "$SECLOG" enforce -q "$T/$who-c$ld.json" -o "$T/$who-e$ld.json"
		check "  byte for byte" same "$p" "$T/$who-e$ld.json"
	done
done
finish
