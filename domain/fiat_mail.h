/* domain/fiat_mail.h — telling users by e-mail what became of their TRY: a deposit credited, a withdrawal paid or failed */
#ifndef HZM_FIAT_MAIL_H
#define HZM_FIAT_MAIL_H

struct arena;
struct ctx;

enum fiat_notice_kind {
	FIAT_NOTICE_CREDITED,	/* a transfer credited (at once, or from review) */
	FIAT_NOTICE_PAID,	/* a withdrawal paid out by the bank */
	FIAT_NOTICE_FAILED,	/* a withdrawal failed; its funds are back */
};

struct fiat_notice {
	enum fiat_notice_kind	 kind;
	const char		*email;
	const char		*id;		/* fdp_... or fwd_... */
	const char		*amount;
	const char		*fee;		/* withdrawals */
	const char		*iban;		/* withdrawals: where to */
	const char		*reason;	/* FAILED: the bank's reason */
};

/*
 * The one way fiat mail goes out (templates/mail/fiat_*): after the
 * change it reports is committed, never inside its transaction. A mail
 * that cannot be sent is logged, never an error: the money moved anyway.
 */
void	fiat_notify(struct ctx *, const struct fiat_notice *);

#endif
