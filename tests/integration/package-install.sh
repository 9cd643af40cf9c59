#!/bin/sh
# The built purge-old-kernels .deb in a sandbox root, with the real dpkg:
# its files land where the package and the manual pages say (the command in
# /usr/bin, where a plain user's PATH finds it, manual pages, bash completion, files under /etc as conffiles,
# and every path of ours the pages name); the installed
# command runs and purges a kernel through apt-get; after "dpkg -r" only
# conffiles are left and the apt hook and cron job they leave behind do
# nothing, silently, and succeed; after "dpkg -P" nothing is left. With
# Debian's real byobu package (whose /usr/bin/purge-old-kernels is a stub
# running apt-get autoremove, with a purge-old-kernels(1) page), installed
# before or after this one: this package's command and page take the names,
# byobu's are diverted aside, and given back when this package goes.
#
#   sudo tests/integration/package-install.sh PATH/purge-old-kernels_*.deb
#
# tests/package-check.sh builds the .deb and runs this. Needs root.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
deb=${1:-${PKG_DEB:-}}
[ -n "$deb" ] || { echo "SKIP: no .deb given (usage: $0 PATH.deb)"; exit 77; }
[ -f "$deb" ] || { echo "ERROR: $deb: no such file"; exit 99; }
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
# sandbox_init wants a program to test; the installed one replaces it below.
: "${POK:=/bin/true}"
. "$top_srcdir/tests/lib/sandbox.sh"
sandbox_init

