#!/usr/bin/python3
"""Generate a synthetic, realistic sandbox root for the benchmark.

    bench/genroot.py [--seed N] PACKAGES RELEASES DIR

writes DIR/var/lib/dpkg/{status,available,info/*.list,updates/}, the apt
directories (etc/apt/..., var/lib/apt/extended_states, var/cache/apt),
DIR/boot/{vmlinuz,initrd.img,config,System.map}-RELEASE (sparse files of
realistic sizes: no disk is used) and lib/modules/RELEASE/.

The status file holds PACKAGES packages in all, RELEASES of them kernel
releases of mixed schemes (Ubuntu with several flavours and HWE/cloud
sources, Ubuntu mainline, Debian stable, backports and 13, Raspberry Pi OS,
Proxmox, custom builds), each with its image, modules, headers and tools
and the flavour-less packages of its ABI; metapackages pointing at the
newest releases; the rest are libraries and programs with Depends, multi-line
descriptions and conffiles, every dependency satisfied. A few old releases
are left in config-files state, one is on hold. apt's extended_states marks
libraries and distribution kernels automatically installed (hand-installed
mainline and custom kernels are manual, as in real life), so that
`apt-get -s autoremove` proposes the old distribution kernels and nothing else.

The output is a function of (PACKAGES, RELEASES, seed) only.
"""

import argparse
import os
import random
import sys

GENERATOR_VERSION = 2

# ------------------------------------------------------------------ words

SYLLABLES = ("ba be bi bo bu da de di do du fa fe fi fo ga ge gi go ka ke ki "
             "ko ku la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po "
             "ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo xa xo "
             "za ze zi zo cor lin mux pix tar zip gtk kde net sql ssl xml "
             "yaml http font gnu qt").split()
LOREM = ("the a of for and with to in on this package provides library "
         "support files data tools utilities runtime shared development "
         "documentation plugin module interface command line client server "
         "daemon graphical system network protocol format parser engine "
         "bindings implementation configuration extension driver backend "
         "framework compatible fast small simple lightweight portable").split()
SECTIONS = ("libs utils admin net python devel text web graphics sound x11 "
            "gnome kde misc perl ruby javascript golang rust science math "
            "fonts doc database editors mail video shells otherosfs").split()
MAINTAINERS = ("Debian QA Group <packages@qa.debian.org>",
               "Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>",
               "Debian Python Team <team+python@tracker.debian.org>",
               "Debian Perl Group <pkg-perl-maintainers@lists.alioth.debian.org>",
               "Debian Go Packaging Team <team+pkg-go@tracker.debian.org>",
               "Debian Rust Maintainers <pkg-rust-maintainers@alioth-lists.debian.net>",
               "Debian Science Maintainers <debian-science-maintainers@lists.alioth.debian.org>",
               "Debian Fonts Task Force <debian-fonts@lists.debian.org>")


class Gen:
    def __init__(self, seed):
        self.rnd = random.Random(seed)
        self.used = set()

    def word(self, lo=2, hi=4):
        r = self.rnd
        return "".join(r.choice(SYLLABLES) for _ in range(r.randint(lo, hi)))

    def unique(self, make):
        while True:
            name = make()
            if name not in self.used and not name.startswith(("linux", "pve", "proxmox")):
                self.used.add(name)
                return name

    def description(self, name):
        r = self.rnd
        short = "%s - %s" % (name, " ".join(r.choice(LOREM) for _ in range(r.randint(3, 7))))
        lines = []
        for _ in range(r.randint(3, 9)):
            words = []
            while sum(len(w) + 1 for w in words) < 66:
                words.append(r.choice(LOREM))
            lines.append(" " + " ".join(words))
        if len(lines) > 3:
            lines.insert(2, " .")
        return short, lines

    def version(self):
        r = self.rnd
        v = "%d.%d.%d-%d" % (r.randint(0, 12), r.randint(0, 30), r.randint(0, 20), r.randint(1, 6))
        if r.random() < 0.2:
            v += "+b%d" % r.randint(1, 3)
        if r.random() < 0.05:
            v = "1:" + v
        return v


