#!/bin/sh
# apt and the plan read different databases: dpkg, interrupted while
# removing an out-of-tree module that needs an old release, left the
# removal in its updates/ journal. libdpkg reads the journal (the module is
# gone, the release can go); apt reads only the status file (the module is
# installed and needs the release). The proof must side with apt: the old
# release is kept, named for the module, and proved; a purge is refused
# (dpkg was interrupted) and changes nothing; after dpkg --configure -a
# folds the journal in, the release goes.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

section "setup: 6.8.0-{31,40,45}-generic; acme-dkms needs 6.8.0-31, its removal pending in dpkg's journal"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
want_other acme-dkms 1.0-1 conffile depends="linux-modules-6.8.0-31-generic" \
	"/usr/src/acme-1.0/acme.c:2048"
dpkg_install
apt_kernel_protection
# What dpkg -r writes first: the package's new state, in the journal.
awk '/^Package: acme-dkms$/ { p = 1 }
     p && /^Status:/ { $0 = "Status: deinstall ok config-files" }
     p { print } p && /^$/ { exit }' "$ROOT/var/lib/dpkg/status" \
	>"$ROOT/var/lib/dpkg/updates/0001"
grep -q '^Status: deinstall ok config-files' "$ROOT/var/lib/dpkg/updates/0001" \
	|| die "could not write the journal entry"
sum=$(status_sum)

section "the disagreement is real: apt-get, asked to purge 6.8.0-31 alone, takes acme-dkms"
run "$APT_GET" -s -o Dir="$ROOT" -o Dir::State::status="$ROOT/var/lib/dpkg/status" \
	remove --purge $r31
assert_contains "$out" "Purg acme-dkms" "apt-get -s purges acme-dkms with 6.8.0-31"
assert_eq rc "$(pkg_state acme-dkms)" "dpkg-query (journal read) sees acme-dkms in config-files state"

section "--list --json: 6.8.0-31 kept for acme-dkms by the proof, plan proved"
pok_json --list --keep=1
assert_plan "6.8.0-45-generic 6.8.0-31-generic" "6.8.0-40-generic"
assert_eq "needed needed by acme-dkms" "$(json_query "$JSON" why 6.8.0-31-generic)" \
	"6.8.0-31's reason names acme-dkms, as apt found it"
assert_json_purge "$r40"
assert_eq "True" "$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["proved_by_apt"])' "$JSON")" \
	"the amended plan is proved against apt-get"

section "a purge is refused while dpkg's journal is pending: nothing changes"
assert_exit 1 pok --keep=1 -y
assert_contains "$err" "dpkg was interrupted" "the refusal says why"
assert_status_unchanged "$sum" "the dpkg database and its journal are unchanged"
assert_eq 0 "$(apt_runs)" "apt-get never reached dpkg"

section "once dpkg folds its journal in, 6.8.0-31 goes too"
run "$DPKG" --root="$ROOT" --log="$ROOT/var/log/dpkg.log" --configure -a
assert_eq 0 "$rc" "dpkg --configure -a"
assert_exit 0 pok --keep=1 -y
assert_purged $r31 $r40
assert_rc acme-dkms
assert_remaining "$r45 linux-base acme-dkms:rc"

sandbox_finish
