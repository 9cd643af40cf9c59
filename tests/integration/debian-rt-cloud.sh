#!/bin/sh
# Debian 12's amd64, cloud-amd64 and rt-amd64 flavours of one ABI: the
# rt flavour has its own flavour-less headers, linux-headers-A-common-rt;
# amd64 and cloud use linux-headers-A-common.  A flavour-less package stays
# while a kept, installed release depends on it: with the rt flavour of the
# newest ABI removed to configuration files, its -common-rt goes, and the
# -common of an older ABI whose releases are all purged goes too.  A
# flavour-less package of a newer ABI whose only release was removed to
# configuration files is a leftover, not a kernel being installed.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

# flavour ABI FLAVOUR COMMON VERSION: image and headers of release ABI-FLAVOUR
# whose headers depend on the flavour-less COMMON headers (Debian's layout).
flavour() {
	local abi="$1" fl="$2" common="$3" ver="$4" r
	r=$abi-$fl
	want "linux-image-$r" "${ver%-*}+1" source=linux-signed-amd64 conffile \
		depends="kmod, linux-base (>= 4.3~)" \
		"/boot/vmlinuz-$r:49152" "/lib/modules/$r/modules.order:1024"
	want "linux-headers-$r" "$ver" source=linux conffile \
		depends="linux-headers-$abi-$common (= $ver), linux-kbuild-6.1 (>= 6.1)" \
		"/usr/src/linux-headers-$r/.config:4096"
}
common() {
	want "linux-headers-$1-$2" "$3" source=linux arch=all \
		"/usr/src/linux-headers-$1-$2/Makefile:12288"
}

section "setup: 6.1.0-20 and 6.1.0-21 in amd64, cloud-amd64, rt-amd64; kbuild; 6.1.0-22 rt removed"
want_linux_base
want_kmod
want_other linux-kbuild-6.1 6.1.90-1 source=linux /usr/lib/linux-kbuild-6.1/scripts/basic/fixdep:4096
for n in 20 21; do
	ver=6.1.$((70 + n))-1
	common "6.1.0-$n" common "$ver"
	common "6.1.0-$n" common-rt "$ver"
	flavour "6.1.0-$n" amd64 common "$ver"
	flavour "6.1.0-$n" cloud-amd64 common "$ver"
	flavour "6.1.0-$n" rt-amd64 common-rt "$ver"
done
# 6.1.0-22: only rt, then removed to configuration files; its
# flavour-less -common-rt and the linux-kbuild of that ABI stay installed.
common 6.1.0-22 common-rt 6.1.92-1
want linux-kbuild-6.1.0-22 6.1.92-1 source=linux /usr/lib/linux-kbuild-6.1.0-22/scripts/basic/fixdep:4096
flavour 6.1.0-22 rt-amd64 common-rt 6.1.92-1
dpkg_install
mark_rc linux-image-6.1.0-22-rt-amd64 linux-headers-6.1.0-22-rt-amd64
# The newest rt flavour removed by the admin: configuration files left.
mark_rc linux-image-6.1.0-21-rt-amd64 linux-headers-6.1.0-21-rt-amd64

section "plan: --keep=1 keeps 6.1.0-21 amd64 and cloud; every 6.1.0-20 flavour goes"
pok_json --dry-run --running=none --keep=1
assert_plan "6.1.0-21-amd64 6.1.0-21-cloud-amd64" \
	"6.1.0-20-amd64 6.1.0-20-cloud-amd64 6.1.0-20-rt-amd64 6.1.0-21-rt-amd64 6.1.0-22-rt-amd64"
purged=$(json_query "$JSON" purge)
for p in linux-headers-6.1.0-21-common-rt linux-headers-6.1.0-20-common \
	linux-headers-6.1.0-20-common-rt linux-headers-6.1.0-22-common-rt linux-kbuild-6.1.0-22; do
	assert_contains " $purged " " $p " "$p is purged"
done
assert_not_contains " $purged " " linux-headers-6.1.0-21-common " \
	"linux-headers-6.1.0-21-common, which the kept amd64 and cloud headers use, stays"
assert_not_contains " $purged " " linux-kbuild-6.1 " "linux-kbuild-6.1 is no release's"

section "purge for real through apt-get"
assert_exit 0 pok --running=none --keep=1 -y
assert_installed linux-image-6.1.0-21-amd64 linux-image-6.1.0-21-cloud-amd64 \
	linux-headers-6.1.0-21-amd64 linux-headers-6.1.0-21-cloud-amd64 \
	linux-headers-6.1.0-21-common linux-kbuild-6.1 linux-base kmod
assert_purged linux-headers-6.1.0-21-common-rt linux-headers-6.1.0-22-common-rt \
	linux-kbuild-6.1.0-22 linux-image-6.1.0-21-rt-amd64 linux-image-6.1.0-20-amd64 \
	linux-headers-6.1.0-20-common linux-headers-6.1.0-20-common-rt
assert_exit 0 pok --list --running=none --keep=1
assert_contains "$out" "To purge: nothing." "a second run has nothing left to purge"

sandbox_finish
