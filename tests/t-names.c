/*
 * t-names - kernel package names: one row per package of every naming
 * scheme, one row per name that must never be taken for a kernel.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kpurge-app.h"
#include "kpurge.h"
#include "kpurge-private.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct name_row {
	const char *name;
	enum kp_kind kind;
	bool shared;
	bool ambiguous;
	const char *release;
	const char *abi;
	const char *flavour;
};

/* A package of release R = ABI-FLAVOUR (FLAVOUR may be ""). */
#define REL(n, k, r, a, f)                                                     \
	{                                                                      \
		n, KP_KIND_##k, false, false, r, a, f                          \
	}
/* A flavour-less package shared by every release of ABI A. */
#define SHARED(n, k, a)                                                        \
	{                                                                      \
		n, KP_KIND_##k, true, false, "", a, ""                         \
	}
/* linux-headers-X and co.: release X if its image is there, else shared. */
#define AMBIG(n, k, a)                                                         \
	{                                                                      \
		n, KP_KIND_##k, true, true, a, a, ""                           \
	}

static const struct name_row kernel_rows[] = {
	/* Ubuntu GA */
	REL("linux-image-5.15.0-91-generic", IMAGE, "5.15.0-91-generic",
	    "5.15.0-91", "generic"),
	REL("linux-image-unsigned-5.15.0-91-generic", IMAGE,
	    "5.15.0-91-generic", "5.15.0-91", "generic"),
	REL("linux-modules-5.15.0-91-generic", MODULES, "5.15.0-91-generic",
	    "5.15.0-91", "generic"),
	REL("linux-modules-extra-5.15.0-91-generic", MODULES,
	    "5.15.0-91-generic", "5.15.0-91", "generic"),
	REL("linux-headers-5.15.0-91-generic", HEADERS, "5.15.0-91-generic",
	    "5.15.0-91", "generic"),
	REL("linux-tools-5.15.0-91-generic", TOOLS, "5.15.0-91-generic",
	    "5.15.0-91", "generic"),
	REL("linux-cloud-tools-5.15.0-91-generic", TOOLS, "5.15.0-91-generic",
	    "5.15.0-91", "generic"),
	REL("linux-buildinfo-5.15.0-91-generic", OTHER, "5.15.0-91-generic",
	    "5.15.0-91", "generic"),
	REL("linux-lib-rust-6.8.0-31-generic", OTHER, "6.8.0-31-generic",
	    "6.8.0-31", "generic"),
	REL("linux-image-5.15.0-91-generic-dbgsym", DEBUG, "5.15.0-91-generic",
	    "5.15.0-91", "generic"),
	REL("linux-image-unsigned-5.15.0-91-generic-dbgsym", DEBUG,
	    "5.15.0-91-generic", "5.15.0-91", "generic"),
	REL("linux-image-5.15.0-101-generic", IMAGE, "5.15.0-101-generic",
	    "5.15.0-101", "generic"),
	AMBIG("linux-headers-5.15.0-91", HEADERS, "5.15.0-91"),
	AMBIG("linux-tools-5.15.0-91", TOOLS, "5.15.0-91"),
	AMBIG("linux-cloud-tools-5.15.0-91", TOOLS, "5.15.0-91"),
	/* Ubuntu, older: signed images and image-extra (xenial) */
	REL("linux-signed-image-4.4.0-21-generic", IMAGE, "4.4.0-21-generic",
	    "4.4.0-21", "generic"),
	REL("linux-image-extra-4.4.0-21-generic", MODULES, "4.4.0-21-generic",
	    "4.4.0-21", "generic"),
	REL("linux-image-4.15.0-213-generic-pae", IMAGE,
	    "4.15.0-213-generic-pae", "4.15.0-213", "generic-pae"),
	/* Ubuntu restricted modules */
	REL("linux-modules-nvidia-535-5.15.0-91-generic", MODULES,
	    "5.15.0-91-generic", "5.15.0-91", "generic"),
	REL("linux-modules-nvidia-535-server-5.15.0-91-generic", MODULES,
	    "5.15.0-91-generic", "5.15.0-91", "generic"),
	REL("linux-modules-nvidia-550-open-6.8.0-31-generic", MODULES,
	    "6.8.0-31-generic", "6.8.0-31", "generic"),
	REL("linux-modules-nvidia-535-server-open-6.8.0-31-generic", MODULES,
	    "6.8.0-31-generic", "6.8.0-31", "generic"),
	REL("linux-modules-nvidia-470-6.8.0-31-lowlatency", MODULES,
	    "6.8.0-31-lowlatency", "6.8.0-31", "lowlatency"),
	REL("linux-objects-nvidia-535-5.15.0-91-generic", MODULES,
	    "5.15.0-91-generic", "5.15.0-91", "generic"),
	REL("linux-objects-nvidia-535-server-open-6.8.0-31-generic", MODULES,
	    "6.8.0-31-generic", "6.8.0-31", "generic"),
	REL("linux-signatures-nvidia-5.15.0-91-generic", OTHER,
	    "5.15.0-91-generic", "5.15.0-91", "generic"),
	REL("linux-modules-ipu6-6.5.0-1009-oem", MODULES, "6.5.0-1009-oem",
	    "6.5.0-1009", "oem"),
	REL("linux-modules-ivsc-6.5.0-1009-oem", MODULES, "6.5.0-1009-oem",
	    "6.5.0-1009", "oem"),
	REL("linux-modules-iwlwifi-6.5.0-1009-oem", MODULES, "6.5.0-1009-oem",
	    "6.5.0-1009", "oem"),
	REL("linux-modules-usbio-6.8.0-1006-oem", MODULES, "6.8.0-1006-oem",
	    "6.8.0-1006", "oem"),
	/* Ubuntu HWE */
	REL("linux-image-6.8.0-31-generic", IMAGE, "6.8.0-31-generic",
	    "6.8.0-31", "generic"),
	SHARED("linux-hwe-6.8-headers-6.8.0-31", HEADERS, "6.8.0-31"),
	SHARED("linux-hwe-6.8-tools-6.8.0-31", TOOLS, "6.8.0-31"),
	SHARED("linux-hwe-6.8-cloud-tools-6.8.0-31", TOOLS, "6.8.0-31"),
	SHARED("linux-hwe-5.15-headers-5.15.0-91", HEADERS, "5.15.0-91"),
	/* Ubuntu lowlatency, generic-64k */
	REL("linux-image-6.8.0-31-lowlatency", IMAGE, "6.8.0-31-lowlatency",
	    "6.8.0-31", "lowlatency"),
	SHARED("linux-lowlatency-headers-6.8.0-31", HEADERS, "6.8.0-31"),
	SHARED("linux-lowlatency-hwe-6.8-headers-6.8.0-31", HEADERS,
	       "6.8.0-31"),
	SHARED("linux-lowlatency-hwe-6.8-tools-6.8.0-31", TOOLS, "6.8.0-31"),
	REL("linux-image-6.8.0-31-generic-64k", IMAGE, "6.8.0-31-generic-64k",
	    "6.8.0-31", "generic-64k"),
	REL("linux-headers-6.8.0-31-generic-64k", HEADERS,
	    "6.8.0-31-generic-64k", "6.8.0-31", "generic-64k"),
	/* Ubuntu cloud and OEM kernels */
	REL("linux-image-6.8.0-1008-aws", IMAGE, "6.8.0-1008-aws", "6.8.0-1008",
	    "aws"),
	SHARED("linux-aws-headers-6.8.0-1008", HEADERS, "6.8.0-1008"),
	SHARED("linux-aws-cloud-tools-6.8.0-1008", TOOLS, "6.8.0-1008"),
	SHARED("linux-aws-6.5-tools-6.5.0-1014", TOOLS, "6.5.0-1014"),
	REL("linux-image-6.8.0-1007-azure", IMAGE, "6.8.0-1007-azure",
	    "6.8.0-1007", "azure"),
	REL("linux-image-5.15.0-1051-azure-fde", IMAGE, "5.15.0-1051-azure-fde",
	    "5.15.0-1051", "azure-fde"),
	SHARED("linux-azure-headers-6.8.0-1007", HEADERS, "6.8.0-1007"),
	SHARED("linux-azure-cloud-tools-6.8.0-1007", TOOLS, "6.8.0-1007"),
	REL("linux-image-6.8.0-1007-gcp", IMAGE, "6.8.0-1007-gcp", "6.8.0-1007",
	    "gcp"),
	SHARED("linux-gcp-tools-6.8.0-1007", TOOLS, "6.8.0-1007"),
	REL("linux-modules-6.8.0-1005-oracle", MODULES, "6.8.0-1005-oracle",
	    "6.8.0-1005", "oracle"),
	SHARED("linux-oracle-headers-6.8.0-1005", HEADERS, "6.8.0-1005"),
	REL("linux-image-5.15.0-1048-kvm", IMAGE, "5.15.0-1048-kvm",
	    "5.15.0-1048", "kvm"),
	SHARED("linux-kvm-headers-5.15.0-1048", HEADERS, "5.15.0-1048"),
	REL("linux-image-6.1.0-1020-oem", IMAGE, "6.1.0-1020-oem", "6.1.0-1020",
	    "oem"),
	SHARED("linux-oem-6.1-headers-6.1.0-1020", HEADERS, "6.1.0-1020"),
	SHARED("linux-oem-6.1-tools-6.1.0-1020", TOOLS, "6.1.0-1020"),
	REL("linux-image-6.8.0-1004-raspi", IMAGE, "6.8.0-1004-raspi",
	    "6.8.0-1004", "raspi"),
	REL("linux-modules-extra-6.8.0-1004-raspi", MODULES, "6.8.0-1004-raspi",
	    "6.8.0-1004", "raspi"),
	SHARED("linux-raspi-headers-6.8.0-1004", HEADERS, "6.8.0-1004"),
	/* Ubuntu mainline (kernel.ubuntu.com), final and release candidate */
	REL("linux-image-unsigned-6.6.1-060601-generic", IMAGE,
	    "6.6.1-060601-generic", "6.6.1-060601", "generic"),
	REL("linux-modules-6.6.1-060601-generic", MODULES,
	    "6.6.1-060601-generic", "6.6.1-060601", "generic"),
	REL("linux-headers-6.6.1-060601-generic", HEADERS,
	    "6.6.1-060601-generic", "6.6.1-060601", "generic"),
	REL("linux-image-unsigned-6.6.1-060601-lowlatency", IMAGE,
	    "6.6.1-060601-lowlatency", "6.6.1-060601", "lowlatency"),
	AMBIG("linux-headers-6.6.1-060601", HEADERS, "6.6.1-060601"),
	REL("linux-image-unsigned-6.7.0-060700rc1-generic", IMAGE,
	    "6.7.0-060700rc1-generic", "6.7.0-060700rc1", "generic"),
	AMBIG("linux-headers-6.7.0-060700rc1", HEADERS, "6.7.0-060700rc1"),
	/* Debian stable */
	REL("linux-image-6.1.0-18-amd64", IMAGE, "6.1.0-18-amd64", "6.1.0-18",
	    "amd64"),
	REL("linux-image-6.1.0-18-amd64-unsigned", IMAGE, "6.1.0-18-amd64",
	    "6.1.0-18", "amd64"),
	REL("linux-image-6.1.0-18-amd64-dbg", DEBUG, "6.1.0-18-amd64",
	    "6.1.0-18", "amd64"),
	REL("linux-headers-6.1.0-18-amd64", HEADERS, "6.1.0-18-amd64",
	    "6.1.0-18", "amd64"),
	REL("linux-image-6.1.0-18-cloud-amd64", IMAGE, "6.1.0-18-cloud-amd64",
	    "6.1.0-18", "cloud-amd64"),
	REL("linux-image-6.1.0-18-cloud-amd64-dbg", DEBUG,
	    "6.1.0-18-cloud-amd64", "6.1.0-18", "cloud-amd64"),
	REL("linux-image-6.1.0-18-rt-amd64", IMAGE, "6.1.0-18-rt-amd64",
	    "6.1.0-18", "rt-amd64"),
	REL("linux-headers-6.1.0-18-rt-amd64", HEADERS, "6.1.0-18-rt-amd64",
	    "6.1.0-18", "rt-amd64"),
	REL("linux-image-6.1.0-18-arm64", IMAGE, "6.1.0-18-arm64", "6.1.0-18",
	    "arm64"),
	SHARED("linux-headers-6.1.0-18-common", HEADERS, "6.1.0-18"),
	SHARED("linux-headers-6.1.0-18-common-rt", HEADERS, "6.1.0-18"),
	SHARED("linux-support-6.1.0-18", OTHER, "6.1.0-18"),
	REL("linux-image-3.16.0-4-amd64", IMAGE, "3.16.0-4-amd64", "3.16.0-4",
	    "amd64"),
	/* Debian flavours that start with a digit: i386, mips */
	REL("linux-image-2.6.32-5-686-bigmem", IMAGE, "2.6.32-5-686-bigmem",
	    "2.6.32-5", "686-bigmem"),
	REL("linux-image-6.1.0-18-686-pae", IMAGE, "6.1.0-18-686-pae",
	    "6.1.0-18", "686-pae"),
	REL("linux-headers-6.1.0-18-686-pae", HEADERS, "6.1.0-18-686-pae",
	    "6.1.0-18", "686-pae"),
	REL("linux-image-6.1.0-18-686-pae-unsigned", IMAGE, "6.1.0-18-686-pae",
	    "6.1.0-18", "686-pae"),
	REL("linux-image-6.5.0-0.deb12.4-686", IMAGE, "6.5.0-0.deb12.4-686",
	    "6.5.0-0.deb12.4", "686"),
	REL("linux-image-6.1.0-18-4kc-malta", IMAGE, "6.1.0-18-4kc-malta",
	    "6.1.0-18", "4kc-malta"),
	REL("linux-headers-6.1.0-18-allwinner", HEADERS, "6.1.0-18-allwinner",
	    "6.1.0-18", "allwinner"),
	/* Debian backports, old (bpo) and new (debNN) */
	REL("linux-image-4.19.0-0.bpo.6-amd64", IMAGE, "4.19.0-0.bpo.6-amd64",
	    "4.19.0-0.bpo.6", "amd64"),
	REL("linux-image-6.5.0-0.deb12.4-amd64", IMAGE, "6.5.0-0.deb12.4-amd64",
	    "6.5.0-0.deb12.4", "amd64"),
	REL("linux-image-6.5.0-0.deb12.4-amd64-unsigned", IMAGE,
	    "6.5.0-0.deb12.4-amd64", "6.5.0-0.deb12.4", "amd64"),
	REL("linux-headers-6.5.0-0.deb12.4-amd64", HEADERS,
	    "6.5.0-0.deb12.4-amd64", "6.5.0-0.deb12.4", "amd64"),
	SHARED("linux-headers-6.5.0-0.deb12.4-common", HEADERS,
	       "6.5.0-0.deb12.4"),
	SHARED("linux-kbuild-6.5.0-0.deb12.4", OTHER, "6.5.0-0.deb12.4"),
	SHARED("linux-support-6.5.0-0.deb12.4", OTHER, "6.5.0-0.deb12.4"),
	/* Debian 13 and later (and bookworm's 6.12 backport) */
	REL("linux-image-6.12.107+deb12-amd64", IMAGE, "6.12.107+deb12-amd64",
	    "6.12.107+deb12", "amd64"),
	REL("linux-image-6.12.38+deb13-amd64", IMAGE, "6.12.38+deb13-amd64",
	    "6.12.38+deb13", "amd64"),
	REL("linux-image-6.12.38+deb13-amd64-dbg", DEBUG, "6.12.38+deb13-amd64",
	    "6.12.38+deb13", "amd64"),
	REL("linux-image-6.12.38+deb13-amd64-unsigned", IMAGE,
	    "6.12.38+deb13-amd64", "6.12.38+deb13", "amd64"),
	REL("linux-headers-6.12.38+deb13-cloud-amd64", HEADERS,
	    "6.12.38+deb13-cloud-amd64", "6.12.38+deb13", "cloud-amd64"),
	SHARED("linux-headers-6.12.38+deb13-common", HEADERS, "6.12.38+deb13"),
	SHARED("linux-kbuild-6.12.38+deb13", OTHER, "6.12.38+deb13"),
	SHARED("linux-support-6.12.38+deb13", OTHER, "6.12.38+deb13"),
	/* Raspberry Pi OS, -rpiN and +rpt ABIs */
	REL("linux-image-6.1.0-rpi7-rpi-v8", IMAGE, "6.1.0-rpi7-rpi-v8",
	    "6.1.0-rpi7", "rpi-v8"),
	REL("linux-image-6.1.0-rpi7-rpi-v7l", IMAGE, "6.1.0-rpi7-rpi-v7l",
	    "6.1.0-rpi7", "rpi-v7l"),
	REL("linux-headers-6.1.0-rpi7-rpi-2712", HEADERS, "6.1.0-rpi7-rpi-2712",
	    "6.1.0-rpi7", "rpi-2712"),
	SHARED("linux-headers-6.1.0-rpi7-common-rpi", HEADERS, "6.1.0-rpi7"),
	SHARED("linux-kbuild-6.1.0-rpi7", OTHER, "6.1.0-rpi7"),
	REL("linux-image-6.6.31+rpt-rpi-2712", IMAGE, "6.6.31+rpt-rpi-2712",
	    "6.6.31+rpt", "rpi-2712"),
	SHARED("linux-headers-6.6.31+rpt-common-rpi", HEADERS, "6.6.31+rpt"),
	/* Proxmox, old and new names */
	REL("pve-kernel-5.15.143-1-pve", IMAGE, "5.15.143-1-pve", "5.15.143-1",
	    "pve"),
	REL("pve-headers-5.15.143-1-pve", HEADERS, "5.15.143-1-pve",
	    "5.15.143-1", "pve"),
	REL("proxmox-kernel-6.8.12-4-pve-signed", IMAGE, "6.8.12-4-pve",
	    "6.8.12-4", "pve"),
	REL("proxmox-kernel-6.8.12-4-pve", IMAGE, "6.8.12-4-pve", "6.8.12-4",
	    "pve"),
	REL("proxmox-headers-6.8.12-4-pve", HEADERS, "6.8.12-4-pve", "6.8.12-4",
	    "pve"),
	/* custom builds (make bindeb-pkg) */
	REL("linux-image-6.7.0-rc1+", IMAGE, "6.7.0-rc1+", "6.7.0-rc1+", ""),
	REL("linux-image-6.7.0-rc1+-dbg", DEBUG, "6.7.0-rc1+", "6.7.0-rc1+",
	    ""),
	AMBIG("linux-headers-6.7.0-rc1+", HEADERS, "6.7.0-rc1+"),
	REL("linux-image-6.7.0-rc1", IMAGE, "6.7.0-rc1", "6.7.0-rc1", ""),
	REL("linux-image-6.6.1-custom", IMAGE, "6.6.1-custom", "6.6.1",
	    "custom"),
	REL("linux-image-6.6.1-custom-dbg", DEBUG, "6.6.1-custom", "6.6.1",
	    "custom"),
	REL("linux-headers-6.6.1-custom", HEADERS, "6.6.1-custom", "6.6.1",
	    "custom"),
	REL("linux-image-6.6.1-custom+", IMAGE, "6.6.1-custom+", "6.6.1",
	    "custom+"),
	REL("linux-image-6.7.0-rc1-my-build", IMAGE, "6.7.0-rc1-my-build",
	    "6.7.0-rc1", "my-build"),
	REL("linux-image-6.6.1", IMAGE, "6.6.1", "6.6.1", ""),
	AMBIG("linux-headers-6.6.1", HEADERS, "6.6.1"),
	REL("linux-image-6.6.1.2-local", IMAGE, "6.6.1.2-local", "6.6.1.2",
	    "local"),
};

