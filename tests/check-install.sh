#!/bin/sh
# make install, as configured (the default prefix is /usr/local): the apt
# hook and the cron job land where apt and cron read them (/etc/apt/
# apt.conf.d, /etc/cron.weekly, whatever the prefix) and run the installed
# program; every path of ours that the installed manual pages name is
# installed, or is the configuration file the program reads; the manual
# pages name that file, not /etc's when the build reads another. Installs
# into a scratch DESTDIR, never onto this system.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${MAKE:=make}"

fails=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; fails=$((fails + 1)); }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pok-install.XXXXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest

# The directories as configured: make check exports them (tests/local.mk);
# run by hand, they are asked of the Makefile.
var() {
	printf 'print-var:\n\t@echo $(%s)\ninclude Makefile\n' "$1" >"$tmp/print.mk"
	(cd "$top_builddir" && $MAKE -s --no-print-directory -f "$tmp/print.mk" print-var | tail -n 1)
}
: "${prefix:=$(var prefix)}" "${bindir:=$(var bindir)}" "${sysconfdir:=$(var sysconfdir)}"
: "${aptconfdir:=$(var aptconfdir)}" "${cronweeklydir:=$(var cronweeklydir)}"
echo "# bindir=$bindir sysconfdir=$sysconfdir aptconfdir=$aptconfdir cronweeklydir=$cronweeklydir"

if (cd "$top_builddir" && $MAKE -s --no-print-directory install DESTDIR="$dest") >"$tmp/install.log" 2>&1; then
	ok "make install DESTDIR=..."
else
	not_ok "make install DESTDIR=..."
	sed 's/^/    | /' "$tmp/install.log"
	exit 1
fi

for d in "$aptconfdir" "$cronweeklydir"; do
	case $d in
	/etc/*) ok "$d is under /etc, where apt and cron read" ;;
	*) echo "# $d was configured elsewhere on purpose (--with-aptconfdir, --with-cronweeklydir)" ;;
	esac
done
[ "$aptconfdir" = /etc/apt/apt.conf.d ] || [ "$prefix" != /usr/local ] \
	|| not_ok "the default aptconfdir is /etc/apt/apt.conf.d"

hook=$dest$aptconfdir/85purge-old-kernels
job=$dest$cronweeklydir/purge-old-kernels
for f in "$hook" "$job"; do
	if [ -f "$f" ]; then
		ok "installed ${f#"$dest"}"
	else
		not_ok "installed ${f#"$dest"}"
		continue
	fi
	if grep -qF "$bindir/purge-old-kernels" "$f" && [ -x "$dest$bindir/purge-old-kernels" ]; then
		ok "${f#"$dest"} runs the installed $bindir/purge-old-kernels"
	else
		not_ok "${f#"$dest"} runs the installed $bindir/purge-old-kernels"
	fi
done
[ -x "$job" ] && ok "the cron job is executable" || not_ok "the cron job is executable"

# Our paths that the installed manual pages name (what the program makes
# at run time, under /run and /var, aside).
find "$dest" -path '*/share/man/man*' -type f >"$tmp/pages"
found=$(wc -l <"$tmp/pages")
while read -r page; do
	case $page in *.gz) gzip -dc "$page" ;; *) cat "$page" ;; esac \
		| sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' -e 's/\\%//g' \
		| grep -oE '(^|[^[:alnum:]_.~-])/[[:alnum:]_./-]*' | sed -e 's|^[^/]||' -e 's|[./]*$||' \
		| grep -E 'purge.old.kernels|kpurge' | grep -vE '^/(run|var)/'
done <"$tmp/pages" | LC_ALL=C sort -u >"$tmp/named"
[ "$found" -ge 3 ] && ok "three manual pages installed" || not_ok "three manual pages installed ($found)"
while read -r p; do
	if [ -e "$dest$p" ]; then
		ok "the manual names $p, and it is installed"
	elif [ "$p" = "$sysconfdir/purge-old-kernels.conf" ]; then
		ok "the manual names $p, the configuration file read"
	else
		not_ok "the manual names $p, and it is installed"
	fi
done <"$tmp/named"
if grep -qxF "$sysconfdir/purge-old-kernels.conf" "$tmp/named"; then
	ok "the manual names the configuration file read, $sysconfdir/purge-old-kernels.conf"
else
	not_ok "the manual names the configuration file read, $sysconfdir/purge-old-kernels.conf"
fi
if [ "$sysconfdir" != /etc ] && grep -qxF /etc/purge-old-kernels.conf "$tmp/named"; then
	not_ok "the manual does not name /etc/purge-old-kernels.conf, which this build does not read"
fi

if [ "$fails" -gt 0 ]; then
	echo "# $fails checks failed"
	exit 1
fi
echo "# all checks passed"
