/*
 * libFuzzer target: versions and the order of kernel releases
 * (lib/version.c).
 *
 * The input is up to three strings separated by newlines. The release
 * translation must fit the buffers it is given, and both orders must be
 * orders: antisymmetric (a < b exactly when b > a), reflexive and
 * transitive on the three strings. kp_release_compare() sorts releases
 * with qsort(): an order that is not one corrupts the plan.
 */
#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kpurge.h"

#define REQUIRE(cond)                                                          \
	do {                                                                   \
		if (!(cond))                                                   \
			__builtin_trap();                                      \
	} while (0)

static int
sign(int x)
{
	return (x > 0) - (x < 0);
}

static void
check_translation(const char *s)
{
	size_t sizes[] = { 0, 1, 2, 8, 64, 4096 }, i;
	char buf[4096];
	int full = kp_release_version(s, buf, sizeof(buf));

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int n;

		memset(buf, 'x', sizeof(buf));
		n = kp_release_version(s, buf, sizes[i]);
		if (n >= 0) {
			REQUIRE((size_t)n < sizes[i] && buf[n] == '\0');
			REQUIRE(full >= 0 && n == full);
		} else {
			REQUIRE(n == -ENAMETOOLONG);
			REQUIRE(sizes[i] == 0 || buf[0] == '\0');
			REQUIRE(sizes[i] == 0 || buf[sizes[i]] == 'x');
		}
	}
}

/* Three strings: the compare function must be a total preorder on them. */
static void
check_order(int (*cmp)(const char *, const char *), const char *a,
            const char *b, const char *c)
{
	int ab = sign(cmp(a, b)), ba = sign(cmp(b, a));
	int bc = sign(cmp(b, c)), ac = sign(cmp(a, c));

	REQUIRE(cmp(a, a) == 0);
	REQUIRE(ab == -ba);
	if (ab <= 0 && bc <= 0)
		REQUIRE(ac <= 0);
	if (ab >= 0 && bc >= 0)
		REQUIRE(ac >= 0);
	if (ab == 0 && bc == 0)
		REQUIRE(ac == 0);
}

/* kp_version_compare as a compare function; invalid versions sort first. */
static int
version_cmp(const char *a, const char *b)
{
	int ra = 0, rb = 0, r = 0;
	bool va = kp_version_compare(a, a, &ra, NULL) == 0;
	bool vb = kp_version_compare(b, b, &rb, NULL) == 0;

	if (!va || !vb)
		return (int)va - (int)vb;
	REQUIRE(ra == 0 && rb == 0);
	REQUIRE(kp_version_compare(a, b, &r, NULL) == 0);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *parts[3] = { NULL, NULL, NULL }, *p;
	struct kp_error err;
	int i, r;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	parts[0] = s;
	for (i = 1, p = s; i < 3 && (p = strchr(p, '\n')) != NULL; i++) {
		*p++ = '\0';
		parts[i] = p;
	}
	for (i = 0; i < 3; i++)
		if (parts[i] == NULL)
			parts[i] = parts[i - 1];
	check_translation(parts[0]);
	check_order(kp_release_compare, parts[0], parts[1], parts[2]);
	/* NULL sorts as "" */
	REQUIRE(sign(kp_release_compare(NULL, parts[0])) ==
	        sign(kp_release_compare("", parts[0])));
	/* libdpkg's parser keeps every version it parses: go easy on it */
	if (size < 512) {
		check_order(version_cmp, parts[0], parts[1], parts[2]);
		memset(&err, 0, sizeof(err));
		if (kp_version_compare(parts[0], parts[1], &r, &err) < 0)
			REQUIRE(err.code == -EINVAL && err.message[0] != '\0' &&
			        memchr(err.message, '\0', sizeof(err.message)));
	}
	free(s);
	return 0;
}
