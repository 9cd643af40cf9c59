#!/bin/sh
# --list shows every release's reason and its share of /boot (its files
# there, the initrd its hooks made included), what the plan frees in all
# and on /boot, and /boot's use before and after; --dry-run and the summary
# before a purge show /boot's line too. On a terminal with colours a bar
# shows /boot's use and everything fits 80 columns; through a pipe there
# are no escape codes and the table is one line a release. The sandbox's /boot is a tmpfs of 4 MiB when one can be
# mounted, so the figures are exact.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init
command -v "$PYTHON" >/dev/null 2>&1 || skip "$PYTHON is needed"

if ! mount_boot 4m; then
	say "# no tmpfs on the sandbox's /boot: figures checked for their form only"
fi

section "setup: 5.15.0-91, 6.8.0-{31,40,45}-generic, each with an initrd; a held 5.15.0-91"
ubuntu_release 5.15.0-91 generic
ubuntu_release 6.8.0-31 generic
ubuntu_release 6.8.0-40 generic
ubuntu_release 6.8.0-45 generic
dpkg_install
hold linux-image-5.15.0-91-generic
# Made by the kernels' hooks, owned by no package: 512 KiB each.
for r in 5.15.0-91 6.8.0-31 6.8.0-40 6.8.0-45; do
	printf '%524288s' '' >"$ROOT/boot/initrd.img-$r-generic"
done
esc=$(printf '\033')

# widest TEXT: the widest line, escape sequences and carriage returns left out.
widest() {
	printf '%s\n' "$1" | "$PYTHON" -c '
import re, sys
text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", sys.stdin.read()).replace("\r", "")
print(max((len(l) for l in text.split("\n")), default=0))'
}
fits() {
	w=$(widest "$1")
	if [ "$w" -le 80 ]; then pass "$2 fits 80 columns ($w)"; else fail "$2 fits 80 columns ($w)"; fi
}
# unwrapped TEXT WHAT: through a pipe, no line is a continuation (blanks
# first, then a word) of the --list table's row above.
unwrapped() {
	if printf '%s\n' "$1" | sed -n '/^RELEASE /,/^$/p' | grep -q '^ '; then
		fail "$2: one line a release"
		printf '%s\n' "$1" | sed 's/^/    | /'
	else
		pass "$2: one line a release"
	fi
}

section "--list through a pipe: reasons, /boot per release, totals, no escape codes"
assert_exit 0 pok --list --keep=1
list=$out
assert_eq "" "$err" "nothing on stderr"
assert_not_contains "$list" "$esc" "no escape codes"
unwrapped "$list" "--list through a pipe"
assert_match "$list" '^RELEASE +STATE +SIZE +/BOOT +ACTION +WHY$' "the table has a /BOOT column"
# vmlinuz 48 KiB + System.map 8 KiB + config 4 KiB + initrd 512 KiB = 572 KiB;
# SIZE is the Installed-Size (162 KiB) plus the initrd no package owns.
assert_match "$(list_entry "$list" 6.8.0-45-generic)" '^6\.8\.0-45-generic +complete +674K +572K +KEEP +the newest kernel version$' \
	"6.8.0-45: kept as the newest, 674K in all, 572K on /boot"
assert_match "$(list_entry "$list" 5.15.0-91-generic | tr -s ' \n' '  ')" ' 572K +KEEP .*on hold' \
	"5.15.0-91: kept, on hold"
assert_match "$(list_entry "$list" 6.8.0-40-generic)" ' 572K +PURGE +older than' "6.8.0-40: purged, older"
assert_match "$(list_entry "$list" 6.8.0-31-generic)" ' 572K +PURGE +older than' "6.8.0-31: purged, older"
pok_json --list --keep=1
figures=$("$PYTHON" -c 'import json, sys
d = json.load(open(sys.argv[1]))
b = d["boot"]
freed = sum(r["boot_bytes"] for r in d["releases"] if r["action"] == "purge")
k = d["purge_kib"]
print("%d_KiB" % k if k < 1024 else "%.1f_MiB" % (k / 1024.0), len(d["purge"]),
      b["freed_bytes"] == freed, b["freed_bytes"])' "$JSON")
set -- $figures
assert_eq "True" "$3" "JSON: /boot's freed bytes are the purged releases' boot_bytes"
assert_eq "1171456" "$4" "JSON: 2 x 572 KiB freed on /boot"
assert_contains "$list" "To purge: $2 packages of 2 old kernel releases (freeing $(printf '%s' "$1" | tr _ ' '))." \
	"the total freed: Installed-Size and initrds"
if [ "$boot_mounted" = 1 ]; then
	# tmpfs counts 4 KiB pages: 4 x (48+8+4+512) KiB = 2288 KiB, 56% of 4 MiB.
	assert_contains "$list" "/boot: 2.2 MiB of 4.0 MiB used (56%); 1.1 MiB (28%) after freeing 1.1 MiB." \
		"/boot's use before and after, and what the purge frees there"
else
	assert_match "$list" '^/boot: [0-9.]+ [KMGT]iB of [0-9.]+ [KMGT]iB used \([0-9]+%\); [0-9.]+ [KMGT]iB \([0-9]+%\) after freeing 1\.1 MiB\.$' \
		"/boot's use before and after, and what the purge frees there"
fi

section "--dry-run and the summary before a purge show /boot's line"
boot_line=$(printf '%s\n' "$list" | grep '^/boot: ')
assert_exit 0 pok --dry-run --keep=1
assert_contains "$out" "$boot_line" "--dry-run shows it"
assert_exit 0 pok --keep=1 -y -s
assert_contains "$out" "$boot_line" "the summary before a purge shows it"

if command -v script >/dev/null 2>&1; then
	cmd="stty cols 80 rows 24 2>/dev/null; exec '$POK' --root='$ROOT' --list --keep=1"
	section "--list on a terminal: a coloured bar of /boot's use"
	assert_exit 0 env -u NO_COLOR TERM=xterm-256color script -qec "$cmd" /dev/null
	assert_contains "$out" "${esc}[" "colours"
	fits "$out" "--list on a terminal"
	bar=$(printf '%s\n' "$out" | tr -d '\r' | sed "s/$esc\[[0-9;]*m//g" | grep -E '^ +\[[#=-]+\]')
	assert_match "$bar" '^       \[#+=+-+\] = freed$' "the bar: kept, freed, free"
	if [ "$boot_mounted" = 1 ]; then
		assert_eq "       [###########===========------------------] = freed" "$bar" \
			"the bar: 28% stays, 28% freed"
	fi
	section "--list on a terminal with NO_COLOR: no bar"
	assert_exit 0 env NO_COLOR=1 TERM=xterm-256color script -qec "$cmd" /dev/null
	assert_not_contains "$out" "${esc}[" "no colours"
	assert_not_contains "$out" "[###" "no bar"
else
	say "# script(1) not available: terminal output not checked"
fi

section "as a plain user: the same figures"
if id nobody >/dev/null 2>&1; then
	chmod -R a+rX "$SANDBOX_TMP"
	if as_user nobody test -r "$ROOT/var/lib/dpkg/status"; then
		assert_exit 0 as_user nobody "$POK" --root="$ROOT" --list --keep=1
		assert_contains "$out" "$boot_line" "nobody sees /boot's figures"
		assert_eq "" "$err" "nothing on stderr"
	fi
fi

sandbox_finish
