#!/bin/sh
# What a path really is (lib/trust.c), with a real second user, the real
# apt-get and dpkg, and a real symlink swap:
# - APT_CONFIG, KPURGE_APT_MODULE, a PATH entry and HOME reached through a
#   directory the second user owns, even when it links to root's files, are
#   not trusted: refused, not loaded, dropped, replaced;
# - the race: the user repoints a link after the check, once apt has opened
#   the file the check saw: the user's DPkg::Pre-Invoke never runs as root;
# - writes: under a root tree the user owns, with R/run a link to
#   elsewhere, no run of root writes the state file, the metrics or the
#   lock elsewhere, and --dry-run and --list write nothing at all; a
#   metrics directory that is the user's link is refused; Debian's layout
#   (/var/lib/prometheus owned by its daemon, node-exporter by root) works.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
. "$top_srcdir/tests/lib/unattended.sh"
sandbox_init
command -v useradd >/dev/null 2>&1 || skip "useradd is needed for a second user"
unset JOURNAL_STREAM

# The second user, and the directory in /tmp it owns: unique per run,
# removed on exit (before the sandbox, whatever the test's status).
U=kpt$$
UD=/tmp/kpt-$$
useradd --system --no-create-home --home-dir /nonexistent \
	--shell /usr/sbin/nologin "$U" || die "useradd $U failed"
trust__on_exit() {
	trust__rc=$?
	[ -z "${RACER:-}" ] || kill "$RACER" 2>/dev/null || true
	rm -rf "$UD" "$UD.link"
	# userdel refuses while a process of the user runs: the racer is
	# stopped by its own ID above, and a failure is said, not hidden.
	userdel "$U" 2>/dev/null || say "# WARNING: could not remove the user $U"
	(exit "$trust__rc")
	sandbox__on_exit
}
trap trust__on_exit EXIT
mkdir "$UD"
chown "$U:" "$UD"
chmod 0755 "$UD"
say "# second user: $U ($(id -u "$U")), its directory: $UD"

. "$top_srcdir/tests/lib/apt-env.sh"
# What apt-get's hooks see (a shell builtin: no PATH look-up).
cat >"$ROOT/etc/apt/apt.conf.d/50environment" <<EOF
DPkg::Pre-Invoke { "export -p >$SANDBOX_TMP/apt-env"; };
EOF

section "setup: two custom releases; root's files the user's links point at"
next_release
next_release
good=$APT_CONFIG
mkdir -p "$SANDBOX_TMP/aptdir" "$SANDBOX_TMP/rootbin" "$SANDBOX_TMP/roothome"
cp "$good" "$SANDBOX_TMP/aptdir/apt.conf"
# as_user: what the second user does, with its own uid.
as_user "$U" ln -s "$SANDBOX_TMP/aptdir" "$UD/d"
as_user "$U" ln -s "${KPURGE_APT_MODULE%/*}" "$UD/m"
as_user "$U" ln -s "$SANDBOX_TMP/rootbin" "$UD/bin"
as_user "$U" ln -s "$SANDBOX_TMP/roothome" "$UD/h"
as_user "$U" ln -s "$SANDBOX_TMP/aptdir/apt.conf" "$UD.link"
ls -l "$UD" "$UD.link" | sed 's/^/# /'

section "APT_CONFIG through a directory the user owns: refused"
run env APT_CONFIG="$UD/d/apt.conf" "$POK" --root="$ROOT" --keep=1 --dry-run
assert_eq 1 "$rc" "APT_CONFIG=$UD/d/apt.conf is refused"
assert_contains "$err" "APT_CONFIG=$UD/d/apt.conf" "the message names the variable"
assert_contains "$err" "$UD" "and the directory that is not root's"
run env APT_CONFIG="$UD.link" "$POK" --root="$ROOT" --keep=1 --dry-run
assert_eq 1 "$rc" "APT_CONFIG=$UD.link (the user's link in /tmp) is refused"
run env APT_CONFIG="$SANDBOX_TMP/aptdir/apt.conf" "$POK" --root="$ROOT" --keep=1 --dry-run
assert_eq 0 "$rc" "the same file by a name only root controls is accepted"

section "KPURGE_APT_MODULE through a directory the user owns: not loaded"
before=$(present_pkgs)
run env KPURGE_APT_MODULE="$UD/m/kpurge-apt.so" "$POK" --root="$ROOT" --keep=1 --dry-run
assert_eq 0 "$rc" "--dry-run still shows the plan"
assert_contains "$err" "KPURGE_APT_MODULE" "a warning names the variable"
assert_contains "$err" "the plan is shown unchecked" "and says the plan is unchecked"
run env KPURGE_APT_MODULE="$UD/m/kpurge-apt.so" "$POK" --root="$ROOT" --keep=1 -y
assert_eq 1 "$rc" "a purge is refused"
assert_contains "$err" "nothing was removed" "nothing was removed"
assert_eq "$before" "$(present_pkgs)" "every package is still installed"
run env KPURGE_APT_MODULE="$UD/no-such-module.so" "$POK" --root="$ROOT" --keep=1 -y
assert_eq 1 "$rc" "a module missing in a directory the user owns is refused"
assert_eq "$before" "$(present_pkgs)" "every package is still installed"

