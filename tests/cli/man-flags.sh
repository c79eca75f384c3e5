#!/bin/sh
# man-flags.sh - every flag --help shows is documented in the man page, and
# every flag the man page documents exists
. "$TESTLIB"

# every command seclog --help lists (the command table)
cmds=$("$SECLOG" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
check "seclog --help lists commands" test -n "$cmds"
for cmd in $cmds; do
	page="$MANDIR/seclog-$cmd.1"
	check "seclog-$cmd.1 exists" test -f "$page"
	"$SECLOG" "$cmd" --help >"$T/help"
	for flag in $(grep -oE -- '(^|[ ,])--?[a-zA-Z][a-zA-Z-]*' "$T/help" | tr -d ' ,' | sort -u); do
		name=${flag#-}
		name=${name#-}
		if [ "${flag#--}" != "$flag" ]; then
			check "$cmd: $flag in its man page" grep -qE "Fl -$name( |$)" "$page"
		else
			check "$cmd: $flag in its man page" grep -qE "Fl $name( |$)" "$page"
		fi
	done
	for long in $(grep -oE 'Fl -[a-z][a-z-]*' "$page" | sed 's/Fl -//' | sort -u); do
		check "$cmd: man page's --$long is in --help" grep -qE -- "--$long( |,|$)" "$T/help"
	done
done
check "seclog.1 exists" test -f "$MANDIR/seclog.1"
check "seclog.1 documents exit status" grep -q 'EXIT STATUS' "$MANDIR/seclog.1"
check "seclog-profile.5 exists" test -f "$MANDIR/seclog-profile.5"
if command -v mandoc >/dev/null 2>&1; then
	for page in "$MANDIR"/*.[15]; do
		check "mandoc lint $(basename "$page")" sh -c "mandoc -T lint -W warning '$page' >/dev/null"
	done
fi
finish
