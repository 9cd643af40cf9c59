#!/bin/sh
# As an unprivileged user (nobody): --dry-run and --list work; a purge fails
# with exit 1 and says root privileges are needed; nothing is removed.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init
id nobody >/dev/null 2>&1 || skip "no user 'nobody'"

section "setup: 6.8.0-{31,40,45}-generic, readable by everybody"
ubuntu_release 6.8.0-31 generic
ubuntu_release 6.8.0-40 generic
ubuntu_release 6.8.0-45 generic
dpkg_install
chmod -R a+rX "$SANDBOX_TMP"
present=$(present_pkgs)
before=$(status_sum)
as_user nobody test -r "$ROOT/var/lib/dpkg/status" \
	|| skip "nobody cannot read the sandbox under ${TMPDIR:-/tmp}"
as_user nobody test -x "$POK" || skip "nobody cannot run $POK"

section "--dry-run as nobody"
assert_exit 0 as_user nobody "$POK" --root="$ROOT" --keep=1 --dry-run
assert_contains "$out" "linux-image-6.8.0-31-generic" "the dry run names what it would purge"

section "--list and --list --json as nobody"
assert_exit 0 as_user nobody "$POK" --root="$ROOT" --keep=1 --list
assert_contains "$out" "6.8.0-45-generic"
assert_exit 0 as_user nobody "$POK" --root="$ROOT" --keep=1 --list --json
printf '%s\n' "$out" >"$SANDBOX_TMP/nobody.json"
assert_eq "" "$(json_query "$SANDBOX_TMP/nobody.json" valid || true)" "the JSON has the documented shape"

section "a purge as nobody fails: exit 1, root privileges needed"
assert_exit 1 as_user nobody "$POK" --root="$ROOT" --keep=1 -y
assert_match "$err" 'root|privilege|permission' "the message says root privileges are needed"
assert_stderr_lines 1

section "nothing changed"
assert_status_unchanged "$before"
assert_set "no package changed" "$present" "$(present_pkgs)"
assert_eq 0 "$(apt_runs)" "apt-get never ran dpkg"

sandbox_finish
