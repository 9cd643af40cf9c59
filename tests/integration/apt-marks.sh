#!/bin/sh
# apt's own protections and marks (issue 17 item 2, issue 16 item 6): the
# marks set with the real apt-mark, shown by --list and the JSON; what
# `apt autoremove` would do to each release, checked against what the real
# `apt-get -s autoremove` lists on the same root, a held image apt would
# split from its headers among them; an APT::NeverAutoRemove pattern for
# one release (a file in apt.conf.d, or a forwarded -o) keeps it, naming
# the pattern, and a distribution-wide pattern changes nothing;
# --only-auto-installed and ONLY_AUTO_INSTALLED=yes keep the release
# installed by hand, and a real purge takes the automatic ones.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
. "$top_srcdir/tests/lib/unattended.sh"
sandbox_init

APT_MARK=${APT_GET%apt-get}apt-mark
[ "$APT_MARK" != "$APT_GET" ] && command -v "$APT_MARK" >/dev/null 2>&1 \
	|| APT_MARK=apt-mark
command -v "$APT_MARK" >/dev/null 2>&1 || skip "apt-mark not found"

# apt_at CMD ARG...: apt-mark or apt-get pointed at the sandbox, as the
# other apt tests point it.
apt_at() {
	local cmd="$1"
	shift
	"$cmd" -o Dir="$ROOT" -o Dir::State::status="$ROOT/var/lib/dpkg/status" "$@"
}

# apt_removes: the packages the real `apt-get -s autoremove` would remove.
apt_removes() {
	apt_at "$APT_GET" -s autoremove | sed -n 's/^Remv \([^ ]*\) .*/\1/p' \
		| LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'
}

# json_field WHAT: from $JSON, "release=value" of a release field, or the
# packages whose "apt_autoremoves" is true.
json_field() {
	"$PYTHON" - "$JSON" "$1" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
what = sys.argv[2]
if what == "auto":
    print(" ".join(sorted(p["name"] for p in doc["packages"] if p["apt_mark"] == "auto")))
elif what == "autoremoves":
    print(" ".join(sorted(p["name"] for p in doc["packages"] if p["apt_autoremoves"])))
else:
    print(" ".join("%s=%s" % (r["name"], r[what]) for r in doc["releases"]))
EOF
}

section "setup: 6.8.0-{31,35,38,40,45}-generic, marked auto by apt-mark; 6.8.0-35 manual; 6.8.0-31's image held"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-35 generic; r35=$RELEASE_PKGS
ubuntu_release 6.8.0-38 generic; r38=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
dpkg_install
apt_kernel_protection
kernel_pkgs=$(present_pkgs | tr ' ' '\n' | grep -v '^linux-base$' | tr '\n' ' ')
assert_exit 0 apt_at "$APT_MARK" auto $kernel_pkgs
# 6.8.0-35 installed by hand, as `apt install linux-image-R linux-headers-R
# linux-modules-extra-R` leaves it (its modules and flavour-less headers
# came as dependencies).
manual35="linux-image-6.8.0-35-generic linux-modules-extra-6.8.0-35-generic linux-headers-6.8.0-35-generic"
assert_exit 0 apt_at "$APT_MARK" manual $manual35
assert_exit 0 apt_at "$APT_MARK" showmanual
assert_set "apt-mark showmanual: linux-base and 6.8.0-35's" \
	"linux-base $manual35" "$out"
hold linux-image-6.8.0-31-generic
cp -a "$ROOT" "$SANDBOX_TMP/root.orig"
restore() {
	rm -rf "$ROOT"
	cp -a "$SANDBOX_TMP/root.orig" "$ROOT"
}
# apt protects the newest two kernels, booted or not: the running kernel
# is the newest, so the host's own uname changes nothing in apt-get's view.
set -- --running=6.8.0-45-generic

section "--list: every release's mark and apt's verdict"
assert_exit 0 pok "$@" --list
list=$out
assert_match "$list" '^  6\.8\.0-35-generic +manual +never removes it: installed by hand' \
	"6.8.0-35: manual, apt autoremove never removes it"
assert_match "$list" '^  6\.8\.0-38-generic +auto +would remove it' \
	"6.8.0-38: auto, apt autoremove would remove it"
assert_match "$list" '^  6\.8\.0-45-generic +auto +protected \(apt.s kernel protection\)' \
	"6.8.0-45: protected by apt's kernel protection"
