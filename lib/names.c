/*
 * libkpurge - what a package name says about a kernel.
 *
 * kp_name_parse() runs over every package of the dpkg database, so it is
 * plain string scanning over a fixed table: no regex, no allocation.
 *
 * Release grammar (package names only hold [a-z0-9.+-]):
 *
 *   release = abi [ "-" flavour ]
 *   abi     = core [ number-part ] { tag-part }
 *   core    = num "." num "." num { "." num }   at least three numbers
 *   number-part = "-" digit { abi-char }        -91  -060601  -0.deb12.4
 *                                               -060700rc1  -0.bpo.6
 *   tag-part    = "-rc" num | "-rpi" num        -rc1  -rpi7
 *               | "+" { abi-char }              +deb13  +rpt  +
 *   flavour = word { "-" word }                 generic  generic-64k  pve
 *                                               rt-amd64  rpi-v8  686-pae
 *   word    = (letter | digit) { abi-char | "+" }
 *   abi-char = [a-z0-9.]
 *
 * Every scheme has at most one number part, right after X.Y.Z, so a later
 * "-<digit>" starts the flavour (Debian i386: "6.1.0-18-686-pae"), and a
 * "-<letter>" that is not -rcN or -rpiN does too ("6.1.0-rpi7-rpi-v8": ABI
 * 6.1.0-rpi7, flavour rpi-v8). Two numbers are not a release, so
 * "proxmox-kernel-6.8" and "linux-kbuild-6.1" hold none.
 */
#include <config.h>

#include <stdbool.h>
#include <string.h>

#include "kpurge-private.h"

/* ---------------------------------------------------------- characters */

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

/* A character of an ABI part after its lead: '-' and '+' end the part. */
static bool
is_part_char(char c)
{
	return is_digit(c) || is_lower(c) || c == '.';
}

static bool
is_flavour_char(char c)
{
	return is_part_char(c) || c == '+';
}

static bool
has_prefix(const char *s, const char *prefix, size_t prefix_len)
{
	return strncmp(s, prefix, prefix_len) == 0;
}

static bool
has_suffix(const char *s, size_t len, const char *suffix, size_t suffix_len)
{
	return len >= suffix_len &&
	       memcmp(s + len - suffix_len, suffix, suffix_len) == 0;
}

/* Copy s[0..len) into dst as a string; false when it does not fit. */
static bool
copy_span(char *dst, size_t size, const char *s, size_t len)
{
	if (dst == NULL)
		return true;
	if (len >= size)
		return false;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return true;
}

/* ------------------------------------------------------------- grammar */

/* Where a release splits: the ABI is s[0..abi_len), the flavour follows. */
struct split {
	size_t abi_len;    /* length of the ABI */
	size_t core_len;   /* length of its X.Y.Z part */
	size_t flavour_at; /* start of the flavour, == len when none */
};

/* Length of the digits at s[i..len). */
static size_t
digits_len(const char *s, size_t len, size_t i)
{
	size_t n = 0;

	while (i + n < len && is_digit(s[i + n]))
		n++;
	return n;
}

/* Length of "X.Y.Z{.W}" at the start of s, or 0. */
static size_t
core_len(const char *s, size_t len)
{
	size_t i = 0, n, numbers = 0;

	for (;;) {
		n = digits_len(s, len, i);
		if (n == 0)
			return 0;
		i += n;
		numbers++;
		if (i == len || s[i] != '.' ||
		    !is_digit(i + 1 < len ? s[i + 1] : '\0'))
			break;
		i++;
	}
	return numbers >= 3 ? i : 0;
}

/* Length of the run of characters that may follow a part's lead. */
static size_t
part_tail_len(const char *s, size_t len, size_t i)
{
	size_t n = 0;

	while (i + n < len && is_part_char(s[i + n]))
		n++;
	return n;
}

/*
 * Length of "-<word>N" at s[i] ("-rc1", "-rpi7"): the word, digits, then
 * the end of the part. 0 when it is not there.
 */
