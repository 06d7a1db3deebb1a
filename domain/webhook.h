/* domain/webhook.h — a user's webhook endpoints: URL rule, signing secrets (sealed, rotated), Standard Webhooks signatures */
#ifndef HZM_WEBHOOK_H
#define HZM_WEBHOOK_H

#include <stddef.h>

#include <libpq-fe.h>

#include "core/err.h"

struct ctx;

#define WEBHOOK_ID_LEN		24	/* "whk_" + 20 */
#define WEBHOOK_SECRET_MAX	64	/* "whsec_" + base64 of 24 bytes, NUL */
#define WEBHOOK_SIG_MAX		128	/* "v1,<base64 of 32 bytes>" twice, a space */
#define WEBHOOKS_MAX		10	/* endpoints per user */
#define WEBHOOK_ROTATE_GRACE	"24 hours"

/* Where a URL points, checked. */
struct webhook_target {
	char	 host[256];
	int	 port;
	int	 allowed;	/* host:port is in webhook_allow_hosts */
	char	 pin[320];	/* "host:port:address", for httpc_req.pin */
};

/*
 * A webhook URL: https (http only for a host:port of the setting
 * webhook_allow_hosts), no credentials, at most 2048 bytes; with resolve,
 * the host's addresses too: none private, loopback, link-local or
 * reserved unless allowed. ERR_INVALID_REQUEST (malformed),
 * ERR_FORBIDDEN (refused; why says why) or ERR_SERVICE_UNAVAILABLE (the
 * name does not resolve).
 */
enum err	 webhook_url_check(const char *url, int resolve,
		    struct webhook_target *, char *why, size_t whysz);

/*
 * A URL a user gives for webhooks, as webhook_url_check() with resolve
 * judges it, except that a name that does not resolve now is kept: each
 * delivery resolves it again and refuses private addresses then.
 */
enum err	 webhook_url_accept(const char *url, char *why, size_t whysz);

/* A new secret: "whsec_" + base64 of 24 random bytes. */
int		 webhook_secret_new(char out[WEBHOOK_SECRET_MAX]);
/* An endpoint's sealed secret (bytea text from the database) opened. */
int		 webhook_secret_open(struct ctx *, const char *endpoint_id,
		    const char *sealed_hex, char out[WEBHOOK_SECRET_MAX]);
/*
 * Standard Webhooks: "v1," + base64(HMAC-SHA256(key, id "." ts "." body))
 * where key is the base64-decoded part of secret after "whsec_".
 */
int		 webhook_sign(const char *secret, const char *msg_id,
		    const char *ts, const char *body, size_t len,
		    char out[WEBHOOK_SIG_MAX]);

/* Create an endpoint for the actor: events is "a,b,c"; id and secret out. */
enum err	 webhook_create(struct ctx *, const char *url, const char *events,
		    char id[WEBHOOK_ID_LEN + 1], char secret[WEBHOOK_SECRET_MAX]);
/*
 * The actor's endpoint of url takes type too (seed 002: a preference
 * names its webhook's URL); one is created for a URL new to them, its
 * id and secret out (else id is ""). ERR_CONFLICT: WEBHOOKS_MAX already.
 * In the caller's transaction.
 */
enum err	 webhook_ensure(struct ctx *, const char *url, const char *type,
		    char id[WEBHOOK_ID_LEN + 1], char secret[WEBHOOK_SECRET_MAX]);
/*
 * The actor's endpoints: public_id, url, events (a,b), createdAt,
 * rotatedAt, old secret valid until.
 */
enum err	 webhook_list(struct ctx *, const char *id, PGresult **);
/* Delete one of the actor's endpoints (ERR_NOT_FOUND if not theirs). */
enum err	 webhook_delete(struct ctx *, const char *id);
/* A new secret; the old one keeps signing for WEBHOOK_ROTATE_GRACE. */
enum err	 webhook_rotate(struct ctx *, const char *id,
		    char secret[WEBHOOK_SECRET_MAX]);
/* Queue a webhook.test event for one of the actor's endpoints. */
enum err	 webhook_test(struct ctx *, const char *id, char evt[32]);

#endif
