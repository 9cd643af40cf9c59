/*
 * libkpurge - what the boot loader boots next.
 *
 * A release a boot loader is set to boot (grub-reboot, grub-set-default,
 * GRUB_DEFAULT, systemd-boot's default, a Proxmox pin) must survive the
 * purge, or the next boot falls back to another kernel, or fails. This
 * reads, under the root, in this order, and the first that names an entry
 * is the pick:
 *
 *   - Proxmox: etc/kernel/next-boot-pin, then etc/kernel/proxmox-boot-pin;
 *   - systemd-boot: the LoaderEntryOneShot, then LoaderEntryDefault EFI
 *     variables (the running system only), then "default" in
 *     loader/loader.conf on the ESP (efi, boot/efi, boot); the entry's
 *     release from its file in loader/entries, else from its name;
 *   - GRUB: next_entry in boot/grub/grubenv, then GRUB_DEFAULT of
 *     etc/default/grub when it names an entry, or grubenv's saved_entry
 *     when it is "saved" (or not set); the entry's release from the linux
 *     line of boot/grub/grub.cfg, else from the title ("..., with Linux
 *     R") or id ("gnulinux-R-advanced-UUID") update-grub gives it.
 *
 * Files are opened through the trust walk (lib/trust.c): a name another
 * user could point elsewhere is not read. What is absent, unreadable or
 * malformed says nothing; nothing here fails.
 */
#include <config.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kpurge-boot.h"
#include "kpurge-app.h"
#include "kpurge-private.h"
#include "kpurge-trust.h"

#define GRUBENV_SIZE 1024
#define GRUBENV_HEADER "# GRUB Environment Block\n"
#define TEXT_MAX (4u << 20) /* a grub.cfg larger than this is not one */
#define LOADER_GUID "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"

const char *kp__efivars_dir = "/sys/firmware/efi/efivars";

/* ------------------------------------------------------------ reading */

/* Read what fd holds, at most max bytes, NUL-terminated; NULL if more. */
static char *
read_fd(int fd, size_t max, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1), *grown;
	ssize_t got;

	while (buf != NULL) {
		if (n == cap) {
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			if (n == cap || (grown = realloc(buf, cap + 1)) == NULL)
				break;
			buf = grown;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (got < 0 || n > max)
				break;
			buf[n] = '\0';
			*len = n;
			return buf;
		}
		n += (size_t)got;
	}
	free(buf);
	return NULL;
}

/*
 * The regular file ROOT/rel (or the absolute path when root is NULL),
 * opened through the trust walk; malloc'ed and NUL-terminated, or NULL.
 */
static char *
read_under(const char *root, const char *rel, size_t max, size_t *len)
{
	char path[PATH_MAX];
	struct stat st;
	char *text = NULL;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", root ? root : "",
	                     rel) >= sizeof(path))
		return NULL;
	fd = kp_trust_open(path, O_RDONLY | O_NONBLOCK, geteuid(), NULL);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		text = read_fd(fd, max, len);
	close(fd);
	return text;
}

static bool
copy(char *out, size_t size, const char *s, size_t n)
{
	if (n >= size)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

/* "vmlinuz-R" or ".../vmlinuz-R" (vmlinux too): R, when a release. */
static bool
image_release(const char *path, char *release, size_t size)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (strncmp(base, "vmlinuz-", 8) != 0 &&
	    strncmp(base, "vmlinux-", 8) != 0)
		return false;
	return kp_release_split(base + 8, NULL, 0, NULL, 0) &&
	       copy(release, size, base + 8, strlen(base + 8));
}

/* ------------------------------------------------------------- grubenv */

