#!/bin/sh
# tests/check-format.sh: the C and C++ sources (lib/, cli/, tests/, bench/)
# against .clang-format, with clang-format 14 (Debian 12's; another
# version may format differently).
#
#   tests/check-format.sh [--enforce] [--list] [FILE...]
#
# Informational by default: says how many files and lines clang-format
# would change, and exits 0. tests/run-static (and so .ci/run) runs it with
# --enforce (or KP_FORMAT_ENFORCE=1): then it fails (exit 1) on any file
# it would change, naming them; reformat with
#   clang-format-14 -i $(tests/check-format.sh --list)
# --list prints the files checked and exits.
# Without clang-format: says so; exits 0, or 2 when enforcing.
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
enforce=${KP_FORMAT_ENFORCE:-0}
list=0
while [ $# -gt 0 ]; do
	case $1 in
	--enforce) enforce=1 ;;
	--list) list=1 ;;
	--) shift; break ;;
	-*) echo "check-format: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done

cd "$srcdir"
if [ $# -gt 0 ]; then
	files=$*
elif git rev-parse >/dev/null 2>&1; then
	files=$(git ls-files 'lib/*.c' 'lib/*.h' 'lib/*.cc' 'cli/*.c' 'cli/*.h' \
		'tests/*.c' 'tests/*.h' 'bench/*.c')
else
	files=$(find lib cli tests bench -name '*.[ch]' -o -name '*.cc' | sort)
fi
if [ "$list" = 1 ]; then
	# shellcheck disable=SC2086 # one file a word
	printf '%s\n' $files
	exit 0
fi

cf=
for c in clang-format-14 clang-format; do
	command -v "$c" >/dev/null 2>&1 && { cf=$c; break; }
done
if [ -z "$cf" ]; then
	echo "check-format: clang-format is not installed (apt-get install clang-format)"
	[ "$enforce" = 1 ] && exit 2
	exit 0
fi

n_files=0 n_changed=0 n_lines=0 changed=
for f in $files; do
	n_files=$((n_files + 1))
	# Lines of f that clang-format would rewrite ("<" lines of the diff).
	n=$("$cf" --style=file "$f" | diff "$f" - | grep -c '^<' || :)
	[ "$n" -gt 0 ] || continue
	n_changed=$((n_changed + 1))
	n_lines=$((n_lines + n))
	changed="$changed $f"
done
echo "clang-format ($("$cf" --version | sed -n 's/.*version \([0-9.]*\).*/\1/p')): $n_changed of $n_files files, $n_lines lines would change"
if [ "$enforce" = 1 ] && [ "$n_changed" -gt 0 ]; then
	# shellcheck disable=SC2086 # one file a word
	printf '  %s\n' $changed
	echo "check-format: FAILED; format them with: $cf -i FILE..."
	exit 1
fi
[ "$n_changed" -eq 0 ] || echo "check-format: informational (--enforce to fail on it)"
exit 0