/* Names that must never be taken for a kernel package. */
static const char *const never_rows[] = {
	/* metapackages, Ubuntu */
	"linux-generic",
	"linux-image-generic",
	"linux-headers-generic",
	"linux-generic-hwe-22.04",
	"linux-image-generic-hwe-22.04",
	"linux-headers-generic-hwe-22.04",
	"linux-tools-generic-hwe-22.04",
	"linux-image-virtual",
	"linux-image-extra-virtual",
	"linux-headers-virtual",
	"linux-cloud-tools-virtual",
	"linux-image-generic-64k",
	"linux-headers-generic-64k",
	"linux-image-oem-22.04",
	"linux-aws",
	"linux-image-aws",
	"linux-headers-aws",
	"linux-raspi",
	"linux-image-raspi",
	"linux-lowlatency-hwe-22.04",
	"linux-image-6.8-generic",
	"linux-image-unsigned-generic",
	"linux-modules-nvidia-535-generic-hwe-22.04",
	"linux-modules-nvidia-535-generic",
	"linux-modules-nvidia-535-server-open-generic-hwe-22.04",
	"linux-objects-nvidia-535-generic",
	"linux-signatures-nvidia-generic",
	"linux-modules-ipu6-generic-hwe-22.04",
	"linux-modules-iwlwifi-oem-22.04",
	/* metapackages, Debian and Proxmox */
	"linux-image-amd64",
	"linux-headers-amd64",
	"linux-image-cloud-amd64",
	"linux-image-rt-amd64",
	"linux-headers-cloud-amd64",
	"linux-image-arm64",
	"proxmox-kernel-6.8",
	"proxmox-headers-6.8",
	"pve-kernel-6.2",
	"pve-kernel-5.15",
	"pve-headers-5.15",
	"pve-headers",
	"proxmox-default-kernel",
	"proxmox-ve",
	"proxmox-kernel-6.8.12-4-pve-signed-template",
	"pve-kernel-6.8.12-4-custom",
	"linux-image-6.12-amd64",
	"linux-headers-6.12-amd64",
	"linux-image-6.12-amd64-dbg",
	"linux-image-amd64-dbg",
	"linux-image-amd64-signed-template",
	"linux-image-6.12-amd64-signed-template",
	"linux-headers-6.12-rt-amd64",
	/* shared packages of no release */
	"linux-libc-dev",
	"linux-firmware",
	"firmware-linux-nonfree",
	"firmware-realtek",
	"linux-base",
	"linux-tools-common",
	"linux-cloud-tools-common",
	"linux-tools-host",
	"linux-hwe-6.8-tools-common",
	"linux-kbuild-6.1",
	"linux-kbuild-6.12",
	"linux-source",
	"linux-source-6.1",
	"linux-source-6.8.0",
	"linux-doc",
	"linux-doc-6.1",
	"linux-perf",
	"linux-perf-6.1",
	"linux-sound-base",
	"linux-compiler-gcc-12-x86",
	"linux-compiler-gcc-12-arm",
	"linux-support-6.1",
	"linux-support-6.1.0",
	"linux-config-6.1",
	"linux-bpf-dev",
	"linux-cpupower",
	"linux-libc-dev-arm64-cross",
	"linux-show-player",
	"linux-headers-4.9.0-8-all",
	"linux-headers-4.9.0-8-all-amd64",
	"proxmox-kernel-helper",
	"pve-firmware",
	"pve-manager",
	/* flavour-less Ubuntu packages need an ABI with an ABI part */
	"linux-hwe-6.8-headers-6.8.0",
	"linux-aws-headers-6.8.0-1008-aws",
	"linux-headers-6.8",
	"linux-tools-6.8",
	/* not a kernel at all, or not a well-formed name */
	"",
	"linux-",
	"linux-image-",
	"linux-headers-",
	"linux-image",
	"kernel-6.8.0-31-generic",
	"xlinux-image-6.8.0-31-generic",
	"mylinux-image-6.8.0-31-generic",
	"linux-image-6.8.0-31-generic:amd64",
	"linux-image-6.8.0-31-GENERIC",
	"linux-image-6.8.0--generic",
	"linux-image-6.8.0-31-",
	"linux-image-6.8.0-31-generic-",
	"linux-headers-6.8.0-31-generic--64k",
	"linux-image-6.8..0-31-generic",
	"linux-image-6.8.0.-31-generic",
	"linux-image-v6.8.0-31-generic",
	"linux-modules-nvidia-abc-6.8.0-31-generic",
	"linux-modules-nvidia-535-server-server-6.8.0-31-generic",
	"linux-modules-nvidia-6.8.0-31-generic",
};

