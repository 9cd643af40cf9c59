#!/bin/sh
# The manual pages: every page in man/ formats without a warning (mandoc
# -T lint and man --warnings, whichever are installed); purge-old-kernels(8)
# documents every option --help shows and --help shows every option of the
# page's OPTIONS; libkpurge(3) names every function of lib/kpurge.h; no
# name, option or path is broken across lines when a page is rendered.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${POK:=$top_builddir/cli/purge-old-kernels}"
[ -x "$POK" ] || { echo "ERROR: $POK is not built"; exit 99; }

fails=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; fails=$((fails + 1)); }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pok-man.XXXXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

pages=$(ls "$top_srcdir"/man/*.[1-9] 2>/dev/null)
[ -n "$pages" ] || { echo "ERROR: no manual pages in $top_srcdir/man"; exit 99; }

## Formatting.

linted=0
if command -v mandoc >/dev/null 2>&1; then
	linted=1
	for page in $pages; do
		if mandoc -T lint -W warning "$page" >"$tmp/lint" 2>&1 && [ ! -s "$tmp/lint" ]; then
			ok "mandoc -T lint: ${page##*/}"
		else
			not_ok "mandoc -T lint: ${page##*/}"
			sed 's/^/    | /' "$tmp/lint"
		fi
	done
fi
if command -v man >/dev/null 2>&1 && command -v groff >/dev/null 2>&1; then
	linted=1
	for page in $pages; do
		# Formatted at 80 columns, as a terminal shows it; groff's
		# warnings (-ww) go to stderr.
		if LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" \
			>"$tmp/out" 2>"$tmp/warn" && [ ! -s "$tmp/warn" ] && [ -s "$tmp/out" ]; then
			ok "man --warnings: ${page##*/}"
		else
			not_ok "man --warnings: ${page##*/}"
			sed 's/^/    | /' "$tmp/warn"
		fi
		# Names, options and paths are literals: no line of the
		# rendered page ends inside one ("DPkg::Op-", "linux-head-").
		if grep -nE '[[:alnum:]:/.][-‐]$' "$tmp/out" >"$tmp/broken"; then
			not_ok "no word broken at a line's end: ${page##*/}"
			sed 's/^/    | /' "$tmp/broken"
		else
			ok "no word broken at a line's end: ${page##*/}"
		fi
	done
fi
[ "$linted" = 1 ] || echo "# neither mandoc nor man with groff is installed: pages not linted"

## --help and purge-old-kernels(8) agree.

# roff_text FILE: the page with roff's escapes for - and font changes removed.
roff_text() {
	sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f(..//g' -e 's/\\(em/--/g' "$1"
}

# The options --help lists: lines of the option block, "-k, --keep=N ...".
"$POK" --help >"$tmp/help" 2>&1 || { not_ok "purge-old-kernels --help exits 0"; }
awk '/^ +(-[[:alnum:]], +)?--[[:alnum:]]/ || /^ +-[[:alnum:]]( |,|$)/ {
		line = $0
		sub(/^ +/, "", line)
		sub(/  .*/, "", line)          # the description
		n = split(line, opt, /, */)
		for (i = 1; i <= n; i++) {
			sub(/[= \[].*/, "", opt[i]) # the value: =N, [=N], " N"
			print opt[i]
		}
	}' "$tmp/help" | LC_ALL=C sort -u >"$tmp/help-opts"

# The options the page's OPTIONS section lists: its .TP tags (the line after
# each .TP), up to the next .SH.
page8=$top_srcdir/man/purge-old-kernels.8
roff_text "$page8" | awk '
	/^\.SH/ { in_opts = ($0 ~ /^\.SH "?OPTIONS"?$/); next }
	in_opts && tag { print; tag = 0; next }
	in_opts && /^\.TP/ { tag = 1 }' \
	| grep -o -- '\(^\|[ "]\)--\{0,1\}[[:alnum:]][[:alnum:]-]*' | sed 's/^[ "]//' \
	| grep '^-' | LC_ALL=C sort -u >"$tmp/man-opts"

if [ ! -s "$tmp/help-opts" ] || [ ! -s "$tmp/man-opts" ]; then
	not_ok "options found in --help ($(wc -l <"$tmp/help-opts")) and in the OPTIONS of purge-old-kernels.8 ($(wc -l <"$tmp/man-opts"))"
else
	missing=$(LC_ALL=C comm -23 "$tmp/help-opts" "$tmp/man-opts" | tr '\n' ' ')
	extra=$(LC_ALL=C comm -13 "$tmp/help-opts" "$tmp/man-opts" | tr '\n' ' ')
	if [ -z "$missing" ]; then
		ok "every option of --help is in purge-old-kernels.8's OPTIONS ($(wc -l <"$tmp/help-opts") options)"
	else
		not_ok "every option of --help is in purge-old-kernels.8's OPTIONS; missing: $missing"
	fi
	if [ -z "$extra" ]; then
		ok "every option of purge-old-kernels.8's OPTIONS is in --help"
	else
		not_ok "every option of purge-old-kernels.8's OPTIONS is in --help; not in --help: $extra"
	fi
fi

## libkpurge(3) and the header.

page3=$top_srcdir/man/libkpurge.3
if [ -f "$page3" ]; then
	# Functions the header declares: "kp_name(" at a declaration, not in
	# a comment (comment lines start with " *" or "/*").
	grep -v '^ *\(/\*\|\*\)' "$top_srcdir/lib/kpurge.h" \
		| grep -o '\bkp_[a-z0-9_]*(' | tr -d '(' | LC_ALL=C sort -u >"$tmp/api"
	roff_text "$page3" | grep -o '\bkp_[a-z0-9_]*' | LC_ALL=C sort -u >"$tmp/doc"
	missing=$(LC_ALL=C comm -23 "$tmp/api" "$tmp/doc" | tr '\n' ' ')
	if [ ! -s "$tmp/api" ]; then
		not_ok "functions found in lib/kpurge.h"
	elif [ -z "$missing" ]; then
		ok "libkpurge.3 names every function of kpurge.h ($(wc -l <"$tmp/api"))"
	else
		not_ok "libkpurge.3 names every function of kpurge.h; missing: $missing"
	fi
fi

## The most --keep and KEEP take: KP_KEEP_MAX, the one constant.

keep_max=$(sed -n 's/^#define KP_KEEP_MAX \([0-9]*\)u.*/\1/p' "$top_srcdir/lib/kpurge.h")
conf5=$top_srcdir/man/purge-old-kernels.conf.5
if [ -z "$keep_max" ]; then
	not_ok "KP_KEEP_MAX found in lib/kpurge.h"
else
	# KEEP's paragraph and the example error message.
	said=$(roff_text "$conf5" | sed -n -e '/KEEP must be/p' -e '/^\.BI KEEP=/,/^\.TP/p' \
		| grep -o '0 to [0-9]*' | LC_ALL=C sort -u | tr '\n' ' ')
	if [ "$said" = "0 to $keep_max " ]; then
		ok "purge-old-kernels.conf.5 says KEEP is 0 to KP_KEEP_MAX ($keep_max)"
	else
		not_ok "purge-old-kernels.conf.5 says KEEP is 0 to KP_KEEP_MAX ($keep_max), not: $said"
	fi
fi

if [ "$fails" -gt 0 ]; then
	echo "# $fails check(s) failed"
	exit 1
fi
echo "# all manual page checks passed"
exit 0