static size_t
word_number_len(const char *s, size_t len, size_t i, const char *word)
{
	size_t wlen = strlen(word);
	size_t n;

	if (i + 1 + wlen > len || memcmp(s + i + 1, word, wlen) != 0)
		return 0;
	n = digits_len(s, len, i + 1 + wlen);
	if (n == 0)
		return 0;
	n += 1 + wlen;
	return i + n == len || s[i + n] == '-' || s[i + n] == '+' ? n : 0;
}

/* Length of a "-<digit>..." number part at s[i], or 0. */
static size_t
number_part_len(const char *s, size_t len, size_t i)
{
	if (i + 1 >= len || s[i] != '-' || !is_digit(s[i + 1]))
		return 0;
	return 1 + part_tail_len(s, len, i + 1);
}

/* Length of the tag part ("-rc1", "-rpi7", "+deb13") at s[i], or 0. */
static size_t
tag_part_len(const char *s, size_t len, size_t i)
{
	size_t n;

	if (s[i] == '+')
		return 1 + part_tail_len(s, len, i + 1);
	if (s[i] != '-')
		return 0;
	n = word_number_len(s, len, i, "rc");
	if (n == 0)
		n = word_number_len(s, len, i, "rpi");
	return n;
}

/*
 * True when s[0..len) is words of [a-z0-9.+] joined by single '-'
 * ("generic-64k", "hwe-6.8"); callers check how the first word starts.
 */
static bool
words_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || s[0] == '-' || s[len - 1] == '-')
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == '-' ? s[i - 1] == '-' : !is_flavour_char(s[i]))
			return false;
	}
	return true;
}

static bool
flavour_ok(const char *s, size_t len)
{
	return len > 0 && (is_lower(s[0]) || is_digit(s[0])) &&
	       words_ok(s, len);
}

/* Split s[0..len) by the release grammar; false when it is not one. */
static bool
split_release(const char *s, size_t len, struct split *out)
{
	size_t i = core_len(s, len);
	size_t n;

	if (i == 0)
		return false;
	out->core_len = i;
	i += number_part_len(s, len, i);
	while (i < len && (n = tag_part_len(s, len, i)) > 0)
		i += n;
	out->abi_len = i;
	out->flavour_at = len;
	if (i == len)
		return true;
	out->flavour_at = i + 1;
	return s[i] == '-' && flavour_ok(s + i + 1, len - i - 1);
}

static bool
split_has_flavour(const struct split *sp, size_t len)
{
	return sp->flavour_at < len;
}

static bool
split_has_abi_part(const struct split *sp)
{
	return sp->abi_len > sp->core_len;
}

/**
 * kp_release_split:
 * Split a release ("5.15.0-91-generic") into its ABI ("5.15.0-91") and
 * flavour ("generic", or "" when it has none: "6.7.0-rc1+"), by the
 * grammar at the top of names.c. Either output may be NULL: not wanted.
 *
 * Returns false, leaving the outputs undefined, when release is not a
 * kernel release or a part does not fit its buffer.
 */
bool
kp_release_split(const char *release, char *abi, size_t abi_size, char *flavour,
                 size_t flavour_size)
{
	struct split sp;
	size_t len;

	if (release == NULL)
		return false;
	len = strlen(release);
	if (!split_release(release, len, &sp))
		return false;
	return copy_span(abi, abi_size, release, sp.abi_len) &&
	       copy_span(flavour, flavour_size, release + sp.flavour_at,
	                 len - sp.flavour_at);
}

/* ------------------------------------------------------------ packages */

enum rule_flags {
	/* The name holds a flavour-less ABI with an ABI part: shared. */
	RULE_SHARED = 1 << 0,
	/* Without a flavour it may be a custom release's or shared. */
	RULE_AMBIGUOUS = 1 << 1,
	/* A restricted-driver name ("535-server-open-") precedes the release. */
	RULE_DRIVER = 1 << 2,
	/* Proxmox builds only the "pve" flavour; anything else is not ours. */
	RULE_PVE = 1 << 3,
};