/* One name=value line of the block at p: the value unescaped into out. */
static const char *
env_line(const char *p, const char *end, const char *key, char *out,
         size_t size, bool *found, bool *bad)
{
	const char *eq = p;
	size_t n = 0;

	while (eq < end && *eq != '=' && *eq != '\n')
		eq++;
	if (eq == end || *eq != '=' || eq == p) {
		*bad = true;
		return end;
	}
	*found = (size_t)(eq - p) == strlen(key) &&
	         memcmp(p, key, strlen(key)) == 0;
	for (p = eq + 1; p < end && *p != '\n'; p++) {
		if (*p == '\\' && p + 1 < end)
			p++;
		if (*found && n + 1 < size)
			out[n++] = *p;
	}
	if (*found)
		out[n] = '\0';
	return p < end ? p + 1 : end;
}

/**
 * The value of key in GRUB's environment block buf (len bytes), as GRUB
 * reads it: exactly 1024 bytes after the header, name=value lines with
 * backslash escapes, '#' lines (the padding) skipped. A block that is not
 * one says nothing (false).
 */
bool
kp__grubenv_get(const char *buf, size_t len, const char *key, char *out,
                size_t size)
{
	const char *p = buf + strlen(GRUBENV_HEADER), *end = buf + len;
	bool found = false, bad = false;

	if (len != GRUBENV_SIZE || size == 0 ||
	    memcmp(buf, GRUBENV_HEADER, strlen(GRUBENV_HEADER)) != 0 ||
	    memchr(buf, '\0', len) != NULL)
		return false;
	while (p < end && !bad) {
		if (*p == '#') {
			const char *nl = memchr(p, '\n', (size_t)(end - p));

			p = nl ? nl + 1 : end;
			continue;
		}
		p = env_line(p, end, key, out, size, &found, &bad);
		if (found && !bad)
			return true;
	}
	return false;
}

/* --------------------------------------------------------- shell words */

/*
 * The next shell word at *pp (quotes and backslashes as sh reads them),
 * into out; false at the end of the line, a comment or a "{".
 */
static bool
next_word(const char **pp, char *out, size_t size)
{
	const char *p = *pp;
	size_t n = 0;
	char q = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '\n' || *p == '#' ||
	    (*p == '{' && (p[1] == '\0' || isspace((unsigned char)p[1]))))
		return false;
	for (; *p != '\0' && *p != '\n'; p++) {
		if (q == 0 && (*p == ' ' || *p == '\t'))
			break;
		if (q == 0 && (*p == '\'' || *p == '"')) {
			q = *p;
			continue;
		}
		if (*p == q) {
			q = 0;
			continue;
		}
		if (*p == '\\' && q != '\'' && p[1] != '\0' && p[1] != '\n')
			p++;
		if (n + 1 < size)
			out[n++] = *p;
	}
	out[n] = '\0';
	*pp = p;
	return true;
}

/**
 * The value of the last GRUB_DEFAULT= assignment in text (a file of shell
 * assignments, etc/default/grub), unquoted. False when none is there.
 */
bool
kp__grub_default_get(const char *text, char *out, size_t size)
{
	static const char name[] = "GRUB_DEFAULT=";
	const char *line;
	bool found = false;

	for (line = text; line != NULL && *line != '\0';
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		const char *p = line;

		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "export ", 7) == 0)
			p += 7;
		if (strncmp(p, name, strlen(name)) != 0)
			continue;
		p += strlen(name);
		if (!next_word(&p, out, size))
			out[0] = '\0';
		found = true;
	}
	return found && out[0] != '\0';
}

/* ------------------------------------------------------------ grub.cfg */

#define DEPTH_MAX 16

/* One open brace of grub.cfg: a menu entry, a submenu, or other code. */
struct level {
	bool menu, submenu;
	char title[256], id[256];
	unsigned index; /* among the entries of its menu */
};

struct cfg_walk {
	const char *spec; /* the entry looked for */
	struct level open[DEPTH_MAX];
	size_t depth;
	size_t beyond;                 /* blocks open deeper than DEPTH_MAX */
	unsigned count[DEPTH_MAX + 1]; /* entries seen per menu level */
	size_t found_depth;            /* depth of the matching entry, or 0 */
	bool found;
	char *release;
	size_t size;
};

