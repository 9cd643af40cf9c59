#!/bin/sh
# apt's binary caches (pkgcache.bin, srcpkgcache.bin under var/cache/apt):
# the proof uses them as the purge's apt-get does. A plain user with no
# cache builds in memory and writes nothing; root writes them where apt-get
# writes them; a valid cache is mapped (a list changed behind apt's back,
# same size and time, is not read again, by the proof or by apt-get); when
# dpkg changed the status, srcpkgcache.bin is reused and pkgcache.bin
# rewritten; a cache directory another user owns is neither read nor
# written. In every state the plan is the same, and apt-get, simulating
# it, removes exactly the plan and installs nothing.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init
id nobody >/dev/null 2>&1 || skip "no user 'nobody'"

section "setup: 6.8.0-{31,40,45}-generic, metapackages, an archive offering unsigned images"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic
ubuntu_meta generic 6.8.0-45
dpkg_install
for r in 6.8.0-31-generic 6.8.0-40-generic 6.8.0-45-generic; do
	v=${r%-generic}; v=$v.${v##*-}
	archive_offer "linux-image-unsigned-$r" "$v" "linux-modules-$r"
done
chmod -R a+rX "$SANDBOX_TMP"
as_user nobody test -r "$ROOT/var/lib/dpkg/status" \
	|| skip "nobody cannot read the sandbox under ${TMPDIR:-/tmp}"
cache=$ROOT/var/cache/apt
list=$ROOT/var/lib/apt/lists/archive.invalid_ubuntu_._Packages
rm -f "$cache"/*.bin
n_plan=$(words_sorted "$r31 $r40" | wc -w)

# plan_of TEXT: a --dry-run's output but its /boot line (the filesystem
# holding the sandbox is shared with the rest of the machine).
plan_of() { printf '%s\n' "$1" | grep -v '^/boot: '; }

# same_plan WHAT: --dry-run (as root) shows the plan it showed before.
same_plan() {
	assert_exit 0 pok --keep=1 --dry-run
	assert_eq "$(plan_of "$dry")" "$(plan_of "$out")" "$1: the same proved plan"
	assert_eq "" "$err" "$1: no warning"
}

# apt_agrees WHAT: apt-get's simulation of the plan removes exactly the
# plan and installs nothing.
apt_agrees() {
	assert_exit 0 pok --keep=1 -y -s
	assert_eq "$n_plan" "$(printf '%s\n' "$out" | grep -c '^Purg ')" \
		"$1: apt-get's simulation removes exactly the $n_plan packages of the plan"
	assert_not_contains "$out" "Inst " "$1: and installs nothing"
}

section "no cache, a plain user: built in memory, nothing written"
assert_exit 0 as_user nobody "$POK" --root="$ROOT" --keep=1 --dry-run
dry=$out
assert_contains "$dry" "linux-image-6.8.0-31-generic" "the plan purges 6.8.0-31"
assert_eq "" "$err" "no warning: the plan is proved"
assert_eq "" "$(ls "$cache"/*.bin 2>/dev/null || true)" "no cache file was written"

section "no cache, root: written where apt-get writes it"
same_plan "no cache"
assert_eq "$cache/pkgcache.bin $cache/srcpkgcache.bin" \
	"$(echo $(ls "$cache"/*.bin 2>/dev/null))" "pkgcache.bin and srcpkgcache.bin written"
apt_agrees "no cache"
src_before=$(stat -c %i.%Y "$cache/srcpkgcache.bin")

section "valid cache: mapped, the lists not read again"
assert_exit 0 pok --keep=1 --dry-run
assert_eq "$(plan_of "$dry")" "$(plan_of "$out")" "the same plan from the valid cache"
# The archive now offers linux-image-unsignex-* (same size, same time):
# apt, trusting its valid cache, still sees linux-image-unsigned-*.
touch -r "$list" "$SANDBOX_TMP/list.time"
sed -i 's/linux-image-unsigned-/linux-image-unsignex-/' "$list"
touch -r "$SANDBOX_TMP/list.time" "$list"
run "${APT_GET%-get}-cache" -o Dir="$ROOT" -o Dir::State::status="$ROOT/var/lib/dpkg/status" \
	policy linux-image-unsigned-6.8.0-40-generic
assert_contains "$out" "Candidate: 6.8.0-40.40" \
	"apt takes the archive from its valid cache"
assert_exit 0 pok --keep=1 --dry-run --json
assert_contains "$out" '"proved_by_apt": true' "the proof too: proved"
same_plan "valid cache"
apt_agrees "valid cache"

section "stale cache (dpkg changed the status): srcpkgcache.bin reused, pkgcache.bin rewritten"
want_other acme-tool 1.0-1 "/usr/bin/acme-tool:1024"
dpkg_install
pkg_before=$(stat -c %i.%Y "$cache/pkgcache.bin")
same_plan "stale cache"
assert_eq "$src_before" "$(stat -c %i.%Y "$cache/srcpkgcache.bin")" \
	"srcpkgcache.bin reused, not rewritten"
if [ "$pkg_before" != "$(stat -c %i.%Y "$cache/pkgcache.bin")" ]; then
	pass "pkgcache.bin rewritten"
else
	fail "pkgcache.bin rewritten"
fi
apt_agrees "stale cache"

section "a cache directory another user owns: neither read nor written"
rm -f "$cache"/*.bin
chown nobody "$cache"
same_plan "untrusted cache directory"
assert_eq "" "$(ls "$cache"/*.bin 2>/dev/null || true)" "no cache file was written there"

sandbox_finish