/* "<prefix><release><suffix>" is a package of kind. */
struct rule {
	const char *prefix;
	size_t prefix_len;
	const char *suffix;
	size_t suffix_len;
	enum kp_kind kind;
	unsigned flags;
};

/* clang-format off */
#define RULE(p, s, k, f) { p, sizeof(p) - 1, s, sizeof(s) - 1, KP_KIND_##k, f }
/* clang-format on */

/*
 * Tried in order, the first that matches wins: a suffix rule comes before
 * the bare prefix so that "linux-image-R-dbg" is R's debug package, not a
 * release with a "dbg" flavour. A release starts with a digit, so a short
 * prefix never swallows a longer one ("linux-image-" + "unsigned-...").
 */
static const struct rule rules[] = {
	RULE("linux-image-", "-dbgsym", DEBUG, 0),
	RULE("linux-image-", "-dbg", DEBUG, 0),
	RULE("linux-image-", "-unsigned", IMAGE, 0),
	RULE("linux-image-", "", IMAGE, 0),
	RULE("linux-image-unsigned-", "-dbgsym", DEBUG, 0),
	RULE("linux-image-unsigned-", "", IMAGE, 0),
	RULE("linux-signed-image-", "", IMAGE, 0),
	RULE("linux-image-extra-", "", MODULES, 0),
	RULE("linux-modules-", "", MODULES, 0),
	RULE("linux-modules-extra-", "", MODULES, 0),
	RULE("linux-modules-nvidia-", "", MODULES, RULE_DRIVER),
	RULE("linux-objects-nvidia-", "", MODULES, RULE_DRIVER),
	RULE("linux-modules-ipu6-", "", MODULES, 0),
	RULE("linux-modules-ivsc-", "", MODULES, 0),
	RULE("linux-modules-iwlwifi-", "", MODULES, 0),
	RULE("linux-modules-usbio-", "", MODULES, 0),
	RULE("linux-signatures-nvidia-", "", OTHER, 0),
	RULE("linux-headers-", "-common", HEADERS, RULE_SHARED),
	RULE("linux-headers-", "-common-rt", HEADERS, RULE_SHARED),
	RULE("linux-headers-", "-common-rpi", HEADERS, RULE_SHARED),
	RULE("linux-headers-", "", HEADERS, RULE_AMBIGUOUS),
	RULE("linux-tools-", "", TOOLS, RULE_AMBIGUOUS),
	RULE("linux-cloud-tools-", "", TOOLS, RULE_AMBIGUOUS),
	RULE("linux-buildinfo-", "", OTHER, 0),
	RULE("linux-lib-rust-", "", OTHER, 0),
	RULE("linux-support-", "", OTHER, RULE_SHARED),
	RULE("linux-kbuild-", "", OTHER, RULE_SHARED),
	RULE("pve-kernel-", "", IMAGE, RULE_PVE),
	RULE("proxmox-kernel-", "-signed", IMAGE, RULE_PVE),
	RULE("proxmox-kernel-", "", IMAGE, RULE_PVE),
	RULE("pve-headers-", "", HEADERS, RULE_PVE),
	RULE("proxmox-headers-", "", HEADERS, RULE_PVE),
};

/*
 * Length of a restricted driver name and its '-' at the start of s
 * ("535-", "535-server-", "550-open-", "535-server-open-"), or 0.
 */
static size_t
driver_len(const char *s, size_t len)
{
	static const char server[] = "-server", open[] = "-open";
	size_t i = digits_len(s, len, 0);

	if (i == 0)
		return 0;
	if (len - i >= sizeof(server) - 1 &&
	    memcmp(s + i, server, sizeof(server) - 1) == 0)
		i += sizeof(server) - 1;
	if (len - i >= sizeof(open) - 1 &&
	    memcmp(s + i, open, sizeof(open) - 1) == 0)
		i += sizeof(open) - 1;
	return i < len && s[i] == '-' ? i + 1 : 0;
}

