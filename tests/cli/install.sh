#!/bin/sh
# install.sh - make install DESTDIR=... installs the binary, every man page,
# the bash completion and every example, and make uninstall removes them.
# With SECLOG_TEST_DEB=1 (and dpkg-buildpackage, debhelper): the Debian
# package builds from a copy of the tree and dpkg -c lists the same files
# (about a minute; opt-in, as it builds seclog once more).
. "$TESTLIB"

builddir=${SECLOG%/*}
srcdir=${MANDIR%/man}
make=${MAKE:-make}
root=$T/root

check "make install DESTDIR" sh -c "$make -s -C '$builddir' install DESTDIR='$root' >'$T/install.out' 2>&1" ||
	sed 's/^/  /' "$T/install.out" | tail -20 >&2
(cd "$root" && find . ! -type d | sed 's|^\./|/|' | sort) >"$T/files"
sed 's/^/  installed: /' "$T/files"

# installed FILE-PATTERN: the one installed path that matches (grep -E)
installed() { grep -E -- "$1" "$T/files" | head -1; }

bin=$(installed '/bin/seclog$')
check "the binary is installed" test -n "$bin"
check "the installed binary runs" sh -c "'$root$bin' --version >/dev/null"
for page in "$MANDIR"/*.[1-9]; do
	name=${page##*/}
	sec=${name##*.}
	got=$(installed "/man/man$sec/$name\$")
	check "man page $name installed in man$sec" test -n "$got"
	[ -n "$got" ] && check "$name installed as in the tree" same "$page" "$root$got"
done
comp=$(installed '/bash-completion/completions/seclog$')
check "bash completion installed as completions/seclog" test -n "$comp"
[ -n "$comp" ] && check "it is the built completion" same "$builddir/scripts/completion/seclog" "$root$comp"
zcomp=$(installed '/zsh/.*/_seclog$')
check "zsh completion installed as _seclog" test -n "$zcomp"
[ -n "$zcomp" ] && check "it is the built one" same "$builddir/scripts/completion/_seclog" "$root$zcomp"
for ex in "$srcdir"/examples/*; do
	name=${ex##*/}
	got=$(installed "/doc/seclog/examples/$name\$")
	check "example $name installed in doc/seclog/examples" test -n "$got"
done
unit=$(installed '/examples/seclog-harvest@\.service$')
check "the unit is among them" test -n "$unit"
if [ -n "$unit" ]; then
	check "the unit runs the installed seclog ($bin)" \
		sh -c "grep -q '^ExecStart=$bin harvest ' '$root$unit' && grep -q 'exec $bin init ' '$root$unit'"
	check "the unit runs no other seclog" sh -c "! grep -v '$bin' '$root$unit' | grep -q '^Exec.*/seclog'"
	if command -v systemd-analyze >/dev/null 2>&1; then
		# as installed, with the binary where it lies in DESTDIR
		mkdir -p "$T/unit"
		sed "s|$bin|$root$bin|g" "$root$unit" >"$T/unit/seclog-harvest@.service"
		check "systemd-analyze verify: no error or warning" sh -c "cd '$T/unit' &&
			systemd-analyze verify --man=no ./seclog-harvest@nginx.service >'$T/verify' 2>&1 &&
			! grep . '$T/verify'" || sed 's/^/  /' "$T/verify" >&2
	else
		echo "no systemd-analyze: the unit is not verified"
	fi
fi

check "make uninstall DESTDIR" sh -c "$make -s -C '$builddir' uninstall DESTDIR='$root' >'$T/uninstall.out' 2>&1"
check "make uninstall leaves no file" sh -c "! find '$root' ! -type d | grep ."

[ "${SECLOG_TEST_DEB:-}" = 1 ] || { echo "SECLOG_TEST_DEB is not 1: the .deb is not built"; finish; exit; }
command -v dpkg-buildpackage >/dev/null 2>&1 && command -v dh >/dev/null 2>&1 ||
	skip "no dpkg-buildpackage or debhelper (apt-get install dpkg-dev debhelper)"
dpkg-checkbuilddeps -d 'build-essential, libseccomp-dev, libaudit-dev, libjansson-dev, libsystemd-dev, pkg-config, autoconf, automake' \
	"$srcdir/debian/control" 2>"$T/deps" || skip "build dependencies missing: $(cat "$T/deps")"