/* Does one component of an entry path name the entry at level l? */
static bool
component_names(const char *c, size_t n, const struct level *l)
{
	char num[16];

	if (n > 0 && strspn(c, "0123456789") >= n) {
		snprintf(num, sizeof(num), "%u", l->index);
		return strlen(num) == n && memcmp(c, num, n) == 0;
	}
	return (strlen(l->title) == n && memcmp(c, l->title, n) == 0) ||
	       (strlen(l->id) == n && memcmp(c, l->id, n) == 0);
}

/*
 * Does the spec ("A>B") name the innermost open entry: every menu level
 * in turn, or its last part alone at any level (not a bare number).
 */
static bool
path_matches(const struct cfg_walk *w)
{
	const struct level *menus[DEPTH_MAX];
	size_t n = 0, i, k = 0;
	const char *c = w->spec, *gt;

	for (i = 0; i < w->depth; i++)
		if (w->open[i].menu)
			menus[n++] = &w->open[i];
	if (n == 0)
		return false;
	if (strchr(w->spec, '>') == NULL && strspn(c, "0123456789") < strlen(c))
		return component_names(c, strlen(c), menus[n - 1]);
	for (;; c = gt + 1, k++) {
		gt = strchr(c, '>');
		if (k >= n ||
		    !component_names(c, gt ? (size_t)(gt - c) : strlen(c),
		                     menus[k]))
			return false;
		if (gt == NULL)
			return k + 1 == n;
	}
}

/* menuentry or submenu: the title, then $menuentry_id_option 'id'. */
static void
open_menu(struct cfg_walk *w, const char *p, bool submenu)
{
	struct level *l = &w->open[w->depth];
	size_t menus = 0, i;
	char word[256];
	bool id_next = false;

	for (i = 0; i < w->depth; i++)
		menus += w->open[i].menu;
	memset(l, 0, sizeof(*l));
	l->menu = true;
	l->submenu = submenu;
	l->index = w->count[menus]++;
	if (menus + 1 <= DEPTH_MAX)
		w->count[menus + 1] = 0;
	if (next_word(&p, word, sizeof(word)))
		snprintf(l->title, sizeof(l->title), "%s", word);
	while (next_word(&p, word, sizeof(word))) {
		if (id_next)
			snprintf(l->id, sizeof(l->id), "%s", word);
		id_next = strcmp(word, "--id") == 0 ||
		          strcmp(word, "$menuentry_id_option") == 0 ||
		          strcmp(word, "${menuentry_id_option}") == 0;
	}
	w->depth++;
	if (!w->found && path_matches(w)) {
		w->found = true;
		w->found_depth = w->depth;
	}
}

/* One line of grub.cfg. Returns false once the entry's kernel is known. */
static bool
cfg_line(struct cfg_walk *w, const char *line, size_t len)
{
	const char *p = line;
	char cmd[64], arg[PATH_MAX];
	bool opens;

	while (len > 0 && isspace((unsigned char)line[len - 1]))
		len--;
	opens = len > 0 && line[len - 1] == '{';
	if (!next_word(&p, cmd, sizeof(cmd)))
		cmd[0] = '\0';
	if (strcmp(cmd, "}") == 0 ||
	    (cmd[0] == '\0' && len > 0 && line[len - 1] == '}')) {
		if (w->beyond > 0) { /* closes a block not followed */
			w->beyond--;
			return true;
		}
		if (w->found && w->depth == w->found_depth)
			return false;
		w->depth -= w->depth > 0;
		return true;
	}
	if (w->found && w->depth >= w->found_depth && w->release[0] == '\0' &&
	    !w->open[w->found_depth - 1].submenu &&
	    strncmp(cmd, "linux", 5) == 0 && next_word(&p, arg, sizeof(arg)))
		return !image_release(arg, w->release, w->size);
	if (opens && w->depth >= DEPTH_MAX)
		w->beyond++;
	if (!opens || w->depth >= DEPTH_MAX)
		return true;
	if (strcmp(cmd, "menuentry") == 0 || strcmp(cmd, "submenu") == 0)
		open_menu(w, p, strcmp(cmd, "submenu") == 0);
	else
		w->open[w->depth++] = (struct level){ .menu = false };
	return true;
}

