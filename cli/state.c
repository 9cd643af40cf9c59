/*
 * purge-old-kernels - the state file (the policy and the configuration
 * are policy.c's).
 *
 * The state file (KP_STATE_FILE under the root) says what the plan of the
 * configured policy comes to, and what it was made from: the dpkg
 * database's stamp and kernel fingerprint and a hash of the policy. A
 * reader whose stamp, or else fingerprint, and policy match uses it as it
 * is; anything else makes the plan again, with libdpkg, never apt.
 */
#include <config.h>

#include <stdio.h>

#include "log.h"
#include "unattended.h"

/**
 * What the hook tells of s under cfg: a hash of what the plan was made
 * from (the fingerprint and the policy) and of AUTO, which decides
 * whether it announces or purges. Never 0, which means "nothing yet".
 */
unsigned long long
cli_announce_key(const struct kp_summary *s, const struct kp_config *cfg)
{
	unsigned long long h = KP_HASH_INIT;
	int auto_purge = cfg->auto_purge == KP_AUTO_YES;

	h = kp_hash(h, &s->kernels, sizeof(s->kernels));
	h = kp_hash(h, &s->policy, sizeof(s->policy));
	h = kp_hash(h, &auto_purge, sizeof(auto_purge));
	return h != 0 ? h : 1;
}

/**
 * Make the plan of p now and summarise it into s (its last run kept as it
 * is), with the stamp and the fingerprint taken before the database is
 * read: a change meanwhile makes the state look old, never new. The plan
 * goes to *keep when keep is not NULL (the caller frees it). Returns 0
 * or a negative code with err filled.
 */
int
cli_state_compute(const struct cli_policy *p, struct kp_summary *s,
                  struct kp_plan **keep, struct kp_error *err)
{
	struct kp_ctx *ctx;
	struct kp_plan *plan;
	int r;

	if ((r = kp_db_stamp(p->root, &s->stamp, err)) < 0 ||
	    (r = kp_kernel_fingerprint(p->root, &s->kernels, err)) < 0 ||
	    (r = cli_plan_open(p, &ctx, &plan, err)) < 0)
		return r;
	kp_ctx_free(ctx);
	kp_summary_from_plan(s, plan);
	s->policy = cli_policy_hash(p);
	if (keep != NULL)
		*keep = plan;
	else
		kp_plan_free(plan);
	return 0;
}

/** Save s as the state file and export its metrics; errors are logged. */
void
cli_state_publish(const char *root, const struct kp_summary *s)
{
	struct kp_error err;

	kp_error_clear(&err);
	if (kp_summary_save(root, s, &err) < 0)
		cli_warn("%s", err.message);
	kp_error_clear(&err);
	if (kp_summary_export_prometheus(root, s, &err) < 0)
		cli_warn("%s", err.message);
}

/*
 * Is the state s (read from the file) still the plan of policy? Sets
 * *stamp_only when the stamp moved but no kernel package changed.
 */
static bool
state_current(const struct cli_policy *p, struct kp_summary *s,
              bool *stamp_only)
{
	unsigned long long stamp, kernels;

	*stamp_only = false;
	if (s->policy != cli_policy_hash(p) ||
	    kp_db_stamp(p->root, &stamp, NULL) < 0)
		return false;
	if (stamp == s->stamp)
		return true;
	if (kp_kernel_fingerprint(p->root, &kernels, NULL) < 0 ||
	    kernels != s->kernels)
		return false;
	s->stamp = stamp;
	*stamp_only = true;
	return true;
}

/**
 * The summary of the plan of p: from the state file while it is current,
 * else made now and, with save, published; then the plan goes to *plan
 * when plan is not NULL (NULL when the state file answered; the caller
 * frees it). Returns 0 or a negative code with err filled.
 */
int
cli_state_get(const struct cli_policy *p, bool save, struct kp_summary *s,
              struct kp_plan **plan, struct kp_error *err)
{
	bool stamp_only;
	int r;

	if (plan != NULL)
		*plan = NULL;
	kp_summary_init(s);
	r = kp_summary_load(p->root, s, NULL);
	if (r == 0 && state_current(p, s, &stamp_only)) {
		/* Next time the stamp alone answers. */
		if (stamp_only && save)
			kp_summary_save(p->root, s, NULL);
		return 0;
	}
	/* The last run's figures carry over; the rest is made again. */
	if (r < 0)
		kp_summary_init(s);
	r = cli_state_compute(p, s, plan, err);
	if (r == 0 && save)
		cli_state_publish(p->root, s);
	return r;
}
