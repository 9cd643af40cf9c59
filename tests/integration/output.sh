#!/bin/sh
# Output for people and programs: --list has no escape codes without a
# terminal or with NO_COLOR set, colours on a terminal; through a pipe one
# row a release, never wrapped; on a terminal it fits the terminal's width
# or COLUMNS, and no package or release name is ever broken across lines;
# --json parses and its purge list is what the dry run names.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init
command -v "$PYTHON" >/dev/null 2>&1 || skip "$PYTHON is needed"

section "setup: GA 5.15.0-{91,101}, HWE 6.8.0-{31,40} with tools, mainline 6.7.0-060700rc1 held"
ubuntu_release 5.15.0-91 generic
ubuntu_release 5.15.0-101 generic
ubuntu_release 6.8.0-31 generic src=linux-hwe-6.8 tools
ubuntu_release 6.8.0-40 generic src=linux-hwe-6.8 tools
mainline_release 6.7.0-060700rc1 generic
dpkg_install
# A long package name in the WHY column.
hold linux-image-unsigned-6.7.0-060700rc1-generic
present_pkgs >"$SANDBOX_TMP/present"
releases="5.15.0-91-generic 5.15.0-101-generic 6.8.0-31-generic 6.8.0-40-generic 6.7.0-060700rc1-generic"
set -- --running=6.8.0-40-generic --keep=1
esc=$(printf '\033')

# widest TEXT: the widest line of TEXT in characters, escape sequences and
# carriage returns left out.
widest() {
	printf '%s\n' "$1" | "$PYTHON" -c '
import re, sys
text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", sys.stdin.read()).replace("\r", "")
print(max((len(l) for l in text.split("\n")), default=0))'
}

section "--list without a terminal"
assert_exit 0 pok --list "$@"
list=$out
assert_not_contains "$out$err" "$esc" "no escape codes"
for r in $releases; do
	assert_contains "$out" "$r" "--list names $r"
done
# The table: its header, then one line a release, none wrapped onto a
# continuation line (which would start with blanks).
table=$(printf '%s\n' "$out" | sed -n '/^RELEASE /,/^$/p' | sed '/^$/d')
assert_eq 6 "$(printf '%s\n' "$table" | wc -l)" "through a pipe: the header and one line a release"
assert_eq "" "$(printf '%s\n' "$table" | grep '^ ' || :)" "through a pipe: no continuation line"
assert_contains "$out" "linux-image-unsigned-6.7.0-060700rc1-generic is on hold" "the long reason on its row, whole"
assert_exit 0 env COLUMNS=50 "$POK" --root="$ROOT" --list "$@"
assert_eq 6 "$(printf '%s\n' "$out" | sed -n '/^RELEASE /,/^$/p' | sed '/^$/d' | wc -l)" \
	"through a pipe, COLUMNS (a terminal's) changes nothing"

# whole_names TEXT: every release and package name of the sandbox that
# TEXT shows at all, it shows whole (a name cut at a line's end would leave
# a piece that is not a name).
whole_names() {
	printf '%s\n' "$1" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g' | tr -d '\r' \
		| grep -oE '(linux|[0-9]+\.[0-9]+\.[0-9]+)[A-Za-z0-9.+~-]*' | sed 's/\.$//' \
		| LC_ALL=C sort -u >"$SANDBOX_TMP/shown"
	{ cat "$SANDBOX_TMP/present"; printf '%s\n' $releases; printf '%s\n' $releases | sed 's/-[a-z]*$//'; } \
		| LC_ALL=C sort -u >"$SANDBOX_TMP/known"
	LC_ALL=C comm -23 "$SANDBOX_TMP/shown" "$SANDBOX_TMP/known" | grep -vxE '6\.8|5\.15|[0-9.]+' || :
}

