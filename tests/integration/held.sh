#!/bin/sh
# Held packages: a release with any package on hold is kept (reason "held"),
# however old, and nothing held is ever handed to apt-get.  --protect keeps a
# release the same way, and can be given more than once.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

section "setup: 6.8.0-{31,35,38,40,45}-generic; image of 31 and headers of 35 on hold"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-35 generic; r35=$RELEASE_PKGS
ubuntu_release 6.8.0-38 generic; r38=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
dpkg_install
hold linux-image-6.8.0-31-generic linux-headers-6.8.0-35-generic
assert_held linux-image-6.8.0-31-generic linux-headers-6.8.0-35-generic

section "--list says the held releases are kept because of the hold"
assert_exit 0 pok --list --keep=1
for r in 6.8.0-31-generic 6.8.0-35-generic; do
	assert_match "$(list_entry "$out" "$r")" 'hold|held' "--list: $r is kept, held"
done

section "plan: --keep=1"
pok_json --dry-run --keep=1
assert_plan "6.8.0-45-generic 6.8.0-31-generic 6.8.0-35-generic" \
	"6.8.0-40-generic 6.8.0-38-generic"
for r in 6.8.0-31-generic 6.8.0-35-generic; do
	assert_match "$(json_query "$JSON" why "$r")" 'hold|held' "JSON: $r kept, held"
done
assert_json_purge "$r38 $r40"

section "--protect: one, then two releases"
pok_json --dry-run --keep=1 --protect=6.8.0-40-generic
assert_plan "6.8.0-45-generic 6.8.0-40-generic 6.8.0-31-generic 6.8.0-35-generic" \
	"6.8.0-38-generic"
assert_match "$(json_query "$JSON" why 6.8.0-40-generic)" 'protect' "JSON: 6.8.0-40 kept, protected"
before=$(status_sum)
assert_exit 0 pok --keep=1 --protect=6.8.0-40-generic --protect=6.8.0-38-generic -y
assert_contains "$out" "No kernels are eligible for removal."
assert_status_unchanged "$before"

section "purge for real"
assert_exit 0 pok --keep=1 -y
assert_remaining "$r31 $r35 $r45 linux-base"
assert_held linux-image-6.8.0-31-generic linux-headers-6.8.0-35-generic

sandbox_finish
