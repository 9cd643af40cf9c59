/*
 * libFuzzer target: the command line of purge-old-kernels
 * (cli/options.c and cli/apt-args.c: our options through popt, apt-get's
 * passed on).
 *
 * The input is the argument vector, arguments separated by NUL bytes.
 * Parsing must return one of the documented exit codes with a sentence
 * when it refuses, never crash or leak, and what it accepts must make
 * sense: --keep in range, apt-get's arguments a NULL-terminated vector of
 * arguments that came from the command line.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

#define REQUIRE(cond)                                                          \
	do {                                                                   \
		if (!(cond))                                                   \
			__builtin_trap();                                      \
	} while (0)

#define MAX_ARGS 64

/* Is s one of the arguments, or a part of one ("-y" of "-yn")? */
static bool
from_command_line(const char *s, int argc, const char *const *argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strstr(argv[i], s + (s[0] == '-' && s[1] != '-')) != NULL)
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The items apt-get's arguments set for the proof: every one has a name,
 * a value exactly when it sets one, and a file is never empty.
 */
static void
check_translation(const struct cli_argv *apt)
{
	struct kp_apt_config config = { NULL, 0 };
	size_t i;

	if (cli_apt_translate(apt, &config) < 0)
		return;
	for (i = 0; i < config.n; i++) {
		const struct kp_apt_item *item = &config.items[i];

		REQUIRE(item->name != NULL);
		REQUIRE((item->kind == KP_APT_ITEM_SET) ==
		        (item->value != NULL));
	}
	kp_apt_config_free(&config);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *argv[MAX_ARGS + 2];
	struct cli_options opts;
	char *buf = malloc(size + 1);
	struct kp_error err;
	int argc = 1, r;
	size_t i, start = 0;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = CLI_NAME;
	for (i = 0; i <= size && argc <= MAX_ARGS; i++)
		if (buf[i] == '\0') {
			argv[argc++] = buf + start;
			start = i + 1;
		}
	argv[argc] = NULL;
	memset(&err, 0x5a, sizeof(err));
	r = cli_options_parse(&opts, argc, argv, &err);
	REQUIRE(r == 0 || r == CLI_EXIT_USAGE || r == CLI_EXIT_ERROR);
	if (r != 0) {
		REQUIRE(memchr(err.message, '\0', sizeof(err.message)) !=
		                NULL &&
		        err.message[0] != '\0' && err.code < 0);
	} else if (!opts.help && !opts.usage && !opts.version) {
		REQUIRE(opts.keep <= KP_KEEP_MAX);
		REQUIRE(!opts.json || opts.list || opts.dry_run);
		REQUIRE(opts.args.apt.n == 0 ||
		        opts.args.apt.v[opts.args.apt.n] == NULL);
		REQUIRE(opts.args.n_unchecked <= opts.args.apt.n);
		for (i = 0; i < opts.args.apt.n; i++)
			REQUIRE(from_command_line(opts.args.apt.v[i], argc,
			                          argv));
		for (i = 0; i < opts.n_protect; i++)
			REQUIRE(opts.protect[i] != NULL &&
			        opts.protect[i][0] != '\0');
		REQUIRE(!opts.running_none || opts.running == NULL);
		check_translation(&opts.args.apt);
	}
	cli_options_free(&opts);
	free(buf);
	return 0;
}
