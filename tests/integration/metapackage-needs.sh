#!/bin/sh
# linux-generic -> linux-image-generic -> linux-image-6.8.0-31-generic: the
# release a metapackage depends on is kept however old (purging it would
# remove the metapackage and stop kernel updates).
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

section "setup: 6.8.0-{31,40,45}-generic; linux-generic needs 6.8.0-31"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
ubuntu_meta generic 6.8.0-31
dpkg_install
metas="linux-generic linux-image-generic linux-headers-generic linux-firmware"

section "plan: --keep=1"
pok_json --dry-run --keep=1
assert_plan "6.8.0-45-generic 6.8.0-31-generic" "6.8.0-40-generic"
assert_match "$(json_query "$JSON" why 6.8.0-31-generic)" 'linux-(image-|headers-)?generic|meta|depend|need' \
	"JSON: 6.8.0-31 kept because a package depends on it"
assert_json_purge "$r40"

section "purge for real: the metapackages stay"
assert_exit 0 pok --keep=1 -y
assert_remaining "$r31 $r45 $metas linux-base"

sandbox_finish
