#!/bin/sh
# The README's map ("Where things are") names every source file of lib/
# and cli/ and every test program: a file added without a line there, or
# a line left for a file that is gone, fails here.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
readme=$top_srcdir/README.md
[ -r "$readme" ] || { echo "ERROR: no $readme"; exit 99; }

fails=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; fails=$((fails + 1)); }

# The map: from its heading to the next second-level heading.
map=$(sed -n '/^## Where things are/,/^## Tests/p' "$readme")
[ -n "$map" ] || { echo "ERROR: README.md has no 'Where things are'"; exit 99; }

# named WORD: the map names WORD in backquotes, alone or as a path's end.
named() {
	printf '%s\n' "$map" | grep -q -F -e "\`$1\`" -e "/$1\`"
}

n=0
for f in "$top_srcdir"/lib/*.c "$top_srcdir"/lib/*.cc "$top_srcdir"/lib/*.h \
	"$top_srcdir"/lib/*.map "$top_srcdir"/cli/*.c "$top_srcdir"/cli/*.h; do
	[ -e "$f" ] || continue
	rel=${f#"$top_srcdir"/}
	n=$((n + 1))
	printf '%s\n' "$map" | grep -q -F "\`$rel\`" || not_ok "the map names $rel"
done
ok "$n source files of lib/ and cli/ looked up"

m=0
for f in "$top_srcdir"/tests/t-*.c "$top_srcdir"/tests/integration/*.sh \
	"$top_srcdir"/tests/check-*.sh; do
	[ -e "$f" ] || continue
	base=${f##*/}
	m=$((m + 1))
	case $base in
	t-*.c) named "${base%.c}" || named "tests/${base%.c}" || not_ok "the map names ${base%.c}" ;;
	check-*.sh) named "$base" || not_ok "the map names $base" ;;
	*) named "${base%.sh}" || not_ok "the map names ${base%.sh}" ;;
	esac
done
ok "$m test programs looked up"

# And no file the map names in lib/ or cli/ is gone.
for rel in $(printf '%s\n' "$map" | grep -o '`\(lib\|cli\)/[a-z0-9._-]*`' | tr -d '`' | sort -u); do
	[ -e "$top_srcdir/$rel" ] || not_ok "$rel, which the map names, exists"
done

if [ "$fails" -gt 0 ]; then
	echo "# $fails problems: update README.md's 'Where things are'"
	exit 1
fi
echo "# the map is complete"
