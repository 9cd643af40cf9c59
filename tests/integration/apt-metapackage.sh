#!/bin/sh
# Ubuntu's metapackages (linux-generic -> linux-image-generic and
# linux-headers-generic) pointing at a release older than the newest: with
# --keep=1 that release survives as "needed by ...", the plan is proved
# against apt-get, --list shows where apt's own kernel protection differs,
# and after a real purge through apt-get linux-generic is still installed.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

section "setup: 6.8.0-{31,40,44,45}-generic; linux-generic needs 6.8.0-40"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-44 generic; r44=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
ubuntu_meta generic 6.8.0-40
dpkg_install
apt_kernel_protection
metas="linux-generic linux-image-generic linux-headers-generic linux-firmware"
present=$(present_pkgs)

section "--list: 6.8.0-40 kept, needed by a metapackage; apt's view"
assert_exit 0 pok --list --keep=1
list=$out
assert_eq "" "$err" "nothing on stderr"
entry=$(list_entry "$list" 6.8.0-40-generic)
assert_match "$entry" 'KEEP +needed by linux-(image|headers)-generic' \
	"6.8.0-40 is kept, needed by a metapackage"
assert_match "$(list_entry "$list" 6.8.0-44-generic)" 'PURGE' "6.8.0-44 is purged"
assert_match "$(list_entry "$list" 6.8.0-31-generic)" 'PURGE' "6.8.0-31 is purged"
# dpkg installed everything here, so apt marks nothing automatic: apt
# autoremove removes no kernel but protects the two newest.
assert_match "$list" '^  6\.8\.0-45-generic +manual +protected \(apt.s kernel protection\)' \
	"apt's own protection: the newest"
assert_match "$list" '^  6\.8\.0-44-generic +manual +protected \(apt.s kernel protection\)' \
	"apt's own protection: the one before"
assert_match "$list" '^  6\.8\.0-40-generic +manual +never removes it: installed by hand' \
	"apt never autoremoves the release installed by hand"
assert_contains "$list" "Purged here but protected by apt: 6.8.0-44-generic." \
	"--keep=1 purges one apt would protect"

section "--json: proved by apt, reasons and apt's protection"
pok_json --list --keep=1
assert_plan "6.8.0-45-generic 6.8.0-40-generic" "6.8.0-31-generic 6.8.0-44-generic"
assert_match "$(json_query "$JSON" why 6.8.0-40-generic)" '^needed needed by linux-(image|headers)-generic' \
	"JSON: 6.8.0-40's reason is needed"
assert_json_purge "$r31 $r44"
proved=$("$PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1]))
print(d["proved_by_apt"], " ".join(sorted(r["name"] for r in d["releases"] if r["apt_protects"])))' "$JSON")
assert_eq "True 6.8.0-44-generic 6.8.0-45-generic" "$proved" \
	"JSON: proved_by_apt, and apt protects 6.8.0-44 and 6.8.0-45"

section "--dry-run: the metapackages' release is not in the plan"
assert_exit 0 pok --dry-run --keep=1
assert_not_contains "$out" "linux-image-6.8.0-40-generic" "6.8.0-40's image is not purged"
assert_contains "$out" "linux-image-6.8.0-44-generic"
assert_set "nothing changed by the dry run" "$present" "$(present_pkgs)"

section "purge for real: linux-generic stays installed"
assert_exit 0 pok --keep=1 -y
assert_installed linux-generic linux-image-generic linux-headers-generic
assert_remaining "$r40 $r45 $metas linux-base"

section "a second run has nothing to do"
assert_exit 0 pok --keep=1 -y
assert_contains "$out" "No kernels are eligible for removal."
assert_remaining "$r40 $r45 $metas linux-base"

sandbox_finish
