/*
 * Test helper: a throw-away root with a dpkg status file (see statusdb.h).
 */
#include <config.h>

#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "statusdb.h"

static void
die(const char *what)
{
	perror(what);
	abort();
}

/** dpkg's Status field for sdb_pkg flags ('h', 'c', 'b'). */
const char *
sdb_status_of(const char *flags)
{
	bool hold = strchr(flags, 'h') != NULL;

	if (strchr(flags, 'c'))
		return hold ? "hold ok config-files" :
		              "deinstall ok config-files";
	if (strchr(flags, 'b'))
		return hold ? "hold ok half-configured" :
		              "install ok half-configured";
	return hold ? "hold ok installed" : "install ok installed";
}

static void
write_stanza(FILE *f, const struct sdb_pkg *p)
{
	fprintf(f,
	        "Package: %s\nStatus: %s\nPriority: optional\n"
	        "Section: kernel\nInstalled-Size: %zu\n"
	        "Maintainer: Test <test@example.org>\nArchitecture: amd64\n"
	        "Version: %s\n",
	        p->name, sdb_status_of(p->flags ? p->flags : ""),
	        1000 + strlen(p->name), p->version ? p->version : "1.0-1");
	if (p->depends)
		fprintf(f, "Depends: %s\n", p->depends);
	if (p->provides)
		fprintf(f, "Provides: %s\n", p->provides);
	fputs("Description: test package\n\n", f);
}

void
sdb_write_file(const char *root, const char *relpath, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, relpath);
	f = fopen(path, "w");
	if (f == NULL)
		die(path);
	fputs(text, f);
	if (fclose(f) != 0)
		die(path);
}

char *
sdb_root_new_in(const char *parent, const struct sdb_pkg *pkgs)
{
	char tmpl[4096], path[4096];
	char *root;
	FILE *f;

	snprintf(tmpl, sizeof(tmpl), "%s/kp-test-XXXXXX", parent);
	if (mkdtemp(tmpl) == NULL)
		die("mkdtemp");
	root = strdup(tmpl);
	snprintf(path, sizeof(path),
	         "mkdir -p '%s/var/lib/dpkg/updates' "
	         "'%s/var/lib/dpkg/info'",
	         root, root);
	if (system(path) != 0)
		die("mkdir");
	snprintf(path, sizeof(path), "%s/var/lib/dpkg/status", root);
	f = fopen(path, "w");
	if (f == NULL)
		die(path);
	for (; pkgs && pkgs->name; pkgs++)
		write_stanza(f, pkgs);
	if (fclose(f) != 0)
		die(path);
	sdb_use_apt_config(root);
	return root;
}

/*
 * apt reads APT_CONFIG, then the apt.conf.d of the system it runs on, not
 * the root's (lib/apt-shim.cc, as apt-get -o Dir=ROOT): point APT_CONFIG
 * at a file that sends apt to the root's own etc/apt, so that a test sees
 * what it put there and nothing of the machine it runs on.
 */
void
sdb_use_apt_config(const char *root)
{
	char path[4096], text[8192];

	snprintf(path, sizeof(path), "%s/apt-test.conf", root);
	snprintf(text, sizeof(text),
	         "Dir::Etc::parts \"%s/etc/apt/apt.conf.d\";\n"
	         "Dir::Etc::main \"%s/etc/apt/apt.conf\";\n",
	         root, root);
	sdb_write_file(root, "apt-test.conf", text);
	if (setenv("APT_CONFIG", path, 1) != 0)
		die("setenv");
}

char *
sdb_root_new(const struct sdb_pkg *pkgs)
{
	return sdb_root_new_in("/tmp", pkgs);
}

static int
remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	return remove(path);
}

void
sdb_root_free(char *root)
{
	if (root == NULL)
		return;
	nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(root);
}