/**
 * The release the entry spec boots by grub.cfg's text: the vmlinuz-R of
 * the linux line of the entry it names. True when the entry is there
 * (release "" when it boots no kernel release), false when it is not.
 */
bool
kp__grub_cfg_release(const char *cfg, const char *spec, char *release,
                     size_t size)
{
	struct cfg_walk w = { .spec = spec, .release = release, .size = size };
	const char *line = cfg, *nl;

	if (size == 0 || spec[0] == '\0')
		return false;
	release[0] = '\0';
	for (; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl == NULL)
			nl = line + strlen(line) - 1;
		if (!cfg_line(&w, line, (size_t)(nl - line) + (*nl != '\n')))
			break;
	}
	return w.found;
}

/* ------------------------------------------- update-grub's conventions */

/* "gnulinux-R-advanced-UUID", -recovery-, -init-TYPE-: R. */
static bool
id_release(const char *id, char *release, size_t size)
{
	static const char *const types[] = { "-advanced-", "-recovery-",
		                             "-init-" };
	const char *rest = id + strlen("gnulinux-"), *at, *best = NULL;
	size_t i;

	if (strncmp(id, "gnulinux-", strlen("gnulinux-")) != 0)
		return false;
	for (i = 0; i < KP_ARRAY_SIZE(types); i++)
		if ((at = strstr(rest, types[i])) != NULL &&
		    (best == NULL || at < best))
			best = at;
	return best != NULL &&
	       copy(release, size, rest, (size_t)(best - rest)) &&
	       kp_release_split(release, NULL, 0, NULL, 0);
}

/* "OS, with Linux R" or "OS, with Linux R (recovery mode)": R. */
static bool
title_release(const char *title, char *release, size_t size)
{
	static const char mark[] = ", with Linux ";
	const char *at = NULL, *s = title, *end;

	while ((s = strstr(s, mark)) != NULL)
		at = s++;
	if (at == NULL)
		return false;
	at += strlen(mark);
	end = strchr(at, ' ');
	return copy(release, size, at, end ? (size_t)(end - at) : strlen(at)) &&
	       kp_release_split(release, NULL, 0, NULL, 0);
}

/**
 * The release an entry (its last part after '>') names by the titles and
 * ids update-grub writes (util/grub.d/10_linux.in). False for others: the
 * simple entry and the submenu name no release.
 */
bool
kp__grub_entry_release(const char *entry, char *release, size_t size)
{
	const char *last = strrchr(entry, '>');

	last = last ? last + 1 : entry;
	if (size == 0)
		return false;
	release[0] = '\0';
	return id_release(last, release, size) ||
	       title_release(last, release, size);
}

/* -------------------------------------------------------- systemd-boot */

/* The value of "key value" lines (systemd-boot's files): the last one. */
static bool
sd_value(const char *text, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);
	const char *line;
	bool found = false;

	for (line = text; line != NULL && *line != '\0';
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		const char *p = line, *end;

		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, key, klen) != 0 ||
		    (p[klen] != ' ' && p[klen] != '\t'))
			continue;
		for (p += klen; *p == ' ' || *p == '\t'; p++)
			;
		end = p + strcspn(p, "\n");
		while (end > p && isspace((unsigned char)end[-1]))
			end--;
		found = copy(out, size, p, (size_t)(end - p)) && end > p;
	}
	return found;
}

/** The "default" of a loader.conf's text; "@saved" and the like say nothing. */
bool
kp__loader_conf_default(const char *text, char *out, size_t size)
{
	return sd_value(text, "default", out, size) && out[0] != '@';
}

/**
 * The release a systemd-boot entry boots: from its text when given
 * ("version R", else a linux line naming vmlinuz-R), else from its name
 * ("MACHINE-ID-R.conf", "proxmox-R.conf": the first part that is a
 * release, up to ".conf").
 */
