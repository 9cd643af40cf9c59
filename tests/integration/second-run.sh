#!/bin/sh
# After a purge there is nothing left to do: the second run says so, exits 0
# and runs no apt-get; with -q it prints nothing at all.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

section "setup: 6.8.0-{31,40,45}-generic"
ubuntu_release 6.8.0-31 generic
ubuntu_release 6.8.0-40 generic
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
dpkg_install

section "first run purges 31 and 40"
assert_exit 0 pok --keep=1 -y
assert_remaining "$r45 linux-base"
after=$(status_sum)
runs=$(apt_runs)

section "second run: nothing to do"
assert_exit 0 pok --keep=1 -y
assert_contains "$out" "No kernels are eligible for removal."
assert_status_unchanged "$after"
assert_eq "$runs" "$(apt_runs)" "apt-get did not run dpkg again"

section "second run with -q: silent"
assert_exit 0 pok -q --keep=1 -y
assert_eq "" "$out" "-q: nothing on stdout"
assert_eq "" "$err" "-q: nothing on stderr"

section "second dry run: nothing to do either"
assert_exit 0 pok --keep=1 --dry-run
assert_status_unchanged "$after"
assert_remaining "$r45 linux-base"

sandbox_finish
