#!/usr/bin/python3
"""bench/ambiguous.py: how planning grows with flavour-less packages of
ambiguous ABI (issue 11, item 10).

Usage:  bench/ambiguous.py [--sizes 2000,4000,8000,16000] [--rounds 3]

Run it from a configured and built tree (`make -j2`). A name such as
linux-headers-6.8.0-31 may be the flavour-less headers of ABI 6.8.0-31
or the headers of a custom release of that name: the planner decides by
whether an image of that release is installed. For each size N it writes
a dpkg database of N such packages (each its own ABI) and 10 complete
releases to a temporary directory, and times kp_plan_new() alone
(bench/plan-only.c, its --phases "plan" line, built here without apt),
the median of the rounds. It prints the time per size and the ratio to
the size before: doubling N gives about 2 (n log n), 4 when quadratic.
Timings never make it fail; nothing is written to the repository.
"""

import argparse
import importlib.machinery
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)


def load_bench_run():
    """bench/run as a module: its build helpers."""
    loader = importlib.machinery.SourceFileLoader("bench_run", os.path.join(HERE, "run"))
    spec = importlib.util.spec_from_loader("bench_run", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def build_plan_only(run, bindir):
    """bench/plan-only.c against lib/libkpurge.a, without the apt steps."""
    lib = os.path.join(TOP, "lib", "libkpurge.a")
    if not os.path.exists(lib):
        run.die("lib/libkpurge.a is not built: run ./bootstrap and make -j2 first")
    dpkg_libs = run.make_var("LIBDPKG_LIBS") or subprocess.run(
        ["pkg-config", "--static", "--libs", "libdpkg"], capture_output=True,
        text=True, check=True).stdout.strip()
    cc = run.make_var("CC") or "gcc"
    cflags = run.make_var("CFLAGS") or "-g -O2"
    out = os.path.join(bindir, "plan-only")
    run.compile_tool([cc] + cflags.split() + ["-DPLAN_ONLY_NO_APT",
                     "-I" + os.path.join(TOP, "lib"), "-I" + TOP,
                     os.path.join(HERE, "plan-only.c"), "-o", out, lib] +
                     dpkg_libs.split())
    return out


def stanza(name, version):
    return ("Package: %s\nStatus: install ok installed\nPriority: optional\n"
            "Section: kernel\nInstalled-Size: 100\nMaintainer: bench <b@invalid>\n"
            "Architecture: amd64\nVersion: %s\nDescription: bench\n\n" % (name, version))


def make_root(path, n):
    """A dpkg database of n ambiguous flavour-less packages, 10 releases."""
    admin = os.path.join(path, "var", "lib", "dpkg")
    os.makedirs(os.path.join(admin, "updates"))
    os.makedirs(os.path.join(admin, "info"))
    with open(os.path.join(admin, "status"), "w") as f:
        for k in range(1, n + 1):
            f.write(stanza("linux-headers-6.8.0-%d" % k, "6.8.0-%d.1" % k))
        for k in range(n + 1, n + 11):
            f.write(stanza("linux-image-6.8.0-%d-generic" % k, "6.8.0-%d.1" % k))
    open(os.path.join(admin, "available"), "w").close()


def plan_ms(plan_only, root):
    r = subprocess.run([plan_only, "--phases", root], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("plan-only failed on %s: %s" % (root, r.stderr.strip()))
    for line in r.stdout.splitlines():
        if line.split()[:1] == ["plan"]:
            return float(line.split()[1])
    sys.exit("plan-only printed no plan phase:\n" + r.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="2000,4000,8000,16000")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    run = load_bench_run()
    work = tempfile.mkdtemp(prefix="pok-bench-ambiguous.")
    try:
        plan_only = build_plan_only(run, work)
        print("%8s %12s %8s" % ("packages", "plan (ms)", "ratio"))
        prev = None
        for n in sizes:
            root = os.path.join(work, "root-%d" % n)
            make_root(root, n)
            ms = statistics.median(plan_ms(plan_only, root) for _ in range(args.rounds))
            ratio = "%8.2f" % (ms / prev) if prev else "%8s" % "-"
            print("%8d %12.1f %s" % (n, ms, ratio))
            prev = ms
            shutil.rmtree(root)
        print("doubling the packages: a ratio near 2 is n log n, near 4 quadratic")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
