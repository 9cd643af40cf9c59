#!/bin/sh
# A broken system: a purge stops before anything runs, says what is wrong
# and what to run, and removes nothing.
#  (a) An unmet dependency: the advice is apt-get -f install; --fix (with
#      nothing to purge) stops at apt-get, which would have to remove a
#      package, and removes nothing.
#  (b) The classic full /boot (a tmpfs of 1 MiB on the sandbox's /boot):
#      the newest kernel's postinst cannot write its initramfs, the image
#      stays half-configured and what depends on it unconfigured. A normal
#      run refuses and points at --fix; --fix purges the old releases with
#      dpkg (their postrm removes their initramfs), configures the newest
#      one, lets apt-get finish, and leaves dpkg --audit clean.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

BOOT_SIZE=1m
INITRD_BYTES=409600
if ! mount_boot $BOOT_SIZE; then
	say "# cannot mount a tmpfs on the sandbox's /boot: $(cat "$SANDBOX_TMP/mount.err")"
fi

# refused CMD...: exit 1, nothing removed, dpkg never ran.
refused() {
	sum=$(status_sum)
	before=$(present_pkgs)
	runs=$(apt_runs)
	assert_exit 1 "$@"
	assert_status_unchanged "$sum" "dpkg database unchanged"
	assert_set "nothing removed" "$before" "$(present_pkgs)"
	assert_eq "$runs" "$(apt_runs)" "apt-get did not run dpkg"
}

# unwrapped TEXT: TEXT with the commands it shows joined back into one line.
unwrapped() { printf '%s\n' "$1" | sed -e ':a' -e '/ \\$/{N; s/ \\\n */ /; ba' -e '}'; }

proved() {
	"$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["proved_by_apt"])' "$JSON"
}

section "setup: 6.8.0-{31,40}-generic on /boot, and acme-tool whose libacme1 is missing"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
dpkg_install
"$DPKG" --root="$ROOT" --log="$ROOT/var/log/dpkg.log" --force-depends -i \
	"$(deb acme-tool 1.0-1 section=utils depends="libacme1 (>= 2)" /usr/bin/acme:1024)" \
	>"$SANDBOX_TMP/acme.log" 2>&1 || true
[ "$(pkg_state acme-tool)" = ii ] || die "acme-tool could not be installed ($(pkg_state acme-tool))"

section "(a) an unmet dependency: a purge is refused, the advice is apt-get -f install"
refused pok --keep=1 -y
assert_stderr_lines 1 "one line: the problem and what to run"
assert_contains "$err" "acme-tool depends on libacme1 (>= 2), which is not installed" "names the problem"
assert_match "$err" "run 'apt-get .*-f install' as root, then try again" "says what to run"

section "(a) --list warns, shows the plan unchecked"
pok_json --list --keep=1
assert_contains "$err" "warning: acme-tool depends on libacme1" "the problem is a warning"
assert_contains "$err" "warning: could not check the plan against apt-get" "the proof could not be made"
assert_contains "$err" "the plan is shown unchecked"
assert_not_contains "$err" ".;" "apt's sentence and ours join without \".;\""
assert_eq "False" "$(proved)" "JSON: proved_by_apt is false"
assert_plan "6.8.0-40-generic" "6.8.0-31-generic"

section "(a) --fix with nothing to purge: steps 2 and 3 run; apt-get removes nothing, so it stops"
present=$(present_pkgs)
assert_exit 100 pok --keep=2 --fix -y
assert_contains "$out" "Step 1/3: nothing to purge; skipped" "step 1 skipped"
assert_contains "$out" "Step 2/3:" "step 2 ran"
assert_contains "$out" "Step 3/3:" "step 3 ran"
assert_contains "$(unwrapped "$out")" "-f --no-remove install" "apt-get may not remove anything"
assert_match "$err" "step 3/3 failed: apt-get exited with status 100" "the failing step and its status"
assert_installed acme-tool
assert_set "nothing removed" "$present" "$(present_pkgs)"
"$DPKG" --root="$ROOT" --log="$ROOT/var/log/dpkg.log" --purge acme-tool >/dev/null 2>&1 \
	|| die "cannot purge acme-tool"

