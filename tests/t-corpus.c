/*
 * t-corpus: real kernel-related package names (tests/corpus/kernel-names.tsv)
 * each read as the release (or flavour-less ABI) it belongs to, or as none.
 * A name the table does not know but whose "<words>-R" reading is right is
 * counted as caught by the structural rule (its files or dependencies then
 * decide); one the table misreads, or that would join a release it does
 * not belong to, fails.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kpurge-private.h"

#ifndef CORPUS
#define CORPUS "tests/corpus/kernel-names.tsv"
#endif

/* What a reading says: "R", "abi:A" or "never". */
static void
reading(const struct kp_name *kn, bool taken, char *buf, size_t size)
{
	if (!taken)
		snprintf(buf, size, "never");
	else if (kn->shared)
		snprintf(buf, size, "abi:%s", kn->abi);
	else
		snprintf(buf, size, "%s", kn->release);
}

static void
test_corpus(void **state)
{
	const char *path = getenv("KP_CORPUS") ? getenv("KP_CORPUS") : CORPUS;
	FILE *f = fopen(path, "re");
	char line[512], got[2 * KP_NAME_MAX], alt[2 * KP_NAME_MAX];
	size_t n = 0, bad = 0, by_name = 0, by_structure = 0, never = 0;

	if (f == NULL)
		fail_msg("cannot open %s", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *name = strtok(line, "\t\n"), *want = strtok(NULL, "\t\n");
		struct kp_name kn;
		bool ok;

		if (name == NULL || name[0] == '#' || want == NULL)
			continue;
		n++;
		if (kp_name_parse(name, &kn)) {
			reading(&kn, true, got, sizeof(got));
			ok = strcmp(got, want) == 0;
			by_name += ok;
		} else if (kp__name_candidate(name, &kn)) {
			reading(&kn, true, got, sizeof(got));
			snprintf(alt, sizeof(alt), "abi:%s", kn.abi);
			ok = strcmp(got, want) == 0 ||
			     (kn.ambiguous && strcmp(alt, want) == 0);
			if (ok)
				printf("# structure: %s (%s)\n", name, want);
			by_structure += ok;
		} else {
			snprintf(got, sizeof(got), "never");
			ok = strcmp(want, "never") == 0;
			never += ok;
		}
		if (!ok) {
			printf("# WRONG: %s is read as %s, not %s\n", name, got,
			       want);
			bad++;
		}
	}
	fclose(f);
	printf("# corpus: %zu names: %zu by name, %zu left to the structural rule, "
	       "%zu never a kernel's, %zu wrong\n",
	       n, by_name, by_structure, never, bad);
	assert_true(n >= 300);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