pkg=$("$DPKG_DEB" -f "$deb" Package)
version=$("$DPKG_DEB" -f "$deb" Version)
[ "$pkg" = purge-old-kernels ] || die "$deb is $pkg, not purge-old-kernels"
upstream=${version#*:}
upstream=${upstream%-*}

# The package's paths, without the leading "." and directories.
"$DPKG_DEB" -c "$deb" | awk '$1 !~ /^d/ { p = $6; sub(/^\./, "", p); print p }' \
	| LC_ALL=C sort >"$SANDBOX_TMP/files"
"$DPKG_DEB" -I "$deb" conffiles 2>/dev/null | LC_ALL=C sort >"$SANDBOX_TMP/conffiles" || :

# Maintainer scripts run outside the root (it has no shell), with
# DPKG_ROOT set, as dpkg --force-script-chrootless does; the init system's
# tools are stand-ins that log their calls, so nothing reaches the host's
# systemd.
stubs=$SANDBOX_TMP/stubs
mkdir -p "$stubs"
for tool in deb-systemd-helper deb-systemd-invoke systemctl invoke-rc.d update-rc.d; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/maint-calls"\nexit 0\n' \
		"$tool" "$SANDBOX_TMP" >"$stubs/$tool"
	chmod 0755 "$stubs/$tool"
done
: >"$SANDBOX_TMP/maint-calls"

# pkg_dpkg ARG...: dpkg on the sandbox, for the package under test.
pkg_dpkg() {
	PATH=$stubs:$PATH "$DPKG" --root="$ROOT" --log="$ROOT/var/log/dpkg.log" \
		--force-unsafe-io --force-script-chrootless "$@"
}

# in_root PATH: PATH inside the sandbox; with merged /usr, /lib/X and
# /usr/lib/X are one file.
in_root() {
	if [ -e "$ROOT$1" ] || [ -L "$ROOT$1" ]; then
		printf '%s\n' "$ROOT$1"
		return 0
	fi
	case $1 in
	/usr/lib/* | /usr/bin/* | /usr/sbin/*) [ -e "$ROOT${1#/usr}" ] && printf '%s\n' "$ROOT${1#/usr}" && return 0 ;;
	/lib/* | /bin/* | /sbin/*) [ -e "$ROOT/usr$1" ] && printf '%s\n' "$ROOT/usr$1" && return 0 ;;
	esac
	return 1
}

section "setup: stand-ins for the dependencies of $pkg $version"
# Every package named in Depends (first alternative), at the host's version
# so versioned dependencies hold: dpkg and apt in the sandbox see a
# consistent system.
"$DPKG_DEB" -f "$deb" Depends | tr ',' '\n' | sed 's/|.*//; s/(.*//; s/:any//; s/[[:space:]]//g' \
	| sed '/^$/d' >"$SANDBOX_TMP/depends"
while read -r dep; do
	v=$("$DPKG_QUERY" -W -f='${Version}' "$dep" 2>/dev/null) || v=
	[ -n "$v" ] || v=999
	want_other "$dep" "$v" section=misc desc="stand-in for $dep"
done <"$SANDBOX_TMP/depends"
dpkg_install
say "# stand-ins: $(tr '\n' ' ' <"$SANDBOX_TMP/depends")"

section "install $deb"
pkg_dpkg -i "$deb" >"$SANDBOX_TMP/install.log" 2>&1 || { cat "$SANDBOX_TMP/install.log"; die "dpkg -i failed"; }
sed 's/^/  | /' "$SANDBOX_TMP/install.log"
assert_installed "$pkg"

section "files land where the package says"
missing=
while read -r f; do
	in_root "$f" >/dev/null || missing="$missing $f"
done <"$SANDBOX_TMP/files"
assert_eq "" "$missing" "every file of the package is in the root ($(wc -l <"$SANDBOX_TMP/files") files)"
for f in /usr/bin/purge-old-kernels /usr/share/man/man8/purge-old-kernels.8.gz \
	/usr/share/bash-completion/completions/purge-old-kernels \
	/usr/share/doc/purge-old-kernels/copyright; do
	if grep -qxF "$f" "$SANDBOX_TMP/files" && in_root "$f" >/dev/null; then
		pass "ships $f"
	else
		fail "ships $f"
	fi
done
if [ -x "$ROOT/usr/bin/purge-old-kernels" ]; then
	pass "/usr/bin/purge-old-kernels is executable"
else
	fail "/usr/bin/purge-old-kernels is executable"
fi

# Our paths that the installed manual pages name (under /etc, /usr, /lib;
# run-time state under /run and /var is made by the program).
: >"$SANDBOX_TMP/documented"
for page in "$ROOT"/usr/share/man/man*/*.gz; do
	[ -e "$page" ] || continue
	gzip -dc "$page" | sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' -e 's/\\%//g' \
		| grep -oE '(^|[^[:alnum:]_.~-])/[[:alnum:]_./-]*' | sed -e 's|^[^/]||' -e 's|[./]*$||' \
		| grep -E '^/(etc|usr|lib)/' | grep -E 'purge.old.kernels|kpurge' \
		>>"$SANDBOX_TMP/documented" || :
done
LC_ALL=C sort -u -o "$SANDBOX_TMP/documented" "$SANDBOX_TMP/documented"
while read -r f; do
	if in_root "$f" >/dev/null; then
		pass "the manual names $f, and it is installed"
	else
		fail "the manual names $f, and it is installed"
	fi
done <"$SANDBOX_TMP/documented"
say "# our paths the manual pages name: $(tr '\n' ' ' <"$SANDBOX_TMP/documented")"

# Files under /etc are conffiles (policy 10.7.2): dpkg keeps the admin's edits.
grep '^/etc/' "$SANDBOX_TMP/files" >"$SANDBOX_TMP/etc-files" || :
"$DPKG_QUERY" --root="$ROOT" -W -f='${Conffiles}\n' "$pkg" | awk 'NF { print $1 }' \
	| LC_ALL=C sort >"$SANDBOX_TMP/db-conffiles"
while read -r f; do
	if grep -qxF "$f" "$SANDBOX_TMP/db-conffiles"; then
		pass "$f is a conffile"
	else
		fail "$f is a conffile"
	fi
done <"$SANDBOX_TMP/etc-files"
say "# conffiles: $(tr '\n' ' ' <"$SANDBOX_TMP/db-conffiles")"

# Cron jobs: executable, no dot in the name (run-parts skips those).
for f in $(grep '^/etc/cron\.' "$SANDBOX_TMP/files" || :); do
	case ${f##*/} in
	*.*) fail "cron job $f has no dot in its name" ;;
	*) pass "cron job $f has no dot in its name" ;;
	esac
	case $f in
	/etc/cron.d/*) ;;
	*) if [ -x "$ROOT$f" ]; then pass "cron job $f is executable"; else fail "cron job $f is executable"; fi ;;
	esac
done

# systemd timers are enabled by the maintainer scripts.
for f in $(grep -E '^(/usr)?/lib/systemd/system/.*\.timer$' "$SANDBOX_TMP/files" || :); do
	unit=${f##*/}
	if grep -q "^deb-systemd-helper.* enable .*$unit" "$SANDBOX_TMP/maint-calls" \
		|| grep -q "^deb-systemd-helper enable $unit" "$SANDBOX_TMP/maint-calls"; then
		pass "postinst enables $unit"
	else
		fail "postinst enables $unit"
		sed 's/^/    | /' "$SANDBOX_TMP/maint-calls"
	fi
