/* domain/auth.c — who is calling: bearer tokens and API keys checked, the user loaded, roles and status enforced */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/app.h"
#include "core/crypto.h"
#include "core/mc.h"
#include "core/pgarr.h"
#include "core/token.h"
#include "domain/auth.h"
#include "domain/lockout.h"
#include "domain/users.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>

/*
 * When a credential has ended, written once for the request's check and
 * for auth_recheck()'s: an access token revoked, itself (jti) or with its
 * session (sid, a refresh family: logout, reuse of a refresh token); an
 * API key k revoked or expired.
 */
#define TOKEN_REVOKED(jti, sid) \
	" (EXISTS (SELECT 1 FROM revoked_access_tokens WHERE jti = " jti ") OR" \
	" EXISTS (SELECT 1 FROM refresh_tokens WHERE family = " sid "::uuid" \
	"  AND revoked_at IS NOT NULL))"
#define KEY_REVOKED(k)	" " k ".revoked_at IS NOT NULL"
#define KEY_EXPIRED(k)	" (" k ".expires_at IS NOT NULL AND " k ".expires_at <= now())"

static const struct stmt auth_stmts[] = {
	/*
	 * A user by public id, and whether the access token $2 (NULL when
	 * there is none) was revoked, itself or with its session $3: a
	 * session ends by revoking its refresh family (logout, reuse of a
	 * refresh token), and every access token it issued ends with it.
	 */
	/*
	 * The session's last sight and address, at most once a minute, in
	 * the same round trip (a data-modifying WITH runs unreferenced).
	 */
	{ "auth_user",
	  "WITH seen AS (UPDATE sessions SET last_seen_at = now(),"
	  " ip = coalesce($4, ip) WHERE family = $3::uuid"
	  " AND last_seen_at < now() - interval '1 minute' RETURNING 1)"
	  " SELECT u.id, u.public_id, u.email, u.status, u.kyc_level,"
	  " u.totp_enabled, floor(extract(epoch FROM u.password_changed_at))::bigint,"
	  " coalesce(string_agg(r.role, ',' ORDER BY r.role), ''),"
	  TOKEN_REVOKED("$2", "$3")
	  " FROM users u LEFT JOIN user_roles r ON r.user_id = u.id"
	  " WHERE u.public_id = $1 GROUP BY u.id", 4 },
	{ "auth_revoke",
	  "INSERT INTO revoked_access_tokens (jti, expires_at)"
	  " VALUES ($1, to_timestamp($2)) ON CONFLICT DO NOTHING", 2 },
	/*
	 * One row: the key's (NULLs when there is none) and the failures
	 * of the caller's address ($3) in its window ($4), domain/lockout.c.
	 */
	{ "auth_api_key",
	  "SELECT k.id, k.public_id, k.password_sealed, array_to_string(k.scopes, ','),"
	  KEY_REVOKED("k") "," KEY_EXPIRED("k") ","
	  " cardinality(k.ip_whitelist) = 0 OR"
	  "  coalesce($2::inet <<= ANY (k.ip_whitelist), false),"
	  " k.user_public, f.n"
	  " FROM (SELECT coalesce((SELECT failures FROM login_failures"
	  "  WHERE subject = $3 AND win = $4::bigint), 0) AS n) f"
	  " LEFT JOIN (SELECT k.*, u.public_id AS user_public FROM api_keys k"
	  "  JOIN users u ON u.id = k.user_id WHERE k.api_key = $1) k ON true", 4 },
	/*
	 * Credentials held by long-lived connections, each judged again:
	 * its user's status and password change, and whether it ended (a
	 * key not the user's any more, revoked or expired; a token revoked).
	 * "-" where there is none. One row per credential, in order.
	 */
	{ "auth_recheck",
	  "SELECT u.status, floor(extract(epoch FROM u.password_changed_at))::bigint,"
	  " CASE WHEN v.key <> '-' THEN NOT EXISTS (SELECT 1 FROM api_keys k"
	  "  WHERE k.api_key = v.key AND k.user_id = v.uid AND NOT" KEY_REVOKED("k")
	  "  AND NOT" KEY_EXPIRED("k") ")"
	  " ELSE" TOKEN_REVOKED("nullif(v.jti, '-')", "nullif(v.sid, '-')") " END"
	  " FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[])"
	  " WITH ORDINALITY AS v (uid, key, jti, sid, i)"
	  " LEFT JOIN users u ON u.id = v.uid ORDER BY v.i", 4 },
	{ "auth_key_used",
	  "UPDATE api_keys SET last_used_at = now(), last_used_ip = $2"
	  " WHERE id = $1", 2 },
	/* Each value a row: those already there in their window return none. */
	{ "auth_request_id",
	  "INSERT INTO api_request_ids (key_id, request_id, expires_at)"
	  " SELECT $1, v, now() + make_interval(secs => $4::int)"
	  " FROM (VALUES ($2::text), ($3::text)) AS x (v) WHERE v IS NOT NULL"
	  " ON CONFLICT (key_id, request_id) DO UPDATE SET expires_at ="
	  " excluded.expires_at WHERE api_request_ids.expires_at <= now()"
	  " RETURNING 1", 4 },
};
enum { ST_USER, ST_REVOKE, ST_API_KEY, ST_RECHECK, ST_KEY_USED, ST_REQUEST_ID };

