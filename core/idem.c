/* core/idem.c — idempotency keys: a per-key lock, a claim in the handler's transaction, the stored answer */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/crypto.h"
#include "core/idem.h"
#include "core/sealed.h"

/* A key's statements over its table: TABLE the user's or the address's, OWNER its column. */
#define IDEM_FIND(name, table, owner) \
	{ name, \
	  "SELECT request_hash = $3, status, response_sealed FROM " table \
	  " WHERE " owner " = $1 AND key = $2 AND expires_at > now()", 3 }
#define IDEM_EXPIRE(name, table, owner) \
	{ name, \
	  "DELETE FROM " table " WHERE " owner " = $1 AND key = $2" \
	  " AND expires_at <= now()", 2 }
#define IDEM_CLAIM(name, table, owner) \
	{ name, \
	  "INSERT INTO " table " (" owner ", key, request_hash, method, path)" \
	  " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (" owner ", key) DO NOTHING", 5 }
#define IDEM_STORE(name, table, owner) \
	{ name, \
	  "INSERT INTO " table " (" owner ", key, request_hash, method," \
	  " path, status, response_sealed) VALUES ($1, $2, $3, $4, $5, $6, $7)" \
	  " ON CONFLICT (" owner ", key) DO UPDATE SET status = excluded.status," \
	  " response_sealed = excluded.response_sealed" \
	  " WHERE " table ".status IS NULL", 7 }

const struct stmt idem_stmts[] = {
	{ "idem_lock",
	  "SELECT pg_try_advisory_lock(hashtextextended($1, 726))", 1 },
	{ "idem_unlock",
	  "SELECT pg_advisory_unlock(hashtextextended($1, 726))", 1 },
	IDEM_FIND("idem_find", "idempotency_keys", "user_id"),
	IDEM_EXPIRE("idem_expire", "idempotency_keys", "user_id"),
	/*
	 * Under the key's lock no one else claims it; the matcher may have,
	 * with the order a handler then settles through the inbox.
	 */
	IDEM_CLAIM("idem_claim", "idempotency_keys", "user_id"),
	IDEM_STORE("idem_store", "idempotency_keys", "user_id"),
	/* Without a login the key is the client address's (sql/039). */
	IDEM_FIND("idem_find_anon", "idempotency_anon_keys", "client"),
	IDEM_EXPIRE("idem_expire_anon", "idempotency_anon_keys", "client"),
	IDEM_CLAIM("idem_claim_anon", "idempotency_anon_keys", "client"),
	IDEM_STORE("idem_store_anon", "idempotency_anon_keys", "client"),
};
const size_t idem_nstmts = nitems(idem_stmts);

enum { ST_LOCK, ST_UNLOCK, ST_FIND, ST_EXPIRE, ST_CLAIM, ST_STORE, ST__USER };
/* ST_FIND + ST_ANON ...: the same statements over a client address's keys. */
#define ST_ANON	(ST__USER - ST_FIND)
_Static_assert(nitems(idem_stmts) == ST__USER + ST_ANON, "idem statements");

struct idem {
	struct req	*r;
	const char	*key;
	const char	*owner;		/* the user's id, or the client's address */
	int		 anon;		/* no login: the key is the address's */
	char		*lockname;
	char		 hash[2 + 64 + 1];	/* "\x" + hex: a bytea parameter */
};

/* The statement st of the key's table. */
static const struct stmt *
stmt(const struct idem *id, int st)
{
	return &idem_stmts[st + (id->anon && st >= ST_FIND ? ST_ANON : 0)];
}

static enum err
q(const struct idem *id, int st, const char *const *p, PGresult **res)
{
	return db_query(id->r->db, id->r->arena, stmt(id, st), p, res);
}

/*
 * Runs after BEGIN in each of the handler's transactions: one rolled
 * back (a deadlock tried again) took its claim with it, and a claim
 * already there stays as it is.
 */
static enum err
claim(struct db *db, void *arg)
{
	struct idem *id = arg;
	struct req *r = id->r;
	const char *p[5] = { id->owner, id->key, id->hash, r->method, r->path };
	PGresult *res;
	enum err e;

	(void)db;
	if ((e = q(id, ST_EXPIRE, p, &res)) != ERR_OK ||
	    (e = q(id, ST_CLAIM, p, &res)) != ERR_OK)
		return e;
	return ERR_OK;
}

