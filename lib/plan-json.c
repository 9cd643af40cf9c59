/*
 * libkpurge - the plan as JSON.
 *
 * The JSON document is a stable interface for fleet tools: fields are only
 * ever added. Its "format" member is bumped on an incompatible change.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>

#include "kpurge-private.h"

#define KP_JSON_FORMAT 1

/* Is c a UTF-8 continuation byte (10xxxxxx)? */
static bool
continuation(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/*
 * The range the byte after lead must be in for a valid sequence (RFC 3629
 * section 4): it excludes overlong forms (E0 80-9F, F0 80-8F), surrogates
 * (ED A0-BF) and code points past U+10FFFF (F4 90-BF).
 */
static bool
second_ok(unsigned char lead, unsigned char c)
{
	switch (lead) {
	case 0xe0:
		return c >= 0xa0 && c <= 0xbf;
	case 0xed:
		return c >= 0x80 && c <= 0x9f;
	case 0xf0:
		return c >= 0x90 && c <= 0xbf;
	case 0xf4:
		return c >= 0x80 && c <= 0x8f;
	default:
		return continuation(c);
	}
}

/**
 * kp_utf8_len:
 * The length (1 to 4) of the valid UTF-8 character at the start of the
 * string s, or 0 when its first bytes are not one: a continuation byte,
 * C0, C1 or F5-FF as lead bytes, an overlong form, a surrogate, a code
 * point past U+10FFFF, a sequence cut short (by the terminating NUL too).
 * dpkg only warns about such bytes in a version, so they reach the plan.
 */
size_t
kp_utf8_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n, i;

	if (u[0] < 0x80)
		return 1;
	n = u[0] >= 0xc2 && u[0] <= 0xdf ? 2 :
	    u[0] >= 0xe0 && u[0] <= 0xef ? 3 :
	    u[0] >= 0xf0 && u[0] <= 0xf4 ? 4 :
	                                   0;
	if (n == 0 || !second_ok(u[0], u[1]))
		return 0;
	for (i = 2; i < n; i++)
		if (!continuation(u[i]))
			return 0;
	return n;
}

/*
 * A JSON string, or null for NULL: valid UTF-8 whatever str holds. Each
 * byte that is not part of a valid UTF-8 character becomes U+FFFD;
 * control characters are \u escapes.
 */
static void
json_str(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	if (s == NULL) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	while (*s) {
		size_t n = kp_utf8_len((const char *)s);

		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if (*s < 0x20)
			fprintf(out, "\\u%04x", *s);
		else if (n == 0)
			fputs("\\ufffd", out);
		else
			fwrite(s, 1, n, out);
		s += n ? n : 1;
	}
	fputc('"', out);
}

static void
json_key(FILE *out, const char *key, const char *value, bool last)
{
	fprintf(out, "\"%s\": ", key);
	json_str(out, value);
	fputs(last ? "" : ", ", out);
}

/* The facts behind the reason: null where they do not apply. */
static void
write_cause(FILE *out, const struct kp_cause *c, bool last)
{
	json_key(out, "held_by", c->held_by, false);
	json_key(out, "needed_by", c->needed_by, false);
	json_key(out, "depends_on", c->depends_on, false);
	json_key(out, "apt_installs", c->apt_installs, last);
}

/* A string, or null for NULL. */
static void
json_key_or_null(FILE *out, const char *key, const char *value)
{
	if (value != NULL)
		json_key(out, key, value, false);
	else
		fprintf(out, "\"%s\": null, ", key);
}

static void
write_package(FILE *out, const struct kp_package *p)
{
	fputs("    {", out);
	json_key(out, "name", p->name, false);
	json_key(out, "version", p->version, false);
	json_key(out, "kind", kp_kind_name(p->kind), false);
	json_key(out, "state", kp_state_name(p->state), false);
	fprintf(out, "\"held\": %s, \"size_kib\": %llu, ",
	        p->held ? "true" : "false", p->size_kib);
	json_key(out, "release", p->release, false);
	json_key(out, "abi", p->abi, false);
	json_key(out, "recognised", kp_recognised_name(p->recognised), false);
	json_key_or_null(out, "apt_mark", kp_install_mark_name(p->mark));
	fprintf(out, "\"apt_autoremoves\": %s, ",
	        p->apt_autoremoves ? "true" : "false");
	json_key(out, "action", kp_action_name(p->action), false);
	json_key(out, "reason", kp_reason_name(p->reason), false);
	json_key(out, "why", p->why, false);
	write_cause(out, &p->cause, true);
	fputc('}', out);
}

