/* handlers/fiat.c — /api/v1/fiat: TRY deposits by bank transfer (intents, the bank's signed callbacks), withdrawals to the user's own IBAN, the history */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/config.h"
#include "core/input.h"
#include "core/list.h"
#include "core/valid.h"
#include "domain/auth.h"
#include "domain/bank_callback.h"
#include "domain/compliance.h"
#include "domain/fiat.h"
#include "domain/fiat_mail.h"
#include "domain/fiat_withdraw.h"

#define CALLBACK_SKEW_SECONDS	300	/* bank_callback_skew_seconds */
#define CALLBACK_SECRET_MIN	16	/* bytes: a shorter secret is not one */
#define HOLDER_MAX		128	/* characters of an account holder's name */

static int
kyc_refused(struct resp *w, enum err e)
{
	return resp_error(w, e, e == ERR_KYC_REQUIRED ? "Bank transfers need "
	    "KYC LEVEL_2: an identity verified by name" : NULL);
}

/* A TRY amount: a decimal string, at most 2 decimals, above 0 (num at scale 2). */
enum { D_AMOUNT };
static const struct in_field deposit_fields[] = {
	[D_AMOUNT]	= { "amount", IN_STRING, IN_REQUIRED, 1, 32,
			    .rule = valid_try_positive },
	{ NULL }
};

static int
deposit_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct fiat_intent out;
	struct json_object *d;
	struct in_err ie;
	enum err e;

	if ((e = fiat_kyc_gate(&c)) != ERR_OK)
		return kyc_refused(w, e);
	switch ((e = fiat_deposit_create(&c, r->in[D_AMOUNT].num, &out))) {
	case ERR_OK:
		return resp_ok(w, 201, fiat_intent_json(&out));
	case ERR_INVALID_REQUEST:
		ie.field = out.field;
		ie.reason = out.reason;
		return resp_invalid(w, &ie);
	case ERR_KYC_REQUIRED:
		return kyc_refused(w, e);
	case ERR_LIMIT_EXCEEDED:
		d = json_object_new_object();
		json_object_object_add(d, "openDeposits", json_object_new_int(out.open));
		json_object_object_add(d, "limit", json_object_new_int(out.open_max));
		return resp_error_details(w, e, "Too many open deposit requests: "
		    "use or let expire one of them", d);
	case ERR_SERVICE_UNAVAILABLE:
		return resp_error(w, e, "Bank deposits are not available");
	default:
		return resp_error(w, e, NULL);
	}
}

static int
withdraw_refused(struct resp *w, enum err e, const struct fiat_wd_out *out)
{
	struct json_object *d = json_object_new_object();
	struct in_err ie;

	switch (e) {
	case ERR_WALLET_001:
		ie.field = out->field;
		ie.reason = out->reason;
		json_object_put(d);
		return resp_invalid_code(w, e, &ie);
	case ERR_WALLET_002:
		json_object_object_add(d, "period", json_object_new_string(out->period));
		json_object_object_add(d, "limit", json_object_new_string(out->limit));
		json_object_object_add(d, "used", json_object_new_string(out->used));
		json_object_object_add(d, "requested", json_object_new_string(out->amount));
		json_object_object_add(d, "currency", json_object_new_string(FIAT_ASSET));
		return resp_error_details(w, e, NULL, d);
	case ERR_WALLET_003:
		json_object_object_add(d, "minimum", json_object_new_string(out->minimum));
		json_object_object_add(d, "currency", json_object_new_string(FIAT_ASSET));
		return resp_error_details(w, e, NULL, d);
	case ERR_INSUFFICIENT_BALANCE:
		json_object_object_add(d, "required", json_object_new_string(out->required));
		json_object_object_add(d, "available", json_object_new_string(out->available));
		json_object_object_add(d, "currency", json_object_new_string(FIAT_ASSET));
		return resp_error_details(w, e, "Insufficient balance for the "
		    "withdrawal and its fee", d);
	case ERR_FORBIDDEN:
		if (out->hold != NULL) {
			json_object_object_add(d, "hold",
			    json_object_new_string(out->hold));
			json_object_object_add(d, "holdUntil",
			    json_object_new_string(out->hold_until));
			return resp_error_details(w, e, strcmp(out->hold,
			    "PASSWORD_CHANGED") == 0 ? "Withdrawals are held for a "
			    "while after a password change" : "Withdrawals are held "
			    "for a while after two-factor authentication was turned "
			    "off", d);
		}
		json_object_put(d);
		return resp_error(w, e, "Enable two-factor authentication before "
		    "withdrawing");
	case ERR_COMPLIANCE_001:
		json_object_put(d);
		return resp_error(w, e, "Withdrawals are held while the account is "
		    "under compliance review");
	case ERR_KYC_REQUIRED:
		json_object_put(d);
		return kyc_refused(w, e);
	default:
		json_object_put(d);
		return resp_error(w, e, NULL);
	}
}

