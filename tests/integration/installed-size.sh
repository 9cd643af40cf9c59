#!/bin/sh
# An absurd Installed-Size (30 nines, as a corrupt or hostile status file
# may hold) saturates: --list shows a 4-character cell ("16E"), never a
# wrapped-around figure ("16384P"); the sums saturate too; --json says the
# saturated figure; the plan itself is the same as with sane sizes.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

section "setup: 6.8.0-{31,40,45}-generic; 31's and 40's images say 30 nines KiB"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic
dpkg_install
nines=999999999999999999999999999999
# The sandbox's own status file; dpkg wrote it, the test corrupts it.
"$PYTHON" - "$ROOT/var/lib/dpkg/status" "$nines" <<'EOF'
import re, sys
path, nines = sys.argv[1], sys.argv[2]
text = open(path).read()
out = []
for para in text.split("\n\n"):
    if re.search(r"^Package: linux-image-6\.8\.0-(31|40)-generic$", para, re.M):
        para = re.sub(r"^Installed-Size: .*$", "Installed-Size: " + nines, para, flags=re.M)
    out.append(para)
open(path, "w").write("\n\n".join(out))
EOF
assert_eq 2 "$(grep -c "^Installed-Size: $nines\$" "$ROOT/var/lib/dpkg/status")" \
	"two packages say 30 nines"
# 2^64 - 1 bytes in KiB, rounded down: the most a size can say.
max_kib=18014398509481983

section "--list: the SIZE cells saturate, 4 characters"
assert_exit 0 pok --list --keep=1 --running=none
assert_not_contains "$out" "16384P" "no wrapped-around size"
for r in 6.8.0-31-generic 6.8.0-40-generic; do
	assert_match "$(list_entry "$out" "$r")" "^$r +complete +16E " "$r: SIZE 16E"
done

section "--dry-run: the package, the release and the total saturate"
assert_exit 0 pok --dry-run --keep=1 --running=none
assert_not_contains "$out" "16384" "no wrapped-around size"
assert_match "$out" "linux-image-6\.8\.0-31-generic +16\.0 EiB" "the package: 16.0 EiB"
assert_match "$out" "freeing 16\.0 EiB" "the total: 16.0 EiB, not a sum that wrapped"

section "--json: the saturated figure, and the plan as usual"
pok_json --dry-run --keep=1 --running=none
assert_plan "6.8.0-45-generic" "6.8.0-31-generic 6.8.0-40-generic"
assert_json_purge "$r31 $r40"
"$PYTHON" - "$JSON" "$max_kib" >"$SANDBOX_TMP/sizes" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
top = int(sys.argv[2])
for r in doc["releases"]:
    print(r["name"], r["size_kib"], "ok" if r["size_kib"] <= top else "over")
EOF
assert_contains "$(cat "$SANDBOX_TMP/sizes")" "6.8.0-31-generic $max_kib ok" "31: saturated size_kib"
assert_contains "$(cat "$SANDBOX_TMP/sizes")" "6.8.0-40-generic $max_kib ok" "40: saturated size_kib"
assert_not_contains "$(cat "$SANDBOX_TMP/sizes")" "over" "no size beyond the saturated one"

section "purge for real: apt-get and dpkg take the same packages"
assert_exit 0 pok --keep=1 --running=none -y
assert_purged $r31 $r40

sandbox_finish
