#!/bin/sh
# Dependencies satisfied only through Provides, versioned and not: each
# release's linux-modules-ipu6-R provides ipu6-modules at the driver API it
# was built with (6.8.0-31: 2, 6.8.0-45: 3; 6.8.0-40 has none). cam-tool
# needs any ipu6-modules, which the newest release goes on providing:
# nothing to keep for it. cam-legacy needs "ipu6-modules (<< 3)", which
# only 6.8.0-31 provides: that release is kept for it. apt agrees (the plan
# is proved), and the real purge through apt-get takes and installs nothing
# else.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

# ipu6 R VERSION API: the release's ipu6 modules, providing ipu6-modules (= API).
ipu6() {
	want "linux-modules-ipu6-$1" "$2" source=linux-restricted-modules \
		provides="ipu6-modules (= $3)" depends="linux-modules-$1" \
		"/lib/modules/$1/updates/ipu6.ko:4096"
}

section "setup: 6.8.0-{31,40,45}-generic, ipu6 API 2 in 6.8.0-31 and 3 in 6.8.0-45"
ubuntu_release 6.8.0-31 generic; ipu6 6.8.0-31-generic 6.8.0-31.31 2; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic; ipu6 6.8.0-45-generic 6.8.0-45.45 3; r45=$RELEASE_PKGS
want_other cam-tool 2.1-1 section=video depends="ipu6-modules" "/usr/bin/cam-tool:2048"
dpkg_install
apt_kernel_protection
others="cam-tool linux-base"

section "--list --json, cam-tool alone: only the newest release is kept, proved by apt"
pok_json --list --keep=1
assert_plan "6.8.0-45-generic" "6.8.0-31-generic 6.8.0-40-generic"
assert_json_purge "$r31 $r40"
assert_eq "True" "$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["proved_by_apt"])' "$JSON")" \
	"the plan is proved against apt-get"

section "cam-legacy needs ipu6-modules (<< 3): only 6.8.0-31 provides it"
dpkg_install "$(deb cam-legacy 1.4-1 section=video depends="ipu6-modules (<< 3)" \
	"/usr/bin/cam-legacy:2048")"
others="$others cam-legacy"
run "$APT_GET" -s -o Dir="$ROOT" -o Dir::State::status="$ROOT/var/lib/dpkg/status" \
	remove --purge $r31
assert_contains "$out" "Purg cam-legacy" "apt-get purging 6.8.0-31 alone takes cam-legacy"
pok_json --list --keep=1
assert_plan "6.8.0-45-generic 6.8.0-31-generic" "6.8.0-40-generic"
assert_eq "needed needed by cam-legacy (depends on linux-modules-ipu6-6.8.0-31-generic)" \
	"$(json_query "$JSON" why 6.8.0-31-generic)" \
	"6.8.0-31 is kept for cam-legacy, through its versioned Provides"
assert_json_purge "$r40"

section "purge for real: apt-get takes exactly the plan"
assert_exit 0 pok --keep=1 -y
assert_contains "$out" "0 upgraded, 0 newly installed" "apt-get installed nothing"
assert_remaining "$r31 $r45 $others"

sandbox_finish