if [ "$boot_mounted" = 0 ]; then
	sandbox_finish_rc=0
	[ "$SANDBOX_FAILS" = 0 ] || sandbox_finish
	skip "(b) needs a tmpfs on the sandbox's /boot (mount -t tmpfs), which failed"
fi

section "setup (b): old initramfs images, maintainer scripts, then 6.8.0-45 on a full /boot"
chroot_tools sh rm mv
for r in 6.8.0-31-generic 6.8.0-40-generic; do
	printf "%${INITRD_BYTES}s" '' >"$ROOT/boot/initrd.img-$r"
	# What initramfs-tools' postrm.d hook does: the image takes its initrd along.
	cat >"$SANDBOX_TMP/postrm" <<EOF
#!/bin/sh
set -e
case "\$1" in remove|purge) rm -f /boot/initrd.img-$r ;; esac
exit 0
EOF
	"$DPKG" --root="$ROOT" --log="$ROOT/var/log/dpkg.log" -i \
		"$(with_script "$(ls "$SANDBOX_DEBS/linux-image-${r}"_*_0.deb)" postrm "$SANDBOX_TMP/postrm")" \
		>>"$SANDBOX_TMP/setup.log" 2>&1 || { cat "$SANDBOX_TMP/setup.log" >&2; die "reinstalling linux-image-$r failed"; }
done
r=6.8.0-45-generic
cat >"$SANDBOX_TMP/postinst" <<EOF
#!/bin/sh
# What update-initramfs does for a new kernel, in short: write its initrd.
# On a full /boot that fails, and so does the package.
set -e
if [ "\$1" = configure ]; then
	if ! printf '%*s' $INITRD_BYTES '' >/boot/initrd.img-$r.new; then
		rm -f /boot/initrd.img-$r.new
		echo "update-initramfs: failed for /boot/initrd.img-$r: No space left on device" >&2
		exit 1
	fi
	mv /boot/initrd.img-$r.new /boot/initrd.img-$r
fi
exit 0
EOF
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
ubuntu_meta generic 6.8.0-45
metas="linux-generic linux-image-generic linux-headers-generic linux-firmware"
image=$(ls "$SANDBOX_DEBS/linux-image-${r}"_*_0.deb)
scripted=$(with_script "$image" postinst "$SANDBOX_TMP/postinst")
# The queued packages, the scripted image instead of the plain one; the
# queue is emptied by hand since dpkg_install would stop at the failure.
# shellcheck disable=SC2046
set -- $(printf '%s\n' $SANDBOX_PENDING | sed "s|^$image\$|$scripted|")
SANDBOX_PENDING='' SANDBOX_PENDING_NAMES=' '
if "$DPKG" --root="$ROOT" --log="$ROOT/var/log/dpkg.log" -i "$@" >"$SANDBOX_TMP/full.log" 2>&1; then
	cat "$SANDBOX_TMP/full.log"
	die "6.8.0-45 installed although /boot is full"
fi
sed 's/^/  dpkg: /' "$SANDBOX_TMP/full.log" | grep -iE 'initramfs|error|half|leaving' | head -8
assert_eq iF "$(pkg_state linux-image-$r)" "linux-image-$r is half-configured"
assert_eq iU "$(pkg_state linux-generic)" "linux-generic is left unconfigured"
df -B1 "$ROOT/boot" | sed 's/^/  # /'

section "(b) --list: warnings, /boot's figures, the plan"
assert_exit 0 pok --list --keep=1
list=$out
assert_contains "$err" "warning: linux-image-$r is half-configured"
assert_match "$err" "warning: a purge would be refused; /boot is full \([0-9]+% used\); run 'purge-old-kernels --root=[^ ]* --keep=1 --fix'" \
	"the warning points at --fix"
