#!/bin/sh
# In a container the running kernel is the host's, which is not installed in
# the system being cleaned: the newest N installed releases are kept and
# nothing breaks.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

section "setup: 6.8.0-{31,40,45}-generic; the 'host' runs 6.8.0-99-azure / 5.4.0-1-generic"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
dpkg_install
before=$(status_sum)

section "--list with a running kernel that is not installed"
assert_exit 0 pok --list --running=6.8.0-99-azure
assert_status_unchanged "$before"

for running in 6.8.0-99-azure 5.4.0-1-generic; do
	section "plan: running $running (not installed), --keep=2"
	pok_json --dry-run --running="$running" --keep=2
	assert_plan "6.8.0-45-generic 6.8.0-40-generic" "6.8.0-31-generic"
	assert_eq absent "$(json_query "$JSON" action "$running")" \
		"the running release is not listed as installed"
	assert_json_purge "$r31"
done

section "purge for real"
assert_exit 0 pok --running=6.8.0-99-azure --keep=2 -y
assert_remaining "$r40 $r45 linux-base"

sandbox_finish
