/*
 * t-summary - the state file (its line, parsed back; written safely), the
 * node_exporter metrics, and the Byobu marker made from a summary.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "kpurge-app.h"
#include "kpurge.h"
#include "unattended.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct kp_summary
sample(void)
{
	struct kp_summary s;

	kp_summary_init(&s);
	s.installed = 4;
	s.purgeable = 2;
	s.purgeable_packages = 9;
	s.purgeable_bytes = 300ull << 20;
	s.purgeable_boot_bytes = 140ull << 20;
	s.boot.known = true;
	s.boot.size = 1ull << 30;
	s.boot.used = 900ull << 20;
	s.stamp = 0x0123456789abcdefULL;
	s.kernels = 0xfedcba9876543210ULL;
	s.policy = 1;
	s.announced = 0xfedcba9876543210ULL;
	s.last_run = KP_LAST_RUN_OK;
	s.last_run_purged = 3;
	s.last_run_freed_bytes = 5000;
	s.last_run_freed_boot_bytes = 4000;
	return s;
}

/* ------------------------------------------------------- the state line */

/* Two summaries are the same when every field is: their lines are. */
static void
assert_same(const struct kp_summary *a, const struct kp_summary *b)
{
	char la[4096], lb[4096];

	assert_true(kp_summary_format(a, la, sizeof(la)) > 0);
	assert_true(kp_summary_format(b, lb, sizeof(lb)) > 0);
	assert_string_equal(la, lb);
	assert_int_equal(a->boot.known, b->boot.known);
}

static void
test_round_trip(void **state)
{
	struct kp_summary s = sample(), back;
	char line[4096];
	int n;

	(void)state;
	n = kp_summary_format(&s, line, sizeof(line));
	assert_true(n > 0);
	assert_int_equal(line[n - 1], '\n');
	assert_non_null(strstr(line, "purgeable=2 "));
	assert_non_null(strstr(line, "stamp=0123456789abcdef "));
	assert_non_null(strstr(line, "announced=fedcba9876543210 "));
	kp_summary_init(&back);
	assert_int_equal(kp_summary_parse(line, &back), 0);
	assert_same(&s, &back);
	/* too small a buffer */
	assert_int_equal(kp_summary_format(&s, line, 20), -ENOSPC);
}

static void
test_parse(void **state)
{
	static const char *const bad[] = {
		"",
		"garbage",
		"format=2 purgeable=1",
		"purgeable=1",
		"format=1 purgeable=x",
		"format=1 purgeable=-1",
		"format=1 stamp=xyz",
		"format=1 installed=99999999999",
		"format=1junk purgeable=1",
		"format= purgeable=1",
		"format=-1 purgeable=1",
		"format=01x",
	};
	struct kp_summary s;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		kp_summary_init(&s);
		if (kp_summary_parse(bad[i], &s) != -EINVAL)
			fail_msg("'%s' parsed", bad[i]);
	}
	/* a later version's words are skipped */
	kp_summary_init(&s);
	assert_int_equal(kp_summary_parse("format=1 purgeable=3 future=yes "
	                                  "last_run=failed\n",
	                                  &s),
	                 0);
	assert_int_equal(s.purgeable, 3);
	assert_int_equal(s.last_run, KP_LAST_RUN_FAILED);
}

/* --------------------------------------------------- saving and loading */

static char tmp_root[64];

static int
make_root(void **state)
{
	(void)state;
	strcpy(tmp_root, "/tmp/t-summary.XXXXXX");
	return mkdtemp(tmp_root) == NULL ? -1 : 0;
}

static int
remove_root(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_root);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_save_load(void **state)
{
	struct kp_summary s = sample(), back;
	struct kp_error err;
	char path[256];
	struct stat st;

	(void)state;
	kp_error_clear(&err);
	assert_int_equal(kp_summary_load(tmp_root, &back, &err), -ENOENT);
	umask(077);
	assert_int_equal(kp_summary_save(tmp_root, &s, &err), 0);
	umask(022);
	snprintf(path, sizeof(path), "%s" KP_STATE_FILE, tmp_root);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	snprintf(path, sizeof(path), "%s" KP_STATE_DIR, tmp_root);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_int_equal(kp_summary_load(tmp_root, &back, &err), 0);
	assert_same(&s, &back);
	/* no temporary file left behind */
	snprintf(path, sizeof(path),
	         "ls -A '%s" KP_STATE_DIR "' | "
	         "grep -qvx status",
	         tmp_root);
	assert_int_not_equal(system(path), 0);
}

/* A link planted where the state file goes is replaced, never followed. */
static void
test_no_follow(void **state)
{
	struct kp_summary s = sample();
	struct kp_error err;
	char path[256], target[256], dir[256];
	struct stat st;
	int fd;

	(void)state;
	snprintf(target, sizeof(target), "%s/victim", tmp_root);
	fd = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	close(fd);
	snprintf(path, sizeof(path), "%s" KP_STATE_FILE, tmp_root);
	unlink(path);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(kp_summary_save(tmp_root, &s, &err), 0);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_size, 0);
	/* a state directory others can write to is refused */
	snprintf(dir, sizeof(dir), "%s" KP_STATE_DIR, tmp_root);
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(kp_summary_save(tmp_root, &s, &err), -EPERM);
	assert_non_null(strstr(err.message, dir));
	assert_int_equal(chmod(dir, 0755), 0);
}

/* ------------------------------------------------------------ metrics */

