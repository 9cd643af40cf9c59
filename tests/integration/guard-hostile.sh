#!/bin/sh
# The apt guard (--guard) fed what a careless admin or a hostile .deb can
# put in apt's way, straight on its stdin as apt's version 3 message: a
# .deb path that is a FIFO, a symbolic link to one, /dev/zero, a
# directory; a .deb whose data.tar holds a pax header that loops; a
# truncated tar with a huge declared size; malformed lines, a path with
# blanks, a plain user. Each must end quickly, exit 0 (apt goes on) with
# one line saying why: the guard is never the reason an upgrade cannot
# happen. Every run is bounded by timeout(1): a hang is a failure (killed,
# 137), not a stuck test. And the same kernel package upgraded in place
# on a nearly full /boot (Debian's point releases) is let through when
# its new files fit beside its old ones, and stopped when they do not.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init
R=6.8.0-45-generic
command -v timeout >/dev/null 2>&1 || skip "timeout(1) is needed"
command -v "$PYTHON" >/dev/null 2>&1 || skip "$PYTHON is needed to craft a tar"

ubuntu_release 6.8.0-45 generic
dpkg_install

# guard_line LINE: run the guard with apt's message of one action line;
# at most 20 seconds.
guard_line() {
	printf 'VERSION 3\nDir::State::status=%s/var/lib/dpkg/status\n\n%s\n' \
		"$ROOT" "$1" >"$SANDBOX_TMP/msg"
	run sh -c 'timeout -s KILL 20 "$1" --root="$2" --running="$3" --guard <"$4"' \
		sh "$POK" "$ROOT" $R "$SANDBOX_TMP/msg"
}

# guard DEB: the guard, apt installing a new image from DEB.
guard() {
	guard_line "linux-image-6.8.0-50-generic - - none < 6.8.0-50.1 amd64 same $1"
}

# with_data DEB DATA: DEB with its data.tar replaced by the file DATA.
with_data() {
	d=$SANDBOX_TMP/w.$$.$(basename "$2")
	rm -rf "$d" && mkdir "$d"
	(cd "$d" && ar x "$1" && rm -f data.tar* && cp "$2" data.tar &&
		ar rc "$d.deb" debian-binary control.tar* data.tar)
	printf '%s\n' "$d.deb"
}

good=$(deb linux-image-6.8.0-50-generic 6.8.0-50.1 source=linux-signed \
	"/boot/vmlinuz-6.8.0-50-generic:4096")

section "control: a readable kernel .deb that fits: silent, exit 0"
guard "$good"
assert_eq 0 "$rc" "exit 0"
assert_eq "" "$err" "not a word"

section "a .deb path that is a FIFO: no hang, exit 0, one line"
mkfifo "$SANDBOX_TMP/fifo.deb"
guard "$SANDBOX_TMP/fifo.deb"
assert_eq 0 "$rc" "exit 0 (not killed by the timeout)"
assert_contains "$err" "is not a regular file; apt goes on unchecked"

section "a symbolic link to a FIFO: the same"
ln -s "$SANDBOX_TMP/fifo.deb" "$SANDBOX_TMP/link.deb"
guard "$SANDBOX_TMP/link.deb"
assert_eq 0 "$rc" "exit 0 (not killed by the timeout)"
assert_contains "$err" "is not a regular file; apt goes on unchecked"

section "/dev/zero and a directory: exit 0, one line each"
guard /dev/zero
assert_eq 0 "$rc" "exit 0"
assert_contains "$err" "/dev/zero is not a regular file; apt goes on unchecked"
guard "$SANDBOX_TMP"
assert_eq 0 "$rc" "exit 0"
assert_contains "$err" "apt goes on unchecked"

section "a pax header whose second record's length is negative: no endless loop"
"$PYTHON" - "$SANDBOX_TMP/pax.tar" <<'PY'
import sys
def header(name, size, typ):
    h = bytearray(512)
    h[0:len(name)] = name
    h[100:108] = b"0000644\0"
    h[108:116] = b"0000000\0"
    h[116:124] = b"0000000\0"
    h[124:136] = b"%011o\0" % size
    h[136:148] = b"00000000000\0"
    h[156:157] = typ
    h[257:265] = b"ustar\x0000"
    h[148:156] = b" " * 8
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)
data = b"6 a=b\n-6 c=d\n"
out = header(b"./PaxHeaders/x", len(data), b"x") + data + bytes(512 - len(data))
out += header(b"./boot/vmlinuz-6.8.0-50-generic", 0, b"0")
out += bytes(1024)
open(sys.argv[1], "wb").write(out)
PY
guard "$(with_data "$good" "$SANDBOX_TMP/pax.tar")"
assert_eq 0 "$rc" "exit 0 (not killed by the timeout)"

