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

# zsh: the same tables, through zsh's own completion system (compinit), typed
# into an interactive zsh on a pty; the command line after each TAB
ZCOMP=${SECLOG%/*}/scripts/completion/_seclog
check "the zsh completion was built" test -s "$ZCOMP"
command -v zsh >/dev/null 2>&1 || { echo "no zsh: its completion is not tried"; finish; exit; }
check "zsh: it parses" zsh -n "$ZCOMP"
tables='^_seclog_([a-z]+\[|commands=)'
check "zsh: the same tables as bash" sh -c "grep -E '$tables' '$COMP' | sort >'$T/tb' &&
	grep -E '$tables' '$ZCOMP' | sort >'$T/tz' && test -s '$T/tb' && cmp -s '$T/tb' '$T/tz'"
cat >"$T/drv.zsh" <<'DRV'
# drv.zsh FPATHDIR OUT LINE...: type each LINE and a TAB into an interactive
# zsh; ^O then appends the command line to OUT
zmodload zsh/zpty
dir=$1 out=$2
shift 2
: >$out
zpty z zsh -f -i
zpty -w z "PS1='> '; fpath=($dir \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "dump() { print -r -- \"\$BUFFER|\" >>$out; BUFFER=; }; zle -N dump; bindkey '^O' dump; zstyle ':completion:*' menu no; unsetopt beep"
for line; do
	zpty -w -n z "$line"$'\t\x0f'
done
for i in {1..150}; do
	while zpty -r -t z junk 2>/dev/null; do :; done
	(( $(wc -l <$out) >= $# )) && break
	sleep 0.1
done
zpty -d z
DRV
# zcase LINE WANT: typing LINE and TAB gives WANT
: >"$T/zlines"
: >"$T/zwant"
zcase() { echo "$1" >>"$T/zlines"; echo "$2|" >>"$T/zwant"; }
zcase "seclog harv" "seclog harvest "
zcase "seclog harvest --no-d" "seclog harvest --no-dedupe "
zcase "seclog harvest --source j" "seclog harvest --source journal "
zcase "seclog run --source=k" "seclog run --source=kmsg "
zcase "seclog init -t g" "seclog init -t glibc-base "
zcase "seclog init --template e" "seclog init --template empty "
zcase "seclog harvest -f $T/dir/we" "seclog harvest -f $T/dir/web.json "
zcase "seclog run --merge $T/dir/web.json -- zzseclog" "seclog run --merge $T/dir/web.json -- zzseclogcmd "
zcase "seclog minimize -- ls $T/dir/we" "seclog minimize -- ls $T/dir/web.json "
zcase "seclog limits li" "seclog limits lift "
zcase "seclog enforce --default-action SCMP_ACT_KILL_P" "seclog enforce --default-action SCMP_ACT_KILL_PROCESS "
zcase "seclog lint $T/dir/we" "seclog lint $T/dir/web.json "
zcase "seclog harvest --since this-w" "seclog harvest --since this-week "
zcase "seclog doctor $T/dir/we" "seclog doctor $T/dir/we"
n=$(wc -l <"$T/zlines")
i=1
set --
while [ "$i" -le "$n" ]; do
	set -- "$@" "$(sed -n "${i}p" "$T/zlines")"
	i=$((i + 1))
done
PATH=$T/bin:$PATH timeout 60 zsh -f "$T/drv.zsh" "${ZCOMP%/*}" "$T/zout" "$@"
check "zsh: each line completes as it should" same "$T/zwant" "$T/zout"
finish
