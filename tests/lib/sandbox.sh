# sandbox.sh: helpers for purge-old-kernels integration tests (sourced, POSIX sh).
# shellcheck shell=sh disable=SC3043,SC2086,SC2016,SC2034
#
# A test makes a throw-away Debian root, fills its dpkg database with tiny
# packages built by dpkg-deb on the spot, runs the real CLI against it (the
# CLI runs the real apt-get, which runs the real dpkg --root) and then asks
# dpkg-query what is left.  Nothing is read from or written to the host's
# package database.
#
#   set -eu
#   : "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
#   . "$top_srcdir/tests/lib/sandbox.sh"
#   sandbox_init
#   ubuntu_release 6.8.0-31 generic
#   ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
#   dpkg_install
#   assert_exit 0 pok --keep=1 -y
#   assert_remaining "$r40 linux-base"
#   sandbox_finish
#
# Exit codes follow automake: 0 pass, 1 fail, 77 skip, 99 hard error (the
# sandbox itself could not be built).  Assertions print "ok"/"not ok" lines
# and keep going, so one run shows every failure; sandbox_finish (or the exit
# trap) turns any failure into exit 1.
#
# Environment: POK (the CLI), DPKG, DPKG_DEB, APT_GET as set by tests/local.mk;
# KEEP_SANDBOX=1 keeps the temporary directory; SANDBOX_HOST_APT_CONFIG=1
# lets apt read the host's /etc/apt/apt.conf.d (see sandbox__write_apt_config).

