#!/bin/sh
# --orphans against what a careless admin or a hostile tree puts in its
# way: a directory of the same filesystem bind-mounted inside a gone
# release's modules tree, or onto the tree itself; a /lib/modules that is
# another system's, bind-mounted (a container given the host's modules);
# a hard link in /boot to a file outside it; the running release's initrd
# while update-initramfs or dracut writes it (initrd.img-R.new, .PID);
# releases that are a prefix or an extension of an installed one; names
# no release has; apt or dpkg at work; a root another user owns. What is mounted is never emptied, and nothing of a
# release in use goes.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init
command -v "$PYTHON" >/dev/null 2>&1 || skip "$PYTHON is needed"
: >"$ROOT/var/lib/dpkg/lock-frontend"
: >"$ROOT/var/lib/dpkg/lock"

B=$ROOT/boot
M=$ROOT/lib/modules
OUT=$SANDBOX_TMP/outside
R=6.8.0-45-generic
MOUNTS=

# Bind mounts are undone before the sandbox is removed, whatever happens.
# shellcheck disable=SC2317 # run by the trap
undo_mounts() {
	orc=$?
	for m in $MOUNTS; do umount "$m" 2>/dev/null || umount -l "$m"; done
	(exit "$orc")
	sandbox__on_exit
}
trap undo_mounts EXIT

# holds WHAT CMD...: pass WHAT when CMD succeeds, else fail it.
holds() {
	w=$1
	shift
	if "$@"; then pass "$w"; else fail "$w"; fi
}

put() {
	mkdir -p "$(dirname "$1")"
	printf "%${2}s" '' >"$1"
}

# bind FROM TO: bind-mount FROM on TO (skips the test when it cannot).
bind() {
	mkdir -p "$2"
	mount --bind "$1" "$2" 2>"$SANDBOX_TMP/mount.err" \
		|| skip "cannot bind-mount here: $(cat "$SANDBOX_TMP/mount.err")"
	MOUNTS="$2 $MOUNTS"
}

section "setup: $R installed and running; gone releases with traps in their trees"
ubuntu_release 6.8.0-45 generic no-headers
dpkg_install
put "$OUT/precious/a.conf" 1024
put "$OUT/dir6/keep.txt" 1024
put "$OUT/secret" 1024
put "$OUT/hostmods/6.8.0-2-generic/modules.dep" 1024
# 6.8.0-7: a gone tree with a directory of the same filesystem mounted in it.
put "$M/6.8.0-7-generic/modules.dep" 1024
bind "$OUT/precious" "$M/6.8.0-7-generic/extra"
[ "$(stat -c %d "$OUT/precious")" = "$(stat -c %d "$M/6.8.0-7-generic")" ] \
	|| skip "the sandbox and its outside are on different filesystems"
# 6.8.0-6: the gone tree itself is a bind mount of a directory elsewhere.
bind "$OUT/dir6" "$M/6.8.0-6-generic"
# 6.8.0-5: a hard link in /boot to a file outside it.
ln "$OUT/secret" "$B/initrd.img-6.8.0-5-generic"
# The running release's initrd in flight (update-initramfs writes R.new).
put "$B/initrd.img-$R.new" 4096
# ... and dracut's (initrd.img-R.PID).
put "$B/initrd.img-$R.4242" 4096
# 6.8.0-4 is gone; its name is a prefix of the installed 6.8.0-45.
put "$B/initrd.img-6.8.0-4-generic" 4096
put "$M/6.8.0-4-generic/modules.dep" 1024
# Not releases: no digit first, an empty release, a newline in the name.
put "$B/vmlinuz-" 1024
put "$B/initrd.img-..x" 1024
put "$B/initrd.img-6.8.0-3-generic
x" 1024

section "--list --json: what is mounted is shown, left alone"
pok_json --list --running=$R --keep=1
"$PYTHON" -c 'import json, sys
for o in json.load(open(sys.argv[1]))["orphans"]:
    print(o["path"], o["refusal"] or "removable")' "$JSON" >"$SANDBOX_TMP/orphans"
