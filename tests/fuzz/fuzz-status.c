/*
 * libFuzzer target: the dpkg database reader and the planner
 * (lib/dpkg-db.c through the real libdpkg, lib/plan.c, lib/plan-json.c).
 *
 * The input is a dpkg status file, optionally followed by a NUL byte and
 * an entry of dpkg's updates/ journal. It is written into a throw-away
 * root, fingerprinted (lib/fingerprint.c) and opened with kp_ctx_new(),
 * then planned with a few option sets.
 * Whatever the file holds, the library must return (libdpkg's fatal
 * errors come back as error returns: nothing may exit or longjmp past
 * us), must not leak, and its plan must keep what it promises.
 */
#include <config.h>

#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kpurge-app.h"
#include "kpurge.h"

#define REQUIRE(cond)                                                          \
	do {                                                                   \
		if (!(cond))                                                   \
			__builtin_trap();                                      \
	} while (0)

static char root[64];

/*
 * A JSON syntax check, enough for what kp_plan_write_json() writes:
 * objects, arrays, strings with their escapes, numbers, true, false, null.
 * Strings must be UTF-8: a Version field with bytes that are not UTF-8
 * (dpkg only warns about them) becomes U+FFFD in the document.
 */
#define JSON_STRICT_UTF8 1

static const char *json_value(const char *p);

static const char *
json_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

/*
 * Length of the UTF-8 sequence at p, or 0 when it is not one: the code
 * point it decodes to must need exactly that many bytes (no overlong
 * form), be no surrogate and not pass U+10FFFF. Written apart from the
 * library's check on purpose, by decoding.
 */
static size_t
utf8_len(const unsigned char *p)
{
	unsigned long cp;
	size_t n, i;

	if (*p < 0x80)
		return 1;
	n = (*p & 0xe0) == 0xc0 ? 2 :
	    (*p & 0xf0) == 0xe0 ? 3 :
	    (*p & 0xf8) == 0xf0 ? 4 :
	                          0;
	if (n == 0)
		return 0;
	cp = *p & (0x7fu >> n);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3fu);
	}
	if (cp < (n == 2 ? 0x80ul :
	          n == 3 ? 0x800ul :
	                   0x10000ul) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

static const char *
json_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		unsigned char c = (unsigned char)*p;
		size_t n;

		if (c < 0x20)
			return NULL;
		if (c == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!p[i] ||
					    !strchr("0123456789abcdefABCDEF",
					            p[i]))
						return NULL;
				p += 5;
			} else if (*p && strchr("\"\\/bfnrt", *p)) {
				p++;
			} else {
				return NULL;
			}
			continue;
		}
		n = utf8_len((const unsigned char *)p);
		if (n == 0 && JSON_STRICT_UTF8)
			return NULL;
		p += n ? n : 1;
	}
	return p + 1;
}

static const char *
json_list(const char *p, char close, bool object)
{
	p = json_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (object) {
			p = json_string(json_ws(p));
			if (p == NULL || *(p = json_ws(p)) != ':')
				return NULL;
			p++;
		}
		p = json_value(p);
		if (p == NULL)
			return NULL;
		p = json_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *
json_value(const char *p)
{
	p = json_ws(p);
	if (*p == '{')
		return json_list(p, '}', true);
	if (*p == '[')
		return json_list(p, ']', false);
	if (*p == '"')
		return json_string(p);
	if (strncmp(p, "true", 4) == 0 || strncmp(p, "null", 4) == 0)
		return p + 4;
	if (strncmp(p, "false", 5) == 0)
		return p + 5;
	if (*p == '-' || (*p >= '0' && *p <= '9')) {
		const char *start = p;

		p += *p == '-';
		while ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' ||
		       *p == 'E' || *p == '+' || *p == '-')
			p++;
		return p > start ? p : NULL;
	}
	return NULL;
}

static bool
json_valid(const char *doc)
{
	const char *end = json_value(doc);

	return end != NULL && *json_ws(end) == '\0';
}

static void
write_file(const char *rel, const uint8_t *data, size_t size)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
}

