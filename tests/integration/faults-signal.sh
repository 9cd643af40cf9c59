#!/bin/sh
# Faults: a signal while apt-get runs.
# - ^C (SIGINT to the whole process group, as a terminal sends it) while
#   apt-get runs its hooks: apt-get stops before dpkg starts; the command
#   reports it with a status of apt-get's (100, or 130 when the signal
#   killed it), the database is unchanged, and the next run does the job.
# - SIGTERM to the command alone: it dies, apt-get (its child) carries on
#   and finishes the purge; the database is consistent and a next run has
#   nothing left to do.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init
command -v setsid >/dev/null 2>&1 || skip "setsid is needed for a process group"
command -v "$PYTHON" >/dev/null 2>&1 || skip "$PYTHON is needed to wait for dpkg's lock"

section "setup: 6.8.0-{31,40}-generic; a slow apt hook before dpkg runs"
ubuntu_release 6.8.0-31 generic
r31=$RELEASE_OWN
ubuntu_release 6.8.0-40 generic
r40=$RELEASE_PKGS
dpkg_install
# A second Pre-Install-Pkgs hook (after the sandbox's guard): it says it
# started, then takes its time, so that a signal lands while apt-get runs.
cat >"$SANDBOX_TMP/slow-hook" <<EOF
#!/bin/sh
cat >/dev/null
: >"$SANDBOX_TMP/hook-started"
sleep 4
EOF
chmod 0755 "$SANDBOX_TMP/slow-hook"
printf 'DPkg::Pre-Install-Pkgs:: "%s";\n' "$SANDBOX_TMP/slow-hook" \
	>"$ROOT/etc/apt/apt.conf.d/50slow-hook"

wait_for_file() {
	n=0
	until [ -e "$1" ]; do
		n=$((n + 1))
		[ "$n" -lt 600 ] || die "timed out waiting for $1"
		sleep 0.1
	done
}

# wait_dpkg_free: until no process holds the sandbox's dpkg lock.
wait_dpkg_free() {
	"$PYTHON" - "$ROOT/var/lib/dpkg/lock-frontend" <<'EOF'
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o640)
for _ in range(600):
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit("dpkg's lock stayed busy")
EOF
}

section "^C while apt-get runs: stopped before dpkg, nothing changed"
sum=$(status_sum)
rm -f "$SANDBOX_TMP/hook-started"
setsid "$POK" --root="$ROOT" --keep=1 -y </dev/null >"$SANDBOX_TMP/int.out" 2>&1 &
pid=$!
wait_for_file "$SANDBOX_TMP/hook-started"
kill -INT "-$pid"
rc=0
wait "$pid" || rc=$?
sed 's/^/  | /' "$SANDBOX_TMP/int.out"
say "  => exit $rc"
case $rc in
100 | 130) pass "exit $rc: apt-get's status, or 128+SIGINT" ;;
*) fail "exit 100 or 130 after ^C (got $rc)" ;;
esac
wait_dpkg_free
assert_status_unchanged "$sum"
assert_installed $r31 $r40
run "$DPKG" --root="$ROOT" --audit
assert_eq "" "$out" "dpkg --audit finds nothing"

section "the next run completes the job"
rm -f "$ROOT/etc/apt/apt.conf.d/50slow-hook"
assert_exit 0 pok --keep=1 -y
assert_purged $r31
assert_installed $r40

section "SIGTERM to the command alone: apt-get finishes the purge"
ubuntu_release 6.8.0-45 generic
r45=$RELEASE_PKGS
dpkg_install
printf 'DPkg::Pre-Install-Pkgs:: "%s";\n' "$SANDBOX_TMP/slow-hook" \
	>"$ROOT/etc/apt/apt.conf.d/50slow-hook"
rm -f "$SANDBOX_TMP/hook-started"
setsid "$POK" --root="$ROOT" --keep=1 -y </dev/null >"$SANDBOX_TMP/term.out" 2>&1 &
pid=$!
wait_for_file "$SANDBOX_TMP/hook-started"
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
say "  => exit $rc"
assert_eq 143 "$rc" "the command died of SIGTERM (128+15)"
wait_dpkg_free
run "$DPKG" --root="$ROOT" --audit
assert_eq "" "$out" "dpkg --audit finds nothing"
assert_purged $(printf '%s\n' $r40 | grep -v -x -e linux-base)
assert_installed $r45
rm -f "$ROOT/etc/apt/apt.conf.d/50slow-hook"
run pok --keep=1 -y
assert_eq 0 "$rc" "the next run exits 0"
assert_contains "$out" "No kernels are eligible for removal" "and has nothing left to do"

sandbox_finish
