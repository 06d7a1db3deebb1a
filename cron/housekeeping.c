/* cron/housekeeping.c — delete what has expired (codes, revoked tokens, idempotency keys, replay marks, rate-limit windows, login failures); expire KYC whose ID has */
#include <stdio.h>

#include "core/log.h"
#include "core/util.h"
#include "core/worker.h"
#include "domain/kyc_expire.h"

/*
 * Each statement deletes in bounded batches so a long backlog never holds
 * locks for long; worker_drain repeats it until it deletes nothing.
 * Refresh tokens and e-mail codes are kept a while after they expire:
 * reuse detection and support questions need the recent past.
 * The records MASAK may ask for (audit_log, compliance_alerts,
 * masak_cases, KYC applications, trades and transfers) are kept eight
 * years at least and are never deleted here.
 */
static const struct stmt stmts[] = {
	{ "hk_idempotency",
	  "DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM"
	  " idempotency_keys WHERE expires_at < now() LIMIT 5000)", 0 },
	{ "hk_idempotency_anon",
	  "DELETE FROM idempotency_anon_keys WHERE ctid IN (SELECT ctid FROM"
	  " idempotency_anon_keys WHERE expires_at < now() LIMIT 5000)", 0 },
	{ "hk_request_ids",
	  "DELETE FROM api_request_ids WHERE ctid IN (SELECT ctid FROM"
	  " api_request_ids WHERE expires_at < now() LIMIT 5000)", 0 },
	{ "hk_revoked",
	  "DELETE FROM revoked_access_tokens WHERE ctid IN (SELECT ctid FROM"
	  " revoked_access_tokens WHERE expires_at < now() LIMIT 5000)", 0 },
	{ "hk_codes",
	  "DELETE FROM email_codes WHERE ctid IN (SELECT ctid FROM email_codes"
	  " WHERE expires_at < now() - interval '7 days' LIMIT 5000)", 0 },
	{ "hk_refresh",
	  "DELETE FROM refresh_tokens WHERE ctid IN (SELECT ctid FROM"
	  " refresh_tokens WHERE expires_at < now() - interval '7 days'"
	  " LIMIT 5000)", 0 },
	/* Sessions whose refresh tokens are all gone (housekeeping above). */
	{ "hk_sessions",
	  "DELETE FROM sessions WHERE ctid IN (SELECT ctid FROM sessions s"
	  " WHERE s.last_seen_at < now() - interval '38 days' AND NOT EXISTS"
	  " (SELECT 1 FROM refresh_tokens t WHERE t.family = s.family) LIMIT 5000)", 0 },
	/* Rate-limit windows counted while memcached was out (core/ratelimit.c). */
	{ "hk_rate_counters",
	  "DELETE FROM rate_counters WHERE ctid IN (SELECT ctid FROM"
	  " rate_counters WHERE expires_at < now() LIMIT 5000)", 0 },
	/* Counting windows are an hour at most; a day is plenty. */
	{ "hk_login_failures",
	  "DELETE FROM login_failures WHERE ctid IN (SELECT ctid FROM"
	  " login_failures WHERE updated_at < now() - interval '1 day'"
	  " AND (wait_until IS NULL OR wait_until < now()) LIMIT 5000)", 0 },
};

/*
 * Approved KYC whose identity document has expired: EXPIRED, the level
 * it granted dropped, the user mailed (domain/kyc_expire.c).
 */
static int
kyc_expiry(struct worker_ctx *w)
{
	struct ctx c = ctx_worker(w);
	int n, total = 0;

	do {
		if (kyc_expire_due(&c, 100, &n) != ERR_OK) {
			log_error("housekeeping: kyc expiry failed");
			return -1;
		}
		total += n;
	} while (n == 100 && !worker_stopping(w));
	if (total > 0)
		log_info("housekeeping: %d KYC applications expired", total);
	printf("kyc_expired %d\n", total);
	return 0;
}

static int
housekeeping(struct worker_ctx *w)
{
	size_t i;
	long total;

	for (i = 0; i < nitems(stmts) && !worker_stopping(w); i++) {
		if (worker_drain(w, &stmts[i], NULL, &total) != ERR_OK) {
			log_error("housekeeping: %s failed", stmts[i].name);
			return -1;
		}
		if (total > 0)
			log_info("housekeeping: %s deleted %ld rows", stmts[i].name,
			    total);
		printf("%s %ld\n", stmts[i].name + 3, total);
	}
	return kyc_expiry(w);
}

int
main(void)
{
	static const struct worker w = {
		.name = "housekeeping",
		.exclusive = 1,
		.max_seconds = 300,
		.run = housekeeping,
	};

	return worker_main(&w);
}
