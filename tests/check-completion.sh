#!/bin/bash
# The bash completion (completion/purge-old-kernels): it registers itself,
# completes the options of --help, the installed releases after --protect
# and --running (of the system given with --root; "none" too for --running)
# and directories after --root, whether or not "=" breaks words. The
# releases come from a scratch root whose dpkg status file is written here,
# so no root privileges are needed.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${POK:=$top_builddir/cli/purge-old-kernels}"
[ -x "$POK" ] || { echo "ERROR: $POK is not built"; exit 99; }

fails=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; fails=$((fails + 1)); }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pok-completion.XXXXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

# A root with two releases of two packages each, and a directory beside it.
root=$tmp/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$tmp/rootfs-other"
for r in 6.8.0-31 6.8.0-40; do
	for p in linux-image linux-modules; do
		printf 'Package: %s\nStatus: install ok installed\nPriority: optional\nSection: kernel\nMaintainer: tests <tests@invalid>\nArchitecture: %s\nVersion: %s\nDescription: test\n\n' \
			"$p-$r-generic" "$(dpkg --print-architecture 2>/dev/null || echo amd64)" "$r.${r##*-}"
	done
done >"$root/var/lib/dpkg/status"
: >"$root/var/lib/dpkg/available"

# shellcheck source=../completion/purge-old-kernels
. "$top_srcdir/completion/purge-old-kernels"

spec=$(complete -p purge-old-kernels 2>/dev/null)
case $spec in
*"-F _purge_old_kernels purge-old-kernels"*) ok "complete -p purge-old-kernels: $spec" ;;
*) not_ok "complete -p purge-old-kernels registers the function (got '$spec')" ;;
esac

# complete WORD...: run the completion with these words, the last one being
# completed; the sorted candidates, one a line, in $got.
complete_words() {
	COMP_WORDS=("$POK" "$@")
	COMP_CWORD=$(($# ))
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_purge_old_kernels purge-old-kernels "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
	got=$(printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort)
}

# expect WHAT EXPECTED WORD...: the candidates are exactly EXPECTED
# (blank-separated).
expect() {
	local what=$1 want
	want=$(printf '%s\n' $2 | LC_ALL=C sort)
	shift 2
	complete_words "$@"
	if [ "$got" = "$want" ]; then
		ok "$what"
	else
		not_ok "$what"
		echo "    words:    $*"
		echo "    expected: $(echo $want)"
		echo "    got:      $(echo $got)"
	fi
}

# expect_has WHAT NEEDLE... -- WORD...: the candidates include every NEEDLE.
expect_has() {
	local what=$1 needles=() n missing=
	shift
	while [ "$1" != -- ]; do needles+=("$1"); shift; done
	shift
	complete_words "$@"
	for n in "${needles[@]}"; do
		printf '%s\n' "$got" | grep -qxF -- "$n" || missing="$missing $n"
	done
	if [ -z "$missing" ]; then
		ok "$what"
	else
		not_ok "$what"
		echo "    words:   $*"
		echo "    missing:$missing"
		echo "    got:     $(echo $got)"
	fi
}

expect "--pro<TAB> gives --protect=" "--protect=" --pro
expect "--dr<TAB> gives --dry-run" "--dry-run" --dr
expect_has "--<TAB> offers the options of --help" \
	--keep= --dry-run --list --json --quiet --root= --running= --protect= --help --version -- --

# Every long option of --help is offered (and nothing else starting with --).
help_opts=$("$POK" --help | sed -n 's/^ \{1,\}\(-[[:alnum:]], \)\{0,1\}\(--[[:alnum:]-]\{1,\}\).*/\2/p' | LC_ALL=C sort)
complete_words --
offered=$(printf '%s\n' "$got" | sed 's/=$//' | LC_ALL=C sort)
if [ -n "$help_opts" ] && [ "$help_opts" = "$offered" ]; then
	ok "--<TAB> offers exactly the long options of --help ($(echo $help_opts | wc -w))"
else
	not_ok "--<TAB> offers exactly the long options of --help"
	echo "    --help:    $(echo $help_opts)"
	echo "    completed: $(echo $offered)"
fi

rels="6.8.0-31-generic 6.8.0-40-generic"
# With "=" in COMP_WORDBREAKS (bash's default), --opt=val is three words.
expect "--protect=<TAB> after --root=DIR: the releases" "$rels" \
	--root="$root" --protect =
expect "--protect=6.8.0-4<TAB>" "6.8.0-40-generic" \
	--root="$root" --protect = 6.8.0-4
expect "--protect <TAB> (separate word)" "$rels" \
	--root "$root" --protect ''
expect "--running=<TAB>: the releases and none" "$rels none" \
	--root = "$root" --running =
expect "--running=n<TAB>" "none" --root="$root" --running = n
# Without "=" in COMP_WORDBREAKS, --opt=val is one word.
expect "--protect=6.8.0-3<TAB> as one word" "--protect=6.8.0-31-generic" \
	--root="$root" --protect=6.8.0-3
expect "--root=<TAB> as one word: directories" "--root=$tmp/root --root=$tmp/rootfs-other" \
	--root="$tmp/ro"
expect "--root=<TAB>: directories" "$tmp/root $tmp/rootfs-other" --root = "$tmp/ro"
expect "--keep=<TAB>: small numbers" "0 1 2 3" --keep =
expect "a word that is no option: nothing" "" lin

# The releases of an empty root: none (and no error).
mkdir -p "$tmp/empty/var/lib/dpkg"
: >"$tmp/empty/var/lib/dpkg/status"
expect "--protect=<TAB> on a root without kernels: nothing" "" --root="$tmp/empty" --protect =

if [ "$fails" -gt 0 ]; then
	echo "# $fails check(s) failed"
	exit 1
fi
echo "# all completion checks passed"
exit 0
