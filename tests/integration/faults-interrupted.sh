#!/bin/sh
# Faults: dpkg interrupted.
#  (a) dpkg is killed (SIGKILL, as the OOM killer does) while an old
#      kernel's postrm runs: apt-get reports it (status 100) and, restoring
#      its selections, folds dpkg's journal into the status file; the image
#      is left half-installed. The next run refuses, changes nothing and
#      points at --fix, which finishes the purge.
#  (b) apt-get, dpkg and the postrm are killed together (a power cut):
#      dpkg's updates/ journal is left pending. The command reports apt-get
#      killed (128+9). The next run refuses and points at --fix, which
#      finishes the purge from there.
#  (c) A journal left by dpkg interrupted while configuring the newest
#      kernel (written directly into updates/): the next run refuses and
#      points at dpkg --configure -a; after that, a run completes.
# dpkg --audit is clean at the end of each.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init
chroot_tools sh mv

# Whatever a failed check leaves blocked is killed on the way out.
blocked=
trap 'sandbox__rc=$?
[ -z "$blocked" ] || kill -KILL $blocked 2>/dev/null || true
(exit $sandbox__rc); sandbox__on_exit' EXIT

# A postrm that, called with "remove" while the fifo /kpurge-hold exists,
# says who runs it (its parent is dpkg) in /kpurge-started and blocks
# until the test kills it.
cat >"$SANDBOX_TMP/postrm" <<'EOF'
#!/bin/sh
if [ "$1" = remove ] && [ -p /kpurge-hold ]; then
	echo "$PPID $$" >/kpurge-started.new
	mv /kpurge-started.new /kpurge-started
	read -r line </kpurge-hold
fi
exit 0
EOF

# start_blocking_purge ARG...: start the CLI with ARG... in the background
# ($pok_pid) and wait until the postrm blocks: $dpkg_pid and $script_pid.
start_blocking_purge() {
	rm -f "$ROOT/kpurge-started"
	mkfifo "$ROOT/kpurge-hold"
	"$POK" --root="$ROOT" "$@" </dev/null >"$SANDBOX_TMP/bg.out" 2>"$SANDBOX_TMP/bg.err" &
	pok_pid=$!
	n=0
	until [ -s "$ROOT/kpurge-started" ]; do
		n=$((n + 1))
		if [ "$n" -gt 3000 ] || ! kill -0 "$pok_pid" 2>/dev/null; then
			cat "$SANDBOX_TMP/bg.out" "$SANDBOX_TMP/bg.err"
			die "the postrm did not start (waited $((n / 10)) s)"
		fi
		sleep 0.1
	done
	read -r dpkg_pid script_pid <"$ROOT/kpurge-started"
	blocked="$script_pid $dpkg_pid"
	[ "$(cat "/proc/$dpkg_pid/comm")" = dpkg ] \
		|| die "the postrm's parent $dpkg_pid is $(cat "/proc/$dpkg_pid/comm"), not dpkg"
}

# finish_bg: wait for the background CLI; sets rc, out, err like run.
finish_bg() {
	rc=0
	wait "$pok_pid" || rc=$?
	out=$(cat "$SANDBOX_TMP/bg.out")
	err=$(cat "$SANDBOX_TMP/bg.err")
	sed 's/^/  | /' "$SANDBOX_TMP/bg.out"
	sed 's/^/  ! /' "$SANDBOX_TMP/bg.err"
	say "  => exit $rc"
	rm -f "$ROOT/kpurge-hold" "$ROOT/kpurge-started"
}

# wait_gone PID...: until the processes are gone (or zombies nobody reaps).
wait_gone() {
	local p n
	for p in "$@"; do
		n=0
		while kill -0 "$p" 2>/dev/null &&
			[ "$(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null)" != Z ]; do
			n=$((n + 1))
			[ "$n" -lt 3000 ] || die "process $p did not die"
			sleep 0.1
		done
	done
}

journal() { find "$ROOT/var/lib/dpkg/updates" -name '[0-9]*' | wc -l | tr -d ' '; }

# refused CMD...: exit 1, nothing changed, dpkg never ran.
refused() {
	sum=$(status_sum)
	before=$(present_pkgs)
	runs=$(apt_runs)
	assert_exit 1 "$@"
	assert_status_unchanged "$sum" "dpkg database and journal unchanged"
	assert_set "nothing removed" "$before" "$(present_pkgs)"
	assert_eq "$runs" "$(apt_runs)" "apt-get did not run dpkg"
}

section "setup: 6.8.0-{31,40,45}-generic; 6.8.0-31's postrm blocks on remove"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
dpkg_install
reinstall_with_script linux-image-6.8.0-31-generic postrm "$SANDBOX_TMP/postrm"
fix="purge-old-kernels --root=$ROOT --keep=1 --fix"

