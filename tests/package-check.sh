#!/bin/sh
# Build the Debian packages the way a Debian machine would, and check them:
#
#  1. copy the source tree (the files git knows, committed or not, minus what
#     .gitignore ignores: no build output) to a scratch directory;
#  2. dpkg-buildpackage -us -uc -b there, as an unprivileged user when run as
#     root (as a build daemon does; the test suite runs in the build and its
#     root-only scenarios are skipped: CI runs them as root on its own);
#  3. lintian on the result: any error fails;
#  4. tests/integration/package-install.sh: the purge-old-kernels .deb in a
#     sandbox root with the real dpkg (needs root; skipped otherwise).
#
#   tests/package-check.sh [--output DIR]   keep the .debs, .changes and logs in DIR
#   tests/package-check.sh --print-deps     the Debian packages it needs
#
# Environment: PKG_BUILD_USER (default: nobody when root; "root" builds as
# root, and the build's test suite then runs the root-only scenarios too),
# DEB_BUILD_OPTIONS (default parallel=<cores>).
set -eu
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)

DEPS="debhelper dpkg-dev fakeroot lintian mandoc python3"
out=
while [ $# -gt 0 ]; do
	case $1 in
	--print-deps) echo "$DEPS"; exit 0 ;;
	--output) out=$2; shift ;;
	--output=*) out=${1#*=} ;;
	*) echo "usage: $0 [--output DIR] | --print-deps" >&2; exit 2 ;;
	esac
	shift
done

say() { printf '%s\n' "$*"; }
section() { printf '\n== %s\n' "$*"; }
die() { printf 'package-check: %s\n' "$*" >&2; exit 1; }

for tool in dpkg-buildpackage dh lintian; do
	command -v "$tool" >/dev/null 2>&1 \
		|| die "$tool is missing; install: $DEPS (and the Build-Depends: apt-get build-dep ./)"
done

name=$(sed -n '1s/^\([^ ]*\) .*/\1/p' "$top_srcdir/debian/changelog")
version=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$top_srcdir/debian/changelog")
arch=$(dpkg --print-architecture)

work=$(mktemp -d "${TMPDIR:-/tmp}/pok-package.XXXXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 0755 "$work"
src=$work/$name-$version

section "copy the source tree to $src"
mkdir "$src"
if git -C "$top_srcdir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# Tracked and new files, not ignored ones; deleted files are skipped.
	git -C "$top_srcdir" ls-files -z --cached --others --exclude-standard \
		| (cd "$top_srcdir" && xargs -0 sh -c 'for f; do [ -e "$f" ] || [ -L "$f" ] && printf "%s\0" "$f"; done; :' sh) \
		| (cd "$top_srcdir" && tar --null -T - -cf -) | tar -xf - -C "$src"
else
	# Not a git checkout (a release tarball): take everything; the build's
	# clean step (make distclean) removes what an earlier build left.
	(cd "$top_srcdir" && tar --exclude=./debian/tmp -cf - .) | tar -xf - -C "$src"
fi
say "$(find "$src" -type f | wc -l) files"

# Refuse to build debian/ output into the package by accident.
[ ! -e "$src/debian/tmp" ] || die "$src/debian/tmp exists: run 'debian/rules clean' in the tree"

user=${PKG_BUILD_USER:-}
if [ -z "$user" ]; then
	user=$(id -un)
	[ "$(id -u)" != 0 ] || ! id nobody >/dev/null 2>&1 || user=nobody
fi
# as_build_user CMD...: CMD as the build user, in the scratch directory.
as_build_user() {
	if [ "$user" = "$(id -un)" ]; then
		(cd "$src" && HOME=$work "$@")
	else
		(cd "$src" && HOME=$work setpriv --reuid="$user" --regid="$(id -gn "$user")" \
			--clear-groups --reset-env -- env HOME="$work" \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-}" "$@")
	fi
}
[ "$user" = "$(id -un)" ] || chown -R "$user:$(id -gn "$user")" "$work"
: "${DEB_BUILD_OPTIONS:=parallel=$(nproc 2>/dev/null || echo 2)}"
export DEB_BUILD_OPTIONS

section "dpkg-buildpackage -us -uc -b (as $user, DEB_BUILD_OPTIONS=$DEB_BUILD_OPTIONS)"
start=$(date +%s)
if ! as_build_user dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1; then
	tail -n 150 "$work/build.log"
	[ -z "$out" ] || { mkdir -p "$out" && cp "$work/build.log" "$out/"; }
	die "dpkg-buildpackage failed (the last 150 lines of its log are above)"
fi
say "built in $(($(date +%s) - start)) s"
# The test suite's summary, as the build ran it.
sed -n '/^# TOTAL:/,/^# ERROR:/p' "$work/build.log"
grep -E '^(PASS|SKIP|FAIL|ERROR|XFAIL|XPASS): ' "$work/build.log" | cut -d: -f1 | sort | uniq -c \
	| awk '{ printf "%s %s  ", $2, $1 } END { print "" }'

changes=$work/${name}_${version}_$arch.changes
[ -f "$changes" ] || die "no $changes"
debs=$(sed -n '/^Files:/,/^[^ ]/s/^ .* \([^ ]*\.deb\)$/\1/p' "$changes")
for d in $debs; do
	section "dpkg -c $d"
	dpkg-deb -I "$work/$d" | sed -n '/^ Package:/,$p' | grep -E '^ (Package|Version|Architecture|Section|Depends|Installed-Size):'
	dpkg-deb -c "$work/$d" | awk '{ print $1, $2, $6 (($7 == "->") ? " -> " $8 : "") }'
done

section "lintian"
status=0
as_build_user lintian --fail-on error --display-info "$changes" \
	>"$work/lintian.log" 2>&1 || status=$?
if [ -s "$work/lintian.log" ]; then
	cat "$work/lintian.log"
else
	say "(no tags)"
fi
[ "$status" -eq 0 ] || { [ -z "$out" ] || { mkdir -p "$out" && cp "$work"/*.log "$out/"; }; die "lintian found errors (exit $status)"; }

if [ -n "$out" ]; then
	mkdir -p "$out"
	for f in $debs "${changes##*/}" "${name}_${version}_$arch.buildinfo" build.log lintian.log; do
		[ ! -f "$work/$f" ] || cp "$work/$f" "$out/"
	done
	say "kept in $out: $(cd "$out" && ls | tr '\n' ' ')"
fi

section "fakeroot is not root to the integration tests"
# id -u says 0 under fakeroot, but dpkg --root would fail there: the
# sandbox must skip (77), as in a package build run under fakeroot.
status=0
(cd "$top_srcdir" && POK=/bin/true fakeroot sh -c '. tests/lib/sandbox.sh && sandbox_init') || status=$?
[ "$status" -eq 77 ] || die "under fakeroot, sandbox_init exited $status, not 77 (skip)"
say "ok: skipped (77)"

section "install into a sandbox root"
main_deb=$work/$(printf '%s\n' $debs | grep "^${name}_")
status=0
"$top_srcdir/tests/integration/package-install.sh" "$main_deb" >"$work/install.log" 2>&1 || status=$?
cat "$work/install.log"
[ -z "$out" ] || cp "$work/install.log" "$out/"
case $status in
0) ;;
77) say "(skipped: the sandbox needs root)" ;;
*) die "the sandbox install test failed (exit $status)" ;;
esac

# The build (with its test suite), lintian, fakeroot, and the sandbox's checks.
n=$(sed -n 's/^# all \([0-9]*\) checks passed$/\1/p' "$work/install.log")
echo
echo "package checks: $((3 + ${n:-0})) passed, 0 failed"
