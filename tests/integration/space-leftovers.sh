#!/bin/sh
# Honest space figures: a release left in config-files state frees what its
# remaining files take on disk (its conffiles, the modules.* files depmod
# made in /lib/modules/R, an initrd left in /boot), not its Installed-Size;
# an installed release frees its Installed-Size plus those files. --list's
# SIZE, the JSON and the "freeing" sentence say so, and agree with what du
# sees freed by the real purge within the rounding the man page states:
# Installed-Size counts each file in whole KiB, du in 4 KiB blocks.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init
command -v "$PYTHON" >/dev/null 2>&1 || skip "$PYTHON is needed"
chroot_tools sh rm rmdir

# The image's postrm does what Debian's kernel packages and initramfs-tools'
# postrm.d hook do: the initrd goes on remove, depmod's files on purge.
postrm() {
	cat >"$SANDBOX_TMP/postrm.$1" <<EOF
#!/bin/sh
set -e
case "\$1" in
remove | purge) rm -f /boot/initrd.img-$1 ;;
esac
if [ "\$1" = purge ]; then
	rm -f /lib/modules/$1/modules.*
	rmdir /lib/modules/$1 2>/dev/null || true
fi
exit 0
EOF
	reinstall_with_script "linux-image-$1" postrm "$SANDBOX_TMP/postrm.$1"
}

# leftovers R: the files a real kernel's scripts make, owned by no package:
# depmod's output (384 KiB) and an initrd (512 KiB).
leftovers() {
	mkdir -p "$ROOT/lib/modules/$1"
	printf '%262144s' '' >"$ROOT/lib/modules/$1/modules.dep"
	printf '%131072s' '' >"$ROOT/lib/modules/$1/modules.alias"
	printf '%524288s' '' >"$ROOT/boot/initrd.img-$1"
}

# kib_on_disk FILE...: what du counts for these files, in KiB.
kib_on_disk() { du -ck "$@" | tail -n1 | cut -f1; }

section "setup: 6.8.0-20 removed (rc) with leftovers; 6.8.0-40 and 6.8.0-45 installed, each with depmod's files and an initrd"
ubuntu_release 6.8.0-20 generic conffile no-headers; rc20=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic no-headers; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic no-headers; r45=$RELEASE_PKGS
dpkg_install
postrm 6.8.0-20-generic
postrm 6.8.0-40-generic
mark_rc $rc20
assert_rc $rc20
for r in 6.8.0-20-generic 6.8.0-40-generic 6.8.0-45-generic; do leftovers "$r"; done

# What is left of 6.8.0-20 on disk: its conffiles and the unowned files.
rc_files="$ROOT/lib/modules/6.8.0-20-generic/modules.dep $ROOT/lib/modules/6.8.0-20-generic/modules.alias $ROOT/boot/initrd.img-6.8.0-20-generic"
for p in $rc20; do rc_files="$rc_files $ROOT/etc/kpurge-test/$p.conf"; done
# shellcheck disable=SC2086
rc_kib=$(kib_on_disk $rc_files)
say "# 6.8.0-20's remaining files take $rc_kib KiB on disk"

section "the release in config-files state: its size is its files on disk"
pok_json --list --keep=1
figures() {
	"$PYTHON" -c 'import json, sys
d = json.load(open(sys.argv[1]))
r = {x["name"]: x for x in d["releases"]}
print(r[sys.argv[2]]["size_kib"], r[sys.argv[2]]["boot_bytes"], d["purge_kib"])' "$JSON" "$1"
}
set -- $(figures 6.8.0-20-generic)
assert_eq "$rc_kib" "$1" "JSON: 6.8.0-20's size_kib is what du sees of its remaining files"
assert_eq 524288 "$2" "JSON: 6.8.0-20's boot_bytes is its initrd"
set -- $(figures 6.8.0-40-generic)
# Installed-Size (vmlinuz 48 + modules.builtin 1 + System.map 8 + config 4
# + modules.order 1 + ext4.ko 64 + extra.ko 32 = 158 KiB) plus the
# unowned modules.* (384 KiB) and initrd (512 KiB).
assert_eq 1054 "$1" "JSON: 6.8.0-40's size_kib is its Installed-Size, its modules.* and its initrd"
purge_kib=$3
assert_eq $((rc_kib + 1054)) "$purge_kib" "JSON: the purge frees both releases' sizes"

section "--list's SIZE column and the freeing sentence say the same"
assert_exit 0 pok --list --keep=1
list=$out
assert_match "$(list_entry "$list" 6.8.0-20-generic)" "^6\.8\.0-20-generic +config-files +${rc_kib}K +512K +PURGE " \
	"--list: 6.8.0-20 takes ${rc_kib}K, 512K of it in /boot"
assert_match "$(list_entry "$list" 6.8.0-40-generic)" '^6\.8\.0-40-generic +complete +1\.0M +' \
	"--list: 6.8.0-40 takes 1.0M"
freeing=$("$PYTHON" -c 'import sys; k = int(sys.argv[1]); print("%d KiB" % k if k < 1024 else "%.1f MiB" % (k / 1024.0))' "$purge_kib")
assert_contains "$list" "(freeing $freeing)." "--list: freeing $freeing"

section "the real purge frees what was announced, as du sees it"
# Tolerance: Installed-Size rounds each file up to 1 KiB, du to its 4 KiB
# block: at most 3 KiB per file the purge removes.
nfiles=0
for p in $r40; do
	n=$(grep -c . "$ROOT/var/lib/dpkg/info/$p.list")
	nfiles=$((nfiles + n))
done
tolerance=$((3 * nfiles))
before=$(du -sk "$ROOT/boot" "$ROOT/lib" "$ROOT/etc" "$ROOT/usr" | awk '{s += $1} END {print s}')
assert_exit 0 pok --keep=1 -y
assert_remaining "$r45 linux-base"
after=$(du -sk "$ROOT/boot" "$ROOT/lib" "$ROOT/etc" "$ROOT/usr" | awk '{s += $1} END {print s}')
freed=$((before - after))
diff=$((freed > purge_kib ? freed - purge_kib : purge_kib - freed))
say "# announced $purge_kib KiB, du saw $freed KiB freed, tolerance $tolerance KiB ($nfiles files)"
if [ "$diff" -le "$tolerance" ]; then
	pass "freed $freed KiB is the announced $purge_kib KiB within $tolerance KiB"
else
	fail "freed $freed KiB is the announced $purge_kib KiB within $tolerance KiB"
fi
left=$(find "$ROOT/lib/modules/6.8.0-20-generic" "$ROOT/lib/modules/6.8.0-40-generic" -type f 2>/dev/null || true)
assert_eq "" "$left" "no file of 6.8.0-20 and 6.8.0-40 is left in /lib/modules"
[ ! -e "$ROOT/boot/initrd.img-6.8.0-40-generic" ] && pass "6.8.0-40's initrd is gone" \
	|| fail "6.8.0-40's initrd is gone"

sandbox_finish