bool
kp__sd_entry_release(const char *name, const char *text, char *release,
                     size_t size)
{
	char buf[PATH_MAX];
	const char *p;
	size_t n;

	if (text != NULL)
		return (sd_value(text, "version", release, size) &&
		        kp_release_split(release, NULL, 0, NULL, 0)) ||
		       (sd_value(text, "linux", buf, sizeof(buf)) &&
		        image_release(buf, release, size));
	n = strlen(name);
	if (n > 5 && strcmp(name + n - 5, ".conf") == 0)
		n -= 5;
	for (p = name; p != NULL && (size_t)(p - name) < n;
	     p = strchr(p, '-') ? strchr(p, '-') + 1 : NULL)
		if (isdigit((unsigned char)*p) &&
		    copy(release, size, p, n - (size_t)(p - name)) &&
		    kp_release_split(release, NULL, 0, NULL, 0))
			return true;
	return false;
}

/** The string of an EFI variable: attributes, then UTF-16LE, ASCII only. */
bool
kp__efivar_string(const unsigned char *buf, size_t len, char *out, size_t size)
{
	size_t i, n = 0;

	if (len < 6 || (len - 4) % 2 != 0 || size == 0)
		return false;
	for (i = 4; i + 1 < len; i += 2) {
		unsigned c = buf[i] | (unsigned)buf[i + 1] << 8;

		if (c == 0)
			break;
		if (c < 0x20 || c > 0x7e || n + 1 >= size)
			return false;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return n > 0;
}

/* The ESPs an entry or loader.conf may be on, under the root. */
static const char *const esps[] = { "efi", "boot/efi", "boot" };

/* Is the entry file name matched by the pattern (with or without .conf)? */
static bool
entry_matches(const char *pattern, const char *name)
{
	char bare[NAME_MAX + 1];
	size_t n = strlen(name);

	if (n <= 5 || strcmp(name + n - 5, ".conf") != 0 || n >= sizeof(bare))
		return false;
	memcpy(bare, name, n - 5);
	bare[n - 5] = '\0';
	return fnmatch(pattern, name, 0) == 0 || fnmatch(pattern, bare, 0) == 0;
}

/* Among the entries of one directory that match: the newest release. */
static void
scan_entries(const char *root, const char *dir, const char *pattern,
             char *release, size_t size)
{
	char rel[PATH_MAX], path[PATH_MAX], found[KP_NAME_MAX];
	struct dirent *de;
	DIR *d;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, dir);
	fd = kp_trust_open(path, O_RDONLY | O_DIRECTORY, geteuid(), NULL);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len;
		char *text;

		if (!entry_matches(pattern, de->d_name) ||
		    (size_t)snprintf(rel, sizeof(rel), "%s/%s", dir,
		                     de->d_name) >= sizeof(rel) ||
		    (text = read_under(root, rel, 65536, &len)) == NULL)
			continue;
		if (kp__sd_entry_release(de->d_name, text, found,
		                         sizeof(found)) &&
		    (release[0] == '\0' ||
		     kp_release_compare(found, release) > 0))
			copy(release, size, found, strlen(found));
		free(text);
	}
	closedir(d);
}

/* The release of the entry pattern: the entries' files, else its name. */
static void
sd_resolve(const char *root, struct kp__boot_pick *pick)
{
	char dir[64];
	size_t i;

	pick->release[0] = '\0';
	for (i = 0; i < KP_ARRAY_SIZE(esps); i++) {
		snprintf(dir, sizeof(dir), "%s/loader/entries", esps[i]);
		scan_entries(root, dir, pick->entry, pick->release,
		             sizeof(pick->release));
	}
	if (pick->release[0] == '\0' && strpbrk(pick->entry, "*?[") == NULL &&
	    !kp__sd_entry_release(pick->entry, NULL, pick->release,
	                          sizeof(pick->release)))
		pick->release[0] = '\0';
}

