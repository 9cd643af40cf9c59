/*
 * libkpurge - the apt options of a purge, in one place.
 *
 * The proof (apt-shim.cc) must see the configuration the purge's apt-get
 * will see, so both are made from these lists: the items that point apt
 * at a root, what the caller forwards to apt-get, and the items that keep
 * apt-get from doing more than the plan. apt-get applies its command
 * line's -o and -c in order, after its configuration files; the proof
 * applies a kp_apt_config the same way.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kpurge-private.h"

/*
 * The items that point apt-get, and the dpkg it runs, at the system at a
 * root: each value is its prefix, the root, its suffix. dpkg 1.21 logs to
 * this system's log even under --root, so its log is named too.
 */
static const struct {
	const char *name;
	const char *prefix;
	const char *suffix;
} root_items[] = {
	{ "Dir", "", "" },
	{ "Dir::State::status", "", "/var/lib/dpkg/status" },
	{ "DPkg::Options::", "--root=", "" },
	{ "DPkg::Options::", "--log=", "/var/log/dpkg.log" },
};

/*
 * What would make `apt-get remove` remove more than it is given, turned
 * off: autoremove (set in apt.conf, by -o or --autoremove) takes every
 * automatically installed package nothing needs, kernels included, and
 * AutomaticRemove::Kernels the kernels apt does not protect. These come
 * last, so nothing before them can turn them back on.
 */
static const struct {
	const char *name;
	const char *value;
} guard_items[] = {
	{ "APT::Get::AutomaticRemove", "false" },
	{ "APT::Get::AutomaticRemove::Kernels", "false" },
};

/** Append one item (value NULL for a file). Returns 0 or -ENOMEM. */
int
kp_apt_config_push(struct kp_apt_config *config, enum kp_apt_item_kind kind,
                   const char *name, const char *value)
{
	struct kp_apt_item *grown, *item;

	grown = realloc(config->items, (config->n + 1) * sizeof(*grown));
	if (grown == NULL)
		return -ENOMEM;
	config->items = grown;
	item = &grown[config->n];
	item->kind = kind;
	item->name = strdup(name);
	item->value = value != NULL ? strdup(value) : NULL;
	if (item->name == NULL || (value != NULL && item->value == NULL)) {
		free(item->name);
		free(item->value);
		return -ENOMEM;
	}
	config->n++;
	return 0;
}

/** Free the items; the list is empty again. */
void
kp_apt_config_free(struct kp_apt_config *config)
{
	size_t i;

	for (i = 0; i < config->n; i++) {
		free(config->items[i].name);
		free(config->items[i].value);
	}
	free(config->items);
	config->items = NULL;
	config->n = 0;
}

static int
append(struct kp_apt_config *out, const struct kp_apt_config *from)
{
	size_t i;
	int r = 0;

	for (i = 0; r == 0 && from != NULL && i < from->n; i++)
		r = kp_apt_config_push(out, from->items[i].kind,
		                       from->items[i].name,
		                       from->items[i].value);
	return r;
}

/**
 * Append the items that point apt at the system at root (absolute; NULL,
 * "" or "/" for this one, which needs none). Returns 0 or -ENOMEM.
 */
int
kp_apt_config_root(struct kp_apt_config *config, const char *root)
{
	size_t i;
	int r = 0;

	if (root == NULL || root[0] == '\0' || strcmp(root, "/") == 0)
		return 0;
	for (i = 0; r == 0 && i < KP_ARRAY_SIZE(root_items); i++) {
		char *value = kp__strdup_printf("%s%s%s", root_items[i].prefix,
		                                root, root_items[i].suffix);

		if (value == NULL)
			return -ENOMEM;
		r = kp_apt_config_push(config, KP_APT_ITEM_SET,
		                       root_items[i].name, value);
		free(value);
	}
	return r;
}

/**
 * Append the items that keep `apt-get remove` to what it is given (no
 * autoremove). Returns 0 or -ENOMEM.
 */
int
kp_apt_config_guard(struct kp_apt_config *config)
{
	size_t i;
	int r = 0;

	for (i = 0; r == 0 && i < KP_ARRAY_SIZE(guard_items); i++)
		r = kp_apt_config_push(config, KP_APT_ITEM_SET,
		                       guard_items[i].name,
		                       guard_items[i].value);
	return r;
}

/**
 * What the purge's apt-get applies after its configuration files, in
 * order, into out (empty before): the root's items, the user's (may be
 * NULL), the guard. Returns 0 or -ENOMEM (out is then empty).
 */
int
kp_apt_config_for_purge(const char *root, const struct kp_apt_config *user,
                        struct kp_apt_config *out)
{
	int r = kp_apt_config_root(out, root);

	if (r == 0)
		r = append(out, user);
	if (r == 0)
		r = kp_apt_config_guard(out);
	if (r < 0)
		kp_apt_config_free(out);
	return r;
}

/* A copy of from into to (empty before). */
int
kp__apt_config_copy(struct kp_apt_config *to, const struct kp_apt_config *from)
{
	int r = append(to, from);

	if (r < 0)
		kp_apt_config_free(to);
	return r;
}
