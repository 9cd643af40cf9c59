/*
 * libkpurge - what the boot loader boots next (lib/bootloader.c).
 *
 * Private to the library and its unit tests: the plan asks
 * kp__next_boot_find() once and keeps the release it names.
 */
#ifndef KPURGE_BOOT_H
#define KPURGE_BOOT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "kpurge.h"

/* What a boot loader's configuration says it boots next. */
struct kp__boot_pick {
	char loader[16]; /* "GRUB", "systemd-boot", "Proxmox" */
	char file
	        [PATH_MAX]; /* the file, as on the system ("/boot/grub/grubenv") */
	char setting[80]; /* "saved_entry", "next_entry", "GRUB_DEFAULT" ... */
	char entry[512];  /* the entry as the file names it */
	char release[KP_NAME_MAX]; /* "" when the entry names no release */
};

/*
 * The directory of the EFI variables, read only on the running system
 * (root "/"); NULL reads none. A hook for the tests, not an option.
 */
extern const char *kp__efivars_dir;

/*
 * Fill *out with what boots next on the system at root ("" for /), from
 * efivars (NULL: no EFI variables). Returns true when a boot loader names
 * an entry (its release may still be unknown); false when none does.
 * Never fails: absent, unreadable or malformed files say nothing.
 */
bool kp__next_boot_find(const char *root, const char *efivars,
                        struct kp__boot_pick *out);

/* GRUB's environment block (1024 bytes): the value of key, unescaped. */
bool kp__grubenv_get(const char *buf, size_t len, const char *key, char *out,
                     size_t size);
/* The last GRUB_DEFAULT= of an etc/default/grub, unquoted. */
bool kp__grub_default_get(const char *text, char *out, size_t size);
/*
 * The release of the entry (a title or id path, "A>B", or one entry of
 * any level) that grub.cfg's text boots: its linux line. "" when the
 * entry is found but boots no vmlinuz-R. False when no entry matches.
 */
bool kp__grub_cfg_release(const char *cfg, const char *entry, char *release,
                          size_t size);
/* The release update-grub's title or id conventions put in the entry. */
bool kp__grub_entry_release(const char *entry, char *release, size_t size);
/* The default of a systemd-boot loader.conf. */
bool kp__loader_conf_default(const char *text, char *out, size_t size);
/*
 * The release of a systemd-boot entry: from its file's text ("version R",
 * or a linux line naming vmlinuz-R) when text is not NULL, else its name
 * ("MACHINE-ID-R.conf").
 */
bool kp__sd_entry_release(const char *name, const char *text, char *release,
                          size_t size);
/* An EFI variable's string: 4 bytes of attributes, then UTF-16LE. */
bool kp__efivar_string(const unsigned char *buf, size_t len, char *out,
                       size_t size);

#endif /* KPURGE_BOOT_H */
