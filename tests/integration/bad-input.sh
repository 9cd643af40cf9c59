#!/bin/sh
# Bad input is refused before anything changes: usage errors exit 2, other
# errors (missing root, corrupt status file, interrupted dpkg) exit 1; each
# prints one line on stderr and leaves the dpkg database as it was.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

section "setup: 6.8.0-{31,40,45}-generic (two purgeable releases with --keep=1)"
ubuntu_release 6.8.0-31 generic
ubuntu_release 6.8.0-40 generic
ubuntu_release 6.8.0-45 generic
dpkg_install
present=$(present_pkgs)
check_present=1

# refused CODE CMD...: CMD exits CODE with one line on stderr, changing nothing.
refused() {
	code=$1
	shift
	sum=$(status_sum)
	runs=$(apt_runs)
	assert_exit "$code" "$@"
	assert_stderr_lines 1 "one line on stderr"
	assert_status_unchanged "$sum"
	assert_eq "$runs" "$(apt_runs)" "apt-get did not run dpkg"
	# dpkg-query cannot read a corrupt database, and it applies the journal.
	[ "$check_present" = 0 ] || assert_set "no package changed" "$present" "$(present_pkgs)"
}

section "usage errors: exit 2"
refused 2 pok --keep=-1 -y
refused 2 pok --keep=abc -y
refused 2 pok --keep= -y
refused 2 pok --keep=99999999999999999999 -y
refused 2 pok --frobnicate -y
refused 2 pok --dry-run --frobnicate
refused 2 pok frobnicate -y
refused 2 pok --running= --keep=1 -y

section "missing root directory: exit 1"
missing=/nonexistent
[ ! -e "$missing" ] || missing=$SANDBOX_TMP/nonexistent
refused 1 "$POK" --root="$missing" --keep=1 -y
refused 1 "$POK" --root="$missing" --list

section "corrupt status file: exit 1"
check_present=0
cp "$ROOT/var/lib/dpkg/status" "$SANDBOX_TMP/status.good"
printf 'Package: broken-entry\nStatus: install ok installed\nthis line is not a field\n\n' \
	>>"$ROOT/var/lib/dpkg/status"
refused 1 pok --keep=1 -y
refused 1 pok --keep=1 --dry-run
cp "$SANDBOX_TMP/status.good" "$ROOT/var/lib/dpkg/status"

section "dpkg was interrupted (a pending updates/ journal entry): exit 1"
# The journal entry dpkg writes while configuring a package.
awk '/^Package: linux-image-6.8.0-31-generic$/ { p = 1 }
     p && /^Status:/ { $0 = "Status: install ok half-configured" }
     p { print } p && /^$/ { exit }' "$ROOT/var/lib/dpkg/status" \
	>"$ROOT/var/lib/dpkg/updates/0001"
[ -s "$ROOT/var/lib/dpkg/updates/0001" ] || die "could not write the journal entry"
refused 1 pok --keep=1 -y
if [ -s "$ROOT/var/lib/dpkg/updates/0001" ]; then
	pass "the journal entry is still there"
else
	fail "the journal entry is still there"
fi
rm -f "$ROOT/var/lib/dpkg/updates/0001"
check_present=1

section "the sandbox still works after all that"
assert_exit 0 pok --keep=1 --dry-run

sandbox_finish
