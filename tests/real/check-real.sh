#!/bin/bash
# make check-real: purge-old-kernels on a real Debian 12 root, end to end.
#
# Bootstraps a minimal Debian 12 root with mmdebstrap from the archive this
# machine's apt uses, installs into it, with the root's own apt-get in a
# chroot, real kernel packages of three 6.1 ABIs (one also in its
# cloud-amd64 flavour, one with its headers), the metapackages
# linux-image-amd64 and linux-headers-amd64 (and so the newest 6.1 ABI),
# initramfs-tools (real initrd images), grub-common and grub2-common (no
# boot loader installed: the tools only), and removes the oldest release to
# config-files state. Then, with this tree's own .deb installed in the root
# (built by tests/package-check.sh):
#
#  1. --list and --dry-run inside the chroot, as an admin runs them, and
#     from outside with --root: the two agree;
#  2. apt's verdict: with one release marked auto by apt-mark, what --list
#     says apt autoremove would remove is what the root's apt-get -s
#     autoremove removes, and its marks are apt-mark showauto's;
#  3. a newer kernel (6.12) installed with the root's apt-get: the packaged
#     apt hook's notice appears in that apt run;
#  4. next boot: GRUB_DEFAULT=saved and the real grub-set-default naming an
#     old release (by the id grub-mkconfig gives it, when grub-mkconfig can
#     run in the chroot; else by update-grub's id form): --list, --dry-run
#     and the JSON keep it with reason next-boot;
#  5. the apt guard: /boot becomes a tmpfs (in this script's mount
#     namespace) that holds the installed kernels and the next 6.12 kernel's
#     files but not its initrd; the root's apt-get install of it is stopped
#     by the packaged guard before dpkg runs (one line, dpkg --audit clean,
#     no package state and no /boot file changed); the guard is timed on
#     what apt gave it (a hook before it keeps that), and on an apt run
#     without a kernel against dpkg-query -W;
#  6. purge-old-kernels --keep 1 -y inside the chroot: exactly the old
#     releases go but the one GRUB boots next; /boot and /lib/modules hold
#     the kept releases' files only; /vmlinuz, /initrd.img and their .old
#     links point at existing files; dpkg --audit and apt-get check are
#     clean; what du sees freed is the announced figure within TOLERANCE
#     (below);
#  7. the same apt-get install of step 5 now goes through, silently, and
#     update-initramfs makes a real initrd (lsinitramfs);
#  8. orphans: the release GRUB booted next, no longer named, purged with
#     apt-get purge after a module was put in its updates/dkms (dpkg leaves
#     the directory) and with its initrd put back by hand: --list shows the
#     two, dpkg -S owns neither, and --orphans -y removes exactly their
#     paths and nothing in any package's file list;
#  9. AUTO=yes and KEEP=1 in the root's /etc/purge-old-kernels.conf, and a
#     newer kernel again: the hook says it starts the purge; without systemd
#     in the chroot it starts a detached --auto, which waits for apt's lock,
#     purges, and logs to syslog (a socket at the root's /dev/log that this
#     script reads, standing in for the syslog daemon a chroot lacks);
# 10. the guard's control: PURGE_OLD_KERNELS_GUARD=no and /boot too small
#     again: the kernel is left half-configured (update-initramfs: No space
#     left on device); room, and dpkg --configure -a, repair it.
#
# The timings of step 5 and 7 are printed at the end ("measured:").
#
# TOLERANCE: the figures count an installed package by its Installed-Size,
# which dpkg-gencontrol makes by rounding each file up to 1 KiB, while du
# counts the 4 KiB blocks files and directories take: the freed space may
# exceed the announced one by up to 4 KiB per path in the purged packages'
# file lists. The dpkg database (/var/lib/dpkg) and logs are left out of
# the comparison: they are not the packages' files.
#
# Downloads are cached in $POK_REAL_CACHE (default
# /var/cache/purge-old-kernels-check-real): the bootstrap tarball, apt's
# lists and every .deb. A second run downloads only what the archive changed.
# Everything runs in a private mount namespace (unshare --mount): /proc,
# /dev and the cache are mounted into the root there only, and vanish with
# it. Needs root, mmdebstrap, unshare; exits 77 (skipped) without them or
# when the archive cannot be reached and nothing is cached.
# KEEP_REAL=1 keeps the root afterwards (its path is printed).
# shellcheck disable=SC2016 # dpkg-query's and apt's own ${...} formats
set -euo pipefail
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${POK:=$top_builddir/cli/purge-old-kernels}"
CACHE=${POK_REAL_CACHE:-/var/cache/purge-old-kernels-check-real}
SUITE=bookworm

say() { printf '%s\n' "$*"; }
section() { printf '\n== [%4ss] %s\n' "$SECONDS" "$*"; }
skip() { say "SKIP: check-real: $*"; exit 77; }
die() { say "ERROR: check-real: $*" >&2; exit 99; }
FAILS=0
CHECKS=0
pass() { CHECKS=$((CHECKS + 1)); say "ok - $*"; }
fail() { CHECKS=$((CHECKS + 1)); FAILS=$((FAILS + 1)); say "not ok - $*"; }
check() { # check WHAT CMD...: pass if CMD succeeds
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}
check_eq() { # check_eq WHAT EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1"
		say "    expected: $(printf '%s' "$2" | tr '\n' ' ')"
		say "    actual:   $(printf '%s' "$3" | tr '\n' ' ')"
	fi
}
show() { sed 's/^/  | /'; }

[ "$(id -u)" = 0 ] || skip "needs root (chroot, mounts, dpkg in the root)"
for tool in mmdebstrap unshare chroot python3; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool is missing (apt-get install mmdebstrap)"
done

# Into a private mount namespace: nothing mounted here reaches the host.
if [ -z "${POK_REAL_IN_NS:-}" ]; then
	POK_REAL_IN_NS=1 exec unshare --mount --propagation private -- bash "$0" "$@"
fi

WORK=$(mktemp -d /tmp/pok-real.XXXXXXXX)
ROOT=$WORK/root
SINK_PID=
BUILD_PID=
MOUNTS=()
MEASURED=()
KDEB_IN_ROOT=