static bool
flavour_starts(const char *r, size_t len, const struct split *sp,
               const char *word)
{
	size_t n = strlen(word);

	return len - sp->flavour_at >= n &&
	       memcmp(r + sp->flavour_at, word, n) == 0;
}

static bool
flavour_is(const char *r, size_t len, const struct split *sp, const char *word)
{
	return len - sp->flavour_at == strlen(word) &&
	       flavour_starts(r, len, sp, word);
}

static void
name_clear(struct kp_name *out)
{
	out->kind = KP_KIND_NONE;
	out->shared = false;
	out->ambiguous = false;
	out->release[0] = '\0';
	out->abi[0] = '\0';
	out->flavour[0] = '\0';
	out->alt_release[0] = '\0';
}

/*
 * Fill out from the release r[0..len) split as sp, by the rule's flags.
 * Returns false when the rule does not apply to this release.
 */
static bool
name_fill(struct kp_name *out, const struct rule *rule, const char *r,
          size_t len, const struct split *sp)
{
	bool flavour = split_has_flavour(sp, len);

	if ((rule->flags & RULE_SHARED) && (flavour || !split_has_abi_part(sp)))
		return false;
	if ((rule->flags & RULE_PVE) && !flavour_is(r, len, sp, "pve"))
		return false;
	/* Debian's linux-headers-A-all[-ARCH] only pull in headers. */
	if (flavour_is(r, len, sp, "all") || flavour_starts(r, len, sp, "all-"))
		return false;
	out->kind = rule->kind;
	out->shared = (rule->flags & RULE_SHARED) ||
	              ((rule->flags & RULE_AMBIGUOUS) && !flavour);
	out->ambiguous = (rule->flags & RULE_AMBIGUOUS) && !flavour;
	/* Names are shorter than KP_NAME_MAX, so every part fits. */
	copy_span(out->release, sizeof(out->release), r,
	          (rule->flags & RULE_SHARED) ? 0 : len);
	copy_span(out->abi, sizeof(out->abi), r, sp->abi_len);
	copy_span(out->flavour, sizeof(out->flavour), r + sp->flavour_at,
	          len - sp->flavour_at);
	return true;
}

/* Try one rule on the name s of length len. */
static bool
rule_match(const struct rule *rule, const char *s, size_t len,
           struct kp_name *out)
{
	struct split sp;
	size_t n;

	if (len < rule->prefix_len + rule->suffix_len ||
	    !has_prefix(s, rule->prefix, rule->prefix_len) ||
	    !has_suffix(s, len, rule->suffix, rule->suffix_len))
		return false;
	s += rule->prefix_len;
	len -= rule->prefix_len + rule->suffix_len;
	if (rule->flags & RULE_DRIVER) {
		n = driver_len(s, len);
		if (n == 0)
			return false;
		s += n;
		len -= n;
	}
	return split_release(s, len, &sp) && name_fill(out, rule, s, len, &sp);
}

/*
 * The flavour-less packages Ubuntu names after a source package S
 * ("linux-hwe-6.8", "linux-aws", "linux-oem-6.1"): S-headers-A, S-tools-A,
 * S-cloud-tools-A, with A an ABI that has an ABI part ("6.8.0-31"). The
 * bare S = "linux" is matched by the rules table (it is ambiguous).
 */
static bool
source_match(const char *s, size_t len, struct kp_name *out)
{
	static const struct rule markers[] = {
		RULE("-headers-", "", HEADERS, RULE_SHARED),
		RULE("-cloud-tools-", "", TOOLS, RULE_SHARED),
		RULE("-tools-", "", TOOLS, RULE_SHARED),
	};
	const char *at;
	size_t i;

	for (i = 0; i < KP_ARRAY_SIZE(markers); i++) {
		/* The marker follows "linux-" and S's words, led by a letter. */
		at = strstr(s + 6, markers[i].prefix);
		if (at == NULL || !is_lower(s[6]) ||
		    !words_ok(s + 6, (size_t)(at - s) - 6))
			continue;
		if (rule_match(&markers[i], at, len - (size_t)(at - s), out))
			return true;
	}
	return false;
}

