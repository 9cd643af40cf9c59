/*
 * libkpurge - the public enums as words: one table each, indexed by the
 * value, and "unknown" for a value outside it (NULL, JSON's null, for the
 * two whose outside means "none": apt's mark and verdict). The words are stable: the
 * JSON document, the state file and the logs use them.
 */
#include <config.h>

#include "kpurge-private.h"

/* names[v], or "unknown" when v is outside the table or has no word. */
static const char *
enum_name(const char *const *names, size_t n, unsigned v)
{
	return v < n && names[v] != NULL ? names[v] : "unknown";
}

#define ENUM_NAME(names, v)                                                    \
	enum_name((names), KP_ARRAY_SIZE(names), (unsigned)(v))

/* names[v], or NULL: for the enums whose JSON says null for "none". */
static const char *
enum_name_or_null(const char *const *names, size_t n, unsigned v)
{
	return v < n ? names[v] : NULL;
}

#define ENUM_NAME_OR_NULL(names, v)                                            \
	enum_name_or_null((names), KP_ARRAY_SIZE(names), (unsigned)(v))

/** See kpurge.h. */
const char *
kp_kind_name(enum kp_kind kind)
{
	static const char *const names[] = {
		[KP_KIND_NONE] = "none",       [KP_KIND_IMAGE] = "image",
		[KP_KIND_MODULES] = "modules", [KP_KIND_HEADERS] = "headers",
		[KP_KIND_TOOLS] = "tools",     [KP_KIND_DEBUG] = "debug",
		[KP_KIND_OTHER] = "other",
	};

	return ENUM_NAME(names, kind);
}

/** See kpurge.h. */
const char *
kp_recognised_name(enum kp_recognised how)
{
	static const char *const names[] = {
		[KP_RECOGNISED_NAME] = "name",
		[KP_RECOGNISED_FILES] = "files",
		[KP_RECOGNISED_DEPENDENCIES] = "dependencies",
	};

	return ENUM_NAME(names, how);
}

/** See kpurge.h. */
const char *
kp_action_name(enum kp_action action)
{
	static const char *const names[] = {
		[KP_KEEP] = "keep",
		[KP_PURGE] = "purge",
	};

	return ENUM_NAME(names, action);
}

/** See kpurge.h. */
const char *
kp_reason_name(enum kp_reason reason)
{
	static const char *const names[] = {
		[KP_REASON_RUNNING] = "running",
		[KP_REASON_NEWEST] = "newest",
		[KP_REASON_LATEST] = "latest",
		[KP_REASON_HELD] = "held",
		[KP_REASON_PROTECTED] = "protected",
		[KP_REASON_NEWER_INCOMPLETE] = "newer-incomplete",
		[KP_REASON_NEEDED] = "needed",
		[KP_REASON_SHARED_KEPT] = "shared-kept",
		[KP_REASON_NEXT_BOOT] = "next-boot",
		[KP_REASON_OLD] = "old",
		[KP_REASON_CONFIG_ONLY] = "config-only",
		[KP_REASON_NO_IMAGE] = "no-image",
		[KP_REASON_SHARED_UNUSED] = "shared-unused",
		[KP_REASON_APT_NEVER_AUTOREMOVE] = "apt-never-autoremove",
		[KP_REASON_MANUALLY_INSTALLED] = "manually-installed",
	};

	return ENUM_NAME(names, reason);
}

/** See kpurge.h: NULL for KP_MARK_UNKNOWN (JSON null). */
const char *
kp_install_mark_name(enum kp_install_mark mark)
{
	static const char *const names[] = {
		[KP_MARK_AUTO] = "auto",
		[KP_MARK_MANUAL] = "manual",
	};

	return ENUM_NAME_OR_NULL(names, mark);
}

/** See kpurge.h: NULL outside the enum (JSON null). */
const char *
kp_apt_verdict_name(enum kp_apt_verdict verdict)
{
	static const char *const names[] = {
		[KP_APT_VERDICT_PROTECTED] = "protected",
		[KP_APT_VERDICT_WOULD_REMOVE] = "would-remove",
		[KP_APT_VERDICT_PARTIAL] = "partial",
		[KP_APT_VERDICT_NEVER] = "never",
		[KP_APT_VERDICT_NEEDED] = "needed",
		[KP_APT_VERDICT_NONE] = "none",
	};

	return ENUM_NAME_OR_NULL(names, verdict);
}

/** See kpurge.h. */
const char *
kp_state_name(enum kp_state state)
{
	static const char *const names[] = {
		[KP_STATE_INSTALLED] = "installed",
		[KP_STATE_CONFIG_FILES] = "config-files",
		[KP_STATE_BROKEN] = "broken",
	};

	return ENUM_NAME(names, state);
}

/** See kpurge.h. */
const char *
kp_release_state_name(enum kp_release_state state)
{
	static const char *const names[] = {
		[KP_RELEASE_COMPLETE] = "complete",
		[KP_RELEASE_INCOMPLETE] = "incomplete",
		[KP_RELEASE_CONFIG_ONLY] = "config-files",
	};

	return ENUM_NAME(names, state);
}

/** See kpurge.h. */
const char *
kp_problem_kind_name(enum kp_problem_kind kind)
{
	static const char *const names[] = {
		[KP_PROBLEM_UNMET] = "unmet",
		[KP_PROBLEM_HALF_CONFIGURED] = "half-configured",
		[KP_PROBLEM_HALF_INSTALLED] = "half-installed",
		[KP_PROBLEM_UNPACKED] = "unpacked",
		[KP_PROBLEM_TRIGGERS] = "triggers-pending",
		[KP_PROBLEM_REINSTREQ] = "reinstall-required",
		[KP_PROBLEM_INTERRUPTED] = "dpkg-interrupted",
	};

	return ENUM_NAME(names, kind);
}

/** See kpurge.h. */
const char *
kp_orphan_refusal_name(enum kp_orphan_refusal refusal)
{
	static const char *const names[] = {
		[KP_ORPHAN_REMOVABLE] = "removable",
		[KP_ORPHAN_NOT_ROOTS] = "not-roots",
		[KP_ORPHAN_WRITABLE] = "writable-by-others",
		[KP_ORPHAN_OTHER_FILESYSTEM] = "other-filesystem",
		[KP_ORPHAN_UNREADABLE] = "unreadable",
	};

	return ENUM_NAME(names, refusal);
}
