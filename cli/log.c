/*
 * purge-old-kernels - one log for the whole command (cli/log.h): the
 * sink is chosen once; cli_error(), cli_warn(), cli_info() and the
 * library's messages (cli_log_kp()) all go through emit().
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"
#include "options.h"

/* ------------------------------------------------------------- escaping */

/* Append the byte c to buf as "\xHH". */
static size_t
put_hex(char *buf, size_t at, size_t size, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	if (at + 4 >= size)
		return at;
	buf[at++] = '\\';
	buf[at++] = 'x';
	buf[at++] = hex[c >> 4];
	buf[at++] = hex[c & 0xf];
	return at;
}

/* Is the valid UTF-8 character of n bytes at s a control (C0, DEL, C1)? */
static bool
is_control(const unsigned char *s, size_t n)
{
	return (n == 1 && (s[0] < 0x20 || s[0] == 0x7f)) ||
	       (n == 2 && s[0] == 0xc2 && s[1] < 0xa0);
}

/**
 * Copy text into buf (size > 0) for a terminal or a log, on one line:
 * a line break and the blanks after it become one blank (libdpkg's parse
 * errors span two lines); every other control character (C0, DEL, C1)
 * and every byte that is not UTF-8 becomes "\xHH", so that text from the
 * dpkg database can neither drive the terminal nor garble it. Cut short
 * when buf is full.
 */
void
cli_escape(const char *text, char *buf, size_t size)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t at = 0, n, i;

	while (*s != '\0' && at + 1 < size) {
		if (*s == '\n') {
			s += strspn((const char *)s, "\n \t");
			if (at > 0 && buf[at - 1] != ' ' && *s != '\0')
				buf[at++] = ' ';
			continue;
		}
		n = kp_utf8_len((const char *)s);
		if (n == 0 || is_control(s, n)) {
			for (i = 0; i < (n ? n : 1); i++)
				at = put_hex(buf, at, size, s[i]);
			s += n ? n : 1;
			continue;
		}
		if (at + n >= size)
			break;
		memcpy(buf + at, s, n);
		at += n;
		s += n;
	}
	while (at > 0 && buf[at - 1] == ' ')
		at--;
	buf[at] = '\0';
}

/* ---------------------------------------------------------------- sinks */

enum log_dest {
	LOG_TO_TERMINAL, /* "NAME: [warning: ]message"; no debug */
	LOG_TO_ERRORS,   /* the same, errors only (a status line) */
	LOG_TO_SYSLOG,   /* syslog(3); errors also on stderr (cron's mail) */
	LOG_TO_JOURNAL,  /* stderr is the journal: "<N>message" lines */
	LOG_TO_STDERR,   /* PURGE_OLD_KERNELS_LOG=stderr: every level named */
	LOG_TO_FILE,     /* PURGE_OLD_KERNELS_LOG=/path: appended */
};

static struct {
	enum log_dest dest;
	bool tty;    /* stderr is a terminal: a person watches */
	bool silent; /* cli_log_silence() */
	FILE *file;
} sink = { LOG_TO_TERMINAL, false, false, NULL };

static int
syslog_priority(enum kp_log_level level)
{
	switch (level) {
	case KP_LOG_ERROR:
		return LOG_ERR;
	case KP_LOG_WARNING:
		return LOG_WARNING;
	case KP_LOG_INFO:
		return LOG_INFO;
	default:
		return LOG_DEBUG;
	}
}

/* The daemon sinks name every level; the terminal says "warning:" only. */
static const char *
level_name(enum kp_log_level level, bool daemon)
{
	return level == KP_LOG_ERROR && daemon ? "error: " :
	       level == KP_LOG_WARNING         ? "warning: " :
	                                         "";
}

/*
 * One number of JOURNAL_STREAM at *p, which stop must end; *p moves past
 * stop. Digits only, as systemd writes them ("%lu:%lu"): a sign, a blank
 * or junk means the variable is not systemd's, and then stderr is not
 * taken for the journal.
 */
static bool
journal_number(const char **p, char stop, unsigned long long *out)
{
	char *end;

	if (**p < '0' || **p > '9')
		return false;
	errno = 0;
	*out = strtoull(*p, &end, 10);
	if (errno != 0 || *end != stop)
		return false;
	*p = stop == '\0' ? end : end + 1;
	return true;
}

