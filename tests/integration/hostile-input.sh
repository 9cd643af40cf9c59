#!/bin/sh
# Hostile input never reaches a shell and never redirects the purge:
# - a root directory whose path a shell would split and run is passed to
#   apt-get and dpkg whole (argument vectors, no shell), and the purge
#   works there;
# - --root through ".." and through a symbolic link is that same root;
# - package names with shell syntax in a crafted status file are refused
#   (libdpkg's parser) before anything runs;
# - versions with shell syntax are text: shown, written to JSON, never run;
# - a set-user-ID copy of the command refuses to run.
# A marker file that any of the shell syntax would create must never exist.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

marker=$SANDBOX_TMP/pwned
assert_no_marker() {
	if [ -e "$marker" ]; then
		fail "nothing ran shell syntax from ${1:-the input} ($marker exists)"
		rm -f "$marker"
	else
		pass "nothing ran shell syntax from ${1:-the input}"
	fi
}

section "a root directory whose path holds blanks and shell syntax"
# No quote or backslash: the sandbox's own apt configuration quotes it.
ROOT="$SANDBOX_TMP/root dir;\$(touch $marker)&\`touch $marker\`|x>y"
export ROOT
sandbox_root_skeleton "$ROOT"
sandbox__write_apt_config
# The sandbox's guard hook writes ROOT into its script text, where a shell
# would run the syntax in it: replace it with one that reads ROOT as data
# and compares apt's configuration as fixed strings.
printf '%s\n' "$ROOT" >"$SANDBOX_TMP/guard-root"
cat >"$SANDBOX_TMP/apt-guard" <<'EOF'
#!/bin/sh
# Pre-Install-Pkgs hook (protocol version 2): apt's configuration on stdin.
tmp=$(dirname "$0")
n=$(ls "$tmp/apt-runs" | wc -l)
f="$tmp/apt-runs/run.$((n + 1))"
cat >"$f"
root=$(cat "$tmp/guard-root")
slashes() { sed 's|//*|/|g'; }
# apt writes the values URI-quoted: blanks as %20, "%" as %25.
conf=$(sed '/^$/q' "$f" | sed 's/%20/ /g; s/%25/%/g' | slashes)
status=$(printf 'Dir::State::status=%s/var/lib/dpkg/status\n' "$root" | slashes)
opt=$(printf 'DPkg::Options::=--root=%s\n' "$root" | slashes)
if printf '%s\n' "$conf" | grep -Fqx -e "$status" &&
   printf '%s\n' "$conf" | grep -Fqx -e "$opt" -e "$opt/"; then
	exit 0
fi
printf 'sandbox guard: apt-get was not pointed at the sandbox %s; refusing to run dpkg\n' "$root" >&2
exit 1
EOF
ubuntu_release 6.8.0-31 generic
r31=$RELEASE_OWN
ubuntu_release 6.8.0-40 generic
r40=$RELEASE_PKGS
dpkg_install
assert_exit 0 pok --keep=1 -y
assert_purged $r31
assert_installed $r40
assert_eq 1 "$(apt_runs)" "apt-get ran dpkg once, pointed at that root"
assert_no_marker "the root's path"

section "--root through '..' and through a symbolic link: the same root"
ubuntu_release 6.8.0-45 generic
r45=$RELEASE_PKGS
dpkg_install
ln -s "$ROOT" "$SANDBOX_TMP/link"
mkdir "$SANDBOX_TMP/sub"
run "$POK" --root="$SANDBOX_TMP/sub/../link/" --keep=1 --list
assert_eq 0 "$rc" "--list through sub/../link/ works"
assert_contains "$out" "6.8.0-40-generic" "it lists the root's releases"
assert_exit 0 "$POK" --root="$SANDBOX_TMP/link" --keep=1 -y
assert_purged linux-image-6.8.0-40-generic linux-modules-6.8.0-40-generic
assert_installed $r45
assert_eq 2 "$(apt_runs)" "apt-get ran dpkg on the real root (the guard checks)"
assert_no_marker "the root's path"

section "package names with shell syntax in a crafted status file are refused"
cp "$ROOT/var/lib/dpkg/status" "$SANDBOX_TMP/status.good"
for bad in "linux-image-6.8.0-99-generic;touch $marker" \
	"linux-image-6.8.0-99-generic\$(touch $marker)" \
	"linux-image-6.8.0-99-generic\`touch $marker\`" \
	"linux-image-6.8.0-99-generic touch" \
	"linux-image-6.8.0-99-generic|touch" \
	"linux-image-6.8.0-99-generic&touch"; do
	cp "$SANDBOX_TMP/status.good" "$ROOT/var/lib/dpkg/status"
	printf 'Package: %s\nStatus: install ok installed\nVersion: 1\nArchitecture: all\n\n' \
		"$bad" >>"$ROOT/var/lib/dpkg/status"
	sum=$(status_sum)
	runs=$(apt_runs)
	assert_exit 1 pok --keep=0 --running=6.8.0-45-generic -y
	assert_stderr_lines 1 "one line on stderr"
	assert_contains "$err" "dpkg database" "it names the database"
	assert_status_unchanged "$sum"
	assert_eq "$runs" "$(apt_runs)" "apt-get did not run dpkg"
	assert_no_marker "a package name"
done
cp "$SANDBOX_TMP/status.good" "$ROOT/var/lib/dpkg/status"

section "versions with shell syntax are text"
# dpkg only warns about such a version ("invalid character in version
# number") and keeps the package: the plan shows it and JSON quotes it.
# (Blanks are an error in a version: the redirections need none.)
weird="6.8.0-45.45;>$marker\$(>$marker)\`>$marker\`|x&y"
awk -v v="$weird" '/^Package: / { p = ($2 == "linux-modules-6.8.0-45-generic") }
	p && /^Version: / { $0 = "Version: " v } { print }' \
	"$SANDBOX_TMP/status.good" >"$ROOT/var/lib/dpkg/status"
pok_json --dry-run --keep=1
assert_contains "$(cat "$JSON")" "$weird" "the JSON document holds the version as text"
run pok --list
assert_eq 0 "$rc" "--list shows it"
assert_no_marker "a version"
cp "$SANDBOX_TMP/status.good" "$ROOT/var/lib/dpkg/status"

section "a set-user-ID copy refuses to run"
cp "$POK" "$SANDBOX_TMP/pok-setuid"
chmod 4755 "$SANDBOX_TMP/pok-setuid"
if findmnt -no OPTIONS -T "$SANDBOX_TMP" 2>/dev/null | grep -q nosuid; then
	say "# $SANDBOX_TMP is mounted nosuid: the set-user-ID check is not exercised"
elif ! id nobody >/dev/null 2>&1; then
	say "# no user nobody: the set-user-ID check is not exercised"
else
	sum=$(status_sum)
	# LeakSanitizer (tests/run-sanitized) cannot work in a set-user-ID process.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		assert_exit 1 as_user nobody "$SANDBOX_TMP/pok-setuid" --root="$ROOT" --keep=1 -y
	assert_contains "$err" "set-user-ID" "it says why"
	assert_status_unchanged "$sum"
fi

sandbox_finish
