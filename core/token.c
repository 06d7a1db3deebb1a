/* core/token.c — access tokens: HS256 JWTs through libjwt, algorithm pinned, every claim checked */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <jwt.h>
#include <openssl/crypto.h>

#include "core/config.h"
#include "core/log.h"
#include "core/token.h"
#include "core/util.h"

#define KEY_MIN		32	/* bytes: an HMAC-SHA256 key no shorter than its output */
#define KEY_MAX		256
#define IAT_SKEW	60	/* seconds another clock may run ahead of ours */
#define TTL_DEFAULT	900
#define TTL_MIN		900
#define TTL_MAX		1800
#define KYC_MAX		3
#define ROLES_MAX	8
#define ROLE_MAXLEN	16
#define SUB_PREFIX	"usr_"
#define SUB_IDLEN	20	/* util_public_id: 20 characters after the prefix */
#define SEEN_MAX	256	/* tokens remembered as verified, per process */
#define SEEN_TOKLEN	640	/* longer ones are verified every time (ours: ~300) */
#define SEEN_CFGLEN	64

/*
 * The decoded key, loaded on first use and kept for the life of the
 * process (handlers are single-threaded). A failed load is not cached:
 * every call reports TOKEN_ESYS until the configuration is fixed.
 */
static unsigned char	tok_key[KEY_MAX];
static size_t		tok_keylen;

static int
key_load(void)
{
	static int logged;
	const char *hex;
	size_t n;

	if (tok_keylen != 0)
		return 0;
	hex = cfg_get("jwt_key", NULL);
	n = hex != NULL ? strnlen(hex, 2 * KEY_MAX + 1) : 0;
	if (n < 2 * KEY_MIN || n > 2 * KEY_MAX ||
	    util_unhex(hex, n, tok_key) == -1) {
		explicit_bzero(tok_key, sizeof(tok_key));
		if (!logged) {
			log_error("token: jwt_key must be %d to %d bytes of hex",
			    KEY_MIN, KEY_MAX);
			logged = 1;
		}
		return -1;
	}
	tok_keylen = n / 2;
	return 0;
}

static const char *
issuer(void)
{
	return cfg_get("jwt_issuer", "hzm");
}

static const char *
audience(void)
{
	return cfg_get("jwt_audience", "hzm-api");
}

int
token_ttl(void)
{
	long long ttl = cfg_int("access_ttl", TTL_DEFAULT);

	if (ttl < TTL_MIN)
		return TTL_MIN;
	if (ttl > TTL_MAX)
		return TTL_MAX;
	return (int)ttl;
}

/* usr_ + 20 of [a-z2-7]: util_public_id's form, as users.public_id checks it. */
static int
sub_valid(const char *s, size_t len)
{
	size_t plen = sizeof(SUB_PREFIX) - 1, i;

	if (len != plen + SUB_IDLEN || memcmp(s, SUB_PREFIX, plen) != 0)
		return 0;
	for (i = plen; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '2' &&
		    s[i] <= '7')))
			return 0;
	return 1;
}

/* USER, ADMIN, COMPLIANCE: [A-Z_], so a comma list is unambiguous. */
static int
role_valid(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > ROLE_MAXLEN)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_'))
			return 0;
	return 1;
}

/*
 * {"roles":["USER","ADMIN"]} from "USER,ADMIN" (NUL-terminated), and
 * {"roles":[]} from "". The role names need no JSON escaping: role_valid
 * admits none that would.
 */
static int
roles_json(const char *list, char *out, size_t outsz)
{
	const char *p, *comma;
	size_t len, o, n = 0;
	int w;

	w = snprintf(out, outsz, "{\"roles\":[");
	if (w < 0 || (size_t)w >= outsz)
		return -1;
	o = (size_t)w;
	/* "" is no role at all; otherwise each element must be one. */
	for (p = list; *list != '\0'; p = comma + 1) {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (!role_valid(p, len) || ++n > ROLES_MAX)
			return -1;
		w = snprintf(out + o, outsz - o, "%s\"%.*s\"", n > 1 ? "," : "",
		    (int)len, p);
		if (w < 0 || (size_t)w >= outsz - o)
			return -1;
		o += (size_t)w;
		if (comma == NULL)
			break;
	}
	w = snprintf(out + o, outsz - o, "]}");
	return w < 0 || (size_t)w >= outsz - o ? -1 : 0;
}

