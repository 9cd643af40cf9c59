#!/bin/sh
# The environment cannot redirect the purge (cli/environ.c, the man page's
# ENVIRONMENT), through the real apt-get and dpkg:
# - PATH: "." or an empty entry first, with fake apt-get, dpkg and rm in
#   the current directory, and a directory anyone can write: none of them
#   runs, apt-get's hooks get a clean PATH; with cron's PATH without sbin,
#   and with no PATH at all, --fix's dpkg still runs (it refuses both);
# - DPKG_FORCE never reaches apt-get; a HOME another user owns, whose
#   .dpkg.cfg makes dpkg run a command, is not dpkg's HOME; the caller's
#   DEBIAN_FRONTEND, TMPDIR and locale are apt-get's;
# - DPKG_FRONTEND_LOCKED does not let --fix's dpkg skip the frontend lock
#   another program holds;
# - DPKG_ROOT and DPKG_ADMINDIR naming another database are refused
#   without --root, and change nothing with it;
# - APT_CONFIG is read by the proof as by apt-get (a broken one stops the
#   proof), is refused when anybody can write it, and still names the same
#   file for the --auto the hook starts in /;
# - --auto reads apt-get's messages in English whatever the locale: a busy
#   lock is a clean give-up, not a failed purge; it answers no question.
# The purges go to a sandbox root; what runs without --root only reads.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
. "$top_srcdir/tests/lib/unattended.sh"
sandbox_init
. "$top_srcdir/tests/lib/apt-env.sh"
command -v "$PYTHON" >/dev/null 2>&1 || skip "$PYTHON is needed to hold dpkg's locks"
LOG=$SANDBOX_TMP/auto.log
unset JOURNAL_STREAM DPKG_ROOT DPKG_ADMINDIR DPKG_FORCE DPKG_FRONTEND_LOCKED

# What apt-get's hooks see: its environment, written by a DPkg::Pre-Invoke
# command (a shell builtin: no PATH look-up), and a Post-Invoke that runs
# "rm" by name, as Docker's docker-clean does.
cat >"$ROOT/etc/apt/apt.conf.d/50environment" <<EOF
DPkg::Pre-Invoke { "export -p >$SANDBOX_TMP/apt-env"; };
DPkg::Post-Invoke { "rm -f $SANDBOX_TMP/no-such-file"; };
EOF

section "setup: two custom releases"
next_release
next_release

section "PATH: '.', an empty entry and a directory anyone can write come first"
# Each fake writes the marker: none may run, whatever looks them up.
mkdir -p "$SANDBOX_TMP/cwd" "$SANDBOX_TMP/open"
chmod 0777 "$SANDBOX_TMP/open"
for p in apt-get dpkg rm sh ldconfig start-stop-daemon; do
	for d in "$SANDBOX_TMP/cwd" "$SANDBOX_TMP/open"; do
		printf '#!/bin/sh\necho "%s" >>"%s"\n' "$d/$p" "$marker" >"$d/$p"
		chmod 0755 "$d/$p"
	done
done
cd "$SANDBOX_TMP/cwd"
run env "PATH=.:$SANDBOX_TMP/open::$PATH" "$POK" --root="$ROOT" --keep=1 -y
cd - >/dev/null
assert_eq 0 "$rc" "the purge works"
assert_purged "$OLD"
assert_installed "$NEW"
assert_no_marker "no apt-get, dpkg or rm of the current directory or of a directory anyone can write ran"
path=$(apt_env PATH)
say "  apt-get's PATH: $path"
case ":$path:" in
*:.:* | *::* | *":$SANDBOX_TMP/open:"*) fail "apt-get's PATH has no '.', empty or world-writable entry" ;;
*) pass "apt-get's PATH has no '.', empty or world-writable entry" ;;
esac
case ":$path:" in
*:/usr/sbin:*) pass "apt-get's PATH has /usr/sbin" ;;
*) fail "apt-get's PATH has /usr/sbin" ;;
esac

# apt-get repairs a PATH without sbin for the dpkg it runs; --fix runs
# dpkg itself, and dpkg refuses to run without ldconfig in PATH.
section "PATH without sbin (a user crontab's): --fix's dpkg finds ldconfig"
next_release
run env PATH=/usr/bin:/bin "$POK" --root="$ROOT" --keep=1 --fix -y
assert_eq 0 "$rc" "--fix works"
assert_not_contains "$out$err" "not found in PATH" "dpkg does not miss a program"
assert_purged "$OLD"
assert_installed "$NEW"