static void
set_pick(struct kp__boot_pick *pick, const char *loader, const char *file,
         const char *setting, const char *entry)
{
	snprintf(pick->loader, sizeof(pick->loader), "%s", loader);
	snprintf(pick->file, sizeof(pick->file), "%s", file);
	snprintf(pick->setting, sizeof(pick->setting), "%s", setting);
	snprintf(pick->entry, sizeof(pick->entry), "%s", entry);
	pick->release[0] = '\0';
}

/* LoaderEntryOneShot, then LoaderEntryDefault. */
static bool
sd_efivars(const char *efivars, struct kp__boot_pick *pick)
{
	static const char *const vars[] = { "LoaderEntryOneShot",
		                            "LoaderEntryDefault" };
	char name[128], entry[256];
	size_t i, len;

	for (i = 0; efivars != NULL && i < KP_ARRAY_SIZE(vars); i++) {
		char *buf;

		snprintf(name, sizeof(name), "%s-" LOADER_GUID, vars[i]);
		buf = read_under(efivars, name, 4096, &len);
		if (buf != NULL && kp__efivar_string((unsigned char *)buf, len,
		                                     entry, sizeof(entry))) {
			snprintf(name, sizeof(name), "%s/%s-" LOADER_GUID,
			         efivars, vars[i]);
			set_pick(pick, "systemd-boot", name, vars[i], entry);
			free(buf);
			return true;
		}
		free(buf);
	}
	return false;
}

/* The EFI variables, then the first loader.conf on an ESP. */
static bool
sd_pick(const char *root, const char *efivars, struct kp__boot_pick *pick)
{
	char rel[64], file[80], entry[256];
	bool found = sd_efivars(efivars, pick);
	size_t i, len;

	for (i = 0; !found && i < KP_ARRAY_SIZE(esps); i++) {
		char *text;

		snprintf(rel, sizeof(rel), "%s/loader/loader.conf", esps[i]);
		if ((text = read_under(root, rel, 65536, &len)) == NULL)
			continue;
		snprintf(file, sizeof(file), "/%s", rel);
		if (kp__loader_conf_default(text, entry, sizeof(entry))) {
			set_pick(pick, "systemd-boot", file, "default", entry);
			found = true;
		}
		free(text);
		break;
	}
	if (found)
		sd_resolve(root, pick);
	return found;
}

/* ------------------------------------------------------------- Proxmox */

static bool
pve_pick(const char *root, struct kp__boot_pick *pick)
{
	static const char *const pins[] = { "etc/kernel/next-boot-pin",
		                            "etc/kernel/proxmox-boot-pin" };
	char file[64], word[KP_NAME_MAX];
	size_t i, len;

	for (i = 0; i < KP_ARRAY_SIZE(pins); i++) {
		char *text = read_under(root, pins[i], 4096, &len);
		const char *p = text;
		bool ok = text != NULL && next_word(&p, word, sizeof(word));

		free(text);
		if (!ok)
			continue;
		snprintf(file, sizeof(file), "/%s", pins[i]);
		set_pick(pick, "Proxmox", file,
		         i == 0 ? "next-boot pin" : "pin", word);
		if (kp_release_split(word, NULL, 0, NULL, 0))
			snprintf(pick->release, sizeof(pick->release), "%s",
			         word);
		return true;
	}
	return false;
}

/* ---------------------------------------------------------------- GRUB */

/*
 * The last GRUB_DEFAULT of the file ROOT/rel into def (its name, from the
 * root, into file) when it has one; an empty one is GRUB's 0.
 */
