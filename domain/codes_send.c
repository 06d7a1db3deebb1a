/* domain/codes_send.c — verification codes and account mails sent by SMS or mail after the answer, never in it */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/app.h"
#include "domain/codes.h"
#include "domain/codes_send.h"
#include "domain/notify.h"
#include "domain/notify_sms.h"

struct mail_job {
	const char	*to;
	const char	*tmpl;
	int		 sms;	/* to is a phone number */
	char		 code[7];
};

static void
mail_job_run(struct req *r, void *arg)
{
	struct mail_job *m = arg;
	struct ctx c = ctx_req(r);
	char mins[8];
	struct kv vars[] = {
		{ "email", m->to }, { "code", m->code }, { "minutes", mins },
	};

	snprintf(mins, sizeof(mins), "%d", CODE_TTL_MIN);
	if (m->sms)
		notify_sms(&c, m->to, m->tmpl, vars + 1, nitems(vars) - 1);
	else
		notify_mail(&c, m->to, m->tmpl, vars, nitems(vars));
	OPENSSL_cleanse(m->code, sizeof(m->code));
}

/*
 * Mail and SMS go out after the answer: their failures are logged, never
 * shown, and how long the server takes tells the client nothing.
 */
static void
send_later(struct req *r, const char *to, const char *tmpl, const char *code,
    int sms)
{
	struct mail_job *m;

	if ((m = arena_alloc(r->arena, sizeof(*m))) == NULL ||
	    (m->to = arena_strdup(r->arena, to)) == NULL) {
		log_error("%s %s not sent: out of memory", sms ? "sms" : "mail",
		    tmpl);
		return;
	}
	m->tmpl = tmpl;
	m->sms = sms;
	snprintf(m->code, sizeof(m->code), "%s", code ? code : "");
	app_after(r, mail_job_run, m);
}

void
code_mail(struct req *r, const char *to, const char *tmpl, const char *code)
{
	send_later(r, to, tmpl, code, 0);
}

/*
 * A phone code for a user with a number to verify (none: code stays ""),
 * inside the caller's transaction; code_sms() sends it once committed.
 * Too soon or too often (code_issue's limits): no code, no text, and the
 * answer the same.
 */
enum err
code_phone(struct req *r, const char *user_id, const char *phone,
    char code[7])
{
	struct ctx c = ctx_req(r);
	enum err e;

	code[0] = '\0';
	if (phone == NULL)
		return ERR_OK;
	e = code_issue(&c, user_id, CODE_VERIFY_PHONE, code);
	if (e == ERR_RATE_LIMIT_EXCEEDED) {
		code[0] = '\0';
		return ERR_OK;
	}
	return e;
}

void
code_sms(struct req *r, const char *phone, char code[7])
{
	if (phone != NULL && code[0] != '\0')
		send_later(r, phone, "verify_phone", code, 1);
	OPENSSL_cleanse(code, 7);
}
