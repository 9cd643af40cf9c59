#!/bin/sh
# Ubuntu with mainline kernels from kernel.ubuntu.com (unsigned images,
# ABIs like 6.6.1-060601): a release candidate (6.7.0-060700rc1) sorts
# before its final release (6.7.0-060700), although plain dpkg rules say
# "060700rc1" > "060700".
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

section "setup: Ubuntu 6.5.0-14-generic, mainline 6.6.1-060601, 6.7.0-060700rc1, 6.7.0-060700"
ubuntu_release 6.5.0-14 generic; u14=$RELEASE_PKGS
mainline_release 6.6.1-060601 generic; m661=$RELEASE_PKGS
mainline_release 6.7.0-060700rc1 generic; mrc=$RELEASE_PKGS mrcown=$RELEASE_OWN
mainline_release 6.7.0-060700 generic; m670=$RELEASE_PKGS
dpkg_install

section "--keep=1 keeps the final 6.7.0, not the release candidate"
pok_json --dry-run --keep=1
assert_plan "6.7.0-060700-generic" \
	"6.7.0-060700rc1-generic 6.6.1-060601-generic 6.5.0-14-generic"
assert_set "the rc release lists its unsigned image, modules and headers" \
	"$mrcown" "$(json_query "$JSON" packages 6.7.0-060700rc1-generic)"

section "--keep=3: rc1 is newer than 6.6.1"
pok_json --dry-run --keep=3
assert_plan "6.7.0-060700-generic 6.7.0-060700rc1-generic 6.6.1-060601-generic" \
	"6.5.0-14-generic"

section "purge for real: running 6.6.1-060601-generic, --keep=1"
pok_json --dry-run --running=6.6.1-060601-generic --keep=1
assert_json_purge "$mrc $u14"
assert_exit 0 pok --running=6.6.1-060601-generic --keep=1 -y
assert_remaining "$m661 $m670 linux-base"

sandbox_finish
