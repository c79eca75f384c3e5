#!/bin/sh
# completion.sh - the bash completion offers every command and every flag
# each command's --help shows, and the right words for their arguments:
# source kinds, init templates, files, and the command after -- (run,
# minimize); with bash-completion's helpers loaded and without them
. "$TESTLIB"

command -v bash >/dev/null 2>&1 || skip "no bash"
COMP=${SECLOG%/*}/scripts/completion/seclog
check "the completion was built" test -s "$COMP"
[ -s "$COMP" ] || finish
check "it is valid bash" bash -n "$COMP"

# the built seclog is the one the completion runs (init --list)
PATH=${SECLOG%/*}:$PATH
export PATH COMP
cat >"$T/drv.bash" <<'DRV'
[ "$1" = helpers ] && . /usr/share/bash-completion/bash_completion
shift
. "$COMP"
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
_seclog seclog "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
[ ${#COMPREPLY[@]} -gt 0 ] && printf '%s\n' "${COMPREPLY[@]}" | sort -u
DRV
# comp WORDS...: the completions of the last word, one a line, in $T/c
comp() { bash "$T/drv.bash" "$mode" "$@" >"$T/c"; }
# words FILE: FILE's words sorted, one a line
words() { tr ' ' '\n' <"$1" | sed '/^$/d' | sort -u; }

mkdir -p "$T/dir" "$T/bin"
: >"$T/dir/web.json"
printf '#!/bin/sh\n' >"$T/bin/zzseclogcmd"
chmod +x "$T/bin/zzseclogcmd"
cmds=$("$SECLOG" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
check "seclog --help lists commands" test -n "$cmds"
echo "$cmds" | words /dev/stdin >"$T/cmds"

modes=plain
[ -f /usr/share/bash-completion/bash_completion ] && modes="$modes helpers"
for mode in $modes; do
	comp seclog ''
	check "$mode: seclog <TAB> offers the commands" same "$T/cmds" "$T/c"
	for cmd in $cmds; do
		"$SECLOG" "$cmd" --help >"$T/help"
		# the flags of the usage line and of the option lines (not those
		# the text mentions: "tail -F", "every harvest --merge")
		{
			sed -n 1p "$T/help"
			sed -nE 's/^ +((-[a-zA-Z0-9], )?--?[a-zA-Z][a-zA-Z0-9-]*).*/\1/p' "$T/help"
		} | grep -oE -- '(^|[ ,[])--?[a-zA-Z][a-zA-Z0-9-]*' | tr -d ' ,[' | sort -u >"$T/flags"
		check "$mode: $cmd --help shows flags" test -s "$T/flags"
		comp seclog "$cmd" -
		check "$mode: seclog $cmd -<TAB> offers every flag --help shows" \
			sh -c "! comm -23 '$T/flags' '$T/c' | grep ."
		check "$mode: seclog $cmd -<TAB> offers only flags --help shows" \
			sh -c "! comm -13 '$T/flags' '$T/c' | grep ."
	done

	# --source: the kinds the help lists
	for cmd in harvest run; do
		"$SECLOG" "$cmd" --help | grep -- '--source' |
			grep -oE '[a-z]+(, [a-z]+)+ or [a-z]+' | tr -d , | sed 's/ or / /' >"$T/kinds"
		words "$T/kinds" >"$T/want"
		comp seclog "$cmd" --source ''
		check "$mode: $cmd --source <TAB>: $(echo $(cat "$T/c"))" same "$T/want" "$T/c"
		comp seclog "$cmd" --source=jo
		check "$mode: $cmd --source=jo<TAB> is journal" has '^journal$' "$T/c"
	done
	"$SECLOG" init --list | awk '{ print $1 }' | sort -u >"$T/want"
	comp seclog init --template ''
	check "$mode: init --template <TAB> offers init --list's templates" same "$T/want" "$T/c"
	comp seclog init -t ''
	check "$mode: init -t <TAB> too" same "$T/want" "$T/c"
	comp seclog enforce --default-action SCMP_ACT_KILL_P
	check "$mode: enforce --default-action SCMP_ACT_KILL_P<TAB>" has '^SCMP_ACT_KILL_PROCESS$' "$T/c"
	comp seclog limits ''
	check "$mode: limits <TAB> offers its subcommands" \
		sh -c "test \"\$(echo \$(cat '$T/c'))\" = 'lift restore status'"
	comp seclog harvest --since this-w
	check "$mode: harvest --since this-w<TAB>" has '^this-week$' "$T/c"

	# files for the flags that take one, and for the profile operands
	for args in "harvest -f" "harvest --file" "harvest --merge" "harvest -o" "harvest --strace" \
		"harvest --state" "run --profile" "run --merge" "minimize --profile" "minimize --test" \
		"init -o" "lint" "status" "complain" "enforce" "diff" "diff $T/dir/web.json"; do
		comp seclog $args "$T/dir/we"
		check "$mode: $args <TAB> completes a file" has "^$T/dir/web.json\$" "$T/c"
	done
	comp seclog doctor "$T/dir/we"
	check "$mode: doctor takes no file" test ! -s "$T/c"

	# after --: the command to run
	for args in "run --merge $T/dir/web.json --" "minimize --"; do
		PATH=$T/bin:$PATH comp seclog $args zzseclog
		check "$mode: $args <TAB> completes a command" has '^zzseclogcmd$' "$T/c"
	done
	comp seclog run -- ls "$T/dir/we"
	check "$mode: run -- ls <TAB> completes the command's own arguments" has "^$T/dir/web.json\$" "$T/c"
done
finish
