#!/bin/sh
# The apt module (lib/apt-load.c): libapt-pkg is loaded only when the plan
# is proved, never for --status or --hook; a missing, foreign or (as root)
# untrusted module refuses a purge (exit 1, nothing removed) and leaves a
# shown plan unchecked, with a message that names the file and what to do.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init
: "${KPURGE_APT_MODULE:?tests/local.mk exports the build tree module}"
MODULE=$KPURGE_APT_MODULE
R=6.8.0-45-generic

section "setup: 6.8.0-{31,45}-generic, 45 running: 31 can go"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
dpkg_install
before=$(present_pkgs)

section "the program does not link libapt-pkg or libstdc++"
needed=$(LC_ALL=C readelf -d "$POK" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
say "# NEEDED: $needed"
assert_not_contains "$needed" "libapt-pkg" "no libapt-pkg among the program's libraries"
assert_not_contains "$needed" "libstdc++" "no libstdc++ among the program's libraries"
assert_contains "$needed" "libc.so" "readelf saw the program's libraries"

# loaded CMD...: the shared objects the dynamic loader opened for CMD
# (glibc's LD_DEBUG=files, written to a file of its own).
loaded() {
	rm -f "$SANDBOX_TMP"/ld.*
	LD_DEBUG=files LD_DEBUG_OUTPUT="$SANDBOX_TMP/ld" "$@" >/dev/null 2>&1 || true
	cat "$SANDBOX_TMP"/ld.* 2>/dev/null | sed -n 's/.*file=\([^ ]*\) .*\[0\];  *needed by.*/\1/p;s/.*file=\([^ ]*\) .*\[0\];  *dynamically loaded by.*/\1/p' \
		| sort -u | tr '\n' ' '
}

section "what each path loads"
l=$(loaded "$POK" --root="$ROOT" --running=$R --status=byobu)
say "# --status=byobu: $l"
assert_contains "$l" "libc.so" "LD_DEBUG shows what --status loads"
assert_not_contains "$l" "kpurge-apt" "--status does not load the apt module"
assert_not_contains "$l" "libapt-pkg" "--status does not load libapt-pkg"
l=$(loaded "$POK" --root="$ROOT" --running=$R --version)
assert_not_contains "$l" "libapt-pkg" "--version does not load libapt-pkg"
l=$(loaded "$POK" --root="$ROOT" --running=$R --dry-run)
say "# --dry-run: $l"
# As root, from the descriptor the trust walk opened (lib/apt-load.c).
assert_match "$l" "/proc/self/fd/[0-9]+ " "--dry-run loads the apt module, from its descriptor, to prove the plan"
assert_contains "$l" "libapt-pkg" "--dry-run loads libapt-pkg through it"

section "a missing module: a purge is refused, nothing removed"
KPURGE_APT_MODULE=$SANDBOX_TMP/no-such-module.so
export KPURGE_APT_MODULE
assert_exit 1 pok --running=$R --keep=0 -y
assert_contains "$err" "cannot load the apt module: $SANDBOX_TMP/no-such-module.so" \
	"the message names the missing file"
assert_contains "$err" "reinstall purge-old-kernels" "the message says what to do"
assert_contains "$err" "nothing was removed" "the message says nothing was removed"
assert_eq "$before" "$(present_pkgs)" "every package is still installed"

section "a missing module: a dry run shows the plan unchecked"
assert_exit 0 pok --running=$R --keep=0 --dry-run
assert_contains "$out" "6.8.0-31-generic" "the plan is shown"
assert_contains "$err" "the plan is shown unchecked" "and said to be unchecked"

section "a missing module: --status and --hook do not need it"
assert_exit 0 pok --running=$R --status=prometheus
assert_eq "" "$err" "--status: nothing on stderr"
assert_contains "$out" "purge_old_kernels" "--status prints its metrics"
l=$(loaded env KPURGE_APT_MODULE="$MODULE" "$POK" --root="$ROOT" --running=$R --hook)
assert_not_contains "$l" "libapt-pkg" "--hook does not load libapt-pkg"
assert_exit 0 pok --running=$R --keep=0 --hook
assert_not_contains "$err" "apt module" "--hook: no word of the module"

section "a file that is not our module: refused"
KPURGE_APT_MODULE=$(ldd "$POK" | sed -n 's/.*=> \(\/[^ ]*libpopt[^ ]*\) .*/\1/p')
[ -n "$KPURGE_APT_MODULE" ] || KPURGE_APT_MODULE=$(ldd "$POK" | sed -n 's/.*=> \(\/[^ ]*libc\.so[^ ]*\) .*/\1/p')
say "# a shared library of the system: $KPURGE_APT_MODULE"
assert_exit 1 pok --running=$R --keep=0 -y
assert_contains "$err" "does not belong to libkpurge" "a foreign library is refused"
assert_eq "$before" "$(present_pkgs)" "every package is still installed"

section "as root, a module others could change: refused"
mkdir -p "$SANDBOX_TMP/open"
cp "$MODULE" "$SANDBOX_TMP/open/writable.so"
chmod 0666 "$SANDBOX_TMP/open/writable.so"
KPURGE_APT_MODULE=$SANDBOX_TMP/open/writable.so
assert_exit 1 pok --running=$R --keep=0 -y
assert_contains "$err" "KPURGE_APT_MODULE names $KPURGE_APT_MODULE, which is not a file only root can change" \
	"a module everybody can write is not loaded"
chmod 0644 "$SANDBOX_TMP/open/writable.so"
chmod 0777 "$SANDBOX_TMP/open"
assert_exit 1 pok --running=$R --keep=0 -y
assert_contains "$err" "is a directory others can change" \
	"a module in a directory everybody can write is not loaded"
chmod 1777 "$SANDBOX_TMP/open"
assert_exit 0 pok --running=$R --keep=0 --dry-run
assert_not_contains "$err" "KPURGE_APT_MODULE" "a sticky directory, like /tmp, is fine"
assert_eq "$before" "$(present_pkgs)" "every package is still installed"

section "the right module: the purge goes through apt-get"
KPURGE_APT_MODULE=$MODULE
assert_exit 0 pok --running=$R --keep=0 -y
assert_remaining "$r45 linux-base"

sandbox_finish
