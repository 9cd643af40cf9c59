#!/bin/sh
# The apt hook never goes stale, run by the real apt-get from the shipped
# snippet:
# - its fingerprint covers everything the plan reads: purging an
#   out-of-tree module that depends on an old kernel (and kept it) makes
#   the hook speak; so do a hold, the configuration and the running release;
# - "what the hook last announced" is not "how fresh the state file is": a
#   root --status=prometheus (node_exporter's cron) that refreshed the
#   state after a kernel came in does not swallow the next notice, nor,
#   with AUTO=yes, the purge;
# - with the state directory not writable (a read-only /run) the hook has
#   no memory: it neither plans nor nags after every apt run.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
. "$top_srcdir/tests/lib/unattended.sh"
sandbox_init
R=6.8.0-45-generic

# notices: the hook's lines in the last run's stderr.
notices() { printf '%s\n' "$err" | grep '^purge-old-kernels: ' || true; }

# apt_other: apt-get installs the next version of nano, an unrelated
# package, and runs the hook.
nano_n=0
apt_other() {
	nano_n=$((nano_n + 1))
	want_other nano "7.2-$nano_n" section=editors /bin/nano:2048
	take_pending
	assert_exit 0 apt_sandbox -y install $DEBS
}

section "setup: 6.8.0-{31,40,45}-generic, 45 running, the acme-appliance package needs 31"
install_hook "$R"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_OWN
ubuntu_release 6.8.0-40 generic
ubuntu_release 6.8.0-45 generic
# Outside every kernel family (no release in its name, so not a member by
# structure as an out-of-tree module named after 31 would be): it only
# needs 31, and so keeps it.
want_other acme-appliance 1.0-1 section=utils \
	depends=linux-image-6.8.0-31-generic /usr/lib/acme/appliance:4096
take_pending
assert_exit 0 apt_sandbox -y install $DEBS
assert_eq "" "$(notices)" "nothing can go: 31 is needed by acme-appliance"
assert_eq 0 "$(state_value purgeable)" "the state file says 0"

section "purging the package that needs 31 frees 31: the hook says so"
assert_exit 0 apt_sandbox -y purge acme-appliance
assert_contains "$(notices)" "1 old kernel release (6.8.0-31-generic) can be purged" \
	"the notice comes after acme-appliance is gone"
assert_eq 1 "$(state_value purgeable)" "the state file says 1"
assert_installed $r31

section "no kernel changed since: silent"
apt_other
assert_eq "" "$(notices)" "no notice"

section "a hold on 31 (dpkg --set-selections, no hook): the next apt run says so"
hold linux-image-6.8.0-31-generic
apt_other
assert_eq 0 "$(state_value purgeable)" "the state file says 0: 31 is held"
printf 'linux-image-6.8.0-31-generic install\n' | "$DPKG" --root="$ROOT" --set-selections
apt_other
assert_contains "$(notices)" "1 old kernel release (6.8.0-31-generic) can be purged" \
	"unheld: the notice is back"

section "the configuration changed (KEEP=1): the next apt run says so"
conf "KEEP=1"
apt_other
assert_contains "$(notices)" "2 old kernel releases (6.8.0-40-generic and 6.8.0-31-generic) can be purged" \
	"the notice follows KEEP"
conf

section "another running release (40): the next apt run says so"
install_hook 6.8.0-40-generic
apt_other
assert_contains "$(notices)" "1 old kernel release (6.8.0-31-generic) can be purged" \
	"the notice is made for the running 40"
install_hook "$R"

section "a kernel from dpkg alone, then node_exporter's cron refreshes the state"
# dpkg -i runs no apt hook; the root --status=prometheus that follows
# brings the state file up to date; the next apt run must still announce.
ubuntu_release 6.8.0-48 generic
dpkg_install
assert_exit 0 pok --running=$R --status=prometheus
assert_eq 2 "$(state_value purgeable)" "--status refreshed the state file: 2 can go"
apt_other
assert_contains "$(notices)" "2 old kernel releases (6.8.0-40-generic and 6.8.0-31-generic) can be purged" \
	"the hook announces what it never announced"
apt_other
assert_eq "" "$(notices)" "announced once: the next apt run is silent"

section "AUTO=yes: the purge is not swallowed by a --status refresh either"
conf "AUTO=yes" "TIMEOUT=60"
ubuntu_release 6.8.0-50 generic
dpkg_install
assert_exit 0 pok --running=$R --status=prometheus
PURGE_OLD_KERNELS_LOG=$SANDBOX_TMP/auto.log
export PURGE_OLD_KERNELS_LOG
apt_other
unset PURGE_OLD_KERNELS_LOG
assert_match "$(notices)" "purging 2 old kernel releases .* once apt is done" \
	"the hook starts the purge"
assert_gone_later linux-image-6.8.0-31-generic 90
wait_for 60 grep -q "purged 2 old kernel releases" "$SANDBOX_TMP/auto.log" || true
assert_purged $r31 linux-image-6.8.0-40-generic
assert_installed linux-image-$R linux-image-6.8.0-48-generic linux-image-6.8.0-50-generic
conf

section "a read-only /run: no plan and no nagging after every apt run"
mkdir -p "$ROOT/run"
rm -rf "$ROOT/run/purge-old-kernels"
if ! mount -t tmpfs -o ro,size=64k,mode=0755 "kpurge-test-run-$$" "$ROOT/run" \
	2>"$SANDBOX_TMP/mount.err"; then
	skip "cannot mount a read-only tmpfs on the sandbox's /run: $(cat "$SANDBOX_TMP/mount.err")"
fi
trap 'umount "$ROOT/run" 2>/dev/null || umount -l "$ROOT/run"; sandbox__on_exit' EXIT
# A database record libdpkg warns about: a plan made would print it.
want_other acme-tool 1.0-1 section=utils /usr/bin/acme-tool:1024
take_pending
assert_exit 0 apt_sandbox -y install $DEBS
sed -i 's/^Version: 1.0-1$/Version: 1.0-1%warn/' "$ROOT/var/lib/dpkg/status"
run pok --running=$R --list
assert_contains "$err" "invalid character" "a plan made now warns about acme-tool's version"
for v in 52 53; do
	ubuntu_release 6.8.0-$v generic
	take_pending
	assert_exit 0 apt_sandbox -y install $DEBS
	assert_eq "" "$(notices)" "installing 6.8.0-$v: the hook says nothing and makes no plan"
	assert_not_contains "$out$err" "Problem executing scripts" "apt ran its hooks without trouble"
done
umount "$ROOT/run" || umount -l "$ROOT/run"
trap sandbox__on_exit EXIT

section "no dpkg database: a warning, and no state directory made"
mkdir "$SANDBOX_TMP/empty"
assert_exit 0 "$POK" --root="$SANDBOX_TMP/empty" --hook
assert_contains "$err" "warning" "it says what is wrong"
[ ! -e "$SANDBOX_TMP/empty/run" ] && pass "nothing was made under the root" \
	|| fail "nothing was made under the root ($(ls "$SANDBOX_TMP/empty"))"

sandbox_finish
