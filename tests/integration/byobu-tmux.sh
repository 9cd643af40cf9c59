#!/bin/sh
# The Byobu status, as a Byobu user sees it: Debian's real byobu, running
# tmux inside an outer tmux whose pane is read with capture-pane, with the
# shipped custom status script (contrib/byobu) calling the program under
# test on the sandbox. Byobu's "custom" status passes a script's output to
# printf(1) as the format: the marker's "%" must come through as one "%",
# and nothing after it may be eaten. /boot is a small real tmpfs, below and
# above BOOT_WARN_PERCENT.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
. "$top_srcdir/tests/lib/unattended.sh"
sandbox_init
command -v byobu-tmux >/dev/null 2>&1 || skip "byobu is not installed (Debian: byobu)"
command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"
[ -r /usr/share/byobu/status/status ] || skip "byobu's default status file is missing"
R=6.8.0-45-generic

# Byobu and both tmux servers live in the sandbox; they are stopped before
# the sandbox goes. Each look at the status line starts from nothing: its
# own HOME (~/.byobu, ~/.cache/byobu) and its own USER, so Byobu's run-time
# cache (/dev/shm/byobu-$USER-*, the custom scripts' output and when they
# last ran) cannot be one a straggling status job of the previous look
# wrote after it was stopped. The caller's XDG_* and BYOBU_* are not
# passed on: Byobu would read its configuration there instead.
sockets=$SANDBOX_TMP/tmux
mkdir -p "$sockets/inner"
chmod 0700 "$sockets" "$sockets/inner"
byobu_prefix=pok-test-$$
look=0
stop_tmux() {
	TMUX_TMPDIR=$sockets tmux -L outer kill-server 2>/dev/null || :
	TMUX_TMPDIR=$sockets/inner tmux kill-server 2>/dev/null || :
	rm -rf /dev/shm/byobu-"$byobu_prefix"-*
}
trap 'byobu_rc=$?; stop_tmux; (exit $byobu_rc); sandbox__on_exit' EXIT

# The shipped script, its program the one under test on the sandbox.
wrapper=$SANDBOX_TMP/purge-old-kernels
printf '#!/bin/sh\nexec "%s" --root="%s" --running=%s "$@"\n' "$POK" "$ROOT" "$R" >"$wrapper"
chmod 0755 "$wrapper"
sed "s|@bindir@/purge-old-kernels|$wrapper|" "$top_srcdir/contrib/byobu/300_purge_old_kernels.in" >"$SANDBOX_TMP/300_purge_old_kernels"
# Byobu's default status, with "custom" enabled as the script's comment
# says (the tmux_right line of ~/.byobu/status).
sed '/^tmux_right=/s/#custom/custom/' /usr/share/byobu/status/status >"$SANDBOX_TMP/byobu-status"
grep -q '^tmux_right=".* custom ' "$SANDBOX_TMP/byobu-status" || die "could not enable custom in byobu's status"

# status_line PATTERN: the bottom line of the outer pane (the inner tmux's
# status line) once it matches the shell pattern PATTERN, within 90 s; on
# a timeout, the whole pane and Byobu's files are shown.
status_line() {
	stop_tmux
	look=$((look + 1))
	home=$SANDBOX_TMP/home-$look
	mkdir -p "$home/.byobu/bin"
	install -m 0755 "$SANDBOX_TMP/300_purge_old_kernels" "$home/.byobu/bin/300_purge_old_kernels"
	cp "$SANDBOX_TMP/byobu-status" "$home/.byobu/status"
	TMUX_TMPDIR=$sockets tmux -L outer new-session -d -x 220 -y 8 \
		"env -u TMUX -u XDG_CONFIG_HOME -u XDG_CACHE_HOME -u BYOBU_CONFIG_DIR -u BYOBU_RUN_DIR HOME=$home USER=$byobu_prefix-$look TMUX_TMPDIR=$sockets/inner LANG=C.UTF-8 byobu-tmux; sleep 600"
	i=0
	line=
	while [ $i -lt 180 ]; do
		line=$(TMUX_TMPDIR=$sockets tmux -L outer capture-pane -p | tail -n 1)
		# shellcheck disable=SC2254 # the pattern is the caller's
		case $line in
		$1) break ;;
		esac
		sleep 0.5
		i=$((i + 1))
	done
	say "status line: $line"
	if [ $i -ge 180 ]; then
		say "# no match for '$1' after 90 s; the pane:"
		TMUX_TMPDIR=$sockets tmux -L outer capture-pane -p | sed 's/^/#   /'
		say "# the custom script, run by hand:"
		HOME=$home "$home/.byobu/bin/300_purge_old_kernels" 2>&1 | sed 's/^/#   /' || :
		say "# Byobu's run-time files:"
		ls -la /dev/shm/byobu-"$byobu_prefix-$look"-* "$home/.cache/byobu" 2>&1 | sed 's/^/#   /' || :
	fi
}

section "setup: 6.8.0-{31,40,45}-generic, 45 running: 31 can go; /boot a 2 MiB tmpfs"
ubuntu_release 6.8.0-31 generic
ubuntu_release 6.8.0-40 generic
ubuntu_release 6.8.0-45 generic
mount_boot 2m || skip "cannot mount a tmpfs on the sandbox's /boot: $(cat "$SANDBOX_TMP/mount.err")"
dpkg_install
conf "BOOT_WARN_PERCENT=85"
pct=$(df -P "$ROOT/boot" | awk 'NR == 2 { sub(/%/, "", $5); print $5 }')
say "# /boot is $pct% full"

mark=$(printf '\342\214\253')
section "below BOOT_WARN_PERCENT: the count alone"
status_line "*${mark}[0-9]*"
assert_match "$line" "$(printf '\342\214\253')1 " "the marker: one release to purge"
case $line in
*/boot*) fail "no /boot figure below the threshold" ;;
*) pass "no /boot figure below the threshold" ;;
esac

section "above BOOT_WARN_PERCENT: /boot's use, its % intact"
dd if=/dev/zero of="$ROOT/boot/filler" bs=64k count=30 2>/dev/null || :
pct=$(df -P "$ROOT/boot" | awk 'NR == 2 { sub(/%/, "", $5); print $5 }')
say "# /boot is $pct% full"
[ "$pct" -ge 85 ] || die "/boot is only $pct% full"
status_line "*${mark}[0-9]* /boot *"
assert_match "$line" "$(printf '\342\214\253')1 /boot $pct% " "the marker: one release and /boot $pct%, then a space"
case $line in
*"$pct%#"* | *"$pct%["*) fail "Byobu's printf left no markup in the line" ;;
*) pass "Byobu's printf left no markup in the line" ;;
esac

sandbox_finish
