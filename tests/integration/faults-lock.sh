#!/bin/sh
# Faults: the dpkg database is locked by another process (another apt-get,
# an unattended upgrade). The purge fails with apt-get's status and its
# message, changes nothing, and the next run, once the lock is free,
# completes the job. Two copies of the purge at once: one waits for or
# loses the lock, the database stays consistent, the job is done once.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init
command -v "$PYTHON" >/dev/null 2>&1 || skip "$PYTHON is needed to hold dpkg's lock"

section "setup: 6.8.0-{31,40,45}-generic, --keep=1 purges two releases"
ubuntu_release 6.8.0-31 generic
r31=$RELEASE_OWN
ubuntu_release 6.8.0-40 generic
r40=$RELEASE_OWN
ubuntu_release 6.8.0-45 generic
r45=$RELEASE_PKGS
dpkg_install


section "the database is locked: apt-get's failure, nothing changed"
hold_locks 600 "$ROOT/var/lib/dpkg/lock-frontend" "$ROOT/var/lib/dpkg/lock"
sum=$(status_sum)
run pok --keep=1 -y
assert_eq 100 "$rc" "exit 100, apt-get's status"
assert_match "$err" "lock" "the message names the lock"
assert_status_unchanged "$sum"
assert_installed $r31 $r40 $r45
run pok --keep=1 --dry-run
assert_eq 0 "$rc" "--dry-run needs no lock"
release_locks

section "the lock is free again: the next run completes the job"
assert_exit 0 pok --keep=1 -y
assert_purged $r31 $r40
assert_installed $r45
run "$DPKG" --root="$ROOT" --audit
assert_eq "" "$out" "dpkg --audit finds nothing"

section "two copies at once: the job is done once, the database consistent"
ubuntu_release 6.8.0-50 generic
r50=$RELEASE_PKGS
ubuntu_release 6.8.0-51 generic
r51=$RELEASE_PKGS
dpkg_install
pok --keep=1 -y </dev/null >"$SANDBOX_TMP/a.out" 2>&1 &
a=$!
pok --keep=1 -y </dev/null >"$SANDBOX_TMP/b.out" 2>&1 &
b=$!
rc_a=0
wait "$a" || rc_a=$?
rc_b=0
wait "$b" || rc_b=$?
sed 's/^/  a| /' "$SANDBOX_TMP/a.out"
sed 's/^/  b| /' "$SANDBOX_TMP/b.out"
say "  => exit $rc_a and $rc_b"
case "$rc_a $rc_b" in
"0 0" | "0 100" | "100 0" | "0 1" | "1 0") pass "one copy purged, the other did too or failed cleanly ($rc_a, $rc_b)" ;;
*) fail "one copy purged, the other did too or failed cleanly ($rc_a, $rc_b)" ;;
esac
run "$DPKG" --root="$ROOT" --audit
assert_eq "" "$out" "dpkg --audit finds nothing"
assert_exit 0 pok --keep=1 -y
assert_purged $r45 $(printf '%s\n' $r50 | grep -v '^linux-base$')
assert_installed $r51

sandbox_finish
