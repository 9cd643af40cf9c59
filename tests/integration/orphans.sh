#!/bin/sh
# Files of removed kernels that no package owns (orphans): --list and the
# JSON show them with their sizes, --dry-run --orphans shows each, and a
# purge with --orphans removes them after the packages, through the real
# apt-get, and nothing else: never a file a package owns, never a file of
# an installed, running, kept or protected release or of a kernel
# installed by hand, never through a symbolic link, never another user's.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
. "$top_srcdir/tests/lib/unattended.sh"
sandbox_init
command -v "$PYTHON" >/dev/null 2>&1 || skip "$PYTHON is needed"

B=$ROOT/boot
M=$ROOT/lib/modules
U=$ROOT/usr/lib/modules
OUT=$SANDBOX_TMP/outside

# put FILE SIZE: a file of SIZE bytes (its directory made).
put() {
	mkdir -p "$(dirname "$1")"
	printf "%${2}s" '' >"$1"
}

section "setup: 6.8.0-20 (purged by the plan), 6.8.0-15 (config-files), 6.8.0-40 (running), 6.8.0-45 (newest)"
ubuntu_release 6.8.0-15 generic conffile no-headers; rc15=$RELEASE_PKGS
ubuntu_release 6.8.0-20 generic no-headers; r20=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic no-headers; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic no-headers; r45=$RELEASE_PKGS
# A package of no kernel owns a file of 6.8.0-14: that release is not gone.
want_other acme-boot-extras 1.0-1 section=misc "/boot/abi-6.8.0-14-generic:1024"
dpkg_install
# shellcheck disable=SC2086
mark_rc $rc15

# Unowned files of releases with packages: never orphans.
for r in 6.8.0-15 6.8.0-20 6.8.0-40 6.8.0-45; do put "$B/initrd.img-$r-generic" 65536; done
put "$M/6.8.0-20-generic/updates/dkms/acme.ko" 16384
put "$M/6.8.0-40-generic/updates/dkms/acme.ko" 16384
put "$M/6.8.0-45-generic/modules.dep" 4096
# 6.8.0-10 is gone: everything a kernel leaves, a DKMS build too.
put "$B/vmlinuz-6.8.0-10-generic" 49152
put "$B/System.map-6.8.0-10-generic" 8192
put "$B/config-6.8.0-10-generic" 4096
put "$B/initrd.img-6.8.0-10-generic" 131072
put "$M/6.8.0-10-generic/modules.dep" 8192
put "$M/6.8.0-10-generic/modules.alias" 4096
put "$M/6.8.0-10-generic/updates/dkms/acme.ko" 32768
ln -s /usr/src/linux-headers-6.8.0-10-generic "$M/6.8.0-10-generic/build"
# dpkg's file in flight is never taken.
put "$B/vmlinuz-6.8.0-10-generic.dpkg-tmp" 4096
# 6.8.0-9 is gone, its modules under /usr/lib/modules.
put "$U/6.8.0-9-generic/modules.dep" 4096
# 6.8.0-11 is gone, but its initrd is another user's: shown, left alone.
put "$B/initrd.img-6.8.0-11-generic" 4096
chown 65534:65534 "$B/initrd.img-6.8.0-11-generic"
# 6.8.0-14: an unowned initrd of a release a package owns a file of.
put "$B/initrd.img-6.8.0-14-generic" 4096
# Symbolic links planted among them, to files outside that must survive.
put "$OUT/secret" 1024
put "$OUT/moddir/kernel/x.ko" 1024
ln -s "$OUT/secret" "$B/initrd.img-6.8.0-12-generic"
ln -s "$OUT/moddir" "$M/6.8.0-13-generic"
# A kernel installed by hand (make install): no package, but whole.
put "$B/vmlinuz-6.9.0-custom" 49152
put "$B/initrd.img-6.9.0-custom" 4096
put "$M/6.9.0-custom/kernel/fs/ext4.ko" 4096
# Not a release's at all.
put "$B/grub/grub.cfg" 512
ln -s vmlinuz-6.8.0-45-generic "$B/vmlinuz"

orphans_want="/boot/System.map-6.8.0-10-generic /boot/config-6.8.0-10-generic /boot/initrd.img-6.8.0-10-generic /boot/initrd.img-6.8.0-11-generic /boot/vmlinuz-6.8.0-10-generic /lib/modules/6.8.0-10-generic /usr/lib/modules/6.8.0-9-generic"
plan="--running=6.8.0-40-generic --keep=1"

