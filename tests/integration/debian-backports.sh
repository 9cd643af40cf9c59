#!/bin/sh
# Debian 12 with backports kernels: signed images versioned like 6.1.76+1,
# linux-image-R-unsigned, flavour-less linux-headers-ABI-common and
# linux-support-ABI, per-ABI linux-kbuild-6.5.0-0.deb12.N of backports, and
# the shared linux-kbuild-6.1, which belongs to no release and must stay.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

section "setup: 6.1.0-{17,18}-amd64, backports 6.5.0-0.deb12.{1,4}-amd64, linux-image-amd64 from backports"
debian_release 6.1.0-17 amd64 ver=6.1.69-1 support; d17=$RELEASE_PKGS d17own=$RELEASE_OWN
debian_release 6.1.0-18 amd64 ver=6.1.76-1 signed=6.1.76+1 support; d18=$RELEASE_PKGS
debian_release 6.5.0-0.deb12.1 amd64 ver=6.5.3-1~bpo12+1; b1=$RELEASE_PKGS
debian_release 6.5.0-0.deb12.4 amd64 ver=6.5.10-1~bpo12+1 signed=6.5.10+1~bpo12+1; b4=$RELEASE_PKGS
want linux-image-amd64 6.5.10+1~bpo12+1 source=linux-signed-amd64 \
	depends="linux-image-6.5.0-0.deb12.4-amd64"
want linux-headers-amd64 6.5.10-1~bpo12+1 source=linux \
	depends="linux-headers-6.5.0-0.deb12.4-amd64"
dpkg_install
say "# 6.1.0-17: $d17"
say "# 6.5.0-0.deb12.1: $b1"
others="linux-base kmod linux-kbuild-6.1 linux-image-amd64 linux-headers-amd64"
assert_installed linux-image-6.1.0-17-amd64-unsigned linux-image-6.1.0-18-amd64 linux-kbuild-6.1

section "plan: running 6.1.0-18-amd64 (signed), --keep=1"
pok_json --dry-run --running=6.1.0-18-amd64 --keep=1
assert_plan "6.1.0-18-amd64 6.5.0-0.deb12.4-amd64" "6.1.0-17-amd64 6.5.0-0.deb12.1-amd64"
assert_json_purge "$d17 $b1"
assert_set "6.1.0-17-amd64 lists its unsigned image and headers" \
	"$d17own" "$(json_query "$JSON" packages 6.1.0-17-amd64)"

section "purge for real"
assert_exit 0 pok --running=6.1.0-18-amd64 --keep=1 -y
assert_remaining "$d18 $b4 $others"

section "no running kernel, --keep=1: 6.1.0-18 goes, linux-kbuild-6.1 stays"
pok_json --dry-run --keep=1
assert_plan "6.5.0-0.deb12.4-amd64" "6.1.0-18-amd64"
assert_json_purge "$d18"
assert_exit 0 pok --keep=1 -y
assert_remaining "$b4 $others"
assert_installed linux-kbuild-6.1 linux-kbuild-6.5.0-0.deb12.4

sandbox_finish