[ -f "$srcdir/config.status" ] && skip "$srcdir is configured in tree: a copy would not configure out of tree"

# a copy, so that the .deb and its build land in $T, not beside the tree
mkdir -p "$T/pkg/seclog"
tar -C "$srcdir" --exclude=./.git --exclude='./build*' --exclude=./autom4te.cache -cf - . |
	tar -C "$T/pkg/seclog" -xf -
start=$(date +%s)
check "dpkg-buildpackage -us -uc -b" sh -c "cd '$T/pkg/seclog' &&
	DEB_BUILD_OPTIONS='nocheck parallel=2' dpkg-buildpackage -us -uc -b >'$T/dpkg.out' 2>&1"
echo "  package build: $(($(date +%s) - start)) s"
deb=$(ls "$T"/pkg/seclog_*.deb 2>/dev/null | head -1)
check "a .deb was built" test -n "$deb"
[ -n "$deb" ] || { tail -30 "$T/dpkg.out" | sed 's/^/  /' >&2; finish; exit; }
dpkg -c "$deb" | awk '{ print $NF }' | sed 's|^\./|/|' >"$T/debfiles"
sed 's/^/  in the .deb: /' "$T/debfiles"
check "the .deb has /usr/bin/seclog" grep -qx /usr/bin/seclog "$T/debfiles"
for page in "$MANDIR"/*.[1-9]; do
	name=${page##*/}
	check "the .deb has $name" grep -qx "/usr/share/man/man${name##*.}/$name.gz" "$T/debfiles"
done
check "the .deb has the completion" grep -qx /usr/share/bash-completion/completions/seclog "$T/debfiles"
check "the .deb has the zsh completion" grep -qx /usr/share/zsh/vendor-completions/_seclog "$T/debfiles"
for ex in "$srcdir"/examples/*; do
	check "the .deb has example ${ex##*/}" grep -qE "^/usr/share/doc/seclog/examples/${ex##*/}(\\.gz)?\$" "$T/debfiles"
done
check "the .deb's binary is stripped and hardened (PIE)" sh -c "dpkg-deb -x '$deb' '$T/x' &&
	file -L '$T/x/usr/bin/seclog' | grep -q 'pie executable.*stripped' && ! file -L '$T/x/usr/bin/seclog' | grep -q 'not stripped'"
check "the .deb states its licence (MIT: Expat)" sh -c "grep -qx /usr/share/doc/seclog/copyright '$T/debfiles' &&
	grep -q '^License: Expat' '$T/x/usr/share/doc/seclog/copyright'"

# installed for real with dpkg, used, and removed: only where no seclog
# package is installed already (the machine's own stays as it is)
if [ "$(id -u)" != 0 ]; then
	echo "not root: the .deb is not installed"
elif dpkg-query -W -f '${Status}' seclog 2>/dev/null | grep -q installed; then
	echo "a seclog package is installed here already: the .deb is not installed over it"
else
	check "dpkg -i the .deb" sh -c "dpkg -i '$deb' >'$T/dpkg-i.out' 2>&1" || sed 's/^/  /' "$T/dpkg-i.out" >&2
	check "  dpkg knows it installed" sh -c "dpkg-query -W -f '\${Status}' seclog | grep -q 'install ok installed'"
	check "  /usr/bin/seclog runs" status 0 /usr/bin/seclog --version
	check "  and works: doctor's help" status 0 /usr/bin/seclog doctor --help
	check "  man finds seclog-run(1) there" sh -c "[ ! -x /usr/bin/man ] || man -w seclog-run | grep -q '^/usr/share/man/man1/seclog-run.1'"
	check "  bash completes seclog from the package" \
		bash -c ". /usr/share/bash-completion/completions/seclog && complete -p seclog >/dev/null"
	check "dpkg --purge" sh -c "dpkg --purge seclog >'$T/dpkg-r.out' 2>&1"
	check "  nothing of it left" sh -c "[ ! -e /usr/bin/seclog ] && [ ! -e /usr/share/doc/seclog ] &&
		[ ! -e /usr/share/bash-completion/completions/seclog ]"
fi
finish
