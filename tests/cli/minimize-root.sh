#!/bin/sh
# minimize-root.sh - seclog minimize as root, with the observed run: /bin/ls
# from a profile allowing every name libseccomp knows for x86_64.  The
# result runs ls with the same output (every dropped name was not needed),
# removing any one kept name breaks it (every kept name is needed), and
# the runs are far fewer than the names.
. "$TESTLIB"

[ "$(id -u)" = 0 ] || skip "not root: the observed run needs the kernel's records"
need_kernel_records
[ "$(cat /proc/self/loginuid)" = 4294967295 ] || [ -w /proc/self/loginuid ] ||
	skip "no /proc/self/loginuid to write"
command -v scmp_sys_resolver >/dev/null || skip "no scmp_sys_resolver (package seccomp) to list the names"
[ "$(uname -m)" = x86_64 ] || skip "the profile is for x86_64"
serialize

i=0
while [ $i -lt 460 ]; do
	scmp_sys_resolver -a x86_64 $i
	i=$((i + 1))
done 2>/dev/null | grep -v -e '^UNKNOWN' -e '^-' | sort -u >"$T/names"
total=$(wc -l <"$T/names")
jq -R . "$T/names" | jq -s '{defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 1,
	architectures: ["SCMP_ARCH_X86_64"], syscalls: [{names: ., action: "SCMP_ACT_ALLOW"}]}' \
	>"$T/all.json"
cp "$T/all.json" "$T/min.json"

# in place: --profile defaults to -o
check "minimize ls -l /usr, in place" status 0 "$SECLOG" minimize --same-output --json \
	-o "$T/min.json" -- /bin/ls -l /usr
cp "$T/out" "$T/report.json"
kept=$(jq '.names_kept' "$T/report.json")
trials=$(jq '.trials' "$T/report.json")
runs=$(jq '.runs' "$T/report.json")
echo "# $total names, $kept kept, $trials trials, $runs runs, $(jq .seconds "$T/report.json") s (observed run)"
check "... the observed run told which names ls calls" jqok '.observed == true' "$T/report.json"
check "... far fewer runs than names" test "$runs" -lt $((total / 4))
check "... the previous version kept as .bak" same "$T/all.json" "$T/min.json.bak"
check "... the profile holds the kept names" sh -c \
	"jq -S '[.syscalls[].names[]] | sort' '$T/min.json' >'$T/a' &&
	 jq -S '.kept | sort' '$T/report.json' >'$T/b' && cmp -s '$T/a' '$T/b'"

/bin/ls -l /usr >"$T/want" 2>"$T/want.err"
check "the result runs ls with the same output (the names dropped were not needed)" sh -c \
	"'$HELPERS/helper-enforce' '$T/min.json' -- /bin/ls -l /usr >'$T/got' 2>'$T/got.err' &&
	 cmp -s '$T/want' '$T/got' && cmp -s '$T/want.err' '$T/got.err'"
for name in $(jq -r '.kept[]' "$T/report.json"); do
	jq --arg n "$name" '.syscalls[0].names -= [$n]' "$T/min.json" >"$T/less.json"
	check "without $name ls fails or prints otherwise" sh -c \
		"! '$HELPERS/helper-enforce' '$T/less.json' -- /bin/ls -l /usr >'$T/got' 2>'$T/got.err' ||
		 ! cmp -s '$T/want' '$T/got' || ! cmp -s '$T/want.err' '$T/got.err'"
done

# --runs: every trial runs ls 3 times
check "--runs 3 --jobs 2" status 0 "$SECLOG" minimize --same-output --json --runs 3 --jobs 2 \
	--profile "$T/all.json" -- /bin/ls -l /usr
check "... three runs per passing trial" jqok '.runs >= 2 * .trials and .names_kept > 3' "$T/out"
# Docker's and podman's real default profiles (Debian's packages, fetched
# once by lib.sh's real_profiles; this part is left out when they cannot
# be, the rest of the test still counts): errno defaults, deny rules,
# includes/excludes by caps and arch, args
if real=$(real_profiles 2>/dev/null) && [ -n "$real" ]; then
	for prof in $real; do
		base=$(basename "$prof" .json)
		/bin/ls -l /usr >"$T/want.out" 2>"$T/want.err"
		check "$base: minimize ls" status 0 "$SECLOG" minimize --same-output --json \
			--profile "$prof" -o "$T/$base-min.json" -- /bin/ls -l /usr
		cp "$T/out" "$T/$base-report.json"
		echo "# $base: $(jq -r '"\(.names) names, \(.names_kept) kept, \(.trials) trials, \(.runs) runs, \(.seconds) s"' "$T/$base-report.json")"
		check "... far fewer runs than names" jqok '.runs < .names / 4' "$T/$base-report.json"
		check "... ls runs under it, same stdout and stderr" sh -c \
			"'$HELPERS/helper-enforce' '$T/$base-min.json' -- /bin/ls -l /usr >'$T/got.out' 2>'$T/got.err' &&
			 cmp -s '$T/want.out' '$T/got.out' && cmp -s '$T/want.err' '$T/got.err'"
		check "... only names and emptied rules removed (deny rules, args, includes stay)" sh -c \
			"jq -S '[.syscalls[] | select(.action != \"SCMP_ACT_ALLOW\")]' '$prof' >'$T/a' &&
			 jq -S '[.syscalls[] | select(.action != \"SCMP_ACT_ALLOW\")]' '$T/$base-min.json' >'$T/b' &&
			 cmp -s '$T/a' '$T/b' &&
			 jq -S 'del(.syscalls)' '$prof' >'$T/a' && jq -S 'del(.syscalls)' '$T/$base-min.json' >'$T/b' &&
			 cmp -s '$T/a' '$T/b'"
	done
else
	echo "# Docker's and podman's profiles: not available (apt-get download failed)"
fi
finish
