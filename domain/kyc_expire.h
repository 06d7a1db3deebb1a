/* domain/kyc_expire.h — approved applications whose identity document has expired: EXPIRED, the level dropped, the user told */
#ifndef HZM_KYC_EXPIRE_H
#define HZM_KYC_EXPIRE_H

#include "core/err.h"

struct ctx;

/*
 * Expire up to `batch` APPROVED applications whose id_expiry is before
 * today (UTC), each in its own transaction: EXPIRED with expired_at, the
 * user's level recomputed from what still holds (another approved
 * application, else LEVEL_1 for a verified e-mail and phone, else
 * LEVEL_0; the state follows, sql/022), a kyc.expired event and an audit
 * row; then the user is mailed (kyc_expired). *done counts them.
 */
enum err	kyc_expire_due(struct ctx *, int batch, int *done);

#endif
