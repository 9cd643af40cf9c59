#!/bin/sh
# Restricted modules: linux-modules-nvidia-535-R and linux-modules-extra-R
# depend on "linux-image-R | linux-image-unsigned-R", and an archive offers
# linux-image-unsigned-R. Purging an image alone would make apt-get install
# the unsigned one; the plan purges each release's whole family, the proof
# finds apt installing nothing, and after the real purge nothing new is
# installed and exactly the kept releases remain.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

# nvidia R VERSION: the restricted modules of release R, as Ubuntu builds them.
nvidia() {
	want "linux-objects-nvidia-535-$1" "$2" source=linux-restricted-modules \
		"/usr/lib/linux/objects/nvidia-535/$1/nv-kernel.o_binary:8192"
	want "linux-signatures-nvidia-$1" "$2" source=linux-restricted-modules \
		"/usr/lib/linux/signatures/$1/nvidia.ko.sig:1024"
	want "linux-modules-nvidia-535-$1" "$2" source=linux-restricted-modules \
		depends="linux-image-$1 | linux-image-unsigned-$1, linux-signatures-nvidia-$1 (= $2), linux-objects-nvidia-535-$1 (= $2)" \
		"/lib/modules/$1/kernel/nvidia-535/nvidia.ko:16384"
}

section "setup: 6.8.0-{31,40,45}-generic with nvidia 535 modules; 6.8.0-31 also has its unsigned image"
ubuntu_release 6.8.0-31 generic; nvidia 6.8.0-31-generic 6.8.0-31.31
want "linux-image-unsigned-6.8.0-31-generic" 6.8.0-31.31 source=linux \
	depends="linux-modules-6.8.0-31-generic" "/boot/vmlinuz-6.8.0-31-generic.unsigned:4096"
r31=$RELEASE_PKGS own31=$RELEASE_OWN
ubuntu_release 6.8.0-40 generic; nvidia 6.8.0-40-generic 6.8.0-40.40; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic; nvidia 6.8.0-45-generic 6.8.0-45.45; r45=$RELEASE_PKGS
# The driver's metapackage follows the newest kernel; it is no kernel.
want_other linux-modules-nvidia-535-generic 6.8.0-45.45 source=linux-restricted-modules \
	depends="linux-modules-nvidia-535-6.8.0-45-generic"
want_other nvidia-kernel-common-535 535.183.01-0ubuntu1 section=non-free/libs \
	"/usr/share/nvidia/common:1024"
dpkg_install
apt_kernel_protection
for r in 6.8.0-31-generic 6.8.0-40-generic 6.8.0-45-generic; do
	v=${r%-generic}; v=$v.${v##*-}
	archive_offer "linux-image-unsigned-$r" "$v" "linux-modules-$r"
done
others="linux-modules-nvidia-535-generic nvidia-kernel-common-535 linux-base"
present=$(present_pkgs)

section "the trap is real: apt-get purging an image alone installs the unsigned one"
run "$APT_GET" -s -o Dir="$ROOT" -o Dir::State::status="$ROOT/var/lib/dpkg/status" \
	remove --purge linux-image-6.8.0-40-generic
assert_contains "$out" "Inst linux-image-unsigned-6.8.0-40-generic" \
	"apt-get -s remove --purge linux-image-6.8.0-40-generic installs the unsigned image"

section "--list --json: whole families purged, proved by apt"
pok_json --list --keep=1
assert_plan "6.8.0-45-generic" "6.8.0-31-generic 6.8.0-40-generic"
assert_json_purge "$r31 $r40"
assert_eq "True" "$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["proved_by_apt"])' "$JSON")" \
	"the plan is proved against apt-get"
assert_set "the 6.8.0-31 release has all its packages, unsigned image too" \
	"$own31" "$(json_query "$JSON" packages 6.8.0-31-generic)"

section "--list: no warning; reasons shown"
assert_exit 0 pok --list --keep=1
assert_eq "" "$err" "nothing on stderr"
assert_match "$(list_entry "$out" 6.8.0-40-generic)" 'PURGE +older than' "6.8.0-40 is purged as old"

section "apt-get itself, asked to simulate the plan, installs nothing"
assert_exit 0 pok --keep=1 -y -s
assert_not_contains "$out" "Inst " "apt-get's simulation installs nothing"
assert_contains "$out" "0 newly installed" "apt-get says so"
assert_set "the simulation changed nothing" "$present" "$(present_pkgs)"

section "purge for real: nothing installed, exactly the newest release left"
assert_exit 0 pok --keep=1 -y
assert_contains "$out" "0 upgraded, 0 newly installed" "apt-get installed nothing"
assert_purged linux-image-unsigned-6.8.0-40-generic linux-image-unsigned-6.8.0-45-generic
assert_remaining "$r45 $others"

sandbox_finish
