#!/bin/sh
# The apt guard (--guard, apt's DPkg::Pre-Install-Pkgs hook from the shipped
# snippet), through the real apt-get on a sandbox whose /boot is a 2 MiB
# tmpfs that old kernels fill. A new kernel's files fit, but not its initrd:
# without the guard (the control) apt leaves it half-configured; with it,
# apt stops before dpkg unpacks anything, says what /boot has and needs and
# what purging frees, and the same install succeeds after the purge. A
# kernel that fits and a run with no kernel are silent; a removal in the
# same run counts; AUTO=yes stops the same way (apt's lock: see the man
# page); an unreadable .deb or a /boot it cannot measure lets apt go on.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
. "$top_srcdir/tests/lib/unattended.sh"
sandbox_init
R=6.8.0-45-generic

mount_boot 2m \
	|| skip "cannot mount a tmpfs on the sandbox's /boot: $(cat "$SANDBOX_TMP/mount.err")"
chroot_tools sh rm

# boot_free: /boot's free KiB, as df says.
boot_free() { df -Pk "$ROOT/boot" | awk 'NR == 2 { print $4 }'; }

# initrd_script RELEASE: a postinst that writes an initrd of 300000 bytes
# into /boot (update-initramfs in short), and a postrm that removes it.
initrd_scripts() {
	cat >"$SANDBOX_TMP/postinst" <<EOF2
#!/bin/sh
set -e
[ "\$1" != configure ] || printf '%300000s' '' >/boot/initrd.img-$1
exit 0
EOF2
	cat >"$SANDBOX_TMP/postrm" <<EOF2
#!/bin/sh
set -e
case "\$1" in remove | purge) rm -f /boot/initrd.img-$1 ;; esac
exit 0
EOF2
}

# kernel_deb RELEASE VMLINUZ-BYTES [initrd]: an image .deb (its vmlinuz of
# that size), with the initrd scripts when asked; its path in KDEB.
kernel_deb() {
	KDEB=$(deb "linux-image-$1" "${1%-generic}.1" source=linux-signed \
		"/boot/vmlinuz-$1:$2" "/lib/modules/$1/modules.builtin:1024")
	if [ "${3:-}" = initrd ]; then
		initrd_scripts "$1"
		KDEB=$(with_script "$KDEB" postinst "$SANDBOX_TMP/postinst")
		KDEB=$(with_script "$KDEB" postrm "$SANDBOX_TMP/postrm")
	fi
}

# undo_half RELEASE: purge a kernel the control left half-configured.
undo_half() {
	"$DPKG" --root="$ROOT" --purge "linux-image-$1" >/dev/null 2>&1 || true
	rm -f "$ROOT/boot/initrd.img-$1"
	assert_audit_clean
}

section "setup: 6.8.0-{31,40,45}-generic with 300000-byte initrds on a 2 MiB /boot"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_OWN
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_OWN
ubuntu_release 6.8.0-45 generic
dpkg_install
for r in 6.8.0-31-generic 6.8.0-40-generic $R; do
	printf '%300000s' '' >"$ROOT/boot/initrd.img-$r"
	initrd_scripts "$r"
	reinstall_with_script "linux-image-$r" postrm "$SANDBOX_TMP/postrm"
done
free=$(boot_free)
# The new kernel: 800000 bytes of vmlinuz fit, its 300000-byte initrd not.
kernel_deb 6.8.0-50-generic 800000 initrd; k50=$KDEB
if [ "$free" -gt 790 ] && [ "$free" -lt 1080 ]; then
	pass "/boot has $free KiB free: room for the vmlinuz, not for the initrd"
else
	fail "/boot has $free KiB free: room for the vmlinuz, not for the initrd"
fi

section "control: without the guard, apt-get leaves the kernel half-configured"
assert_exit 100 apt_sandbox -y install "$k50"
assert_contains "$out" "Unpacking linux-image-6.8.0-50-generic" "dpkg unpacked it"
assert_dpkg_state linux-image-6.8.0-50-generic F "the initrd did not fit"
run "$DPKG" --root="$ROOT" --audit
assert_contains "$out" "linux-image-6.8.0-50-generic" "dpkg --audit names it"
undo_half 6.8.0-50-generic

section "the shipped snippet: the Version 3 option names the hook's first word"
install_guard $R
snippet=$ROOT/etc/apt/apt.conf.d/85purge-old-kernels
first=$(sed -n 's/^DPkg::Pre-Install-Pkgs { "\([^ ]*\) .*/\1/p' "$snippet")
assert_contains "$(cat "$snippet")" "DPkg::Tools::Options::$first::Version \"3\";"
run apt-config dump DPkg::Tools::Options
assert_contains "$out" "DPkg::Tools::Options::$first::Version \"3\";" "apt-config reads it"

