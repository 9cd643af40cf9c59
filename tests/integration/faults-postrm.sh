#!/bin/sh
# Faults: apt-get fails in the middle of a purge, because a maintainer
# script of one old kernel's image fails (while a flag file is in the
# sandbox: the fault is transient, as a full disk or a broken hook is).
#  (a) Its postrm fails on "purge": dpkg has removed the package and left
#      it in config-files state; everything else is purged. The command
#      passes apt-get's status on and says what is left to purge;
#      dpkg --audit is clean. A run while the fault lasts fails the same
#      way and changes nothing else; once it is gone, the next run
#      finishes the purge.
#  (b) Its postrm fails on "remove": dpkg leaves the image half-installed.
#      The next run refuses and points at --fix (dpkg --configure -a does
#      nothing for a half-installed package: that advice would loop), and
#      --fix finishes the purge.
# The running and the newest releases are never touched.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init
chroot_tools sh

# failing_postrm ARG: a postrm that fails when called with ARG while
# /kpurge-fail exists in the sandbox (dpkg runs it chrooted there).
failing_postrm() {
	cat >"$SANDBOX_TMP/postrm.$1" <<EOF
#!/bin/sh
if [ "\$1" = $1 ] && [ -e /kpurge-fail ]; then
	echo "postrm: cannot $1 (the test's fault)" >&2
	exit 1
fi
exit 0
EOF
	printf '%s\n' "$SANDBOX_TMP/postrm.$1"
}

# apt_failed_message SENTENCE: apt-get's message, then ours.
apt_failed_message() {
	assert_match "$err" "^E: Sub-process .*dpkg returned an error code" "apt-get's message"
	assert_contains "$err" "purge-old-kernels: apt-get failed (status 100)$1" \
		"the command says what the failure means and what to do"
}
half_way() {
	printf '%s' " half-way; left to purge: $1; once the cause is dealt with, run purge-old-kernels again to finish it"
}

section "setup: 6.8.0-{31,35,40,45}-generic, 6.8.0-40 running; 6.8.0-31's postrm fails on purge"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-35 generic; r35=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
dpkg_install
img31=linux-image-6.8.0-31-generic
reinstall_with_script $img31 postrm "$(failing_postrm purge)"
set -- --running=6.8.0-40-generic --keep=1
: >"$ROOT/kpurge-fail"

section "(a) the postrm fails on purge: apt-get's status, the rest is purged"
assert_exit 100 pok "$@" -y
assert_contains "$out" "Purging 10 packages of 2 old kernel releases" "the purge began"
assert_contains "$out" "dpkg: error processing package $img31 (--purge)" "dpkg names the package"
apt_failed_message "$(half_way "$img31 (config-files)")"
assert_dpkg_state $img31 c "removed, its configuration left"
assert_purged $(printf '%s\n' $r31 $r35 | grep -vx "$img31")
assert_installed $r40 $r45
assert_audit_clean

section "(a) a run while the fault lasts: the same failure, nothing else changes"
before=$(present_pkgs)
assert_exit 100 pok "$@" -y
assert_contains "$out" "Purging 1 package of 1 old kernel release" "only the image is left to purge"
apt_failed_message "; nothing was purged"
assert_set "nothing else changed" "$before" "$(present_pkgs)"
assert_dpkg_state $img31 c "still"
assert_audit_clean

section "(a) the fault is gone: the next run finishes the purge"
rm -f "$ROOT/kpurge-fail"
assert_exit 0 pok "$@" -y
assert_eq "" "$err" "nothing on stderr"
assert_purged $img31
assert_remaining "$r40 $r45 linux-base"
assert_audit_clean

section "setup (b): 6.8.0-{50,51}-generic; 6.8.0-50's postrm fails on remove"
ubuntu_release 6.8.0-50 generic; r50=$RELEASE_PKGS
ubuntu_release 6.8.0-51 generic; r51=$RELEASE_PKGS
dpkg_install
img50=linux-image-6.8.0-50-generic
reinstall_with_script $img50 postrm "$(failing_postrm remove)"
: >"$ROOT/kpurge-fail"

section "(b) the postrm fails on remove: the image is left half-installed"
assert_exit 100 pok "$@" -y
assert_contains "$out" "dpkg: error processing package $img50 (--remove)" "dpkg names the package"
apt_failed_message " half-way; left to purge: $img50 (broken), "
assert_dpkg_state $img50 H "half-installed"
assert_installed $r40 $r51
run "$DPKG" --root="$ROOT" --audit
assert_contains "$out" "only half installed" "dpkg --audit reports it"
assert_contains "$out" "$img50" "by name"

section "(b) the fault is gone; the next run refuses and points at --fix"
rm -f "$ROOT/kpurge-fail"
sum=$(status_sum)
before=$(present_pkgs)
runs=$(apt_runs)
fix="purge-old-kernels --root=$ROOT --keep=1 --running=6.8.0-40-generic --fix"
assert_exit 1 pok "$@" -y
assert_stderr_lines 1 "one line: the problem and what to run"
assert_contains "$err" "purge-old-kernels: $img50 is half-installed; run '$fix' as root: it purges the old kernels with dpkg, $img50 among them, then repairs the system" \
	"names the package and the command"
assert_status_unchanged "$sum"
assert_set "nothing removed" "$before" "$(present_pkgs)"
assert_eq "$runs" "$(apt_runs)" "apt-get did not run dpkg"

section "(b) dpkg --configure -a would not have helped"
run "$DPKG" --root="$ROOT" --log="$ROOT/var/log/dpkg.log" --configure -a
assert_eq 0 "$rc" "dpkg --configure -a exits 0"
assert_dpkg_state $img50 H "still half-installed"
assert_exit 1 pok "$@" -y
assert_contains "$err" "run '$fix' as root" "the advice is still --fix"

section "(b) --fix finishes the purge"
assert_exit 0 pok "$@" --fix -y
assert_contains "$out" "Step 1/3: purge the old kernels with dpkg" "step 1"
assert_contains "$out" "Done: dpkg and apt-get report nothing broken." "the result is checked"
assert_purged $r45 $r50
assert_remaining "$r40 $r51 linux-base"
assert_audit_clean
assert_exit 0 pok "$@" -y
assert_contains "$out" "No kernels are eligible for removal." "the next run has nothing left to do"

sandbox_finish
