#!/bin/sh
# The release the boot loader boots next is kept, with reason next-boot and
# the file and setting that say so, besides the --keep newest: GRUB's
# grubenv as the real grub-editenv writes it (saved_entry from
# grub-set-default, next_entry from grub-reboot, which wins), by id and by
# title, resolved through grub.cfg when there is one and by update-grub's
# conventions when not; GRUB_DEFAULT; systemd-boot's loader.conf default;
# a Proxmox pin. An entry naming a release that is not installed is a
# warning. --list, --dry-run, --json and the apt hook say so, and the
# purge through the real apt-get leaves that release installed.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
command -v grub-editenv >/dev/null 2>&1 ||
	skip "grub-editenv (Debian package grub-common) is needed"
sandbox_init
R=6.1.0-13-amd64
UUID=0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0
ENV=$ROOT/boot/grub/grubenv
ADV="gnulinux-advanced-$UUID"
TITLES="Advanced options for Debian GNU/Linux"

# editenv ARG...: the real grub-editenv on the sandbox's grubenv, made anew.
editenv() {
	mkdir -p "$ROOT/boot/grub"
	rm -f "$ENV"
	grub-editenv "$ENV" create
	grub-editenv "$ENV" set "$@"
}

# next_boot FIELD: a field of the last pok_json's "next_boot" object.
next_boot() {
	"$PYTHON" -c 'import json, sys
nb = json.load(open(sys.argv[1])).get("next_boot")
v = "absent" if nb is None else nb.get(sys.argv[2])
print({True: "true", False: "false", None: "null"}.get(v, v) if not isinstance(v, str) else v)' "$JSON" "$1"
}

# grub_cfg: a grub.cfg as Debian 12's update-grub writes it, and an entry
# of 40_custom with an id no convention knows that boots 6.1.0-11-amd64.
grub_cfg() {
	cat >"$ROOT/boot/grub/grub.cfg" <<EOF
set default="0"
if [ x"\${feature_menuentry_id}" = xy ]; then
  menuentry_id_option="--id"
else
  menuentry_id_option=""
fi
function load_video {
  insmod all_video
}
menuentry 'Debian GNU/Linux' --class debian --class gnu-linux --class gnu --class os \$menuentry_id_option 'gnulinux-simple-$UUID' {
	load_video
	linux	/boot/vmlinuz-6.1.0-13-amd64 root=UUID=$UUID ro quiet
}
submenu '$TITLES' \$menuentry_id_option '$ADV' {
EOF
	for v in 13 12 11 10; do
		cat >>"$ROOT/boot/grub/grub.cfg" <<EOF
	menuentry 'Debian GNU/Linux, with Linux 6.1.0-$v-amd64' --class debian --class gnu-linux --class gnu --class os \$menuentry_id_option 'gnulinux-6.1.0-$v-amd64-advanced-$UUID' {
		load_video
		linux	/boot/vmlinuz-6.1.0-$v-amd64 root=UUID=$UUID ro quiet
		initrd	/boot/initrd.img-6.1.0-$v-amd64
	}
EOF
	done
	cat >>"$ROOT/boot/grub/grub.cfg" <<EOF
}
menuentry 'Pinned for the driver' \$menuentry_id_option 'driver-pin' {
	linux	/boot/vmlinuz-6.1.0-11-amd64 root=UUID=$UUID ro
}
EOF
}

# kept_for_boot RELEASE FILE SETTING: the last pok_json keeps RELEASE as
# next-boot, names it in next_boot, and the rest is --keep=1's plan.
kept_for_boot() {
	assert_eq "keep" "$(json_query "$JSON" action "$1")" "$1 is kept"
	assert_match "$(json_query "$JSON" why "$1")" "^next-boot .* $3 in $2 boots it" \
		"$1: reason next-boot, naming $3 in $2"
	assert_eq "$1" "$(next_boot release)" "next_boot.release is $1"
	assert_eq "$2" "$(next_boot file)" "next_boot.file is $2"
	assert_eq "$3" "$(next_boot setting)" "next_boot.setting is $3"
	assert_eq "true" "$(next_boot installed)" "next_boot.installed"
	assert_eq "null" "$(next_boot warning)" "no warning"
}

section "setup: Debian 6.1.0-{10,11,12,13}-amd64, 13 running"
debian_release 6.1.0-10 amd64; r10=$RELEASE_OWN
debian_release 6.1.0-11 amd64; r11=$RELEASE_OWN
debian_release 6.1.0-12 amd64; r12=$RELEASE_OWN
debian_release 6.1.0-13 amd64; r13=$RELEASE_OWN
dpkg_install

