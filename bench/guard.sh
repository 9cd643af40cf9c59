#!/bin/sh
# bench/guard.sh [PACKAGES [RELEASES [UPGRADES]]]: what the apt guard
# (--guard, apt's DPkg::Pre-Install-Pkgs hook) adds to an apt run that
# installs no kernel image, side by side with the no-change --hook and
# `dpkg-query -W` on the same dpkg database: a root made by
# bench/genroot.py (default 10000 packages, 12 kernel releases), and
# apt's message for an upgrade of UPGRADES (default 200) other packages:
# the configuration part a real apt-get 2.6 wrote
# (tests/corpus/apt-hook-v3.txt), then an unpack and a configure line for
# each. The three run interleaved, RUNS times each (default 40); it prints
# the median wall-clock time and the mean CPU time (user + system) of
# each, and both as ratios to dpkg-query -W and to the hook. Needs
# python3; run from the build tree (POK: the program, default
# cli/purge-old-kernels; top_srcdir: the source tree, default .).
set -eu
packages=${1:-10000}
releases=${2:-12}
upgrades=${3:-200}
here=$(cd "$(dirname "$0")" && pwd)
POK=${POK:-cli/purge-old-kernels}
PYTHON=${PYTHON:-python3}
: "${top_srcdir:=$here/..}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pok-bench-guard.XXXXXXXX")
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
"$PYTHON" "$here/genroot.py" "$packages" "$releases" "$root" >/dev/null
msg=$tmp/apt-message
{
	sed '/^$/q' "$top_srcdir/tests/corpus/apt-hook-v3.txt"
	i=0
	while [ "$i" -lt "$upgrades" ]; do
		printf 'libbench%d 1.0-1 amd64 same < 1.0-2 amd64 same /var/cache/apt/archives/libbench%d_1.0-2_amd64.deb\n' "$i" "$i"
		i=$((i + 1))
	done
	i=0
	while [ "$i" -lt "$upgrades" ]; do
		printf 'libbench%d 1.0-1 amd64 same < 1.0-2 amd64 same **CONFIGURE**\n' "$i"
		i=$((i + 1))
	done
} >"$msg"
pok="$POK --root=$root --running=none"
$pok --hook 2>/dev/null || true
echo "# $(grep -c '^Package:' "$root/var/lib/dpkg/status") packages; apt's message: $(wc -l <"$msg") lines, $(wc -c <"$msg") bytes"

# shellcheck disable=SC2086 # $pok is words
"$PYTHON" - "$root" "$msg" "${RUNS:-40}" $pok <<'EOF'
import os, statistics, subprocess, sys, time
root, msg, runs, pok = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
cmds = {
    "dpkg-query -W": (["dpkg-query", "--admindir=" + root + "/var/lib/dpkg", "-W"], None),
    "--hook (no change)": (pok + ["--hook"], None),
    "--guard (no kernel)": (pok + ["--guard"], msg),
}
wall = {k: [] for k in cmds}
cpu = {k: [] for k in cmds}
def once(argv, stdin):
    fin = open(stdin if stdin else os.devnull, "rb")
    t = time.perf_counter()
    p = subprocess.Popen(argv, stdin=fin, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t
    err = p.stderr.read()
    fin.close()
    # --hook may warn (this root's /etc); the guard must say nothing.
    if status != 0 or (err and "--guard" in argv):
        sys.exit("%s: status %d, %r" % (" ".join(argv), status, err))
    return dt, ru.ru_utime + ru.ru_stime
for i in range(runs + 3):
    for k, (argv, stdin) in cmds.items():
        dt, c = once(argv, stdin)
        if i >= 3:  # warm-up
            wall[k].append(dt)
            cpu[k].append(c)
med = {k: statistics.median(v) for k, v in wall.items()}
mcpu = {k: statistics.mean(v) for k, v in cpu.items()}
bq, bh = "dpkg-query -W", "--hook (no change)"
print("%-21s %8s %9s %9s %8s %9s %9s" % ("", "wall ms", "/dpkg-q", "/hook",
                                         "cpu ms", "/dpkg-q", "/hook"))
for k in cmds:
    print("%-21s %8.2f %9.3f %9.3f %8.2f %9.3f %9.3f" % (
        k, med[k] * 1000, med[k] / med[bq], med[k] / med[bh],
        mcpu[k] * 1000, mcpu[k] / mcpu[bq], mcpu[k] / mcpu[bh]))
EOF