/*
 * linux-image-R-dbg could also be the image of a custom release "R-dbg":
 * keep that reading beside the usual one (see kp_name.alt_release).
 */
static void
note_alt_release(const struct rule *rule, const char *s, size_t len,
                 struct kp_name *out)
{
	struct split sp;

	if (rule->suffix_len == 0 ||
	    strcmp(rule->prefix, "linux-image-") != 0 ||
	    !split_release(s + rule->prefix_len, len - rule->prefix_len, &sp))
		return;
	memcpy(out->alt_release, s + rule->prefix_len, len - rule->prefix_len);
	out->alt_release[len - rule->prefix_len] = '\0';
}

/**
 * Take the alternative reading of n: the image of release n->alt_release.
 * Returns false (n unchanged) when there is none.
 */
bool
kp__name_use_alt(struct kp_name *n)
{
	char release[KP_NAME_MAX];

	if (n->alt_release[0] == '\0')
		return false;
	memcpy(release, n->alt_release, sizeof(release));
	if (!kp_release_split(release, n->abi, sizeof(n->abi), n->flavour,
	                      sizeof(n->flavour)))
		return false;
	memcpy(n->release, release, sizeof(n->release));
	n->kind = KP_KIND_IMAGE;
	n->shared = false;
	n->ambiguous = false;
	n->alt_release[0] = '\0';
	return true;
}

/**
 * kp__name_in_kernel_family:
 * Is the package name s[0..len) one of the kernel families' (linux-*,
 * pve-*, proxmox-*)? The cheap first test of kp_name_parse(), which
 * rejects most of a database's packages at once, and the filter of the
 * kernel fingerprint: every name kp_name_parse() takes passes it.
 */
bool
kp__name_in_kernel_family(const char *s, size_t len)
{
	/* The first letter first; memcmp() of a constant length is inlined. */
	switch (len > 0 ? s[0] : '\0') {
	case 'l':
		return len > 6 && memcmp(s, "linux-", 6) == 0;
	case 'p':
		return (len > 4 && memcmp(s, "pve-", 4) == 0) ||
		       (len > 8 && memcmp(s, "proxmox-", 8) == 0);
	default:
		return false;
	}
}

/**
 * kp_name_parse:
 * Recognise a kernel package by its name (without ":arch"), by the
 * grammar at the top of names.c and the package naming schemes of
 * Ubuntu, Ubuntu mainline, Debian, Raspberry Pi OS, Proxmox and custom
 * "make bindeb-pkg" builds.
 *
 * Returns true and fills *out (the caller's) for a package of a release
 * or a flavour-less package of an ABI; false, with out->kind NONE and
 * empty strings, for anything else: metapackages, linux-libc-dev,
 * firmware, linux-kbuild-X.Y, names of KP_NAME_MAX characters or more.
 * When in doubt it says false: a package it does not take is never purged.
 */
bool
kp_name_parse(const char *package, struct kp_name *out)
{
	size_t len, i;

	name_clear(out);
	if (package == NULL)
		return false;
	len = strnlen(package, KP_NAME_MAX);
	if (len >= KP_NAME_MAX || !kp__name_in_kernel_family(package, len))
		return false;
	for (i = 0; i < KP_ARRAY_SIZE(rules); i++) {
		if (rule_match(&rules[i], package, len, out)) {
			note_alt_release(&rules[i], package, len, out);
			return true;
		}
	}
	if (has_prefix(package, "linux-", 6) && source_match(package, len, out))
		return true;
	name_clear(out);
	return false;
}

/* ----------------------------------------------- names of no scheme */

/*
 * Words that make a name never a kernel's, wherever they stand before the
 * release: sources, documentation, userland tools, firmware, the C library
 * headers, metapackage helpers. Such a package stays outside every release
 * whatever its files or dependencies.
 */