section "PATH and HOME through a directory the user owns: dropped, replaced"
next_release
run env PATH="$UD/bin:$PATH" HOME="$UD/h" "$POK" --root="$ROOT" --keep=1 -y
assert_eq 0 "$rc" "the purge works"
assert_purged "$OLD"
path=$(apt_env PATH)
say "  apt-get's PATH: $path; HOME: $(apt_env HOME)"
case ":$path:" in
*":$UD/"*) fail "apt-get's PATH has no entry through $UD" ;;
*) pass "apt-get's PATH has no entry through $UD" ;;
esac
if [ "$(apt_env HOME)" != "$UD/h" ]; then
	pass "apt-get's HOME is not $UD/h"
else
	fail "apt-get's HOME is not $UD/h"
fi

section "the race: the user repoints its link once apt opened the checked file"
next_release
mkdir "$UD/evil"
{ cat "$good"; printf 'DPkg::Pre-Invoke:: "echo a Pre-Invoke of uid $(id -u) >%s";\n' "$marker"; } >"$UD/evil/apt.conf"
chown -R "$U:" "$UD/evil"
"${CC:-cc}" -O2 -o "$SANDBOX_TMP/swap-on-open" "$top_srcdir/tests/lib/swap-on-open.c" \
	|| die "cannot build the swap helper"
sum=$(status_sum)
rm -f "$UD/ready"
as_user "$U" "$SANDBOX_TMP/swap-on-open" "$SANDBOX_TMP/aptdir/apt.conf" "$UD/d" \
	"$UD/evil" "$UD/ready" 30 &
wait_for 10 test -s "$UD/ready" || die "the swap helper did not start"
RACER=$(cat "$UD/ready")
run env APT_CONFIG="$UD/d/apt.conf" "$POK" --root="$ROOT" --keep=1 -y
kill "$RACER" 2>/dev/null || true
wait 2>/dev/null || true
RACER=
say "# $UD/d -> $(readlink "$UD/d")"
assert_no_marker "the user's DPkg::Pre-Invoke did not run as root"
assert_eq 1 "$rc" "APT_CONFIG through the user's directory is refused"
assert_status_unchanged "$sum"
as_user "$U" ln -sfn "$SANDBOX_TMP/aptdir" "$UD/d"

section "writes: a root tree the user owns, its run a link to elsewhere"
# The sandbox root itself becomes the user's; what dpkg put in it stays
# root's. The user plants links where root would write.
next_release
rm -rf "$ROOT/run"
chown "$U:" "$ROOT"
mkdir -p "$SANDBOX_TMP/elsewhere"
as_user "$U" ln -s "$SANDBOX_TMP/elsewhere" "$ROOT/run"
mkdir -p "$ROOT/var/lib/prometheus"
chown "$U:" "$ROOT/var/lib/prometheus"
mkdir -p "$SANDBOX_TMP/elsewhere-prom"
as_user "$U" ln -s "$SANDBOX_TMP/elsewhere-prom" "$ROOT/var/lib/prometheus/node-exporter"
# tree: every name under the root and its change time, to see that
# nothing was written.
tree() { find "$ROOT" -printf '%p %y %U %C@\n' | LC_ALL=C sort; }
clear_elsewhere() { find "$SANDBOX_TMP/elsewhere" "$SANDBOX_TMP/elsewhere-prom" -mindepth 1 -delete; }
elsewhere() { find "$SANDBOX_TMP/elsewhere" "$SANDBOX_TMP/elsewhere-prom" -mindepth 1 | LC_ALL=C sort | tr '\n' ' '; }
R=${NEW#linux-image-}
for mode in --dry-run --list; do
	clear_elsewhere
	t=$(tree)
	run "$POK" --root="$ROOT" --running=$R --keep=1 $mode
	assert_eq 0 "$rc" "$mode works"
	assert_eq "" "$(elsewhere)" "$mode wrote nothing outside the root"
	assert_eq "$t" "$(tree)" "$mode wrote nothing in the root"
done
for mode in --hook --status=prometheus; do
	clear_elsewhere
	run "$POK" --root="$ROOT" --running=$R --keep=1 $mode
	assert_eq 0 "$rc" "$mode works"
	assert_eq "" "$(elsewhere)" "$mode wrote nothing outside the root"
done
conf "AUTO=yes" "KEEP=1"
sum=$(status_sum)
clear_elsewhere
run env PURGE_OLD_KERNELS_LOG=stderr "$POK" --root="$ROOT" --running=$R --auto
assert_eq "" "$(elsewhere)" "--auto wrote nothing outside the root (no lock, no state)"
assert_eq 1 "$rc" "--auto refuses a root whose lock it cannot trust"
assert_status_unchanged "$sum"
conf

section "writes: a root of root's, the metrics directory the user's link"
chown root: "$ROOT"
rm -f "$ROOT/run"
clear_elsewhere
run "$POK" --root="$ROOT" --running=$R --keep=1 --status=prometheus
assert_eq 0 "$rc" "--status=prometheus works"
assert_eq "" "$(elsewhere)" "the metrics are not written through the user's link"
assert_eq "format=1" "$(head -c8 "$ROOT$STATE_FILE_REL" 2>/dev/null)" "the state file under the root's own run is written"

section "writes: Debian's layout, /var/lib/prometheus the daemon's, node-exporter root's"
rm -f "$ROOT/var/lib/prometheus/node-exporter" "$ROOT$STATE_FILE_REL"
mkdir "$ROOT/var/lib/prometheus/node-exporter"
run "$POK" --root="$ROOT" --running=$R --keep=1 --status=byobu
assert_eq 0 "$rc" "--status=byobu works"
if [ -f "$ROOT/var/lib/prometheus/node-exporter/purge_old_kernels.prom" ]; then
	pass "the metrics are written"
else
	fail "the metrics are written"
fi

sandbox_finish
