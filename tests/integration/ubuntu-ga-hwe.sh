#!/bin/sh
# Ubuntu 22.04: GA 5.15 kernels and HWE 6.8 kernels side by side.  Checks the
# ordering by Debian rules (5.15.0-101 is newer than 5.15.0-91, which a text
# sort gets wrong), that every package of a purged release goes (modules,
# modules-extra, per-flavour and flavour-less headers, tools), and that the
# linux-* packages that are not kernels stay.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

section "setup: GA 5.15.0-{88,91,101}, HWE 6.8.0-{31,40}, linux-libc-dev, linux-firmware, linux-tools-common"
ubuntu_release 5.15.0-88 generic; ga88=$RELEASE_PKGS
ubuntu_release 5.15.0-91 generic; ga91=$RELEASE_PKGS
ubuntu_release 5.15.0-101 generic; ga101=$RELEASE_PKGS
ubuntu_release 6.8.0-31 generic src=linux-hwe-6.8 tools; hwe31=$RELEASE_PKGS hwe31own=$RELEASE_OWN
ubuntu_release 6.8.0-40 generic src=linux-hwe-6.8 tools; hwe40=$RELEASE_PKGS
want_libc_dev
want_firmware
want_tools_common
dpkg_install
others="linux-base linux-libc-dev linux-firmware linux-tools-common"
before=$(status_sum)

section "ordering: with no running kernel and --keep=3, 5.15.0-101 is kept and 5.15.0-91 is not"
pok_json --dry-run --running=none --keep=3
assert_plan "6.8.0-40-generic 6.8.0-31-generic 5.15.0-101-generic" \
	"5.15.0-91-generic 5.15.0-88-generic"
assert_json_purge "$ga91 $ga88"
assert_status_unchanged "$before" "a dry run changes nothing"
assert_exit 0 pok --list --running=none --keep=3
order=$(printf '%s\n' "$out" | grep -oE '^(6\.8\.0-(31|40)|5\.15\.0-(88|91|101))-generic' | tr '\n' ' ')
case $order in
"6.8.0-40-generic 6.8.0-31-generic 5.15.0-101-generic 5.15.0-91-generic 5.15.0-88-generic " | \
"5.15.0-88-generic 5.15.0-91-generic 5.15.0-101-generic 6.8.0-31-generic 6.8.0-40-generic ")
	pass "--list orders the releases by version (5.15.0-101 next to 6.8.0-31): $order" ;;
*) fail "--list orders the releases by version: $order" ;;
esac

section "plan for the real run: running 5.15.0-91-generic, --keep=1"
pok_json --dry-run --running=5.15.0-91-generic --keep=1
assert_plan "5.15.0-91-generic 6.8.0-40-generic" \
	"5.15.0-88-generic 5.15.0-101-generic 6.8.0-31-generic"
assert_match "$(json_query "$JSON" why 5.15.0-91-generic)" 'running' \
	"5.15.0-91-generic is kept because it runs"
assert_json_purge "$ga88 $ga101 $hwe31"
assert_set "6.8.0-31-generic lists its image, modules, modules-extra, headers and tools" \
	"$hwe31own" "$(json_query "$JSON" packages 6.8.0-31-generic)"

section "purge for real through apt-get"
assert_exit 0 pok --running=5.15.0-91-generic --keep=1 -y
assert_remaining "$ga91 $hwe40 $others"
for f in /boot/vmlinuz-5.15.0-88-generic /boot/vmlinuz-5.15.0-101-generic \
	/boot/vmlinuz-6.8.0-31-generic /lib/modules/5.15.0-101-generic/kernel/fs/ext4/ext4.ko; do
	if [ -e "$ROOT$f" ]; then fail "$f removed"; else pass "$f removed"; fi
done
for f in /boot/vmlinuz-5.15.0-91-generic /boot/vmlinuz-6.8.0-40-generic; do
	if [ -e "$ROOT$f" ]; then pass "$f kept"; else fail "$f kept"; fi
done

sandbox_finish
