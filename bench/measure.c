/*
 * bench/measure: run a command once; write its wall time, CPU time and
 * peak memory to a file.
 *
 *   measure [-u UID:GID] OUTFILE COMMAND [ARG...]
 *
 * OUTFILE gets one line: wall seconds, user+system CPU seconds, maximum
 * resident set size in KiB and the wait status, from wait4(2), the figures
 * /usr/bin/time prints (%e, %U+%S, %M), with nanosecond wall time. The
 * command inherits the standard streams. With -u (as root), the command
 * runs as that user and group, with no supplementary groups: a plain
 * user's run, started without the cost of su or runuser.
 *
 * Why not time it from bench/run itself: a process's peak RSS survives
 * exec(2), and Python spawns with vfork, so every command would report at
 * least the Python interpreter's RSS. Forked from this small program it
 * starts from nothing, as under /usr/bin/time.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
seconds(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	unsigned uid = 0, gid = 0;
	bool as_user = false;
	int status;
	pid_t pid;
	FILE *out;

	if (argc > 2 && strcmp(argv[1], "-u") == 0) {
		if (sscanf(argv[2], "%u:%u", &uid, &gid) != 2) {
			fprintf(stderr, "measure: -u UID:GID\n");
			return 125;
		}
		as_user = true;
		argv += 2;
		argc -= 2;
	}
	if (argc < 3) {
		fprintf(stderr,
		        "usage: measure [-u UID:GID] OUTFILE COMMAND [ARG...]\n");
		return 125;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid == 0) {
		if (as_user && (setgroups(0, NULL) < 0 || setgid(gid) < 0 ||
		                setuid(uid) < 0)) {
			perror("measure: -u");
			_exit(126);
		}
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) {
		perror("measure");
		return 125;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	out = fopen(argv[1], "w");
	if (out == NULL) {
		perror(argv[1]);
		return 125;
	}
	fprintf(out, "%.9f %.6f %ld %d\n",
	        (double)(t1.tv_sec - t0.tv_sec) +
	                (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	        seconds(&ru.ru_utime) + seconds(&ru.ru_stime), ru.ru_maxrss,
	        status);
	return fclose(out) == 0 ? 0 : 125;
}