unsigned
auth_roles_parse(const char *s)
{
	unsigned r = 0;
	const char *p = s;
	size_t n;

	while (p != NULL && *p != '\0') {
		n = strcspn(p, ",");
		if (n == 4 && strncmp(p, "USER", 4) == 0)
			r |= ROLE_USER;
		else if (n == 5 && strncmp(p, "ADMIN", 5) == 0)
			r |= ROLE_ADMIN;
		else if (n == 10 && strncmp(p, "COMPLIANCE", 10) == 0)
			r |= ROLE_COMPLIANCE;
		else if (n == 7 && strncmp(p, "SUPPORT", 7) == 0)
			r |= ROLE_SUPPORT;
		p += n;
		if (*p == ',')
			p++;
	}
	return r;
}

const char *
auth_roles_text(unsigned r, char *buf, size_t sz)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ ROLE_USER, "USER" }, { ROLE_ADMIN, "ADMIN" },
		{ ROLE_COMPLIANCE, "COMPLIANCE" }, { ROLE_SUPPORT, "SUPPORT" },
	};
	size_t i, n = 0;

	if (sz > 0)
		buf[0] = '\0';
	for (i = 0; i < nitems(names); i++) {
		if (!(r & names[i].bit) || n >= sz)
			continue;
		n += (size_t)snprintf(buf + n, sz - n, "%s%s", n > 0 ? "," : "",
		    names[i].name);
	}
	return buf;
}

static enum err
user_fill(PGresult *res, struct user *u, long long *pw_changed)
{
	memset(u, 0, sizeof(*u));
	u->id = strtoll(db_val(res, 0, 0), NULL, 10);
	snprintf(u->idtxt, sizeof(u->idtxt), "%s", db_val(res, 0, 0));
	snprintf(u->public_id, sizeof(u->public_id), "%s", db_val(res, 0, 1));
	snprintf(u->email, sizeof(u->email), "%s", db_val(res, 0, 2));
	snprintf(u->status, sizeof(u->status), "%s", db_val(res, 0, 3));
	u->kyc_level = (int)util_long(db_val(res, 0, 4), 0);
	u->totp_enabled = strcmp(db_val(res, 0, 5), "t") == 0;
	if (pw_changed != NULL)
		*pw_changed = strtoll(db_val(res, 0, 6), NULL, 10);
	u->roles = auth_roles_parse(db_val(res, 0, 7));
	return ERR_OK;
}

/*
 * *revoked: whether the access token jti or its session sid (NULL: none)
 * was revoked.
 */
