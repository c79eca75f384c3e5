# podman-profile.sh - sourced by diff.sh and lint.sh: podman's real default
# profile (containers-common's /usr/share/containers/seccomp.json).  Until
# lib.sh has a shared function for the real default profiles, this takes
# the installed file, or downloads the package (apt-get download, never
# installed) into a cache under $TMPDIR that later runs reuse.
# podman_profile: prints the file's path; fails when it cannot be had.
podman_profile() {
	local cache="${TMPDIR:-/tmp}/seclog-podman-profile" f tmp pkg deb
	f="$cache/podman-seccomp.json"
	if [ -s /usr/share/containers/seccomp.json ]; then
		echo /usr/share/containers/seccomp.json
		return 0
	fi
	mkdir -p "$cache" || return 1
	(
		# diff.sh and lint.sh may run at once: one downloads
		flock 8
		[ -s "$f" ] && exit 0
		tmp=$(mktemp -d "$cache/dl.XXXXXX") || exit 1
		chmod 755 "$tmp"
		# the package was renamed after Debian 12
		for pkg in containers-common golang-github-containers-common; do
			(cd "$tmp" && apt-get download "$pkg") >/dev/null 2>&1 || continue
			deb=$(ls "$tmp"/*.deb 2>/dev/null | head -1)
			[ -n "$deb" ] && dpkg-deb -x "$deb" "$tmp/x" &&
				cp "$tmp/x/usr/share/containers/seccomp.json" "$f.new" &&
				mv "$f.new" "$f" && break
		done
		rm -rf "$tmp"
	) 8>"$cache/.lock"
	[ -s "$f" ] && echo "$f"
}