/*
 * The IBAN is read as a string here and parsed by the handler once every
 * field has passed: a malformed one is WALLET_001, not INVALID_REQUEST.
 */
enum { W_AMOUNT, W_IBAN, W_HOLDER, W_CODE };
static const struct in_field withdraw_fields[] = {
	[W_AMOUNT]	= { "amount", IN_STRING, IN_REQUIRED, 1, 32,
			    .rule = valid_try_positive },
	[W_IBAN]	= { "iban", IN_STRING, IN_REQUIRED, 1, IBAN_INPUT_MAX },
	[W_HOLDER]	= { "accountHolder", IN_NAME, IN_REQUIRED, 1, HOLDER_MAX },
	[W_CODE]	= { "twoFactorCode", IN_DIGITS, IN_REQUIRED, 6, 6 },
	{ NULL }
};

static int
withdraw_post(struct req *r, struct resp *w)
{
	const char *iban = r->in[W_IBAN].s, *why;
	struct ctx c = ctx_req(r);
	struct fiat_wd_in in;
	struct fiat_wd_out out;
	struct in_err ie;
	enum err e;

	memset(&in, 0, sizeof(in));
	in.amount = r->in[W_AMOUNT].num;
	in.holder = r->in[W_HOLDER].s;
	in.code = r->in[W_CODE].s;
	/* A malformed IBAN is WALLET_001, "invalid address", as for crypto. */
	if ((why = iban_parse_tr(iban, strlen(iban), in.iban)) != NULL) {
		ie.field = "iban";
		ie.reason = why;
		return resp_invalid_code(w, ERR_WALLET_001, &ie);
	}
	if ((e = fiat_withdraw_request(&c, &in, &out)) != ERR_OK)
		return withdraw_refused(w, e, &out);
	return resp_ok(w, 201, fiat_wd_json(&out, &in));
}

enum { LF_TYPE, LF_STATUS };
static const struct list_spec transactions_spec = {
	(const struct list_filter[]){
		[LF_TYPE] = { "filter_type", fiat_tx_types, NULL,
		    "DEPOSIT or WITHDRAWAL" },
		[LF_STATUS] = { "filter_status", fiat_tx_statuses, NULL,
		    "PENDING, COMPLETED, EXPIRED (deposits), PROCESSING, "
		    "COMPLETED, FAILED (withdrawals)" },
		{ NULL } },
	(const char *const[]){ "-createdAt", "+createdAt", NULL },
	"-createdAt (newest first) or +createdAt",
};

static int
transactions_get(struct req *r, struct resp *w)
{
	struct fiat_tx_query fq;
	struct ctx c = ctx_req(r);
	struct list_query lq;
	struct in_err ie;
	long long total;
	PGresult *res;
	enum err e;

	if (list_read(r, &transactions_spec, &lq, &ie) == -1)
		return resp_invalid(w, &ie);
	memset(&fq, 0, sizeof(fq));
	fq.type = lq.filter[LF_TYPE];
	fq.status = lq.filter[LF_STATUS];
	fq.oldest_first = lq.sort != NULL && lq.sort[0] == '+';
	fq.limit = lq.pg.limit;
	fq.offset = lq.pg.offset;
	if ((e = fiat_tx_list(&c, &fq, &res, &total)) != ERR_OK)
		return resp_error(w, e, NULL);
	return list_answer_rows(r, w, &transactions_spec, &lq, res, total, fiat_tx_json);
}

/* Once the bank has its answer: the user hears of the credit. */
static void
credited_mail(struct req *r, void *arg)
{
	struct ctx c = ctx_req(r);

	fiat_notify(&c, arg);
}

static int
callback_refused(struct resp *w, enum err e, const char *why)
{
	struct json_object *d = json_object_new_object();

	json_object_object_add(d, "reason", json_object_new_string(why));
	return resp_error_details(w, e, NULL, d);
}

/*
 * The bank, not a user, calls here: no session, but its address must be
 * in bank_callback_ips (REMOTE_ADDR as the web server saw the connection:
 * no header a client writes), its X-Bank-Timestamp within
 * bank_callback_skew_seconds, its X-Bank-Signature the HMAC of timestamp
 * and body under bank_callback_secret, and the delivery new.
 */