static const char *const never_words[] = {
	"source",   "doc",    "docs",     "manual",  "perf",   "libc",
	"firmware", "base",   "cpupower", "bpftool", "usbip",  "hyperv",
	"common",   "kbuild", "meta",     "all",     "config",
};

/* Is s[0..len) one of the never-a-kernel words? */
static bool
is_never_word(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < KP_ARRAY_SIZE(never_words); i++)
		if (strlen(never_words[i]) == len &&
		    memcmp(never_words[i], s, len) == 0)
			return true;
	return false;
}

/* Does the word w (a whole '-'-separated word) occur in s[0..len)? */
static bool
has_word(const char *s, size_t len, const char *w)
{
	size_t wlen = strlen(w), i;

	for (i = 0; i + wlen <= len; i++)
		if ((i == 0 || s[i - 1] == '-') &&
		    memcmp(s + i, w, wlen) == 0 &&
		    (i + wlen == len || s[i + wlen] == '-'))
			return true;
	return false;
}

/* Does any word of s[0..len) make the name never a kernel's? */
static bool
has_never_word(const char *s, size_t len)
{
	size_t start = 0, i;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '-')
			continue;
		if (is_never_word(s + start, i - start))
			return true;
		start = i + 1;
	}
	return false;
}

/* The kind a name of no scheme suggests; never an image (see below). */
static enum kp_kind
candidate_kind(const char *s, size_t len)
{
	if (has_word(s, len, "modules"))
		return KP_KIND_MODULES;
	if (has_word(s, len, "headers"))
		return KP_KIND_HEADERS;
	if (has_word(s, len, "tools"))
		return KP_KIND_TOOLS;
	if (has_word(s, len, "dbg") || has_word(s, len, "dbgsym") ||
	    has_word(s, len, "debug"))
		return KP_KIND_DEBUG;
	return KP_KIND_OTHER;
}

/*
 * Fill out for "<words>-R" read as a name of no scheme: the release (or,
 * without a flavour, the ABI) at its end. Returns false when s[at..len)
 * is not one.
 */
static bool
candidate_fill(const char *s, size_t len, size_t at, struct kp_name *out)
{
	const char *r = s + at + 1;
	size_t rlen = len - at - 1;
	struct split sp;

	if (!split_release(r, rlen, &sp))
		return false;
	if (flavour_is(r, rlen, &sp, "all") ||
	    flavour_starts(r, rlen, &sp, "all-"))
		return false;
	out->kind = candidate_kind(s, at);
	out->ambiguous = !split_has_flavour(&sp, rlen) &&
	                 split_has_abi_part(&sp);
	out->shared = false;
	copy_span(out->release, sizeof(out->release), r, rlen);
	copy_span(out->abi, sizeof(out->abi), r, sp.abi_len);
	copy_span(out->flavour, sizeof(out->flavour), r + sp.flavour_at,
	          rlen - sp.flavour_at);
	return true;
}

/**
 * kp__name_candidate:
 * For a name kp_name_parse() does not take: read it as "<words>-R", a
 * package of release R (or, with no flavour, possibly a flavour-less
 * package of ABI R: out->ambiguous) that only its files or dependencies
 * can make a member. The words start with a letter; none of them may be a
 * never-a-kernel word ("source", "doc", "firmware" ...). The kind comes
 * from the words and is never KP_KIND_IMAGE: what the table does not know
 * never makes a release bootable.
 *
 * Returns false, with out cleared, when the name cannot be one.
 */
bool
kp__name_candidate(const char *package, struct kp_name *out)
{
	size_t len, i;

	name_clear(out);
	if (package == NULL || !is_lower(package[0]))
		return false;
	len = strnlen(package, KP_NAME_MAX);
	if (len >= KP_NAME_MAX)
		return false;
	for (i = 1; i + 1 < len; i++) {
		if (package[i] != '-' || !is_digit(package[i + 1]))
			continue;
		if (!words_ok(package, i) || has_never_word(package, i))
			break;
		if (candidate_fill(package, len, i, out))
			return true;
	}
	name_clear(out);
	return false;
}
