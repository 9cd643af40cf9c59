#!/bin/sh
# When apt-get fails, say what it means for the purge (issue 11, item 9):
# the kernel packages are compared before and after. "n" at apt-get's
# prompt, a busy lock, an unreadable -c file: nothing changed, and the
# message says nothing was purged (for the lock, how to wait for it), not
# that the purge may be incomplete. A failure half-way lists what is left.
# And the pre-flight's advice comes from the kind of problem, not from its
# words: an unmet dependency on a package named like a dpkg state is
# apt-get's to repair.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init
command -v "$PYTHON" >/dev/null 2>&1 || skip "$PYTHON is needed to hold dpkg's lock"

section "setup: 6.8.0-{31,40,45}-generic, --keep=1 purges two releases"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_OWN
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_OWN
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
dpkg_install
set -- --running=6.8.0-45-generic --keep=1

# unchanged WHAT: the dpkg database is as it was.
unchanged() {
	assert_status_unchanged "$sum" "$1: dpkg database unchanged"
	assert_installed $r31 $r40 $r45
}

# nothing_purged WHAT: the message says nothing was purged, not that the
# purge may be incomplete.
nothing_purged() {
	assert_match "$err" "nothing was (purged|removed)" "$1: says nothing was purged"
	assert_not_contains "$err" "may be incomplete" "$1: does not say the purge may be incomplete"
}

section "\"n\" at apt-get's prompt"
sum=$(status_sum)
say "\$ printf 'n\\n' | pok $*"
rc=0
printf 'n\n' | pok "$@" >"$SANDBOX_TMP/out" 2>"$SANDBOX_TMP/err" || rc=$?
out=$(cat "$SANDBOX_TMP/out"); err=$(cat "$SANDBOX_TMP/err")
sed 's/^/  | /' "$SANDBOX_TMP/out"; sed 's/^/  ! /' "$SANDBOX_TMP/err"
assert_eq 1 "$rc" "exit 1, apt-get's status"
assert_contains "$out" "Do you want to continue?" "apt-get asked"
nothing_purged "answer n"
unchanged "answer n"

section "-c /nonexistent"
run pok "$@" -y -c /nonexistent
assert_eq 1 "$rc" "exit 1"
assert_contains "$err" "/nonexistent" "the message names the file"
nothing_purged "-c /nonexistent"
unchanged "-c /nonexistent"

section "a busy lock: nothing purged; wait, or DPkg::Lock::Timeout"
hold_locks 120 "$ROOT/var/lib/dpkg/lock-frontend" "$ROOT/var/lib/dpkg/lock"
run pok "$@" -y
release_locks
assert_eq 100 "$rc" "exit 100, apt-get's status"
nothing_purged "busy lock"
assert_contains "$err" "DPkg::Lock::Timeout=SECONDS" "suggests waiting with -o DPkg::Lock::Timeout"
unchanged "busy lock"

section "APT::Get::Simulate \"true\" in apt's configuration: apt-get exits 0, removes nothing; not 'Purged'"
saved_config=$(cat "$APT_CONFIG")
printf 'APT::Get::Simulate "true";\n' >>"$APT_CONFIG"
sum=$(status_sum)
run pok "$@" -y
printf '%s\n' "$saved_config" >"$APT_CONFIG"
assert_eq 0 "$rc" "exit 0, apt-get's status: simulating is what apt was configured to do"
assert_contains "$err" "apt-get removed nothing: it only simulated (APT::Get::Simulate in apt's configuration" "says apt-get removed nothing, and the likely why"
nothing_purged "APT::Get::Simulate"
assert_not_contains "$out" "Purged " "no 'Purged' summary"
unchanged "APT::Get::Simulate"

section "the pre-flight: an unmet dependency on trigger-tools is apt-get's to repair"
want_other acme-dkms 1.0 depends="trigger-tools"
dpkg_install_broken() {
	"$DPKG" --root="$ROOT" --log="$ROOT/var/log/dpkg.log" --force-depends \
		-i $SANDBOX_PENDING >"$SANDBOX_TMP/dpkg-install.log" 2>&1 \
		|| { cat "$SANDBOX_TMP/dpkg-install.log" >&2; die "dpkg -i --force-depends failed"; }
	SANDBOX_PENDING=
	SANDBOX_PENDING_NAMES=' '
}
dpkg_install_broken
sum=$(status_sum)
run pok "$@" -y
assert_eq 1 "$rc" "a purge on a broken system is refused"
assert_contains "$err" "acme-dkms depends on trigger-tools" "names the unmet dependency"
assert_contains "$err" "-f install' as root" "advises apt-get -f install"
assert_not_contains "$err" "--configure -a" "does not advise dpkg --configure -a"
unchanged "unmet dependency"

sandbox_finish