static int
bank_callback(struct req *r, struct resp *w)
{
	const char *secret = cfg_get("bank_callback_secret", "");
	long long skew = cfg_int("bank_callback_skew_seconds", CALLBACK_SKEW_SECONDS);
	struct ctx c = ctx_req(r);
	struct bank_transfer t;
	struct fiat_receipt rc;
	struct fiat_notice *n;
	struct json_object *o;
	struct in_err ie;
	unsigned char mac[32];
	enum bank_auth a;
	int64_t now_ms = (int64_t)r->now.tv_sec * 1000 + r->now.tv_nsec / 1000000;
	int allowed;
	enum err e;

	allowed = bank_ip_allowed(cfg_get("bank_callback_ips", ""), r->remote_addr);
	if (allowed == -1)
		log_error("fiat: setting bank_callback_ips is malformed; every "
		    "callback is refused");
	if (allowed != 1) {
		log_info("fiat: bank callback from %s refused: not in "
		    "bank_callback_ips", r->remote_addr != NULL ? r->remote_addr : "-");
		return callback_refused(w, ERR_FORBIDDEN, "address not allowed");
	}
	if (strlen(secret) < CALLBACK_SECRET_MIN) {
		log_error("fiat: bank_callback_secret is not set (at least %d "
		    "characters); callbacks are refused", CALLBACK_SECRET_MIN);
		return resp_error(w, ERR_SERVICE_UNAVAILABLE, NULL);
	}
	if (skew < 1 || skew > 3600)
		skew = CALLBACK_SKEW_SECONDS;
	a = bank_auth_check(secret, req_header(r, "X-Bank-Timestamp"),
	    req_header(r, "X-Bank-Signature"), r->body, r->bodylen, now_ms,
	    (int64_t)skew * 1000, mac);
	if (a != BANK_AUTH_OK) {
		log_info("fiat: bank callback from %s refused: %s", r->remote_addr,
		    bank_auth_text(a));
		return callback_refused(w, ERR_UNAUTHORIZED, bank_auth_text(a));
	}
	if ((e = fiat_callback_mark(&c, mac)) == ERR_CONFLICT)
		return callback_refused(w, ERR_CONFLICT, "this delivery was received "
		    "before; a repeat is signed anew");
	if (e != ERR_OK)
		return resp_error(w, e, NULL);
	if (bank_transfer_parse(r->json, &t, &ie) == -1)
		return resp_invalid(w, &ie);
	if ((e = fiat_transfer_receive(&c, &t, &rc)) == ERR_CONFLICT)
		return callback_refused(w, ERR_CONFLICT, "this transaction id was "
		    "reported before with other content");
	if (e != ERR_OK)
		return resp_error(w, e, NULL);
	if (rc.credited && (n = arena_calloc(r->arena, 1, sizeof(*n))) != NULL) {
		n->kind = FIAT_NOTICE_CREDITED;
		n->email = arena_strdup(r->arena, rc.email);
		n->id = arena_strdup(r->arena, rc.deposit_id);
		n->amount = arena_strdup(r->arena, rc.amount);
		app_after(r, credited_mail, n);
	}
	if (rc.alert_id[0] != '\0')
		app_after(r, compliance_alert_after,
		    arena_strdup(r->arena, rc.alert_id));
	o = json_object_new_object();
	json_object_object_add(o, "transactionId",
	    json_object_new_string(t.transaction_id));
	json_object_object_add(o, "transferId", json_object_new_string(rc.transfer_id));
	json_object_object_add(o, "status", json_object_new_string(rc.status));
	return resp_ok(w, 200, o);
}

static const struct route routes[] = {
	{ "POST", "/api/v1/fiat/deposit",       deposit_post,     AUTH_USER, SCOPE_TRADE,    RL_WALLET,
	    deposit_fields },
	{ "POST", "/api/v1/fiat/withdraw",      withdraw_post,    AUTH_USER, SCOPE_WITHDRAW, RL_WALLET,
	    withdraw_fields },
	{ "GET",  "/api/v1/fiat/transactions",  transactions_get, AUTH_USER, SCOPE_READ,     RL_WALLET_GET },
	{ "POST", "/api/v1/fiat/bank/callback", bank_callback,    AUTH_NONE, SCOPE_NONE,     RL_NONE },
};

int
main(void)
{
	static const struct app app = {
		.name = "fiat",
		.routes = routes, .nroutes = nitems(routes),
		.auth = auth_request,
		.warm = auth_warm,
	};

	return app_run(&app);
}
