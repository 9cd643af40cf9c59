# apt-env.sh: helpers for the tests of what reaches apt-get and dpkg
# (sourced after sandbox.sh, POSIX sh): a marker that whatever must not run
# leaves, apt-get's environment as its hooks see it, one release more.
# shellcheck shell=sh disable=SC3043,SC2034

# marker: the file a program that must not run writes to.
marker=$SANDBOX_TMP/pwned

# assert_no_marker WHAT: nothing wrote the marker (else say what did).
assert_no_marker() {
	if [ -e "$marker" ]; then
		fail "$1 ($(cat "$marker") ran)"
		rm -f "$marker"
	else
		pass "$1"
	fi
}

# apt_env NAME: NAME's value in apt-get's environment, as written by a
# DPkg::Pre-Invoke "export -p >$SANDBOX_TMP/apt-env" the test installs;
# apt_has NAME: is it set there?
apt_env() {
	sed -n "s/^export $1=['\"]\\(.*\\)['\"]\$/\\1/p" "$SANDBOX_TMP/apt-env" 2>/dev/null
}
apt_has() { grep -q "^export $1=" "$SANDBOX_TMP/apt-env" 2>/dev/null; }

# next_release: one more custom release, newer than the others. A purge
# with --keep=1 then takes $OLD and keeps $NEW.
n=0
NEW=
next_release() {
	n=$((n + 1))
	custom_release "6.9.$n" no-headers
	dpkg_install
	OLD=$NEW
	NEW=linux-image-6.9.$n
	rm -f "$SANDBOX_TMP/apt-env"
}
