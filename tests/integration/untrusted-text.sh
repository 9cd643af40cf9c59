#!/bin/sh
# Text from the dpkg database is untrusted: libdpkg only warns about a
# Version that holds bytes which are not UTF-8 or control characters, and
# keeps the package. Whatever such a status file holds:
# - --json (with --dry-run and with --list) is valid UTF-8 JSON that a
#   strict decoder reads, each invalid byte U+FFFD, controls \u escapes;
# - the UTF-8 check refuses lead bytes F5-FF, overlong forms, surrogates;
# - no raw control character (C0, DEL, C1) and no invalid UTF-8 reaches a
#   terminal: stderr (libdpkg's warnings through the library's log, the
#   hook's and the periodic job's messages) and stdout are escaped.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
. "$top_srcdir/tests/lib/unattended.sh"
sandbox_init
command -v "$PYTHON" >/dev/null 2>&1 || skip "$PYTHON is needed to read --json"
R=6.8.0-45-generic

section "setup: 6.8.0-{31,40,45}-generic, 45 running"
ubuntu_release 6.8.0-31 generic
ubuntu_release 6.8.0-40 generic
ubuntu_release 6.8.0-45 generic
dpkg_install
cp "$ROOT/var/lib/dpkg/status" "$SANDBOX_TMP/status.good"

# set_versions PKG=VERSION...: the good status file with those Versions.
set_versions() {
	"$PYTHON" - "$SANDBOX_TMP/status.good" "$ROOT/var/lib/dpkg/status" "$@" <<'EOF'
import sys
src, dst, pairs = sys.argv[1], sys.argv[2], sys.argv[3:]
want = {}
for p in pairs:
    name, _, hexv = p.partition("=")
    want[name.encode()] = bytes.fromhex(hexv)
out, pkg = [], None
for line in open(src, "rb").read().split(b"\n"):
    if line.startswith(b"Package: "):
        pkg = line[9:]
    if line.startswith(b"Version: ") and pkg in want:
        line = b"Version: " + want[pkg]
    out.append(line)
open(dst, "wb").write(b"\n".join(out))
EOF
}

# hexof TEXT: TEXT's bytes in hexadecimal (for set_versions).
hexof() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }

# json_strict FILE: "ok" when FILE is valid UTF-8 (strict: no surrogates,
# no overlong forms) and valid JSON; else why not.
json_strict() {
	"$PYTHON" -c 'import json,sys
try:
    json.loads(open(sys.argv[1], "rb").read().decode("utf-8", "strict"))
    print("ok")
except ValueError as e:
    print(e)' "$1"
}

# json_version FILE PKG: PKG's "version" in FILE as Python's ascii() of it.
json_version() {
	"$PYTHON" -c 'import json,sys
doc = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
print(ascii([p["version"] for p in doc["packages"] if p["name"] == sys.argv[2]][0]))' "$1" "$2"
}