static void
assert_name(const struct kp_name *got, const struct name_row *want)
{
	assert_string_equal(kp_kind_name(got->kind), kp_kind_name(want->kind));
	assert_int_equal(got->shared, want->shared);
	assert_int_equal(got->ambiguous, want->ambiguous);
	assert_string_equal(got->release, want->release);
	assert_string_equal(got->abi, want->abi);
	assert_string_equal(got->flavour, want->flavour);
}

static void
test_kernel_name(void **state)
{
	const struct name_row *row = *state;
	struct kp_name got;

	assert_true(kp_name_parse(row->name, &got));
	assert_name(&got, row);
}

static void
test_never_a_kernel(void **state)
{
	static const struct name_row none = { "", KP_KIND_NONE, false, false,
		                              "", "",           "" };
	const char *name = *state;
	struct kp_name got;

	/* Poison the output: a false answer must still clear it. */
	memset(&got, 'x', sizeof(got));
	got.release[KP_NAME_MAX - 1] = '\0';
	assert_false(kp_name_parse(name, &got));
	assert_name(&got, &none);
}

/* Names of KP_NAME_MAX characters or more are refused, shorter ones not. */
static void
test_name_length(void **state)
{
	char name[KP_NAME_MAX + 1];
	struct kp_name got;
	size_t len;

	(void)state;
	for (len = KP_NAME_MAX - 2; len <= KP_NAME_MAX; len++) {
		memset(name, 'a', len);
		memcpy(name, "linux-image-6.8.0-31-", 21);
		name[len] = '\0';
		assert_int_equal(kp_name_parse(name, &got), len < KP_NAME_MAX);
		assert_int_equal(strlen(got.flavour),
		                 len < KP_NAME_MAX ? len - 21 : 0);
	}
	assert_false(kp_name_parse(NULL, &got));
}

