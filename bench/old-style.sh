#!/bin/sh
# bench/old-style.sh ROOT [KEEP]: what people ran before purge-old-kernels
# was a program, written here for the benchmark in the style of the
# original shell script (2012-2017): kernel releases from the names of
# /boot/vmlinuz-* sorted as text (sort -rh: 5.15.0-91 above 5.15.0-101),
# the newest KEEP kept besides the running one, and one dpkg-query -s per
# candidate package (image and headers of each release) to see whether it
# is installed. Prints the apt-get command it would run; runs nothing.
# The running kernel is uname -r, as then (under a root it names nothing).
set -eu
root=$1
keep=${2:-2}
admindir=$root/var/lib/dpkg
running=$(uname -r)

# ls and text sorting on purpose: that is the old way being measured.
# shellcheck disable=SC2012
candidates=$(ls -1 "$root"/boot/vmlinuz-* | sed 's|.*/vmlinuz-||' |
	grep -vxF "$running" | sort -rh | sed "1,${keep}d")

purge=
for release in $candidates; do
	for package in "linux-image-$release" "linux-headers-$release"; do
		if dpkg-query --admindir="$admindir" -s "$package" >/dev/null 2>&1; then
			purge="$purge $package"
		fi
	done
done
echo "apt-get remove --purge$purge"
