#!/bin/sh
# Releases left in config-files (rc) state after "apt remove": purged, and
# never counted among the N kept versions, even when newer than every
# installed release.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

section "setup: 6.8.0-{31,40,45} installed; 6.8.0-20 and 6.8.0-50 (newest) removed, in rc state"
ubuntu_release 6.8.0-20 generic conffile; rc20=$RELEASE_PKGS
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
ubuntu_release 6.8.0-50 generic conffile; rc50=$RELEASE_PKGS
dpkg_install
mark_rc $rc20 $rc50
assert_rc linux-image-6.8.0-50-generic linux-image-6.8.0-20-generic

section "plan: --keep=2 keeps 45 and 40; the rc releases are purged"
pok_json --dry-run --keep=2
assert_plan "6.8.0-45-generic 6.8.0-40-generic" \
	"6.8.0-50-generic 6.8.0-31-generic 6.8.0-20-generic"
assert_json_purge "$rc20 $r31 $rc50"

section "purge for real: nothing left in rc state"
assert_exit 0 pok --keep=2 -y
assert_remaining "$r40 $r45 linux-base"
assert_purged $rc20 $rc50

sandbox_finish