struct split_row {
	const char *release;
	bool ok;
	const char *abi;
	const char *flavour;
};

static const struct split_row split_rows[] = {
	{ "5.15.0-91-generic", true, "5.15.0-91", "generic" },
	{ "6.8.0-31-generic-64k", true, "6.8.0-31", "generic-64k" },
	{ "6.6.1-060601-generic", true, "6.6.1-060601", "generic" },
	{ "6.7.0-060700rc1-lowlatency", true, "6.7.0-060700rc1", "lowlatency" },
	{ "6.1.0-18-amd64", true, "6.1.0-18", "amd64" },
	{ "6.1.0-18-cloud-amd64", true, "6.1.0-18", "cloud-amd64" },
	{ "6.5.0-0.deb12.4-amd64", true, "6.5.0-0.deb12.4", "amd64" },
	{ "6.12.38+deb13-amd64", true, "6.12.38+deb13", "amd64" },
	{ "6.12.38+deb13-rt-amd64", true, "6.12.38+deb13", "rt-amd64" },
	{ "6.1.0-rpi7-rpi-v8", true, "6.1.0-rpi7", "rpi-v8" },
	{ "6.6.31+rpt-rpi-2712", true, "6.6.31+rpt", "rpi-2712" },
	{ "6.8.12-4-pve", true, "6.8.12-4", "pve" },
	{ "6.7.0-rc1+", true, "6.7.0-rc1+", "" },
	{ "6.7.0-rc1", true, "6.7.0-rc1", "" },
	{ "6.7.0+", true, "6.7.0+", "" },
	{ "6.6.1-custom", true, "6.6.1", "custom" },
	{ "6.6.1-custom+", true, "6.6.1", "custom+" },
	{ "6.6.1", true, "6.6.1", "" },
	{ "5.15.0-91", true, "5.15.0-91", "" },
	{ "6.7.0-rcx", true, "6.7.0", "rcx" },
	{ "2.6.32-5-686-pae", true, "2.6.32-5", "686-pae" },
	{ "6.1.0-18-4kc-malta", true, "6.1.0-18", "4kc-malta" },
	{ "6.7.0-rc1-00001-gabcdef", true, "6.7.0-rc1", "00001-gabcdef" },
	{ "6.6.1-00001-gabcdef", true, "6.6.1-00001", "gabcdef" },
	{ "6.7.0-060700rc1+", true, "6.7.0-060700rc1+", "" },
	{ "", false, NULL, NULL },
	{ "6", false, NULL, NULL },
	{ "6.8", false, NULL, NULL },
	{ "6.8-generic", false, NULL, NULL },
	{ "generic", false, NULL, NULL },
	{ "v6.8.0", false, NULL, NULL },
	{ "-6.8.0", false, NULL, NULL },
	{ "6.8.0.", false, NULL, NULL },
	{ "6..8.0", false, NULL, NULL },
	{ "6.8.0-", false, NULL, NULL },
	{ "6.8.0-31-", false, NULL, NULL },
	{ "6.8.0-31--generic", false, NULL, NULL },
	{ "6.8.0-31-Generic", false, NULL, NULL },
	{ "6.8.0_31", false, NULL, NULL },
	{ "6.8.0 -31", false, NULL, NULL },
	{ "6.8.0-31-generic/", false, NULL, NULL },
	{ "6.8.0-31-.generic", false, NULL, NULL },
	{ "6.8.0-31-+", false, NULL, NULL },
};