section "(a) dpkg killed in 6.8.0-31's postrm; apt-get reports it"
start_blocking_purge --keep=1 -y
kill -KILL $dpkg_pid $script_pid
finish_bg
wait_gone $dpkg_pid $script_pid
blocked=
assert_eq 100 "$rc" "exit 100, apt-get's status"
assert_match "$err" "^E: Sub-process .*dpkg (exited unexpectedly|.*signal)" "apt-get says dpkg died"
assert_contains "$err" "apt-get failed (status 100) half-way; left to purge: " "the command says what it means"
assert_contains "$err" " linux-image-6.8.0-31-generic (broken)" "and names what dpkg left half-done"
assert_dpkg_state linux-image-6.8.0-31-generic H "half-installed"
assert_installed $r45
run "$DPKG" --root="$ROOT" --audit
assert_contains "$out" "linux-image-6.8.0-31-generic" "dpkg --audit names the half-installed image"

section "(a) the next run refuses and points at --fix; --fix finishes"
refused pok --keep=1 -y
assert_contains "$err" "linux-image-6.8.0-31-generic is half-installed; run '$fix' as root" "what is wrong and what to run"
assert_exit 0 pok --keep=1 --fix -y
assert_contains "$out" "Done: dpkg and apt-get report nothing broken." "the result is checked"
assert_remaining "$r45 linux-base"
assert_audit_clean
assert_exit 0 pok --keep=1 -y
assert_contains "$out" "No kernels are eligible for removal." "nothing left to do"

section "setup (b): 6.8.0-{50,51}-generic; 6.8.0-50's postrm blocks on remove"
ubuntu_release 6.8.0-50 generic; r50=$RELEASE_PKGS
ubuntu_release 6.8.0-51 generic; r51=$RELEASE_PKGS
dpkg_install
reinstall_with_script linux-image-6.8.0-50-generic postrm "$SANDBOX_TMP/postrm"

section "(b) a power cut: apt-get, dpkg and the postrm killed together"
start_blocking_purge --keep=1 -y
apt_pid=$(awk '{ print $4 }' "/proc/$dpkg_pid/stat")
[ "$(cat "/proc/$apt_pid/comm")" = apt-get ] || die "dpkg's parent $apt_pid is not apt-get"
# apt-get first: it must not get to tidy up after dpkg.
kill -KILL $apt_pid $dpkg_pid $script_pid
finish_bg
wait_gone $dpkg_pid $script_pid
blocked=
assert_eq 137 "$rc" "exit 137: apt-get was killed by signal 9"
assert_contains "$err" "apt-get failed (status 137) half-way; left to purge: " "the command says what it means"
assert_installed $r51
n=$(journal)
if [ "$n" -gt 0 ]; then
	pass "dpkg's updates/ journal is pending ($n entries)"
else
	fail "dpkg's updates/ journal is pending"
fi

section "(b) the next run refuses and points at --fix; --fix finishes"
refused pok --keep=1 -y
assert_contains "$err" "dpkg was interrupted: its updates journal is not empty" "says dpkg was interrupted"
assert_contains "$err" "run '$fix' as root: it purges the old kernels with dpkg, linux-image-6.8.0-50-generic among them" \
	"and what to run"
run pok --keep=1 --list
assert_eq 0 "$rc" "--list works, and warns"
assert_match "$(list_entry "$out" 6.8.0-50-generic)" "incomplete" "--list sees the half-removed release through the journal"
assert_exit 0 pok --keep=1 --fix -y
assert_contains "$out" "Done: dpkg and apt-get report nothing broken." "the result is checked"
assert_eq 0 "$(journal)" "the journal is folded in"
assert_remaining "$r51 linux-base"
assert_audit_clean

section "setup (c): 6.8.0-55-generic; a journal entry leaves its image half-configured"
ubuntu_release 6.8.0-55 generic; r55=$RELEASE_PKGS
dpkg_install
awk -v p="Package: linux-image-6.8.0-55-generic" 'BEGIN { RS = ""; ORS = "\n\n" } index($0, p "\n") == 1' \
	"$ROOT/var/lib/dpkg/status" | sed 's/^Status: install ok installed$/Status: install ok half-configured/' \
	>"$ROOT/var/lib/dpkg/updates/0000"
grep -q '^Status: install ok half-configured$' "$ROOT/var/lib/dpkg/updates/0000" \
	|| die "cannot write the journal entry"
assert_dpkg_state linux-image-6.8.0-55-generic F "half-configured, in dpkg's view"

section "(c) the next run refuses and points at dpkg --configure -a"
refused pok --keep=1 -y
assert_stderr_lines 1 "one line: the problem and what to run"
assert_contains "$err" "dpkg was interrupted: its updates journal is not empty; run 'dpkg --root=$ROOT --configure -a' as root, then try again" \
	"what is wrong and what to run"
run "$DPKG" --root="$ROOT" --log="$ROOT/var/log/dpkg.log" --configure -a
assert_eq 0 "$rc" "dpkg --configure -a exits 0"
assert_eq 0 "$(journal)" "the journal is folded in"
assert_installed linux-image-6.8.0-55-generic
assert_exit 0 pok --keep=1 -y
assert_eq "" "$err" "the next run completes, nothing on stderr"
assert_remaining "$r55 linux-base"
assert_audit_clean

sandbox_finish
