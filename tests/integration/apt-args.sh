#!/bin/sh
# Arguments the CLI does not know go to apt-get, in order, before
# "remove --purge": -s simulates; -o Debug::NoLocking=1 is accepted; a later
# -o overrides an earlier -s as it would for apt-get itself; after "--" even
# options the CLI knows (--dry-run) go to apt-get; apt-get's exit status is
# the CLI's.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

section "setup: 6.8.0-{31,40,45}-generic"
ubuntu_release 6.8.0-31 generic
ubuntu_release 6.8.0-40 generic
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
dpkg_install
present=$(present_pkgs)
before=$(status_sum)

# unchanged WHAT: nothing was removed and dpkg never ran.
unchanged() {
	assert_status_unchanged "$before" "$1: dpkg database unchanged"
	assert_set "$1: no package changed" "$present" "$(present_pkgs)"
	assert_eq 0 "$(apt_runs)" "$1: apt-get did not run dpkg"
}

section "-s: apt-get simulates"
assert_exit 0 pok --keep=1 -y -s
assert_contains "$out" "Purg linux-image-6.8.0-31-generic" "apt-get -s printed its simulation"
assert_contains "$out" "Purg linux-image-6.8.0-40-generic"
unchanged "-s"

section "-- --dry-run: apt-get's --dry-run, not the CLI's"
assert_exit 0 pok --keep=1 -y -- --dry-run
assert_contains "$out" "Purg linux-image-6.8.0-31-generic" "apt-get simulated"
unchanged "-- --dry-run"

section "order: -o APT::Get::Simulate=false -s still simulates (the last one wins)"
assert_exit 0 pok --keep=1 -y -o APT::Get::Simulate=false -s
assert_contains "$out" "Purg linux-image-6.8.0-31-generic" "apt-get simulated"
unchanged "-o ... -s"

section "apt-get's exit status is passed on: -- --frobnicate"
assert_exit 100 pok --keep=1 -y -- --frobnicate
unchanged "-- --frobnicate"

section "order: -s -o APT::Get::Simulate=false -o Debug::NoLocking=1 purges for real"
assert_exit 0 pok --keep=1 -y -s -o APT::Get::Simulate=false -o Debug::NoLocking=1
assert_remaining "$r45 linux-base"
if [ "$(apt_runs)" -gt 0 ]; then
	config=$(apt_last_config)
	assert_contains "$config" "Debug::NoLocking=1" "apt-get got -o Debug::NoLocking=1"
	cmdline=$(printf '%s\n' "$config" | sed -n 's/^CommandLine::AsString=//p' | sed 's/%20/ /g')
	assert_contains "$cmdline" " -y -s -o APT::Get::Simulate=false -o Debug::NoLocking=1 -o APT::Get::AutomaticRemove=false -o APT::Get::AutomaticRemove::Kernels=false remove --purge " \
		"the arguments reached apt-get in order, before the guard against autoremove and remove --purge"
else
	say "# the sandbox's apt hook did not run (APT_CONFIG not passed on?): command line not checked"
fi

sandbox_finish