static void
test_release_split(void **state)
{
	const struct split_row *row = *state;
	char abi[KP_NAME_MAX], flavour[KP_NAME_MAX];

	assert_int_equal(kp_release_split(row->release, abi, sizeof(abi),
	                                  flavour, sizeof(flavour)),
	                 row->ok);
	if (!row->ok)
		return;
	assert_string_equal(abi, row->abi);
	assert_string_equal(flavour, row->flavour);
}

/* Buffers too small fail; exact fits and unwanted (NULL) outputs work. */
static void
test_release_split_buffers(void **state)
{
	char abi[10], flavour[8];

	(void)state;
	assert_true(kp_release_split("5.15.0-91-generic", abi, 10, flavour, 8));
	assert_string_equal(abi, "5.15.0-91");
	assert_string_equal(flavour, "generic");
	assert_false(kp_release_split("5.15.0-91-generic", abi, 9, flavour, 8));
	assert_false(
	        kp_release_split("5.15.0-91-generic", abi, 10, flavour, 7));
	assert_true(kp_release_split("5.15.0-91-generic", NULL, 0, flavour, 8));
	assert_true(kp_release_split("5.15.0-91-generic", abi, 10, NULL, 0));
	assert_string_equal(abi, "5.15.0-91");
	assert_false(kp_release_split(NULL, abi, 10, flavour, 8));
}

