#!/bin/sh
# container.sh - harvest --container's lookup without root or a runtime:
# stand-in runc, crun and podman commands (first in PATH) answer as the
# real ones do (the OCI state JSON of `runc state`, podman inspect's
# formatted line, their errors on stderr with exit 1), about a real
# process of this test; the real runtimes are container-root.sh's.
. "$TESTLIB"

mkdir "$T/bin"
# the "container's init": a shell with a child
sh -c 'sleep 60 & wait' &
live=$!
for i in $(seq 50); do
	kid=$(cat /proc/$live/task/*/children 2>/dev/null | tr -d ' ')
	[ -n "$kid" ] && break
	sleep 0.1
done
cleanup() {
	kill $kid $live 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
# runc: knows "web" (created), "old" (stopped); crun: "db" (running)
cat >"$T/bin/runc" <<SH
#!/bin/sh
[ "\$1" = state ] || exit 2
case \$2 in
web) echo '{"ociVersion": "1.0.2", "id": "web", "pid": $live, "status": "created", "bundle": "/b"}' ;;
old) echo '{"ociVersion": "1.0.2", "id": "old", "pid": 0, "status": "stopped", "bundle": "/b"}' ;;
*) echo "time=\"2026-12-01T00:00:00Z\" level=error msg=\"container does not exist\"" >&2; exit 1 ;;
esac
SH
cat >"$T/bin/crun" <<SH
#!/bin/sh
[ "\$1" = state ] || exit 2
case \$2 in
db) printf '{\n  "ociVersion" : "1.0.0",\n  "id" : "db",\n  "pid" : $live,\n  "status" : "running"\n}\n' ;;
web) echo '{"id": "web", "pid": 1, "status": "running"}' ;;
*) echo "error opening file \\\`/run/crun/\$2/status\\\`: No such file or directory" >&2; exit 1 ;;
esac
SH
cat >"$T/bin/podman" <<SH
#!/bin/sh
[ "\$1 \$2 \$4" = "container inspect {{.State.Pid}} {{.State.Status}}" ] || exit 2
case \$6 in
pod-web) echo "$live running" ;;
pod-gone) echo "0 exited" ;;
*) echo "Error: inspecting object: no such container \$6" >&2; exit 125 ;;
esac
SH
chmod 755 "$T/bin/runc" "$T/bin/crun" "$T/bin/podman"
: >"$T/empty.txt"
h() { env PATH="$T/bin:$PATH" "$SECLOG" harvest -v -f "$T/empty.txt" --container "$@"; }

check "runc's created container: exit 0" status 0 h web
check "  its init is the state's pid" has "^seclog: --container web: runc's init is pid $live\$" "$T/err"
check "runc is asked first (crun knows web too)" hasnt "pid 1\$" "$T/err"
check "crun:web asks crun only" status 0 h crun:web
check "  (its pid)" has "crun's init is pid 1\$" "$T/err"
check "crun's running container, its state pretty-printed" status 0 h db
check "  its pid" has "crun's init is pid $live\$" "$T/err"
check "podman's, by name" status 0 h pod-web
check "  its pid" has "podman's init is pid $live\$" "$T/err"
check "podman:pod-web" status 0 h podman:pod-web
check "a stopped container: exit 1" status 1 h old
check "  says so, and what else to use" has "^seclog: --container old: .*runc: the container is stopped: its processes are gone" "$T/err"
check "an exited podman container: exit 1" status 1 h podman:pod-gone
check "  says so" has "podman: the container is exited" "$T/err"
check "an unknown container: exit 1" status 1 h nosuch
check "  each runtime's own answer" \
	has "no runtime knows container 'nosuch' (runc: .*container does not exist.*; crun: error opening file .*; podman: Error: inspecting object: no such container nosuch)" "$T/err"
check "runc:nosuch asks runc only" status 1 h runc:nosuch
check "  (crun not named)" hasnt "crun:" "$T/err"
check "a runtime that is not installed says so" \
	status 1 env PATH="$T/none" "$SECLOG" harvest -f "$T/empty.txt" --container crun:x
check "  (not installed)" has "crun: crun is not installed" "$T/err"
check "--container with --children (implied) and --pid: both roots" \
	status 0 h web --pid $$
check "an empty id is refused" status 1 h runc:
# the init's descendants are the container's: a record of a child of the
# init counts, one of an unrelated process (this test) does not
now=$(date +%s.%N | cut -c1-14)	# after both started: a record counts for a process alive then
for r in "$kid 39" "$$ 63" "$live 60"; do
	set -- $r
	echo "type=SECCOMP msg=audit($now:$2): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=$1 comm=\"x\" exe=\"/x\" sig=0 arch=c000003e syscall=$2 compat=0 ip=0x1 code=0x7ffc0000"
done >"$T/recs.txt"
check "records of the init and its child" \
	status 0 env PATH="$T/bin:$PATH" "$SECLOG" harvest --json -f "$T/recs.txt" --container web
check "  getpid (its child) and exit (the init) are taken" \
	jqok '[.syscalls[].name] == ["exit", "getpid"]' "$T/out"
check "  uname (another process) is not" jqok '.matched == 2' "$T/out"
finish