/* systemd says in JOURNAL_STREAM ("DEV:INODE") which stream is its journal. */
static bool
stderr_is_journal(void)
{
	const char *v = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (v == NULL || !journal_number(&v, ':', &dev) ||
	    !journal_number(&v, '\0', &ino) || fstat(STDERR_FILENO, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev &&
	       (unsigned long long)st.st_ino == ino;
}

/*
 * Does anything listen on syslog's socket? glibc's syslog(3) drops a
 * message it cannot deliver without a word, and a container or a chroot
 * often has no /dev/log: the job's report would be lost.
 */
static bool
syslog_reachable(void)
{
	static const int types[] = { SOCK_DGRAM, SOCK_STREAM };
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	size_t i;

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", _PATH_LOG);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		int fd = socket(AF_UNIX, types[i] | SOCK_CLOEXEC, 0);
		int r;

		if (fd < 0)
			continue;
		r = connect(fd, (const struct sockaddr *)&addr, sizeof(addr));
		close(fd);
		if (r == 0)
			return true;
	}
	return false;
}

static void
emit(enum kp_log_level level, const char *text)
{
	char message[8192];

	if (sink.silent)
		return;
	/* apt-get's lines and libdpkg's warnings quote the database. */
	cli_escape(text, message, sizeof(message));
	switch (sink.dest) {
	case LOG_TO_TERMINAL:
	case LOG_TO_ERRORS:
		if (level == KP_LOG_DEBUG ||
		    (sink.dest == LOG_TO_ERRORS && level != KP_LOG_ERROR))
			return;
		fprintf(stderr, CLI_NAME ": %s%s\n", level_name(level, false),
		        message);
		return;
	case LOG_TO_JOURNAL:
		fprintf(stderr, "<%d>%s\n", syslog_priority(level), message);
		return;
	case LOG_TO_STDERR:
		if (level != KP_LOG_DEBUG)
			fprintf(stderr, CLI_NAME ": %s%s\n",
			        level_name(level, true), message);
		return;
	case LOG_TO_FILE:
		if (level == KP_LOG_DEBUG)
			return;
		fprintf(sink.file, CLI_NAME "[%ld]: %s%s\n", (long)getpid(),
		        level_name(level, true), message);
		fflush(sink.file);
		return;
	case LOG_TO_SYSLOG:
		syslog(syslog_priority(level), "%s", message);
		if (level == KP_LOG_ERROR ||
		    (sink.tty && level != KP_LOG_DEBUG))
			fprintf(stderr, CLI_NAME ": %s%s\n",
			        level_name(level, true), message);
		return;
	}
}

/* The periodic job's sink: see cli_log_open(). */
static enum log_dest
system_dest(void)
{
	const char *v = getenv("PURGE_OLD_KERNELS_LOG");

	if (v != NULL && strcmp(v, "stderr") == 0)
		return LOG_TO_STDERR;
	if (v != NULL && v[0] == '/') {
		sink.file = fopen(v, "ae");
		if (sink.file != NULL)
			return LOG_TO_FILE;
	}
	if ((v == NULL || strcmp(v, "syslog") != 0) && stderr_is_journal())
		return LOG_TO_JOURNAL;
	if (!syslog_reachable())
		return LOG_TO_STDERR;
	openlog(CLI_NAME, LOG_PID, LOG_DAEMON);
	return LOG_TO_SYSLOG;
}

/** Choose where messages go, once (cli/log.h). */
void
cli_log_open(enum cli_mode_log which)
{
	sink.tty = isatty(STDERR_FILENO);
	if (which == CLI_MODE_LOG_SYSTEM)
		sink.dest = system_dest();
	else
		sink.dest = which == CLI_MODE_LOG_ERRORS ? LOG_TO_ERRORS :
		                                           LOG_TO_TERMINAL;
}

void
cli_log_close(void)
{
	if (sink.file != NULL)
		fclose(sink.file);
	if (sink.dest == LOG_TO_SYSLOG)
		closelog();
	sink.file = NULL;
	sink.dest = LOG_TO_TERMINAL;
}

bool
cli_log_silence(bool on)
{
	bool was = sink.silent;

	sink.silent = on;
	return was;
}

/* ------------------------------------------------------------- messages */

/** A message of ours at level (cli_error(), cli_warn(), cli_info()). */
void
cli_log(enum kp_log_level level, const char *fmt, ...)
{
	char message[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	emit(level, message);
}

/** The library's messages, into the same sink (a kp_log_fn). */
void
cli_log_kp(void *data, enum kp_log_level level, const char *message)
{
	(void)data;
	emit(level, message);
}

/* ---------------------------------------------------------------- errors */

/** Fill err (NULL: nothing) with code and a sentence; returns code. */
int
cli_put_verror(struct kp_error *err, int code, const char *fmt, va_list ap)
{
	if (err == NULL)
		return code;
	err->code = code;
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	return code;
}

int
cli_put_error(struct kp_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_put_verror(err, code, fmt, ap);
	va_end(ap);
	return code;
}
