#!/bin/sh
# --protect (and PROTECT=) name what they keep: a version without its
# flavour (6.8.0-40) protects every installed flavour of it; a value that
# names nothing installed is a usage error on the command line (exit 2,
# nothing removed, "did you mean ..." when a close name exists) and a
# warning naming the file and line in the configuration file, which --auto
# with AUTO=yes logs. Values outside the release grammar are usage errors.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
. "$top_srcdir/tests/lib/unattended.sh"
sandbox_init
R=6.8.0-45-generic
LOG=$SANDBOX_TMP/auto.log
unset JOURNAL_STREAM

section "setup: 6.8.0-31-generic, 6.8.0-40-{generic,lowlatency}, 6.8.0-45-generic (running)"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-40 lowlatency; r40l=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
dpkg_install
before=$(status_sum)

section "--protect=6.8.0-40: both flavours of 6.8.0-40 are kept, as protected"
pok_json --dry-run --keep=1 --running=$R --protect=6.8.0-40
assert_plan "6.8.0-45-generic 6.8.0-40-generic 6.8.0-40-lowlatency" "6.8.0-31-generic"
for r in 6.8.0-40-generic 6.8.0-40-lowlatency; do
	assert_match "$(json_query "$JSON" why "$r")" '^protected ' "$r is kept as protected"
done
assert_json_purge "$r31"
assert_not_contains "$err" "no such kernel release" "no warning for a version that is installed"

section "a --protect that names nothing installed: exit 2, nothing removed"
assert_exit 2 pok --keep=1 --running=$R --protect=6.8.0.40 -y
assert_contains "$err" "--protect=6.8.0.40: no such kernel release or version is installed; did you mean 6.8.0-40?"
assert_contains "$err" "nothing was removed"
assert_status_unchanged "$before"
assert_exit 2 pok --keep=1 --running=$R --protect=6.8.0-40-lowlatncy --dry-run
assert_contains "$err" "did you mean 6.8.0-40-lowlatency?"
assert_exit 2 pok --keep=1 --running=$R --protect=6.8.0-41 -y
assert_contains "$err" "did you mean 6.8.0-45, 6.8.0-40 or 6.8.0-31?" \
	"equally close versions are all named, newest first"
assert_status_unchanged "$before"
assert_exit 2 pok --keep=1 --running=$R --protect=4.19.0-99-armmp --dry-run
assert_contains "$err" "--protect=4.19.0-99-armmp: no such kernel release or version is installed"
assert_not_contains "$err" "did you mean" "no suggestion when nothing is close"
assert_eq "" "$out" "nothing on stdout"

section "--running and --protect outside the release grammar: usage errors"
for bad in '--running=x|.*' '--running=6.8.0-99-generic(' '--protect=6.8.0-40-generic|.*' \
	'--protect=6.8.0-40*' '--running=../6.8.0-40-generic'; do
	assert_exit 2 pok --keep=1 "$bad" --dry-run
	assert_match "$err" 'takes a kernel release' "$bad: says what it takes"
	assert_stderr_lines 1 "$bad: one line on stderr"
done
assert_exit 2 pok --keep=1 '--running=x|.*' -y
assert_status_unchanged "$before"

section "PROTECT= in the configuration file: a warning naming file and line"
conf "# kernels to keep" "KEEP=1" "PROTECT=6.8.0-41"
CONF=$ROOT$sysconfdir/purge-old-kernels.conf
assert_exit 0 pok --running=$R --dry-run
assert_contains "$err" "warning: $CONF:3: PROTECT=6.8.0-41: no such kernel release or version is installed; did you mean 6.8.0-45, 6.8.0-40 or 6.8.0-31?"
assert_contains "$out" "6.8.0-40-generic" "the dry run goes on"

section "--auto with AUTO=yes says so in its log, and purges the rest"
conf "AUTO=yes" "KEEP=1" "PROTECT=6.8.0-40 6.8.0-40-lowlatncy"
: >"$LOG"
assert_exit 2 env PURGE_OLD_KERNELS_LOG="$LOG" "$POK" --root="$ROOT" --running=$R --auto --protect=6.8.0.40
assert_contains "$(cat "$LOG")" "--protect=6.8.0.40: no such kernel release or version is installed; did you mean 6.8.0-40?; nothing was purged" \
	"--auto: a --protect that names nothing stops it"
assert_status_unchanged "$before"
: >"$LOG"
assert_exit 0 env PURGE_OLD_KERNELS_LOG="$LOG" "$POK" --root="$ROOT" --running=$R --auto
assert_contains "$(cat "$LOG")" "$CONF:3: PROTECT=6.8.0-40-lowlatncy: no such kernel release or version is installed; did you mean 6.8.0-40-lowlatency?"
assert_remaining "$r40 $r40l $r45 linux-base"

sandbox_finish