static void
test_kind_name(void **state)
{
	(void)state;
	assert_string_equal(kp_kind_name(KP_KIND_NONE), "none");
	assert_string_equal(kp_kind_name(KP_KIND_IMAGE), "image");
	assert_string_equal(kp_kind_name(KP_KIND_MODULES), "modules");
	assert_string_equal(kp_kind_name(KP_KIND_HEADERS), "headers");
	assert_string_equal(kp_kind_name(KP_KIND_TOOLS), "tools");
	assert_string_equal(kp_kind_name(KP_KIND_DEBUG), "debug");
	assert_string_equal(kp_kind_name(KP_KIND_OTHER), "other");
	assert_string_equal(kp_kind_name((enum kp_kind)99), "unknown");
}

/*
 * The fingerprint of a dpkg database at root that holds bash and, when
 * name is not NULL, that package.
 */
static unsigned long long
fingerprint_with(const char *root, const char *name)
{
	char path[256];
	unsigned long long h;
	struct kp_error err;
	FILE *f;

	snprintf(path, sizeof(path), "%s/var/lib/dpkg/status", root);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("Package: bash\nStatus: install ok installed\nVersion: 5.2-1\n",
	      f);
	if (name != NULL)
		fprintf(f,
		        "\nPackage: %s\nStatus: install ok installed\n"
		        "Version: 1\n",
		        name);
	fclose(f);
	kp_error_clear(&err);
	if (kp_kernel_fingerprint(root, &h, &err) < 0)
		fail_msg("%s", err.message);
	return h;
}

