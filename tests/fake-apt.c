/*
 * fake-apt.so: a stand-in for lib/kpurge-apt.so, built to the module's ABI
 * (lib/apt-shim.h) and loaded the way the build tree's module is, through
 * KPURGE_APT_MODULE. It lets tests/t-plan-prove.c make apt disagree with
 * the plan in ways a real system rarely shows: each simulated purge reads
 * the script named by KP_FAKE_APT_SCRIPT, whose lines are
 *
 *   remove PACKAGE CAUSE              apt would also remove PACKAGE, because
 *                                     CAUSE is purged
 *   install PACKAGE CAUSE DEPENDENT   apt would install PACKAGE for
 *                                     DEPENDENT, because CAUSE is purged
 *   problem WORDS...                  apt would refuse, saying WORDS
 *   protect PACKAGE                   apt's autoremove never removes
 *                                     PACKAGE (for kernel_protected)
 *
 * A rule applies when CAUSE is among the names purged; CAUSE "-" applies
 * always and reports no cause. Only the first rule that applies is
 * reported, so a plan meets its causes one simulation at a time. Each
 * simulation appends the names it was given, on one line, to the file
 * named by KP_FAKE_APT_LOG.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apt-shim.h"

struct kp_apt {
	int unused;
};

static int
fail(struct kp_error *err, int code, const char *what)
{
	err->code = code;
	snprintf(err->message, sizeof(err->message), "fake apt: %s", what);
	return code;
}

static struct kp_apt *
fake_open(const char *root, const struct kp_apt_config *config,
          struct kp_error *err)
{
	static struct kp_apt handle;

	(void)root;
	(void)config;
	(void)err;
	return &handle;
}

static void
fake_close(struct kp_apt *apt)
{
	(void)apt;
}

static bool
named(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

static char *
dup_or_null(const char *s)
{
	return s == NULL || strcmp(s, "-") == 0 ? NULL : strdup(s);
}

static struct kp_apt_change *
one_change(const char *package, const char *cause, const char *dependent)
{
	struct kp_apt_change *c = calloc(1, sizeof(*c));

	if (c == NULL)
		abort();
	c->package = strdup(package);
	c->cause = dup_or_null(cause);
	c->dependent = dup_or_null(dependent);
	return c;
}

/* Fill out from the first rule of line that applies; true if one did. */
static bool
apply_rule(char *line, const char *const *names, size_t n,
           struct kp_apt_sim *out)
{
	char *save = NULL, *kind = strtok_r(line, " \t\n", &save);
	char *pkg, *cause, *dependent;

	if (kind == NULL || kind[0] == '#')
		return false;
	if (strcmp(kind, "protect") == 0)
		return false;
	if (strcmp(kind, "problem") == 0) {
		out->problem = strdup(save);
		out->problem[strcspn(out->problem, "\n")] = '\0';
		return true;
	}
	pkg = strtok_r(NULL, " \t\n", &save);
	cause = strtok_r(NULL, " \t\n", &save);
	dependent = strtok_r(NULL, " \t\n", &save);
	if (pkg == NULL || cause == NULL ||
	    (strcmp(cause, "-") != 0 && !named(names, n, cause)))
		return false;
	if (strcmp(kind, "remove") == 0) {
		out->removals = one_change(pkg, cause, NULL);
		out->n_removals = 1;
	} else if (strcmp(kind, "install") == 0) {
		out->installs = one_change(pkg, cause, dependent);
		out->n_installs = 1;
	} else
		return false;
	return true;
}

static void
log_names(const char *const *names, size_t n)
{
	const char *path = getenv("KP_FAKE_APT_LOG");
	FILE *f = path ? fopen(path, "a") : NULL;

	if (f == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? " " : "", names[i]);
	fputc('\n', f);
	fclose(f);
}

static int
fake_simulate_purge(struct kp_apt *apt, const char *const *names, size_t n,
                    struct kp_apt_sim *out, struct kp_error *err)
{
	const char *path = getenv("KP_FAKE_APT_SCRIPT");
	char line[1024];
	FILE *f;

	(void)apt;
	memset(out, 0, sizeof(*out));
	log_names(names, n);
	if (path == NULL || (f = fopen(path, "r")) == NULL)
		return fail(err, -EIO, "no script (KP_FAKE_APT_SCRIPT)");
	while (fgets(line, sizeof(line), f) != NULL)
		if (apply_rule(line, names, n, out))
			break;
	fclose(f);
	return 0;
}

static void
free_changes(struct kp_apt_change *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].package);
		free(v[i].cause);
		free(v[i].dependent);
	}
	free(v);
}

static void
fake_sim_clear(struct kp_apt_sim *sim)
{
	free_changes(sim->removals, sim->n_removals);
	free_changes(sim->installs, sim->n_installs);
	free(sim->problem);
	memset(sim, 0, sizeof(*sim));
}

static char **
empty_strv(void)
{
	char **v = calloc(1, sizeof(*v));

	if (v == NULL)
		abort();
	return v;
}

/* A healthy system: no problem records. */
static int
fake_problems(struct kp_apt *apt, struct kp_problem **problems,
              struct kp_error *err)
{
	(void)apt;
	(void)err;
	*problems = NULL;
	return 0;
}

static void
fake_problems_free(struct kp_problem *problems, size_t n)
{
	for (size_t i = 0; problems != NULL && i < n; i++) {
		free(problems[i].package);
		free(problems[i].text);
	}
	free(problems);
}

/* The packages of the script's "protect" lines. */
static int
fake_kernel_protected(struct kp_apt *apt, const char *running, char ***names,
                      struct kp_error *err)
{
	const char *path = getenv("KP_FAKE_APT_SCRIPT");
	char line[1024], *save, *word;
	size_t n = 0;
	FILE *f;

	(void)apt;
	(void)running;
	*names = empty_strv();
	if (path == NULL || (f = fopen(path, "r")) == NULL)
		return fail(err, -EIO, "no script (KP_FAKE_APT_SCRIPT)");
	while (fgets(line, sizeof(line), f) != NULL) {
		word = strtok_r(line, " \t\n", &save);
		if (word == NULL || strcmp(word, "protect") != 0 ||
		    (word = strtok_r(NULL, " \t\n", &save)) == NULL)
			continue;
		*names = realloc(*names, (n + 2) * sizeof(**names));
		if (*names == NULL)
			abort();
		(*names)[n++] = strdup(word);
		(*names)[n] = NULL;
	}
	fclose(f);
	return (int)n;
}

static void
fake_strv_free(char **v)
{
	for (size_t i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* No marks, no patterns: apt would remove nothing it knows. */
static int
fake_autoremove(struct kp_apt *apt, const char *running,
                const char *const *names, size_t n, struct kp_apt_mark *marks,
                char ***patterns, struct kp_error *err)
{
	(void)apt;
	(void)running;
	(void)names;
	(void)err;
	memset(marks, 0, n * sizeof(*marks));
	*patterns = empty_strv();
	return 0;
}

__attribute__((visibility(
        "default"))) extern const struct kp_apt_module KP_APT_MODULE_TABLE;
const struct kp_apt_module KP_APT_MODULE_TABLE = {
	KP_APT_MODULE_ABI,
	PACKAGE_VERSION,
	sizeof(struct kp_error),
	fake_open,
	fake_close,
	fake_simulate_purge,
	fake_sim_clear,
	fake_problems,
	fake_problems_free,
	fake_kernel_protected,
	fake_strv_free,
	fake_autoremove,
};