section "no boot loader files: next_boot is null, --keep=1 purges 10, 11, 12"
pok_json --keep=1 --running=$R --dry-run
assert_plan "$R" "6.1.0-10-amd64 6.1.0-11-amd64 6.1.0-12-amd64"
assert_eq "absent" "$(next_boot release)" "next_boot is null"

section "grub-set-default by id (no grub.cfg, no etc/default/grub): 10 is kept"
editenv "saved_entry=$ADV>gnulinux-6.1.0-10-amd64-advanced-$UUID"
assert_contains "$(grub-editenv "$ENV" list)" "saved_entry=$ADV>gnulinux-6.1.0-10-amd64" "grub-editenv wrote it"
pok_json --keep=1 --running=$R --dry-run
assert_plan "$R 6.1.0-10-amd64" "6.1.0-11-amd64 6.1.0-12-amd64"
kept_for_boot 6.1.0-10-amd64 /boot/grub/grubenv saved_entry
assert_eq "GRUB" "$(next_boot loader)" "next_boot.loader is GRUB"
assert_eq "$ADV>gnulinux-6.1.0-10-amd64-advanced-$UUID" "$(next_boot entry)" "next_boot.entry is the entry"
assert_not_contains "$err" "warning" "no warning"
assert_exit 0 pok --keep=1 --running=$R --list
assert_match "$(list_entry "$out" 6.1.0-10-amd64)" "keep .*GRUB's saved_entry in /boot/grub/grubenv boots it" \
	"--list: 10 kept, GRUB's saved_entry says so"
assert_exit 0 pok --keep=1 --running=$R --dry-run
assert_not_contains "$out" "linux-image-6.1.0-10-amd64" "--dry-run does not purge 10"
assert_contains "$out" "linux-image-6.1.0-11-amd64" "--dry-run purges 11"
assert_contains "$out" "Kept for the next boot: 6.1.0-10-amd64 (GRUB's saved_entry in /boot/grub/grubenv boots it)." \
	"--dry-run says why 10 stays"

section "it never counts against --keep: --keep=2 keeps 13, 12 and 10"
pok_json --keep=2 --running=$R --dry-run
assert_plan "$R 6.1.0-12-amd64 6.1.0-10-amd64" "6.1.0-11-amd64"
assert_match "$(json_query "$JSON" why 6.1.0-12-amd64)" "^newest " "12 is kept as one of the 2 newest"

section "GRUB_DEFAULT=0 in etc/default/grub: saved_entry is not used"
mkdir -p "$ROOT/etc/default"
printf 'GRUB_DEFAULT=0\nGRUB_TIMEOUT=5\n' >"$ROOT/etc/default/grub"
pok_json --keep=1 --running=$R --dry-run
assert_plan "$R" "6.1.0-10-amd64 6.1.0-11-amd64 6.1.0-12-amd64"
printf 'GRUB_DEFAULT=saved\nGRUB_TIMEOUT=5\n' >"$ROOT/etc/default/grub"
pok_json --keep=1 --running=$R --dry-run
kept_for_boot 6.1.0-10-amd64 /boot/grub/grubenv saved_entry

section "grub-reboot by title: next_entry wins over saved_entry: 11 is kept"
editenv "saved_entry=$ADV>gnulinux-6.1.0-10-amd64-advanced-$UUID" \
	"next_entry=$TITLES>Debian GNU/Linux, with Linux 6.1.0-11-amd64"
pok_json --keep=1 --running=$R --dry-run
assert_plan "$R 6.1.0-11-amd64" "6.1.0-10-amd64 6.1.0-12-amd64"
kept_for_boot 6.1.0-11-amd64 /boot/grub/grubenv next_entry

section "with grub.cfg: titles and ids resolve through its linux lines"
grub_cfg
editenv "saved_entry=Debian GNU/Linux, with Linux 6.1.0-12-amd64"
pok_json --keep=1 --running=$R --dry-run
assert_plan "$R 6.1.0-12-amd64" "6.1.0-10-amd64 6.1.0-11-amd64"
kept_for_boot 6.1.0-12-amd64 /boot/grub/grubenv saved_entry
editenv "next_entry=driver-pin"
pok_json --keep=1 --running=$R --dry-run
assert_plan "$R 6.1.0-11-amd64" "6.1.0-10-amd64 6.1.0-12-amd64"
kept_for_boot 6.1.0-11-amd64 /boot/grub/grubenv next_entry