# orphans FIELD: from the last JSON, "path FIELD" per orphan.
orphans() {
	"$PYTHON" -c 'import json, sys
d = json.load(open(sys.argv[1]))
for o in d["orphans"]:
    print(o["path"], o[sys.argv[2]])' "$JSON" "$1"
}
field() { orphans "$2" | awk -v p="$1" '$1 == p { print $2 }'; }
bytes_of() { echo $(($(stat -c '%b * %B' "$1"))); }

section "--json: the orphans with their release and size on disk"
# shellcheck disable=SC2086
pok_json --list $plan
assert_set "orphans: exactly the gone releases' unowned files" "$orphans_want" \
	"$(orphans release | cut -d' ' -f1)"
assert_eq 6.8.0-10-generic "$(field /boot/initrd.img-6.8.0-10-generic release)" "the initrd's release"
assert_eq "$(bytes_of "$B/initrd.img-6.8.0-10-generic")" \
	"$(field /boot/initrd.img-6.8.0-10-generic bytes)" "an orphan file's bytes are what it takes on disk"
assert_eq "$(du -sB1 "$M/6.8.0-10-generic" | cut -f1)" \
	"$(field /lib/modules/6.8.0-10-generic bytes)" "a modules tree's bytes are its whole tree's, as du counts"