static int
remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* libFuzzer exits through exit(): the root goes with it. */
static void
remove_root(void)
{
	if (root[0] != '\0')
		nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void
make_root(void)
{
	char path[256];

	strcpy(root, "/tmp/kp-fuzz-XXXXXX");
	if (getenv("TMPDIR") && strlen(getenv("TMPDIR")) < 40)
		snprintf(root, sizeof(root), "%s/kp-fuzz-XXXXXX",
		         getenv("TMPDIR"));
	if (mkdtemp(root) == NULL)
		abort();
	atexit(remove_root);
	snprintf(path, sizeof(path), "%s/var", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/var/lib", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/var/lib/dpkg", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/var/lib/dpkg/updates", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/var/lib/dpkg/info", root);
	mkdir(path, 0755);
}

/* What every plan promises, whatever the database. */
static void
check_plan(const struct kp_plan *plan, const struct kp_plan_options *opts)
{
	size_t i, j, purged = 0;
	char *json = NULL;
	size_t len = 0;
	FILE *f;

	for (i = 0; i < kp_plan_n_packages(plan); i++) {
		const struct kp_package *p = kp_plan_package(plan, i);

		REQUIRE(p->name && p->version && p->why && p->abi);
		purged += p->action == KP_PURGE;
		REQUIRE(p->action != KP_PURGE || !p->held);
	}
	REQUIRE(purged == kp_plan_n_purge(plan));
	for (i = 0; i < kp_plan_n_releases(plan); i++) {
		const struct kp_release *r = kp_plan_release(plan, i);

		REQUIRE(r->name && r->abi && r->flavour && r->why);
		if (r->running || r->rank == 1)
			REQUIRE(r->action == KP_KEEP);
		for (j = 0; j < r->n_packages; j++)
			REQUIRE(r->packages[j]->action == r->action &&
			        r->packages[j]->release == r->name);
		if (i > 0)
			REQUIRE(kp_release_compare(
			                kp_plan_release(plan, i - 1)->abi,
			                r->abi) >= 0);
	}
	for (i = 0; i < opts->n_protect; i++)
		for (j = 0; j < kp_plan_n_releases(plan); j++)
			if (strcmp(kp_plan_release(plan, j)->name,
			           opts->protect[i]) == 0)
				REQUIRE(kp_plan_release(plan, j)->action ==
				        KP_KEEP);
	f = open_memstream(&json, &len);
	REQUIRE(f != NULL);
	REQUIRE(kp_plan_write_json(plan, f, NULL) == 0);
	fclose(f);
	REQUIRE(len > 0 && json[0] == '{' && strlen(json) == len);
	REQUIRE(json_valid(json));
	free(json);
}

static void
plan_with(struct kp_ctx *ctx, unsigned keep, const char *running,
          const char *protect)
{
	struct kp_plan_options opts = { keep, running, &protect,
		                        protect != NULL };
	struct kp_error err = { 0 };
	struct kp_plan *plan = NULL;
	int r = kp_plan_new(ctx, &opts, &plan, &err);

	if (r < 0) {
		REQUIRE(plan == NULL && err.code == r &&
		        err.message[0] != '\0');
		REQUIRE(keep == 0 || r == -ENOMEM);
		return;
	}
	REQUIRE(plan != NULL);
	check_plan(plan, &opts);
	kp_plan_free(plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t status_size = nul ? (size_t)(nul - data) : size;
	char journal[256];
	struct kp_error err = { 0 };
	struct kp_ctx *ctx;
	struct kp_plan *first = NULL;
	struct kp_plan_options opts = { 1, NULL, NULL, 0 };
	char *name = NULL;
	unsigned long long fingerprint;

	if (root[0] == '\0')
		make_root();
	snprintf(journal, sizeof(journal), "%s/var/lib/dpkg/updates/0001",
	         root);
	unlink(journal);
	write_file("var/lib/dpkg/status", data, status_size);
	if (nul)
		write_file("var/lib/dpkg/updates/0001", nul + 1,
		           size - status_size - 1);
	/* The apt hook's fingerprint reads the same files without libdpkg. */
	REQUIRE(kp_kernel_fingerprint(root, &fingerprint, &err) == 0);
	ctx = kp_ctx_new(root, NULL, NULL, &err);
	if (ctx == NULL) {
		REQUIRE(err.code < 0 && err.message[0] != '\0');
		return 0;
	}
	REQUIRE(kp_plan_new(ctx, &opts, &first, &err) == 0);
	check_plan(first, &opts);
	/* Plan again with the oldest release running, held back, protected. */
	if (kp_plan_n_releases(first) > 0)
		name = strdup(
		        kp_plan_release(first, kp_plan_n_releases(first) - 1)
		                ->name);
	kp_plan_free(first);
	plan_with(ctx, 0, name, NULL);
	plan_with(ctx, 3, NULL, name);
	plan_with(ctx, 0, NULL, NULL);
	free(name);
	kp_ctx_free(ctx);
	return 0;
}