static void
unlock(struct idem *id)
{
	const char *p[1] = { id->lockname };
	PGresult *res;

	(void)q(id, ST_UNLOCK, p, &res);
}

/*
 * The key's lock, and what the key holds, in one round trip. The lookup
 * is a statement of its own, so its snapshot follows the lock: a request
 * that held the key and let go has committed what it stored. *res: the
 * lookup's rows. ERR_CONFLICT: another request holds the key.
 */
static enum err
lock_find(struct idem *id, PGresult **res)
{
	struct req *r = id->r;
	const char *lp[1] = { id->lockname };
	const char *fp[3] = { id->owner, id->key, id->hash };
	PGresult *lk;
	enum err e;

	if ((e = db_pipe_begin(r->db)) != ERR_OK)
		return e;
	db_pipe_add(r->db, stmt(id, ST_LOCK), lp, &lk);
	db_pipe_add(r->db, stmt(id, ST_FIND), fp, res);
	e = db_pipe_run(r->db, r->arena);
	if (lk == NULL || strcmp(db_val(lk, 0, 0), "t") != 0)
		return e != ERR_OK ? e : ERR_CONFLICT;
	if (e != ERR_OK)
		unlock(id);
	return e;
}

/*
 * The answer stored over the claim, committed, and only then the key let
 * go: a request waiting for it finds the answer, never the bare claim.
 * One round trip.
 */
static void
store_unlock(struct idem *id, const char *const *p)
{
	struct db *db = id->r->db;
	const char *lp[1] = { id->lockname };
	PGresult *st, *ul;

	if (db_pipe_begin(db) != ERR_OK) {
		log_error("idempotency: answer not stored");
		unlock(id);
		return;
	}
	db_pipe_txn(db, 1);
	db_pipe_add(db, stmt(id, ST_STORE), p, &st);
	db_pipe_txn(db, 0);
	db_pipe_add(db, stmt(id, ST_UNLOCK), lp, &ul);
	if (db_pipe_run(db, id->r->arena) == ERR_OK)
		return;
	if (st == NULL || db_in_txn(db)) {
		log_error("idempotency: answer not stored");
		db_rollback(db);
	}
	if (ul == NULL)
		unlock(id);
}

/*
 * Answers are kept sealed (AES-256-GCM, core/crypto.c) under their user
 * and key: one that shows a secret once (an API password, a webhook's
 * signing secret, a 2FA seed) is replayed to whoever repeats the request
 * and never lies in the database in clear. The context binds the blob
 * to its row: copied to another user's key, it does not open.
 */
static const char *
seal_context(const struct idem *id)
{
	return arena_printf(id->r->arena, id->anon ? "idem:ip/%s/%s" : "idem:%s:%s",
	    id->owner, id->key);
}


/*
 * The rule the 400 states: RFC 3986's unreserved characters and ':',
 * which takes UUIDs, ULIDs, base64url and "order:42". Anything else
 * (spaces, '/', '%', quotes, non-ASCII) is refused rather than guessed at.
 */
int
idem_key_valid(const char *k)
{
	size_t n = strlen(k);

	return n > 0 && n <= IDEM_KEY_MAX && strspn(k, IDEM_KEY_CHARS) == n;
}

/*
 * id->hash: the request as sent (method, URI, body), as a bytea. A MAC
 * under the data key, not a bare SHA-256: bodies hold passwords and 2FA
 * codes, and a table of their plain hashes could be guessed at offline.
 */
static int
request_hash(const struct req *r, struct idem *id)
{
	const char *uri = req_env(r, "REQUEST_URI");
	size_t m = strlen(r->method) + 1, u, n;
	unsigned char md[32];
	char *buf;

	uri = uri != NULL ? uri : "";
	u = strlen(uri) + 1;
	n = m + u + r->bodylen;
	if ((buf = arena_alloc(r->arena, n + 1)) == NULL)
		return -1;
	memcpy(buf, r->method, m);
	memcpy(buf + m, uri, u);
	if (r->bodylen > 0)
		memcpy(buf + m + u, r->body, r->bodylen);
	if (crypto_mac("idem-request", buf, n, md) == -1)
		return -1;
	id->hash[0] = '\\';
	id->hash[1] = 'x';
	util_hex(md, sizeof(md), id->hash + 2);
	return 0;
}