section "no PATH at all: --fix's dpkg, and apt-get's hooks, get root's standard PATH"
next_release
run env -u PATH "$POK" --root="$ROOT" --keep=1 --fix -y
assert_eq 0 "$rc" "--fix works"
assert_not_contains "$out$err" "PATH is not set"
assert_purged "$OLD"
assert_installed "$NEW"
next_release
run env -u PATH "$POK" --root="$ROOT" --keep=1 -y
assert_eq 0 "$rc" "the purge works"
assert_purged "$OLD"
# Root's standard PATH, of the directories this system has.
want=
for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
	[ ! -d "$d" ] || want=${want:+$want:}$d
done
assert_eq "$want" "$(apt_env PATH)" "apt-get gets root's standard PATH"

section "DPKG_FORCE removed; another user's HOME is not dpkg's; the rest as given"
next_release
home=$SANDBOX_TMP/userhome
mkdir -p "$home" "$SANDBOX_TMP/tmpdir"
# dpkg reads ~/.dpkg.cfg: a status logger is a command it runs, as root.
printf 'status-logger "echo dpkg.cfg >>%s"\n' "$marker" >"$home/.dpkg.cfg"
if id nobody >/dev/null 2>&1; then
	chown -R nobody "$home"
else
	chmod 0777 "$home"
fi
run env DPKG_FORCE=depends,remove-essential HOME="$home" \
	DEBIAN_FRONTEND=readline TMPDIR="$SANDBOX_TMP/tmpdir" LANGUAGE=de \
	"$POK" --root="$ROOT" --keep=1 -y
assert_eq 0 "$rc" "the purge works"
assert_purged "$OLD"
assert_installed "$NEW"
assert_no_marker "dpkg did not read the other user's ~/.dpkg.cfg"
if apt_has DPKG_FORCE; then
	fail "DPKG_FORCE did not reach apt-get (it is '$(apt_env DPKG_FORCE)')"
else
	pass "DPKG_FORCE did not reach apt-get"
fi
if [ "$(apt_env HOME)" != "$home" ]; then
	pass "apt-get's HOME is not $home ($(apt_env HOME))"
else
	fail "apt-get's HOME is not $home"
fi
assert_eq readline "$(apt_env DEBIAN_FRONTEND)" "DEBIAN_FRONTEND as given"
assert_eq "$SANDBOX_TMP/tmpdir" "$(apt_env TMPDIR)" "TMPDIR as given"
assert_eq de "$(apt_env LANGUAGE)" "the locale as given"

section "DPKG_FRONTEND_LOCKED: --fix's dpkg takes the frontend lock another program holds"
next_release
sum=$(status_sum)
hold_locks 120 "$ROOT/var/lib/dpkg/lock-frontend"
run env DPKG_FRONTEND_LOCKED=true "$POK" --root="$ROOT" --keep=1 --fix -y
release_locks
if [ "$rc" != 0 ]; then pass "--fix fails (exit $rc)"; else fail "--fix fails"; fi
assert_match "$err" "lock" "dpkg says the lock is taken"
assert_installed "$OLD" "$NEW"
assert_status_unchanged "$sum"

section "DPKG_ROOT, DPKG_ADMINDIR: another database"
decoy=$SANDBOX_TMP/decoy
sandbox_root_skeleton "$decoy"
"$DPKG" --root="$decoy" --log="$decoy/var/log/dpkg.log" -i \
	"$(deb linux-image-5.10.1 5.10.1-1 /boot/vmlinuz-5.10.1:1024)" \
	"$(deb linux-image-5.10.2 5.10.2-1 /boot/vmlinuz-5.10.2:1024)" \
	>"$SANDBOX_TMP/decoy.log" 2>&1 || { cat "$SANDBOX_TMP/decoy.log"; die "cannot fill the decoy"; }