# assert_clean_text WHAT FILE: FILE holds no C0 control but newline, no
# DEL, no C1 control and nothing that is not UTF-8.
assert_clean_text() {
	why=$("$PYTHON" -c 'import sys, unicodedata
data = open(sys.argv[1], "rb").read()
try:
    text = data.decode("utf-8", "strict")
except ValueError as e:
    print("not UTF-8: %s" % e); sys.exit(0)
bad = sorted({hex(ord(c)) for c in text if c != "\n" and unicodedata.category(c) == "Cc"})
if bad:
    print("raw control characters: %s" % " ".join(bad))' "$2")
	if [ -z "$why" ]; then
		pass "$1: no raw control character, valid UTF-8"
	else
		fail "$1: $why"
	fi
}

# capture NAME CMD...: run CMD; its stdout and stderr are kept as files
# $SANDBOX_TMP/NAME.out and NAME.err (byte for byte) besides run's $out $err.
capture() {
	capture__name=$1
	shift
	run "$@"
	cp "$SANDBOX_TMP/out" "$SANDBOX_TMP/$capture__name.out"
	cp "$SANDBOX_TMP/err" "$SANDBOX_TMP/$capture__name.err"
}

section "a Version with the bytes F8 88 80 (not UTF-8: F8 is no lead byte)"
set_versions "linux-modules-6.8.0-40-generic=$(hexof 6.8.0-40.40)f88880"
capture dry pok --running=$R --keep=1 --dry-run --json
assert_eq 0 "$rc" "--dry-run --json exits 0"
assert_eq ok "$(json_strict "$SANDBOX_TMP/dry.out")" "--dry-run --json is valid UTF-8 JSON"
assert_eq "'6.8.0-40.40\\ufffd\\ufffd\\ufffd'" \
	"$(json_version "$SANDBOX_TMP/dry.out" linux-modules-6.8.0-40-generic)" \
	"each invalid byte is U+FFFD"
assert_clean_text "--dry-run --json's stderr" "$SANDBOX_TMP/dry.err"
capture list pok --running=$R --keep=1 --list --json
assert_eq ok "$(json_strict "$SANDBOX_TMP/list.out")" "--list --json is valid UTF-8 JSON"
assert_clean_text "--list --json's stderr" "$SANDBOX_TMP/list.err"
assert_contains "$err" '6.8.0-40.40\xf8\x88\x80' "libdpkg's warning shows the bytes escaped"

section "overlong forms, surrogates, lead bytes F5-FF, a lone continuation byte"
set_versions \
	"linux-modules-6.8.0-31-generic=$(hexof 6.8.0-31.31)c0af" \
	"linux-headers-6.8.0-31-generic=$(hexof 6.8.0-31.31)e080af" \
	"linux-image-6.8.0-31-generic=$(hexof 6.8.0-31.31)eda080" \
	"linux-modules-extra-6.8.0-31-generic=$(hexof 6.8.0-31.31)f4908080" \
	"linux-modules-6.8.0-40-generic=$(hexof 6.8.0-40.40)f5808080" \
	"linux-headers-6.8.0-40-generic=$(hexof 6.8.0-40.40)ff80" \
	"linux-image-6.8.0-40-generic=$(hexof 6.8.0-40.40)80" \
	"linux-modules-extra-6.8.0-40-generic=$(hexof 6.8.0-40.40)c3a9e282ac"
capture bad pok --running=$R --keep=1 --dry-run --json
assert_eq ok "$(json_strict "$SANDBOX_TMP/bad.out")" "--dry-run --json is valid UTF-8 JSON"
while IFS='|' read -r pkg want what; do
	assert_eq "$want" "$(json_version "$SANDBOX_TMP/bad.out" "$pkg")" "$what"
done <<'EOF'
linux-modules-6.8.0-31-generic|'6.8.0-31.31\ufffd\ufffd'|C0 AF (overlong /) is replaced
linux-headers-6.8.0-31-generic|'6.8.0-31.31\ufffd\ufffd\ufffd'|E0 80 AF (overlong) is replaced
linux-image-6.8.0-31-generic|'6.8.0-31.31\ufffd\ufffd\ufffd'|ED A0 80 (a surrogate) is replaced
linux-modules-extra-6.8.0-31-generic|'6.8.0-31.31\ufffd\ufffd\ufffd\ufffd'|F4 90 80 80 (past U+10FFFF) is replaced
linux-modules-6.8.0-40-generic|'6.8.0-40.40\ufffd\ufffd\ufffd\ufffd'|F5 80 80 80 is replaced
linux-headers-6.8.0-40-generic|'6.8.0-40.40\ufffd\ufffd'|FF 80 is replaced
linux-image-6.8.0-40-generic|'6.8.0-40.40\ufffd'|a lone 80 is replaced
linux-modules-extra-6.8.0-40-generic|'6.8.0-40.40\xe9\u20ac'|valid UTF-8 (e-acute, euro sign) is kept
EOF
assert_clean_text "its stderr" "$SANDBOX_TMP/bad.err"

section "a Version with escape sequences, a bell and a C1 control (CSI)"
set_versions "linux-modules-6.8.0-40-generic=$(hexof 6.8.0-40.40)1b5b33316d5245441b5d303b7469746c6507c29b326a"
capture esc-dry pok --running=$R --keep=1 --dry-run --json
assert_eq ok "$(json_strict "$SANDBOX_TMP/esc-dry.out")" "--dry-run --json is valid JSON"
assert_eq "'6.8.0-40.40\\x1b[31mRED\\x1b]0;title\\x07\\x9b2j'" \
	"$(json_version "$SANDBOX_TMP/esc-dry.out" linux-modules-6.8.0-40-generic)" "JSON keeps the version's characters, escaped"
assert_clean_text "--dry-run --json's stderr" "$SANDBOX_TMP/esc-dry.err"
assert_contains "$err" '\x1b[31mRED\x1b]0;title\x07\xc2\x9b2j' "the warning shows the version escaped"
capture esc-list-json pok --running=$R --keep=1 --list --json
assert_eq ok "$(json_strict "$SANDBOX_TMP/esc-list-json.out")" "--list --json is valid JSON"
assert_clean_text "--list --json's stderr" "$SANDBOX_TMP/esc-list-json.err"
capture esc-list pok --running=$R --keep=1 --list
assert_eq 0 "$rc" "--list exits 0"
assert_clean_text "--list's stdout" "$SANDBOX_TMP/esc-list.out"
assert_clean_text "--list's stderr" "$SANDBOX_TMP/esc-list.err"
capture esc-plan pok --running=$R --keep=1 --dry-run
assert_clean_text "--dry-run's stdout" "$SANDBOX_TMP/esc-plan.out"
assert_clean_text "--dry-run's stderr" "$SANDBOX_TMP/esc-plan.err"

section "the hook and the periodic job: their messages are escaped too"
rm -f "$ROOT$STATE_FILE_REL"
capture hook pok --running=$R --hook
assert_contains "$err" "can be purged" "the hook gives its notice"
assert_contains "$err" '\x1b[31mRED' "with libdpkg's warning escaped"
assert_clean_text "--hook's stderr" "$SANDBOX_TMP/hook.err"
conf "AUTO=yes"
capture auto-file env PURGE_OLD_KERNELS_LOG="$SANDBOX_TMP/auto.log" \
	"$POK" --root="$ROOT" --running=$R --keep=1 --auto
assert_contains "$(cat "$SANDBOX_TMP/auto.log")" '(6.8.0-40.40\x1b[31mRED' \
	"the job's log file has apt-get's line about the package, escaped"
assert_clean_text "--auto's log file" "$SANDBOX_TMP/auto.log"
set_versions "linux-modules-6.8.0-40-generic=$(hexof 6.8.0-40.40)1b5b33316d5245441b5d303b7469746c6507c29b326a"
capture auto env PURGE_OLD_KERNELS_LOG=stderr "$POK" --root="$ROOT" --running=$R --keep=3 --auto
assert_contains "$err" '\x1b[31mRED' "the job logs libdpkg's warning, escaped"
assert_clean_text "--auto's log on stderr" "$SANDBOX_TMP/auto.err"
capture status pok --running=$R --status=prometheus
assert_clean_text "--status's stderr" "$SANDBOX_TMP/status.err"
conf
cp "$SANDBOX_TMP/status.good" "$ROOT/var/lib/dpkg/status"

sandbox_finish