cleanup() {
	local rc=$? m i
	trap - EXIT
	[ -z "$SINK_PID" ] || kill "$SINK_PID" 2>/dev/null || true
	# The package build, if a step failed before it was waited for.
	[ -z "$BUILD_PID" ] || wait "$BUILD_PID" 2>/dev/null || true
	for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
		m=${MOUNTS[$i]}
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
	if grep -q " $ROOT" /proc/self/mounts; then
		say "check-real: something is still mounted under $ROOT; left in place"
	elif [ "${KEEP_REAL:-0}" = 1 ]; then
		say "check-real: root kept: $ROOT"
	else
		rm -rf "$WORK"
	fi
	[ "$rc" -ne 0 ] || [ "$FAILS" -eq 0 ] || rc=1
	exit "$rc"
}
trap cleanup EXIT

mount_in_root() { # mount_in_root TARGET MOUNT-ARGS...
	local target=$ROOT$1
	shift
	mkdir -p "$target"
	mount "$@" "$target"
	MOUNTS+=("$target")
}

# in_root CMD...: CMD in the chroot, with a clean environment like a root
# login's, stdin from /dev/null.
in_root() {
	chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@" </dev/null
}
apt_in_root() { in_root apt-get -q -y -o Dpkg::Use-Pty=0 "$@"; }

## The archive and the cache.

# The lines of this machine's apt sources for SUITE, SUITE-updates and
# SUITE-security, main only.
sources() {
	apt-get indextargets --format '$(SITE) $(RELEASE) $(COMPONENT)' \
		'Identifier: Packages' 2>/dev/null |
		awk -v s="$SUITE" '($2 == s || $2 == s "-updates" || $2 == s "-security") && $3 == "main" \
			{ print "deb " $1 " " $2 " main" }' | sort -u
}

bootstrap_tarball() {
	local tar=$CACHE/$SUITE-minbase.tar src
	if [ -s "$tar" ]; then
		say "cached: $tar"
		return 0
	fi
	src=$(sources)
	[ -n "$src" ] || skip "this machine's apt sources name no $SUITE archive"
	say "mmdebstrap --variant=minbase $SUITE from:"
	printf '%s\n' "$src" | show
	if ! mmdebstrap --quiet --variant=minbase --format=tar "$SUITE" "$tar.tmp" "$src" >"$WORK/mmdebstrap.log" 2>&1; then
		show <"$WORK/mmdebstrap.log" | tail -n 15
		rm -f "$tar.tmp"
		skip "mmdebstrap could not bootstrap $SUITE: the archive cannot be reached?"
	fi
	mv "$tar.tmp" "$tar"
}

setup_root() {
	mkdir -p "$ROOT" "$CACHE/archives/partial" "$CACHE/lists/partial"
	tar -C "$ROOT" -xf "$CACHE/$SUITE-minbase.tar"
	cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
	mount_in_root /proc -t proc proc
	# A /dev of its own: the nodes programs need, and /dev/log for step 4.
	mount_in_root /dev -t tmpfs -o mode=0755,size=1m pok-real-dev
	for n in null zero full random urandom tty; do
		touch "$ROOT/dev/$n"
		mount --bind "/dev/$n" "$ROOT/dev/$n"
		MOUNTS+=("$ROOT/dev/$n")
	done
	mkdir -p "$ROOT/dev/shm"
	# apt-get logs the terminal's output through a pseudo-terminal.
	mount_in_root /dev/pts -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts
	ln -s pts/ptmx "$ROOT/dev/ptmx"
	mount_in_root /var/cache/apt/archives --bind "$CACHE/archives"
	mount_in_root /var/lib/apt/lists --bind "$CACHE/lists"
}

update_lists() {
	if apt_in_root update >"$WORK/update.log" 2>&1; then
		return 0
	fi
	show <"$WORK/update.log" | tail -n 10
	ls "$CACHE/lists/"*_Packages* >/dev/null 2>&1 \
		|| skip "apt-get update failed in the root and no lists are cached: the archive cannot be reached"
	say "# apt-get update failed; using the cached lists"
}

## The kernels.

# Names of the root's archive matching the extended regular expression.
names() { in_root apt-cache pkgnames "${1%%[[(\\]*}" | grep -E "^$1\$" || true; }