decoy_sum=$(cksum <"$decoy/var/lib/dpkg/status")
# Without --root it is this system's database: only read it, as nobody
# (root's --list would bring this system's state file up to date).
if id nobody >/dev/null 2>&1; then
	run as_user nobody env DPKG_ROOT="$decoy" "$POK" --list
	assert_eq 1 "$rc" "DPKG_ROOT elsewhere: refused"
	assert_contains "$err" "DPKG_ROOT=$decoy would point dpkg at another system" "it says why"
	assert_contains "$err" "--root=$decoy" "and what to do"
	assert_stderr_lines 1
	run as_user nobody env DPKG_ADMINDIR="$decoy/var/lib/dpkg" "$POK" --dry-run
	assert_eq 1 "$rc" "DPKG_ADMINDIR elsewhere: refused"
	assert_contains "$err" "DPKG_ADMINDIR=$decoy/var/lib/dpkg would point dpkg at another database"
	run as_user nobody env DPKG_ROOT= DPKG_ADMINDIR=/var/lib/dpkg "$POK" --list
	assert_eq 0 "$rc" "DPKG_ROOT empty (as dpkg sets it for maintainer scripts) and DPKG_ADMINDIR of this system: accepted"
else
	say "# no user nobody: the refusals without --root are not exercised"
fi
run env DPKG_ROOT="$decoy" "$POK" --root="$ROOT" --keep=1 --hook
assert_eq 0 "$rc" "--hook with --root"
assert_not_contains "$err" "DPKG_ROOT" "with --root, DPKG_ROOT is no matter"
# With --root: dpkg gets --root, which wins over both.
run env DPKG_ROOT="$decoy" DPKG_ADMINDIR="$decoy/var/lib/dpkg" \
	"$POK" --root="$ROOT" --keep=1 -y
assert_eq 0 "$rc" "the purge with --root works"
assert_purged "$OLD"
assert_installed "$NEW"
assert_eq "$decoy_sum" "$(cksum <"$decoy/var/lib/dpkg/status")" "the decoy's database is unchanged"
if apt_has DPKG_ROOT || apt_has DPKG_ADMINDIR; then
	fail "neither reached apt-get"
else
	pass "neither reached apt-get"
fi

section "APT_CONFIG: the proof reads it as apt-get does"
next_release
good=$APT_CONFIG
sum=$(status_sum)
runs=$(apt_runs)
{ cat "$good"; printf 'This is { not "apt syntax\n'; } >"$SANDBOX_TMP/broken.conf"
run env APT_CONFIG="$SANDBOX_TMP/broken.conf" "$POK" --root="$ROOT" --keep=1 -y
assert_eq 1 "$rc" "a broken APT_CONFIG stops the proof (apt-get's own failure would be 100)"
assert_contains "$err" "apt's configuration"
assert_status_unchanged "$sum"
assert_eq "$runs" "$(apt_runs)" "apt-get did not run dpkg"

section "APT_CONFIG that moves apt's Dir: the proof stays on the plan's database"
# With --root, apt-get's -o Dir=ROOT wins over the file; the proof too.
{ cat "$good"; printf 'Dir "%s/elsewhere/";\n' "$SANDBOX_TMP"; } >"$SANDBOX_TMP/dir.conf"
run env APT_CONFIG="$SANDBOX_TMP/dir.conf" "$POK" --root="$ROOT" --keep=1 --dry-run
assert_eq 0 "$rc" "--root: a Dir in APT_CONFIG does not stop the proof"
assert_not_contains "$err" "warning" "the plan is proved (no warning)"
# Without --root the plan is made from this system's database; apt sent to
# another one is refused (a dry run: shown unchecked, nothing runs).
{ cat "$good"; printf 'Dir::State::status "%s/var/lib/dpkg/status";\n' "$ROOT"; } >"$SANDBOX_TMP/status.conf"
run env APT_CONFIG="$SANDBOX_TMP/status.conf" "$POK" --dry-run
assert_eq 0 "$rc" "a dry run on this system exits 0"
assert_contains "$err" "apt's configuration reads the dpkg database $ROOT/var/lib/dpkg/status, not /var/lib/dpkg/status" \
	"apt reading another database than the plan's is refused, both named"
assert_status_unchanged "$sum"

