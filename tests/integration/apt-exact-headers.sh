#!/bin/sh
# Vendor and DKMS-built module packages depend on exact headers:
# "linux-headers-R (= VERSION)". The release whose headers they need is
# kept ("needed by ...") when they are no member of it (a name that ends in
# no release; see dkms-structure.sh for one that does), a flavour-less
# headers package one depends on stays while the rest of its ABI goes, the
# plan is proved against apt-get, and the real purge through apt-get removes
# exactly the rest.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

section "setup: 6.8.0-{31,40,45}-generic; acme-modules needs 6.8.0-31's headers, exactly"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; own40=$RELEASE_OWN shared40=$RELEASE_SHARED
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
want_other acme-vendor-modules 2.1-1 section=misc \
	depends="linux-headers-6.8.0-31-generic (= 6.8.0-31.31)" \
	"/lib/modules/6.8.0-31-generic/updates/dkms/acme.ko:4096"
# A build helper that only needs 6.8.0-40's flavour-less headers tree.
want_other acme-build-6.8.0-40 2.1-1 section=misc \
	depends="linux-headers-6.8.0-40 (= 6.8.0-40.40)" "/usr/share/acme/build-6.8.0-40:1024"
dpkg_install
others="acme-vendor-modules acme-build-6.8.0-40 linux-base"
present=$(present_pkgs)
# flat TEXT: TEXT on one line, runs of blanks squeezed (--list wraps its WHY).
flat() { printf '%s\n' "$1" | tr -s ' \n' '  '; }

section "--list: 6.8.0-31 kept for acme-modules, 6.8.0-40 purged but its shared headers kept"
assert_exit 0 pok --list --keep=1
assert_eq "" "$err" "nothing on stderr"
assert_match "$(flat "$(list_entry "$out" 6.8.0-31-generic)")" \
	'KEEP +needed by +acme-vendor-modules' "6.8.0-31 is needed by acme-modules"
assert_match "$(list_entry "$out" 6.8.0-40-generic)" 'PURGE' "6.8.0-40 is purged"
assert_match "$(flat "$(list_entry "$out" linux-headers-6.8.0-40)")" \
	'KEEP +needed by +acme-build-6\.8\.0-40' "6.8.0-40's flavour-less headers are needed by acme-build"

section "--json: proved by apt; the purge list"
pok_json --dry-run --keep=1
assert_plan "6.8.0-45-generic 6.8.0-31-generic" "6.8.0-40-generic"
assert_json_purge "$own40"
assert_eq "True" "$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["proved_by_apt"])' "$JSON")" \
	"the plan is proved against apt-get"

section "purge for real"
assert_exit 0 pok --keep=1 -y
assert_contains "$out" "0 newly installed, $(printf '%s\n' $own40 | wc -l | tr -d ' ') to remove" \
	"apt-get removes exactly the plan and installs nothing"
assert_installed acme-vendor-modules acme-build-6.8.0-40 linux-headers-6.8.0-40
assert_remaining "$r31 $r45 $shared40 $others"

sandbox_finish
