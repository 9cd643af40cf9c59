#!/bin/sh
# Or-groups across releases. oot-driver depends on "linux-modules-R31 |
# linux-modules-R40": purging both releases would break it, so one of them
# is kept, named for it; apt agrees. acme-tool depends on
# "linux-image-R31 | linux-image-R45": the newest release stays, so
# purging 6.8.0-31 breaks nothing and blames no one. The real purge takes
# exactly the plan.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

section "setup: 6.8.0-{31,40,45}-generic; oot-driver and acme-tool with or-groups across releases"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
want_other acme-tool 1.0-1 section=misc \
	depends="linux-image-6.8.0-31-generic | linux-image-6.8.0-45-generic" \
	"/usr/bin/acme-tool:1024"
dpkg_install
apt_kernel_protection
others="acme-tool linux-base"

section "acme-tool alone: its or-group keeps an alternative, no release is kept for it"
pok_json --list --keep=1
assert_plan "6.8.0-45-generic" "6.8.0-31-generic 6.8.0-40-generic"
assert_json_purge "$r31 $r40"
assert_eq "True" "$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["proved_by_apt"])' "$JSON")" \
	"the plan is proved against apt-get"

section "oot-driver needs 6.8.0-31 or 6.8.0-40: one of them is kept for it"
dpkg_install "$(deb oot-driver 3.0-1 section=misc \
	depends="linux-modules-6.8.0-31-generic | linux-modules-6.8.0-40-generic" \
	"/usr/lib/oot-driver/README:1024")"
others="$others oot-driver"
run "$APT_GET" -s -o Dir="$ROOT" -o Dir::State::status="$ROOT/var/lib/dpkg/status" \
	remove --purge $r31 $r40
assert_contains "$out" "Purg oot-driver" "apt-get purging both releases takes oot-driver"
pok_json --list --keep=1
assert_plan "6.8.0-45-generic 6.8.0-40-generic" "6.8.0-31-generic"
assert_eq "needed needed by oot-driver (depends on linux-modules-6.8.0-40-generic)" \
	"$(json_query "$JSON" why 6.8.0-40-generic)" \
	"6.8.0-40, the newer alternative, is kept for oot-driver"
assert_json_purge "$r31"
assert_eq "True" "$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["proved_by_apt"])' "$JSON")" \
	"apt agrees: the plan is proved"

section "purge for real: apt-get takes exactly the plan"
assert_exit 0 pok --keep=1 -y
assert_contains "$out" "0 upgraded, 0 newly installed" "apt-get installed nothing"
assert_remaining "$r40 $r45 $others"

sandbox_finish
