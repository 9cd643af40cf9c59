/*
 * libkpurge - Debian versions and the order of kernel releases.
 *
 * Kernels are ordered with dpkg's own comparison (never text sorting), on
 * a translation of the release string that makes release candidates sort
 * before the final release, the way Debian's linux-version does.
 */
#include <config.h>

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <dpkg/dpkg-db.h>
#include <dpkg/error.h>
#include <dpkg/version.h>

#include "kpurge-private.h"

/*
 * Enough for any translation kp_release_compare() is asked for in practice
 * (releases come from package names, shorter than KP_NAME_MAX); longer
 * strings are compared on this prefix of their translation.
 */
#define KP_SORT_KEY_MAX (4 * KP_NAME_MAX)

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * Length of an "rcN" pre-release marker at s[i], or 0. It counts only as a
 * whole word that follows a separator or the digits of a mainline ABI
 * ("-rc1", "060700rc1"), so a flavour like "arc1" is left alone.
 */
static size_t
rc_marker_len(const char *s, size_t i)
{
	size_t n;

	if (s[i] != 'r' || s[i + 1] != 'c' || !is_digit(s[i + 2]))
		return 0;
	if (i == 0 ||
	    (s[i - 1] != '-' && s[i - 1] != '.' && !is_digit(s[i - 1])))
		return 0;
	for (n = 2; is_digit(s[i + n]); n++)
		;
	return is_alnum(s[i + n]) ? 0 : n;
}

/* Append c to buf if there is room for it and a NUL; count it anyway. */
static void
put_char(char *buf, size_t size, size_t *len, char c)
{
	if (*len + 1 < size)
		buf[*len] = c;
	(*len)++;
}

/*
 * Write the translation of abi into buf (truncated to fit, always NUL
 * terminated when size > 0) and return its full length.
 */
static size_t
translate(const char *abi, char *buf, size_t size)
{
	size_t len = 0;
	size_t i;

	for (i = 0; abi[i] != '\0'; i++) {
		if (rc_marker_len(abi, i) > 0) {
			/* "-rc1" -> "~rc1", "060700rc1" -> "060700~rc1". */
			if (abi[i - 1] == '-' || abi[i - 1] == '.')
				len--;
			put_char(buf, size, &len, '~');
		}
		/* A Debian upstream version may hold '-' only with a revision. */
		put_char(buf, size, &len, abi[i] == '-' ? '.' : abi[i]);
	}
	if (size > 0)
		buf[len < size ? len : size - 1] = '\0';
	return len;
}

/**
 * kp_release_version:
 * Translate a kernel ABI or release into a Debian upstream version that
 * sorts like kernels: every '-' becomes '.', and an "rcN" pre-release
 * marker ("6.7.0-rc1", mainline "6.7.0-060700rc1") gets a '~' before it
 * ("6.7.0~rc1", "6.7.0.060700~rc1") so it sorts before the final release.
 * '+' is kept ("6.7.0-rc1+" -> "6.7.0~rc1+"). abi must not be NULL.
 *
 * Returns the length written to buf (the caller's), or -ENAMETOOLONG when
 * the translation and its NUL do not fit in size bytes; buf then holds ""
 * if size > 0.
 */
int
kp_release_version(const char *abi, char *buf, size_t size)
{
	size_t len = translate(abi, buf, size);

	if (len >= size) {
		if (size > 0)
			buf[0] = '\0';
		return -ENAMETOOLONG;
	}
	return (int)len;
}

/**
 * kp_release_compare:
 * Order two kernel ABIs or releases: dpkg's comparison of their
 * kp_release_version() translations, as upstream versions with epoch 0
 * and no revision. Returns <0, 0 or >0. Strings that translate to versions
 * dpkg calls equal ("5.15.0-91", "5.15.0.91") compare equal; the order is
 * a total preorder, usable by qsort(). NULL sorts as "".
 */
int
kp_release_compare(const char *a, const char *b)
{
	char ka[KP_SORT_KEY_MAX], kb[KP_SORT_KEY_MAX];
	struct dpkg_version va, vb;

	/* Truncating both to the same key length keeps the order consistent. */
	translate(a != NULL ? a : "", ka, sizeof(ka));
	translate(b != NULL ? b : "", kb, sizeof(kb));
	va = DPKG_VERSION_OBJECT(0, ka, "");
	vb = DPKG_VERSION_OBJECT(0, kb, "");
	return dpkg_version_compare(&va, &vb);
}

/*
 * Parse s into *v. dpkg's warnings (a version not starting with a digit,
 * odd characters) do not stop it: dpkg itself installs and compares such
 * versions, so they are compared here too. Only what dpkg rejects fails.
 */
static int
parse_version(const char *s, struct dpkg_version *v, struct kp_error *err)
{
	struct dpkg_error derr = DPKG_ERROR_INIT;
	int rc = 0;

	if (s == NULL)
		return kp__error_set(err, -EINVAL,
		                     "Missing version to compare.");
	if (parseversion(v, s, &derr) < 0 && derr.type == DPKG_MSG_ERROR)
		rc = kp__error_set(err, -EINVAL, "Invalid version '%s': %s.", s,
		                   derr.str != NULL ? derr.str :
		                                      "cannot parse");
	dpkg_error_destroy(&derr);
	return rc;
}

/**
 * kp_version_compare:
 * Compare two Debian package versions (epoch:upstream-revision) with
 * libdpkg's rules and store <0, 0 or >0 in *result.
 *
 * Returns 0, or -EINVAL with err (may be NULL) naming the version dpkg
 * rejects (empty, embedded spaces, bad epoch, empty revision); *result is
 * then left untouched.
 *
 * libdpkg keeps its copies of both strings in its never-freed parse pool,
 * and would exit on out-of-memory there, as every libdpkg allocation does.
 */
int
kp_version_compare(const char *a, const char *b, int *result,
                   struct kp_error *err)
{
	struct dpkg_version va, vb;
	int rc;

	rc = parse_version(a, &va, err);
	if (rc == 0)
		rc = parse_version(b, &vb, err);
	if (rc == 0)
		*result = dpkg_version_compare(&va, &vb);
	return rc;
}
