# lib.sh - shared by the CLI tests: run seclog, check, count.
# Each test script sources this, calls `check` for each assertion, and ends
# with `finish`.  Exit 77 = skipped (automake's convention).

set -u
: "${SECLOG:?SECLOG must point to the seclog binary}"
: "${FIXTURES:?}"
failures=0
checks=0
T=$(mktemp -d "${TMPDIR:-/tmp}/seclog-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT

# check DESCRIPTION COMMAND...: the command must succeed
check() {
	local what=$1
	shift
	checks=$((checks + 1))
	if "$@"; then
		echo "ok - $what"
	else
		echo "FAIL - $what"
		failures=$((failures + 1))
	fi
}

# status WANT COMMAND...: run, capture stdout/stderr to $T/out $T/err, compare exit status
status() {
	local want=$1 got
	shift
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "  exit status $got, wanted $want: $*" >&2
		sed 's/^/  stderr: /' "$T/err" | head -5 >&2
		return 1
	fi
}

# same FILE_A FILE_B: byte-identical
same() { cmp -s "$1" "$2" || { diff -u "$1" "$2" | head -20 >&2; return 1; }; }

# has PATTERN FILE: grep -q with a message on failure
has() { grep -q -e "$1" "$2" || { echo "  '$1' not in $2:" >&2; head -5 "$2" >&2; return 1; }; }
hasnt() { ! grep -q -e "$1" "$2" || { echo "  '$1' unexpectedly in $2" >&2; return 1; }; }

skip() { echo "SKIP: $*"; exit 77; }

finish() {
	echo "$checks checks, $failures failed"
	[ "$failures" -eq 0 ]
}

# Tests that change kernel settings or start daemons take this lock, so
# that `make -j check` never runs two of them at once.  Kernel settings are
# the host's: the lock lives in /run/lock (shared with chroots and other
# checkouts) where we may write there, so two test runs never mix.
serialize() {
	local dir=/run/lock

	[ -d "$dir" ] && [ -w "$dir" ] || dir=${TMPDIR:-/tmp}
	exec 9>"$dir/seclog-tests.lock"
	flock 9
}

# jqok FILTER FILE: true when FILTER holds; jq -e passes an empty input,
# so an empty FILE (a run that printed nothing) fails here
jqok() {
	local f
	for f; do :; done
	[ -s "$f" ] || { echo "  $f is empty" >&2; return 1; }
	jq -e "$@" >/dev/null
}

# start_auditd DIR FORMAT: a private auditd writing DIR/audit.log in FORMAT
# (RAW, ENRICHED), rotating at 100 MB; sets auditd_pid once the kernel
# has it as its audit daemon (5 s at most), or leaves it empty if it died.
# The caller's cleanup kills it (and, as auditd 3.0.9 leaves auditing
# enabled when it stops, puts back what auditctl -s said before).
start_auditd() {
	mkdir -p "$1"
	cat >"$1/auditd.conf" <<CONF
log_file = $1/audit.log
log_format = $2
flush = INCREMENTAL_ASYNC
freq = 50
num_logs = 5
max_log_file = 100
max_log_file_action = ROTATE
space_left = 2
admin_space_left = 1
disk_full_action = SUSPEND
disk_error_action = SUSPEND
CONF
	chmod 600 "$1/auditd.conf"
	auditd -c "$1" -n >/dev/null 2>&1 &
	auditd_pid=$!
	for i in $(seq 50); do
		[ "$(auditctl -s 2>/dev/null | awk '$1 == "pid" { print $2 }')" = "$auditd_pid" ] && break
		sleep 0.1
	done
	kill -0 "$auditd_pid" 2>/dev/null || auditd_pid=
}

# need_kernel_records: skip unless this kernel writes SECCOMP records for
# SCMP_ACT_LOG and a filter can be loaded here (helper-logrun)
need_kernel_records() {
	grep -qw log /proc/sys/kernel/seccomp/actions_logged 2>/dev/null ||
		skip "kernel.seccomp.actions_logged lacks 'log': the kernel writes no records"
	"$HELPERS/helper-logrun" -- true 2>/dev/null || skip "cannot load a seccomp filter here"
}

# in_ns RUNTIME CMD...: CMD, for RUNTIME.  crun (under podman too)
# refuses a hybrid cgroup layout: where cgroup v1 sits beside a v2
# "unified" mount, it runs in a mount namespace without the latter.
in_ns() {
	local rt=$1
	shift
	if [ "$rt" = runc ] || ! mountpoint -q /sys/fs/cgroup/unified; then
		"$@"
	else
		unshare -m --propagation private sh -c 'umount /sys/fs/cgroup/unified && exec "$@"' sh "$@"
	fi
}

# in_private_mount_ns VAR: run the rest of the test script in a mount
# namespace of its own (VAR, set there, tells the second run); skip where
# none can be made (a chroot)
in_private_mount_ns() {
	unshare -m --propagation private sh -c 'mount -t tmpfs tmpfs /mnt' 2>/dev/null ||
		skip "cannot make a private mount namespace here (unshare -m, mount)"
	if [ -z "$(eval echo "\${$1:-}")" ]; then
		env "$1=1" unshare -m --propagation private "$SHELL" "$0"
		exit $?
	fi
}

# deb_file PACKAGE PATTERN NAME: the file of Debian's PACKAGE whose path
# matches PATTERN (find -path), taken with `apt-get download` + `dpkg-deb
# -x` (nothing is installed, no dependency pulled, no conflict) and kept as
# NAME in $SECLOG_PROFILE_CACHE (default $TMPDIR/seclog-real-profiles) for
# later runs; its package and version are added to VERSIONS there.  Sets
# deb_got to its path; skips the test when apt cannot download it.  Call it
# directly, not in $(...), so that the skip ends the test.
deb_file() {
	local c=${SECLOG_PROFILE_CACHE:-${TMPDIR:-/tmp}/seclog-real-profiles} d f

	deb_got=$c/$3
	[ -s "$deb_got" ] && return 0
	command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
		skip "no apt-get and dpkg-deb to fetch $1"
	mkdir -p "$c" && d=$(mktemp -d "$c/dl.XXXXXX") ||
		skip "cannot make a cache directory in $c (set SECLOG_PROFILE_CACHE)"
	if ! (cd "$d" && apt-get download "$1") >"$d/apt.out" 2>&1; then
		f=$(grep -v '^W:' "$d/apt.out" | tail -1)
		rm -rf "$d"
		skip "apt-get download $1 failed ($f); apt-get update may help"
	fi
	f=$(ls "$d"/*.deb)
	dpkg-deb -x "$f" "$d/x" || { rm -rf "$d"; skip "dpkg-deb -x $f failed"; }
	dpkg-deb -f "$f" Package Version | sed 's/^[^:]*: //' | paste -sd' ' >>"$c/VERSIONS"
	f=$(find "$d/x" -path "$2" -type f | head -1)
	# a rename: a test running at the same time sees a whole file or none
	[ -n "$f" ] && cp -p "$f" "$d/file" && mv -f "$d/file" "$deb_got"
	rm -rf "$d"
	[ -s "$deb_got" ] || skip "$1 holds no $2"
}

# real_profiles: Docker's and podman's default seccomp profiles as Debian
# ships them (golang-github-docker-docker-dev's profiles/seccomp/default.json,
# golang-github-containers-common's /usr/share/containers/seccomp.json),
# by deb_file.  Sets real_docker and real_podman and prints both paths,
# Docker's first; skips the test when apt cannot download them.  Call it
# directly, not in $(...), so that the skip ends the test.
real_profiles() {
	deb_file golang-github-docker-docker-dev '*/docker/profiles/seccomp/default.json' docker-default.json
	real_docker=$deb_got
	deb_file golang-github-containers-common '*/usr/share/containers/seccomp.json' podman-default.json
	real_podman=$deb_got
	printf '%s\n%s\n' "$real_docker" "$real_podman"
}

# real_profiles_maybe: real_profiles for a test that has other work: sets
# real_docker and real_podman, or leaves them empty when apt cannot get
# them (its skip ends only the subshell)
real_profiles_maybe() {
	local rp

	real_docker= real_podman=
	rp=$(real_profiles 2>/dev/null) || return 0
	real_docker=$(printf '%s\n' "$rp" | sed -n 1p)
	real_podman=$(printf '%s\n' "$rp" | sed -n 2p)
}
