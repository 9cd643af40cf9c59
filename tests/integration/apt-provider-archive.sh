#!/bin/sh
# A replacement provider in an archive: cam-tool depends on the virtual
# package ipu6-modules, which only the old release's linux-modules-ipu6-R
# provides; cam-daemon on "ipu6-dkms | ipu6-modules"; and a local file:
# archive (in the sandbox's sources.list, fetched with apt-get update)
# offers ipu6-dkms, which provides ipu6-modules too. apt-get, asked to
# purge that release, would take cam-tool along and install ipu6-dkms for
# cam-daemon; the plan keeps the release for them, the proof agrees, and
# the real purge through apt-get installs and takes nothing.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

apt_sandbox() {
	"$APT_GET" -o Dir="$ROOT" -o Dir::State::status="$ROOT/var/lib/dpkg/status" "$@"
}

section "setup: 6.8.0-{31,40,45}-generic; 6.8.0-31's ipu6 modules provide ipu6-modules for cam-tool"
ubuntu_release 6.8.0-31 generic
want linux-modules-ipu6-6.8.0-31-generic 6.8.0-31.31 source=linux-restricted-modules \
	provides="ipu6-modules" depends="linux-modules-6.8.0-31-generic" \
	"/lib/modules/6.8.0-31-generic/updates/ipu6.ko:4096"
r31=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
want_other cam-tool 2.1-1 section=video depends="ipu6-modules" "/usr/bin/cam-tool:2048"
want_other cam-daemon 2.1-1 section=video depends="ipu6-dkms | ipu6-modules" \
	"/usr/sbin/cam-daemon:2048"
dpkg_install
apt_kernel_protection

section "setup: a file: archive offering ipu6-dkms (Provides: ipu6-modules)"
repo=$SANDBOX_TMP/repo
mkdir -p "$repo"
cp "$(deb ipu6-dkms 1.0-1 arch=all section=misc provides="ipu6-modules" \
	"/usr/src/ipu6-1.0/ipu6.c:2048")" "$repo/ipu6-dkms_1.0-1_all.deb"
(cd "$repo" && dpkg-scanpackages --multiversion . /dev/null >Packages 2>/dev/null) \
	|| die "dpkg-scanpackages failed"
printf 'deb [trusted=yes] file:%s ./\n' "$repo" >"$ROOT/etc/apt/sources.list"
run apt_sandbox update
assert_eq 0 "$rc" "apt-get update reads the file: archive"
present=$(present_pkgs)

section "the trap is real: apt-get purging 6.8.0-31 alone installs ipu6-dkms, takes cam-tool"
run apt_sandbox -s remove --purge $r31
assert_contains "$out" "Inst ipu6-dkms" "apt-get -s installs the replacement provider for cam-daemon"
assert_contains "$out" "Purg cam-tool" "apt-get -s takes cam-tool along"

section "--list --json: 6.8.0-31 kept for the camera packages, proved by apt"
pok_json --list --keep=1
assert_plan "6.8.0-45-generic 6.8.0-31-generic" "6.8.0-40-generic"
assert_match "$(json_query "$JSON" why 6.8.0-31-generic)" \
	'^needed needed by cam-(tool|daemon) \(depends on linux-modules-ipu6-6\.8\.0-31-generic\)$' \
	"6.8.0-31 is kept for the camera packages, through what it provides"
assert_json_purge "$r40"
assert_eq "True" "$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["proved_by_apt"])' "$JSON")" \
	"the plan is proved against apt-get"

section "apt-get's own simulation of the plan installs nothing"
assert_exit 0 pok --keep=1 -y -s
assert_not_contains "$out" "Inst " "apt-get -s installs nothing"
assert_set "the simulation changed nothing" "$present" "$(present_pkgs)"

section "purge for real: nothing installed, the camera packages and 6.8.0-31 stay"
assert_exit 0 pok --keep=1 -y
assert_contains "$out" "0 upgraded, 0 newly installed" "apt-get installed nothing"
assert_purged ipu6-dkms $r40
assert_remaining "$r31 $r45 cam-tool cam-daemon linux-base"

sandbox_finish
