#!/bin/sh
# The periodic job (--auto): silent with nothing to do; AUTO=no logs what
# could go and purges nothing; AUTO=yes purges, logs what it freed and
# exports node_exporter metrics; a busy apt lock makes it give up cleanly
# (exit 0); a second copy leaves the work to the first; a broken
# configuration and a plain user are errors; the job writes journal lines
# only when JOURNAL_STREAM is exactly "DEVICE:INODE" of its stderr; its
# report goes to syslog when something listens there, else to stderr.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
. "$top_srcdir/tests/lib/unattended.sh"
sandbox_init
command -v "$PYTHON" >/dev/null 2>&1 || skip "$PYTHON is needed to hold apt's lock"
unshare --mount true 2>/dev/null || skip "unshare --mount is needed for a private /dev (syslog there or not)"
R=6.8.0-45-generic
LOG=$SANDBOX_TMP/auto.log
unset JOURNAL_STREAM

# auto ARG...: --auto on the sandbox, logging to $LOG (emptied first).
auto() {
	: >"$LOG"
	PURGE_OLD_KERNELS_LOG=$LOG "$POK" --root="$ROOT" --running=$R --auto "$@"
}
logged() { cat "$LOG"; }

section "setup: 6.8.0-{31,40,45}-generic, 45 running; node_exporter's directory"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_OWN
ubuntu_release 6.8.0-40 generic
ubuntu_release 6.8.0-45 generic
dpkg_install
mkdir -p "$ROOT/var/lib/prometheus/node-exporter"
runs=$(apt_runs)

section "AUTO unset (no): the job logs what could go, purges nothing, prints nothing"
assert_exit 0 auto
assert_eq "" "$out$err" "nothing on stdout or stderr"
assert_contains "$(logged)" "1 old kernel release (6.8.0-31-generic) can be purged"
assert_contains "$(logged)" "AUTO is not yes in $ROOT$sysconfdir/purge-old-kernels.conf"
assert_contains "$(logged)" "can be purged, freeing " "in the words of the hook's notice"
assert_contains "$(logged)" "nothing was purged: run 'sudo purge-old-kernels --root=$ROOT --running=$R' to purge them" \
	"and the command as the hook words it"
assert_installed $r31
assert_eq "$runs" "$(apt_runs)" "apt-get did not run dpkg"
assert_eq ok "$(state_value last_run)" "the state file has a clean last run"

