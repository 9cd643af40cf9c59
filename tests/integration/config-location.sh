#!/bin/sh
# Which configuration file counts. A build configured with another
# sysconfdir (make install's default, /usr/local/etc) reads
# SYSCONFDIR/purge-old-kernels.conf; an admin's /etc/purge-old-kernels.conf
# then changes nothing, and the program says so instead of ignoring it
# quietly. A build for /etc (the Debian package) reads it, without a word.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
. "$top_srcdir/tests/lib/unattended.sh"
sandbox_init
R=6.8.0-45-generic

section "setup: 6.8.0-{31,40,45}-generic, 45 running; /etc/purge-old-kernels.conf says KEEP=0"
ubuntu_release 6.8.0-31 generic
ubuntu_release 6.8.0-40 generic
ubuntu_release 6.8.0-45 generic
dpkg_install
mkdir -p "$ROOT/etc"
printf 'KEEP=0\n' >"$ROOT/etc/purge-old-kernels.conf"
say "# this build's sysconfdir: $sysconfdir"

run pok --running=$R --dry-run
assert_eq 0 "$rc" "--dry-run exits 0"
if [ "$sysconfdir" = /etc ]; then
	assert_contains "$out" "6.8.0-40-generic:" "KEEP=0 from /etc is read: 40 goes too"
	assert_not_contains "$err" "is not read" "no warning"
else
	assert_contains "$err" "warning: $ROOT/etc/purge-old-kernels.conf is not read: this build reads $ROOT$sysconfdir/purge-old-kernels.conf" \
		"a warning names the file not read and the one read"
	assert_not_contains "$out" "6.8.0-40-generic:" "KEEP=0 was not applied: 40 stays"

	section "with the file in $sysconfdir as well: still said, and that file counts"
	conf "KEEP=0"
	run pok --running=$R --dry-run
	assert_contains "$out" "6.8.0-40-generic:" "KEEP=0 from $sysconfdir is read"
	assert_contains "$err" "is not read" "the warning stays: /etc's file is still not read"
fi

sandbox_finish