int
idem_begin(struct req *r, struct resp *w, struct idem **out)
{
	const char *key = req_header(r, "X-Idempotency-Key");
	struct idem *id;
	PGresult *res;
	enum err e;

	*out = NULL;
	if (key == NULL || strcmp(r->method, "POST") != 0 ||
	    (r->route != NULL && r->route->no_idem) ||
	    (r->user == NULL && (r->remote_addr == NULL || *r->remote_addr == '\0')))
		return 1;
	if (!idem_key_valid(key)) {
		struct json_object *d = json_object_new_object();

		json_object_object_add(d, "reason", json_object_new_string(
		    "X-Idempotency-Key must be 1-64 characters [A-Za-z0-9._~:-]"));
		resp_error_details(w, ERR_INVALID_REQUEST, NULL, d);
		return 0;
	}
	if ((id = arena_calloc(r->arena, 1, sizeof(*id))) == NULL) {
		resp_error(w, ERR_INTERNAL, NULL);
		return 0;
	}
	id->anon = r->user == NULL;
	id->owner = id->anon ? r->remote_addr : r->user->idtxt;
	/*
	 * A user's id is digits, and '/' is in neither an address nor a key:
	 * "ip/2001:db8::1/5:x" is one address's key, never another's.
	 */
	if ((id->lockname = arena_printf(r->arena, id->anon ? "ip/%s/%s" :
	    "%s:%s", id->owner, key)) == NULL || request_hash(r, id) == -1) {
		resp_error(w, ERR_INTERNAL, NULL);
		return 0;
	}
	id->r = r;
	id->key = key;
	if ((e = lock_find(id, &res)) != ERR_OK) {
		resp_error(w, e, e == ERR_CONFLICT ? "A request with this "
		    "idempotency key is in progress" : NULL);
		return 0;
	}
	if (PQntuples(res) == 1) {
		unlock(id);
		if (strcmp(db_val(res, 0, 0), "t") != 0)
			resp_error(w, ERR_UNPROCESSABLE, "This idempotency key "
			    "was used for a different request");
		else if (db_val(res, 0, 1) == NULL ||
		    (w->raw = (const char *)sealed_open(r->arena, seal_context(id),
		    db_val(res, 0, 2), &w->rawlen)) == NULL)
			/*
			 * Claimed, committed, answer lost (or not kept, as
			 * before answers were sealed): it did run once.
			 */
			resp_error(w, ERR_CONFLICT, "A request with this "
			    "idempotency key was processed; its answer is not "
			    "available");
		else {
			w->status = (int)util_long(db_val(res, 0, 1), 200);
			w->err = w->status >= 400 ? ERR_INTERNAL : ERR_OK;
			w->ctype = "application/json; charset=utf-8";
			resp_header(w, "Idempotent-Replayed", "true");
		}
		return 0;
	}
	db_set_begin_hook(r->db, claim, id);
	*out = id;
	return 1;
}

const char *
idem_key(const struct idem *id)
{
	return id->key;
}

const char *
idem_hash(const struct idem *id)
{
	return id->hash + 2;		/* past the bytea's prefix */
}

void
idem_end(struct req *r, struct resp *w, struct idem *id)
{
	char status[8];
	const char *p[7];

	if (id == NULL)
		return;
	db_set_begin_hook(r->db, NULL, NULL);
	if (w->status < 500 && w->status != 429 && resp_freeze(r, w) == 0) {
		snprintf(status, sizeof(status), "%d", w->status);
		p[0] = id->owner;
		p[1] = id->key;
		p[2] = id->hash;
		p[3] = r->method;
		p[4] = r->path;
		p[5] = status;
		/* Not sealed: the key is kept, with no answer to replay. */
		p[6] = sealed_param(r->arena, seal_context(id), w->raw, w->rawlen);
		store_unlock(id, p);
		return;
	}
	unlock(id);
}
