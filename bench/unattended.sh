#!/bin/sh
# bench/unattended.sh [PACKAGES [RELEASES]]: what the apt hook adds to an
# apt run in which no kernel package changed, and what the Byobu status
# costs, as ratios to `dpkg-query -W` on the same dpkg database: a root
# made by bench/genroot.py (default 10000 packages, 12 kernel releases).
# Needs hyperfine (Debian: hyperfine) and python3; run from the build tree
# (POK: the program, default cli/purge-old-kernels). Wall-clock time and CPU
# time (user + system), both as ratios: on a busy machine the CPU ratio is
# the steadier one.
#
#   dpkg-query        dpkg-query -W: every package, parsed by libdpkg
#   hook-same         --hook, the status file untouched since the last run
#                     (the stamp answers)
#   hook-other        --hook after dpkg rewrote its status file without a
#                     kernel change (an apt run that installed something
#                     else): the kernel fingerprint answers
#   hook-kernel       --hook after a kernel package changed: the plan is
#                     made (for scale; this is what the state file saves)
#   byobu-state       --status=byobu with a current state file
#   byobu-database    --status=byobu without one: from the dpkg database
set -eu
packages=${1:-10000}
releases=${2:-12}
here=$(cd "$(dirname "$0")" && pwd)
POK=${POK:-cli/purge-old-kernels}
PYTHON=${PYTHON:-python3}
command -v hyperfine >/dev/null 2>&1 || { echo "hyperfine is needed" >&2; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pok-bench-unattended.XXXXXXXX")
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
"$PYTHON" "$here/genroot.py" "$packages" "$releases" "$root" >/dev/null
status=$root/var/lib/dpkg/status
state=$root/run/purge-old-kernels/status
# The kernel images' records change: their descriptions grow by a letter.
kernel_change="sed -i '/^Package: linux-image-/,/^\$/s/^Description: /&x/' $status"
pok="$POK --root=$root --running=none"

$pok --hook 2>/dev/null || true
echo "# $(grep -c '^Package:' "$status") packages, $(wc -c <"$status") bytes of status file"
hyperfine -N --warmup 3 --runs "${RUNS:-40}" --export-json "$tmp/times.json" \
	-n dpkg-query -p true "dpkg-query --admindir=$root/var/lib/dpkg -W" \
	-n hook-same -p true "$pok --hook" \
	-n hook-other -p "touch $status" "$pok --hook" \
	-n hook-kernel -p "$kernel_change" "$pok --hook" \
	-n byobu-state -p true "$pok --status=byobu" \
	-n byobu-database -p "rm -f $state" "$pok --status=byobu" \
	>"$tmp/hyperfine.out" 2>&1 || { cat "$tmp/hyperfine.out"; exit 1; }

"$PYTHON" - "$tmp/times.json" <<'EOF'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
def cpu(r):
    return r["user"] + r["system"]
base, base_cpu = res["dpkg-query"]["mean"], cpu(res["dpkg-query"])
print("%-16s %9s %8s %7s %9s %7s" % ("", "wall ms", "stddev", "ratio",
                                      "cpu ms", "ratio"))
for name, r in res.items():
    print("%-16s %9.2f %8.2f %7.3f %9.2f %7.3f" % (
        name, r["mean"] * 1000, r["stddev"] * 1000, r["mean"] / base,
        cpu(r) * 1000, cpu(r) / base_cpu))
EOF
