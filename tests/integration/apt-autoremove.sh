#!/bin/sh
# apt-get's autoremove must not take more than the proved plan (issue 11,
# item 1). As on every Ubuntu machine, the kernels (and an unrelated
# package) are marked automatically installed, with apt-mark pointed at the
# sandbox. APT::Get::AutomaticRemove set in the APT_CONFIG file, forwarded
# as -o, or as --autoremove, makes the real `apt-get remove` autoremove
# too; the proof must see the same configuration, and the purge must take
# exactly the plan: never the --protect'ed release, one of the N newest,
# or the unrelated package. --auto and --fix's apt-get step likewise; a -c
# file is read where it stands, and --no-remove makes the proof refuse, as
# apt-get would.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
. "$top_srcdir/tests/lib/unattended.sh"
sandbox_init

APT_MARK=${APT_GET%apt-get}apt-mark
[ "$APT_MARK" != "$APT_GET" ] && command -v "$APT_MARK" >/dev/null 2>&1 \
	|| APT_MARK=apt-mark
command -v "$APT_MARK" >/dev/null 2>&1 || skip "apt-mark not found"

section "setup: 6.8.0-{31,35,38,40,45}-generic, acme-tool; all marked auto"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-35 generic; r35=$RELEASE_PKGS
ubuntu_release 6.8.0-38 generic; r38=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
want_other acme-tool 1.0 /usr/bin/acme-tool:1024
dpkg_install
# apt protects the two newest kernels (01autoremove), so what autoremove
# would take beyond the plan is 6.8.0-31 (--protect), 6.8.0-38 (one of the
# 3 newest) and acme-tool.
apt_kernel_protection
auto_pkgs=$(present_pkgs | tr ' ' '\n' | grep -v '^linux-base$' | tr '\n' ' ')
"$APT_MARK" -o Dir="$ROOT" -o Dir::State::status="$ROOT/var/lib/dpkg/status" \
	auto $auto_pkgs >/dev/null || die "apt-mark auto failed"
grep -q '^Package: acme-tool$' "$ROOT/var/lib/apt/extended_states" \
	|| die "apt-mark did not write the sandbox's extended_states"
cp -a "$ROOT" "$SANDBOX_TMP/root.orig"
plan_r35=$(printf '%s\n' $r35 | grep -v '^linux-base$' | tr '\n' ' ')
# The packages that must stay whatever apt-get is told.
kept="$r31 $r38 $r40 $r45 acme-tool linux-base"
set -- --running=6.8.0-45-generic --keep=3 --protect=6.8.0-31-generic

restore() {
	rm -rf "$ROOT"
	cp -a "$SANDBOX_TMP/root.orig" "$ROOT"
}

# check_case WHAT ARG...: with apt-get's ARGs forwarded, the dry run's plan
# is proved and purges only 6.8.0-35; the purge takes exactly that.
check_case() {
	local what="$1"
	shift
	restore
	pok_json "$@" --dry-run
	assert_contains "$out" '"proved_by_apt": true' "$what: the plan is proved"
	assert_plan "6.8.0-31-generic 6.8.0-38-generic 6.8.0-40-generic 6.8.0-45-generic" \
		"6.8.0-35-generic"
	assert_json_purge $plan_r35
	assert_exit 0 pok "$@" -y
	assert_remaining "$kept"
	assert_purged $plan_r35
	restore
}

section "APT::Get::AutomaticRemove \"true\" in the APT_CONFIG file"
saved_config=$(cat "$APT_CONFIG")
printf 'APT::Get::AutomaticRemove "true";\n' >>"$APT_CONFIG"
check_case "APT_CONFIG" "$@"
section "the command that would run neutralises it, after the user's arguments"
restore
assert_exit 0 pok "$@" --dry-run -o Debug::NoLocking=1
assert_contains "$(printf '%s\n' "$out" | tr -d '\\\n')" \
	"-o Debug::NoLocking=1 -o APT::Get::AutomaticRemove=false" \
	"the dry run shows -o APT::Get::AutomaticRemove=false after the user's -o"

section "--auto with AUTO=yes purges the plan and nothing else"
conf "AUTO=yes" "KEEP=3" "PROTECT=6.8.0-31-generic"
: >"$SANDBOX_TMP/auto.log"
assert_exit 0 env PURGE_OLD_KERNELS_LOG="$SANDBOX_TMP/auto.log" \
	"$POK" --root="$ROOT" --running=6.8.0-45-generic --auto
assert_remaining "$kept"
assert_not_contains "$(cat "$SANDBOX_TMP/auto.log")" "is not installed" \
	"--auto does not find its protected release gone"
conf
restore

section "--fix: apt-get's step succeeds on a healthy system"
assert_exit 0 pok "$@" --fix
assert_remaining "$kept"
restore
printf '%s\n' "$saved_config" >"$APT_CONFIG"

section "-o APT::Get::AutomaticRemove=1 forwarded"
check_case "-o" "$@" -o APT::Get::AutomaticRemove=1

section "--autoremove forwarded"
check_case "--autoremove" "$@" --autoremove

section "-o APT::Get::AutomaticRemove::Kernels=true forwarded"
check_case "-o ...::Kernels" "$@" -o APT::Get::AutomaticRemove::Kernels=true

section "-c FILE forwarded, the file setting APT::Get::AutomaticRemove"
printf 'APT::Get::AutomaticRemove "true";\n' >"$SANDBOX_TMP/autoremove.conf"
check_case "-c" "$@" -c "$SANDBOX_TMP/autoremove.conf"

section "--no-remove forwarded: the proof sees that apt-get would refuse"
sum=$(status_sum)
runs=$(apt_runs)
assert_exit 1 pok "$@" -y --no-remove
assert_contains "$err" "remove is disabled" "the proof says why apt-get would refuse"
assert_contains "$err" "nothing was removed" "and that nothing was removed"
assert_status_unchanged "$sum" "--no-remove: dpkg database unchanged"
assert_eq "$runs" "$(apt_runs)" "--no-remove: apt-get did not run dpkg"
pok_json "$@" --no-remove --dry-run
assert_contains "$out" '"proved_by_apt": false' "--no-remove: the dry run is not proved"

sandbox_finish