# ---------------------------------------------------------------- stanzas

class Pkg:
    __slots__ = ("rel", "name", "version", "arch", "section", "priority", "size",
                 "depends", "provides", "status", "source", "desc", "conffiles",
                 "multiarch", "auto", "files", "essential", "homepage", "recommends")

    def __init__(self, name, version, **kw):
        self.name = name
        self.version = version
        self.arch = kw.get("arch", "amd64")
        self.section = kw.get("section", "misc")
        self.priority = kw.get("priority", "optional")
        self.size = kw.get("size", 100)
        self.depends = kw.get("depends", [])
        self.provides = kw.get("provides", [])
        self.status = kw.get("status", "install ok installed")
        self.source = kw.get("source")
        self.desc = kw.get("desc")
        self.conffiles = kw.get("conffiles", [])
        self.multiarch = kw.get("multiarch")
        self.auto = kw.get("auto", False)
        self.files = kw.get("files", [])
        self.essential = kw.get("essential", False)
        self.rel = kw.get("rel")
        self.homepage = kw.get("homepage")
        self.recommends = kw.get("recommends", [])

    def stanza(self):
        out = ["Package: " + self.name, "Status: " + self.status]
        if self.essential:
            out.append("Essential: yes")
        out += ["Priority: " + self.priority, "Section: " + self.section,
                "Installed-Size: %d" % self.size,
                "Maintainer: " + self.desc[2], "Architecture: " + self.arch]
        if self.multiarch:
            out.append("Multi-Arch: " + self.multiarch)
        if self.source:
            out.append("Source: " + self.source)
        out.append("Version: " + self.version)
        if self.provides:
            out.append("Provides: " + ", ".join(self.provides))
        if self.depends:
            out.append("Depends: " + ", ".join(self.depends))
        if self.recommends:
            out.append("Recommends: " + ", ".join(self.recommends))
        if self.conffiles:
            out.append("Conffiles:")
            out += [" %s %s" % cf for cf in self.conffiles]
        out.append("Description: " + self.desc[0])
        out += self.desc[1]
        if self.homepage:
            out.append("Homepage: " + self.homepage)
        return "\n".join(out) + "\n"


KERNEL_MAINTAINERS = {
    "ubuntu": "Canonical Kernel Team <kernel-team@lists.ubuntu.com>",
    "debian": "Debian Kernel Team <debian-kernel@lists.debian.org>",
    "rpi": "Serge Schneider <serge@raspberrypi.com>",
    "pve": "Proxmox Support Team <support@proxmox.com>",
    "custom": "root <root@localhost>",
}


def kdesc(who, text):
    return ("Linux kernel " + text, [" This package contains the Linux kernel " + text + "."],
            KERNEL_MAINTAINERS[who])


