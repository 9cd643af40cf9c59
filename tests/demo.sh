#!/bin/sh
# demo.sh: purge-old-kernels on a realistic Ubuntu 22.04 system, for real.
#
# Builds a throw-away root that looks like a desktop that has been updated
# for two years (GA 5.15 kernels, then the HWE 6.5 and 6.8 series, with
# modules-extra, tools, flavour-less headers and the HWE metapackages), then
# runs the CLI on it: --list, --dry-run, the purge through apt-get, --list
# again, and what is left.  Nothing on this machine is touched; the root is
# removed at the end (KEEP_SANDBOX=1 keeps it).
#
#   sudo make demo            or            sudo sh tests/demo.sh
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"

if [ "$(id -u)" != 0 ]; then
	cat >&2 <<'EOF'
demo.sh installs packages into a scratch root with dpkg --root and purges
them through apt-get, which needs root (it does not touch this system's own
packages). Run it as root: sudo make demo
EOF
	exit 1
fi
: "${POK:=$top_builddir/cli/purge-old-kernels}"
if [ ! -x "$POK" ]; then
	echo "demo.sh: $POK is not built; run make first" >&2
	exit 1
fi
. "$top_srcdir/tests/lib/sandbox.sh"

RUNNING=6.8.0-40-generic
step=0
bold= plain=
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
	bold=$(printf '\033[1m') plain=$(printf '\033[0m')
fi
heading() {
	step=$((step + 1))
	printf '\n%s%s. %s%s\n' "$bold" "$step" "$*" "$plain"
}
# show ARG...: print the command as a user would type it, then run it.
show() {
	printf '$ purge-old-kernels --root=$R %s\n' "$*"
	"$POK" --root="$ROOT" "$@"
}
# summary: the linux* packages dpkg knows in the root, the way
# dpkg -l | grep linux shows them (without the "un" lines of never-installed
# alternatives).
summary() {
	COLUMNS=100 "$DPKG_QUERY" --root="$ROOT" -l 'linux*' 2>/dev/null \
		| awk '/^[a-z][a-z] / && $1 != "un" { printf "%-3s %-42s %s\n", $1, $2, $3; n++ }
		       END { printf "%d packages; ", n }'
	printf '/boot holds %s files\n' "$(find "$ROOT/boot" -type f | wc -l | tr -d ' ')"
}

heading "A scratch Ubuntu 22.04 root"
sandbox_init
say "R=$ROOT"
say "Building kernel packages with dpkg-deb and installing them with dpkg --root..."
for n in 88 91 101; do ubuntu_release "5.15.0-$n" generic tools; done
for n in 14 28; do ubuntu_release "6.5.0-$n" generic src=linux-hwe-6.5 tools; done
for n in 31 40 45; do ubuntu_release "6.8.0-$n" generic src=linux-hwe-6.8 tools; done
ubuntu_meta generic 6.8.0-45 -hwe-22.04
want_other linux-tools-generic-hwe-22.04 6.8.0.45.45 source=linux-meta \
	depends="linux-tools-6.8.0-45-generic"
want_libc_dev
want_firmware
dpkg_install >/dev/null
# The owner kept the last GA kernel as a fallback.
hold linux-image-5.15.0-101-generic
say "Installed: GA 5.15.0-{88,91,101}, HWE 6.5.0-{14,28}, HWE 6.8.0-{31,40,45},"
say "linux-generic-hwe-22.04 -> 6.8.0-45, linux-image-5.15.0-101-generic on hold."
say "The machine runs $RUNNING (6.8.0-45 is installed, waiting for a reboot)."
summary | tail -1

heading "Every installed release, and what would happen to it"
show --running="$RUNNING" --list

heading "What a purge would do (--dry-run: changes nothing, needs no root)"
show --running="$RUNNING" --dry-run

heading "The purge, through apt-get"
show --running="$RUNNING" -y

heading "The list again"
show --running="$RUNNING" --list

heading "What is left (dpkg -l 'linux*')"
summary
if [ "${KEEP_SANDBOX:-0}" != 1 ]; then
	say ""
	say "(the scratch root is removed now; KEEP_SANDBOX=1 keeps it)"
fi