done

# apt_hooks FILE: the hook commands of an apt.conf snippet, one a line, read
# with apt's own parser and nothing but FILE.
apt_hooks() {
	mkdir -p "$SANDBOX_TMP/no-parts"
	printf 'Dir::Etc::main "/dev/null";\nDir::Etc::parts "%s";\n#include "%s";\n' \
		"$SANDBOX_TMP/no-parts" "$1" >"$SANDBOX_TMP/hook-apt.conf"
	APT_CONFIG=$SANDBOX_TMP/hook-apt.conf apt-config dump --format '%f %v%n' \
		| sed -n -E 's/^(DPkg::(Pre|Post)-Invoke|DPkg::Pre-Install-Pkgs|APT::Update::(Pre|Post)-Invoke(-Success)?)::[0-9]* //Ip'
}

hooks=$(grep '^/etc/apt/apt\.conf\.d/' "$SANDBOX_TMP/files" || :)
for f in $hooks; do
	if apt_hooks "$ROOT$f" >"$SANDBOX_TMP/hooks" 2>"$SANDBOX_TMP/hooks.err" && [ -s "$SANDBOX_TMP/hooks" ]; then
		pass "apt reads the hook commands of $f: $(tr '\n' ';' <"$SANDBOX_TMP/hooks")"
	else
		fail "apt reads the hook commands of $f"
		sed 's/^/    ! /' "$SANDBOX_TMP/hooks.err"
	fi
done

section "the installed command runs"
POK=$ROOT/usr/bin/purge-old-kernels
# The apt module, where the package put it: the program run here from the
# sandbox would otherwise look for it at the host's path.
KPURGE_APT_MODULE=
for f in "$ROOT"/usr/lib/*/purge-old-kernels/kpurge-apt.so "$ROOT"/usr/lib/purge-old-kernels/kpurge-apt.so; do
	[ -f "$f" ] && KPURGE_APT_MODULE=$f
done
if [ -n "$KPURGE_APT_MODULE" ]; then
	pass "ships the apt module ${KPURGE_APT_MODULE#"$ROOT"}"
else
	fail "ships the apt module (usr/lib/*/purge-old-kernels/kpurge-apt.so)"
fi
export KPURGE_APT_MODULE
assert_exit 0 "$POK" --version
assert_eq "purge-old-kernels $upstream" "$(printf '%s\n' "$out" | head -n 1)" "--version names $upstream"
assert_exit 0 "$POK" --help

section "the installed command purges a kernel through apt-get"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
dpkg_install
# The sandbox's apt reads ROOT/etc/apt/apt.conf.d (tests/lib/sandbox.sh),
# where the package's own apt hook now is; its command names this host's
# paths, so this apt-get runs without it (it is run mapped further down).
if [ -n "${APT_CONFIG:-}" ]; then
	mkdir -p "$SANDBOX_TMP/apt-parts"
	cp "$ROOT/etc/apt/apt.conf.d/00sandbox" "$SANDBOX_TMP/apt-parts/"
	sed "s|\"$ROOT/etc/apt/apt.conf.d\"|\"$SANDBOX_TMP/apt-parts\"|" "$APT_CONFIG" >"$SANDBOX_TMP/apt-nohook.conf"
	APT_CONFIG=$SANDBOX_TMP/apt-nohook.conf
fi
assert_exit 0 pok --running=6.8.0-40-generic --keep=1 -y
assert_purged $r31
assert_installed $r40 $r45 "$pkg"

section "dpkg -r: only conffiles are left"
pkg_dpkg -r "$pkg" >"$SANDBOX_TMP/remove.log" 2>&1 || { cat "$SANDBOX_TMP/remove.log"; die "dpkg -r failed"; }
if [ -s "$SANDBOX_TMP/conffiles" ]; then
	assert_rc "$pkg"
else
	assert_purged "$pkg"
fi
left=
while read -r f; do
	grep -qxF "$f" "$SANDBOX_TMP/conffiles" && continue
	in_root "$f" >/dev/null && left="$left $f"
done <"$SANDBOX_TMP/files"
assert_eq "" "$left" "no file but conffiles is left after dpkg -r"
left=
while read -r f; do
	in_root "$f" >/dev/null || left="$left $f"
done <"$SANDBOX_TMP/conffiles"
assert_eq "" "$left" "the conffiles stay after dpkg -r"