assert_eq False "$(field /boot/initrd.img-6.8.0-11-generic removable)" "another user's file is not removable"
assert_eq not-roots "$(field /boot/initrd.img-6.8.0-11-generic refusal)" "... because it is not root's"
assert_eq True "$(field /lib/modules/6.8.0-10-generic removable)" "root's tree is removable"
total=$("$PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["orphan_bytes"] == sum(o["bytes"] for o in d["orphans"]))' "$JSON")
assert_eq True "$total" "orphan_bytes is the sum of the orphans' bytes"

section "--list: a section of their own, with sizes"
# shellcheck disable=SC2086
assert_exit 0 pok --list $plan
assert_match "$out" '^Of removed kernels, 7 files no package owns \([0-9.]+ [KM]iB\); --orphans removes them:$' \
	"--list: the section's title counts them"
assert_match "$out" '^  [0-9.]+[KM] +/lib/modules/6\.8\.0-10-generic/$' "--list: the DKMS tree with its size"
assert_match "$out" '^  [0-9.]+K +/boot/initrd\.img-6\.8\.0-11-generic  \(left alone: owned by uid 65534, not root\)$' \
	"--list: another user's file is shown, left alone"
for p in initrd.img-6.8.0-12-generic initrd.img-6.8.0-14-generic initrd.img-6.8.0-40-generic \
	initrd.img-6.8.0-45-generic initrd.img-6.8.0-15-generic initrd.img-6.8.0-20-generic \
	vmlinuz-6.9.0-custom 6.8.0-13-generic dpkg-tmp; do
	assert_not_contains "$out" "$p" "--list: $p is no orphan"
done

section "the running, a protected release: never orphans"
# shellcheck disable=SC2086
pok_json --list --running=6.8.0-10-generic --keep=1
assert_eq "" "$(orphans release | grep 6.8.0-10 || true)" "the running release's files are no orphans (not installed)"
# --protect must name something installed; PROTECT= only warns.
conf "PROTECT=6.8.0-9"
pok_json --list --running=6.8.0-40-generic --keep=1
assert_contains "$(orphans release)" "6.8.0-10-generic" "the other gone releases' files are still orphans"
assert_eq "" "$(orphans release | grep 6.8.0-9 || true)" "a protected version's files are no orphans"
conf
if command -v grub-editenv >/dev/null 2>&1; then
	# GRUB set to boot a release no package has: its files are what that
	# boot needs.
	mkdir -p "$B/grub"
	grub-editenv "$B/grub/grubenv" set saved_entry=gnulinux-6.8.0-10-generic-advanced-0123
	pok_json --list --running=6.8.0-40-generic --keep=1
	assert_eq "" "$(orphans release | grep 6.8.0-10 || true)" "the release GRUB boots next keeps its files, though not installed"
	rm -r "$B/grub"
	pok_json --list --running=6.8.0-40-generic --keep=1
	assert_contains "$(orphans release)" "6.8.0-10-generic" "without the saved entry they are orphans again"
else
	say "# grub-editenv is missing (Debian: grub-common): the next-boot case is not run"
fi

section "--dry-run --orphans shows each file; nothing changes"
find "$ROOT/boot" "$ROOT/lib/modules" "$ROOT/usr/lib/modules" | sort >"$SANDBOX_TMP/before"
# shellcheck disable=SC2086
assert_exit 0 pok --dry-run --orphans $plan
assert_contains "$out" "Then would remove 7 files no package owns" "the dry run counts the files"
for p in $orphans_want; do
	assert_contains "$out" "$p" "the dry run names $p"
done
find "$ROOT/boot" "$ROOT/lib/modules" "$ROOT/usr/lib/modules" | sort >"$SANDBOX_TMP/after"
assert_eq "" "$(comm -3 "$SANDBOX_TMP/before" "$SANDBOX_TMP/after")" "the dry run removed nothing"

section "the apt hook's notice counts them and suggests --orphans"
# shellcheck disable=SC2086
assert_exit 0 pok --hook $plan
assert_match "$err" '^purge-old-kernels: 2 old kernel releases \(6\.8\.0-20-generic and 6\.8\.0-15-generic\) and 7 files no package owns \([0-9.]+ KiB\) can be purged, freeing .*; run .sudo purge-old-kernels --root=[^ ]* --running=6\.8\.0-40-generic --keep=1 --orphans.$' \
	"the notice counts the files and names --orphans"

section "usage: --orphans does not go with --fix or --hook"
assert_exit 2 pok --fix --orphans
assert_exit 2 pok --hook --orphans

section "a plain user: sees them with --dry-run, removes nothing"
# shellcheck disable=SC2086
assert_exit 0 as_user nobody "$POK" --root="$ROOT" --dry-run --orphans $plan
assert_contains "$out" "Then would remove 7 files no package owns" "a plain user's dry run shows them"
# shellcheck disable=SC2086
assert_exit 1 as_user nobody "$POK" --root="$ROOT" --orphans $plan -y
assert_contains "$err" "needs root privileges" "a plain user's --orphans is refused"

section "the purge with --orphans: packages through apt-get, then the orphans, then what the purge left"
# shellcheck disable=SC2086
assert_exit 0 pok --orphans $plan -y
# shellcheck disable=SC2086
assert_purged $r20 $rc15
# shellcheck disable=SC2086
assert_installed $r40 $r45
assert_contains "$out" "Removed /lib/modules/6.8.0-20-generic/" "the DKMS tree the purge left is removed"
assert_contains "$out" "Removed /boot/initrd.img-6.8.0-15-generic" "the initrd of the config-files release, purged now, is removed"
assert_contains "$err" "warning: /boot/initrd.img-6.8.0-11-generic is left alone: owned by uid 65534, not root" \
	"another user's file is named, not removed"
find "$ROOT/boot" "$ROOT/lib/modules" "$ROOT/usr/lib/modules" | sort >"$SANDBOX_TMP/after"
comm -23 "$SANDBOX_TMP/before" "$SANDBOX_TMP/after" >"$SANDBOX_TMP/removed"
grep -E '(-|/)6\.8\.0-(9|10|15|20)-generic(/|$)' "$SANDBOX_TMP/before" >"$SANDBOX_TMP/expected"
assert_eq "$(cat "$SANDBOX_TMP/expected")" "$(cat "$SANDBOX_TMP/removed")" \
	"exactly the purged releases' and the gone releases' files went"
assert_eq "" "$(comm -13 "$SANDBOX_TMP/before" "$SANDBOX_TMP/after")" "nothing appeared"
[ -f "$OUT/secret" ] && [ -f "$OUT/moddir/kernel/x.ko" ] && [ -L "$B/initrd.img-6.8.0-12-generic" ] \
	&& [ -L "$M/6.8.0-13-generic" ] && pass "the symbolic links and what they point to survive" \
	|| fail "the symbolic links and what they point to survive"
[ -f "$B/vmlinuz-6.8.0-10-generic.dpkg-tmp" ] && pass "dpkg's file in flight survives" \
	|| fail "dpkg's file in flight survives"

section "a removal that fails: a clear message and a non-zero exit"
# An immutable file: a mount (read-only or not) is left alone before any
# removal (orphans-hostile.sh), so the kernel's refusal is the failure.
put "$U/6.8.0-8-generic/modules.dep" 4096
if chattr +i "$U/6.8.0-8-generic/modules.dep" 2>/dev/null; then
	# shellcheck disable=SC2086
	assert_exit 1 pok --orphans $plan -y
	assert_contains "$err" "cannot remove /usr/lib/modules/6.8.0-8-generic: Operation not permitted" \
		"the message names the file and why"
	chattr -i "$U/6.8.0-8-generic/modules.dep"
else
	say "# SKIP: no immutable files here (chattr +i)"
fi
[ -f "$U/6.8.0-8-generic/modules.dep" ] && pass "the file is still there" || fail "the file is still there"

sandbox_finish