choose_kernels() {
	local n cloud
	META=$(in_root apt-cache depends linux-image-amd64 |
		sed -n 's/^ *Depends: linux-image-\(6\.1\.0-[0-9]*\)-amd64$/\1/p' | head -n1)
	[ -n "$META" ] || die "linux-image-amd64 depends on no linux-image-6.1.0-N-amd64"
	cloud=$(names 'linux-image-6\.1\.0-[0-9]+-cloud-amd64' |
		sed 's/^linux-image-\(6\.1\.0-[0-9]*\)-cloud-amd64$/\1/' | sort -t- -k2,2n)
	OLD=()
	for n in $cloud; do
		[ "${n#6.1.0-}" -lt "${META#6.1.0-}" ] || continue
		[ -n "$(names "linux-image-${n//./\\.}-amd64")" ] || continue
		OLD+=("$n")
	done
	[ "${#OLD[@]}" -ge 3 ] || die "the archive has fewer than 3 older 6.1 ABIs: ${OLD[*]}"
	OLD=("${OLD[@]: -3}")
	mapfile -t NEW < <(names 'linux-image-6\.12\.[0-9]+\+deb12-amd64' |
		sort -V | tail -n3 | sed 's/^linux-image-//')
	[ "${#NEW[@]}" -eq 3 ] || die "the archive has fewer than 3 6.12 kernels"
	RC=${OLD[0]}-amd64        # removed, config files left
	A=${OLD[1]}-amd64         # installed
	B=${OLD[2]}-amd64         # installed, also cloud-amd64 and headers
	BC=${OLD[2]}-cloud-amd64
	M=$META-amd64             # the metapackages' release
	say "config-files: $RC; installed: $A, $B, $BC (with headers), $M (metapackages)"
	say "newer: ${NEW[0]} (step 3), ${NEW[1]} (steps 5, 7 and 10), ${NEW[2]} (step 9)"
}

install_kernels() {
	local log=$WORK/install.log
	if ! apt_in_root install --no-install-recommends initramfs-tools zstd \
		grub-common grub2-common \
		"linux-image-$RC" "linux-image-$A" "linux-image-$B" \
		"linux-image-$BC" "linux-headers-$B" \
		linux-image-amd64 linux-headers-amd64 >"$log" 2>&1; then
		show <"$log" | tail -n 30
		die "installing the kernels failed"
	fi
	grep -E '^(Get|Fetched|update-initramfs)' "$log" | show | tail -n 12
	apt_in_root remove "linux-image-$RC" >"$WORK/remove.log" 2>&1 \
		|| { show <"$WORK/remove.log"; die "apt-get remove linux-image-$RC failed"; }
	check_eq "linux-image-$RC is in config-files state" "deinstall ok config-files" \
		"$(in_root dpkg-query -W -f '${Status}' "linux-image-$RC")"
}

## This tree's package.

# Build this tree's .deb in the background, while the kernels install.
build_own_deb() {
	DEB_BUILD_OPTIONS="nocheck parallel=2" \
		"$top_srcdir/tests/package-check.sh" --output "$WORK/debs" \
		>"$WORK/package-check.log" 2>&1 &
	BUILD_PID=$!
}

install_own_deb() {
	local deb
	if ! wait "$BUILD_PID"; then
		show <"$WORK/package-check.log" | tail -n 30
		die "tests/package-check.sh failed"
	fi
	deb=$(ls "$WORK"/debs/purge-old-kernels_*.deb)
	cp "$deb" "$ROOT/tmp/"
	apt_in_root install "/tmp/${deb##*/}" >"$WORK/own.log" 2>&1 \
		|| { show <"$WORK/own.log"; die "installing ${deb##*/} in the root failed"; }
	say "installed ${deb##*/} in the root"
	check "the packaged apt hook is in place" \
		test -f "$ROOT/etc/apt/apt.conf.d/85purge-old-kernels"
}

## What is there.

kernel_pkgs() { # installed or config-files packages of a kernel family, sorted
	in_root dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' 'linux-*' |
		awk '$1 == "ii" || $1 == "rc" { print $2 }' | sort
}
all_pkgs() {
	in_root dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' |
		awk '$1 != "un" { print $2 }' | sort
}
# KiB that du sees in the root: the packages' files, not apt's cache and
# lists (bind mounts of this machine's cache), the dpkg database or logs.
root_kib() {
	local kib boot=0
	kib=$(cd "$ROOT" && du -skx --exclude=./var/cache/apt/archives \
		--exclude=./var/lib/apt/lists --exclude=./var/lib/dpkg \
		--exclude=./var/log --exclude=./tmp --exclude=./run . | cut -f1)
	# /boot, when it is the tmpfs of step 5: du -x leaves it out.
	! mountpoint -q "$ROOT/boot" || boot=$(du -sk "$ROOT/boot" | cut -f1)
	echo $((kib + boot))
}
list_paths() { # the number of paths in the file lists of PKG...
	local p n=0
	for p in "$@"; do
		[ -f "$ROOT/var/lib/dpkg/info/$p.list" ] || continue
		n=$((n + $(wc -l <"$ROOT/var/lib/dpkg/info/$p.list")))
	done
	echo "$n"
}
json_field() { # json_field FILE EXPR: EXPR of the JSON document d
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

## The steps.

step_show_plan() {
	section "1. --list and --dry-run inside the chroot, and from outside with --root"
	in_root purge-old-kernels --list >"$WORK/list.in" 2>&1 || true
	say "# chroot $ROOT purge-old-kernels --list"
	show <"$WORK/list.in"
	in_root purge-old-kernels --dry-run >"$WORK/dry.in" 2>&1 || true
	say "# chroot $ROOT purge-old-kernels --dry-run"
	show <"$WORK/dry.in"
	"$POK" --root="$ROOT" --list >"$WORK/list.out" 2>"$WORK/list.err" || true
	show <"$WORK/list.err"
	# But for /boot's use: the filesystem under /tmp is this machine's,
	# which other programs write to between the two runs. (The build tree's
	# program reads its own sysconfdir's configuration file, and says on
	# stderr when that is not the root's /etc/purge-old-kernels.conf.)
	check_eq "--list from outside with --root says what --list inside says (/boot's use aside)" \
		"$(grep -v '^/boot: ' "$WORK/list.in")" "$(grep -v '^/boot: ' "$WORK/list.out")"
	check "--list names the release in config-files state" \
		grep -q "^$RC *config-files" "$WORK/list.in"
	check "--dry-run would purge the release in config-files state" \
		grep -q "^$RC: " "$WORK/dry.in"
	check_release_figures
}

# --list's /BOOT and SIZE against du: each release's /BOOT is what du
# counts of its files in /boot, exactly; the release in config-files state
# takes what du counts in /lib/modules/RC (depmod's files; no conffiles
# and no initrd are left by a Debian image), within the directory itself.
boot_files_bytes() { # what du counts of ROOT/boot/*-RELEASE, in bytes
	local f sum=0
	for f in "$ROOT"/boot/*-"$1"; do
		[ -f "$f" ] || continue
		sum=$((sum + $(du -B1 "$f" | cut -f1)))
	done
	echo "$sum"
}

check_release_figures() {
	local r boot du_boot rc_kib du_rc
	in_root purge-old-kernels --list --json >"$WORK/list.json"
	for r in "$RC" "$A" "$B" "$BC" "$M"; do
		boot=$(json_field "$WORK/list.json" "[x['boot_bytes'] for x in d['releases'] if x['name'] == '$r'][0]")
		du_boot=$(boot_files_bytes "$r")
		check_eq "$r: /BOOT is what du counts of /boot/*-$r ($du_boot bytes)" "$du_boot" "$boot"
	done
	rc_kib=$(json_field "$WORK/list.json" "[x['size_kib'] for x in d['releases'] if x['name'] == '$RC'][0]")
	du_rc=$(du -sk "$ROOT/lib/modules/$RC" | cut -f1)
	say "# $RC: SIZE $rc_kib KiB; du of /lib/modules/$RC: $du_rc KiB"
	check "$RC: SIZE is du's figure for /lib/modules/$RC, less its directory's 4 KiB" \
		test "$rc_kib" -ge $((du_rc - 4)) -a "$rc_kib" -le "$du_rc"
}

step_hook_notice() {
	section "3. a newer kernel with the root's apt-get: the hook's notice"
	apt_in_root install --no-install-recommends "linux-image-${NEW[0]}" >"$WORK/hook.log" 2>&1 \
		|| { show <"$WORK/hook.log"; die "installing linux-image-${NEW[0]} failed"; }
	grep -E '^(Setting up linux-image|purge-old-kernels)' "$WORK/hook.log" | show
	check "the hook said what can be purged in the apt run" \
		grep -qE "^purge-old-kernels: .* can be purged, freeing .*; run 'sudo purge-old-kernels'" \
		"$WORK/hook.log"
}

expected_purge() { # $A stays: GRUB boots it next (step 4)
	printf '%s\n' "linux-image-$RC" "linux-image-$B" \
		"linux-image-$BC" "linux-headers-$B" "linux-headers-${OLD[2]}-common" | sort
}

step_purge() {
	local before_pkgs before_kib after_kib freed announced paths tol diff
	section "6. purge-old-kernels --keep 1 -y inside the chroot: room for the new kernel; $A stays for the next boot"
	in_root purge-old-kernels --keep 1 --dry-run --json >"$WORK/plan.json"
	check_eq "the plan purges exactly the two old releases, the cloud flavour and their headers" \
		"$(expected_purge)" "$(json_field "$WORK/plan.json" '"\n".join(sorted(d["purge"]))')"
	announced=$(json_field "$WORK/plan.json" 'd["purge_kib"]')
	# shellcheck disable=SC2046 # package names have no blanks
	set -- $(expected_purge)
	paths=$(list_paths "$@")
	tol=$((4 * paths))
	say "# for comparison, the purged packages' Installed-Size (the figure before issue 13):" \
		"$(in_root dpkg-query -W -f '${Installed-Size}\n' "$@" |
			awk '{ s += $1 } END { print s }') KiB"
	before_pkgs=$(all_pkgs)
	before_kib=$(root_kib)
	in_root purge-old-kernels --keep 1 -y >"$WORK/purge.log" 2>&1 \
		|| { show <"$WORK/purge.log"; fail "purge-old-kernels --keep 1 -y"; return; }
	pass "purge-old-kernels --keep 1 -y"
	grep -vE '^(\(Reading|Reading|Building|Removing|Purging configuration|Processing|update-initramfs|I: |W: |run-parts|/etc/kernel)' \
		"$WORK/purge.log" | show
	after_kib=$(root_kib)
	freed=$((before_kib - after_kib))
	check_eq "every other package is still installed" \
		"$(comm -23 <(printf '%s\n' "$before_pkgs") <(expected_purge))" "$(all_pkgs)"
	check "it says $A is kept for the next boot" grep -q "^Kept for the next boot: $A " "$WORK/purge.log"
	check_eq "the kernel packages left: the newest, the metapackages' release they need, and $A" \
		"$(printf '%s\n' "linux-image-${NEW[0]}" "linux-image-$M" "linux-headers-$M" "linux-image-$A" \
			"linux-headers-$META-common" linux-image-amd64 linux-headers-amd64 \
			linux-base linux-kbuild-6.1 linux-compiler-gcc-12-x86 | sort)" \
		"$(kernel_pkgs)"
	check_boot "${NEW[0]}" "$M" "$A"
	diff=$((freed - announced))
	say "# announced $announced KiB; du saw $freed KiB freed; difference $diff KiB;" \
		"tolerance 0 to $tol KiB (4 KiB x $paths paths)"
	check "the space freed is the announced space within the tolerance" \
		test "$diff" -ge 0 -a "$diff" -le "$tol"
}

# check_boot RELEASE...: /boot and /lib/modules hold these releases' files
# only, the symbolic links point at existing files, dpkg and apt are content.
check_boot() {
	local f r ok bad='' dirs want
	for f in "$ROOT"/boot/*; do
		[ "$f" != "$ROOT/boot/grub" ] || continue # grub-editenv's, step 4
		ok=0
		for r in "$@"; do
			case ${f##*/} in *-"$r") ok=1 ;; esac
		done
		[ "$ok" = 1 ] || bad="$bad ${f##*/}"
	done
	# shellcheck disable=SC2012 # for the log only
	ls -l "$ROOT/boot" | show
	check_eq "/boot holds the files of $* only" "" "$bad"
	dirs=$(find "$ROOT/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort)
	want=$(printf '%s\n' "$@" | sort)
	check_eq "/lib/modules holds $* only" "$want" "$dirs"
	for f in vmlinuz initrd.img vmlinuz.old initrd.img.old; do
		say "  | /$f -> $(readlink "$ROOT/$f" || echo '(none)')"
		check "/$f points at an existing file" test -f "$ROOT/$(readlink "$ROOT/$f" | sed 's|^/||')"
	done
	check_eq "dpkg --audit is clean" "" "$(in_root dpkg --audit 2>&1)"
	check "apt-get check is clean" in_root apt-get -qq check
}

# A syslog daemon's socket at the root's /dev/log, its messages appended to
# $WORK/syslog: the chroot has no syslog daemon of its own.
start_syslog_sink() {
	python3 - "$ROOT/dev/log" "$WORK/syslog" <<'EOF' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o666)
with open(sys.argv[2], "a", buffering=1) as log:
    while True:
        log.write(s.recv(8192).decode("utf-8", "replace").rstrip("\n") + "\n")
EOF
	SINK_PID=$!
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		[ -S "$ROOT/dev/log" ] && return 0
		sleep 0.2
	done
	die "the syslog socket did not appear"
}

step_auto() {
	local t pid r
	section "9. AUTO=yes, KEEP=1: a newer kernel, and the purge follows apt"
	start_syslog_sink
	sed -i 's/^#\?AUTO=.*/AUTO=yes/; s/^#\?KEEP=.*/KEEP=1/' "$ROOT/etc/purge-old-kernels.conf"
	grep -E '^(AUTO|KEEP)=' "$ROOT/etc/purge-old-kernels.conf" | show
	check "/run/systemd/system is absent in the chroot (no systemd there)" \
		test ! -e "$ROOT/run/systemd/system"
	apt_in_root install --no-install-recommends "linux-image-${NEW[2]}" >"$WORK/auto-apt.log" 2>&1 \
		|| { show <"$WORK/auto-apt.log"; die "installing linux-image-${NEW[2]} failed"; }
	grep -E '^(Setting up linux-image|purge-old-kernels)' "$WORK/auto-apt.log" | show
	check "the hook said it purges once apt is done" \
		grep -qE "^purge-old-kernels: purging .* once apt is done" "$WORK/auto-apt.log"
	for ((t = 0; t < 600; t++)); do
		grep -qE 'purge-old-kernels\[[0-9]+\]: (purged|.*nothing was purged|.*giving up)' \
			"$WORK/syslog" 2>/dev/null && break
		sleep 1
	done
	say "# the syslog, after ${t} s:"
	show <"$WORK/syslog" 2>/dev/null || true
	check "the purge was logged" grep -qE 'purge-old-kernels\[[0-9]+\]: purged ' "$WORK/syslog"
	# The detached --auto ends after its log's last line: wait for it.
	pid=$(sed -n 's/.*purge-old-kernels\[\([0-9]*\)\]: purg.*/\1/p' "$WORK/syslog" | head -n1)
	for ((t = 0; t < 120; t++)); do
		if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then break; fi
		sleep 1
	done
	for r in "${NEW[0]}" "${NEW[1]}"; do
		check_eq "linux-image-$r was purged by the detached --auto" "" \
			"$(in_root dpkg-query -W -f '${db:Status-Abbrev}' "linux-image-$r" 2>/dev/null | tr -d ' ' | sed 's/^un$//')"
	done
	check_boot "${NEW[2]}" "$M"
}

## apt's verdict (step 2).

step_apt_verdict() {
	local json_auto apt_auto json_rm apt_rm pkgs
	section "2. apt's verdict: --list's view of apt autoremove against the root's apt-get -s autoremove"
	# apt-mark, as an admin who no longer wants a release by hand would.
	in_root apt-mark auto "linux-image-$A" | show
	in_root purge-old-kernels --list >"$WORK/apt-view.txt" 2>&1 || true
	sed -n '/^What apt autoremove would do/,$p' "$WORK/apt-view.txt" | show
	in_root purge-old-kernels --list --json >"$WORK/apt-view.json"
	pkgs=$(json_field "$WORK/apt-view.json" '"\n".join(sorted(p["name"] for p in d["packages"]))')
	in_root apt-get -s autoremove >"$WORK/autoremove.log" 2>&1
	apt_rm=$(sed -n 's/^Remv \([^ ]*\) .*/\1/p' "$WORK/autoremove.log" | sort)
	say "# apt-get -s autoremove removes: $(printf '%s' "$apt_rm" | tr '\n' ' ')"
	json_rm=$(json_field "$WORK/apt-view.json" '"\n".join(sorted(p["name"] for p in d["packages"] if p["apt_autoremoves"]))')
	check_eq "the packages --list says apt autoremove removes are those apt-get -s autoremove removes" \
		"$apt_rm" "$json_rm"
	check "apt-get -s autoremove removes linux-image-$A, marked auto" \
		grep -qx "linux-image-$A" <<<"$apt_rm"
	apt_auto=$(comm -12 <(in_root apt-mark showauto | sort) <(printf '%s\n' "$pkgs"))
	json_auto=$(json_field "$WORK/apt-view.json" '"\n".join(sorted(p["name"] for p in d["packages"] if p["apt_mark"] == "auto"))')
	check_eq "the marks --list shows are apt-mark showauto's, kernel package by kernel package" \
		"$apt_auto" "$json_auto"
	check_eq "the JSON's verdict for $A: would-remove" "would-remove" \
		"$(json_field "$WORK/apt-view.json" "[x['apt_autoremove'] for x in d['releases'] if x['name'] == '$A'][0]")"
	check "--list's text says apt autoremove would remove $A" \
		grep -qE "^  $A +auto +would remove it" "$WORK/apt-view.txt"
}

## The boot loader (step 4).

step_next_boot() {
	local entry adv id cfg=0
	section "4. GRUB boots $A next (grub-set-default): kept, with reason next-boot"
	# grub-pc's postinst makes /etc/default/grub from grub2-common's copy.
	[ -f "$ROOT/etc/default/grub" ] || cp "$ROOT/usr/share/grub/default/grub" "$ROOT/etc/default/grub"
	sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=saved/' "$ROOT/etc/default/grub"
	grep '^GRUB_DEFAULT=' "$ROOT/etc/default/grub" | show
	mkdir -p "$ROOT/boot/grub"
	disk_in_root
	if in_root grub-mkconfig -o /boot/grub/grub.cfg >"$WORK/grub-mkconfig.log" 2>&1; then
		cfg=1
		say "# grub-mkconfig -o /boot/grub/grub.cfg ran in the chroot:"
		grep -E "^(Generating|Found linux image: /boot/vmlinuz-$A)|grub-probe" "$WORK/grub-mkconfig.log" | sort -u | show
		grep -E "^[[:space:]]*(submenu|menuentry) .*(Advanced|with Linux $A')" "$ROOT/boot/grub/grub.cfg" | show
	else
		say "# grub-mkconfig cannot run in the chroot:"
		show <"$WORK/grub-mkconfig.log" | tail -n 3
		rm -f "$ROOT/boot/grub/grub.cfg" "$ROOT/boot/grub/grub.cfg.new"
	fi
	if [ "$cfg" = 1 ]; then
		adv=$(sed -n "s/^submenu '[^']*' \\\$menuentry_id_option '\\([^']*\\)'.*/\\1/p" "$ROOT/boot/grub/grub.cfg" | head -n1)
		id=$(grep -o "'gnulinux-$A-advanced-[^']*'" "$ROOT/boot/grub/grub.cfg" | tr -d "'" | head -n1)
	else
		# update-grub's ids, with a file system UUID made up for this root.
		adv=gnulinux-advanced-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0
		id=gnulinux-$A-advanced-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0
	fi
	entry="$adv>$id"
	in_root grub-set-default "$entry"
	in_root grub-editenv /boot/grub/grubenv list | show
	check "grub-set-default wrote saved_entry=$entry" \
		grep -qxF "saved_entry=$entry" <(in_root grub-editenv /boot/grub/grubenv list)
	next_boot_checks "grub.cfg $([ "$cfg" = 1 ] && echo 'by grub-mkconfig' || echo absent)"
	if [ "$cfg" = 1 ]; then
		# Each kernel package's scripts run update-grub when grub.cfg
		# exists (zz-update-grub), and grub-probe cannot probe the tmpfs
		# /boot of step 5: without it, the entry's id says the release.
		rm -f "$ROOT/boot/grub/grub.cfg"
		next_boot_checks "grub.cfg removed, the id alone"
	fi
}

# The block device under the root, read-only, at its name in the root's
# /dev: grub-mkconfig's grub-probe looks for the device behind / there.
disk_in_root() {
	local src
	src=$(findmnt -n -o SOURCE -T "$ROOT" 2>/dev/null || true)
	if [ ! -b "$src" ] || [ "${src#/dev/}" = "$src" ]; then
		say "# / of the root is on $src, no block device: grub-probe will not find it"
		return 0
	fi
	mkdir -p "$ROOT${src%/*}"
	touch "$ROOT$src"
	mount --bind "$src" "$ROOT$src"
	MOUNTS+=("$ROOT$src")
	mount -o remount,bind,ro "$ROOT$src"
	say "# $src, under the root, read-only, for grub-probe"
}

next_boot_checks() { # next_boot_checks WHEN
	local why
	in_root purge-old-kernels --keep 1 --list >"$WORK/nb-list.txt" 2>&1 || true
	grep -A1 "^$A " "$WORK/nb-list.txt" | show
	in_root purge-old-kernels --keep 1 --dry-run >"$WORK/nb-dry.txt" 2>&1 || true
	grep -E '^(Kept for the next boot|linux-image)' "$WORK/nb-dry.txt" | show
	in_root purge-old-kernels --keep 1 --list --json >"$WORK/nb.json"
	why=$(json_field "$WORK/nb.json" "[x['reason'] + ' ' + x['action'] for x in d['releases'] if x['name'] == '$A'][0]")
	check_eq "$1: --keep 1 keeps $A with reason next-boot" "next-boot keep" "$why"
	check_eq "$1: the JSON's next_boot names $A, GRUB's saved_entry in /boot/grub/grubenv" \
		"$A GRUB saved_entry /boot/grub/grubenv" \
		"$(json_field "$WORK/nb.json" "' '.join(d['next_boot'][k] for k in ('release', 'loader', 'setting', 'file'))")"
	check "$1: --list says GRUB's saved_entry boots $A" \
		grep -q "GRUB's saved_entry in /boot/grub/grubenv boots it" "$WORK/nb-list.txt"
	check "$1: --dry-run says $A is kept for the next boot" \
		grep -qF "Kept for the next boot: $A (GRUB's saved_entry in /boot/grub/grubenv boots it)." "$WORK/nb-dry.txt"
	check "$1: --dry-run does not purge linux-image-$A" \
		test -z "$(grep -w "linux-image-$A" "$WORK/nb-dry.txt" | grep -v '^Kept' || true)"
}

## The apt guard (steps 5, 7 and 10).

# /boot files of a kernel .deb, in bytes, each rounded up to 4 KiB.
deb_boot_bytes() {
	dpkg-deb --fsys-tarfile "$1" | tar -tvf - ./boot |
		awk '$1 ~ /^-/ { s += int(($3 + 4095) / 4096) * 4096 } END { print s + 0 }'
}
largest_initrd() {
	local f max=0 n
	for f in "$ROOT"/boot/initrd.img-*; do
		[ -f "$f" ] || continue
		n=$(stat -c %s "$f")
		[ "$n" -le "$max" ] || max=$n
	done
	echo "$max"
}
boot_free() { echo $(($(stat -f -c '%a * %S' "$ROOT/boot"))); }
kib() { echo "$(($1 / 1024)) KiB"; }

# boot_tmpfs_size DEB: what /boot holds now, the .deb's /boot files, and
# half the largest initrd: the new kernel unpacks, its initrd does not fit.
boot_tmpfs_size() {
	local used files initrd
	used=$(du -sB1 "$ROOT/boot" | cut -f1)
	files=$(deb_boot_bytes "$1")
	initrd=$(largest_initrd)
	say "# /boot holds $(kib "$used"); ${1##*/}: $(kib "$files") of /boot files;" \
		"the largest initrd: $(kib "$initrd")" >&2
	echo $(((used + files + initrd / 2 + 4095) / 4096 * 4096))
}

kernel_deb() { # the cached .deb of linux-image-RELEASE, downloaded if need be
	apt_in_root install --download-only --no-install-recommends "linux-image-$1" >"$WORK/download.log" 2>&1 ||
		{ show <"$WORK/download.log"; die "downloading linux-image-$1 failed"; }
	ls "$ROOT"/var/cache/apt/archives/linux-image-"$1"_*.deb
}

# A Pre-Install-Pkgs hook before the guard's (84 sorts before 85) that
# keeps what apt tells the guard, for timing the guard on it afterwards.
capture_hook_input() { # capture_hook_input FILE-IN-ROOT (or "" to stop)
	local conf=$ROOT/etc/apt/apt.conf.d/84pok-check-real-capture
	if [ -z "$1" ]; then
		rm -f "$conf"
		return
	fi
	cat >"$conf" <<CONF
DPkg::Pre-Install-Pkgs { "pok_capture() { cat >$1; }; pok_capture"; };
DPkg::Tools::Options::pok_capture()::Version "3";
CONF
}

# time_in_root N CMD: microseconds per run of the shell command CMD, run N
# times in one chroot.
time_in_root() {
	local t0 t1
	t0=$(date +%s%N)
	in_root sh -c "i=0; while [ \$i -lt $1 ]; do $2; i=\$((i + 1)); done" >/dev/null 2>&1 || true
	t1=$(date +%s%N)
	echo $(((t1 - t0) / $1 / 1000))
}

pkg_states() {
	in_root dpkg-query -W -f '${Package} ${Version} ${db:Status-Abbrev}\n' | sort
}
boot_listing() { (cd "$ROOT/boot" && find . -printf '%p %s\n' | sort); }

step_guard_stops() {
	local deb size states boot rc=0 n line
	section "5. /boot on a tmpfs too small for linux-image-${NEW[1]}: the packaged guard stops apt before dpkg"
	deb=$(kernel_deb "${NEW[1]}")
	KDEB_IN_ROOT=/var/cache/apt/archives/${deb##*/}
	size=$(boot_tmpfs_size "$deb")
	cp -a "$ROOT/boot" "$WORK/boot.orig"
	mount_in_root /boot -t tmpfs -o "size=$size,mode=0755" pok-real-boot
	cp -a "$WORK/boot.orig/." "$ROOT/boot/"
	rm -rf "$WORK/boot.orig"
	say "# /boot is a tmpfs of $(kib "$size"): $(kib "$(boot_free)") free"
	states=$(pkg_states)
	boot=$(boot_listing)
	capture_hook_input /tmp/pok-guard-kernel.in
	apt_in_root install --no-install-recommends "linux-image-${NEW[1]}" >"$WORK/guard.log" 2>&1 || rc=$?
	capture_hook_input ""
	grep -vE '^(Reading|Building|\(Reading)' "$WORK/guard.log" | show
	check "apt-get install linux-image-${NEW[1]} failed (exit $rc)" test "$rc" -ne 0
	n=$(grep -c '^purge-old-kernels: ' "$WORK/guard.log" || true)
	check_eq "the guard said one line" 1 "$n"
	line=$(grep '^purge-old-kernels: ' "$WORK/guard.log" || true)
	check "it says it stopped apt before linux-image-${NEW[1]}, what /boot has and needs" \
		grep -qF "purge-old-kernels: stopped apt before it installs linux-image-${NEW[1]}: /boot has " <<<"$line"
	check "it says what 'sudo purge-old-kernels' would free, and to run apt again" \
		grep -qE "'sudo purge-old-kernels' would free .*; then run apt again$" <<<"$line"
	check "dpkg unpacked nothing" test -z "$(grep -E '^(Unpacking|Setting up|Selecting)' "$WORK/guard.log" || true)"
	check_eq "dpkg --audit is clean" "" "$(in_root dpkg --audit 2>&1)"
	check_eq "no package's state changed" "$states" "$(pkg_states)"
	check_eq "/boot is as it was" "$boot" "$(boot_listing)"
	measure_guard_stop
}

measured() { MEASURED+=("$*"); say "# measured: $*"; }

# The guard's time on what apt gave it for the real kernel, and on an apt
# run without a kernel against dpkg-query -W.
measure_guard_stop() {
	local rc=0 t
	in_root sh -c 'purge-old-kernels --guard </tmp/pok-guard-kernel.in' >/dev/null 2>&1 || rc=$?
	check_eq "the guard, run again on what apt gave it, exits 3" 3 "$rc"
	t=$(time_in_root 2 'purge-old-kernels --guard </tmp/pok-guard-kernel.in')
	measured "the guard on linux-image-${NEW[1]}'s real .deb, stopping apt (with the purge it suggests): $((t / 1000)) ms"
	t=$(time_in_root 2 "dpkg-deb --fsys-tarfile $KDEB_IN_ROOT >/dev/null")
	measured "for comparison, dpkg-deb --fsys-tarfile of that .deb alone: $((t / 1000)) ms"
	capture_hook_input /tmp/pok-guard-plain.in
	apt_in_root install --reinstall zstd >"$WORK/plain.log" 2>&1 ||
		{ show <"$WORK/plain.log"; die "apt-get install --reinstall zstd failed"; }
	capture_hook_input ""
	# (The notice there is the Post-Invoke hook's: the plan changed with
	# grub-set-default since it last told.)
	grep '^purge-old-kernels' "$WORK/plain.log" | show
	check "the guard is silent on an apt run without a kernel (apt-get install --reinstall zstd)" \
		test -z "$(grep -E '^purge-old-kernels: .*(stopped apt|apt goes on unchecked)' "$WORK/plain.log" || true)"
	rc=0
	in_root sh -c 'purge-old-kernels --guard </tmp/pok-guard-plain.in' >"$WORK/plain-guard.out" 2>&1 || rc=$?
	check_eq "the guard, run again on what apt gave it for zstd, exits 0 and says nothing" "0 " \
		"$rc $(cat "$WORK/plain-guard.out")"
	local g q
	g=$(time_in_root 50 'purge-old-kernels --guard </tmp/pok-guard-plain.in')
	q=$(time_in_root 50 'dpkg-query -W >/dev/null')
	measured "the guard on an apt run without a kernel: $g us; dpkg-query -W on this root: $q us; ratio $(awk -v g="$g" -v q="$q" 'BEGIN { printf "%.2f", g / q }')"
}

step_guard_passes() {
	local rc=0 t
	section "7. the same apt-get install after the purge: the guard lets it through; a real initrd"
	say "# /boot: $(kib "$(boot_free)") free"
	in_root sh -c 'purge-old-kernels --guard </tmp/pok-guard-kernel.in' >"$WORK/pass-guard.out" 2>&1 || rc=$?
	check_eq "the guard, on what apt gave it in step 5, now exits 0 and says nothing" "0 " \
		"$rc $(cat "$WORK/pass-guard.out")"
	t=$(time_in_root 2 'purge-old-kernels --guard </tmp/pok-guard-kernel.in')
	measured "the guard on linux-image-${NEW[1]}'s real .deb, letting apt go on: $((t / 1000)) ms"
	apt_in_root install --no-install-recommends "linux-image-${NEW[1]}" >"$WORK/guard2.log" 2>&1 ||
		{ show <"$WORK/guard2.log"; fail "apt-get install linux-image-${NEW[1]} after the purge"; return; }
	grep -E '^(Unpacking|Setting up linux-image|update-initramfs|purge-old-kernels)' "$WORK/guard2.log" | show
	pass "apt-get install linux-image-${NEW[1]} after the purge"
	check "the guard did not stop it" test -z "$(grep 'stopped apt' "$WORK/guard2.log" || true)"
	check "update-initramfs made /boot/initrd.img-${NEW[1]}" test -s "$ROOT/boot/initrd.img-${NEW[1]}"
	check "lsinitramfs: the initrd holds ${NEW[1]}'s modules" \
		grep -q "lib/modules/${NEW[1]}/" <(in_root lsinitramfs "/boot/initrd.img-${NEW[1]}")
	check_eq "dpkg --audit is clean" "" "$(in_root dpkg --audit 2>&1)"
}

configure_pending() {
	in_root dpkg --configure -a >"$WORK/configure.log" 2>&1 || { show <"$WORK/configure.log"; return 1; }
	show <"$WORK/configure.log"
}

step_guard_control() {
	local deb size rc=0 k=${NEW[1]}
	section "10. the control: PURGE_OLD_KERNELS_GUARD=no, /boot too small again: a half-configured kernel"
	sed -i 's/^AUTO=.*/AUTO=no/' "$ROOT/etc/purge-old-kernels.conf"
	deb=$(kernel_deb "$k")
	size=$(boot_tmpfs_size "$deb")
	mount -o "remount,size=$size" "$ROOT/boot"
	say "# /boot is a tmpfs of $(kib "$size"): $(kib "$(boot_free)") free"
	in_root env PURGE_OLD_KERNELS_GUARD=no apt-get -q -y -o Dpkg::Use-Pty=0 install \
		--no-install-recommends "linux-image-$k" >"$WORK/control.log" 2>&1 || rc=$?
	grep -E '^(Unpacking|Setting up|update-initramfs|E:|dpkg:|purge-old-kernels)|No space' "$WORK/control.log" | show
	check "apt-get install linux-image-$k failed (exit $rc)" test "$rc" -ne 0
	check "the guard did not stop it" test -z "$(grep 'stopped apt' "$WORK/control.log" || true)"
	check "update-initramfs failed: No space left on device" grep -q 'No space left on device' "$WORK/control.log"
	check_eq "linux-image-$k is half-configured" "install ok half-configured" \
		"$(in_root dpkg-query -W -f '${Status}' "linux-image-$k")"
	check "dpkg --audit names it" grep -q "linux-image-$k" <(in_root dpkg --audit 2>&1)
	say "# the repair: room in /boot, and dpkg --configure -a"
	mount -o "remount,size=$((size + 2 * $(largest_initrd) + 64 * 1048576))" "$ROOT/boot"
	check "dpkg --configure -a" configure_pending
	check_eq "dpkg --audit is clean" "" "$(in_root dpkg --audit 2>&1)"
	check "update-initramfs made /boot/initrd.img-$k" test -s "$ROOT/boot/initrd.img-$k"
}

## Orphans (step 8).

# Every path in the root (/boot too, a mount of its own now) but for what
# is not the packages' (apt's cache and lists, the dpkg database, logs).
all_paths() {
	(cd "$ROOT" && find . boot -xdev \( -path ./proc -o -path ./dev -o -path ./tmp -o -path ./run \
		-o -path ./var/cache/apt -o -path ./var/lib/apt -o -path ./var/lib/dpkg -o -path ./var/log \
		-o -path ./var/cache/debconf \) -prune -o -print) | sed 's|^\./||; s|^|/|; s|^/\.$|/|' | sort -u
}

step_orphans() {
	local ko want got before after removed owned mdir=/lib/modules/$A
	# Debian 12's /usr is merged: /lib/modules/R is /usr/lib/modules/R,
	# the name find and purge-old-kernels give it (dpkg's lists say /lib).
	[ ! -L "$ROOT/lib" ] || mdir=/usr/lib/modules/$A
	section "8. orphans: what a real apt-get purge of $A leaves, and its initrd put back by hand"
	in_root grub-editenv /boot/grub/grubenv unset saved_entry
	ko=$(find "$ROOT/lib/modules/$A/kernel" -name '*.ko*' -print -quit)
	mkdir -p "$ROOT/lib/modules/$A/updates/dkms"
	cp "$ko" "$ROOT/lib/modules/$A/updates/dkms/"
	cp -a "$ROOT/boot/initrd.img-$A" "$WORK/"
	say "# a module built by hand as DKMS builds them: /lib/modules/$A/updates/dkms/${ko##*/}"
	apt_in_root purge "linux-image-$A" >"$WORK/purge-a.log" 2>&1 ||
		{ show <"$WORK/purge-a.log"; die "apt-get purge linux-image-$A failed"; }
	grep -E '^(Removing|Purging|dpkg: warning)' "$WORK/purge-a.log" | show
	check "the real purge left /lib/modules/$A" test -d "$ROOT/lib/modules/$A"
	cp -a "$WORK/initrd.img-$A" "$ROOT/boot/"
	say "# /boot/initrd.img-$A put back, as an interrupted kernel removal leaves it"
	want=$(printf '%s\n' "/boot/initrd.img-$A" "$mdir" | sort)
	in_root purge-old-kernels --list >"$WORK/orph-list.txt" 2>&1 || true
	sed -n '/files no package owns/,/^$/p' "$WORK/orph-list.txt" | show
	in_root purge-old-kernels --list --json >"$WORK/orph.json"
	got=$(json_field "$WORK/orph.json" '"\n".join(sorted(o["path"] for o in d["orphans"]))')
	check_eq "--list's orphans are the initrd and the tree of $mdir" "$want" "$got"
	check "--list says it in words" grep -qE '^Of removed kernels, 2 files no package owns' "$WORK/orph-list.txt"
	owned=$(in_root dpkg -S "/boot/initrd.img-$A" "/lib/modules/$A" "/usr/lib/modules/$A" 2>/dev/null || true)
	check_eq "dpkg -S: no package owns them" "" "$owned"
	before=$(all_paths)
	in_root purge-old-kernels --orphans -y >"$WORK/orphans.log" 2>&1 ||
		{ show <"$WORK/orphans.log"; fail "purge-old-kernels --orphans -y"; return; }
	show <"$WORK/orphans.log"
	pass "purge-old-kernels --orphans -y"
	after=$(all_paths)
	removed=$(comm -23 <(printf '%s\n' "$before") <(printf '%s\n' "$after"))
	check_eq "exactly the orphans' paths went" \
		"$(printf '%s\n' "$before" | grep -E "^(/boot/initrd\\.img-${A//./\\.}|${mdir//./\\.}(/.*)?)\$")" "$removed"
	check_eq "nothing appeared" "" "$(comm -13 <(printf '%s\n' "$before") <(printf '%s\n' "$after"))"
	check_eq "no removed path is in a package's file list (by its /usr/lib or /lib name)" "" \
		"$(cat "$ROOT"/var/lib/dpkg/info/*.list | sort -u |
			comm -12 - <(printf '%s\n' "$removed" | sed 'p; s|^/usr/lib/|/lib/|' | sort -u))"
}

main() {
	section "the bootstrap tarball"
	bootstrap_tarball
	setup_root
	build_own_deb
	update_lists
	choose_kernels
	section "installing the kernels with the root's apt-get"
	install_kernels
	section "this tree's .deb, built by tests/package-check.sh, installed in the root"
	install_own_deb
	step_show_plan
	step_apt_verdict
	step_hook_notice
	step_next_boot
	step_guard_stops
	step_purge
	step_guard_passes
	step_orphans
	step_auto
	step_guard_control
	section "done"
	for m in "${MEASURED[@]}"; do say "measured: $m"; done
	say "cache: $(du -sh "$CACHE" | cut -f1) in $CACHE"
	say "check-real: $((CHECKS - FAILS)) of $CHECKS checks passed in $SECONDS s"
}

main "$@"