static enum err
user_load(struct ctx *c, const char *public_id, const char *jti,
    const char *sid, struct user *u, long long *pw_changed, int *revoked)
{
	const char *p[] = { public_id, jti, sid, c->remote_addr };
	PGresult *res;
	enum err e;

	if ((e = db_query(c->db, c->arena, &auth_stmts[ST_USER], p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_NOT_FOUND;
	if (revoked != NULL)
		*revoked = strcmp(db_val(res, 0, 8), "t") == 0;
	return user_fill(res, u, pw_changed);
}

void
auth_warm(struct ctx *c)
{
	struct user u;

	/* No user has this id: the statement runs, and finds no one. */
	(void)user_load(c, "usr_", NULL, NULL, &u, NULL, NULL);
}

enum err
auth_user_load(struct ctx *c, const char *public_id, struct user *u)
{
	return user_load(c, public_id, NULL, NULL, u, NULL, NULL);
}

enum err
auth_revoke_access(struct ctx *c, const char *jti, time_t exp)
{
	char key[64], when[24];
	const char *p[] = { jti, when };
	PGresult *res;
	time_t ttl = exp - c->now.tv_sec;

	if (ttl <= 0)
		return ERR_OK;
	snprintf(key, sizeof(key), "deny:%s", jti);
	snprintf(when, sizeof(when), "%lld", (long long)exp);
	(void)mc_set(key, "1", 1, ttl + 1);
	return db_query(c->db, c->arena, &auth_stmts[ST_REVOKE], p, &res);
}

static unsigned
scopes_parse(const char *s)
{
	unsigned m = 0;

	while (s != NULL && *s != '\0') {
		size_t n = strcspn(s, ",");

		if (n == 4 && strncmp(s, "read", 4) == 0)
			m |= 1u << SCOPE_READ;
		else if ((n == 5 && strncmp(s, "trade", 5) == 0) ||
		    (n == 5 && strncmp(s, "write", 5) == 0))
			m |= 1u << SCOPE_TRADE;	/* seed 003's write: trading, not withdrawals */
		else if (n == 8 && strncmp(s, "withdraw", 8) == 0)
			m |= 1u << SCOPE_WITHDRAW;
		s += n;
		if (*s == ',')
			s++;
	}
	return m;
}

/*
 * A signature's spelling: 64 hex digits, in either case (some clients'
 * hex is upper case), lowered into out before it is compared. The replay
 * mark remembers the HMAC computed here, so two spellings of one
 * signature are one request.
 */
static int
signature_lower(const char *sig, char out[65])
{
	size_t i;

	for (i = 0; sig[i] != '\0' && i < 64; i++) {
		if (sig[i] >= 'A' && sig[i] <= 'F')
			out[i] = (char)(sig[i] - 'A' + 'a');
		else if ((sig[i] >= '0' && sig[i] <= '9') ||
		    (sig[i] >= 'a' && sig[i] <= 'f'))
			out[i] = sig[i];
		else
			return 0;
	}
	out[i] = '\0';
	return i == 64 && sig[i] == '\0';
}

/*
 * Whether sig (lowered by signature_lower()) is the HMAC-SHA256 of the
 * request under secret, compared in constant time; hex receives the HMAC
 * computed here, which is what the replay mark remembers (never the
 * header as sent).
 */
static int
signature_ok(struct req *r, const char *ts, const char *secret, size_t slen,
    const char *sig, char hex[65])
{
	const char *uri = req_env(r, "REQUEST_URI");
	unsigned char mac[32];
	unsigned int n = sizeof(mac);
	char *msg;
	size_t tl, ml, ul;

	hex[0] = '\0';
	if (uri == NULL)
		return 0;
	tl = strlen(ts);
	ml = strlen(r->method);
	ul = strlen(uri);
	if ((msg = arena_alloc(r->arena, tl + ml + ul + r->bodylen + 1)) == NULL)
		return 0;
	memcpy(msg, ts, tl);
	memcpy(msg + tl, r->method, ml);
	memcpy(msg + tl + ml, uri, ul);
	if (r->bodylen > 0)
		memcpy(msg + tl + ml + ul, r->body, r->bodylen);
	if (HMAC(EVP_sha256(), secret, (int)slen, (unsigned char *)msg,
	    tl + ml + ul + r->bodylen, mac, &n) == NULL)
		return 0;
	util_hex(mac, sizeof(mac), hex);
	return CRYPTO_memcmp(hex, sig, 64) == 0;
}

/* The headers of a key-authenticated request, before any lookup. */
struct key_req {
	const char	*key, *email, *pass, *sig, *ts, *rid;
	char		 sig_low[65];	/* sig, lowered */
	int		 mode;		/* KEY_PASSWORD or KEY_SIGNED */
};

/* The request's shape: which headers, the key's format, the clock. */
static enum err
apikey_headers(struct req *r, const char *apikey, struct key_req *k,
    const char **why)
{
	long long tsv, skew;
	size_t i;

	k->key = apikey;
	k->email = req_header(r, "X-Email");
	k->pass = req_header(r, "X-API-Password");
	k->sig = req_header(r, "X-Signature");
	k->ts = req_header(r, "X-Timestamp");
	k->rid = req_header(r, "X-Request-ID");
	k->mode = k->sig != NULL ? KEY_SIGNED : KEY_PASSWORD;
	if (strlen(apikey) != 36 || strncmp(apikey, "hzm_", 4) != 0)
		return ERR_AUTH_003;
	for (i = 4; i < 36; i++)
		if (!((apikey[i] >= '0' && apikey[i] <= '9') ||
		    (apikey[i] >= 'a' && apikey[i] <= 'f')))
			return ERR_AUTH_003;
	if (k->mode == KEY_PASSWORD) {
		if (k->pass != NULL && k->email != NULL)
			return ERR_OK;
		*why = "X-API-Key needs X-Email and X-API-Password, or a signature";
		return ERR_UNAUTHORIZED;
	}
	/* X-Request-ID is optional (spec §7.1's headers): see apikey_replay(). */
	if (k->ts == NULL) {
		*why = "signed requests need X-Timestamp";
		return ERR_UNAUTHORIZED;
	}
	if (!signature_lower(k->sig, k->sig_low)) {
		*why = "X-Signature must be 64 hex digits";
		return ERR_AUTH_003;
	}
	if ((tsv = util_long(k->ts, -1)) <= 0) {
		*why = "X-Timestamp must be milliseconds since the epoch";
		return ERR_AUTH_003;
	}
	skew = tsv - ((long long)r->now.tv_sec * 1000 + r->now.tv_nsec / 1000000);
	if (skew > AUTH_SIGNED_SKEW_MS || skew < -AUTH_SIGNED_SKEW_MS) {
		*why = "X-Timestamp is not within 60 seconds of the server clock";
		return ERR_AUTH_003;
	}
	return ERR_OK;
}

/*
 * The key's secret against the password or the signature; mac receives
 * the HMAC of a signed request. The key row is res's row 0.
 */
static enum err
apikey_secret(struct req *r, const struct key_req *k, PGresult *res,
    char mac[65], const char **why)
{
	char ctx[64], secret[128];
	unsigned char *sealed;
	size_t slen, n;
	enum err e;

	snprintf(ctx, sizeof(ctx), "apikey:%s", db_val(res, 0, 1));
	if ((sealed = db_bytea(r->arena, db_val(res, 0, 2), &slen)) == NULL ||
	    crypto_open(ctx, sealed, slen, secret, sizeof(secret) - 1, &n) == -1)
		return ERR_INTERNAL;
	secret[n] = '\0';
	if (k->mode == KEY_PASSWORD)
		e = strlen(k->pass) == n && CRYPTO_memcmp(k->pass, secret, n) == 0 ?
		    ERR_OK : ERR_AUTH_001;
	else
		e = signature_ok(r, k->ts, secret, n, k->sig_low, mac) ? ERR_OK :
		    ERR_AUTH_003;
	OPENSSL_cleanse(secret, sizeof(secret));
	if (e != ERR_OK && k->mode == KEY_SIGNED)
		*why = "signature does not match";
	return e;
}

/*
 * The request id is not covered by the signature, so the signature
 * itself is remembered too: the same signed message is refused even
 * under a new X-Request-ID, or with none (Appendix G sends one, §7.1's
 * headers do not: both are served, and neither can be replayed).
 */
/*
 * Both are remembered in PostgreSQL, in one statement, for
 * AUTH_REPLAY_SECONDS: never in memcached alone, whose marks an outage, a
 * restart or an eviction would lose (and one made while it was down
 * would not be looked for once it is back).
 */
static enum err
apikey_replay(struct req *r, const struct key_req *k, const struct user *u,
    const char *mac, const char **why)
{
	const char *p[4];
	char secs[16];
	PGresult *res;
	enum err e;

	snprintf(secs, sizeof(secs), "%d", AUTH_REPLAY_SECONDS);
	p[0] = u->key_idtxt;
	p[1] = arena_printf(r->arena, "sig:%s", mac);
	p[2] = k->rid != NULL ? arena_printf(r->arena, "rid:%s", k->rid) : NULL;
	p[3] = secs;
	if (p[1] == NULL || (k->rid != NULL && p[2] == NULL))
		return ERR_INTERNAL;
	if ((e = db_query(r->db, r->arena, &auth_stmts[ST_REQUEST_ID], p,
	    &res)) != ERR_OK)
		return e;
	if (PQntuples(res) < (k->rid != NULL ? 2 : 1)) {
		*why = "replayed request";
		return ERR_AUTH_003;
	}
	return ERR_OK;
}

/* Last use reaches PostgreSQL at most once a minute per key. */
static void
apikey_used(struct req *r, const struct user *u, const char *addr)
{
	const char *p[2] = { u->key_idtxt, addr };
	char k[64];
	PGresult *res;

	snprintf(k, sizeof(k), "keyused:%s", u->key_id);
	if (mc_add(k, "1", 1, 60) == 0)
		(void)db_query(r->db, r->arena, &auth_stmts[ST_KEY_USED], p, &res);
}

/*
 * X-API-Key with either X-Email + X-API-Password or a signature. Failures
 * say which rule failed (the key is the caller's own secret), never
 * anything about other users.
 */
static enum err
auth_apikey(struct req *r, int scope, const char *apikey, struct user *u,
    const char **why)
{
	char subject[LOCKOUT_SUBJLEN], win[24];
	const char *p[4] = { apikey, r->remote_addr ? r->remote_addr : "0.0.0.0",
	    subject, win };
	struct ctx c = ctx_req(r);
	struct key_req k;
	char mac[65] = "";
	PGresult *res;
	enum err e;

	*why = NULL;
	if (scope == SCOPE_NONE) {
		*why = "this endpoint needs a user session, not an API key";
		return ERR_FORBIDDEN;
	}
	if ((e = apikey_headers(r, apikey, &k, why)) != ERR_OK)
		return e;
	lockout_keyip(&c, subject, win);
	if ((e = db_query(r->db, r->arena, &auth_stmts[ST_API_KEY], p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_INTERNAL;
	if ((r->auth_retry_after = lockout_keyip_wait(&c,
	    util_long(db_val(res, 0, 8), 0))) > 0) {
		*why = "too many failed API key authentications from this address";
		return ERR_RATE_LIMIT_EXCEEDED;
	}
	/* Guesses are counted: an unknown key, a wrong password or signature. */
	if (db_val(res, 0, 0) == NULL) {
		lockout_keyip_fail(&c);
		return ERR_AUTH_003;
	}
	if (strcmp(db_val(res, 0, 4), "t") == 0 ||
	    strcmp(db_val(res, 0, 5), "t") == 0) {
		*why = strcmp(db_val(res, 0, 4), "t") == 0 ? "API key revoked" :
		    "API key expired";
		return ERR_AUTH_003;
	}
	if ((e = apikey_secret(r, &k, res, mac, why)) != ERR_OK) {
		if (e != ERR_INTERNAL)
			lockout_keyip_fail(&c);
		return e;
	}
	if ((e = auth_user_load(&c, db_val(res, 0, 7), u)) != ERR_OK)
		return e == ERR_NOT_FOUND ? ERR_AUTH_003 : e;
	if (k.mode == KEY_PASSWORD && strcasecmp(k.email, u->email) != 0)
		return ERR_AUTH_001;
	u->via_key = k.mode;
	u->key_scopes = scopes_parse(db_val(res, 0, 3));
	snprintf(u->key_id, sizeof(u->key_id), "%s", db_val(res, 0, 1));
	snprintf(u->key_idtxt, sizeof(u->key_idtxt), "%s", db_val(res, 0, 0));
	if (strcmp(db_val(res, 0, 6), "t") != 0) {
		*why = "caller's address is not on this key's allow-list";
		return ERR_FORBIDDEN;
	}
	if (!(u->key_scopes & (1u << scope))) {
		*why = "API key lacks the scope this endpoint needs";
		return ERR_FORBIDDEN;
	}
	if (k.mode == KEY_SIGNED && (e = apikey_replay(r, &k, u, mac, why)) != ERR_OK)
		return e;
	apikey_used(r, u, p[1]);
	return ERR_OK;
}

/*
 * Users this process authenticated, by public id: their internal id
 * (which never changes) and their standing as last seen, so that a route
 * of AUTH_USER_BATCHED can leave the standing to the matcher's batch.
 * Direct-mapped; an entry older than SEEN_USER_MS is not used.
 */
#define SEEN_USERS	1024
#define SEEN_USER_MS	60000

static struct seen_user {
	char		 public_id[32];
	int64_t		 id;
	char		 status[24];
	int		 kyc_level;
	int64_t		 at_ms;
} seen_users[SEEN_USERS];

static struct seen_user *
seen_user_slot(const char *public_id)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	const char *s;

	for (s = public_id; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return &seen_users[h % SEEN_USERS];
}

static void
seen_user_add(const struct user *u)
{
	struct seen_user *e = seen_user_slot(u->public_id);

	snprintf(e->public_id, sizeof(e->public_id), "%s", u->public_id);
	e->id = u->id;
	snprintf(e->status, sizeof(e->status), "%s", u->status);
	e->kyc_level = u->kyc_level;
	e->at_ms = util_mono_ms();
}

/* The user of claims c as last seen, in good standing then; else NULL. */
static const struct seen_user *
seen_user_find(const struct token_claims *c)
{
	const struct seen_user *e = seen_user_slot(c->sub);

	if (e->at_ms == 0 || strcmp(e->public_id, c->sub) != 0 ||
	    util_mono_ms() - e->at_ms >= SEEN_USER_MS ||
	    !user_status_usable(e->status))
		return NULL;
	return e;
}

/* The token's fields of *u. */
static void
token_fields(struct user *u, const struct token_claims *c)
{
	u->admin_session = c->admin;
	snprintf(u->jti, sizeof(u->jti), "%s", c->jti);
	snprintf(u->sid, sizeof(u->sid), "%s", c->sid);
	u->token_exp = c->exp;
	u->token_iat = c->iat;
}

/* What an account's status lets its credentials do (NULL: no account). */
static enum err
status_check(const char *status)
{
	if (status != NULL && (strcmp(status, "SUSPENDED") == 0 ||
	    strcmp(status, "BLOCKED") == 0))
		return ERR_COMPLIANCE_003;
	if (status == NULL || !user_status_usable(status))
		return ERR_FORBIDDEN;
	return ERR_OK;
}

static enum err
user_status_check(const struct user *u)
{
	return status_check(u->status);
}

/* A password change ends every session that came before it. */
static int
token_outdated(long long iat, long long pw_changed)
{
	return iat < pw_changed;
}

enum err
auth_request(struct req *r, enum auth need, int scope, struct user *u)
{
	const struct seen_user *seen;
	struct token_claims c;
	struct ctx sc = ctx_req(r);
	const char *h = req_header(r, "Authorization");
	const char *key = req_header(r, "X-API-Key");
	long long pw_changed = 0;
	enum err e;
	int rc, rev;

	if (need == AUTH_NONE)
		return ERR_OK;
	if (h == NULL && key != NULL &&
	    (need == AUTH_USER || need == AUTH_USER_BATCHED)) {
		const char *why;

		e = auth_apikey(r, scope, key, u, &why);
		if (e == ERR_OK)
			e = user_status_check(u);
		r->auth_why = why;
		return e;
	}
	if ((h = req_bearer(r)) == NULL)
		return ERR_UNAUTHORIZED;
	rc = token_verify(h, r->now.tv_sec, &c);
	if (rc == TOKEN_EXPIRED)
		return ERR_AUTH_002;
	if (rc == TOKEN_ESYS)
		return ERR_INTERNAL;
	if (rc != TOKEN_OK)
		return ERR_AUTH_003;
	if (need == AUTH_USER_BATCHED && (seen = seen_user_find(&c)) != NULL) {
		memset(u, 0, sizeof(*u));
		u->id = seen->id;
		snprintf(u->idtxt, sizeof(u->idtxt), "%lld", (long long)seen->id);
		snprintf(u->public_id, sizeof(u->public_id), "%s", c.sub);
		snprintf(u->status, sizeof(u->status), "%s", seen->status);
		u->kyc_level = seen->kyc_level;
		token_fields(u, &c);
		u->unconfirmed = 1;
		return ERR_OK;
	}
	/*
	 * Revoked (logged-out) tokens are looked up in PostgreSQL in the same
	 * query that loads the user: one round trip, and a revocation whose
	 * memcached copy was lost (an outage, a restart) still holds.
	 */
	/* token_verify accepts no sid but a uuid. */
	if ((e = user_load(&sc, c.sub, c.jti, c.sid[0] != '\0' ? c.sid : NULL,
	    u, &pw_changed, &rev)) != ERR_OK)
		return e == ERR_NOT_FOUND ? ERR_AUTH_003 : e;
	/* A suspended or blocked account says so, even to a revoked session. */
	if ((e = user_status_check(u)) != ERR_OK)
		return e;
	if (rev || token_outdated((long long)c.iat, pw_changed))
		return ERR_AUTH_003;
	token_fields(u, &c);
	seen_user_add(u);
	switch (need) {
	case AUTH_ADMIN:
		if (!u->admin_session || !(u->roles & ROLE_ADMIN))
			return ERR_FORBIDDEN;
		break;
	case AUTH_STAFF:
		if (!u->admin_session || !(u->roles & ROLES_STAFF))
			return ERR_FORBIDDEN;
		break;
	default:
		break;
	}
	return ERR_OK;
}

enum err
auth_confirm(struct ctx *c, struct user *u)
{
	const struct user *was = c->actor;
	long long pw_changed = 0;
	enum err e;
	int rev;

	if ((e = user_load(c, was->public_id, was->jti, was->sid[0] != '\0' ?
	    was->sid : NULL, u, &pw_changed, &rev)) != ERR_OK)
		return e == ERR_NOT_FOUND ? ERR_AUTH_003 : e;
	if ((e = user_status_check(u)) != ERR_OK)
		return e;
	if (rev || token_outdated((long long)was->token_iat, pw_changed))
		return ERR_AUTH_003;
	u->admin_session = was->admin_session;
	snprintf(u->jti, sizeof(u->jti), "%s", was->jti);
	snprintf(u->sid, sizeof(u->sid), "%s", was->sid);
	u->token_exp = was->token_exp;
	u->token_iat = was->token_iat;
	seen_user_add(u);
	return ERR_OK;
}

enum err
auth_recheck(struct ctx *c, const struct auth_held *h, size_t n,
    enum err *verdict)
{
	struct pgarr uid = { 0 }, key = { 0 }, jti = { 0 }, sid = { 0 };
	const char *p[4];
	PGresult *res;
	enum err e;
	size_t i;

	for (i = 0; i < n; i++) {
		pgarr_int(&uid, h[i].user_id);
		pgarr_str(&key, h[i].api_key != NULL ? h[i].api_key : "-");
		pgarr_str(&jti, h[i].jti != NULL && h[i].jti[0] ? h[i].jti : "-");
		pgarr_str(&sid, h[i].sid != NULL && h[i].sid[0] ? h[i].sid : "-");
	}
	if ((p[0] = pgarr_end(&uid, c->arena)) == NULL ||
	    (p[1] = pgarr_end(&key, c->arena)) == NULL ||
	    (p[2] = pgarr_end(&jti, c->arena)) == NULL ||
	    (p[3] = pgarr_end(&sid, c->arena)) == NULL)
		return ERR_INTERNAL;
	if ((e = db_query(c->db, c->arena, &auth_stmts[ST_RECHECK], p, &res)) != ERR_OK)
		return e;
	if ((size_t)PQntuples(res) != n)
		return ERR_INTERNAL;
	for (i = 0; i < n; i++) {
		/* A suspended or blocked account says so first, as auth_request(). */
		if ((verdict[i] = status_check(db_val(res, (int)i, 0))) != ERR_OK)
			continue;
		verdict[i] = strcmp(db_val(res, (int)i, 2), "t") == 0 ||
		    (h[i].api_key == NULL && token_outdated((long long)h[i].iat,
		    strtoll(db_val(res, (int)i, 1), NULL, 10))) ? ERR_AUTH_003 :
		    ERR_OK;
	}
	return ERR_OK;
}