int
token_issue(struct token_claims *c, time_t now, char *out, size_t outsz)
{
	char roles[sizeof(c->roles) + 2 * ROLES_MAX + 16];
	char jti[UUID_LEN + 1];
	jwt_t *j = NULL;
	char *s = NULL;
	size_t len, sidlen;
	int ttl, rc = TOKEN_ESYS;

	if (key_load() == -1)
		return TOKEN_ESYS;
	/* What we sign must pass our own verification: same rules here. */
	len = strnlen(c->sub, sizeof(c->sub));
	if (!sub_valid(c->sub, len) ||
	    (sidlen = strnlen(c->sid, sizeof(c->sid))) == sizeof(c->sid) ||
	    (sidlen != 0 && !util_uuid_valid(c->sid, sidlen)) || c->kyc_level < 0 ||
	    c->kyc_level > KYC_MAX || now <= 0 ||
	    strnlen(c->roles, sizeof(c->roles)) == sizeof(c->roles) ||
	    roles_json(c->roles, roles, sizeof(roles)) == -1)
		return TOKEN_INVALID;
	ttl = token_ttl();
	if (util_uuid(jti) == -1 || jwt_new(&j) != 0)
		goto out;
	if (jwt_set_alg(j, JWT_ALG_HS256, tok_key, (int)tok_keylen) != 0 ||
	    jwt_add_grant(j, "iss", issuer()) != 0 ||
	    jwt_add_grant(j, "aud", audience()) != 0 ||
	    jwt_add_grant(j, "sub", c->sub) != 0 ||
	    jwt_add_grant(j, "jti", jti) != 0 ||
	    jwt_add_grant_int(j, "iat", (long)now) != 0 ||
	    jwt_add_grant_int(j, "exp", (long)now + ttl) != 0 ||
	    jwt_add_grant_int(j, "kyc", c->kyc_level) != 0 ||
	    jwt_add_grants_json(j, roles) != 0)
		goto out;
	if (sidlen != 0 && jwt_add_grant(j, "sid", c->sid) != 0)
		goto out;
	/* Only admin tokens carry "adm": no "adm": false to misread. */
	if (c->admin && jwt_add_grant_bool(j, "adm", 1) != 0)
		goto out;
	if ((s = jwt_encode_str(j)) == NULL)
		goto out;
	if ((len = strlen(s)) > TOKEN_MAXLEN || len >= outsz) {
		log_error("token: %zu bytes do not fit in %zu", len, outsz);
		goto out;
	}
	memcpy(out, s, len + 1);
	memcpy(c->jti, jti, sizeof(jti));
	c->iat = now;
	c->exp = now + ttl;
	c->admin = c->admin != 0;
	rc = TOKEN_OK;
out:
	free(s);
	jwt_free(j);
	return rc;
}

/*
 * Three non-empty base64url segments, nothing else, within TOKEN_MAXLEN.
 * libjwt copies each segment onto the stack with alloca and its base64
 * decoder skips what it does not know: neither sees anything unchecked.
 */
static int
shape_valid(const char *s)
{
	size_t i, seg = 0, ndots = 0;

	for (i = 0; s[i] != '\0'; i++) {
		char ch = s[i];

		if (i >= TOKEN_MAXLEN)
			return 0;
		if (ch == '.') {
			/* A length of 1 mod 4 is no base64 at all. */
			if (seg == 0 || seg % 4 == 1 || ++ndots > 2)
				return 0;
			seg = 0;
		} else if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_')
			seg++;
		else
			return 0;
	}
	return ndots == 2 && seg != 0 && seg % 4 != 1;
}