section "an apt run with no kernel: the guard is silent"
want_other nano 7.2-1 section=editors /bin/nano:2048
take_pending
assert_exit 0 apt_sandbox -y install $DEBS
assert_not_contains "$err" "purge-old-kernels" "not a word from the guard"
assert_installed nano

section "AUTO=no: apt stops before dpkg unpacks anything, with the sizes"
sum=$(status_sum)
assert_exit 100 apt_sandbox -y install "$k50"
printf '%s\n' "$err" | sed 's/^/  # /'
line=$(printf '%s\n' "$err" | grep '^purge-old-kernels:' || true)
assert_eq 1 "$(printf '%s\n' "$line" | grep -c .)" "one line from the guard"
assert_match "$line" "^purge-old-kernels: stopped apt before it installs linux-image-6\.8\.0-50-generic: /boot has [0-9.]+ KiB free, and the new kernel needs about 1\.[0-9] MiB there \(784 KiB of files, 356 KiB for initrds, \+20%\)" \
	"it says what /boot has and what the kernel needs"
assert_match "$line" "'sudo purge-old-kernels --root=[^ ]* --running=$R' would free [0-9.]+ KiB there, purging 1 old kernel release \(6\.8\.0-31-generic\); then run apt again$" \
	"what purging frees, and that apt can be run again"
assert_not_contains "$out" "Unpacking" "dpkg unpacked nothing"
assert_eq "" "$(pkg_state linux-image-6.8.0-50-generic | tr -d un)" "the new kernel is not installed"
assert_status_unchanged "$sum" "no package changed state"
assert_eq "" "$(ls -d "$ROOT"/boot/*-6.8.0-50-generic 2>/dev/null || true)" "nothing of it in /boot"
assert_audit_clean

section "AUTO=yes: the same clean stop: no purge inside apt's run"
conf "AUTO=yes"
assert_exit 100 apt_sandbox -y install "$k50"
assert_contains "$err" "stopped apt before it installs linux-image-6.8.0-50-generic"
assert_contains "$err" "(AUTO=yes does not purge inside apt's run)"
assert_installed $r31 $r40
assert_status_unchanged "$sum" "no package changed state"
assert_audit_clean
conf

section "PURGE_OLD_KERNELS_GUARD=no, then GUARD=no: the guard lets it through (the control again)"
run env PURGE_OLD_KERNELS_GUARD=no "$APT_GET" -o Dir="$ROOT" \
	-o Dir::State::status="$ROOT/var/lib/dpkg/status" \
	-o DPkg::Options::=--root="$ROOT" -y install "$k50"
assert_not_contains "$err" "purge-old-kernels:" "not a word from the guard"
assert_dpkg_state linux-image-6.8.0-50-generic F "half-configured"
undo_half 6.8.0-50-generic
conf "GUARD=no"
assert_exit 100 apt_sandbox -y install "$k50"
assert_not_contains "$err" "purge-old-kernels:" "not a word from the guard"
assert_dpkg_state linux-image-6.8.0-50-generic F "half-configured"
undo_half 6.8.0-50-generic
conf
sum=$(status_sum)

section "an unreadable .deb: one line, and apt goes on (dpkg finds it broken itself)"
bad=$SANDBOX_TMP/linux-image-6.8.0-49-generic.deb
mkdir "$SANDBOX_TMP/bad" && (cd "$SANDBOX_TMP/bad" && ar x "$(kernel_deb 6.8.0-49-generic 4096 && echo "$KDEB")" \
	&& head -c 2048 /dev/urandom >data.tar && rm -f "$bad" && ar rc "$bad" debian-binary control.tar* data.tar)
run apt_sandbox -y install "$bad"
assert_eq 1 "$(printf '%s\n' "$err" | grep -c '^purge-old-kernels:')" "one line from the guard"
assert_match "$err" "purge-old-kernels: warning: cannot read the files of [^ ]*linux-image-6\.8\.0-49-generic\.deb \(not a tar archive\); apt goes on unchecked" "it says why"
assert_contains "$out" "Unpacking linux-image-6.8.0-49-generic" "apt went on to dpkg"
"$DPKG" --root="$ROOT" --purge linux-image-6.8.0-49-generic >/dev/null 2>&1 || true
assert_audit_clean

