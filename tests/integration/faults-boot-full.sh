#!/bin/sh
# Faults: /boot without a byte free (a tmpfs of 1 MiB, filled up), nothing
# broken. A purge needs no room on /boot: an ordinary run is not refused,
# does not send the user to --fix, and purges; the old kernels' postrm,
# which writes to /boot the way update-grub does, finds room because dpkg
# removed the kernel's files first. (A full /boot that left a new kernel
# half-configured, where a run refuses and points at --fix, is
# apt-broken-fix.sh.)
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

mount_boot 1m \
	|| skip "cannot mount a tmpfs on the sandbox's /boot: $(cat "$SANDBOX_TMP/mount.err")"
chroot_tools sh rm

# boot_use: /boot's use in percent, as df says.
boot_use() { df -P "$ROOT/boot" | awk 'NR == 2 { sub("%", "", $5); print $5 }'; }

section "setup: 6.8.0-{31,40,45}-generic with initrds; /boot filled to the last byte"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
dpkg_install
mkdir "$ROOT/boot/grub"
for r in 6.8.0-31-generic 6.8.0-40-generic; do
	printf '%300000s' '' >"$ROOT/boot/initrd.img-$r"
	# initramfs-tools' and update-grub's postrm hooks, in short.
	cat >"$SANDBOX_TMP/postrm" <<EOF
#!/bin/sh
set -e
case "\$1" in
remove | purge)
	rm -f /boot/initrd.img-$r
	echo "# grub.cfg without $r" >/boot/grub/grub.cfg
	;;
esac
exit 0
EOF
	reinstall_with_script "linux-image-$r" postrm "$SANDBOX_TMP/postrm"
done
# The newest kernel's initrd takes whatever room is left.
dd if=/dev/zero of="$ROOT/boot/initrd.img-6.8.0-45-generic" bs=4096 2>/dev/null || true
df -P "$ROOT/boot" | sed 's/^/  # /'
if ! printf x 2>/dev/null >"$ROOT/boot/probe"; then
	pass "/boot has no byte free ($(boot_use)% used)"
else
	fail "/boot has no byte free ($(boot_use)% used)"
fi
rm -f "$ROOT/boot/probe"

section "--list: /boot full, but nothing is broken: no warning"
assert_exit 0 pok --list --keep=1
assert_match "$out" '^/boot: .* used \((9[0-9]|100)%\)' "/boot's use is shown"
assert_eq "" "$err" "nothing on stderr"

section "a plain run purges: not refused, not sent to --fix"
assert_exit 0 pok --keep=1 -y
assert_eq "" "$err" "nothing on stderr"
assert_not_contains "$out" "--fix" "no mention of --fix"
assert_remaining "$r45 linux-base"
assert_eq "" "$(ls "$ROOT"/boot/initrd.img-6.8.0-31-generic "$ROOT"/boot/initrd.img-6.8.0-40-generic 2>/dev/null)" \
	"the old initrds went with their kernels"
assert_match "$(cat "$ROOT/boot/grub/grub.cfg" 2>/dev/null)" "^# grub.cfg without 6\.8\.0-(31|40)-generic$" \
	"the postrm could write to /boot"
use=$(boot_use)
if [ "$use" -lt 60 ]; then
	pass "/boot has room again ($use% used)"
else
	fail "/boot has room again ($use% used)"
fi
assert_audit_clean

sandbox_finish
