#!/bin/sh
# What ships for unattended use: the example configuration file documents
# every key and parses; apt reads the hook snippet, whose command succeeds
# when the program is gone; the cron job is a valid shell script that
# steps aside for the timer; the systemd units verify. No root needed.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${sysconfdir:=/usr/local/etc}"
. "$top_srcdir/tests/lib/sandbox.sh"
[ -x "$POK" ] || die "the CLI is not built: $POK"
SANDBOX_TMP=$(mktemp -d "${TMPDIR:-/tmp}/pok-unattended.XXXXXXXX") || die "mktemp failed"
trap sandbox__on_exit EXIT
T=$SANDBOX_TMP

section "the example configuration file, every setting uncommented, parses"
mkdir -p "$T/root/var/lib/dpkg" "$T/root$sysconfdir"
: >"$T/root/var/lib/dpkg/status"
sed 's/^#\([A-Z_]*=\)/\1/' "$top_srcdir/etc/purge-old-kernels.conf" \
	>"$T/root$sysconfdir/purge-old-kernels.conf"
keys=$(sed -n 's/^\([A-Z_]*\)=.*/\1/p' "$T/root$sysconfdir/purge-old-kernels.conf" | tr '\n' ' ')
assert_eq "KEEP PROTECT AUTO TIMEOUT BOOT_WARN_PERCENT ONLY_AUTO_INSTALLED GUARD " "$keys" "it documents every key"
"$POK" --root="$T/root" --list >"$T/out" 2>"$T/err" && rc=0 || rc=$?
assert_eq 0 "$rc" "--list with it exits 0"
# Its PROTECT names releases this empty root does not have: a warning
# each, naming the line (issue 11); nothing else.
assert_not_contains "$(grep -v ': PROTECT=[^ ]*: no such kernel release or version is installed' "$T/err")" \
	"purge-old-kernels.conf" "no error or warning about it but PROTECT's"
pline=$(grep -n '^PROTECT=' "$T/root$sysconfdir/purge-old-kernels.conf" | cut -d: -f1)
assert_contains "$(cat "$T/err")" "purge-old-kernels.conf:$pline: PROTECT=6.8.0-31-generic: no such" \
	"PROTECT's releases that are not installed are named with file and line"

section "apt reads the hook snippet"
snippet=$top_builddir/etc/apt.conf.d/85purge-old-kernels
if command -v apt-config >/dev/null 2>&1 && [ -f "$snippet" ]; then
	mkdir -p "$T/parts"
	printf 'Dir::Etc::parts "%s";\nDir::Etc::main "/nonexistent";\n' "$T/parts" >"$T/apt.conf"
	hook=$(APT_CONFIG=$T/apt.conf apt-config -c "$snippet" dump DPkg::Post-Invoke \
		| sed -n 's/^DPkg::Post-Invoke:: "\(.*\)";$/\1/p')
	assert_contains "$hook" "--hook || true; fi" "DPkg::Post-Invoke runs --hook"
	assert_eq 0 "$(sh -c "$(printf '%s' "$hook" | sed 's|\[ -x [^]]*\]|false|')"; echo $?)" \
		"the command succeeds when the program is gone"
	# The guard: the Version 3 option names the command's first word;
	# only exit status 3 of the program stops apt.
	guard=$(APT_CONFIG=$T/apt.conf apt-config -c "$snippet" dump DPkg::Pre-Install-Pkgs \
		| sed -n 's/^DPkg::Pre-Install-Pkgs:: "\(.*\)";$/\1/p')
	assert_contains "$guard" "/purge-old-kernels --guard" "DPkg::Pre-Install-Pkgs runs --guard"
	version=$(APT_CONFIG=$T/apt.conf apt-config -c "$snippet" shell V \
		"DPkg::Tools::Options::${guard%% *}::Version")
	assert_eq "V='3'" "$version" "its first word has protocol version 3"
	assert_eq 0 "$(sh -c "$(printf '%s' "$guard" | sed 's|\[ -x [^]]*\]|false|')" </dev/null; echo $?)" \
		"the guard succeeds when the program is gone"
	for code in 0 1 2 3 127 139; do
		cmd=$(printf '%s' "$guard" | sed -e 's|\[ -x [^]]*\]|true|' \
			-e "s|[^ ]*/purge-old-kernels --guard|(exit $code)|")
		sh -c "$cmd" </dev/null && rc=0 || rc=$?
		if [ "$code" = 3 ]; then
			[ "$rc" != 0 ] && pass "exit status 3 of --guard stops apt" \
				|| fail "exit status 3 of --guard stops apt"
		else
			assert_eq 0 "$rc" "exit status $code of --guard lets apt go on"
		fi
	done
else
	fail "apt-config and $snippet are there"
fi

section "the weekly cron job"
cron=$top_builddir/etc/cron.weekly/purge-old-kernels
if sh -n "$cron"; then pass "sh -n"; else fail "sh -n"; fi
case ${cron##*/} in
*.*) fail "no dot in the cron job's name (run-parts skips it)" ;;
*) pass "no dot in the cron job's name" ;;
esac
assert_contains "$(cat "$cron")" "test -x " "it tests that the program is still there"
assert_contains "$(cat "$cron")" "/run/systemd/system" "it steps aside for the timer"
if command -v shellcheck >/dev/null 2>&1; then
	if shellcheck -s sh "$cron" "$top_builddir/contrib/byobu/300_purge_old_kernels"; then
		pass "shellcheck"
	else
		fail "shellcheck"
	fi
fi

section "the systemd units"
service=$top_builddir/systemd/purge-old-kernels.service
assert_contains "$(cat "$service")" "--auto" "the service runs --auto"
assert_contains "$(cat "$top_srcdir/systemd/purge-old-kernels.timer")" "Persistent=true"
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$T/units"
	sed "s|^ExecStart=[^ ]*|ExecStart=$POK|" "$service" >"$T/units/purge-old-kernels.service"
	cp "$top_srcdir/systemd/purge-old-kernels.timer" "$T/units/"
	if out=$(systemd-analyze verify --man=no "$T/units/purge-old-kernels.service" \
		"$T/units/purge-old-kernels.timer" 2>&1); then
		pass "systemd-analyze verify"
	else
		fail "systemd-analyze verify"
		say "$out"
	fi
fi

sandbox_finish
