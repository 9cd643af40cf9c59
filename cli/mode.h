/*
 * purge-old-kernels - the modes of a run: what one invocation does, chosen
 * once from the command line (pacman's config->op), and what each mode
 * needs (kmod's struct kmod_cmd table).
 *
 * CLI_MODES is the one table: one row a mode, with the option that asks
 * for it, its flags and its handler. options.c reads the option and the
 * flags (it never sees the handlers); main.c reads the handlers.
 *
 * Adding a mode: one row here; its handler, int NAME(struct cli_options *)
 * in a file of its own, declared in a header main.c includes; its popt
 * option in options.c, whose case calls set_mode(). The row's flags
 * decide the rest (root, apt-get's arguments, the configuration file,
 * which options it goes with, where its messages go).
 */
#ifndef CLI_MODE_H
#define CLI_MODE_H

/* What a mode needs and allows; the flags of a row. */
enum cli_mode_flag {
	/* Changes the system: needs root (unless apt-get only simulates),
	 * and stops where a plan only shown would warn. */
	CLI_MODE_CHANGES = 1u << 0,
	/* Takes apt-get's arguments (-y, -o ...) and runs apt-get. */
	CLI_MODE_APT_ARGS = 1u << 1,
	/* main.c applies the configuration file (KEEP, PROTECT) before the
	 * handler and brings the state file up to date after it. Modes
	 * without it read the file themselves (cli_policy_load()). */
	CLI_MODE_CONFIG = 1u << 2,
	/* A mode of its own: goes with none of --list, --dry-run, --json,
	 * --fix, nor with another such mode. */
	CLI_MODE_ALONE = 1u << 3,
	/* Never fails the caller (an apt hook): a refused environment is a
	 * warning and the exit status 0. */
	CLI_MODE_NEVER_FAILS = 1u << 4,
	/* Purges for real: apt-get's simulation (-s) does not go with it. */
	CLI_MODE_NO_SIMULATE = 1u << 5,
};

/* Where the messages of a mode go (cli/log.h). */
enum cli_mode_log {
	CLI_MODE_LOG_TERMINAL, /* stderr: errors, warnings, notices */
	CLI_MODE_LOG_ERRORS,   /* stderr, errors only (a status line) */
	CLI_MODE_LOG_SYSTEM, /* syslog, the journal or PURGE_OLD_KERNELS_LOG */
};

/*
 * X(NAME, OPTION, FLAGS, LOG, HANDLER): OPTION is what asks for the mode
 * (NULL: the default, a purge); HANDLER runs it and returns the exit
 * status.
 */
#define CLI_MODES(X)                                                           \
	X(PURGE, NULL, CLI_MODE_CHANGES | CLI_MODE_APT_ARGS | CLI_MODE_CONFIG, \
	  CLI_MODE_LOG_TERMINAL, run_plan)                                     \
	X(LIST, "--list", CLI_MODE_APT_ARGS | CLI_MODE_CONFIG,                 \
	  CLI_MODE_LOG_TERMINAL, run_plan)                                     \
	X(DRY_RUN, "--dry-run", CLI_MODE_APT_ARGS | CLI_MODE_CONFIG,           \
	  CLI_MODE_LOG_TERMINAL, run_plan)                                     \
	X(FIX, "--fix",                                                        \
	  CLI_MODE_CHANGES | CLI_MODE_APT_ARGS | CLI_MODE_CONFIG,              \
	  CLI_MODE_LOG_TERMINAL, run_plan)                                     \
	X(HOOK, "--hook", CLI_MODE_ALONE | CLI_MODE_NEVER_FAILS,               \
	  CLI_MODE_LOG_TERMINAL, cli_hook)                                     \
	X(GUARD, "--guard", CLI_MODE_ALONE | CLI_MODE_NEVER_FAILS,             \
	  CLI_MODE_LOG_TERMINAL, cli_guard_run)                                \
	X(AUTO, "--auto",                                                      \
	  CLI_MODE_ALONE | CLI_MODE_CHANGES | CLI_MODE_APT_ARGS |              \
	          CLI_MODE_NO_SIMULATE,                                        \
	  CLI_MODE_LOG_SYSTEM, cli_auto)                                       \
	X(STATUS, "--status", CLI_MODE_ALONE, CLI_MODE_LOG_ERRORS, cli_status)

#define CLI_MODE_ENUM_(name, option, flags, log, handler) CLI_MODE_##name,
enum cli_mode {
	CLI_MODES(CLI_MODE_ENUM_) CLI_MODE_COUNT
};
#undef CLI_MODE_ENUM_

/* A row without its handler: what the command line's checks read. */
struct cli_mode_info {
	const char *option; /* NULL: the default mode */
	unsigned flags;     /* enum cli_mode_flag */
	enum cli_mode_log log;
};

const struct cli_mode_info *cli_mode_info(enum cli_mode mode);

#endif /* CLI_MODE_H */