# What a conffile left behind runs, as the host would run it: every path of
# the package is mapped into the sandbox, where the program is now gone.
case $ROOT in
*[!A-Za-z0-9_./-]*) die "the sandbox path $ROOT has characters the mapping does not escape" ;;
esac
awk '{ print length($0) "\t" $0 }' "$SANDBOX_TMP/files" | LC_ALL=C sort -rn | cut -f2- \
	| sed -e 's/[][\\.*^$+?(){}|#]/\\&/g' \
	| awk -v root="$ROOT" '{
		printf "s#(^|[^[:alnum:]_./-])(%s)($|[^[:alnum:]_./-])#\\1%s\\2\\3#g\n", $0, root
	}' >"$SANDBOX_TMP/map.sed"
mapped() { sed -E -f "$SANDBOX_TMP/map.sed"; }

# run_left WHAT SCRIPT: exit 0 and silence, with no root privileges needed
# beyond what apt and cron run with, stdin closed.
run_left() {
	say "\$ $2"
	if env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DPKG_FRONTEND_LOCKED=true \
		/bin/sh -c "$2" </dev/null >"$SANDBOX_TMP/left.out" 2>&1; then
		rc=0
	else
		rc=$?
	fi
	sed 's/^/  | /' "$SANDBOX_TMP/left.out"
	assert_eq 0 "$rc" "$1: exits 0 once the program is removed"
	assert_eq "" "$(cat "$SANDBOX_TMP/left.out")" "$1: prints nothing once the program is removed"
}

nhooks=0
for f in $hooks; do
	apt_hooks "$ROOT$f" >"$SANDBOX_TMP/hooks" 2>/dev/null || :
	while IFS= read -r cmd; do
		nhooks=$((nhooks + 1))
		run_left "apt hook of $f" "$(printf '%s\n' "$cmd" | mapped)"
	done <"$SANDBOX_TMP/hooks"
done
for f in $(grep -E '^/etc/cron\.(hourly|daily|weekly|monthly)/' "$SANDBOX_TMP/conffiles" || :); do
	nhooks=$((nhooks + 1))
	mapped <"$ROOT$f" >"$SANDBOX_TMP/cron-job"
	run_left "cron job $f" "/bin/sh $SANDBOX_TMP/cron-job"
done
say "# hook commands and jobs run after removal: $nhooks"

section "dpkg -P: nothing is left"
pkg_dpkg -P "$pkg" >"$SANDBOX_TMP/purge.log" 2>&1 || { cat "$SANDBOX_TMP/purge.log"; die "dpkg -P failed"; }
assert_purged "$pkg"
left=
while read -r f; do
	in_root "$f" >/dev/null && left="$left $f"
done <"$SANDBOX_TMP/files"
assert_eq "" "$left" "no file of the package is left after dpkg -P"
say "# maintainer scripts called: $(cut -d' ' -f1-3 "$SANDBOX_TMP/maint-calls" | tr '\n' ';')"

section "byobu's purge-old-kernels stub is diverted aside, and given back"
# Debian's real byobu package, from the archive this machine's apt uses. Only
# unpacked: its maintainer scripts would touch this host's /etc, and the
# files are what matters here.
byobu_deb=${PKG_BYOBU_DEB:-}
if [ -z "$byobu_deb" ]; then
	(cd "$SANDBOX_TMP" && apt-get download byobu >"$SANDBOX_TMP/byobu-download.log" 2>&1) || :
	for f in "$SANDBOX_TMP"/byobu_*.deb; do [ -f "$f" ] && byobu_deb=$f; done
fi
if [ -z "$byobu_deb" ]; then
	sed 's/^/  | /' "$SANDBOX_TMP/byobu-download.log"
	fail "Debian's byobu .deb is available (apt-get download byobu, or PKG_BYOBU_DEB)"