section "GRUB_DEFAULT naming an entry by title, with grub.cfg"
rm -f "$ENV"
printf 'GRUB_DEFAULT="%s>Debian GNU/Linux, with Linux 6.1.0-10-amd64"\n' "$TITLES" >"$ROOT/etc/default/grub"
pok_json --keep=1 --running=$R --dry-run
assert_plan "$R 6.1.0-10-amd64" "6.1.0-11-amd64 6.1.0-12-amd64"
kept_for_boot 6.1.0-10-amd64 /etc/default/grub GRUB_DEFAULT
rm -f "$ROOT/etc/default/grub" "$ROOT/boot/grub/grub.cfg"

section "an entry naming a release that is not installed: a warning"
editenv "saved_entry=$ADV>gnulinux-6.1.0-8-amd64-advanced-$UUID"
pok_json --keep=1 --running=$R --dry-run
assert_plan "$R" "6.1.0-10-amd64 6.1.0-11-amd64 6.1.0-12-amd64"
assert_contains "$err" "warning: GRUB will boot 6.1.0-8-amd64 (saved_entry in /boot/grub/grubenv), which is not installed"
assert_eq "false" "$(next_boot installed)" "next_boot.installed is false"
assert_eq "GRUB will boot 6.1.0-8-amd64 (saved_entry in /boot/grub/grubenv), which is not installed" \
	"$(next_boot warning)" "the JSON carries the warning"
assert_exit 0 pok --keep=1 --running=$R --list
assert_contains "$err" "which is not installed" "--list warns too"
rm -f "$ENV"

section "systemd-boot: loader.conf's default on the ESP keeps 11"
mkdir -p "$ROOT/boot/efi/loader/entries"
printf 'timeout 3\ndefault 6a9857a393724b7a981ebb5b8495b9ea-6.1.0-11-amd64.conf\n' \
	>"$ROOT/boot/efi/loader/loader.conf"
pok_json --keep=1 --running=$R --dry-run
assert_plan "$R 6.1.0-11-amd64" "6.1.0-10-amd64 6.1.0-12-amd64"
kept_for_boot 6.1.0-11-amd64 /boot/efi/loader/loader.conf default
assert_eq "systemd-boot" "$(next_boot loader)" "next_boot.loader is systemd-boot"
printf 'default debian-old*\n' >"$ROOT/boot/efi/loader/loader.conf"
printf 'title Debian\nversion 6.1.0-12-amd64\nlinux /vmlinuz-6.1.0-12-amd64\n' \
	>"$ROOT/boot/efi/loader/entries/debian-old.conf"
pok_json --keep=1 --running=$R --dry-run
kept_for_boot 6.1.0-12-amd64 /boot/efi/loader/loader.conf default
rm -rf "$ROOT/boot/efi"

section "a Proxmox pin keeps 12"
mkdir -p "$ROOT/etc/kernel"
printf '6.1.0-12-amd64\n' >"$ROOT/etc/kernel/proxmox-boot-pin"
pok_json --keep=1 --running=$R --dry-run
assert_plan "$R 6.1.0-12-amd64" "6.1.0-10-amd64 6.1.0-11-amd64"
kept_for_boot 6.1.0-12-amd64 /etc/kernel/proxmox-boot-pin pin
rm -f "$ROOT/etc/kernel/proxmox-boot-pin"

section "the apt hook's notice names the release kept for the next boot"
editenv "saved_entry=$ADV>gnulinux-6.1.0-10-amd64-advanced-$UUID"
assert_exit 0 pok --keep=1 --running=$R --hook
assert_contains "$err" "2 old kernel releases (6.1.0-12-amd64 and 6.1.0-11-amd64) can be purged"
assert_contains "$err" "(6.1.0-10-amd64 is kept: GRUB boots it next)"
# grub-set-default, then an apt run of another package: the hook's memory
# (the fingerprint) sees the boot loader's change and tells the new plan.
editenv "saved_entry=$ADV>gnulinux-6.1.0-11-amd64-advanced-$UUID"
want_other vim 2:9.0.1378-2 section=editors /usr/bin/vim.basic:4096
dpkg_install
assert_exit 0 pok --keep=1 --running=$R --hook
assert_contains "$err" "2 old kernel releases (6.1.0-12-amd64 and 6.1.0-10-amd64) can be purged"
assert_contains "$err" "(6.1.0-11-amd64 is kept: GRUB boots it next)"
editenv "saved_entry=$ADV>gnulinux-6.1.0-10-amd64-advanced-$UUID"

section "the purge through apt-get: 10 stays installed, 11 and 12 go"
assert_exit 0 pok --keep=1 --running=$R -y
assert_contains "$out" "Kept for the next boot: 6.1.0-10-amd64" "the purge says why 10 stays"
# shellcheck disable=SC2086 # lists of package names
assert_installed $r10 $r13 vim
# shellcheck disable=SC2086
assert_purged $r11 $r12
assert_audit_clean

sandbox_finish
