#!/bin/sh
# Another spelling of / is still this system: --root=//, --root=/.,
# --root=/tmp/.. and a symlink to / keep the running kernel (uname -r)
# protected, as --root=/ and no --root do.
#
# The sandbox is made to look like / in a private mount namespace: its dpkg
# and apt state directories are bind-mounted over this machine's there, and
# only there (the host's real database is never read or written). Only
# --dry-run and --list run.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

command -v unshare >/dev/null 2>&1 || skip "unshare (util-linux) is needed"
running=$(uname -r)
case $running in
*[!a-z0-9.+-]*) skip "uname -r ($running) cannot be in a package name" ;;
esac
unshare --mount sh -c 'mount --make-rprivate /' 2>/dev/null \
	|| skip "no private mount namespace here (unshare --mount)"

# as_slash POK-ARG...: the CLI, with the sandbox mounted over / in a private
# mount namespace. Nothing runs unless every mount succeeded.
as_slash() {
	unshare --mount sh -c '
		root=$1; shift
		mount --make-rprivate / &&
		mount --bind "$root/var/lib/dpkg" /var/lib/dpkg &&
		mount --bind "$root/var/lib/apt" /var/lib/apt &&
		exec "$@"' sh "$ROOT" "$POK" "$@"
}

section "setup: the running $running, 999.0.0-1-generic and 999.0.0-2-generic"
custom_release "$running"; rrun=$RELEASE_PKGS
ubuntu_release 999.0.0-1 generic; r1=$RELEASE_PKGS
ubuntu_release 999.0.0-2 generic
dpkg_install
ln -s / "$SANDBOX_TMP/slash"

section "the namespace shows the sandbox as /"
run as_slash --list --keep=1
assert_eq 0 "$rc" "--list in the namespace exits 0"
assert_contains "$out" "999.0.0-2-generic" "the sandbox's releases are listed"

JSON=$SANDBOX_TMP/last.json
for spelling in / // /. /tmp/.. "$SANDBOX_TMP/slash"; do
	section "--root=$spelling: the running kernel is kept"
	run as_slash --root="$spelling" --dry-run --json --keep=1
	assert_eq 0 "$rc" "--root=$spelling --dry-run --json exits 0"
	printf '%s\n' "$out" >"$JSON"
	assert_eq keep "$(json_query "$JSON" action "$running")" \
		"--root=$spelling: $running is kept"
	assert_match "$(json_query "$JSON" why "$running")" '^running ' \
		"--root=$spelling: $running is kept as the running kernel"
	assert_set "--root=$spelling: the purge is 999.0.0-1-generic's" \
		"$r1" "$(json_query "$JSON" purge)"
	assert_not_contains "$(json_query "$JSON" purge)" "$running" \
		"--root=$spelling: no package of $running is purged"
done

section "and the dry run's text"
run as_slash --root=// --dry-run --keep=1
assert_eq 0 "$rc" "--root=// --dry-run exits 0"
assert_not_contains "$out" "$running:" "--root=//: $running is not in the dry run"
assert_not_contains "$out" "linux-image-$running" "--root=//: its image is not purged"
assert_installed $rrun

sandbox_finish