sed 's/^/  # /' "$SANDBOX_TMP/orphans"
has() { holds "$2" grep -qx "$1" "$SANDBOX_TMP/orphans"; }
# shellcheck disable=SC2317 # run by holds
lacks() { ! grep -q "$1" "$SANDBOX_TMP/orphans"; }
hasnt() { holds "$2" lacks "$1"; }
has "/lib/modules/6.8.0-7-generic other-filesystem" "a tree with a bind mount in it is left alone"
has "/lib/modules/6.8.0-6-generic other-filesystem" "a tree that is a bind mount is left alone"
has "/lib/modules/6.8.0-4-generic removable" "a gone release that is a prefix of an installed one is an orphan"
has "/boot/initrd.img-6.8.0-4-generic removable" "... its initrd too"
hasnt "$R" "nothing of the running release, its initrd in flight either"
hasnt "vmlinuz-\$" "vmlinuz- (no release) is no orphan"
hasnt "\.\.x" "initrd.img-..x is no orphan"
hasnt "6.8.0-3-generic" "a name with a newline is no orphan"

section "--orphans -y: the mounted directories keep what they hold"
assert_exit 0 pok --orphans --running=$R --keep=1 -y
holds "what is mounted inside a tree survives" [ -f "$OUT/precious/a.conf" ]
holds "what is mounted as a tree survives" [ -f "$OUT/dir6/keep.txt" ]
holds "the file a hard link in /boot names survives" [ -f "$OUT/secret" ]
holds "the running release's initrd in flight survives" [ -f "$B/initrd.img-$R.new" ]
holds "... dracut's too" [ -f "$B/initrd.img-$R.4242" ]
holds "6.8.0-4's tree went, $R's stayed" \
	test ! -e "$M/6.8.0-4-generic" -a -e "$M/$R"

section "apt or dpkg at work (their locks held): nothing is removed while it may be unpacking"
put "$M/6.8.0-1-generic/modules.dep" 1024
hold_locks 60 "$ROOT/var/lib/dpkg/lock-frontend" "$ROOT/var/lib/dpkg/lock"
assert_exit 1 pok --orphans --running=$R --keep=1 -y
assert_contains "$err" "dpkg's lock" "it says dpkg's lock is taken"
holds "the tree is still there" [ -f "$M/6.8.0-1-generic/modules.dep" ]
release_locks
assert_exit 0 pok --orphans --running=$R --keep=1 -y
holds "once the lock is free, it goes" [ ! -e "$M/6.8.0-1-generic" ]

section "a root another user owns (they could swap its dpkg database): an error, nothing removed"
put "$M/6.8.0-1-generic/modules.dep" 1024
chown nobody "$ROOT"
assert_exit 1 pok --orphans --running=$R --keep=1 -y
assert_contains "$err" "no file is taken for one no package owns" "it says why"
holds "the tree is still there" [ -f "$M/6.8.0-1-generic/modules.dep" ]
assert_exit 0 pok --list --running=$R --keep=1
assert_contains "$err" "warning: cannot look for files no package owns" "--list only warns"
chown root "$ROOT"

section "a /lib/modules bind-mounted from elsewhere (a container given the host's): left alone"
for m in $MOUNTS; do umount "$m"; done
MOUNTS=
bind "$OUT/hostmods" "$M"
pok_json --list --running=$R --keep=1
"$PYTHON" -c 'import json, sys
for o in json.load(open(sys.argv[1]))["orphans"]:
    print(o["path"], o["refusal"] or "removable")' "$JSON" >"$SANDBOX_TMP/orphans"
sed 's/^/  # /' "$SANDBOX_TMP/orphans"
has "/lib/modules/6.8.0-2-generic other-filesystem" "a tree in a mounted /lib/modules is left alone"
assert_exit 0 pok --orphans --running=$R --keep=1 -y
holds "the mounted modules survive" [ -f "$OUT/hostmods/6.8.0-2-generic/modules.dep" ]

sandbox_finish