static bool
grub_default_in(const char *root, const char *rel, char *def, size_t size,
                char *file, size_t file_size)
{
	char value[512] = "\1"; /* kp__grub_default_get() writes "" too */
	size_t len;
	char *text = read_under(root, rel, 65536, &len);
	bool found = text != NULL &&
	             (kp__grub_default_get(text, value, sizeof(value)) ||
	              value[0] == '\0');

	free(text);
	if (!found)
		return false;
	snprintf(def, size, "%s", value[0] != '\0' ? value : "0");
	snprintf(file, file_size, "/%s", rel);
	return true;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * GRUB_DEFAULT as update-grub reads it: etc/default/grub, then each
 * etc/default/grub.d/\*.cfg by name (grub-mkconfig sources them in that
 * order); the last wins. False when none sets it.
 */
static bool
grub_default(const char *root, char *def, size_t size, char *file,
             size_t file_size)
{
	char path[PATH_MAX], rel[PATH_MAX], *names[256];
	bool found = grub_default_in(root, "etc/default/grub", def, size, file,
	                             file_size);
	struct dirent *de;
	size_t n = 0, i;
	DIR *d;
	int fd;

	snprintf(path, sizeof(path), "%s/etc/default/grub.d", root);
	fd = kp_trust_open(path, O_RDONLY | O_DIRECTORY, geteuid(), NULL);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return found;
	}
	while ((de = readdir(d)) != NULL && n < KP_ARRAY_SIZE(names)) {
		size_t len = strlen(de->d_name);

		if (len > 4 && strcmp(de->d_name + len - 4, ".cfg") == 0 &&
		    (names[n] = strdup(de->d_name)) != NULL)
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(rel, sizeof(rel), "etc/default/grub.d/%s",
		                     names[i]) < sizeof(rel) &&
		    grub_default_in(root, rel, def, size, file, file_size))
			found = true;
		free(names[i]);
	}
	return found;
}

/*
 * Which entry GRUB boots: next_entry, else GRUB_DEFAULT when it names an
 * entry, else (GRUB_DEFAULT=saved, or not set) saved_entry. False when
 * nothing names one (a bare 0 is the first entry, the newest kernel).
 */
static bool
grub_entry(const char *root, struct kp__boot_pick *pick)
{
	char value[512], def[512], def_file[PATH_MAX];
	size_t len = 0;
	char *env = read_under(root, "boot/grub/grubenv", 4096, &len);
	bool have_def = grub_default(root, def, sizeof(def), def_file,
	                             sizeof(def_file));
	bool found = false;

	if (env != NULL &&
	    kp__grubenv_get(env, len, "next_entry", value, sizeof(value)) &&
	    value[0] != '\0') {
		set_pick(pick, "GRUB", "/boot/grub/grubenv", "next_entry",
		         value);
		found = true;
	} else if (have_def && strcmp(def, "saved") != 0) {
		set_pick(pick, "GRUB", def_file, "GRUB_DEFAULT", def);
		found = strcmp(def, "0") != 0;
	} else if (env != NULL &&
	           kp__grubenv_get(env, len, "saved_entry", value,
	                           sizeof(value)) &&
	           value[0] != '\0') {
		set_pick(pick, "GRUB", "/boot/grub/grubenv", "saved_entry",
		         value);
		found = true;
	}
	free(env);
	return found;
}

static bool
grub_pick(const char *root, struct kp__boot_pick *pick)
{
	size_t len;
	char *cfg;

	if (!grub_entry(root, pick))
		return false;
	cfg = read_under(root, "boot/grub/grub.cfg", TEXT_MAX, &len);
	if (cfg == NULL ||
	    !kp__grub_cfg_release(cfg, pick->entry, pick->release,
	                          sizeof(pick->release)))
		kp__grub_entry_release(pick->entry, pick->release,
		                       sizeof(pick->release));
	free(cfg);
	return true;
}

/** See kpurge-boot.h. */
bool
kp__next_boot_find(const char *root, const char *efivars,
                   struct kp__boot_pick *out)
{
	memset(out, 0, sizeof(*out));
	if (root == NULL)
		root = "";
	return pve_pick(root, out) || sd_pick(root, efivars, out) ||
	       grub_pick(root, out);
}

