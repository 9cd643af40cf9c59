/*
 * purge-old-kernels - one log for the whole command: every message of
 * ours and every message of the library's goes through it, to the one
 * sink chosen for the run (the terminal's stderr, or syslog, the
 * journal or a file for --auto). kmod's tools/log.c and git's usage.c.
 */
#ifndef CLI_LOG_H
#define CLI_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "kpurge.h"
#include "mode.h"

/*
 * Choose the sink, once, before the mode runs: until then messages go to
 * the terminal. CLI_MODE_LOG_SYSTEM reads PURGE_OLD_KERNELS_LOG (stderr,
 * syslog or an absolute file name), else takes the journal when stderr
 * is it, else syslog when something listens on /dev/log, else stderr.
 */
void cli_log_open(enum cli_mode_log sink);
void cli_log_close(void);
/* Drop every message while on (a silent refresh); returns the old value. */
bool cli_log_silence(bool on);

__attribute__((format(printf, 2, 3))) void cli_log(enum kp_log_level level,
                                                   const char *fmt, ...);
/* "purge-old-kernels: MESSAGE": something failed. */
#define cli_error(...) cli_log(KP_LOG_ERROR, __VA_ARGS__)
/* "purge-old-kernels: warning: MESSAGE": going on regardless. */
#define cli_warn(...) cli_log(KP_LOG_WARNING, __VA_ARGS__)
/* "purge-old-kernels: MESSAGE": news (the hook's notice, the job's report). */
#define cli_info(...) cli_log(KP_LOG_INFO, __VA_ARGS__)

/* The bridge: the library's kp_log_fn (data unused). */
void cli_log_kp(void *data, enum kp_log_level level, const char *message);

void cli_escape(const char *text, char *buf, size_t size);

/*
 * Errors handed back rather than said (dpkg's dpkg_put_error()): fill err
 * (which may be NULL) with code, a negative errno-style value, and one
 * sentence. Returns code, for "return cli_put_error(err, -ENOMEM, ...)".
 */
__attribute__((format(printf, 3, 4))) int
cli_put_error(struct kp_error *err, int code, const char *fmt, ...);
__attribute__((format(printf, 3, 0))) int
cli_put_verror(struct kp_error *err, int code, const char *fmt, va_list ap);

#endif /* CLI_LOG_H */
