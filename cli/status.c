/*
 * purge-old-kernels - --status: a marker for Byobu's status line and
 * metrics for node_exporter, from the state file while it is current.
 *
 * The status line runs every few minutes as the desktop or ssh user: no
 * apt, no lock, no privileges. Reading the state file costs a few system
 * calls; when it is missing or old, the plan is made from the dpkg
 * database (libdpkg, read-only).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "output.h"
#include "unattended.h"

/* Byobu's colours for news (updates_available's) and for trouble. */
#define BYOBU_NEWS "#[fg=black,bg=yellow]"
#define BYOBU_ALERT "#[fg=brightwhite,bold,bg=red]"
#define BYOBU_RESET "#[default]"

static unsigned
percent(unsigned long long part, unsigned long long whole)
{
	return whole == 0 ? 0 : (unsigned)((part * 100 + whole - 1) / whole);
}

/**
 * The Byobu marker of s into buf: the number of releases to purge after
 * an icon ("⌫3", "K3" in ASCII), and /boot's use when it is at least
 * boot_warn percent full ("/boot 91%%"), in Byobu's colours; "" when
 * there is nothing to say. Byobu's custom status hands a script's output
 * to printf(1) as its format, so the percent sign is written doubled and
 * shows as one. Returns the length, or -1 when buf is small.
 */
int
cli_status_byobu_format(const struct kp_summary *s, unsigned boot_warn,
                        const struct cli_byobu_style *style, char *buf,
                        size_t size)
{
	unsigned pct = percent(s->boot.used, s->boot.size);
	bool full = s->boot.known && s->boot.size > 0 && pct >= boot_warn;
	const char *icon = style->utf8 ? "\u232b" : "K";
	size_t len = 0;
	int n = 0;

	buf[0] = '\0';
	if (s->purgeable == 0 && !full)
		return 0;
	if (s->purgeable > 0)
		n = snprintf(buf, size, "%s%s%u",
		             style->color ? (full ? BYOBU_ALERT : BYOBU_NEWS) :
		                            "",
		             icon, s->purgeable);
	if (n < 0 || (size_t)n >= size)
		return -1;
	len = (size_t)n;
	if (full)
		n = snprintf(buf + len, size - len, "%s%s/boot %u%%%%",
		             len > 0 ? " " : "",
		             style->color && len == 0 ? BYOBU_ALERT : "", pct);
	else
		n = 0;
	if (n < 0 || (size_t)n >= size - len)
		return -1;
	len += (size_t)n;
	n = snprintf(buf + len, size - len, "%s\n",
	             style->color ? BYOBU_RESET : "");
	if (n < 0 || (size_t)n >= size - len)
		return -1;
	return (int)(len + (size_t)n);
}

static bool
env_is(const char *name, const char *value)
{
	const char *v = getenv(name);

	return v != NULL && strcmp(v, value) == 0;
}

/* The locale's character set from the environment, as setlocale would. */
static bool
locale_utf8(void)
{
	static const char *const names[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	const char *v;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		v = getenv(names[i]);
		if (v == NULL || v[0] == '\0')
			continue;
		return strcasestr(v, "utf-8") != NULL ||
		       strcasestr(v, "utf8") != NULL;
	}
	return false;
}

/*
 * Byobu exports its backend and character map to status scripts; screen
 * shows neither tmux markup nor UTF-8 in its status line. MONOCHROME and
 * NO_COLOR turn the colours off.
 */
static struct cli_byobu_style
byobu_style(void)
{
	const char *no_color = getenv("NO_COLOR");
	const char *charmap = getenv("BYOBU_CHARMAP");
	bool screen = env_is("BYOBU_BACKEND", "screen");
	struct cli_byobu_style style;

	style.color = !screen && !env_is("MONOCHROME", "1") &&
	              (no_color == NULL || no_color[0] == '\0');
	style.utf8 = !screen &&
	             (charmap != NULL ? strcmp(charmap, "UTF-8") == 0 :
	                                locale_utf8());
	return style;
}

/*
 * What the marker means, for a person who runs the status by hand to find
 * out (on a terminal only: Byobu drops stderr, scripts get nothing).
 */
static void
print_byobu_legend(const struct cli_byobu_style *style, unsigned boot_warn)
{
	fprintf(stderr,
	        "(%sN: N old kernel releases can be purged. /boot P%%%%: /boot "
	        "is P%% full (shown from %u%%; Byobu prints %%%% as %%).\n"
	        " '" CLI_NAME " --dry-run' lists them; "
	        "'" CLI_PURGE_COMMAND "' purges them.)\n",
	        style->utf8 ? "\u232b" : "K", boot_warn);
}

static int
print_status(const struct cli_options *opts, const struct kp_summary *s,
             unsigned boot_warn)
{
	struct cli_byobu_style style;
	char line[256];

	if (strcmp(opts->status, "prometheus") == 0)
		return kp_summary_write_prometheus(s, stdout) < 0 ?
		               CLI_EXIT_ERROR :
		               0;
	style = byobu_style();
	if (cli_status_byobu_format(s, boot_warn, &style, line, sizeof(line)) >
	    0) {
		fputs(line, stdout);
		if (isatty(STDERR_FILENO))
			print_byobu_legend(&style, boot_warn);
	}
	return 0;
}

/**
 * --status=byobu|prometheus. Root's runs also bring the state file up to
 * date. Returns 0, or CLI_EXIT_ERROR with a message on stderr.
 */
int
cli_status(struct cli_options *opts)
{
	struct cli_setup su;
	struct kp_summary s;
	struct kp_error err;
	int r;

	kp_error_clear(&err);
	/*
	 * A broken file is the hook's and the job's news, not the line's;
	 * only errors reach stderr (CLI_MODE_LOG_ERRORS): Byobu drops it, a
	 * person running it sees it.
	 */
	r = cli_policy_load(&su, opts, CLI_POLICY_CONFIG_OPTIONAL, &err);
	if (r == 0)
		r = cli_state_get(&su.policy, geteuid() == 0, &s, NULL, &err);
	if (r < 0) {
		cli_error("%s", err.message);
		cli_setup_free(&su);
		return CLI_EXIT_ERROR;
	}
	/* /boot's use now: one statvfs(), fresher than the state's. */
	kp_boot_usage(opts->root, &s.boot);
	r = print_status(opts, &s, su.cfg.boot_warn);
	cli_setup_free(&su);
	return r;
}