: "${DPKG:=dpkg}"
: "${DPKG_DEB:=dpkg-deb}"
: "${APT_GET:=apt-get}"
: "${PYTHON:=python3}"
# pyenv-style shims cost a third of a second per call; the system python will do.
[ "$PYTHON" != python3 ] || [ ! -x /usr/bin/python3 ] || PYTHON=/usr/bin/python3
if [ -z "${DPKG_QUERY:-}" ]; then
	case $DPKG in
	*/*) DPKG_QUERY=${DPKG%/*}/dpkg-query ;;
	*) DPKG_QUERY=dpkg-query ;;
	esac
	[ -x "$DPKG_QUERY" ] || DPKG_QUERY=dpkg-query
fi
if [ -z "${POK:-}" ]; then
	POK=${top_builddir:-${top_srcdir:-.}}/cli/purge-old-kernels
fi

SANDBOX_FAILS=0
SANDBOX_CHECKS=0
SANDBOX_TMP=
ROOT=

## Messages and exits.

say() { printf '%s\n' "$*"; }
section() { printf '\n== %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 99; }
skip() { printf 'SKIP: %s\n' "$*"; exit 77; }

# hold_locks SECONDS FILE...: hold fcntl write locks on the FILEs, as apt
# and dpkg take theirs, in a background process for SECONDS; LOCK_PID is
# the holder, which has every lock once this returns. release_locks ends
# it early (and the sandbox's end does).
LOCK_PID=
hold_locks() {
	rm -f "$SANDBOX_TMP/locked"
	"$PYTHON" - "$SANDBOX_TMP/locked" "$@" >"$SANDBOX_TMP/locker.out" 2>&1 <<'EOF' &
import fcntl, os, sys, time
fds = [os.open(p, os.O_RDWR | os.O_CREAT, 0o640) for p in sys.argv[3:]]
for fd in fds:
    fcntl.lockf(fd, fcntl.LOCK_EX)
open(sys.argv[1], "w").close()
time.sleep(float(sys.argv[2]))
EOF
	LOCK_PID=$!
	hold__n=0
	until [ -e "$SANDBOX_TMP/locked" ]; do
		kill -0 "$LOCK_PID" 2>/dev/null ||
			die "the lock holder failed: $(cat "$SANDBOX_TMP/locker.out")"
		hold__n=$((hold__n + 1))
		[ "$hold__n" -lt 100 ] || die "the lock holder did not take $*"
		sleep 0.1
	done
}
release_locks() {
	[ -n "$LOCK_PID" ] || return 0
	kill "$LOCK_PID" 2>/dev/null || :
	wait "$LOCK_PID" 2>/dev/null || :
	LOCK_PID=
}

sandbox__on_exit() {
	sandbox__rc=$?
	trap - EXIT
	release_locks
	if [ "$boot_mounted" = 1 ]; then
		umount "$ROOT/boot" 2>/dev/null || umount -l "$ROOT/boot"
		boot_mounted=0
	fi
	if [ -n "$SANDBOX_TMP" ] && [ -d "$SANDBOX_TMP" ]; then
		if [ "${KEEP_SANDBOX:-0}" = 1 ]; then
			say "sandbox kept: $SANDBOX_TMP (root: $ROOT)"
		else
			rm -rf "$SANDBOX_TMP"
		fi
	fi
	if [ "$sandbox__rc" -eq 0 ] && [ "$SANDBOX_FAILS" -gt 0 ]; then
		sandbox__rc=1
	fi
	exit "$sandbox__rc"
}

# mount_boot SIZE: a tmpfs of SIZE (as mount's size=) on the sandbox's /boot,
# a small or full /boot of its own; unmounted before the sandbox is removed.
# Sets boot_mounted to 1, or fails with mount's message in
# $SANDBOX_TMP/mount.err (the test decides whether to skip).
boot_mounted=0
mount_boot() {
	mount -t tmpfs -o "size=$1,mode=0755" kpurge-test-boot "$ROOT/boot" \
		2>"$SANDBOX_TMP/mount.err" || return 1
	boot_mounted=1
}

## The sandbox.

# sandbox_root_skeleton DIR: the directories and files dpkg and apt need in a root.
sandbox_root_skeleton() {
	mkdir -p "$1/var/lib/dpkg/info" "$1/var/lib/dpkg/updates" \
		"$1/var/lib/dpkg/triggers" "$1/var/lib/dpkg/alternatives" \
		"$1/var/log/apt" "$1/var/cache/apt/archives/partial" \
		"$1/var/lib/apt/lists/partial" "$1/etc/apt/sources.list.d" \
		"$1/etc/apt/preferences.d" "$1/etc/apt/apt.conf.d" \
		"$1/etc/apt/trusted.gpg.d" "$1/boot" "$1/lib/modules" "$1/usr/src" \
		|| die "cannot create a root skeleton in $1"
	: >"$1/var/lib/dpkg/status"
	: >"$1/var/lib/dpkg/available"
	: >"$1/etc/apt/sources.list"
}

# sandbox_init: a fresh root in $ROOT under a private temporary directory,
# removed on exit.  Skips the test (77) unless run as root: installing
# packages with dpkg --root and purging them needs real root.
sandbox_init() {
	if [ "$(id -u)" != 0 ]; then
		skip "integration tests install packages with dpkg --root and need root (run 'make check' as root)"
	fi
	# fakeroot (a package build) says uid 0, but dpkg and chown would fail.
	if [ -n "${FAKEROOTKEY:-}" ] || case ${LD_PRELOAD:-} in *libfakeroot*) true ;; *) false ;; esac; then
		skip "integration tests need real root, not fakeroot (run 'make check' as root)"
	fi
	command -v "$DPKG" >/dev/null 2>&1 || skip "dpkg not found ($DPKG)"
	command -v "$DPKG_DEB" >/dev/null 2>&1 || skip "dpkg-deb not found ($DPKG_DEB)"
	command -v "$APT_GET" >/dev/null 2>&1 || skip "apt-get not found ($APT_GET)"
	[ -x "$POK" ] || die "the CLI is not built: $POK"

	SANDBOX_TMP=$(mktemp -d "${TMPDIR:-/tmp}/pok-test.XXXXXXXX") \
		|| die "mktemp failed"
	trap sandbox__on_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	# Readable by all: the plain-user test runs the CLI as nobody here.
	chmod 0755 "$SANDBOX_TMP"
	ROOT=$SANDBOX_TMP/root
	export ROOT
	SANDBOX_DEBS=$SANDBOX_TMP/debs
	mkdir -p "$SANDBOX_DEBS" "$SANDBOX_TMP/build" "$SANDBOX_TMP/apt-runs"
	sandbox_root_skeleton "$ROOT"
	SANDBOX_ARCH=$("$DPKG" --print-architecture) || die "dpkg --print-architecture failed"
	sandbox__write_apt_config
	say "# sandbox root: $ROOT"
}

# apt reads its configuration files before "-o Dir=" takes effect, so a
# sandboxed apt-get still runs the host's DPkg::*-Invoke and Pre-Install-Pkgs
# hooks.  APT_CONFIG is read first of all: point the configuration parts at
# the sandbox so no host hook runs, and install a hook of our own there that
# refuses to let dpkg run unless apt was pointed at the sandbox (a broken CLI
# must never purge the host's kernels).  The hook also records the
# configuration apt-get ran with, so tests can see what reached it.
sandbox__write_apt_config() {
	sandbox__guard=$SANDBOX_TMP/apt-guard
	cat >"$sandbox__guard" <<EOF
#!/bin/sh
# Pre-Install-Pkgs hook (protocol version 2): apt's configuration on stdin.
n=\$(ls "$SANDBOX_TMP/apt-runs" | wc -l)
f="$SANDBOX_TMP/apt-runs/run.\$((n + 1))"
cat >"\$f"
if ! grep -qx 'Dir::State::status=$ROOT/*var/lib/dpkg/status' "\$f" ||
   ! grep -Eqx 'DPkg::Options::=--root=$ROOT/*' "\$f"; then
	echo "sandbox guard: apt-get was not pointed at the sandbox $ROOT; refusing to run dpkg" >&2
	exit 1
fi
exit 0
EOF
	chmod 0755 "$sandbox__guard"
	cat >"$ROOT/etc/apt/apt.conf.d/00sandbox" <<EOF
// Written by tests/lib/sandbox.sh.
DPkg::Pre-Install-Pkgs:: "$sandbox__guard";
DPkg::Tools::Options::$sandbox__guard::Version "2";
// Keep dpkg's log in the sandbox, not in the host's /var/log/dpkg.log.
DPkg::Options:: "--log=$ROOT/var/log/dpkg.log";
EOF
	if [ "${SANDBOX_HOST_APT_CONFIG:-0}" != 1 ]; then
		cat >"$SANDBOX_TMP/apt.conf" <<EOF
Dir::Etc::parts "$ROOT/etc/apt/apt.conf.d";
Dir::Etc::main "$ROOT/etc/apt/apt.conf";
EOF
		APT_CONFIG=$SANDBOX_TMP/apt.conf
		export APT_CONFIG
	fi
}

# apt_runs: how many times apt-get reached dpkg in this sandbox (counted by
# the guard hook; 0 when the CLI dropped APT_CONFIG from the environment).
apt_runs() { find "$SANDBOX_TMP/apt-runs" -type f | wc -l | tr -d ' '; }
# apt_last_config: the configuration of the last apt-get that ran dpkg.
apt_last_config() {
	sandbox__n=$(apt_runs)
	[ "$sandbox__n" -gt 0 ] || return 0
	sed '/^$/q' "$SANDBOX_TMP/apt-runs/run.$sandbox__n"
}

## Building packages.

# deb NAME VERSION [OPTION...] [/PATH[:BYTES]...]: build a tiny binary package
# with dpkg-deb and print the path of the .deb (cached per test).
# Options: depends= pre-depends= recommends= provides= conflicts= breaks=
# replaces= source= section= priority= arch= desc=, and "conffile" (ship
# /etc/kpurge-test/NAME.conf as a conffile, so that dpkg -r leaves the package
# in config-files state).  Each /PATH becomes a file of BYTES bytes (default
# 1024); Installed-Size adds them up in KiB the way dpkg-gencontrol does.
deb() {
	sandbox__build "$@"
	printf '%s\n' "$DEB"
}

# sandbox__build: deb without the output; the path is left in DEB.  Builds
# run in the test's shell, with as few processes as possible: dpkg-deb is
# most of a test's setup time.
sandbox__build() {
	[ $# -ge 2 ] || die "usage: deb NAME VERSION [OPTION...] [FILE...]"
	local name="$1" version="$2" dir a path size kib field val dirs args n
	shift 2
	args="$*"
	# Same name and version, other options: another file.
	n=0
	DEB=$SANDBOX_DEBS/${name}_${version}_$n.deb
	while [ -f "$DEB" ]; do
		[ "$(cat "$DEB.args")" != "$args" ] || return 0
		n=$((n + 1))
		DEB=$SANDBOX_DEBS/${name}_${version}_$n.deb
	done
	dir=$SANDBOX_TMP/build/${name}_${version}_$n
	kib=0
	local arch="$SANDBOX_ARCH" section=kernel priority=optional
	local source='' desc="purge-old-kernels test package" fields='' conffile=''
	dirs=$dir/DEBIAN
	for a in "$@"; do
		case $a in
		/*) dirs="$dirs $dir${a%/*}" ;;
		conffile) dirs="$dirs $dir/etc/kpurge-test" ;;
		esac
	done
	mkdir -p $dirs || die "cannot create $dir"
	for a in "$@"; do
		case $a in
		/*)
			case $a in
			*:[0-9]*) path=${a%:*} size=${a##*:} ;;
			*) path=$a size=1024 ;;
			esac
			printf "%${size}s" '' >"$dir$path"
			kib=$((kib + (size + 1023) / 1024))
			;;
		conffile)
			conffile=/etc/kpurge-test/$name.conf
			printf '# %s\n' "$name" >"$dir$conffile"
			printf '%s\n' "$conffile" >"$dir/DEBIAN/conffiles"
			kib=$((kib + 1))
			;;
		arch=*) arch=${a#*=} ;;
		section=*) section=${a#*=} ;;
		priority=*) priority=${a#*=} ;;
		source=*) source=${a#*=} ;;
		desc=*) desc=${a#*=} ;;
		depends=* | pre-depends=* | recommends=* | provides=* | conflicts=* | breaks=* | replaces=*)
			field=${a%%=*} val=${a#*=}
			[ -n "$val" ] || continue
			case $field in
			depends) field=Depends ;;
			pre-depends) field=Pre-Depends ;;
			recommends) field=Recommends ;;
			provides) field=Provides ;;
			conflicts) field=Conflicts ;;
			breaks) field=Breaks ;;
			replaces) field=Replaces ;;
			esac
			fields="$fields$field: $val
"
			;;
		*) die "deb $name: unknown option '$a'" ;;
		esac
	done
	{
		printf 'Package: %s\n' "$name"
		[ -z "$source" ] || printf 'Source: %s\n' "$source"
		printf 'Version: %s\n' "$version"
		printf 'Architecture: %s\n' "$arch"
		printf 'Maintainer: purge-old-kernels tests <tests@invalid>\n'
		printf 'Installed-Size: %s\n' "$((kib > 0 ? kib : 1))"
		printf '%s' "$fields"
		printf 'Section: %s\n' "$section"
		printf 'Priority: %s\n' "$priority"
		printf 'Description: %s\n' "$desc"
	} >"$dir/DEBIAN/control"
	"$DPKG_DEB" --root-owner-group -Znone -b "$dir" "$DEB" >"$dir.log" 2>&1 \
		|| { cat "$dir.log" >&2; die "dpkg-deb could not build $name $version"; }
	printf '%s\n' "$args" >"$DEB.args"
}

# want NAME VERSION [OPTION...]: build a package and queue it for the next
# dpkg_install.  A package already queued is not queued again (the first
# version wins), so helpers can all ask for linux-base.  Its name is added to
# RELEASE_PKGS and RELEASE_OWN (see sandbox__release_begin).
sandbox__kind=own
SANDBOX_PENDING=
SANDBOX_PENDING_NAMES=' '
want() {
	case $SANDBOX_PENDING_NAMES in
	*" $1 "*) return 0 ;;
	esac
	sandbox__build "$@"
	SANDBOX_PENDING="$SANDBOX_PENDING $DEB"
	SANDBOX_PENDING_NAMES="$SANDBOX_PENDING_NAMES$1 "
	case $sandbox__kind in
	own) RELEASE_OWN="${RELEASE_OWN:+$RELEASE_OWN }$1" ;;
	shared) RELEASE_SHARED="${RELEASE_SHARED:+$RELEASE_SHARED }$1" ;;
	*) return 0 ;;
	esac
	RELEASE_PKGS="${RELEASE_PKGS:+$RELEASE_PKGS }$1"
}

# The release helpers below leave the names of the packages they queued in
# RELEASE_PKGS: the release's own (flavoured) packages in RELEASE_OWN, the
# flavour-less ones of its ABI in RELEASE_SHARED.  A flavour-less package
# another flavour of the ABI already queued is in neither.
sandbox__release_begin() {
	RELEASE_PKGS=
	RELEASE_OWN=
	RELEASE_SHARED=
	sandbox__kind=own
}

# sandbox__shared NAME VERSION ...: want a flavour-less package of the release.
sandbox__shared() {
	sandbox__kind=shared
	want "$@"
	sandbox__kind=own
}

# dpkg_install [DEB...]: install the queued packages and DEBs with one
# dpkg --root -i, so dependencies between them resolve.
dpkg_install() {
	set -- $SANDBOX_PENDING "$@"
	[ $# -gt 0 ] || return 0
	if ! "$DPKG" --root="$ROOT" --log="$ROOT/var/log/dpkg.log" --force-unsafe-io \
		-i "$@" >"$SANDBOX_TMP/dpkg-install.log" 2>&1; then
		cat "$SANDBOX_TMP/dpkg-install.log" >&2
		die "dpkg --root -i failed"
	fi
	SANDBOX_PENDING=
	SANDBOX_PENDING_NAMES=' '
	say "# installed $# packages into the sandbox"
}

# hold PKG...: put packages on hold.
hold() {
	printf '%s hold\n' "$@" | "$DPKG" --root="$ROOT" --set-selections \
		|| die "dpkg --set-selections failed"
}

# mark_rc PKG...: remove (not purge) installed packages, leaving them in
# config-files state; they must have been built with "conffile".
mark_rc() {
	"$DPKG" --root="$ROOT" --log="$ROOT/var/log/dpkg.log" -r "$@" \
		>"$SANDBOX_TMP/dpkg-remove.log" 2>&1 \
		|| { cat "$SANDBOX_TMP/dpkg-remove.log" >&2; die "dpkg -r $* failed"; }
	for p in "$@"; do
		[ "$(pkg_state "$p")" = rc ] \
			|| die "mark_rc: $p is '$(pkg_state "$p")', not rc (built without conffile?)"
	done
}

## Kernel families, one helper per naming scheme.  Each queues the packages
## of one release (see sandbox__release_begin for the names it leaves).

# want_other NAME VERSION [OPTION...]: want a package that is no kernel's
# (linux-base, metapackages, ...): never to be purged, and not in RELEASE_*.
want_other() {
	sandbox__kind=other
	want "$@"
	sandbox__kind=own
}
want_linux_base() { want_other linux-base 4.5ubuntu9 arch=all /usr/sbin/linux-version:2048; }
want_firmware() { want_other linux-firmware 20220329.git681281e4-0ubuntu3.31 arch=all /lib/firmware/example.bin:8192; }
want_libc_dev() { want_other linux-libc-dev 5.15.0-101.111 section=devel /usr/include/linux/version.h:512; }
want_tools_common() { want_other linux-tools-common 5.15.0-101.111 arch=all /usr/bin/perf:2048; }
want_kmod() { want_other kmod 30+20221128-1 section=admin /bin/kmod:4096; }

# ubuntu_release ABI FLAVOUR [OPTION...]: linux-image-R, linux-modules-R,
# linux-modules-extra-R, linux-headers-R and the flavour-less SRC-headers-ABI,
# where R is ABI-FLAVOUR, with Ubuntu's dependencies between them.
# Options: src=SOURCE (default linux; e.g. linux-hwe-6.8), ver=VERSION (the
# package version), tools (linux-tools-R and SRC-tools-ABI, which needs
# linux-tools-common), unsigned (linux-image-unsigned-R instead of the signed
# image), no-extra, no-headers, conffile (every package gets a conffile).
ubuntu_release() {
	local abi="$1" flavour="$2" r src=linux ver='' tools=0 image=linux-image extra=1
	local headers=1 cf='' o isrc
	shift 2
	for o in "$@"; do
		case $o in
		src=*) src=${o#*=} ;;
		ver=*) ver=${o#*=} ;;
		tools) tools=1 ;;
		unsigned) image=linux-image-unsigned ;;
		no-extra) extra=0 ;;
		no-headers) headers=0 ;;
		conffile) cf=conffile ;;
		*) die "ubuntu_release: unknown option '$o'" ;;
		esac
	done
	r=$abi-$flavour
	if [ -z "$ver" ]; then
		ver=$abi.${abi##*-}
		[ "$src" = linux ] || ver="$ver~22.04.1"
	fi
	# The signed image comes from linux-signed, linux-signed-hwe-6.8, ...
	isrc=${src%%-*}-signed${src#linux}
	[ "$image" = linux-image ] || isrc=$src
	sandbox__release_begin
	want_linux_base
	want "$image-$r" "$ver" source="$isrc" $cf \
		depends="linux-base (>= 4.5ubuntu1~16.04.1), linux-modules-$r" \
		"/boot/vmlinuz-$r:49152" "/lib/modules/$r/modules.builtin:1024"
	want "linux-modules-$r" "$ver" source="$src" $cf \
		"/boot/System.map-$r:8192" "/boot/config-$r:4096" \
		"/lib/modules/$r/modules.order:1024" \
		"/lib/modules/$r/kernel/fs/ext4/ext4.ko:65536"
	if [ "$extra" = 1 ]; then
		want "linux-modules-extra-$r" "$ver" source="$src" $cf \
			depends="linux-image-$r | linux-image-unsigned-$r, linux-modules-$r" \
			"/lib/modules/$r/kernel/drivers/net/wireless/extra.ko:32768"
	fi
	if [ "$headers" = 1 ]; then
		sandbox__shared "$src-headers-$abi" "$ver" source="$src" arch=all $cf \
			"/usr/src/$src-headers-$abi/Makefile:12288"
		want "linux-headers-$r" "$ver" source="$src" $cf \
			depends="$src-headers-$abi" \
			"/usr/src/linux-headers-$r/.config:4096"
	fi
	if [ "$tools" = 1 ]; then
		want_tools_common
		sandbox__shared "$src-tools-$abi" "$ver" source="$src" $cf \
			depends="linux-tools-common" \
			"/usr/lib/$src-tools-$abi/perf:16384"
		want "linux-tools-$r" "$ver" source="$src" $cf \
			depends="$src-tools-$abi" \
			"/usr/lib/linux-tools/$r/perf:1024"
	fi
}

# mainline_release ABI FLAVOUR: a kernel.ubuntu.com mainline build
# (ABI like 6.6.1-060601): unsigned image, modules, headers, flavour-less headers.
mainline_release() {
	ubuntu_release "$1" "$2" unsigned no-extra ver="$1.202311080932"
}

# ubuntu_meta FLAVOUR ABI [SUFFIX]: the metapackages linux-FLAVOUR[SUFFIX],
# linux-image-FLAVOUR[SUFFIX] and linux-headers-FLAVOUR[SUFFIX] (SUFFIX like
# -hwe-22.04), depending on release ABI-FLAVOUR.  They are never kernels.
ubuntu_meta() {
	local flavour="$1" abi="$2" suffix="${3:-}" r ver
	r=$abi-$flavour
	ver=$(printf '%s' "$abi" | tr '-' '.').${abi##*-}
	want_firmware
	want_other "linux-image-$flavour$suffix" "$ver" source=linux-meta \
		depends="linux-image-$r, linux-modules-extra-$r, linux-firmware"
	want_other "linux-headers-$flavour$suffix" "$ver" source=linux-meta \
		depends="linux-headers-$r"
	want_other "linux-$flavour$suffix" "$ver" source=linux-meta \
		depends="linux-image-$flavour$suffix (= $ver), linux-headers-$flavour$suffix (= $ver)"
}

# debian_release ABI FLAVOUR [OPTION...]: Debian's linux-image-R (modules
# inside), linux-headers-R, flavour-less linux-headers-ABI-common and the
# kbuild package.  Options: ver=VERSION (of the unsigned build, default
# X.Y.Z-1), signed=VERSION (install the signed linux-image-R with this version,
# e.g. 6.1.76+1; default: linux-image-R-unsigned), kbuild=NAME (default
# linux-kbuild-X.Y, shared by every ABI of X.Y and no release's; backports
# ABIs like 6.5.0-0.deb12.4 have their own linux-kbuild-ABI), support
# (flavour-less linux-support-ABI), no-headers, conffile.
debian_release() {
	local abi="$1" flavour="$2" r ver='' signed='' kbuild='' support=0 headers=1 cf='' o
	local img isrc iver series
	shift 2
	for o in "$@"; do
		case $o in
		ver=*) ver=${o#*=} ;;
		signed=*) signed=${o#*=} ;;
		kbuild=*) kbuild=${o#*=} ;;
		support) support=1 ;;
		no-headers) headers=0 ;;
		conffile) cf=conffile ;;
		*) die "debian_release: unknown option '$o'" ;;
		esac
	done
	r=$abi-$flavour
	series=$(printf '%s' "$abi" | cut -d. -f1-2)
	[ -n "$ver" ] || ver=${abi%%-*}-1
	if [ -z "$kbuild" ]; then
		case $abi in
		*.deb[0-9]*) kbuild=linux-kbuild-$abi ;;
		*) kbuild=linux-kbuild-$series ;;
		esac
	fi
	if [ -n "$signed" ]; then
		img=linux-image-$r isrc=linux-signed-$flavour iver=$signed
	else
		img=linux-image-$r-unsigned isrc=linux iver=$ver
	fi
	sandbox__release_begin
	want_linux_base
	want_kmod
	want "$img" "$iver" source="$isrc" $cf \
		depends="kmod, linux-base (>= 4.3~)" \
		"/boot/vmlinuz-$r:49152" "/boot/config-$r:4096" \
		"/boot/System.map-$r:8192" "/lib/modules/$r/modules.order:1024" \
		"/lib/modules/$r/kernel/fs/ext4/ext4.ko:65536"
	if [ "$headers" = 1 ]; then
		case $kbuild in
		linux-kbuild-"$abi") sandbox__shared "$kbuild" "$ver" source=linux $cf \
			"/usr/lib/$kbuild/scripts/basic/fixdep:4096" ;;
		*) want_other "$kbuild" "$ver" source=linux \
			"/usr/lib/$kbuild/scripts/basic/fixdep:4096" ;;
		esac
		sandbox__shared "linux-headers-$abi-common" "$ver" source=linux arch=all $cf \
			"/usr/src/linux-headers-$abi-common/Makefile:12288"
		want "linux-headers-$r" "$ver" source=linux $cf \
			depends="linux-headers-$abi-common (= $ver), $kbuild (>= $series)" \
			"/usr/src/linux-headers-$r/.config:4096"
	fi
	if [ "$support" = 1 ]; then
		sandbox__shared "linux-support-$abi" "$ver" source=linux arch=all $cf \
			"/usr/share/linux-support-$abi/version:1024"
	fi
}

# custom_release RELEASE [OPTION...]: what make bindeb-pkg builds: linux-image-R
# (image and modules together), linux-headers-R.  Options: ver=VERSION
# (default RELEASE-1), dbg (linux-image-R-dbg), no-headers, conffile.
custom_release() {
	local r="$1" ver='' dbg=0 headers=1 cf='' o
	shift
	for o in "$@"; do
		case $o in
		ver=*) ver=${o#*=} ;;
		dbg) dbg=1 ;;
		no-headers) headers=0 ;;
		conffile) cf=conffile ;;
		*) die "custom_release: unknown option '$o'" ;;
		esac
	done
	[ -n "$ver" ] || ver=$r-1
	sandbox__release_begin
	want "linux-image-$r" "$ver" source=linux-upstream $cf \
		"/boot/vmlinuz-$r:49152" "/boot/config-$r:4096" \
		"/boot/System.map-$r:8192" "/lib/modules/$r/modules.order:1024" \
		"/lib/modules/$r/kernel/fs/ext4/ext4.ko:65536"
	[ "$headers" = 0 ] || want "linux-headers-$r" "$ver" source=linux-upstream $cf \
		"/usr/src/linux-headers-$r/Makefile:8192"
	[ "$dbg" = 0 ] || want "linux-image-$r-dbg" "$ver" source=linux-upstream \
		section=debug $cf "/usr/lib/debug/lib/modules/$r/vmlinux:32768"
}

## The package database.

# pkg_state PKG: dpkg's two-letter state (ii, hi, rc, un, ...), empty if dpkg
# has never heard of PKG.
pkg_state() {
	"$DPKG_QUERY" --root="$ROOT" -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null \
		| cut -c1-2 || true
}

# present_pkgs: every package that is not "not-installed", sorted; installed
# ones by name, others as NAME:STATE (e.g. linux-image-...:rc).
present_pkgs() {
	"$DPKG_QUERY" --root="$ROOT" -W -f='${db:Status-Abbrev} ${Package}\n' \
		| awk '{ s = substr($1, 1, 2) }
		       substr(s, 2, 1) == "n" { next }
		       substr(s, 2, 1) == "i" { print $2; next }
		       { print $2 ":" s }' | LC_ALL=C sort
}

# status_sum: a checksum of the dpkg database (status and journal).
status_sum() {
	cat "$ROOT/var/lib/dpkg/status" "$ROOT"/var/lib/dpkg/updates/* 2>/dev/null \
		| cksum
}

# words_sorted WORDS...: one sorted, blank-separated line.
words_sorted() {
	printf '%s\n' $* | sed '/^$/d' | LC_ALL=C sort -u | tr '\n' ' ' | sed 's/ $//'
}

## Running the CLI.

# pok ARG...: the CLI on the sandbox root (it adds apt-get's -o Dir=... itself).
pok() {
	[ -n "$ROOT" ] || die "pok: no sandbox (call sandbox_init first)"
	"$POK" --root="$ROOT" "$@"
}

# as_user USER CMD...: run CMD with USER's uid and gid, no supplementary groups.
as_user() {
	local user="$1" group
	shift
	group=$(id -gn "$user") || die "no user $user"
	if command -v setpriv >/dev/null 2>&1; then
		HOME=/nonexistent setpriv --reuid="$user" --regid="$group" --clear-groups "$@"
	elif command -v runuser >/dev/null 2>&1; then
		HOME=/nonexistent runuser -u "$user" -- "$@"
	else
		skip "neither setpriv nor runuser is available"
	fi
}

# run CMD...: run CMD with stdin from /dev/null; sets $rc, $out and $err and
# shows all three in the log.  Never fails.
run() {
	say "\$ $*"
	if "$@" </dev/null >"$SANDBOX_TMP/out" 2>"$SANDBOX_TMP/err"; then
		rc=0
	else
		rc=$?
	fi
	if [ "${KP_COVERAGE_BUILD:-}" = yes ]; then
		# tests/run-coverage: a gcov build run as a user who cannot
		# write its .gcda files says so on stderr; not the CLI's words.
		grep -v '^profiling:.*\.gcda:' "$SANDBOX_TMP/err" >"$SANDBOX_TMP/err.cov" || :
		mv "$SANDBOX_TMP/err.cov" "$SANDBOX_TMP/err"
	fi
	out=$(cat "$SANDBOX_TMP/out")
	err=$(cat "$SANDBOX_TMP/err")
	sed 's/^/  | /' "$SANDBOX_TMP/out"
	sed 's/^/  ! /' "$SANDBOX_TMP/err"
	say "  => exit $rc"
}

# list_entry TEXT NAME: the entry for NAME in --list's table: the line that
# begins with NAME and the indented lines that continue it.
list_entry() {
	printf '%s\n' "$1" | awk -v n="$2" '
		index($0, n " ") == 1 { p = 1; print; next }
		p && /^[ \t]/ { print; next }
		{ p = 0 }'
}

## Assertions.  Each prints "ok - WHAT" or "not ok - WHAT" plus details.

pass() {
	SANDBOX_CHECKS=$((SANDBOX_CHECKS + 1))
	say "ok - $*"
}

fail() {
	SANDBOX_CHECKS=$((SANDBOX_CHECKS + 1))
	SANDBOX_FAILS=$((SANDBOX_FAILS + 1))
	say "not ok - $*"
}

# assert_eq EXPECTED ACTUAL [WHAT]
assert_eq() {
	if [ "$1" = "$2" ]; then
		pass "${3:-equal: $1}"
	else
		fail "${3:-equal}"
		say "    expected: '$1'"
		say "    actual:   '$2'"
	fi
}

# assert_contains TEXT NEEDLE [WHAT]: NEEDLE is a fixed string.
assert_contains() {
	if printf '%s\n' "$1" | grep -qF -- "$2"; then
		pass "${3:-output contains '$2'}"
	else
		fail "${3:-output contains '$2'}"
		printf '%s\n' "$1" | sed 's/^/    | /'
	fi
}

# assert_not_contains TEXT NEEDLE [WHAT]
assert_not_contains() {
	if printf '%s\n' "$1" | grep -qF -- "$2"; then
		fail "${3:-output does not contain '$2'}"
		printf '%s\n' "$1" | grep -F -- "$2" | sed 's/^/    | /'
	else
		pass "${3:-output does not contain '$2'}"
	fi
}

# assert_match TEXT ERE [WHAT]: an extended regular expression, case-insensitive.
assert_match() {
	if printf '%s\n' "$1" | grep -qiE -- "$2"; then
		pass "${3:-output matches /$2/}"
	else
		fail "${3:-output matches /$2/}"
		printf '%s\n' "$1" | sed 's/^/    | /'
	fi
}

# assert_exit CODE CMD...: run CMD (see run) and check its exit status.
assert_exit() {
	local want="$1"
	shift
	run "$@"
	if [ "$rc" = "$want" ]; then
		pass "exit $want: $*"
	else
		fail "exit $want (got $rc): $*"
	fi
}

# assert_stderr_lines N [WHAT]: the last run wrote exactly N lines to stderr.
assert_stderr_lines() {
	local n
	n=$(wc -l <"$SANDBOX_TMP/err" | tr -d ' ')
	# A last line without a newline still counts.
	if [ -s "$SANDBOX_TMP/err" ] && [ "$(tail -c1 "$SANDBOX_TMP/err" | od -An -c | tr -d ' ')" != '\n' ]; then
		n=$((n + 1))
	fi
	assert_eq "$1" "$n" "${2:-$1 line(s) on stderr}"
}

# assert_set WHAT EXPECTED ACTUAL: two blank-separated sets of words are equal.
assert_set() {
	local what="$1" want got missing extra
	want=$(words_sorted "$2")
	got=$(words_sorted "$3")
	if [ "$want" = "$got" ]; then
		pass "$what"
		return 0
	fi
	fail "$what"
	printf '%s\n' $want >"$SANDBOX_TMP/set.want"
	printf '%s\n' $got >"$SANDBOX_TMP/set.got"
	missing=$(LC_ALL=C comm -23 "$SANDBOX_TMP/set.want" "$SANDBOX_TMP/set.got" | tr '\n' ' ')
	extra=$(LC_ALL=C comm -13 "$SANDBOX_TMP/set.want" "$SANDBOX_TMP/set.got" | tr '\n' ' ')
	say "    missing:    ${missing:-(none)}"
	say "    unexpected: ${extra:-(none)}"
}

# assert_remaining PKG...: exactly these packages are present in the sandbox
# (names of installed packages, NAME:STATE for others; see present_pkgs).
assert_remaining() {
	assert_set "remaining packages are exactly the expected ones" "$*" "$(present_pkgs)"
}

assert_installed() {
	for p in "$@"; do
		case $(pkg_state "$p") in
		ii | hi) pass "$p is installed" ;;
		*) fail "$p is installed (state '$(pkg_state "$p")')" ;;
		esac
	done
}

assert_purged() {
	for p in "$@"; do
		case $(pkg_state "$p") in
		'' | ?n) pass "$p is purged" ;;
		*) fail "$p is purged (state '$(pkg_state "$p")')" ;;
		esac
	done
}

assert_rc() {
	for p in "$@"; do
		case $(pkg_state "$p") in
		rc) pass "$p is in config-files state" ;;
		*) fail "$p is in config-files state (state '$(pkg_state "$p")')" ;;
		esac
	done
}

assert_held() {
	for p in "$@"; do
		case $(pkg_state "$p") in
		h?) pass "$p is on hold" ;;
		*) fail "$p is on hold (state '$(pkg_state "$p")')" ;;
		esac
	done
}

# assert_dpkg_state PKG STATE-CHAR WHY: dpkg's status (second letter of
# Status-Abbrev) of PKG is STATE-CHAR, whatever its selection (apt-get resets
# that after dpkg fails).
assert_dpkg_state() {
	case $(pkg_state "$1") in
	?"$2") pass "$1 is in dpkg state '$2' ($3)" ;;
	*) fail "$1 is in dpkg state '$2' ($3; got '$(pkg_state "$1")')" ;;
	esac
}

# assert_audit_clean: dpkg --audit exits 0 and finds nothing in the sandbox.
assert_audit_clean() {
	run "$DPKG" --root="$ROOT" --audit
	assert_eq "0:" "$rc:$out" "dpkg --audit is clean"
}

# assert_status_unchanged SUM [WHAT]: status_sum still prints SUM.
assert_status_unchanged() {
	assert_eq "$1" "$(status_sum)" "${2:-dpkg database unchanged}"
}

## JSON (--json), read with python3's json module.

# json_query FILE WHAT [ARG]: WHAT is one of
#   valid              exit 0 when FILE has the documented shape, else print why
#   purge              the "purge" array, sorted
#   releases ACTION    names of the releases whose action is ACTION, sorted
#   action NAME        the action of release NAME ("absent" if not listed)
#   why NAME           its "reason" and "why", on one line
#   packages NAME      its "packages", sorted
json_query() {
	"$PYTHON" - "$@" <<'EOF'
import json, sys

path, what = sys.argv[1], sys.argv[2]
arg = sys.argv[3] if len(sys.argv) > 3 else None
try:
    with open(path) as f:
        doc = json.load(f)
except (OSError, ValueError) as e:
    print("not valid JSON: %s" % e)
    sys.exit(3)

def problems(doc):
    if not isinstance(doc, dict):
        yield "top level is not an object"
        return
    rels, purge = doc.get("releases"), doc.get("purge")
    if not isinstance(purge, list) or not all(isinstance(p, str) for p in purge):
        yield '"purge" is not an array of strings'
    if not isinstance(rels, list):
        yield '"releases" is not an array'
        return
    for r in rels:
        if not isinstance(r, dict):
            yield "a release is not an object"
            continue
        for key in ("name", "action", "reason", "why", "packages"):
            if key not in r:
                yield "release %r has no %r" % (r.get("name"), key)
        if r.get("action") not in ("keep", "purge"):
            yield "release %r: action %r" % (r.get("name"), r.get("action"))
        pk = r.get("packages")
        if not isinstance(pk, list) or not all(isinstance(p, str) for p in pk):
            yield "release %r: packages is not an array of strings" % r.get("name")

def release(name):
    for r in doc.get("releases") or []:
        if isinstance(r, dict) and r.get("name") == name:
            return r
    return None

def text(v):
    if isinstance(v, list):
        return " ".join(text(x) for x in v)
    return "" if v is None else str(v)

if what == "valid":
    bad = list(problems(doc))
    for b in bad:
        print(b)
    sys.exit(3 if bad else 0)
if list(problems(doc)):
    sys.exit(0)  # "valid" says why; other queries answer nothing
if what == "purge":
    print(" ".join(sorted(doc["purge"])))
elif what == "releases":
    print(" ".join(sorted(r["name"] for r in doc["releases"] if r["action"] == arg)))
elif what == "action":
    r = release(arg)
    print(r["action"] if r else "absent")
elif what == "why":
    r = release(arg)
    print(("%s %s" % (text(r.get("reason")), text(r.get("why")))) if r else "")
elif what == "packages":
    r = release(arg)
    print(" ".join(sorted(r["packages"])) if r else "")
else:
    sys.exit("json_query: unknown query %r" % what)
EOF
}

# pok_json ARG...: run the CLI with --json ARG..., check the exit status is 0
# and the output is JSON of the documented shape; it is kept in $JSON.
pok_json() {
	JSON=$SANDBOX_TMP/last.json
	command -v "$PYTHON" >/dev/null 2>&1 || skip "$PYTHON is needed to read --json"
	assert_exit 0 pok --json "$@"
	printf '%s\n' "$out" >"$JSON"
	local why
	if why=$(json_query "$JSON" valid); then
		pass "--json $* has the documented shape"
	else
		fail "--json $* has the documented shape"
		printf '%s\n' "$why" | sed 's/^/    /'
	fi
}

# assert_plan KEEP PURGE: the last pok_json kept exactly the releases KEEP
# and purges exactly the releases PURGE (blank-separated release names).
assert_plan() {
	assert_set "releases kept: $(words_sorted "$1")" "$1" "$(json_query "$JSON" releases keep)"
	assert_set "releases purged: $(words_sorted "$2")" "$2" "$(json_query "$JSON" releases purge)"
}

# assert_json_purge PKG...: the last pok_json's "purge" array is exactly PKG...
assert_json_purge() {
	assert_set "JSON purge list is exactly the expected packages" "$*" "$(json_query "$JSON" purge)"
}

## apt's side of the sandbox, and maintainer scripts (the apt-proof scenarios).

# apt_kernel_protection: apt's kernel protection patterns in the sandbox
# (APT::VersionedKernelPackages from /etc/apt/apt.conf.d/01autoremove, the
# host's copy when it has one).  Without them apt protects no kernel.
apt_kernel_protection() {
	local f="$ROOT/etc/apt/apt.conf.d/01autoremove"
	if [ -r /etc/apt/apt.conf.d/01autoremove ]; then
		cp /etc/apt/apt.conf.d/01autoremove "$f" || die "cannot copy 01autoremove"
		return 0
	fi
	cat >"$f" <<'EOF'
APT::NeverAutoRemove { "^firmware-linux.*"; "^linux-firmware$"; };
APT::VersionedKernelPackages { "linux-.*"; "kfreebsd-.*"; "gnumach-.*"; ".*-modules"; ".*-kernel"; };
APT::Never-MarkAuto-Sections { "metapackages"; "tasks"; };
EOF
}

# archive_offer NAME VERSION [DEPENDS]: a package apt can install from a
# fake archive it believes it has downloaded (a list file under
# var/lib/apt/lists and its line in sources.list; nothing can be fetched).
archive_offer() {
	local list="$ROOT/var/lib/apt/lists/archive.invalid_ubuntu_._Packages"
	local line='deb http://archive.invalid/ubuntu ./'
	grep -qxF "$line" "$ROOT/etc/apt/sources.list" 2>/dev/null \
		|| printf '%s\n' "$line" >>"$ROOT/etc/apt/sources.list"
	{
		printf 'Package: %s\nVersion: %s\nArchitecture: %s\n' "$1" "$2" "$SANDBOX_ARCH"
		printf 'Maintainer: purge-old-kernels tests <tests@invalid>\n'
		[ -z "${3:-}" ] || printf 'Depends: %s\n' "$3"
		printf 'Installed-Size: 64\nFilename: pool/main/%s_%s.deb\nSize: 4096\n' "$1" "$2"
		printf 'Section: kernel\nPriority: optional\nDescription: offered by the fake archive\n\n'
	} >>"$list"
}

# with_script DEB SCRIPT FILE: print the path of a copy of DEB that carries
# FILE as its maintainer script SCRIPT (postinst, postrm, ...).  dpkg --root
# runs scripts chrooted into the sandbox: see chroot_tools.
with_script() {
	local deb="$1" script="$2" file="$3" dir out
	dir=$SANDBOX_TMP/build/script.$$.$(basename "$deb" .deb).$script
	out=${deb%.deb}.$script.deb
	rm -rf "$dir"
	"$DPKG_DEB" -R "$deb" "$dir" || die "dpkg-deb -R $deb failed"
	cp "$file" "$dir/DEBIAN/$script" && chmod 0755 "$dir/DEBIAN/$script" \
		|| die "cannot add $script to $deb"
	"$DPKG_DEB" --root-owner-group -Znone -b "$dir" "$out" >/dev/null \
		|| die "dpkg-deb could not rebuild $deb"
	printf '%s\n' "$out"
}

# reinstall_with_script PKG SCRIPT FILE: reinstall the installed package PKG
# (built in this sandbox, e.g. by a release helper) from a copy that carries
# FILE as its maintainer script SCRIPT, so that the script runs when PKG is
# removed or purged.  See chroot_tools.
reinstall_with_script() {
	local pkg="$1" ver deb
	ver=$("$DPKG_QUERY" --root="$ROOT" -W -f='${Version}' "$pkg" 2>/dev/null) \
		|| die "reinstall_with_script: $pkg is not installed"
	deb=$SANDBOX_DEBS/${pkg}_${ver}_0.deb
	[ -f "$deb" ] || die "reinstall_with_script: $pkg $ver was not built here"
	"$DPKG" --root="$ROOT" --log="$ROOT/var/log/dpkg.log" -i \
		"$(with_script "$deb" "$2" "$3")" >"$SANDBOX_TMP/dpkg-script.log" 2>&1 \
		|| { cat "$SANDBOX_TMP/dpkg-script.log" >&2; die "reinstalling $pkg with a $2 failed"; }
}

# chroot_tools PROGRAM...: copy the host's PROGRAMs (sh, rm, mv ...) and the
# libraries they link into the sandbox's /bin, so that dpkg --root can run
# maintainer scripts chrooted into it.  Skips the test when chroot fails.
chroot_tools() {
	local p path lib
	mkdir -p "$ROOT/bin"
	for p in "$@"; do
		path=$(command -v "$p") || die "chroot_tools: no $p here"
		path=$(readlink -f "$path")
		cp "$path" "$ROOT/bin/$p" || die "cannot copy $path"
		for lib in $(ldd "$path" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
			[ -e "$ROOT$lib" ] && continue
			mkdir -p "$ROOT${lib%/*}" && cp -L "$lib" "$ROOT$lib" \
				|| die "cannot copy $lib"
		done
	done
	chroot "$ROOT" /bin/sh -c : 2>/dev/null \
		|| skip "cannot chroot into the sandbox to run maintainer scripts"
}

## The end.

sandbox_finish() {
	say ""
	if [ "$SANDBOX_FAILS" -gt 0 ]; then
		say "# $SANDBOX_FAILS of $SANDBOX_CHECKS checks failed"
		exit 1
	fi
	say "# all $SANDBOX_CHECKS checks passed"
	exit 0
}
