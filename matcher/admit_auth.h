/* matcher/admit_auth.h — the standing of a batch's socket orders' users, for orders whose handler left it to the batch (AUTH_USER_BATCHED): checked in admit_take()'s round trip */
#ifndef HZM_ADMIT_AUTH_H
#define HZM_ADMIT_AUTH_H

#include <stddef.h>

#include "core/db.h"
#include "matcher/gate.h"

struct arena;

struct admit_auth {
	PGresult	*ok;		/* the orders whose users may trade */
	size_t		*at;		/* the checked orders' places in d[] */
	char		*pass;		/* per checked order: it stands */
	size_t		 n;
};

/*
 * Queue on admit_take()'s pipeline: for each order that carries an access
 * token (d[i].jti), whether its account may trade (status, KYC level)
 * and the token stands (not revoked, itself or its session; issued after
 * the last password change); the sessions' last sight, as a request's
 * authentication notes it.
 */
enum err	 admit_auth_queue(struct db *, struct arena *,
		    const struct direct *, size_t, struct admit_auth *);
/* Once the pipeline has run: the orders that failed, DS_DENIED. */
enum err	 admit_auth_read(const struct admit_auth *, struct direct *,
		    size_t);

extern const struct stmt	admit_auth_stmts[];
extern const size_t		admit_auth_nstmts;

#endif