static int
claim_str(struct json_object *o, const char *name, const char **s,
    size_t *len)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, name, &v) ||
	    !json_object_is_type(v, json_type_string))
		return -1;
	*s = json_object_get_string(v);
	*len = (size_t)json_object_get_string_len(v);
	return 0;
}

static int
claim_int(struct json_object *o, const char *name, long long *n)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, name, &v) ||
	    !json_object_is_type(v, json_type_int))
		return -1;
	*n = (long long)json_object_get_int64(v);
	return 0;
}

/* The string claim name equals want, byte for byte (no NUL hidden in it). */
static int
claim_is(struct json_object *o, const char *name, const char *want)
{
	const char *s;
	size_t len;

	return claim_str(o, name, &s, &len) == 0 && len == strlen(want) &&
	    memcmp(s, want, len) == 0;
}

/*
 * Types are checked as strictly as values: exp as a float or a string,
 * aud as an array, kyc as "2" are all refused. Claims we do not know are
 * ignored, as RFC 7519 4 asks; we issue none.
 */
static int
claims_parse(struct json_object *o, struct token_claims *t)
{
	struct json_object *roles, *v;
	const char *s;
	size_t len, i, n, o_len = 0;
	long long iat, exp, kyc;

	memset(t, 0, sizeof(*t));
	if (!json_object_is_type(o, json_type_object) ||
	    !claim_is(o, "iss", issuer()) || !claim_is(o, "aud", audience()))
		return -1;

	if (claim_str(o, "sub", &s, &len) == -1 || !sub_valid(s, len))
		return -1;
	memcpy(t->sub, s, len);
	if (claim_str(o, "jti", &s, &len) == -1 || !util_uuid_valid(s, len))
		return -1;
	memcpy(t->jti, s, len);
	/* sid is optional: a token outside any session has none. */
	if (json_object_object_get_ex(o, "sid", NULL)) {
		if (claim_str(o, "sid", &s, &len) == -1 || !util_uuid_valid(s, len))
			return -1;
		memcpy(t->sid, s, len);
	}

	/* exp - iat is at most the longest lifetime we ever configure. */
	if (claim_int(o, "iat", &iat) == -1 || claim_int(o, "exp", &exp) == -1 ||
	    iat <= 0 || exp <= iat || exp - iat > TTL_MAX)
		return -1;
	t->iat = (time_t)iat;
	t->exp = (time_t)exp;

	if (claim_int(o, "kyc", &kyc) == -1 || kyc < 0 || kyc > KYC_MAX)
		return -1;
	t->kyc_level = (int)kyc;

	if (!json_object_object_get_ex(o, "roles", &roles) ||
	    !json_object_is_type(roles, json_type_array) ||
	    (n = json_object_array_length(roles)) > ROLES_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(roles, i);
		if (!json_object_is_type(v, json_type_string))
			return -1;
		s = json_object_get_string(v);
		len = (size_t)json_object_get_string_len(v);
		if (!role_valid(s, len) ||
		    o_len + (i > 0) + len >= sizeof(t->roles))
			return -1;
		if (i > 0)
			t->roles[o_len++] = ',';
		memcpy(t->roles + o_len, s, len);
		o_len += len;
	}
	t->roles[o_len] = '\0';

	if (json_object_object_get_ex(o, "adm", &v)) {
		if (!json_object_is_type(v, json_type_boolean))
			return -1;
		t->admin = json_object_get_boolean(v) ? 1 : 0;
	}
	return 0;
}

/*
 * Tokens this process verified, by their exact text: a client sends the
 * same token with each request for its lifetime, and the same bytes
 * under the same key, issuer and audience decode and check out the same
 * way each time, so only the clock is asked again (token_verify). The
 * decoding and the HMAC were a sixth of an order's time in its handler.
 * Direct-mapped by a hash of the text; compared in constant time.
 */
