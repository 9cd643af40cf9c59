/*
 * libFuzzer target: the configuration file, purge-old-kernels.conf(5)
 * (lib/config.c), read with kp_config_read_stream().
 *
 * Whatever the file holds: no crash, no leak, an error with a sentence or
 * a configuration within the documented ranges; and a file that was read
 * reads the same a second time.
 */
#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpurge-app.h"
#include "kpurge.h"

#define REQUIRE(cond)                                                          \
	do {                                                                   \
		if (!(cond))                                                   \
			__builtin_trap();                                      \
	} while (0)

static int
read_config(const uint8_t *data, size_t size, struct kp_config *cfg,
            struct kp_error *err)
{
	FILE *f = fmemopen((void *)data, size, "r");
	int r;

	if (f == NULL)
		return -ENOMEM;
	kp_config_init(cfg);
	memset(err, 0, sizeof(*err));
	r = kp_config_read_stream(f, "fuzz.conf", cfg, NULL, NULL, err);
	fclose(f);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kp_config a, b;
	struct kp_error err;
	size_t i;
	int r;

	if (size == 0)
		return 0;
	r = read_config(data, size, &a, &err);
	if (r == -ENOMEM && err.code == 0) {
		kp_config_free(&a);
		return 0;
	}
	if (r < 0) {
		REQUIRE(err.code == r && err.message[0] != '\0' &&
		        memchr(err.message, '\0', sizeof(err.message)));
		kp_config_free(&a);
		return 0;
	}
	REQUIRE(a.keep <= KP_KEEP_MAX);
	REQUIRE(a.timeout <= KP_TIMEOUT_MAX);
	REQUIRE(a.boot_warn >= 1 && a.boot_warn <= 100);
	REQUIRE(a.auto_purge == KP_AUTO_NO || a.auto_purge == KP_AUTO_YES);
	for (i = 0; i < a.n_protect; i++)
		REQUIRE(a.protect[i] != NULL);
	/* the same file, the same configuration */
	REQUIRE(read_config(data, size, &b, &err) == r);
	REQUIRE(a.keep == b.keep && a.keep_set == b.keep_set &&
	        a.n_protect == b.n_protect && a.timeout == b.timeout &&
	        a.boot_warn == b.boot_warn && a.auto_purge == b.auto_purge);
	for (i = 0; i < a.n_protect; i++)
		REQUIRE(strcmp(a.protect[i], b.protect[i]) == 0);
	kp_config_free(&a);
	kp_config_free(&b);
	return 0;
}