# in_private_dev SYSLOG CMD...: CMD in a mount namespace of its own whose
# /dev holds null, zero, urandom, random, full and tty, and, with SYSLOG
# "listening", a syslog socket whose messages go to $SANDBOX_TMP/syslog;
# with "none", no /dev/log (a container's). The host's /dev is untouched.
in_private_dev() {
	local mode="$1"
	shift
	: >"$SANDBOX_TMP/syslog"
	cat >"$SANDBOX_TMP/private-dev.sh" <<'SH'
set -e
mode=$1 tmp=$2
shift 2
mount --make-rprivate /
mkdir -p "$tmp/dev-orig"
mount --bind /dev "$tmp/dev-orig"
mount -t tmpfs -o mode=0755 pok-test-dev /dev
for n in null zero urandom random full tty; do
	: >"/dev/$n"
	mount --bind "$tmp/dev-orig/$n" "/dev/$n"
done
if [ "$mode" = listening ]; then
	"$PYTHON" -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
open(sys.argv[1] + ".ready", "w").close()
s.settimeout(5)
with open(sys.argv[1], "ab") as f:
    while True:
        try:
            f.write(s.recv(65536) + b"\n"); f.flush()
        except socket.timeout:
            break
' "$tmp/syslog" &
	i=0
	while [ ! -e "$tmp/syslog.ready" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
fi
"$@"
SH
	rm -f "$SANDBOX_TMP/syslog.ready"
	run env PYTHON="$PYTHON" unshare --mount sh "$SANDBOX_TMP/private-dev.sh" "$mode" "$SANDBOX_TMP" "$@"
}

section "syslog listening (no PURGE_OLD_KERNELS_LOG): nothing printed, the report in syslog"
in_private_dev listening env -u PURGE_OLD_KERNELS_LOG "$POK" --root="$ROOT" --running=$R --auto
assert_eq 0 "$rc" "exit 0"
assert_eq "" "$out$err" "cron would send no mail"
sleep 0.5
assert_contains "$(cat "$SANDBOX_TMP/syslog")" "1 old kernel release (6.8.0-31-generic) can be purged" \
	"the report reached syslog"

section "no syslog socket (a container): the report on stderr, not lost"
in_private_dev none env -u PURGE_OLD_KERNELS_LOG "$POK" --root="$ROOT" --running=$R --auto
assert_eq 0 "$rc" "exit 0"
assert_contains "$err" "1 old kernel release (6.8.0-31-generic) can be purged" \
	"the report is on stderr, where cron mails it"
assert_eq "" "$out" "nothing on stdout"
section "JOURNAL_STREAM names stderr: journal lines; a malformed value is not systemd's"
# run() sends stderr to this file, truncated, same inode: the journal's
# "DEVICE:INODE" for the job.
: >"$SANDBOX_TMP/err"
js=$(stat -c %d:%i "$SANDBOX_TMP/err")
assert_exit 0 env JOURNAL_STREAM="$js" "$POK" --root="$ROOT" --running=$R --auto
assert_contains "$err" "<6>1 old kernel release (6.8.0-31-generic) can be purged"
# (With syslog listening in a private /dev: where nothing listens, the
# report would go to stderr.)
for bad in "${js}x" " $js" "+$js" "$js:1" "${js%%:*}:"; do
	in_private_dev listening env -u PURGE_OLD_KERNELS_LOG JOURNAL_STREAM="$bad" \
		"$POK" --root="$ROOT" --running=$R --auto
	assert_eq 0 "$rc" "exit 0"
	assert_eq "" "$out$err" "JOURNAL_STREAM='$bad': syslog, nothing printed"
done

section "a broken configuration: exit 1, the error names file and line"
conf "AUTO=yes" "KEEP=1" "PROTECT=6.8.0-31-generic,6.8.0-40-generic"
assert_exit 1 auto
assert_contains "$(logged)" "purge-old-kernels.conf:3: PROTECT takes kernel releases"
assert_installed $r31
conf "AUTO=yes"

section "a plain user: exit 1, needs root"
if id nobody >/dev/null 2>&1; then
	chmod -R a+rX "$SANDBOX_TMP"
	run as_user nobody env PURGE_OLD_KERNELS_LOG=stderr "$POK" --root="$ROOT" --running=$R --auto
	assert_eq 1 "$rc" "exit 1"
	assert_contains "$err" "needs root privileges"
fi

section "apt's lock held (TIMEOUT=2): a clean give-up, exit 0, nothing purged"
conf "AUTO=yes" "TIMEOUT=2"
hold_locks 20 "$ROOT/var/lib/dpkg/lock-frontend"
start=$(now_ms)
assert_exit 0 auto
took=$(($(now_ms) - start))
release_locks
assert_eq "" "$out$err" "nothing printed"
assert_contains "$(logged)" "held their lock for 2 seconds; giving up until the next run"
[ "$took" -ge 2000 ] && [ "$took" -lt 15000 ] && pass "waited about TIMEOUT (${took} ms)" \
	|| fail "waited about TIMEOUT (${took} ms)"
assert_installed $r31
assert_eq "$runs" "$(apt_runs)" "apt-get did not run dpkg"

section "AUTO=yes: the job purges 31, logs what it freed, exports metrics"
assert_exit 0 auto
assert_eq "" "$out$err" "nothing printed"
assert_contains "$(logged)" "purging 1 old kernel release (6.8.0-31-generic)"
assert_match "$(logged)" "purged 1 old kernel release \(6\.8\.0-31-generic\): freed [0-9.]+ KiB in /boot, [0-9.]+ KiB in all"
assert_contains "$(logged)" "apt-get: Removing linux-image-6.8.0-31-generic"
assert_purged $r31
assert_eq $((runs + 1)) "$(apt_runs)" "apt-get ran dpkg once"
config=$(apt_last_config)
assert_contains "$config" "APT::Get::Assume-Yes=1" "apt-get ran with -y"
assert_contains "$config" "DPkg::Lock::Timeout=" "apt-get waits for its lock, not forever"
assert_contains "$config" "--force-confold" "dpkg asks no questions"
assert_eq ok "$(state_value last_run)" "the state file: last run ok"
assert_eq 1 "$(state_value last_run_purged)" "the state file: 1 release purged"
assert_eq 0 "$(state_value purgeable)" "the state file: nothing left"
prom=$ROOT/var/lib/prometheus/node-exporter/purge_old_kernels.prom
if why=$(prometheus_check "$prom"); then
	pass "the .prom file is well-formed"
else
	fail "the .prom file is well-formed"
	say "$why"
fi
assert_eq 1 "$(prometheus_value "$prom" purge_old_kernels_last_run_purged_releases)" "metrics: 1 release purged"
assert_eq 0 "$(prometheus_value "$prom" purge_old_kernels_purgeable_releases)" "metrics: nothing left to purge"
assert_eq "-rw-r--r--" "$(stat -c %A "$prom")" "the .prom file is 0644"
assert_eq "purge_old_kernels.prom" "$(ls -A "${prom%/*}")" "no temporary file left in node_exporter's directory"

section "nothing to do: no output, exit 0, apt-get not run"
runs=$(apt_runs)
assert_exit 0 pok --running=$R --auto
assert_eq "" "$out$err" "nothing printed"
assert_eq "$runs" "$(apt_runs)" "apt-get did not run dpkg"

section "another copy holds the job's lock: exit 0 at once, the work is left to it"
ubuntu_release 6.8.0-48 generic; r48=$RELEASE_OWN
dpkg_install
flock -o "$ROOT/run/purge-old-kernels.lock" sleep 20 &
holder=$!
wait_for 10 sh -c '! flock -n "$1" true' sh "$ROOT/run/purge-old-kernels.lock" || true
start=$(now_ms)
assert_exit 0 auto
took=$(($(now_ms) - start))
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true
assert_contains "$(logged)" "another purge-old-kernels --auto is running"
[ "$took" -lt 5000 ] && pass "returned at once (${took} ms)" || fail "returned at once (${took} ms)"
assert_installed linux-image-6.8.0-40-generic

section "two copies at once, while apt's lock is busy: one purges, once"
runs=$(apt_runs)
conf "AUTO=yes" "TIMEOUT=30"
hold_locks 3 "$ROOT/var/lib/dpkg/lock-frontend"
PURGE_OLD_KERNELS_LOG=$SANDBOX_TMP/one.log "$POK" --root="$ROOT" --running=$R --auto \
	</dev/null >"$SANDBOX_TMP/one.out" 2>&1 &
one=$!
sleep 0.5
PURGE_OLD_KERNELS_LOG=$SANDBOX_TMP/two.log "$POK" --root="$ROOT" --running=$R --auto \
	</dev/null >"$SANDBOX_TMP/two.out" 2>&1 &
two=$!
rc_one=0; wait "$one" || rc_one=$?
rc_two=0; wait "$two" || rc_two=$?
wait "$LOCK_PID" 2>/dev/null || true
assert_eq "0 0" "$rc_one $rc_two" "both exit 0"
both=$(cat "$SANDBOX_TMP/one.log" "$SANDBOX_TMP/two.log")
printf '%s\n' "$both" | grep -v 'apt-get: Removing' | sed 's/^/  log: /'
assert_eq 1 "$(printf '%s\n' "$both" | grep -c 'purged 1 old kernel release (6.8.0-40-generic)')" "one copy purged 40"
assert_eq 1 "$(printf '%s\n' "$both" | grep -c 'another purge-old-kernels --auto is running')" "the other left it to the first"
assert_eq $((runs + 1)) "$(apt_runs)" "apt-get ran dpkg once"
assert_purged linux-image-6.8.0-40-generic
assert_installed linux-image-6.8.0-48-generic linux-image-$R

sandbox_finish
