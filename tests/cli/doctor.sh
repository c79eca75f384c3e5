#!/bin/sh
# doctor.sh - seclog doctor's verdicts and exit status
. "$TESTLIB"

check "doctor --help" status 0 "$SECLOG" doctor --help
check "doctor stray argument" status 2 "$SECLOG" doctor now
[ "$(id -u)" = 0 ] || skip "not root: the audit checks need CAP_AUDIT_CONTROL"
serialize

if command -v setpriv >/dev/null; then
	check "doctor as nobody: exit 1" status 1 setpriv --reuid=65534 --regid=65534 --clear-groups "$SECLOG" doctor
	check "... says what it could not check" has '^unknown  *audit status' "$T/out"
	check "... and how to fix that" has 'fix: run seclog doctor as root' "$T/out"
	check "... the ring size: what it needs" has '^unknown  *kernel.log_buf_len .*(needs root: CAP_SYSLOG' "$T/out"
	check "limits status as nobody: the same hint" sh -c "setpriv --reuid=65534 --regid=65534 --clear-groups '$SECLOG' limits status 2>&1 >/dev/null | grep -q '^seclog: kernel.log_buf_len: .*(needs root: CAP_SYSLOG'"
fi

# doctor and harvest agree on what a harvest without -f reads: the list
# doctor shows is the list harvest -v says it opens
"$SECLOG" doctor --json >"$T/doc.json"
jq -r '.checks[] | select(.check == "harvest reads") | .detail | sub("^without -f: "; "")' "$T/doc.json" >"$T/doctor-reads"
"$SECLOG" harvest -v --since now 2>&1 >/dev/null | sed -n 's/^seclog: reading //p' | paste -sd, - | sed 's/,/, /g' >"$T/harvest-reads"
check "doctor names the sources harvest reads" same "$T/harvest-reads" "$T/doctor-reads"

# A stock Debian 12 host: journald, no auditd, no rsyslog.  With the limits
# lifted, the ring is the only source harvest reads that gets the records:
# not "a harvest will see every record".
if pidof auditd rsyslogd >/dev/null; then
	echo "# auditd or rsyslogd runs here: the ring-only case is not run"
else
	jpid=
	trap '"$SECLOG" limits restore -q --state "$T/state"; [ -z "$jpid" ] || kill "$jpid"; rm -rf "$T"' EXIT INT TERM
	if ! pidof systemd-journald >/dev/null && [ -x /lib/systemd/systemd-journald ]; then
		mkdir -p /run/systemd/journal
		/lib/systemd/systemd-journald >/dev/null 2>&1 &
		jpid=$!
		i=0
		while [ $i -lt 50 ] && ! pidof systemd-journald >/dev/null; do sleep 0.1; i=$((i + 1)); done
	fi
	"$SECLOG" limits lift -q --state "$T/state"
	check "ring only, limits lifted: doctor exit 1" status 1 "$SECLOG" doctor
	check "... the ring is the problem" has '^PROBLEM  *records kept .*only the kernel.s ring (/dev/kmsg; .*wraps: a harvest that starts after the workload may have lost the oldest' "$T/out"
	check "... not every record" hasnt 'A harvest will see every record' "$T/out"
	if pidof systemd-journald >/dev/null; then
		check "... journald's copy is read only when asked" \
			has "journald keeps a copy, which a harvest reads only when asked (--source journal)" "$T/out"
		check "... the fix reads it" \
			has 'fix: harvest journald.s copy: \(seclog harvest --source journal --since TIME\|journalctl -o json --since TIME | seclog harvest -f -\)' "$T/out"
	fi
	"$SECLOG" limits restore -q --state "$T/state"
	[ -n "$jpid" ] && kill "$jpid" && wait "$jpid" 2>/dev/null
fi

# rsyslog writing kern.log: its copy is syslog text, counted only with a
# kernel-made copy (the ring's), so the ring stays the problem.  Our own
# rsyslogd, in a mount namespace of its own with /var/log on tmpfs: the
# host's logging is not touched.
if ! command -v rsyslogd >/dev/null || ! unshare -m true 2>/dev/null; then
	echo "# no rsyslogd or no unshare -m: the rsyslog case is not run"
elif pidof auditd rsyslogd >/dev/null; then
	echo "# auditd or rsyslogd runs here: the rsyslog case is not run"
else
	cat >"$T/rsyslog.conf" <<CONF
global(workDirectory="$T")
module(load="imklog")
kern.* /var/log/kern.log
CONF
	unshare -m --propagation private sh -c '
		mount -t tmpfs tmpfs /var/log || exit 1
		: >/var/log/kern.log
		rsyslogd -n -f "$1/rsyslog.conf" -i "$1/rsyslog.pid" &
		r=$!
		i=0
		while [ $i -lt 50 ] && ! pidof rsyslogd >/dev/null; do sleep 0.1; i=$((i + 1)); done
		"$2" doctor >"$1/rs.out"
		echo $? >"$1/rs.rc"
		"$2" harvest -v --since now 2>&1 >/dev/null | sed -n "s/^seclog: reading //p" >"$1/rs.reads"
		kill $r
		wait $r' sh "$T" "$SECLOG"
	check "rsyslog's kern.log: doctor exit 1" test "$(cat "$T/rs.rc")" = 1
	check "... harvest reads kern.log" has '^/var/log/kern.log$' "$T/rs.reads"
	check "... doctor lists what harvest reads" has "^info  *harvest reads  *without -f: $(paste -sd, "$T/rs.reads" | sed 's/,/, /g')\$" "$T/rs.out"
	check "... kern.log is syslog text, counted with the ring's copy only" has '^info  *syslog copy  */var/log/kern.log keeps every record rsyslog receives, as syslog text' "$T/rs.out"
	check "... the ring is still the problem" has '^PROBLEM  *records kept .*only the kernel.s ring (/dev/kmsg; .*) receives these records as the kernel made them' "$T/rs.out"
	check "... the fix names --trust-syslog" has 'seclog harvest --trust-syslog' "$T/rs.out"
fi

# actions_logged without "log": SCMP_ACT_LOG writes nothing
orig=$(cat /proc/sys/kernel/seccomp/actions_logged)
trap 'echo "$orig" >/proc/sys/kernel/seccomp/actions_logged; rm -rf "$T"' EXIT INT TERM
echo "$orig" | sed 's/ *\blog\b//' >/proc/sys/kernel/seccomp/actions_logged
check "doctor: actions_logged without log is a problem" status 1 "$SECLOG" doctor
check "... named, with the fix" has '^PROBLEM  *kernel.seccomp.actions_logged' "$T/out"
check "... the lift fix" has 'fix: seclog limits lift (sets kernel.seccomp.actions_logged=.*log)' "$T/out"
"$SECLOG" limits lift -q --state "$T/state"
check "lift adds log" grep -qw log /proc/sys/kernel/seccomp/actions_logged
"$SECLOG" limits restore -q --state "$T/state"
check "restore takes it out again" sh -c "! grep -qw log /proc/sys/kernel/seccomp/actions_logged"
echo "$orig" >/proc/sys/kernel/seccomp/actions_logged
check "doctor --json is one document" sh -c "'$SECLOG' doctor --json | jq -e '.checks | length > 5' >/dev/null"
finish
