#!/bin/sh
# Kernels built with make bindeb-pkg (linux-image-6.7.0-rc1+,
# linux-image-6.6.1-custom, -dbg packages) next to a Debian kernel: names with
# no flavour and a "+" (which apt-get reads as "install" unless the name
# exists), ordered by their release, not their package version.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

section "setup: custom 6.5.0-rc7+, 6.6.1-custom (with -dbg), 6.7.0-rc1+; Debian 6.1.0-18-amd64"
custom_release 6.5.0-rc7+; c65=$RELEASE_PKGS
custom_release 6.6.1-custom dbg; c661=$RELEASE_PKGS
custom_release 6.7.0-rc1+; c67=$RELEASE_PKGS
debian_release 6.1.0-18 amd64 ver=6.1.76-1 signed=6.1.76+1; d18=$RELEASE_PKGS
want linux-image-amd64 6.1.76+1 depends="linux-image-6.1.0-18-amd64"
# make bindeb-pkg builds its own linux-libc-dev: never a kernel.
want linux-libc-dev 6.7.0-rc1+-1 section=devel /usr/include/linux/version.h:512
dpkg_install
others="linux-base kmod linux-kbuild-6.1 linux-image-amd64 linux-libc-dev"

section "no running kernel, --keep=1: newest custom build kept, Debian kept for linux-image-amd64"
pok_json --dry-run --keep=1
assert_plan "6.7.0-rc1+ 6.1.0-18-amd64" "6.6.1-custom 6.5.0-rc7+"
assert_set "6.6.1-custom owns its image, -dbg and headers" \
	"$c661" "$(json_query "$JSON" packages 6.6.1-custom)"
assert_json_purge "$c661 $c65"

section "purge for real: running 6.1.0-18-amd64, --keep=1"
assert_exit 0 pok --running=6.1.0-18-amd64 --keep=1 -y
assert_remaining "$c67 $d18 $others"
assert_purged linux-image-6.5.0-rc7+ linux-image-6.6.1-custom-dbg

sandbox_finish
