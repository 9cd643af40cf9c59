# unattended.sh: helpers for the tests of --hook, --auto and --status
# (sourced after sandbox.sh, POSIX sh).
# shellcheck shell=sh disable=SC3043,SC2086,SC2034
#
# Environment: sysconfdir and bindir as configured (tests/local.mk exports
# them): the configuration file of the sandbox is $ROOT$sysconfdir/...

: "${sysconfdir:=/usr/local/etc}"
: "${top_builddir:=${top_srcdir:-.}}"

# conf LINE...: the sandbox's purge-old-kernels.conf holds exactly LINEs
# (none: the file is removed).
conf() {
	mkdir -p "$ROOT$sysconfdir"
	if [ $# -eq 0 ]; then
		rm -f "$ROOT$sysconfdir/purge-old-kernels.conf"
		return 0
	fi
	printf '%s\n' "$@" >"$ROOT$sysconfdir/purge-old-kernels.conf"
}

STATE_FILE_REL=/run/purge-old-kernels/status

# state_value KEY: KEY's value in the state file, empty when there is none.
state_value() {
	tr ' ' '\n' <"$ROOT$STATE_FILE_REL" 2>/dev/null | sed -n "s/^$1=//p"
}

# apt_sandbox ARG...: the real apt-get on the sandbox root.
apt_sandbox() {
	"$APT_GET" -o Dir="$ROOT" -o Dir::State::status="$ROOT/var/lib/dpkg/status" \
		-o DPkg::Options::=--root="$ROOT" "$@"
}

# install_hook RUNNING [BINDIR]: put the shipped apt snippet into the
# sandbox's apt configuration (read through APT_CONFIG), calling the CLI
# under test on the sandbox with --running=RUNNING. BINDIR replaces the
# program's directory (default: the build tree's).
install_hook() {
	local dir="${2:-${POK%/*}}"
	sed -e "s|@bindir@/purge-old-kernels|$dir/${POK##*/}|g" \
		-e "s|@sysconfdir@|$sysconfdir|g" \
		-e "s|--hook|--hook --root=$ROOT --running=$1|" \
		-e "s|--guard|--guard --root=$ROOT --running=$1|" \
		"$top_srcdir/etc/apt.conf.d/85purge-old-kernels.in" \
		>"$ROOT/etc/apt/apt.conf.d/85purge-old-kernels"
}

# install_guard RUNNING: only the shipped snippet's Pre-Install-Pkgs hook
# (--guard) and its protocol version, as install_hook writes them.
install_guard() {
	install_hook "$1"
	sed -i -n -e '/Pre-Install-Pkgs/p' -e '/Tools::Options/p' \
		"$ROOT/etc/apt/apt.conf.d/85purge-old-kernels"
}

# take_pending: move the .deb files the release helpers queued into DEBS,
# for apt-get install (which then installs them instead of dpkg_install).
take_pending() {
	DEBS=$SANDBOX_PENDING
	SANDBOX_PENDING=
	SANDBOX_PENDING_NAMES=' '
}

# now_ms: the time in milliseconds.
now_ms() { date +%s%3N; }

# wait_for SECONDS CMD...: run CMD every 0.2 s until it succeeds; fails
# when SECONDS pass first.
wait_for() {
	local deadline=$(($(date +%s) + $1))
	shift
	while ! "$@"; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.2
	done
}

# assert_gone_later PKG SECONDS: PKG is no longer installed within SECONDS
# (a purge that runs once apt let go of its lock).
unattended__gone() { [ "$(pkg_state "$unattended__pkg")" != ii ]; }
assert_gone_later() {
	unattended__pkg=$1
	if wait_for "$2" unattended__gone; then
		pass "$1 is gone after apt released its lock"
	else
		fail "$1 is gone after apt released its lock"
	fi
}

# prometheus_check FILE: the node_exporter text format, checked: HELP and
# TYPE before each sample, names with the prefix, one numeric value and no
# timestamp, no name twice. Prints what is wrong; exit 0 when nothing is.
prometheus_check() {
	"$PYTHON" - "$1" <<'EOF'
import re, sys
bad, seen, help_, type_ = [], set(), None, None
for n, line in enumerate(open(sys.argv[1]), 1):
    line = line.rstrip("\n")
    m = re.fullmatch(r"# HELP (\S+) \S.*", line)
    if m:
        help_ = m.group(1)
        continue
    m = re.fullmatch(r"# TYPE (\S+) (gauge|counter)", line)
    if m:
        type_ = m.group(1)
        continue
    m = re.fullmatch(r"(purge_old_kernels_[a-z_]+) (-?[0-9.e+]+)", line)
    if not m:
        bad.append("line %d is no sample: %r" % (n, line))
        continue
    name = m.group(1)
    if name != help_ or name != type_:
        bad.append("%s: no HELP or TYPE line before it" % name)
    if name in seen:
        bad.append("%s twice" % name)
    seen.add(name)
if not seen:
    bad.append("no metrics")
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
}

# prometheus_value FILE NAME: the value of metric NAME.
prometheus_value() {
	sed -n "s/^$2 //p" "$1"
}