static void
write_release(FILE *out, const struct kp_release *r)
{
	size_t i;

	fputs("    {", out);
	json_key(out, "name", r->name, false);
	json_key(out, "abi", r->abi, false);
	json_key(out, "flavour", r->flavour, false);
	json_key(out, "state", kp_release_state_name(r->state), false);
	fprintf(out, "\"image_broken\": %s, ",
	        r->image_broken ? "true" : "false");
	fprintf(out,
	        "\"rank\": %u, \"running\": %s, \"size_kib\": %llu, "
	        "\"boot_bytes\": %llu, \"apt_protects\": %s, ",
	        r->rank, r->running ? "true" : "false", r->size_kib,
	        r->boot_bytes, r->apt_protects ? "true" : "false");
	json_key_or_null(out, "apt_mark", kp_install_mark_name(r->mark));
	json_key_or_null(out, "apt_autoremove",
	                 kp_apt_verdict_name(r->apt_autoremove));
	json_key_or_null(out, "apt_never_autoremove", r->apt_never_autoremove);
	json_key(out, "action", kp_action_name(r->action), false);
	json_key(out, "reason", kp_reason_name(r->reason), false);
	json_key(out, "why", r->why, false);
	write_cause(out, &r->cause, false);
	fputs("\"packages\": [", out);
	for (i = 0; i < r->n_packages; i++) {
		json_str(out, r->packages[i]->name);
		fputs(i + 1 < r->n_packages ? ", " : "", out);
	}
	fputs("]}", out);
}

static void
write_purge(FILE *out, const struct kp_plan *plan)
{
	size_t i, n = kp_plan_n_purge(plan);

	fputs("  \"purge\": [", out);
	for (i = 0; i < n; i++) {
		json_str(out, kp_plan_purge_name(plan, i));
		fputs(i + 1 < n ? ", " : "", out);
	}
	fputs("],\n", out);
}

static void
write_boot(FILE *out, const struct kp_plan *plan)
{
	struct kp_boot_space b;

	kp_plan_boot_space(plan, &b);
	if (!b.known) {
		fputs("  \"boot\": null,\n", out);
		return;
	}
	fprintf(out,
	        "  \"boot\": {\"size_bytes\": %llu, \"used_bytes\": %llu, "
	        "\"freed_bytes\": %llu},\n",
	        b.size, b.used, b.freed);
}

/* What the boot loader boots next: an object, or null. */
static void
write_next_boot(FILE *out, const struct kp_plan *plan)
{
	const struct kp_next_boot *nb = kp_plan_next_boot(plan);

	fputs("  \"next_boot\": ", out);
	if (nb == NULL) {
		fputs("null,\n", out);
		return;
	}
	fputc('{', out);
	json_key(out, "loader", nb->loader, false);
	json_key(out, "file", nb->file, false);
	json_key(out, "setting", nb->setting, false);
	json_key(out, "entry", nb->entry, false);
	json_key(out, "release", nb->release, false);
	fprintf(out, "\"installed\": %s, ", nb->installed ? "true" : "false");
	json_key(out, "warning", nb->warning, true);
	fputs("},\n", out);
}

/* Files no package owns: [] also when they were not searched. */
static void
write_orphans(FILE *out, const struct kp_plan *plan)
{
	size_t i, n = kp_plan_n_orphans(plan);

	fputs("  \"orphans\": [", out);
	for (i = 0; i < n; i++) {
		const struct kp_orphan *o = kp_plan_orphan(plan, i);

		fputs(i == 0 ? "\n    {" : ",\n    {", out);
		json_key(out, "path", o->path, false);
		json_key(out, "release", o->release, false);
		fprintf(out, "\"bytes\": %llu, \"directory\": %s, ", o->bytes,
		        o->directory ? "true" : "false");
		fprintf(out, "\"removable\": %s, ",
		        o->refusal == KP_ORPHAN_REMOVABLE ? "true" : "false");
		json_key(out, "refusal",
		         o->refusal == KP_ORPHAN_REMOVABLE ?
		                 NULL :
		                 kp_orphan_refusal_name(o->refusal),
		         true);
		fputc('}', out);
	}
	fputs(n > 0 ? "\n  ],\n" : "],\n", out);
}

/**
 * Write the plan as one JSON document to out. Returns 0, or -EIO with err
 * filled when the stream reports an error.
 */
int
kp_plan_write_json(const struct kp_plan *plan, FILE *out, struct kp_error *err)
{
	size_t i, n;

	fprintf(out, "{\n  \"format\": %d,\n  \"running\": ", KP_JSON_FORMAT);
	json_str(out, kp_plan_running(plan));
	fprintf(out,
	        ",\n  \"running_installed\": %s,\n  \"keep\": %u,\n"
	        "  \"proved_by_apt\": %s,\n",
	        kp_plan_running_installed(plan) ? "true" : "false",
	        kp_plan_keep(plan), kp_plan_proved(plan) ? "true" : "false");
	write_purge(out, plan);
	fprintf(out, "  \"purge_kib\": %llu,\n", kp_plan_purge_kib(plan));
	write_boot(out, plan);
	write_next_boot(out, plan);
	fputs("  \"releases\": [\n", out);
	for (i = 0, n = kp_plan_n_releases(plan); i < n; i++) {
		write_release(out, kp_plan_release(plan, i));
		fputs(i + 1 < n ? ",\n" : "\n", out);
	}
	fputs("  ],\n  \"packages\": [\n", out);
	for (i = 0, n = kp_plan_n_packages(plan); i < n; i++) {
		write_package(out, kp_plan_package(plan, i));
		fputs(i + 1 < n ? ",\n" : "\n", out);
	}
	fputs("  ],\n", out);
	write_orphans(out, plan);
	fprintf(out, "  \"orphan_bytes\": %llu\n}\n",
	        kp_plan_orphan_bytes(plan));
	if (fflush(out) != 0 || ferror(out))
		return kp__error_set(err, -EIO,
		                     "cannot write the plan as JSON");
	return 0;
}