assert_match "$list" '^/boot: [0-9.]+ KiB of 1\.0 MiB used \(9[0-9]%\); [0-9.]+ KiB \([0-9]+%\) after freeing [0-9.]+ KiB\.$' \
	"/boot's use now and after the purge"
assert_match "$(list_entry "$list" 6.8.0-31-generic)" ' 460K +PURGE' "6.8.0-31 takes 460K of /boot (initrd included)"
# Its image unconfigured, 6.8.0-45 cannot boot yet: 6.8.0-40 stays too.
assert_match "$(list_entry "$list" 6.8.0-40-generic)" 'KEEP' "6.8.0-40 is kept while 6.8.0-45 cannot boot"
assert_match "$(list_entry "$list" 6.8.0-45-generic)" 'KEEP' "6.8.0-45 is kept"

section "(b) a purge is refused and points at --fix"
refused pok --keep=1 -y
assert_contains "$err" "linux-image-$r is half-configured" "names the half-configured image"
assert_match "$(printf '%s\n' "$err" | tail -n1)" "^purge-old-kernels: /boot is full \(9[0-9]% used\); run 'purge-old-kernels --root=[^ ]* --keep=1 --fix' as root" \
	"the last line says what to run"

section "(b) --fix needs root; --fix --dry-run shows the steps and changes nothing"
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null 2>&1; then
	chmod -R a+rX "$SANDBOX_TMP" 2>/dev/null || true
	refused as_user nobody "$POK" --root="$ROOT" --keep=1 --fix -y
	assert_contains "$err" "--fix needs root privileges"
fi
sum=$(status_sum)
assert_exit 0 pok --keep=1 --fix --dry-run -y
out=$(unwrapped "$out")
assert_contains "$out" "dpkg and apt-get report:" "shows what is broken"
assert_contains "$out" "Step 1/3: purge the old kernels with dpkg" "step 1"
assert_match "$out" "dpkg --root=$ROOT .*--purge" "step 1's command"
step1=$(printf '%s\n' "$out" | grep -- '--purge')
assert_set "step 1 purges exactly 6.8.0-31" "$r31" "${step1##*--purge }"
assert_match "$out" "dpkg --root=$ROOT .*--configure -a" "step 2's command"
assert_match "$out" "apt-get .* -y -o APT::Get::AutomaticRemove=false -o APT::Get::AutomaticRemove::Kernels=false -f --no-remove install" "step 3's command, -y forwarded, then the guard against autoremove"
assert_status_unchanged "$sum" "the dry run changed nothing"

section "(b) --fix -y repairs it"
assert_exit 0 pok --keep=1 --fix -y
assert_contains "$out" "Step 1/3" "step 1 announced"
assert_contains "$out" "Step 2/3" "step 2 announced"
assert_contains "$out" "Step 3/3" "step 3 announced"
assert_contains "$out" "Done: dpkg and apt-get report nothing broken." "the result is checked"
assert_remaining "$r40 $r45 $metas linux-base"
assert_installed "linux-image-$r" linux-generic linux-image-generic
assert_audit_clean
assert_eq "$INITRD_BYTES" "$(wc -c <"$ROOT/boot/initrd.img-$r" | tr -d ' ')" "the newest kernel has its initrd"
assert_eq "" "$(ls "$ROOT"/boot/initrd.img-6.8.0-31-generic 2>/dev/null)" \
	"the old initrd went with its kernel"

section "(b) afterwards, a normal run works again: 6.8.0-40 goes through apt-get"
assert_exit 0 pok --keep=1 -y
assert_eq "" "$err" "nothing on stderr"
assert_remaining "$r45 $metas linux-base"
assert_eq "" "$(ls "$ROOT"/boot/initrd.img-6.8.0-40-generic 2>/dev/null)" \
	"6.8.0-40's initrd went with it"
assert_exit 0 pok --keep=1 -y
assert_contains "$out" "No kernels are eligible for removal."

sandbox_finish