/*
 * One kernel-family predicate: every name the recogniser takes (the rows
 * above, and the names of the never-rows should one be taken) passes
 * kp__name_in_kernel_family(), and its record changes the fingerprint
 * the apt hook and the status line compare.
 */
static void
test_family_covers_recognised(void **state)
{
	char root[] = "/tmp/t-names.XXXXXX", cmd[128];
	struct kp_name got;
	unsigned long long none;
	size_t i, n = 0;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/var/lib/dpkg", root);
	assert_int_equal(system(cmd), 0);
	none = fingerprint_with(root, NULL);
	for (i = 0; i < ARRAY_SIZE(kernel_rows) + ARRAY_SIZE(never_rows); i++) {
		const char
		        *name = i < ARRAY_SIZE(kernel_rows) ?
		                        kernel_rows[i].name :
		                        never_rows[i - ARRAY_SIZE(kernel_rows)];

		if (!kp_name_parse(name, &got))
			continue;
		n++;
		if (!kp__name_in_kernel_family(name, strlen(name)))
			fail_msg("%s is recognised but not of a kernel family",
			         name);
		if (fingerprint_with(root, name) == none)
			fail_msg(
			        "%s is recognised but the fingerprint misses it",
			        name);
	}
	assert_int_equal(n, ARRAY_SIZE(kernel_rows));
	assert_false(kp__name_in_kernel_family("bash", 4));
	assert_false(kp__name_in_kernel_family("linux-", 6));
	assert_true(kp__name_in_kernel_family("linux-image-6.8.0-31-generic",
	                                      6 + 1));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
}

/* One cmocka test per row, named after it, so a failure names the row. */
static struct CMUnitTest kernel_tests[ARRAY_SIZE(kernel_rows)];
static struct CMUnitTest never_tests[ARRAY_SIZE(never_rows)];
static struct CMUnitTest split_tests[ARRAY_SIZE(split_rows)];

static struct CMUnitTest
row_test(const char *name, CMUnitTestFunction fn, const void *row)
{
	return (struct CMUnitTest){
		.name = name[0] != '\0' ? name : "(empty)",
		.test_func = fn,
		.initial_state = (void *)row,
	};
}