section "after 'purge-old-kernels -y', the same install succeeds, silently"
assert_exit 0 pok --running=$R --keep=1 -y
assert_purged $r31 $r40
assert_exit 0 apt_sandbox -y install "$k50"
assert_not_contains "$err" "purge-old-kernels" "not a word from the guard"
assert_installed linux-image-6.8.0-50-generic
assert_audit_clean

section "a kernel that fits: silent"
kernel_deb 6.8.0-52-generic 49152
assert_exit 0 apt_sandbox -y install "$KDEB"
assert_not_contains "$err" "purge-old-kernels" "not a word from the guard"
assert_installed linux-image-6.8.0-52-generic

section "apt's own removal in the same run counts: alone it stops, with the removal it fits"
kernel_deb 6.8.0-51-generic 400000 initrd; k51=$KDEB
assert_exit 100 apt_sandbox -y install "$k51"
assert_contains "$err" "stopped apt before it installs linux-image-6.8.0-51-generic"
assert_exit 0 apt_sandbox -y install "$k51" linux-image-$R-
assert_not_contains "$err" "purge-old-kernels" "not a word from the guard"
assert_installed linux-image-6.8.0-51-generic
assert_dpkg_state linux-image-$R c "removed by apt in the same run"
assert_audit_clean

section "the lock finding, by experiment: inside a Pre-Install-Pkgs hook apt-get cannot run, dpkg's own lock is free"
cat >"$SANDBOX_TMP/probe" <<EOF2
#!/bin/sh
cat >/dev/null
exec >"$SANDBOX_TMP/probe.out" 2>&1
echo "DPKG_FRONTEND_LOCKED=\${DPKG_FRONTEND_LOCKED:-unset}"
"$PYTHON" - "$ROOT/var/lib/dpkg" <<'PY'
import fcntl, os, sys
for n in ("lock-frontend", "lock"):
    fd = os.open(os.path.join(sys.argv[1], n), os.O_RDWR)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        print(n, "free")
    except OSError:
        print(n, "held")
PY
"$APT_GET" -o Dir="$ROOT" -o Dir::State::status="$ROOT/var/lib/dpkg/status" \
	-o DPkg::Options::=--root="$ROOT" -y remove --purge nano
echo "apt-get: exit \$?"
EOF2
chmod +x "$SANDBOX_TMP/probe"
printf 'DPkg::Pre-Install-Pkgs:: "%s";\n' "$SANDBOX_TMP/probe" >"$ROOT/etc/apt/apt.conf.d/50probe"
want_other nano 7.2-2 section=editors /bin/nano:2048
take_pending
run apt_sandbox -y install $DEBS
rm -f "$ROOT/etc/apt/apt.conf.d/50probe"
probe=$(cat "$SANDBOX_TMP/probe.out")
printf '%s\n' "$probe" | sed 's/^/  # /'
assert_contains "$probe" "DPKG_FRONTEND_LOCKED=true" "apt tells its Pre-Install-Pkgs hooks it holds the frontend lock"
assert_contains "$probe" "lock-frontend held" "apt holds lock-frontend"
assert_contains "$probe" "lock free" "dpkg's own lock is free (apt let it go for dpkg)"
assert_contains "$probe" "apt-get: exit 100" "an apt-get run from the hook fails"
assert_contains "$probe" "Could not get lock $ROOT/var/lib/dpkg/lock-frontend" "on the frontend lock"

section "the guard on its own: bad input and bad combinations"
printf '/var/cache/apt/archives/x.deb\n' >"$SANDBOX_TMP/v1"
run sh -c '"$1" --root="$2" --running="$3" --guard <"$4"' sh "$POK" "$ROOT" $R "$SANDBOX_TMP/v1"
assert_eq 0 "$rc" "version 1 of the protocol: exit 0"
assert_contains "$err" "where version 2 or 3 of its hook protocol starts with 'VERSION'; apt goes on unchecked"
assert_exit 2 pok --guard --hook
assert_contains "$err" "--hook, --guard, --auto and --status do not go together"
assert_exit 2 pok --guard -y
assert_contains "$err" "--guard runs no apt-get"

section "/boot cannot be measured: one line, and apt goes on"
umount "$ROOT/boot" && boot_mounted=0
mv "$ROOT/boot" "$ROOT/boot.away"
kernel_deb 6.8.0-53-generic 4096
run apt_sandbox -y install "$KDEB"
assert_eq 0 "$rc" "apt-get succeeds"
assert_eq 1 "$(printf '%s\n' "$err" | grep -c '^purge-old-kernels:')" "one line from the guard"
assert_contains "$err" "purge-old-kernels: warning: cannot measure /boot (No such file or directory); apt goes on unchecked"
assert_installed linux-image-6.8.0-53-generic

sandbox_finish
