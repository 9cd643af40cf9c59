/*
 * Test helper: a throw-away root directory whose dpkg status file holds the
 * packages a test declares, read by the real libdpkg through libkpurge.
 */
#ifndef TESTS_STATUSDB_H
#define TESTS_STATUSDB_H

struct sdb_pkg {
	const char *name;
	/* 'h' on hold, 'c' config-files ("rc"), 'b' half-configured */
	const char *flags;
	const char *depends;  /* Depends field, or NULL */
	const char *provides; /* Provides field, or NULL */
	const char *version;  /* NULL: "1.0-1" */
};

/* dpkg's Status field for the flags of an sdb_pkg. */
const char *sdb_status_of(const char *flags);
/* Make a root holding pkgs (ended by an entry with a NULL name). */
char *sdb_root_new(const struct sdb_pkg *pkgs);
/* The same, in the directory parent instead of /tmp. */
char *sdb_root_new_in(const char *parent, const struct sdb_pkg *pkgs);
/* Make apt read root's etc/apt only (APT_CONFIG); sdb_root_new() does. */
void sdb_use_apt_config(const char *root);
/* Write text as a raw file under root (e.g. a corrupt status file). */
void sdb_write_file(const char *root, const char *relpath, const char *text);
/* Remove the root and everything below it, and free the path. */
void sdb_root_free(char *root);

#endif
