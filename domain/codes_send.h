/* domain/codes_send.h — verification codes and account mails sent after the answer */
#ifndef HZM_CODES_SEND_H
#define HZM_CODES_SEND_H

#include "core/err.h"

struct req;

/* The mail tmpl to `to` (with the code, if any), sent once the answer has left. */
void		code_mail(struct req *, const char *to, const char *tmpl,
		    const char *code);
/*
 * A phone code for a user with a number to verify (none: code stays ""),
 * inside the caller's transaction; code_sms() sends it once committed.
 * Too soon or too often: no code, no text, and the answer the same.
 */
enum err	code_phone(struct req *, const char *user_id, const char *phone,
		    char code[7]);
/* Send a code_phone() code after the answer, then wipe it. */
void		code_sms(struct req *, const char *phone, char code[7]);

#endif
