/*
 * swap-on-open: a symlink swap race for tests/integration/path-trust.sh.
 *
 *   swap-on-open WATCHED LINK TARGET READY SECONDS
 *
 * Waits (at most SECONDS) until somebody opens WATCHED, then points the
 * symbolic link LINK at TARGET (a new link renamed over it, atomically),
 * the way an attacker who owns LINK's directory would repoint a name after
 * root checked it and before root used it. READY is made once the watch
 * is in place, with this process's ID in it (to be stopped by). Exits 0
 * after a swap, 2 when nobody opened WATCHED in time, 1 on an error.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <unistd.h>

static int
swap_link(const char *link, const char *target)
{
	char tmp[4096];

	if (snprintf(tmp, sizeof(tmp), "%s.swap", link) >= (int)sizeof(tmp))
		return -1;
	unlink(tmp);
	if (symlink(target, tmp) < 0 || rename(tmp, link) < 0) {
		perror("swap-on-open: swap");
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	char buf[4096]
	        __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev = (const struct inotify_event *)buf;
	struct pollfd p;
	int fd, ready;

	if (argc != 6) {
		fprintf(stderr, "usage: swap-on-open WATCHED LINK TARGET READY "
		                "SECONDS\n");
		return 1;
	}
	fd = inotify_init1(IN_CLOEXEC);
	if (fd < 0 || inotify_add_watch(fd, argv[1], IN_OPEN) < 0) {
		perror("swap-on-open: inotify");
		return 1;
	}
	ready = open(argv[4], O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (ready < 0) {
		perror("swap-on-open: ready");
		return 1;
	}
	dprintf(ready, "%ld\n", (long)getpid());
	close(ready);
	p.fd = fd;
	p.events = POLLIN;
	if (poll(&p, 1, atoi(argv[5]) * 1000) <= 0)
		return 2;
	/* The file removed (IN_IGNORED) is not an open. */
	if (read(fd, buf, sizeof(buf)) <= 0 || !(ev->mask & IN_OPEN))
		return 2;
	return swap_link(argv[2], argv[3]) < 0 ? 1 : 0;
}