static char *
prometheus(const struct kp_summary *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(kp_summary_write_prometheus(s, f), 0);
	fclose(f);
	return text;
}

/*
 * The text format: every sample after its HELP and TYPE, a name with the
 * prefix in base units, one value, no timestamp.
 */
static void
check_exposition(const char *text)
{
	char *copy = strdup(text), *line, *save = NULL;
	char help[128] = "", type[128] = "", name[128];
	double value;
	int n;

	for (line = strtok_r(copy, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "# HELP %127s", help) == 1)
			continue;
		if (sscanf(line, "# TYPE %127s gauge", type) == 1)
			continue;
		n = 0;
		if (sscanf(line, "%127s %lf%n", name, &value, &n) != 2 ||
		    line[n] != '\0')
			fail_msg("not a sample line: '%s'", line);
		if (strcmp(name, help) != 0 || strcmp(name, type) != 0)
			fail_msg("%s has no HELP or TYPE line before it", name);
		if (strncmp(name, "purge_old_kernels_", 18) != 0 ||
		    strspn(name, "abcdefghijklmnopqrstuvwxyz_") != strlen(name))
			fail_msg("bad metric name '%s'", name);
	}
	free(copy);
}

static void
test_prometheus(void **state)
{
	struct kp_summary s = sample();
	char *text;

	(void)state;
	text = prometheus(&s);
	check_exposition(text);
	assert_non_null(
	        strstr(text, "\npurge_old_kernels_purgeable_releases 2\n"));
	assert_non_null(strstr(
	        text, "\npurge_old_kernels_purgeable_boot_bytes 146800640\n"));
	assert_non_null(strstr(
	        text, "\npurge_old_kernels_boot_size_bytes 1073741824\n"));
	assert_non_null(
	        strstr(text, "\npurge_old_kernels_last_run_success 1\n"));
	assert_non_null(strstr(
	        text, "\npurge_old_kernels_last_run_purged_releases 3\n"));
	assert_null(strstr(text, "apt_"));
	free(text);
	/* what is not known is not exported */
	s.boot.known = false;
	s.last_run = KP_LAST_RUN_NONE;
	text = prometheus(&s);
	check_exposition(text);
	assert_null(strstr(text, "boot_size_bytes"));
	assert_null(strstr(text, "last_run"));
	free(text);
}

static void
test_export_prometheus(void **state)
{
	struct kp_summary s = sample();
	struct kp_error err;
	char dir[256], path[300], cmd[700], *want;
	FILE *f;
	char got[8192];
	size_t n;

	(void)state;
	kp_error_clear(&err);
	assert_int_equal(kp_summary_export_prometheus(tmp_root, &s, &err), 0);
	snprintf(dir, sizeof(dir), "%s" KP_PROMETHEUS_DIR, tmp_root);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(kp_summary_export_prometheus(tmp_root, &s, &err), 1);
	snprintf(path, sizeof(path), "%s" KP_PROMETHEUS_FILE, tmp_root);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(got, 1, sizeof(got) - 1, f);
	got[n] = '\0';
	fclose(f);
	want = prometheus(&s);
	assert_string_equal(got, want);
	free(want);
	/* only the .prom file: node_exporter reads every *.prom there */
	snprintf(cmd, sizeof(cmd),
	         "test \"$(ls -A '%s')\" = "
	         "purge_old_kernels.prom",
	         dir);
	assert_int_equal(system(cmd), 0);
}

/* --------------------------------------------------------------- Byobu */

struct byobu_row {
	unsigned purgeable;
	unsigned used_pct; /* of a 1000 MiB /boot; 0: unknown */
	bool utf8, color;
	const char *want;
};

static const struct byobu_row byobu_rows[] = {
	{ 0, 50, true, true, "" },
	{ 0, 0, true, true, "" },
	{ 3, 50, false, false, "K3\n" },
	{ 3, 50, true, false, "\u232b3\n" },
	{ 3, 50, false, true, "#[fg=black,bg=yellow]K3#[default]\n" },
	{ 3, 90, false, false, "K3 /boot 90%%\n" },
	{ 3, 90, false, true,
	  "#[fg=brightwhite,bold,bg=red]K3 /boot 90%%#[default]\n" },
	{ 0, 90, false, true,
	  "#[fg=brightwhite,bold,bg=red]/boot 90%%#[default]\n" },
	{ 0, 85, false, false, "/boot 85%%\n" },
	{ 0, 84, false, false, "" },
	{ 1, 100, true, false, "\u232b1 /boot 100%%\n" },
};

static void
test_byobu(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(byobu_rows); i++) {
		const struct byobu_row *row = &byobu_rows[i];
		struct cli_byobu_style style = { row->utf8, row->color };
		struct kp_summary s;
		char buf[256];
		int n;

		kp_summary_init(&s);
		s.purgeable = row->purgeable;
		s.boot.known = row->used_pct > 0;
		s.boot.size = 1000ull << 20;
		s.boot.used = (row->used_pct * 10ull) << 20;
		n = cli_status_byobu_format(&s, 85, &style, buf, sizeof(buf));
		if (n < 0 || strcmp(buf, row->want) != 0)
			fail_msg("row %zu: '%s', expected '%s'", i, buf,
			         row->want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_save_load),
		cmocka_unit_test(test_no_follow),
		cmocka_unit_test(test_prometheus),
		cmocka_unit_test(test_export_prometheus),
		cmocka_unit_test(test_byobu),
	};

	return cmocka_run_group_tests_name("state file, metrics, Byobu", tests,
	                                   make_root, remove_root);
}
