#!/bin/sh
# Running the program from its build tree: without KPURGE_APT_MODULE it
# finds the module beside it (BUILD/lib/kpurge-apt.so for BUILD/cli/
# purge-old-kernels), as root only when the trust walk accepts it; a build
# tree another user owns is refused with what to do (build as root, or make
# install). The installed program is not affected (tests/check-install.sh).
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init
: "${KPURGE_APT_MODULE:?tests/local.mk exports the build tree module}"
MODULE=$KPURGE_APT_MODULE
unset KPURGE_APT_MODULE
command -v useradd >/dev/null 2>&1 || skip "useradd is needed for a build tree of another user"
R=6.8.0-45-generic

section "setup: 6.8.0-{31,45}-generic, 45 running: 31 can go; a copy of the build tree's program and module"
ubuntu_release 6.8.0-31 generic
ubuntu_release 6.8.0-45 generic
dpkg_install
build=$SANDBOX_TMP/build
mkdir -p "$build/cli" "$build/lib"
cp "$POK" "$build/cli/purge-old-kernels"
cp "$MODULE" "$build/lib/kpurge-apt.so"
chmod 0755 "$SANDBOX_TMP" "$build" "$build/cli" "$build/lib"
B=$build/cli/purge-old-kernels

section "root's build tree: the module beside the program proves the plan"
run "$B" --root="$ROOT" --running=$R --dry-run --json
assert_eq 0 "$rc" "exit 0"
assert_contains "$out" '"proved_by_apt": true' "proved by apt, with no KPURGE_APT_MODULE"
assert_not_contains "$err" "cannot load the apt module" "no complaint about the module"

section "another user's build tree: refused, and what to do is said"
user=kpb$$
useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
trap 'kpb_rc=$?; userdel "$user" 2>/dev/null || :; (exit $kpb_rc); sandbox__on_exit' EXIT
chown -R "$user" "$build"
run "$B" --root="$ROOT" --running=$R --dry-run --json
assert_eq 0 "$rc" "--dry-run: exit 0, the plan shown unchecked"
assert_contains "$out" '"proved_by_apt": false' "not proved: the module is not loaded"
assert_contains "$err" "$build/lib/kpurge-apt.so" "the message names the module"
assert_contains "$err" "build as root, or make install" "and says what to do"
before=$(status_sum)
run "$B" --root="$ROOT" --running=$R -y
assert_eq 1 "$rc" "a purge: exit 1"
assert_status_unchanged "$before" "nothing removed"
chown -R root "$build"
userdel "$user" 2>/dev/null || :
trap sandbox__on_exit EXIT

sandbox_finish
