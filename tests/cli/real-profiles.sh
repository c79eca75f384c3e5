# real-profiles.sh - sourced by diff.sh and lint.sh: podman's and Docker's
# real default profiles, from the Debian packages that ship them.  Until
# lib.sh has a shared function for them, this takes the installed file, or
# downloads the package (apt-get download, never installed) into a cache
# under $TMPDIR that later runs reuse.  Each prints the file's path, or
# fails when it cannot be had (no network, no such package).

# real_profile NAME FILE-IN-PACKAGE PACKAGE...
real_profile() {
	local name=$1 inpkg=$2 cache="${TMPDIR:-/tmp}/seclog-difflint-profiles" f
	shift 2
	if [ -s "/$inpkg" ]; then
		echo "/$inpkg"
		return 0
	fi
	f="$cache/$name.json"
	mkdir -p "$cache" || return 1
	(
		# diff.sh and lint.sh may run at once: one downloads
		flock 8
		[ -s "$f" ] && exit 0
		tmp=$(mktemp -d "$cache/dl.XXXXXX") || exit 1
		chmod 755 "$tmp"
		for pkg; do
			(cd "$tmp" && apt-get download "$pkg") >/dev/null 2>&1 || continue
			deb=$(ls "$tmp"/*.deb 2>/dev/null | head -1)
			[ -n "$deb" ] && dpkg-deb -x "$deb" "$tmp/x" &&
				cp "$tmp/x/$inpkg" "$f.new" && mv "$f.new" "$f" && break
		done
		rm -rf "$tmp"
	) 8>"$cache/.lock"
	[ -s "$f" ] && echo "$f"
}

# containers-common was golang-github-containers-common up to Debian 12
podman_profile() {
	real_profile podman usr/share/containers/seccomp.json \
		containers-common golang-github-containers-common
}

# Docker's default.json, as moby's source tree has it
docker_profile() {
	real_profile docker \
		usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json \
		golang-github-docker-docker-dev
}
