#!/bin/sh
# The apt hook (--hook): silent and cheap when no kernel package changed,
# one line when old kernels can go, exit 0 whatever happens (a broken
# configuration, no database), stdin left alone; run by the real apt-get
# from the shipped apt.conf.d snippet, which never fails the apt run; with
# AUTO=yes the old release is gone once apt let go of its lock.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
. "$top_srcdir/tests/lib/unattended.sh"
sandbox_init
R=6.8.0-45-generic

section "setup: 6.8.0-{31,40,45}-generic, 45 running"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_OWN
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_OWN
ubuntu_release 6.8.0-45 generic
dpkg_install

section "first run: no state file yet, so it looks, and 31 can go"
assert_exit 0 pok --running=$R --hook
assert_eq "" "$out" "nothing on stdout"
assert_stderr_lines 1
assert_match "$err" '^purge-old-kernels: 1 old kernel release \(6\.8\.0-31-generic\) can be purged, freeing [0-9.]+ KiB in /boot, [0-9.]+ KiB in all; run .sudo purge-old-kernels --root=' "the notice says what, how much /boot and in all, and the command"
assert_eq 1 "$(state_value purgeable)" "the state file says 1 release can go"
assert_eq "-rw-r--r--" "$(stat -c %A "$ROOT$STATE_FILE_REL")" "the state file is 0644"
assert_eq "drwxr-xr-x" "$(stat -c %A "$ROOT/run/purge-old-kernels")" "its directory is 0755"

section "no kernel changed: silent, and the state file is not even rewritten"
inode=$(stat -c %i "$ROOT$STATE_FILE_REL")
start=$(now_ms)
assert_exit 0 pok --running=$R --hook
took=$(($(now_ms) - start))
assert_eq "" "$out$err" "no output"
assert_eq "$inode" "$(stat -c %i "$ROOT$STATE_FILE_REL")" "the state file is the same file"
[ "$took" -lt 2000 ] && pass "returned in ${took} ms" || fail "returned in ${took} ms"

section "another package changed (dpkg wrote its database): still silent"
want_other vim 2:9.0.1378-2 section=editors /usr/bin/vim.basic:4096
dpkg_install
stamp=$(state_value stamp)
assert_exit 0 pok --running=$R --hook
assert_eq "" "$out$err" "no output"
[ "$stamp" != "$(state_value stamp)" ] && pass "the state file has the new stamp" \
	|| fail "the state file has the new stamp"

section "a new kernel: 6.8.0-48 (45 still running): 31 and 40 can go"
ubuntu_release 6.8.0-48 generic
dpkg_install
assert_exit 0 pok --running=$R --hook
assert_stderr_lines 1
assert_contains "$err" "2 old kernel releases (6.8.0-40-generic and 6.8.0-31-generic) can be purged"
assert_eq 2 "$(state_value purgeable)" "the state file says 2"
assert_installed $r31 $r40

section "stdin is never read (it is the user's terminal under apt)"
ubuntu_release 6.8.0-50 generic
dpkg_install
run sh -c 'printf "left for the next reader\n" | { "$1" --root="$2" --running="$3" --hook 2>/dev/null; cat; }' \
	sh "$POK" "$ROOT" "$R"
assert_eq 0 "$rc" "exit 0"
assert_eq "left for the next reader" "$out" "the hook left stdin to the next reader"

section "a broken configuration file: one warning, exit 0, nothing else"
conf "KEEP=1" "AUTO=maybe"
assert_exit 0 pok --running=$R --hook
assert_stderr_lines 1
assert_contains "$err" "purge-old-kernels.conf:2: AUTO must be yes or no, not 'maybe'"
assert_contains "$err" "the apt hook does nothing until it is fixed"
conf

section "no dpkg database at all: a warning, exit 0"
assert_exit 0 "$POK" --root="$SANDBOX_TMP" --hook
assert_stderr_lines 1
assert_contains "$err" "warning"

section "apt-get runs the shipped snippet after installing a kernel"
install_hook "$R"
ubuntu_release 6.8.0-51 generic
start=$(now_ms)
take_pending
assert_exit 0 apt_sandbox -y install $DEBS
took=$(($(now_ms) - start))
assert_contains "$err" "purge-old-kernels: 3 old kernel releases"
assert_contains "$err" "can be purged"
assert_not_contains "$out$err" "Problem executing scripts" "apt ran its hooks without trouble"
[ "$took" -lt 30000 ] && pass "apt-get did not stall (${took} ms)" || fail "apt-get stalled (${took} ms)"
assert_installed $r31 $r40

section "apt-get with another package and the snippet: the hook says nothing"
want_other nano 7.2-1 section=editors /bin/nano:2048
take_pending
assert_exit 0 apt_sandbox -y install $DEBS
assert_not_contains "$err" "purge-old-kernels" "no notice: no kernel changed"

section "apt-get with a broken configuration file: apt still succeeds"
conf "KEEP=lots"
ubuntu_release 6.8.0-52 generic
take_pending
assert_exit 0 apt_sandbox -y install $DEBS
assert_contains "$err" "KEEP must be a number from 0 to 1000, not 'lots'"
assert_not_contains "$out$err" "Problem executing scripts"
conf

section "apt-get with the program removed but not purged: apt still succeeds"
install_hook "$R" /nonexistent/sbin
want_other nano 7.2-2 section=editors /bin/nano:2048
take_pending
assert_exit 0 apt_sandbox -y install $DEBS
assert_not_contains "$out$err" "Problem executing scripts"

section "AUTO=yes, the hook given --keep=1: apt finishes at once, the purge follows outside apt"
install_hook "$R --keep=1"
conf "AUTO=yes" "TIMEOUT=60"
PURGE_OLD_KERNELS_LOG=$SANDBOX_TMP/auto.log
export PURGE_OLD_KERNELS_LOG
ubuntu_release 6.8.0-53 generic
start=$(now_ms)
take_pending
assert_exit 0 apt_sandbox -y install $DEBS
took=$(($(now_ms) - start))
unset PURGE_OLD_KERNELS_LOG
assert_match "$err" "purge-old-kernels: purging 6 old kernel releases .* once apt is done" "the notice says the purge follows"
[ "$took" -lt 30000 ] && pass "apt-get did not wait for the purge (${took} ms)" || fail "apt-get took ${took} ms"
assert_gone_later linux-image-6.8.0-31-generic 90
wait_for 60 grep -q "purged 6 old kernel releases" "$SANDBOX_TMP/auto.log" || true
log=$(cat "$SANDBOX_TMP/auto.log" 2>/dev/null || true)
printf '%s\n' "$log" | sed 's/^/  log: /'
assert_contains "$log" "purged 6 old kernel releases"
# The hook's --keep=1 reaches the purge it starts.
assert_purged $r31 $r40 linux-image-6.8.0-48-generic linux-image-6.8.0-50-generic \
	linux-image-6.8.0-51-generic linux-image-6.8.0-52-generic
assert_installed linux-image-6.8.0-53-generic linux-image-$R
assert_eq 0 "$(state_value purgeable)" "the state file says nothing is left"
assert_eq ok "$(state_value last_run)" "the state file has the purge as the last run"

sandbox_finish