else
	mkdir -p "$SANDBOX_TMP/byobu-files"
	"$DPKG_DEB" -x "$byobu_deb" "$SANDBOX_TMP/byobu-files"
	stub=$SANDBOX_TMP/byobu-files/usr/bin/purge-old-kernels
	page=$SANDBOX_TMP/byobu-files/usr/share/man/man1/purge-old-kernels.1.gz
	[ -f "$stub" ] && [ -f "$page" ] \
		|| die "$byobu_deb ships no /usr/bin/purge-old-kernels and purge-old-kernels(1)"
	ours=$SANDBOX_TMP/our-files
	mkdir -p "$ours"
	"$DPKG_DEB" -x "$deb" "$ours"
	# byobu_unpack: byobu unpacked, without maintainer scripts to run
	# later (they would run outside the root, on this host).
	byobu_unpack() {
		pkg_dpkg --force-depends --unpack "$byobu_deb" >"$SANDBOX_TMP/byobu.log" 2>&1 \
			|| { cat "$SANDBOX_TMP/byobu.log"; die "dpkg --unpack byobu failed"; }
		rm -f "$ROOT"/var/lib/dpkg/info/byobu.prerm "$ROOT"/var/lib/dpkg/info/byobu.postrm \
			"$ROOT"/var/lib/dpkg/info/byobu.postinst "$ROOT"/var/lib/dpkg/info/byobu.config
	}
	# is_file WHAT PATH EXPECTED: PATH in the root has EXPECTED's content.
	is_file() {
		if [ -f "$ROOT$2" ] && cmp -s "$ROOT$2" "$3"; then
			pass "$1"
		else
			fail "$1"
		fi
	}
	diverted() {
		dpkg-divert --root="$ROOT" --list 'purge-old-kernels*' 2>/dev/null | LC_ALL=C sort
	}
	ours_installed() {
		is_file "$1: /usr/bin/purge-old-kernels is this package's" /usr/bin/purge-old-kernels "$ours/usr/bin/purge-old-kernels"
		is_file "$1: byobu's stub is at /usr/bin/purge-old-kernels.byobu" /usr/bin/purge-old-kernels.byobu "$stub"
		is_file "$1: byobu's page is purge-old-kernels.byobu(1)" /usr/share/man/man1/purge-old-kernels.byobu.1.gz "$page"
		if [ ! -e "$ROOT/usr/share/man/man1/purge-old-kernels.1.gz" ]; then
			pass "$1: no purge-old-kernels(1) hides purge-old-kernels(8)"
		else
			fail "$1: no purge-old-kernels(1) hides purge-old-kernels(8)"
		fi
		assert_eq 2 "$(diverted | grep -c 'by purge-old-kernels$')" "$1: two diversions, by purge-old-kernels"
	}
	byobu_back() {
		is_file "$1: byobu's stub is back at /usr/bin/purge-old-kernels" /usr/bin/purge-old-kernels "$stub"
		is_file "$1: byobu's page is back" /usr/share/man/man1/purge-old-kernels.1.gz "$page"
		assert_eq "" "$(diverted)" "$1: no diversion is left"
		if [ ! -e "$ROOT/usr/bin/purge-old-kernels.byobu" ]; then
			pass "$1: nothing is left at the diverted name"
		else
			fail "$1: nothing is left at the diverted name"
		fi
	}

	say "# byobu first, then this package"
	byobu_unpack
	is_file "byobu alone: its stub is /usr/bin/purge-old-kernels" /usr/bin/purge-old-kernels "$stub"
	pkg_dpkg -i "$deb" >"$SANDBOX_TMP/install2.log" 2>&1 || { cat "$SANDBOX_TMP/install2.log"; die "dpkg -i over byobu failed"; }
	ours_installed "byobu, then $pkg"
	pkg_dpkg -r "$pkg" >"$SANDBOX_TMP/remove2.log" 2>&1 || { cat "$SANDBOX_TMP/remove2.log"; die "dpkg -r failed"; }
	byobu_back "dpkg -r $pkg"
	pkg_dpkg -P "$pkg" >/dev/null 2>&1 || die "dpkg -P failed"

	say "# this package first, then byobu; then this package purged"
	pkg_dpkg --force-depends -P byobu >"$SANDBOX_TMP/byobu-purge.log" 2>&1 \
		|| { cat "$SANDBOX_TMP/byobu-purge.log"; die "dpkg -P byobu failed"; }
	[ ! -e "$ROOT/usr/bin/purge-old-kernels" ] || die "byobu's stub was not removed"
	pkg_dpkg -i "$deb" >"$SANDBOX_TMP/install3.log" 2>&1 || { cat "$SANDBOX_TMP/install3.log"; die "dpkg -i failed"; }
	byobu_unpack
	ours_installed "$pkg, then byobu"
	pkg_dpkg -P "$pkg" >"$SANDBOX_TMP/purge3.log" 2>&1 || { cat "$SANDBOX_TMP/purge3.log"; die "dpkg -P failed"; }
	byobu_back "dpkg -P $pkg"
fi

sandbox_finish