static struct seen {
	size_t			 len;		/* 0: empty slot */
	char			 tok[SEEN_TOKLEN];
	char			 iss[SEEN_CFGLEN];
	char			 aud[SEEN_CFGLEN];
	struct token_claims	 t;
} seen[SEEN_MAX];

static struct seen *
seen_slot(const char *tok, size_t len)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)tok[i]) * 1099511628211ULL;
	return &seen[h % SEEN_MAX];
}

/* The claims of tok if this process verified it under today's settings. */
static const struct token_claims *
seen_find(const char *tok)
{
	size_t len = strlen(tok);
	struct seen *e;

	if (len >= SEEN_TOKLEN)
		return NULL;
	e = seen_slot(tok, len);
	if (e->len != len || CRYPTO_memcmp(e->tok, tok, len) != 0 ||
	    strcmp(e->iss, issuer()) != 0 || strcmp(e->aud, audience()) != 0)
		return NULL;
	return &e->t;
}

static void
seen_add(const char *tok, const struct token_claims *t)
{
	size_t len = strlen(tok);
	struct seen *e;

	if (len >= SEEN_TOKLEN || strlen(issuer()) >= SEEN_CFGLEN ||
	    strlen(audience()) >= SEEN_CFGLEN)
		return;
	e = seen_slot(tok, len);
	memcpy(e->tok, tok, len);
	e->len = len;
	snprintf(e->iss, sizeof(e->iss), "%s", issuer());
	snprintf(e->aud, sizeof(e->aud), "%s", audience());
	e->t = *t;
}

/* The checks of the clock, made on every use of a token. */
static int
clock_check(const struct token_claims *t, time_t now)
{
	if (t->iat > now + IAT_SKEW)
		return TOKEN_INVALID;
	/* Last: only an otherwise good token may say TOKEN_EXPIRED. */
	return now >= t->exp ? TOKEN_EXPIRED : TOKEN_OK;
}

int
token_verify(const char *tok, time_t now, struct token_claims *c)
{
	const struct token_claims *known;
	struct token_claims t;
	struct json_object *o = NULL;
	jwt_t *j = NULL;
	const char *alg;
	char *s = NULL;
	int e, rc = TOKEN_INVALID;

	if (key_load() == -1)
		return TOKEN_ESYS;
	if (tok == NULL || !shape_valid(tok))
		return TOKEN_INVALID;
	if ((known = seen_find(tok)) != NULL) {
		if ((rc = clock_check(known, now)) != TOKEN_INVALID && c != NULL)
			*c = *known;
		return rc;
	}

	/*
	 * Always with the key: without one libjwt decodes without checking
	 * anything. With it, it checks the signature by the algorithm the
	 * header names (HS512 with our key passes, as would "hs256"), and
	 * refuses "none". So the algorithm is pinned here, after decoding.
	 */
	if ((e = jwt_decode(&j, tok, tok_key, (int)tok_keylen)) != 0) {
		if (e == ENOMEM)
			rc = TOKEN_ESYS;
		goto out;
	}
	if (jwt_get_alg(j) != JWT_ALG_HS256 ||
	    (alg = jwt_get_header(j, "alg")) == NULL || strcmp(alg, "HS256") != 0)
		goto out;
	/* RFC 7515 4.1.11: extensions we must understand; we know none. */
	if ((s = jwt_get_headers_json(j, "crit")) != NULL)
		goto out;

	if ((s = jwt_get_grants_json(j, NULL)) == NULL) {
		if (errno == ENOMEM)
			rc = TOKEN_ESYS;
		goto out;
	}
	if ((o = json_tokener_parse(s)) == NULL || claims_parse(o, &t) == -1)
		goto out;
	seen_add(tok, &t);
	if ((rc = clock_check(&t, now)) != TOKEN_INVALID && c != NULL)
		*c = t;
out:
	json_object_put(o);
	free(s);
	jwt_free(j);
	return rc;
}