/**
 * h, then what boots next on the system at root (NULL or "/" for this
 * one): the entry and its release, or nothing when none is named. For
 * kp_kernel_fingerprint(): a plan made before grub-set-default is stale.
 */
unsigned long long
kp__next_boot_hash(const char *root, unsigned long long h)
{
	char real[PATH_MAX];
	struct kp__boot_pick p;

	if (root != NULL && root[0] != '\0' && realpath(root, real) != NULL)
		root = strcmp(real, "/") == 0 ? "" : real;
	else
		root = "";
	if (!kp__next_boot_find(root, root[0] == '\0' ? kp__efivars_dir : NULL,
	                        &p))
		return h;
	h = kp_hash(h, p.entry, strlen(p.entry) + 1);
	return kp_hash(h, p.release, strlen(p.release) + 1);
}

/* ------------------------------------------------------------ the plan */

/* What the plan holds: the pick, and the public view of it. */
struct kp__next_boot {
	struct kp__boot_pick pick;
	struct kp_next_boot pub;
	char why[PATH_MAX + 160];
	char warning[PATH_MAX + 2 * KP_NAME_MAX + 640];
};

/** See kpurge-private.h. */
struct kp__next_boot *
kp__next_boot_read(struct kp_ctx *ctx)
{
	const char *root = kp_ctx_root(ctx);
	struct kp__next_boot *nb = calloc(1, sizeof(*nb));
	struct kp__boot_pick *p;

	if (nb == NULL)
		return NULL;
	p = &nb->pick;
	if (!kp__next_boot_find(root, root[0] == '\0' ? kp__efivars_dir : NULL,
	                        p)) {
		free(nb);
		return NULL;
	}
	nb->pub = (struct kp_next_boot){
		p->loader,
		p->file,
		p->setting,
		p->entry,
		p->release[0] ? p->release : NULL,
		false,
		NULL,
	};
	snprintf(nb->why, sizeof(nb->why), "%s's %s in %s boots it", p->loader,
	         p->setting, p->file);
	kp__log(ctx, KP_LOG_DEBUG, "%s's %s in %s names \"%s\": release %s",
	        p->loader, p->setting, p->file, p->entry,
	        p->release[0] ? p->release : "unknown");
	/* linux-image-6.7.1-dbg is release 6.7.1-dbg if that one boots. */
	if (p->release[0] != '\0')
		kp__ctx_prefer_release(ctx, p->release);
	return nb;
}

/** See kpurge-private.h: configuration files alone are nothing to boot. */
bool
kp__next_boot_names(const struct kp_plan *plan, const struct kp_release *rel)
{
	return plan->next_boot != NULL &&
	       plan->next_boot->pub.release != NULL &&
	       rel->state != KP_RELEASE_CONFIG_ONLY &&
	       strcmp(plan->next_boot->pub.release, rel->name) == 0;
}

const char *
kp__next_boot_why(const struct kp_plan *plan)
{
	return plan->next_boot->why;
}

/** See kpurge-private.h. */
void
kp__next_boot_check(struct kp_plan *plan, struct kp_ctx *ctx)
{
	struct kp__next_boot *nb = plan->next_boot;
	size_t i;

	if (nb == NULL || nb->pub.release == NULL)
		return;
	for (i = 0; i < plan->n_releases; i++)
		if (strcmp(plan->releases[i].name, nb->pub.release) == 0 &&
		    plan->releases[i].state == KP_RELEASE_COMPLETE)
			nb->pub.installed = true;
	if (nb->pub.installed)
		return;
	snprintf(nb->warning, sizeof(nb->warning),
	         "%s will boot %s (%s in %s), which is not installed",
	         nb->pick.loader, nb->pick.release, nb->pick.setting,
	         nb->pick.file);
	nb->pub.warning = nb->warning;
	kp__log(ctx, KP_LOG_WARNING, "%s", nb->warning);
}

const struct kp_next_boot *
kp_plan_next_boot(const struct kp_plan *plan)
{
	return plan->next_boot != NULL ? &plan->next_boot->pub : NULL;
}