section "a member declaring 8 GiB in a short archive: exit 0, one line"
"$PYTHON" - "$SANDBOX_TMP/huge.tar" <<'PY'
import sys
h = bytearray(512)
h[0:31] = b"./boot/vmlinuz-6.8.0-50-generic"
h[100:108] = b"0000644\0"
h[124:136] = b"77777777777\0"
h[156:157] = b"0"
h[257:265] = b"ustar\x0000"
h[148:156] = b" " * 8
h[148:156] = b"%06o\0 " % sum(h)
open(sys.argv[1], "wb").write(bytes(h) + bytes(4096))
PY
guard "$(with_data "$good" "$SANDBOX_TMP/huge.tar")"
assert_eq 0 "$rc" "exit 0"
assert_contains "$err" "apt goes on unchecked"

section "stdin closed, and an empty message: exit 0"
run sh -c '"$1" --root="$2" --running="$3" --guard <&-' sh "$POK" "$ROOT" $R
assert_eq 0 "$rc" "stdin closed: exit 0"
run sh -c '"$1" --root="$2" --running="$3" --guard </dev/null' sh "$POK" "$ROOT" $R
assert_eq 0 "$rc" "nothing on stdin: exit 0"

section "malformed lines, a path with blanks, a plain user: exit 0"
guard_line "linux-image-6.8.0-50-generic - - none"
assert_eq 0 "$rc" "missing fields: exit 0"
assert_contains "$err" "apt goes on unchecked"
cp "$good" "$SANDBOX_TMP/a b%20c.deb"
guard "$SANDBOX_TMP/a b%20c.deb"
assert_eq 0 "$rc" "a path with a blank and a %-escape: exit 0"
assert_eq "" "$err" "... read as it is: not a word"
guard_line "linux-image-6.8.0-50-generic - - none < 6.8.0-50.1 amd64 same $(head -c 200000 /dev/zero | tr '\0' x)"
assert_eq 0 "$rc" "a 200 KB action: exit 0"
chmod 0644 "$SANDBOX_TMP/msg"
run sh -c 'timeout -s KILL 20 setpriv --reuid=nobody --regid=nogroup --clear-groups "$1" --root="$2" --running="$3" --guard <"$4"' \
	sh "$POK" "$ROOT" $R "$SANDBOX_TMP/msg"
assert_eq 0 "$rc" "a plain user: exit 0"

section "the same package upgraded in place (Debian's point releases): its files replace its own"
if mount_boot 2m; then
	dpkg_install "$(deb linux-image-6.1.0-12-amd64 6.1.52-1 source=linux-signed-amd64 \
		"/boot/vmlinuz-6.1.0-12-amd64:800000")"
	printf '%300000s' '' >"$ROOT/boot/initrd.img-6.1.0-12-amd64"
	df -k "$ROOT/boot" | sed 's/^/  # /'
	new=$(deb linux-image-6.1.0-12-amd64 6.1.55-1 source=linux-signed-amd64 \
		"/boot/vmlinuz-6.1.0-12-amd64:800000")
	guard_line "linux-image-6.1.0-12-amd64 6.1.52-1 amd64 same < 6.1.55-1 amd64 same $new"
	assert_eq 0 "$rc" "an upgrade of the same size fits: apt goes on"
	assert_not_contains "$err" "stopped apt" "not stopped"
	# A new release of the same size does not fit: the guard still stops.
	other=$(deb linux-image-6.1.0-13-amd64 6.1.55-1 source=linux-signed-amd64 \
		"/boot/vmlinuz-6.1.0-13-amd64:800000")
	guard_line "linux-image-6.1.0-13-amd64 - - none < 6.1.55-1 amd64 same $other"
	assert_eq 3 "$rc" "a new release that does not fit: stopped"
	# An upgrade that grows by more than /boot has: stopped too.
	big=$(deb linux-image-6.1.0-12-amd64 6.1.56-1 source=linux-signed-amd64 \
		"/boot/vmlinuz-6.1.0-12-amd64:1900000")
	guard_line "linux-image-6.1.0-12-amd64 6.1.52-1 amd64 same < 6.1.56-1 amd64 same $big"
	assert_eq 3 "$rc" "an upgrade that grows past /boot: stopped"
else
	say "# SKIP: cannot mount a tmpfs on the sandbox's /boot"
fi

sandbox_finish
