/*
 * purge-old-kernels - the command, as the user reads it: the options that
 * shaped the plan as they would be typed again, a command shell-quoted
 * for display or for a message, and the steps of --fix.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "options.h"

/* Characters a POSIX shell takes literally in a word. */
static bool
shell_safe(const char *word)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyz"
	                           "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                           "0123456789_@%+=:,./-";

	return word[0] != '\0' && strspn(word, safe) == strlen(word);
}

/* word, quoted for display; the caller frees it. */
static char *
shell_quote(const char *word)
{
	char *quoted, *q;
	const char *p;

	if (shell_safe(word))
		return strdup(word);
	/* Each ' becomes '\'' (4 characters), plus the two quotes. */
	quoted = malloc(strlen(word) * 4 + 3);
	if (quoted == NULL)
		return NULL;
	q = quoted;
	*q++ = '\'';
	for (p = word; *p != '\0'; p++) {
		if (*p == '\'') {
			memcpy(q, "'\\''", 4);
			q += 4;
		} else {
			*q++ = *p;
		}
	}
	*q++ = '\'';
	*q = '\0';
	return quoted;
}

/* " NAME=VALUE", VALUE quoted for a shell, appended to buf. */
static void
append_option(char *buf, size_t size, const char *name, const char *value)
{
	char *quoted = shell_quote(value);
	size_t len = strlen(buf);

	if (quoted != NULL && len < size)
		snprintf(buf + len, size - len, " %s=%s", name, quoted);
	free(quoted);
}

/**
 * The options of opts that shaped the plan, as they would be typed again
 * (" --root=DIR --running=R --keep=N --protect=R"): the ones given on the
 * command line; KEEP and PROTECT of the configuration file are read again
 * by the command that is run. "" when there are none.
 */
void
cli_plan_options(const struct cli_options *opts, char *buf, size_t size)
{
	char keep[16];
	size_t i;

	buf[0] = '\0';
	if (opts->root != NULL)
		append_option(buf, size, "--root", opts->root);
	if (opts->running_none)
		append_option(buf, size, "--running", "none");
	else if (opts->running != NULL)
		append_option(buf, size, "--running", opts->running);
	if (opts->keep_set) {
		snprintf(keep, sizeof(keep), "%u", opts->keep);
		append_option(buf, size, "--keep", keep);
	}
	for (i = 0; i < opts->n_protect; i++)
		if (opts->protect_where == NULL ||
		    opts->protect_where[i] == NULL)
			append_option(buf, size, "--protect", opts->protect[i]);
	if (opts->only_auto_installed && strlen(buf) < size)
		snprintf(buf + strlen(buf), size - strlen(buf),
		         " --only-auto-installed");
}

/* Break the line before word if it would not fit with what follows it. */
static int
place_word(FILE *out, int col, int len, bool first,
           const struct cli_style *style)
{
	/* Room for " \" at the end of the line. */
	if (!first && col + 1 + len + 2 >= style->width) {
		fputs(" \\\n    ", out);
		return 4;
	}
	if (!first) {
		fputc(' ', out);
		col++;
	}
	return col;
}

/**
 * The command, shell-quoted for display only (it runs with an argument
 * vector), wrapped with backslashes so that it can still be pasted.
 */
void
cli_print_command(FILE *out, const char *const *argv,
                  const struct cli_style *style)
{
	int col = 2;
	size_t i;

	fputs("  ", out);
	for (i = 0; argv[i] != NULL; i++) {
		bool glue = strcmp(argv[i], "-o") == 0 && argv[i + 1] != NULL;
		char *value = glue ? shell_quote(argv[i + 1]) : NULL;
		char *quoted = shell_quote(argv[i]);
		const char *word = quoted != NULL ? quoted : argv[i];
		const char *after = glue && value == NULL ? argv[i + 1] : value;
		int len = (int)strlen(word);

		/* "-o VALUE" goes on one line. */
		if (glue)
			len += 1 + (int)strlen(after);
		col = place_word(out, col, len, i == 0, style);
		fputs(word, out);
		if (glue)
			fprintf(out, " %s", after);
		col += len;
		i += glue;
		free(quoted);
		free(value);
	}
	fputc('\n', out);
}

/**
 * argv as one line a user can paste into a shell, for messages. Returns a
 * string the caller frees, or NULL when out of memory.
 */
char *
cli_command_text(const char *const *argv)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *m = open_memstream(&text, &len);

	if (m == NULL)
		return NULL;
	for (i = 0; argv[i] != NULL; i++) {
		char *quoted = shell_quote(argv[i]);

		fprintf(m, "%s%s", i > 0 ? " " : "",
		        quoted != NULL ? quoted : argv[i]);
		free(quoted);
	}
	if (fclose(m) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/** "Step N/TOTAL: WHAT", then the command it runs, ready to paste. */
void
cli_print_step(FILE *out, unsigned n, unsigned total, const char *what,
               const char *const *argv, const struct cli_style *style)
{
	fprintf(out, "%sStep %u/%u: %s%s\n", cli_paint(style, CLI_BOLD), n,
	        total, what, cli_paint(style, CLI_RESET));
	if (argv != NULL)
		cli_print_command(out, argv, style);
}
