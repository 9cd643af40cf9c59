#!/bin/sh
# Messages that tell the truth about a purge: apt-get's -s is announced as
# a simulation, not as "Purging"; -qq (apt-get's, which makes us quiet too)
# silences our summary; a real purge ends by saying what it purged and
# freed; --keep=0 with no running kernel names --running as the way out;
# the command the hook and --auto suggest keeps the plan's options.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init
R=6.8.0-45-generic

section "setup: 6.8.0-{31,40,45}-generic, 45 running"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic
dpkg_install
before=$(status_sum)

section "apt-get -s: a simulation, said so"
assert_exit 0 pok --running=$R --keep=1 -s
assert_contains "$out" "Simulating the purge of 10 packages of 2 old kernel releases" \
	"-s announces a simulation"
assert_not_contains "$out" "Purging" "-s does not say Purging"
assert_not_contains "$out" "Purged " "-s claims nothing was purged"
assert_status_unchanged "$before" "-s removed nothing"

section "-qq: no summary of ours"
assert_exit 0 pok --running=$R --keep=1 -s -qq
assert_not_contains "$out" "Simulating" "-qq: no announcement"
assert_not_contains "$out" "old kernel release" "-qq: no summary of ours (apt-get's own Purg lines aside)"

section "--keep=0 with no running kernel: the way out is --running"
assert_exit 1 pok --keep=0 -y
assert_contains "$err" "--running=RELEASE" "the error names --running=RELEASE"
assert_status_unchanged "$before" "nothing removed"

section "the hook's and --auto's suggested command keeps the plan's options"
# The command they name must make the plan they describe: --running and a
# --protect given on the command line included (KEEP and PROTECT of the
# configuration file the suggested command reads again by itself).
assert_exit 0 pok --running=$R --keep=1 --protect=6.8.0-40-generic --hook
assert_contains "$err" "1 old kernel release (6.8.0-31-generic) can be purged" "the hook's notice"
assert_contains "$err" "run 'sudo purge-old-kernels --root=$ROOT --running=$R --keep=1 --protect=6.8.0-40-generic'" \
	"the hook suggests the command of this plan"
assert_exit 0 env PURGE_OLD_KERNELS_LOG=stderr "$POK" --root="$ROOT" --running=$R --keep=1 --protect=6.8.0-40-generic --auto
assert_contains "$err" "run 'sudo purge-old-kernels --root=$ROOT --running=$R --keep=1 --protect=6.8.0-40-generic' to purge them" \
	"--auto suggests the command of this plan, as the hook words it"
assert_status_unchanged "$before" "nothing removed by the hook or --auto"

section "a real purge ends with what it purged and freed"
assert_exit 0 pok --running=$R --keep=1 -y
assert_contains "$out" "Purging 10 packages of 2 old kernel releases" "the purge is announced"
assert_match "$out" "^Purged 10 packages of 2 old kernel releases \\(freed [0-9.]+ [KMGT]?i?B\\)\\.$" \
	"and its end says what was purged and freed"
assert_purged $r31 $r40

sandbox_finish
