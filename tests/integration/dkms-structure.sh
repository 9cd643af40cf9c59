#!/bin/sh
# Out-of-tree, DKMS-style module packages built per release:
# acme-dkms-modules-R depends on R's image and ships its module under
# /lib/modules/R/updates/dkms: a member of R, purged with R through the real
# apt-get.  acme-dkms-notes-R, tied to R by nothing, stays outside every
# release; acme-dkms-tool, which depends on a kept release's image, stays.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

section "setup: 6.1.0-{25,26,27}-amd64 (Debian), each with acme-dkms-modules-R"
debian_release 6.1.0-25 amd64 signed=6.1.106+3 ver=6.1.106-3 no-headers; r25=$RELEASE_PKGS
debian_release 6.1.0-26 amd64 signed=6.1.112+1 ver=6.1.112-1 no-headers; r26=$RELEASE_PKGS
debian_release 6.1.0-27 amd64 signed=6.1.115+1 ver=6.1.115-1 no-headers; r27=$RELEASE_PKGS
for n in 25 26 27; do
	r=6.1.0-$n-amd64
	want_other "acme-dkms-modules-$r" 1.4-1+$n section=misc \
		depends="linux-image-$r" "/lib/modules/$r/updates/dkms/acme.ko:8192"
done
# Tied to 6.1.0-25-amd64 by neither files nor dependencies.
want_other acme-dkms-notes-6.1.0-25-amd64 1.4-1 section=misc arch=all \
	/usr/share/doc/acme-dkms-notes/README:512
want_other acme-dkms-tool 1.4-1 section=misc depends="linux-image-6.1.0-27-amd64" \
	/usr/bin/acme-tool:1024
dpkg_install
before=$(status_sum)

section "plan: --keep=1 purges 6.1.0-25 and 6.1.0-26 with their acme modules"
pok_json --dry-run --running=none --keep=1
assert_plan "6.1.0-27-amd64" "6.1.0-25-amd64 6.1.0-26-amd64"
assert_json_purge "$r25 $r26 acme-dkms-modules-6.1.0-25-amd64 acme-dkms-modules-6.1.0-26-amd64"
assert_set "6.1.0-26-amd64 lists its acme modules" \
	"$r26 acme-dkms-modules-6.1.0-26-amd64" "$(json_query "$JSON" packages 6.1.0-26-amd64)"
assert_status_unchanged "$before" "a dry run changes nothing"
assert_exit 0 pok --list --running=none --keep=1
assert_contains "$out" "acme-dkms-modules-6.1.0-25-amd64: of 6.1.0-25-amd64, by its files" \
	"--list names the DKMS package and how it was recognised"
assert_not_contains "$out" "acme-dkms-notes" "the notes package is no member"

section "purge for real through apt-get"
assert_exit 0 pok --running=none --keep=1 -y
assert_remaining "$r27 acme-dkms-modules-6.1.0-27-amd64 acme-dkms-notes-6.1.0-25-amd64 acme-dkms-tool linux-base kmod"
for n in 25 26; do
	f=/lib/modules/6.1.0-$n-amd64/updates/dkms/acme.ko
	if [ -e "$ROOT$f" ]; then fail "$f removed"; else pass "$f removed"; fi
done

sandbox_finish