/*
 * kp__name_candidate: names of no scheme read as "<words>-R". The kind
 * never says image; without a flavour the name may be an ABI's.
 */
static void
test_candidate(void **state)
{
	static const struct {
		const char *name, *release, *abi;
		enum kp_kind kind;
		bool ambiguous;
	} rows[] = {
		{ "linux-main-modules-zfs-7.0.0-30-generic", "7.0.0-30-generic",
		  "7.0.0-30", KP_KIND_MODULES, false },
		{ "acme-dkms-modules-6.1.0-25-amd64", "6.1.0-25-amd64",
		  "6.1.0-25", KP_KIND_MODULES, false },
		{ "linux-hwe-7.0-lib-rust-7.0.0-28-generic", "7.0.0-28-generic",
		  "7.0.0-28", KP_KIND_OTHER, false },
		{ "linux-image-bundle-6.8.0-31-generic", "6.8.0-31-generic",
		  "6.8.0-31", KP_KIND_OTHER, false },
		{ "linux-oddity-bits-7.0.0-28", "7.0.0-28", "7.0.0-28",
		  KP_KIND_OTHER, true },
		{ "linux-npu-headers-6.12.38+deb13-amd64",
		  "6.12.38+deb13-amd64", "6.12.38+deb13", KP_KIND_HEADERS,
		  false },
	};
	struct kp_name kn;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		if (!kp__name_candidate(rows[i].name, &kn))
			fail_msg("%s is no candidate", rows[i].name);
		assert_string_equal(kn.release, rows[i].release);
		assert_string_equal(kn.abi, rows[i].abi);
		assert_int_equal(kn.kind, rows[i].kind);
		assert_int_equal(kn.ambiguous, rows[i].ambiguous);
		assert_false(kn.shared);
	}
}

/* Never-a-kernel words, no release at the end, bad words: no candidate. */
static void
test_not_candidate(void **state)
{
	static const char *const names[] = {
		"linux-source-6.8.0",
		"linux-source-6.8.0-31-generic",
		"linux-doc-6.1.0-18-amd64",
		"linux-perf-6.1.0-18-amd64",
		"linux-firmware-blobs-7.0.0-28-generic",
		"linux-libc-dev-6.1.0-18",
		"linux-base-6.1.0-18-amd64",
		"linux-tools-common-6.8.0-31",
		"linux-headers-6.1.0-18-all-amd64",
		"linux-kbuild-6.1",
		"linux-image-generic-hwe-24.04",
		"libgtk-3-0",
		"gcc-12",
		"linux-modules-nvidia-535-generic-hwe-22.04",
		"6.8.0-31-generic",
		"-6.8.0-31-generic",
		"linux--x-6.8.0-31-generic",
		"Linux-x-6.8.0-31-generic",
	};
	struct kp_name kn;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (kp__name_candidate(names[i], &kn))
			fail_msg("%s is a candidate (release %s)", names[i],
			         kn.release);
		assert_int_equal(kn.kind, KP_KIND_NONE);
	}
	assert_false(kp__name_candidate(NULL, &kn));
}

static void
test_recognised_name(void **state)
{
	assert_string_equal(kp_recognised_name(KP_RECOGNISED_NAME), "name");
	assert_string_equal(kp_recognised_name(KP_RECOGNISED_FILES), "files");
	assert_string_equal(kp_recognised_name(KP_RECOGNISED_DEPENDENCIES),
	                    "dependencies");
}

static void
fill_tests(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kernel_rows); i++)
		kernel_tests[i] = row_test(kernel_rows[i].name,
		                           test_kernel_name, &kernel_rows[i]);
	for (i = 0; i < ARRAY_SIZE(never_rows); i++)
		never_tests[i] = row_test(never_rows[i], test_never_a_kernel,
		                          never_rows[i]);
	for (i = 0; i < ARRAY_SIZE(split_rows); i++)
		split_tests[i] = row_test(split_rows[i].release,
		                          test_release_split, &split_rows[i]);
}

int
main(void)
{
	static const struct CMUnitTest misc_tests[] = {
		cmocka_unit_test(test_name_length),
		cmocka_unit_test(test_release_split_buffers),
		cmocka_unit_test(test_kind_name),
		cmocka_unit_test(test_candidate),
		cmocka_unit_test(test_not_candidate),
		cmocka_unit_test(test_recognised_name),
		cmocka_unit_test(test_family_covers_recognised),
	};
	int failed = 0;

	fill_tests();
	failed += cmocka_run_group_tests_name(
	        "kp_name_parse: packages of a kernel", kernel_tests, NULL,
	        NULL);
	failed += cmocka_run_group_tests_name("kp_name_parse: never a kernel",
	                                      never_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name(
	        "kp_release_split: release grammar", split_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name(
	        "names: lengths, buffers, kind names", misc_tests, NULL, NULL);
	return failed == 0 ? 0 : 1;
}