assert_match "$list" '^  6\.8\.0-31-generic +auto +would split it: remove linux-headers-6\.8\.0-31-generic, linux-modules-extra-6\.8\.0-31-generic; keep linux-image-6\.8\.0-31-generic \(on hold\)' \
	"6.8.0-31: apt would remove its headers and keep its held image"
assert_not_contains "$list" "apt autoremove would protect:" \
	"the misleading 'would protect' line is gone"

section "the verdicts agree with the real apt-get -s autoremove"
pok_json "$@" --list
removes=$(apt_removes)
say "apt-get -s autoremove removes: $removes"
assert_contains " $removes " " linux-headers-6.8.0-31-generic " \
	"apt-get removes the held release's headers"
assert_not_contains " $removes " " linux-image-6.8.0-31-generic " \
	"apt-get keeps the held image"
assert_set "JSON apt_autoremoves is exactly what apt-get -s autoremove removes" \
	"$removes" \
	"$(json_field autoremoves)"
assert_eq "6.8.0-45-generic=protected 6.8.0-40-generic=protected 6.8.0-38-generic=would-remove 6.8.0-35-generic=never 6.8.0-31-generic=partial" \
	"$(json_field apt_autoremove)" "JSON: apt_autoremove per release"
assert_eq "6.8.0-45-generic=auto 6.8.0-40-generic=auto 6.8.0-38-generic=auto 6.8.0-35-generic=manual 6.8.0-31-generic=auto" \
	"$(json_field apt_mark)" "JSON: apt_mark per release, as apt-mark set it"
assert_exit 0 apt_at "$APT_MARK" showauto
assert_set "JSON apt_mark auto: exactly apt-mark showauto's packages" \
	"$out" "$(json_field auto)"
for p in $r38; do
	[ "$p" = linux-base ] && continue
	assert_contains " $removes " " $p " "apt-get removes $p (6.8.0-38: would-remove)"
done
for p in $r35 $r40 $r45; do
	[ "$p" = linux-base ] && continue
	assert_not_contains " $removes " " $p " "apt-get keeps $p"
done

section "APT::NeverAutoRemove in the root's apt.conf.d keeps 6.8.0-38, naming the pattern"
printf 'APT::NeverAutoRemove:: "^linux-image-6\\.8\\.0-38-generic$";\n' \
	>"$ROOT/etc/apt/apt.conf.d/50admin"
pok_json "$@" --dry-run
assert_plan "6.8.0-45-generic 6.8.0-40-generic 6.8.0-38-generic 6.8.0-31-generic" \
	"6.8.0-35-generic"
assert_eq 'apt-never-autoremove APT::NeverAutoRemove pattern '\''^linux-image-6\.8\.0-38-generic$'\'' names linux-image-6.8.0-38-generic' \
	"$(json_query "$JSON" why 6.8.0-38-generic)" "6.8.0-38's reason names the pattern"
removes=$(apt_removes)
assert_not_contains " $removes " " linux-image-6.8.0-38-generic " \
	"apt-get -s autoremove keeps 6.8.0-38's image too"
assert_set "JSON apt_autoremoves still what apt-get removes" \
	"$removes" \
	"$(json_field autoremoves)"
assert_exit 0 pok "$@" --list
assert_match "$(list_entry "$out" 6.8.0-38-generic)" \
	"KEEP +APT::NeverAutoRemove pattern" "--list: 6.8.0-38 kept for the pattern"
rm -f "$ROOT/etc/apt/apt.conf.d/50admin"

section "APT::NeverAutoRemove forwarded with -o keeps 6.8.0-38"
pok_json "$@" --dry-run -o 'APT::NeverAutoRemove::=^linux-image-6\.8\.0-38-generic$'
assert_plan "6.8.0-45-generic 6.8.0-40-generic 6.8.0-38-generic 6.8.0-31-generic" \
	"6.8.0-35-generic"
assert_match "$(json_query "$JSON" why 6.8.0-38-generic)" '^apt-never-autoremove ' \
	"-o: 6.8.0-38 kept for the pattern"
assert_eq "6.8.0-38-generic=^linux-image-6\\.8\\.0-38-generic\$" \
	"$(json_field apt_never_autoremove | tr ' ' '\n' | grep -v '=None$')" \
	"JSON: apt_never_autoremove names the pattern on 6.8.0-38 alone"

