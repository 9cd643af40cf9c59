#!/bin/sh
# Cleaning an image (no kernel of it runs): --running=none keeps the newest N,
# two flavours of one ABI count as one version, and --keep=0 with no running
# kernel is refused (exit 1) before anything is removed.  With a running
# kernel, --keep=0 still keeps the newest complete release.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

section "setup: 6.8.0-{31,40}-generic, 6.8.0-45-generic and 6.8.0-45-lowlatency"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic; r45g=$RELEASE_PKGS
ubuntu_release 6.8.0-45 lowlatency; r45l=$RELEASE_PKGS
dpkg_install
before=$(status_sum)

section "--keep=0 with no running kernel is an error"
for args in "--keep=0 --running=none -y" "--keep=0 -y"; do
	# shellcheck disable=SC2086
	assert_exit 1 pok $args
	assert_stderr_lines 1
	assert_status_unchanged "$before" "nothing removed by: $args"
done

section "--keep=0 with a running kernel: it stays, and so does the newest complete release"
pok_json --dry-run --keep=0 --running=6.8.0-31-generic
assert_eq keep "$(json_query "$JSON" action 6.8.0-31-generic)" "6.8.0-31-generic (running) is kept"
assert_eq purge "$(json_query "$JSON" action 6.8.0-40-generic)" "6.8.0-40-generic is purged"
assert_contains "$(json_query "$JSON" releases keep)" "6.8.0-45-" "a 6.8.0-45 release is kept"

section "plan: --running=none --keep=1 keeps both flavours of 6.8.0-45"
pok_json --dry-run --running=none --keep=1
assert_plan "6.8.0-45-generic 6.8.0-45-lowlatency" "6.8.0-40-generic 6.8.0-31-generic"
assert_json_purge "$r31 $r40"

section "purge for real"
assert_exit 0 pok --running=none --keep=1 -y
assert_remaining "$r45g $r45l linux-base"

sandbox_finish