class Kernels:
    """Releases of mixed schemes, newest last in each series."""

    # Which scheme each next release takes: mostly Ubuntu, every scheme early.
    PATTERN = ("ubuntu debian ubuntu mainline pve ubuntu backports custom ubuntu "
               "rpi ubuntu deb13 ubuntu debian ubuntu pve ubuntu mainline ubuntu "
               "backports").split()

    def __init__(self, gen, n_releases):
        self.g = gen
        self.r = gen.rnd
        self.pkgs = []          # every kernel package
        self.releases = []      # (release, scheme, installed image?)
        self.boot = []          # releases with files under /boot
        self.count = {s: 0 for s in set(self.PATTERN)}
        self.newest = {}        # scheme -> newest release
        self.shared_done = set()
        self.cur_rel = ""
        made = picks = 0
        while made < n_releases:
            scheme = self.PATTERN[picks] if picks < len(self.PATTERN) else \
                self.r.choice(self.PATTERN)
            picks += 1
            made += getattr(self, "make_" + scheme)(n_releases - made)

    # --- helpers
    def add(self, name, version, who, text, kind_size, files=(), depends=(),
            arch="amd64", auto=True, section="kernel", source=None, provides=(),
            rel=None):
        self.pkgs.append(Pkg(name, version, arch=arch, section=section,
                             rel=self.cur_rel if rel is None else rel,
                             size=kind_size, depends=list(depends),
                             provides=list(provides), source=source,
                             desc=kdesc(who, text), files=list(files), auto=auto,
                             priority="optional"))

    def boot_files(self, rel):
        return ["/boot/vmlinuz-" + rel, "/boot/config-" + rel,
                "/boot/System.map-" + rel]

    def module_files(self, rel, extra=False):
        base = "/lib/modules/" + rel
        names = ["modules.order", "modules.builtin", "kernel/fs/ext4/ext4.ko.zst",
                 "kernel/drivers/net/virtio_net.ko.zst"]
        if extra:
            names = ["kernel/drivers/gpu/drm/amd/amdgpu/amdgpu.ko.zst",
                     "kernel/sound/pci/hda/snd-hda-intel.ko.zst"]
        return [base] + ["%s/%s" % (base, n) for n in names]

    def shared_once(self, name, *args, **kw):
        if name in self.shared_done:
            return
        self.shared_done.add(name)
        self.add(name, *args, rel="", **kw)

    def release_done(self, rel, scheme, image_files=True):
        self.releases.append((rel, scheme))
        self.newest[scheme] = rel
        if image_files:
            self.boot.append(rel)
        return 1

    # --- schemes: each returns the number of releases it made
    def make_ubuntu(self, room):
        i = self.count["ubuntu"] = self.count["ubuntu"] + 1
        series = ("5.15.0", "6.5.0", "6.8.0")[min(2, (i * 3) // 400)]
        n = 20 + i * 3 + self.r.randint(0, 2)
        abi = "%s-%d" % (series, n)
        ver = "%s-%d.%d" % (series, n, n)
        source, flavours = "linux", ["generic"]
        roll = self.r.random()
        if roll < 0.15 and room >= 2:
            flavours = ["generic", "lowlatency"]
            source = "linux-lowlatency" if roll < 0.05 else "linux"
        elif roll < 0.25:
            source, flavours = "linux-aws", ["aws"]
        elif roll < 0.35:
            source = "linux-hwe-" + series.rsplit(".", 1)[0]
        ptag = "linux" if source == "linux" else source
        self.shared_once("%s-headers-%s" % (ptag, abi), ver, "ubuntu",
                         "headers for version " + abi, 78000, arch="all",
                         files=["/usr/src/%s-headers-%s/Makefile" % (ptag, abi)],
                         source=source)
        self.shared_once("%s-tools-%s" % (ptag, abi), ver, "ubuntu",
                         "tools for version " + abi, 26000,
                         depends=["linux-tools-common"], source=source,
                         files=["/usr/lib/linux-tools/%s/perf" % abi])
        for fl in flavours:
            rel = self.cur_rel = "%s-%s" % (abi, fl)
            self.add("linux-modules-" + rel, ver, "ubuntu", "modules for " + rel,
                     118000, files=self.module_files(rel) +
                     ["/boot/System.map-" + rel, "/boot/config-" + rel], source=source)
            self.add("linux-image-" + rel, ver, "ubuntu", "image for " + rel, 14500,
                     files=["/boot/vmlinuz-" + rel],
                     depends=["linux-modules-%s (= %s)" % (rel, ver)],
                     source="linux-signed" + source[5:])
            if fl != "aws":
                self.add("linux-modules-extra-" + rel, ver, "ubuntu",
                         "extra modules for " + rel, 390000,
                         files=self.module_files(rel, extra=True),
                         depends=["linux-image-%s | linux-image-unsigned-%s" % (rel, rel),
                                  "linux-modules-" + rel], source=source)
            self.add("linux-headers-" + rel, ver, "ubuntu", "headers for " + rel,
                     24000, depends=["%s-headers-%s" % (ptag, abi)], source=source,
                     files=["/usr/src/linux-headers-%s/.config" % rel])
            self.add("linux-tools-" + rel, ver, "ubuntu", "tools for " + rel, 3000,
                     depends=["%s-tools-%s" % (ptag, abi)], source=source,
                     files=["/usr/lib/linux-tools/%s" % rel])
            self.release_done(rel, "ubuntu-" + fl)
        return len(flavours)

    def make_mainline(self, room):
        i = self.count["mainline"] = self.count["mainline"] + 1
        minor, patch = 6 + i // 90, 1 + i % 90
        abi = "6.%d.%d-06%02d%02d" % (minor, patch, minor, patch)
        rel = self.cur_rel = abi + "-generic"
        ver = "%s.2024%02d%02d1200" % (abi, 1 + i % 12, 1 + i % 28)
        self.shared_once("linux-headers-" + abi, ver, "ubuntu", "headers for " + abi,
                         78000, arch="all", auto=False, source="linux")
        self.add("linux-modules-" + rel, ver, "ubuntu", "modules for " + rel, 118000,
                 files=self.module_files(rel) + ["/boot/System.map-" + rel,
                                                 "/boot/config-" + rel], auto=False)
        self.add("linux-image-unsigned-" + rel, ver, "ubuntu", "image for " + rel,
                 14500, files=["/boot/vmlinuz-" + rel], auto=False,
                 depends=["linux-modules-" + rel])
        self.add("linux-headers-" + rel, ver, "ubuntu", "headers for " + rel, 24000,
                 depends=["linux-headers-" + abi], auto=False)
        return self.release_done(rel, "mainline")

    def _debian(self, abi, rel, ver, common, kbuild, who="debian", common_suffix="-common"):
        self.cur_rel = rel
        self.shared_once("linux-headers-%s%s" % (abi, common_suffix), ver, who,
                         "common headers for " + abi, 56000, arch="all",
                         source="linux")
        deps = ["linux-headers-%s%s (= %s)" % (abi, common_suffix, ver)]
        if kbuild:
            deps.append(kbuild)
        self.add("linux-image-" + rel, ver, who, "image for " + rel, 400000,
                 files=self.boot_files(rel) + self.module_files(rel),
                 source="linux-signed-amd64" if who == "debian" else "linux")
        self.add("linux-headers-" + rel, ver, who, "headers for " + rel, 6000,
                 depends=deps, source="linux")
        return self.release_done(rel, common)

    def make_debian(self, room):
        i = self.count["debian"] = self.count["debian"] + 1
        abi = "6.1.0-%d" % (10 + i)
        return self._debian(abi, abi + "-amd64", "6.1.%d-1" % (60 + i * 3),
                            "debian", "linux-kbuild-6.1")

    def make_backports(self, room):
        i = self.count["backports"] = self.count["backports"] + 1
        abi = "6.%d.0-0.deb12.%d" % (5 + i // 50, 1 + i % 50)
        self.shared_once("linux-kbuild-" + abi, "6.5.%d-1~bpo12+1" % i, "debian",
                         "kbuild for " + abi, 1500, source="linux")
        return self._debian(abi, abi + "-amd64", "6.%d.%d-1~bpo12+1" % (5 + i // 50, i),
                            "backports", "linux-kbuild-" + abi)

    def make_deb13(self, room):
        i = self.count["deb13"] = self.count["deb13"] + 1
        abi = "6.12.%d+deb13" % (20 + i)
        return self._debian(abi, abi + "-amd64", "6.12.%d-1" % (20 + i), "deb13",
                            "linux-kbuild-6.12")

    def make_rpi(self, room):
        i = self.count["rpi"] = self.count["rpi"] + 1
        abi = "6.1.0-rpi%d" % (3 + i)
        return self._debian(abi, abi + "-rpi-v8", "1:6.1.%d-1+rpt1" % (50 + i), "rpi",
                            None, who="rpi", common_suffix="-common-rpi")

    def make_pve(self, room):
        i = self.count["pve"] = self.count["pve"] + 1
        rel = self.cur_rel = "6.8.%d-%d-pve" % (4 + i // 4, 1 + i % 4)
        ver = rel[:-4]
        self.add("proxmox-kernel-%s-signed" % rel, ver, "pve", "image for " + rel,
                 520000, files=self.boot_files(rel) + self.module_files(rel),
                 source="proxmox-kernel", section="admin")
        self.add("proxmox-headers-" + rel, ver, "pve", "headers for " + rel, 60000,
                 source="proxmox-kernel", section="devel")
        return self.release_done(rel, "pve")

    def make_custom(self, room):
        i = self.count["custom"] = self.count["custom"] + 1
        rel = self.cur_rel = "6.7.0-rc%d+" % i if i % 2 else "6.9.%d-custom" % i
        ver = "%s-%d" % (rel.rstrip("+"), i)
        self.add("linux-image-" + rel, ver, "custom", "image for " + rel, 450000,
                 files=self.boot_files(rel) + self.module_files(rel), auto=False,
                 source="linux-upstream")
        self.add("linux-headers-" + rel, ver, "custom", "headers for " + rel, 60000,
                 auto=False, source="linux-upstream")
        return self.release_done(rel, "custom")

    # --- after all releases: states, holds, metapackages
    def finish(self):
        pkgs_of = {}
        for p in self.pkgs:
            if p.rel:
                pkgs_of.setdefault(p.rel, []).append(p)
        n = len(self.releases)
        rc = set()
        if n >= 20:
            # A few old releases removed but not purged: config files left.
            for k in range(2, n // 2, 9):
                rc.add(self.releases[k][0])
            held = self.releases[n // 3][0]
        else:
            held = None
        for rel in rc:
            for p in pkgs_of.get(rel, []):
                p.status = "deinstall ok config-files"
                p.conffiles = [("/etc/kernel/postinst.d/kpurge-bench-" + p.name,
                                "0f343b0931126a20f133d67c2b018a3b")]
            if rel in self.boot:
                self.boot.remove(rel)
        if held:
            for p in pkgs_of.get(held, []):
                if "image" in p.name:
                    p.status = "hold ok installed"
        # Shared (flavour-less) packages of an ABI whose releases are all rc.
        metas = []
        nu = self.newest.get("ubuntu-generic")
        if nu:
            metas += [("linux-image-generic", ["linux-image-" + nu]),
                      ("linux-headers-generic", ["linux-headers-" + nu]),
                      ("linux-generic", ["linux-image-generic", "linux-headers-generic",
                                        "linux-firmware"])]
        nd = self.newest.get("debian")
        if nd:
            metas += [("linux-image-amd64", ["linux-image-" + nd]),
                      ("linux-headers-amd64", ["linux-headers-" + nd])]
        np_ = self.newest.get("pve")
        if np_:
            metas += [("proxmox-kernel-6.8", ["proxmox-kernel-%s-signed" % np_])]
        for name, deps in metas:
            who = "pve" if name.startswith("proxmox") else \
                  "debian" if name.endswith("amd64") else "ubuntu"
            self.pkgs.append(Pkg(name, "1.0", section="kernel", size=20, depends=deps,
                                 desc=kdesc(who, "metapackage " + name),
                                 auto=name != "linux-generic"))
        # Never part of a release: must not be purged by anyone.
        for name, arch, size in (("linux-libc-dev", "amd64", 7000),
                                 ("linux-firmware", "all", 900000),
                                 ("linux-base", "all", 60),
                                 ("linux-tools-common", "all", 900),
                                 ("linux-kbuild-6.1", "amd64", 1800),
                                 ("linux-kbuild-6.12", "amd64", 1900),
                                 ("firmware-linux-free", "all", 300)):
            # Depended on (tools, kbuild, linux-generic) or installed by hand.
            auto = name.startswith(("linux-tools", "linux-kbuild")) or \
                (name == "linux-firmware" and nu is not None)
            self.pkgs.append(Pkg(name, "6.1.76-1", arch=arch, section="kernel",
                                 size=size, desc=kdesc("debian", name), auto=auto))


def make_system(packages, releases, seed):
    g = Gen(seed)
    k = Kernels(g, releases)
    k.finish()
    for p in k.pkgs:
        g.used.add(p.name)
    n_other = packages - len(k.pkgs)
    if n_other < 50:
        sys.exit("genroot: %d packages cannot hold %d releases (%d kernel packages)"
                 % (packages, releases, len(k.pkgs)))
    r = g.rnd
    pkgs = list(k.pkgs)
    # Base system, then libraries (auto) and programs (manual).
    base = []
    for name in ("libc6", "libgcc-s1", "libstdc++6", "zlib1g", "dpkg", "apt",
                 "base-files", "bash", "coreutils", "tar", "gzip", "sed",
                 "grep", "findutils", "util-linux", "perl-base", "debconf",
                 "python3", "python3-minimal", "systemd", "udev", "kmod",
                 "initramfs-tools", "grub-efi-amd64"):
        base.append(Pkg(name, "2.36-9+deb12u4" if name == "libc6" else g.version(),
                        section="admin", priority="required",
                        size=r.randint(100, 8000), desc=None,
                        essential=name in ("dpkg", "bash", "coreutils", "tar", "base-files"),
                        depends=["libc6"] if name != "libc6" else []))
        g.used.add(name)
    n_other -= len(base)
    n_libs = n_other * 3 // 4
    libs, apps = [], []
    for i in range(n_libs):
        kind = r.random()
        if kind < 0.55:
            name = g.unique(lambda: "lib%s%d" % (g.word(), r.randint(0, 9)))
            sec, ma = "libs", "same"
        elif kind < 0.7:
            name = g.unique(lambda: "%s-common" % g.word())
            sec, ma = "misc", "foreign"
        elif kind < 0.85:
            name = g.unique(lambda: "python3-%s" % g.word())
            sec, ma = "python", None
        else:
            name = g.unique(lambda: "%s-data" % g.word())
            sec, ma = "misc", "foreign"
        deps = ["libc6 (>= 2.%d)" % r.randint(14, 36)]
        if libs:
            for d in r.sample(libs[-400:], min(len(libs[-400:]), r.randint(0, 3))):
                deps.append(d.name)
        p = Pkg(name, g.version(), section=sec, multiarch=ma, auto=True,
                arch="all" if ma == "foreign" else "amd64",
                size=r.randint(20, 5000), depends=deps, desc=None)
        libs.append(p)
    for i in range(n_other - n_libs):
        kind = r.random()
        if kind < 0.6:
            name = g.unique(lambda: g.word())
        elif kind < 0.75:
            name = g.unique(lambda: "%s-utils" % g.word())
        elif kind < 0.85:
            name = g.unique(lambda: "fonts-%s" % g.word())
        else:
            name = g.unique(lambda: "golang-%s-dev" % g.word())
        p = Pkg(name, g.version(), section=r.choice(SECTIONS), size=r.randint(50, 40000),
                depends=["libc6"], desc=None)
        if r.random() < 0.15:
            p.conffiles = [("/etc/%s/%s.conf" % (name, w), "%032x" % r.getrandbits(128))
                           for w in (g.word(1, 2) for _ in range(r.randint(1, 3)))]
        apps.append(p)
    # Some programs removed long ago, configuration left: no dependencies.
    rc_apps = set(id(p) for p in r.sample(apps, len(apps) // 60))
    live = [a for a in apps if id(a) not in rc_apps]
    for p in apps:
        if id(p) in rc_apps:
            p.status = "deinstall ok config-files"
            p.depends = []
            if not p.conffiles:
                p.conffiles = [("/etc/%s.conf" % p.name, "%032x" % r.getrandbits(128))]
    # Every library has an installed program (manual) that needs it, so
    # `apt-get autoremove` proposes kernels and nothing else.
    for i, lib in enumerate(libs):
        live[i % len(live)].depends.append(lib.name)
    for app in live:
        for d in r.sample(libs, min(len(libs), r.randint(0, 4))):
            if d.name not in app.depends:
                app.depends.append(d.name)
    lib_ids = set(id(p) for p in libs)
    for p in base + libs + apps:
        short, long_ = g.description(p.name)
        p.desc = (short, long_, r.choice(MAINTAINERS))
        if r.random() < 0.6:
            p.homepage = "https://%s.example.org/" % p.name.split("-")[0]
        if id(p) in lib_ids and r.random() < 0.5:
            p.source = p.name.split("-")[0].rstrip("0123456789") or None
        if id(p) not in rc_apps and id(p) not in lib_ids and r.random() < 0.2:
            # Recommends of what is there: apt keeps them, nothing dangles.
            p.recommends = [d.name for d in r.sample(libs, min(2, len(libs)))]
    pkgs += base + libs + apps
    pkgs.sort(key=lambda p: p.name)
    return pkgs, k


def sparse(path, size):
    with open(path, "wb") as f:
        f.truncate(size)


def write_root(root, packages, releases, seed=42, archive=None):
    """The root; archive: None (no lists), "host" (this machine's lists,
    copy_host_lists) or a number of packages (write_archive)."""
    pkgs, k = make_system(packages, releases, seed)
    for d in ("var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers",
              "var/lib/dpkg/alternatives", "var/lib/apt/lists/partial",
              "var/cache/apt/archives/partial", "var/log/apt", "etc/apt/apt.conf.d",
              "etc/apt/preferences.d", "etc/apt/sources.list.d", "etc/apt/trusted.gpg.d",
              "boot", "lib/modules", "usr/src", "run"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    open(os.path.join(root, "etc/apt/sources.list"), "w").close()
    # purge-old-kernels.conf(5): the hook and the job only report here.
    with open(os.path.join(root, "etc/purge-old-kernels.conf"), "w") as f:
        f.write("# Written by bench/genroot.py.\nAUTO=no\n")
    open(os.path.join(root, "var/lib/dpkg/available"), "w").close()
    with open(os.path.join(root, "var/lib/dpkg/status"), "w") as f:
        f.write("\n".join(p.stanza() for p in pkgs) + "\n")
    with open(os.path.join(root, "var/lib/apt/extended_states"), "w") as f:
        for p in pkgs:
            if p.auto and p.status != "deinstall ok config-files":
                f.write("Package: %s\nArchitecture: %s\nAuto-Installed: 1\n\n"
                        % (p.name, "amd64" if p.arch == "all" else p.arch))
    info = os.path.join(root, "var/lib/dpkg/info")
    for p in k.pkgs:
        if p.status.endswith("config-files"):
            continue
        dirs = set()
        for f in p.files:
            d = os.path.dirname(f)
            while d not in ("/", ""):
                dirs.add(d)
                d = os.path.dirname(d)
        with open(os.path.join(info, p.name + ".list"), "w") as f:
            f.write("/.\n" + "".join(d + "\n" for d in sorted(dirs)) +
                    "".join(x + "\n" for x in p.files))
    r = random.Random(seed + 1)
    for rel in k.boot:
        b = os.path.join(root, "boot")
        sparse(os.path.join(b, "vmlinuz-" + rel), r.randint(11, 15) << 20)
        sparse(os.path.join(b, "initrd.img-" + rel), r.randint(40, 75) << 20)
        sparse(os.path.join(b, "config-" + rel), 280000 + r.randint(0, 9000))
        sparse(os.path.join(b, "System.map-" + rel), (8 << 20) + r.randint(0, 99999))
        os.makedirs(os.path.join(root, "lib/modules", rel), exist_ok=True)
    info = {"packages": len(pkgs), "releases": len(k.releases),
            "kernel_packages": len(k.pkgs),
            "status_bytes": os.path.getsize(os.path.join(root, "var/lib/dpkg/status"))}
    if archive == "host":
        info["archive"] = "this machine's lists (%d files)" % copy_host_lists(root)
    elif archive:
        a = write_archive(root, int(archive), seed, pkgs)
        info["archive"] = "generated: %d packages, %.0f MiB of lists" % (
            a["archive_packages"], a["archive_bytes"] / 2**20)
    return info


# --------------------------------------------------------------- archives

HOST_LISTS = "/var/lib/apt/lists"


def host_lists_usable():
    """Does this machine have archive lists (after apt-get update)?"""
    try:
        return any("_Packages" in f for f in os.listdir(HOST_LISTS))
    except OSError:
        return False


def copy_host_lists(root):
    """This machine's real archive lists and the sources they come from,
    into root, as apt-get update left them. Returns the number of files."""
    lists = os.path.join(root, "var/lib/apt/lists")
    n = 0
    for f in sorted(os.listdir(HOST_LISTS)):
        src = os.path.join(HOST_LISTS, f)
        if f == "lock" or not os.path.isfile(src):
            continue
        with open(src, "rb") as i, open(os.path.join(lists, f), "wb") as o:
            o.write(i.read())
        st = os.stat(src)
        os.utime(os.path.join(lists, f), ns=(st.st_atime_ns, st.st_mtime_ns))
        n += 1
    etc = "/etc/apt"
    for rel in ["sources.list"] + ["sources.list.d/" + f for f in sorted(
            os.listdir(os.path.join(etc, "sources.list.d")))]:
        if rel.endswith((".list", ".sources")) and os.path.isfile(os.path.join(etc, rel)):
            with open(os.path.join(etc, rel)) as i, \
                    open(os.path.join(root, "etc/apt", rel), "w") as o:
                o.write(i.read())
    return n


UBUNTU_SUITES = (("jammy", "main", 0.06), ("jammy", "universe", 0.74),
                 ("jammy-updates", "main", 0.12), ("jammy-security", "main", 0.08))


def write_archive(root, n, seed, installed):
    """An Ubuntu-sized archive of n packages across main, universe, updates
    and security, as apt-get update leaves it (uncompressed lists, no
    Release files), with the installed packages in it too. Returns the
    number of packages and bytes written."""
    g = Gen(seed + 7)
    g.used.update(p.name for p in installed)
    r = g.rnd
    names = [p for p in installed if p.status == "install ok installed"]
    lines = ["deb http://archive.invalid/ubuntu %s %s" % (s, c) for s, c, _ in UBUNTU_SUITES]
    with open(os.path.join(root, "etc/apt/sources.list"), "w") as f:
        f.write("\n".join(lines) + "\n")
    lists = os.path.join(root, "var/lib/apt/lists")
    total, written = 0, 0
    pool = []
    for i, (suite, comp, share) in enumerate(UBUNTU_SUITES):
        count = int(n * share) if i < len(UBUNTU_SUITES) - 1 else n - total
        total += count
        path = os.path.join(lists, "archive.invalid_ubuntu_dists_%s_%s_binary-amd64_Packages"
                            % (suite, comp))
        with open(path, "w") as f:
            for j in range(count):
                if i == 0 and j < len(names):
                    name, version = names[j].name, names[j].version
                elif i >= 2 and pool and r.random() < 0.7:
                    name, version = r.choice(pool), g.version()  # an update
                else:
                    name, version = g.unique(lambda: g.word(2, 5)), g.version()
                    pool.append(name)
                deps = ["libc6 (>= 2.%d)" % r.randint(14, 35)] + \
                    [r.choice(pool) for _ in range(r.randint(0, 3)) if pool]
                short, long_ = g.description(name)
                text = ("Package: %s\nArchitecture: amd64\nVersion: %s\n"
                        "Priority: optional\nSection: %s\nOrigin: Ubuntu\n"
                        "Maintainer: %s\nInstalled-Size: %d\nDepends: %s\n"
                        "Filename: pool/%s/%s/%s/%s_%s_amd64.deb\nSize: %d\n"
                        "MD5sum: %032x\nSHA256: %064x\nDescription: %s\n%s\n"
                        "Description-md5: %032x\n\n" % (
                            name, version, r.choice(SECTIONS), r.choice(MAINTAINERS),
                            r.randint(20, 9000), ", ".join(dict.fromkeys(deps)), comp,
                            name[0], name, name, version.split(":")[-1],
                            r.randint(2000, 900000), r.getrandbits(128),
                            r.getrandbits(256), short, "\n".join(long_),
                            r.getrandbits(128)))
                f.write(text)
                written += len(text)
    return {"archive_packages": total, "archive_bytes": written}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("packages", type=int)
    ap.add_argument("releases", type=int)
    ap.add_argument("dir")
    a = ap.parse_args()
    print(write_root(a.dir, a.packages, a.releases, a.seed))


if __name__ == "__main__":
    main()