section "APT_CONFIG anybody can write: refused"
{ cat "$good"; printf 'DPkg::Pre-Invoke:: "echo APT_CONFIG >>%s";\n' "$marker"; } >"$SANDBOX_TMP/open.conf"
chmod 0666 "$SANDBOX_TMP/open.conf"
run env APT_CONFIG="$SANDBOX_TMP/open.conf" "$POK" --root="$ROOT" --keep=1 -y
assert_eq 1 "$rc" "refused"
assert_contains "$err" "APT_CONFIG=$SANDBOX_TMP/open.conf is not a file only root can change"
assert_no_marker "its Pre-Invoke command did not run"
assert_status_unchanged "$sum"
run env APT_CONFIG="$SANDBOX_TMP/missing.conf" "$POK" --root="$ROOT" --keep=1 -y
assert_eq 1 "$rc" "an APT_CONFIG that is not there: refused (apt would only warn)"
assert_contains "$err" "cannot read APT_CONFIG=$SANDBOX_TMP/missing.conf"
assert_status_unchanged "$sum"

section "APT_CONFIG relative: the same file for the --auto the hook starts in /"
conf "AUTO=yes" "TIMEOUT=60"
cp "$good" "$SANDBOX_TMP/cwd/relative.conf"
cd "$SANDBOX_TMP/cwd"
run env APT_CONFIG=relative.conf PURGE_OLD_KERNELS_LOG="$LOG" \
	"$POK" --root="$ROOT" --keep=1 --hook
cd - >/dev/null
assert_eq 0 "$rc" "the hook exits 0"
assert_contains "$err" "once apt is done" "it starts the purge"
gone() { [ "$(pkg_state "$OLD")" != ii ]; }
wait_for 90 gone || true
wait_for 30 grep -q "purged" "$LOG" || true
sed 's/^/  log: /' "$LOG" 2>/dev/null || true
assert_purged "$OLD"
assert_installed "$NEW"
assert_eq $((runs + 1)) "$(apt_runs)" "apt-get read the sandbox's configuration (its guard ran)"
assert_eq "$SANDBOX_TMP/cwd/relative.conf" "$(apt_env APT_CONFIG)" "apt-get got it absolute"
conf

section "--auto, translated: a busy lock is a clean give-up, not a failure"
next_release
conf "AUTO=yes" "TIMEOUT=5"
locales=$SANDBOX_TMP/locale
domain=$(find /usr/share/locale/ru/LC_MESSAGES -name 'libapt-pkg*.mo' 2>/dev/null | sed -n 's|^.*/\(libapt-pkg.*\)\.mo$|\1|p' | head -1)
msgid="Could not get lock %s. It is held by process %d"
if [ -z "$domain" ] || ! command -v localedef >/dev/null 2>&1 || ! command -v gettext >/dev/null 2>&1 ||
	! mkdir -p "$locales" || ! localedef -i ru_RU -f UTF-8 "$locales/ru_RU.UTF-8" >/dev/null 2>&1 ||
	[ "$(LOCPATH=$locales LC_ALL=ru_RU.UTF-8 gettext -d "$domain" "$msgid")" = "$msgid" ]; then
	say "# no Russian locale or translation of apt here: not exercised"
else
	sum=$(status_sum)
	# Not one of the locks --auto waits for itself: apt-get meets it.
	hold_locks 120 "$ROOT/var/cache/apt/archives/lock"
	: >"$LOG"
	run env LOCPATH="$locales" LC_ALL=ru_RU.UTF-8 PURGE_OLD_KERNELS_LOG="$LOG" \
		"$POK" --root="$ROOT" --keep=1 --auto
	release_locks
	sed 's/^/  log: /' "$LOG"
	assert_eq 0 "$rc" "exit 0"
	assert_contains "$(cat "$LOG")" "apt's lock stayed busy; giving up until the next run"
	assert_not_contains "$(cat "$LOG")" "apt-get failed"
	assert_status_unchanged "$sum"
fi
: >"$LOG"
run env LC_ALL=ru_RU.UTF-8 DEBIAN_FRONTEND=dialog TMPDIR=/nonexistent \
	PURGE_OLD_KERNELS_LOG="$LOG" "$POK" --root="$ROOT" --keep=1 --auto
sed 's/^/  log: /' "$LOG"
assert_eq 0 "$rc" "--auto purges (TMPDIR names no directory)"
assert_purged "$OLD"
assert_installed "$NEW"
assert_eq noninteractive "$(apt_env DEBIAN_FRONTEND)" "apt-get asks no question"
assert_eq C "$(apt_env LC_ALL)" "apt-get speaks English"
conf

sandbox_finish
