#!/bin/sh
# --status=byobu and --status=prometheus: as a plain user, from the state
# file root's runs keep (even when the user cannot read the dpkg
# database), from the database when there is no state file or it is old;
# Byobu's colours and character sets; nothing when all is well; the
# shipped Byobu script; metrics in node_exporter's text format.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
. "$top_srcdir/tests/lib/unattended.sh"
sandbox_init
id nobody >/dev/null 2>&1 || skip "no user 'nobody'"
command -v "$PYTHON" >/dev/null 2>&1 || skip "$PYTHON is needed to read the metrics"
R=6.8.0-45-generic
unset BYOBU_BACKEND BYOBU_CHARMAP MONOCHROME NO_COLOR LC_ALL LC_CTYPE

# status FORMAT [ENV...]: --status=FORMAT as nobody, with ENV, in tmux.
status() {
	local format="$1"
	shift
	run as_user nobody env LANG=C.UTF-8 BYOBU_BACKEND=tmux "$@" \
		"$POK" --root="$ROOT" --running=$R --status="$format"
}

section "setup: 6.8.0-{31,40,45}-generic, 45 running: 31 can go"
ubuntu_release 6.8.0-31 generic
ubuntu_release 6.8.0-40 generic
ubuntu_release 6.8.0-45 generic
dpkg_install
chmod -R a+rX "$SANDBOX_TMP"
as_user nobody test -r "$ROOT/var/lib/dpkg/status" \
	|| skip "nobody cannot read the sandbox under ${TMPDIR:-/tmp}"

section "no state file: from the dpkg database, as nobody"
status byobu BYOBU_CHARMAP=UTF-8
assert_eq 0 "$rc" "exit 0"
assert_eq "#[fg=black,bg=yellow]$(printf '\342\214\253')1#[default]" "$out" "the marker: one release to purge"
assert_eq "" "$err" "nothing on stderr"
[ ! -e "$ROOT$STATE_FILE_REL" ] && pass "a plain user writes no state file" \
	|| fail "a plain user writes no state file"

section "character sets and colours"
status byobu
assert_eq "#[fg=black,bg=yellow]$(printf '\342\214\253')1#[default]" "$out" "UTF-8 from the locale"
status byobu LANG=C
assert_eq "#[fg=black,bg=yellow]K1#[default]" "$out" "ASCII in the C locale"
status byobu BYOBU_CHARMAP=ANSI_X3.4-1968
assert_eq "#[fg=black,bg=yellow]K1#[default]" "$out" "ASCII when Byobu says so"
status byobu BYOBU_BACKEND=screen
assert_eq "K1" "$out" "screen: no tmux markup, no UTF-8"
status byobu NO_COLOR=1 LANG=C
assert_eq "K1" "$out" "NO_COLOR"
status byobu MONOCHROME=1 LANG=C
assert_eq "K1" "$out" "Byobu's MONOCHROME"

section "root keeps the state file; nobody reads it, also without read access to dpkg's database"
chmod 0600 "$ROOT/var/lib/dpkg/status"
assert_exit 0 pok --running=$R --status=byobu
assert_eq 1 "$(state_value purgeable)" "root's run wrote the state file"
assert_eq "-rw-r--r--" "$(stat -c %A "$ROOT$STATE_FILE_REL")" "the state file is 0644"
status byobu LANG=C
assert_eq "#[fg=black,bg=yellow]K1#[default]" "$out" "the marker from the state file"
status prometheus
assert_eq 0 "$rc" "--status=prometheus from the state file"
chmod 0644 "$ROOT/var/lib/dpkg/status"

section "the state file is old (a new kernel, no root run since): from the database"
ubuntu_release 6.8.0-48 generic
dpkg_install
chmod -R a+rX "$SANDBOX_TMP"
status byobu LANG=C
assert_eq "#[fg=black,bg=yellow]K2#[default]" "$out" "two releases to purge now"

section "nothing to purge: no output"
conf "KEEP=5"
chmod -R a+rX "$SANDBOX_TMP"
status byobu LANG=C
assert_eq 0 "$rc" "exit 0"
assert_eq "" "$out" "empty output"

section "/boot nearly full (BOOT_WARN_PERCENT=1): its use, in alarm colours"
conf "KEEP=5" "BOOT_WARN_PERCENT=1"
status byobu LANG=C
assert_match "$out" '^#\[fg=brightwhite,bold,bg=red\]/boot [0-9]+%%#\[default\]$' "/boot's use alone"
conf "BOOT_WARN_PERCENT=1"
status byobu LANG=C
assert_match "$out" '^#\[fg=brightwhite,bold,bg=red\]K2 /boot [0-9]+%%#\[default\]$' "the count and /boot's use"

section "a broken configuration does not break the status line"
conf "KEEP=many"
status byobu LANG=C
assert_eq 0 "$rc" "exit 0"
assert_eq "#[fg=black,bg=yellow]K2#[default]" "$out" "the defaults"
conf

section "the shipped Byobu script (~/.byobu/bin/300_purge_old_kernels)"
script=$top_builddir/contrib/byobu/300_purge_old_kernels
if [ -x "$script" ]; then
	mkdir -p "$SANDBOX_TMP/home/.byobu/bin"
	sed "s|^pok=.*|pok=$POK; set -- --root=$ROOT --running=$R|; s|\"\$pok\" --status|\"\$pok\" \"\$@\" --status|" \
		"$script" >"$SANDBOX_TMP/home/.byobu/bin/300_purge_old_kernels"
	chmod 0755 "$SANDBOX_TMP/home/.byobu/bin/300_purge_old_kernels"
	chmod -R a+rX "$SANDBOX_TMP"
	run as_user nobody env LANG=C BYOBU_BACKEND=tmux "$SANDBOX_TMP/home/.byobu/bin/300_purge_old_kernels"
	assert_eq 0 "$rc" "exit 0"
	assert_eq "#[fg=black,bg=yellow]K2#[default]" "$out" "the marker"
	sed "s|^pok=.*|pok=/nonexistent/purge-old-kernels|" "$script" >"$SANDBOX_TMP/gone"
	run sh "$SANDBOX_TMP/gone"
	assert_eq "0:" "$rc:$out$err" "the program removed: nothing, exit 0"
else
	fail "$script is built"
fi

section "--status=prometheus: node_exporter's text format"
status prometheus
assert_eq 0 "$rc" "exit 0"
printf '%s\n' "$out" >"$SANDBOX_TMP/metrics.prom"
if why=$(prometheus_check "$SANDBOX_TMP/metrics.prom"); then
	pass "well-formed"
else
	fail "well-formed"
	say "$why"
fi
m=$SANDBOX_TMP/metrics.prom
assert_eq 2 "$(prometheus_value "$m" purge_old_kernels_purgeable_releases)" "2 releases to purge"
assert_eq 4 "$(prometheus_value "$m" purge_old_kernels_installed_releases)" "4 installed"
assert_match "$(prometheus_value "$m" purge_old_kernels_purgeable_boot_bytes)" '^[1-9][0-9]*$' "bytes under /boot"
assert_match "$(prometheus_value "$m" purge_old_kernels_boot_size_bytes)" '^[1-9][0-9]*$' "/boot's size"
assert_not_contains "$out" "apt_" "none of apt_info's metrics"

section "usage errors"
assert_exit 2 pok --status=json
assert_contains "$err" "--status takes byobu or prometheus, not 'json'"
assert_exit 2 pok --status=byobu --list
assert_exit 2 pok --status=byobu -y
assert_exit 2 pok --hook --auto

sandbox_finish
