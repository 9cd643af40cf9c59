#!/bin/sh
# Ubuntu 26.04-style kernels, whose packages the name table does not all
# know: linux-modules-R depends on linux-main-modules-zfs-R, which depends on
# linux-image-R | linux-image-unsigned-R and ships R's module under
# /usr/lib/modules/R (a member by its files; the metapackage
# linux-image-generic depends on the newest one), and linux-main-modules-bundle-R, which only depends on it (a
# member by its dependencies, through the zfs package); a
# derivative's Rust library linux-hwe-7.0-lib-rust-R that only ships files
# under /usr/src/...-R/ (a member by its files); and a package with an
# unknown name that has neither (linux-acme-notes-R: stays outside, is never
# purged).  With --keep=1 the old releases go whole through the real apt-get.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

# release_2604 ABI: one 7.0 generic release the way 26.04 lays it out.
release_2604() {
	local abi="$1" r ver
	r=$abi-generic
	ver=$abi.${abi##*-}
	sandbox__release_begin
	want_linux_base
	want "linux-image-$r" "$ver" source=linux-signed \
		depends="linux-base (>= 4.5ubuntu1~16.04.1), linux-modules-$r" \
		"/boot/vmlinuz-$r:49152"
	want "linux-modules-$r" "$ver" source=linux \
		depends="linux-main-modules-zfs-$r" \
		"/boot/System.map-$r:8192" "/boot/config-$r:4096" \
		"/lib/modules/$r/modules.order:1024" \
		"/lib/modules/$r/kernel/fs/ext4/ext4.ko:65536"
	want "linux-main-modules-zfs-$r" "$ver" source=linux \
		depends="linux-image-$r | linux-image-unsigned-$r" \
		"/usr/lib/modules/$r/ubuntu/dkms/zfs/zfs.ko.zst:32768"
	want "linux-main-modules-bundle-$r" "$ver" source=linux \
		depends="linux-main-modules-zfs-$r" \
		"/usr/share/doc/linux-main-modules-bundle-$r/changelog.gz:512"
	want "linux-hwe-7.0-lib-rust-$r" "$ver" source=linux \
		"/usr/src/linux-hwe-7.0-lib-rust-$r/rust/libkernel.rmeta:4096"
	sandbox__shared "linux-headers-$abi" "$ver" source=linux arch=all \
		"/usr/src/linux-headers-$abi/Makefile:12288"
	want "linux-headers-$r" "$ver" source=linux depends="linux-headers-$abi" \
		"/usr/src/linux-headers-$r/.config:4096"
}

section "setup: 7.0.0-28, -29, -30 generic with the zfs chain and a Rust library"
release_2604 7.0.0-28; r28=$RELEASE_PKGS
release_2604 7.0.0-29; r29=$RELEASE_PKGS
release_2604 7.0.0-30; r30=$RELEASE_PKGS
want_other linux-acme-notes-7.0.0-28-generic 1.0 arch=all \
	/usr/share/doc/linux-acme-notes/README:512
# 26.04's metapackage depends on the zfs modules too.
want_other linux-image-generic 7.0.0.30.30 source=linux-meta \
	depends="linux-image-7.0.0-30-generic, linux-modules-7.0.0-30-generic, linux-main-modules-zfs-7.0.0-30-generic"
dpkg_install
before=$(status_sum)

section "plan: --keep=1 keeps 7.0.0-30-generic and purges the two older releases whole"
pok_json --dry-run --running=none --keep=1
assert_plan "7.0.0-30-generic" "7.0.0-28-generic 7.0.0-29-generic"
assert_json_purge "$r28 $r29"
assert_set "7.0.0-28-generic lists the zfs modules and the Rust library" \
	"$(printf '%s\n' $r28 | grep -v '^linux-headers-7.0.0-28$')" \
	"$(json_query "$JSON" packages 7.0.0-28-generic)"
assert_status_unchanged "$before" "a dry run changes nothing"

section "JSON and --list say how each member was recognised"
rec=$("$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(sorted("%s=%s" % (p["name"], p.get("recognised")) for p in d["packages"]
                      if p["name"].startswith(("linux-main-modules-bundle-7.0.0-28", "linux-main-modules-zfs-7.0.0-28", "linux-hwe-7.0-lib-rust-7.0.0-28", "linux-image-7.0.0-28")))))' "$JSON")
assert_eq "linux-hwe-7.0-lib-rust-7.0.0-28-generic=files linux-image-7.0.0-28-generic=name linux-main-modules-bundle-7.0.0-28-generic=dependencies linux-main-modules-zfs-7.0.0-28-generic=files" \
	"$rec" "recognised: name, files, dependencies"
assert_exit 0 pok --list --running=none --keep=1
assert_contains "$out" "linux-main-modules-bundle-7.0.0-29-generic: of 7.0.0-29-generic, by its dependencies" "--list names the member found by its dependencies"
assert_contains "$out" "linux-hwe-7.0-lib-rust-7.0.0-29-generic: of 7.0.0-29-generic, by its files" "--list names the member found by its files"
assert_not_contains "$out" "linux-acme-notes" "a package tied by neither files nor dependencies is no member"

section "purge for real through apt-get"
assert_exit 0 pok --running=none --keep=1 -y
assert_remaining "$r30 linux-base linux-acme-notes-7.0.0-28-generic linux-image-generic"
for f in /boot/vmlinuz-7.0.0-28-generic /usr/lib/modules/7.0.0-29-generic/ubuntu/dkms/zfs/zfs.ko.zst \
	/usr/src/linux-hwe-7.0-lib-rust-7.0.0-28-generic/rust/libkernel.rmeta; do
	if [ -e "$ROOT$f" ]; then fail "$f removed"; else pass "$f removed"; fi
done
assert_exit 0 pok --list --running=none --keep=1
assert_contains "$out" "To purge: nothing." "a second run has nothing left to purge"

sandbox_finish