if command -v script >/dev/null 2>&1; then
	cmd="stty cols 80 rows 24 2>/dev/null; exec '$POK' --root='$ROOT' --list $*"
	section "--list on a terminal (script), NO_COLOR unset"
	assert_exit 0 env -u NO_COLOR -u COLUMNS TERM=xterm-256color script -qec "$cmd" /dev/null
	assert_contains "$out" "$esc[" "colours"
	w=$(widest "$out")
	if [ "$w" -le 80 ]; then pass "fits an 80-column terminal ($w)"; else fail "fits an 80-column terminal ($w)"; fi
	assert_contains "$(printf '%s' "$out" | tr -d '\r')" "6.7.0-060700rc1-generic" "the held release is listed"
	assert_eq "" "$(whole_names "$out")" "no name broken across lines on an 80-column terminal"

	section "on a terminal, COLUMNS wins over the terminal's width"
	# (bash, the shell script(1) runs, sets COLUMNS from the terminal after
	# stty: the program's own environment says 60.)
	cmd60="stty cols 80 rows 24 2>/dev/null; exec env COLUMNS=60 '$POK' --root='$ROOT' --list $*"
	assert_exit 0 env NO_COLOR=1 TERM=xterm-256color script -qec "$cmd60" /dev/null
	w=$(widest "$out")
	if [ "$w" -le 60 ]; then pass "--list fits COLUMNS=60 ($w)"; else fail "--list fits COLUMNS=60 ($w)"; fi
	assert_eq "" "$(whole_names "$out")" "no name broken across lines at 60 columns"
	cmd40="stty cols 40 rows 24 2>/dev/null; exec '$POK' --root='$ROOT' --dry-run $*"
	assert_exit 0 env -u COLUMNS NO_COLOR=1 TERM=xterm-256color script -qec "$cmd40" /dev/null
	assert_contains "$out" "linux-modules-extra-5.15.0-101-generic" "--dry-run on a 40-column terminal: a 38-character name, whole"
	assert_eq "" "$(whole_names "$out")" "--dry-run on a 40-column terminal: no name broken across lines"

	section "--list on a terminal with NO_COLOR=1"
	assert_exit 0 env NO_COLOR=1 TERM=xterm-256color script -qec "$cmd" /dev/null
	assert_not_contains "$out" "$esc[" "no colours"
else
	say "# script(1) not available: terminal output not checked"
fi

section "--list --json parses; its purge list is what --dry-run names"
pok_json --list "$@"
# Every key of the document, and every reason it gives, is in the manual's
# JSON OUTPUT section (a script's author reads the page, not the code).
sed -n '/^\.SH JSON OUTPUT/,/^\.SH /p' "$top_srcdir/man/purge-old-kernels.8" \
	| sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' >"$SANDBOX_TMP/json-section"
"$PYTHON" - "$JSON" >"$SANDBOX_TMP/json-words" <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1]))
words = set()
def walk(v):
    if isinstance(v, dict):
        for k, x in v.items():
            words.add(k)
            if k == "reason" and isinstance(x, str):
                words.add(x)
            walk(x)
    elif isinstance(v, list):
        for x in v:
            walk(x)
walk(doc)
print("\n".join(sorted(words)))
PYEOF
undocumented=
while read -r word; do
	grep -qE "(^|[^[:alnum:]_-])$word([^[:alnum:]_-]|$)" "$SANDBOX_TMP/json-section" \
		|| undocumented="$undocumented $word"
done <"$SANDBOX_TMP/json-words"
assert_eq "" "$undocumented" "every JSON key and reason here is in the manual's JSON OUTPUT ($(wc -l <"$SANDBOX_TMP/json-words") words)"
purge=$(json_query "$JSON" purge)
# The running release is also the newest: --keep=1 keeps it, and the held one.
assert_plan "6.8.0-40-generic 6.7.0-060700rc1-generic" \
	"5.15.0-91-generic 5.15.0-101-generic 6.8.0-31-generic"
assert_exit 0 pok --dry-run "$@"
assert_not_contains "$out$err" "$esc" "the dry run has no escape codes"
# Every installed package the dry run mentions, by name.
named=$(printf '%s\n' "$out" | tr -c 'A-Za-z0-9.+~-' '\n' | sed 's/\.$//' \
	| LC_ALL=C sort -u | LC_ALL=C comm -12 - "$SANDBOX_TMP/present")
assert_set "the dry run names exactly the JSON purge list" "$purge" "$named"
pok_json --dry-run "$@"
assert_set "--dry-run --json purges what --list --json does" "$purge" "$(json_query "$JSON" purge)"

sandbox_finish