section "a distribution-wide pattern that matches every image changes nothing"
pok_json "$@" --dry-run
plain=$(json_query "$JSON" purge)
printf 'APT::NeverAutoRemove:: "^linux-image-.*";\nAPT::NeverAutoRemove:: "^linux-.*-generic$";\n' \
	>"$ROOT/etc/apt/apt.conf.d/01distro"
pok_json "$@" --dry-run
assert_eq "$plain" "$(json_query "$JSON" purge)" "the purge list is the same"
assert_plan "6.8.0-45-generic 6.8.0-40-generic 6.8.0-31-generic" \
	"6.8.0-38-generic 6.8.0-35-generic"
assert_contains "$(json_field apt_autoremove)" "6.8.0-38-generic=protected" \
	"yet apt itself would keep 6.8.0-38's image: protected"
rm -f "$ROOT/etc/apt/apt.conf.d/01distro"

section "--only-auto-installed: 6.8.0-35 (installed by hand) kept; a real purge takes 6.8.0-38"
pok_json "$@" --dry-run --only-auto-installed
assert_plan "6.8.0-45-generic 6.8.0-40-generic 6.8.0-35-generic 6.8.0-31-generic" \
	"6.8.0-38-generic"
assert_eq "manually-installed installed by hand: apt marks linux-image-6.8.0-35-generic manually installed" \
	"$(json_query "$JSON" why 6.8.0-35-generic)" "6.8.0-35's reason"
assert_exit 0 pok "$@" --only-auto-installed -y
assert_purged $(printf '%s\n' $r38 | grep -v '^linux-base$')
assert_remaining "$r31 $r35 $r40 $r45 linux-base"
restore

section "--fix (no proof) follows apt's marks and APT::NeverAutoRemove too"
assert_exit 0 pok "$@" --fix --dry-run
assert_contains "$out" "linux-image-6.8.0-35-generic" "without: --fix would purge 6.8.0-35"
assert_contains "$out" "linux-image-6.8.0-38-generic" "without: --fix would purge 6.8.0-38"
assert_exit 0 pok "$@" --fix --dry-run --only-auto-installed \
	-o 'APT::NeverAutoRemove::=^linux-image-6\.8\.0-38-generic$'
assert_not_contains "$out" "linux-image-6.8.0-35-generic" \
	"--only-auto-installed: --fix keeps 6.8.0-35"
assert_not_contains "$out" "linux-image-6.8.0-38-generic" \
	"-o APT::NeverAutoRemove: --fix keeps 6.8.0-38"
assert_contains "$out" "Step 1/3: nothing to purge; skipped" "so its dpkg step has nothing to do"

section "ONLY_AUTO_INSTALLED=yes in the configuration file does the same"
conf "ONLY_AUTO_INSTALLED=yes"
assert_exit 0 pok "$@" --list
assert_match "$(list_entry "$out" 6.8.0-35-generic)" "KEEP +installed by hand" \
	"--list: 6.8.0-35 kept, installed by hand"
assert_exit 0 pok "$@" -y
assert_purged $(printf '%s\n' $r38 | grep -v '^linux-base$')
assert_remaining "$r31 $r35 $r40 $r45 linux-base"
restore
section "ONLY_AUTO_INSTALLED=yes with AUTO=yes: the periodic job keeps 6.8.0-35 too"
conf "ONLY_AUTO_INSTALLED=yes" "AUTO=yes"
: >"$SANDBOX_TMP/auto.log"
assert_exit 0 env PURGE_OLD_KERNELS_LOG="$SANDBOX_TMP/auto.log" \
	"$POK" --root="$ROOT" --running=6.8.0-45-generic --auto
assert_purged $(printf '%s\n' $r38 | grep -v '^linux-base$')
assert_remaining "$r31 $r35 $r40 $r45 linux-base"
conf "ONLY_AUTO_INSTALLED=maybe"
assert_exit 1 pok "$@" -y
assert_contains "$err" "ONLY_AUTO_INSTALLED must be yes or no, not 'maybe'" \
	"a bad value is an error"
assert_remaining "$r31 $r35 $r40 $r45 linux-base"
conf
restore

section "without it, the release installed by hand is purged as before"
assert_exit 0 pok "$@" -y
assert_purged $(printf '%s\n' $r38 $r35 | grep -v '^linux-base$')

sandbox_finish
