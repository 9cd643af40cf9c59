#!/bin/sh
# One version everywhere: purge-old-kernels --version prints the version
# configure.ac declares (AC_INIT), the manual pages that name a version in
# their .TH line name that one, and debian/changelog's newest entry is for
# it (when debian/ is there: release tarballs have none).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${POK:=$top_builddir/cli/purge-old-kernels}"
[ -x "$POK" ] || { echo "ERROR: $POK is not built"; exit 99; }

fails=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; fails=$((fails + 1)); }

# AC_INIT([purge-old-kernels], [0.1.0], ...)
version=$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")
[ -n "$version" ] || { echo "ERROR: no version in AC_INIT of configure.ac"; exit 99; }
echo "# configure.ac: $version"

first=$("$POK" --version | head -n 1)
if [ "$first" = "purge-old-kernels $version" ]; then
	ok "--version prints '$first'"
else
	not_ok "--version prints 'purge-old-kernels $version' (got '$first')"
fi

for page in "$top_srcdir"/man/*.[1-9]; do
	th=$(grep -m1 '^\.TH' "$page")
	case $th in
	*"purge-old-kernels $version"*) ok "${page##*/}: .TH names $version" ;;
	*"purge-old-kernels "[0-9]*) not_ok "${page##*/}: .TH names $version (got: $th)" ;;
	*) echo "# ${page##*/}: .TH names no version" ;;
	esac
done

changelog=$top_srcdir/debian/changelog
if [ -f "$changelog" ]; then
	# "purge-old-kernels (0.1.0) unstable; ...": the upstream part of the
	# version (no epoch, no Debian revision) is the upstream version.
	deb=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$changelog")
	upstream=${deb#*:}
	upstream=${upstream%-*}
	if [ "$upstream" = "$version" ]; then
		ok "debian/changelog's newest entry is $deb"
	else
		not_ok "debian/changelog's newest entry is for $version (got '$deb'): add an entry with dch -v"
	fi
else
	echo "# no debian/changelog here"
fi

[ "$fails" -eq 0 ] || { echo "# $fails check(s) failed"; exit 1; }
echo "# all version checks passed"
exit 0
