/*
 * libFuzzer target: kernel package names and releases (lib/names.c).
 *
 * The input is one name. kp_name_parse() and kp_release_split() must not
 * crash or read past it, and what they say must hold together: a
 * recognised package names its release and ABI, the ABI and flavour
 * rebuild the release, a name not taken comes back empty.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kpurge.h"

#define REQUIRE(cond)                                                          \
	do {                                                                   \
		if (!(cond))                                                   \
			__builtin_trap();                                      \
	} while (0)

static bool
terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static void
check_split(const char *release)
{
	char abi[KP_NAME_MAX], flavour[KP_NAME_MAX], small[4];
	size_t n = strlen(release);

	if (!kp_release_split(release, abi, sizeof(abi), flavour,
	                      sizeof(flavour)))
		return;
	REQUIRE(terminated(abi, sizeof(abi)) &&
	        terminated(flavour, sizeof(flavour)));
	/* release = abi, or abi "-" flavour */
	REQUIRE(strncmp(release, abi, strlen(abi)) == 0);
	if (flavour[0] == '\0')
		REQUIRE(strlen(abi) == n);
	else
		REQUIRE(strlen(abi) + 1 + strlen(flavour) == n &&
		        release[strlen(abi)] == '-' &&
		        strcmp(release + strlen(abi) + 1, flavour) == 0);
	/* NULL outputs and short buffers never overflow */
	REQUIRE(kp_release_split(release, NULL, 0, NULL, 0));
	kp_release_split(release, small, sizeof(small), small, sizeof(small));
	REQUIRE(terminated(small, sizeof(small)) ||
	        strlen(abi) >= sizeof(small));
	/* the ABI alone is a release without a flavour */
	REQUIRE(kp_release_split(abi, NULL, 0, flavour, sizeof(flavour)));
	REQUIRE(flavour[0] == '\0');
}

/* Names that look like kernel packages and never are. */
static const char *const never[] = {
	"linux-libc-dev",
	"linux-firmware",
	"linux-tools-common",
	"linux-cloud-tools-common",
	"linux-base",
	"linux-sound-base",
	"linux-kbuild-6.1",
	"linux-source-6.8.0",
	"linux-doc-6.1",
	"linux-headers-6.1.0-18-all",
	"linux-headers-6.1.0-18-all-amd64",
	"proxmox-kernel-6.8",
	"pve-kernel-6.2",
	"linux-image-amd64",
	"linux-headers-generic-hwe-22.04",
	"linux-modules-nvidia-535-generic-hwe-22.04",
};

static void
check_name(const char *name)
{
	struct kp_name kn;

	memset(&kn, 0x5a, sizeof(kn));
	if (!kp_name_parse(name, &kn)) {
		REQUIRE(kn.kind == KP_KIND_NONE && !kn.shared && !kn.ambiguous);
		REQUIRE(kn.release[0] == '\0' && kn.abi[0] == '\0' &&
		        kn.flavour[0] == '\0');
		return;
	}
	REQUIRE(kn.kind > KP_KIND_NONE && kn.kind <= KP_KIND_OTHER);
	REQUIRE(strcmp(kp_kind_name(kn.kind), "unknown") != 0);
	REQUIRE(terminated(kn.release, sizeof(kn.release)) &&
	        terminated(kn.abi, sizeof(kn.abi)) &&
	        terminated(kn.flavour, sizeof(kn.flavour)));
	REQUIRE(kn.abi[0] != '\0');
	/* every part is in the name */
	REQUIRE(strstr(name, kn.abi) != NULL);
	REQUIRE(kn.release[0] == '\0' || strstr(name, kn.release) != NULL);
	if (kn.ambiguous)
		REQUIRE(kn.shared && kn.flavour[0] == '\0');
	if (kn.shared && !kn.ambiguous)
		REQUIRE(kn.release[0] == '\0' && kn.flavour[0] == '\0');
	if (!kn.shared) {
		char abi[KP_NAME_MAX], flavour[KP_NAME_MAX];

		REQUIRE(kn.release[0] != '\0');
		REQUIRE(kp_release_split(kn.release, abi, sizeof(abi), flavour,
		                         sizeof(flavour)));
		REQUIRE(strcmp(abi, kn.abi) == 0 &&
		        strcmp(flavour, kn.flavour) == 0);
	}
	/* what is never a kernel package */
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		REQUIRE(strcmp(name, never[i]) != 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_name(s);
	check_split(s);
	free(s);
	return 0;
}
