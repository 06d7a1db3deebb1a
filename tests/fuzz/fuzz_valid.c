/* tests/fuzz/fuzz_valid.c — libFuzzer: any JSON body against field tables of every kind; what passes holds to its declaration, what fails names a field and a reason */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/input.h"
#include "core/valid.h"
#include "domain/session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* 15 June 2025, noon UTC: the clock the rules see. */
#define NOW	((time_t)1749988800)

/* The shapes the handlers declare (their tables are their own). */
static const struct in_field signup[] = {
	{ "email", IN_EMAIL, IN_REQUIRED },
	{ "password", IN_STRING, IN_REQUIRED, 1, 512 },
	{ "phoneNumber", IN_STRING, IN_OPTIONAL, 8, 16, .rule = valid_phone },
	{ "referralCode", IN_STRING, IN_OPTIONAL, 1, 32 },
	{ NULL }
};

static const char readonly[] = "cannot be changed here";
static const struct in_field profile[] = {
	{ "phoneNumber", IN_STRING, IN_OPTIONAL, 1, 16, .rule = valid_phone },
	{ "displayName", IN_TEXT, IN_OPTIONAL, 1, 64 },
	{ "userId", IN_REFUSED, .hint = readonly },
	{ "email", IN_REFUSED, .hint = readonly },
	{ NULL }
};

/* Small documents, so that the fuzzer reaches the size limit. */
static const struct in_field document[] = {
	{ "contentType", IN_STRING, IN_REQUIRED, 1, 64,
	    .rule = valid_document_type },
	{ "data", IN_BASE64, IN_REQUIRED, 0, 48 },
	{ NULL }
};
static const struct in_field photo[] = {
	{ "contentType", IN_STRING, IN_REQUIRED, 1, 64,
	    .rule = valid_image_type },
	{ "data", IN_BASE64, IN_REQUIRED, 0, 1024 },
	{ NULL }
};
static const struct in_field documents[] = {
	{ "idDocument", IN_OBJECT, IN_REQUIRED, .fields = document,
	    .hint = "must be an object {contentType, data}" },
	{ "selfie", IN_OBJECT, IN_OPTIONAL, .fields = photo },
	{ NULL }
};
static const struct in_field identity[] = {
	{ "firstName", IN_NAME, IN_REQUIRED, 1, 100 },
	{ "lastName", IN_NAME, IN_OPTIONAL, 1, 5 },
	{ "dateOfBirth", IN_STRING, IN_OPTIONAL, 10, 10, .rule = valid_birth_date },
	{ "nationality", IN_STRING, IN_OPTIONAL, 2, 2, .rule = valid_country },
	{ "address", IN_TEXT, IN_OPTIONAL, 5, 500 },
	{ "documents", IN_OBJECT, IN_OPTIONAL, .fields = documents,
	    .code = ERR_KYC_004 },
	{ "extra", IN_OBJECT, IN_OPTIONAL },
	{ NULL }
};

static const char *const scope_names[] = { "read", "trade", "withdraw", NULL };
static const struct in_field scope = { NULL, IN_STRING, IN_REQUIRED, 0, 8,
    .oneof = scope_names, .hint = "scopes" };
static const struct in_field ip = { NULL, IN_STRING, IN_REQUIRED, 0, 43,
    .rule = valid_ip_entry, .hint = "entries" };
static const struct in_field code = { NULL, IN_DIGITS, IN_REQUIRED, 2, 4 };
static const struct in_field key[] = {
	{ "name", IN_TEXT, IN_OPTIONAL, 1, 64 },
	{ "scopes", IN_ARRAY, IN_OPTIONAL | IN_DISTINCT, 1, 3, .fields = &scope,
	    .hint = "scopes" },
	{ "ipWhitelist", IN_ARRAY, IN_OPTIONAL, 0, 20, .fields = &ip,
	    .hint = "list" },
	{ "codes", IN_ARRAY, IN_OPTIONAL, 0, 4, .fields = &code },
	{ "any", IN_ARRAY, IN_OPTIONAL, 0, 100 },
	{ "twoFactorCode", IN_DIGITS, IN_OPTIONAL, 6, 6 },
	{ NULL }
};

static const char *const statuses[] = { "ACTIVE", "SUSPENDED", "BLOCKED", NULL };
static const struct in_field limits[] = {
	{ "status", IN_STRING, IN_OPTIONAL, 1, 32, .oneof = statuses },
	{ "daily", IN_STRING, IN_OPTIONAL, 1, 32, .rule = valid_try_amount },
	{ "reason", IN_TEXT, IN_OPTIONAL, 3, 500 },
	{ NULL }
};

static const struct in_field nothing[] = { { NULL } };

static const struct in_field *const tables[] = { session_login_fields, signup,
    profile, identity, key, limits, nothing };

static void
check(int cond)
{
	if (!cond)
		abort();
}

static void	check_vals(const struct in_field *, const struct in_val *,
		    struct json_object *);

static int
is_string_type(enum in_type t)
{
	return t == IN_STRING || t == IN_TEXT || t == IN_NAME ||
	    t == IN_EMAIL || t == IN_DIGITS;
}

/* A value that passed holds to what its field declares. */
static void
check_value(const struct in_field *f, const struct in_val *v,
    struct json_object *j)
{
	const char *s;
	int64_t num = 0;
	size_t i, k, n;

	check(j != NULL);
	if (is_string_type(f->type)) {
		check(json_object_is_type(j, json_type_string));
		check(v->s != NULL && strlen(v->s) == v->len);
		check(util_utf8_valid(v->s, v->len));
		for (i = 0; i < v->len; i++)
			check((unsigned char)v->s[i] >= 0x20 && v->s[i] != 0x7f);
	}
	switch (f->type) {
	case IN_STRING:
		check(v->len >= f->min && v->len <= f->max);
		break;
	case IN_TEXT:
		check(valid_text(v->s, v->len, f->min, f->max) == NULL);
		break;
	case IN_NAME:
		check(valid_name(v->s, v->len, f->min, f->max) == NULL);
		break;
	case IN_EMAIL:
		check(v->len >= 3 && v->len <= 254 && valid_email(v->s) == NULL);
		for (i = 0; i < v->len; i++)
			check(v->s[i] < 'A' || v->s[i] > 'Z');
		check(strcasecmp(v->s, json_object_get_string(j)) == 0);
		break;
	case IN_DIGITS:
		check(v->len >= f->min && v->len <= f->max);
		check(strspn(v->s, "0123456789") == v->len);
		break;
	case IN_BASE64:
		s = json_object_get_string(j);
		n = (size_t)json_object_get_string_len(j);
		check(valid_base64(s, n) == NULL);
		/* Three bytes for four characters, less the padding. */
		check(v->bytes != NULL && v->len >= 1 && v->len <= f->max);
		check(v->len == n / 4 * 3 - (s[n - 1] == '=') - (s[n - 2] == '='));
		break;
	case IN_OBJECT:
		check(json_object_is_type(j, json_type_object));
		if (f->fields != NULL)
			check_vals(f->fields, v->sub, j);
		break;
	case IN_ARRAY:
		check(json_object_is_type(j, json_type_array));
		check(v->n == json_object_array_length(j));
		check(v->n >= f->min && v->n <= f->max);
		for (i = 0; f->fields != NULL && i < v->n; i++) {
			check(v->sub[i].set);
			check_value(f->fields, &v->sub[i],
			    json_object_array_get_idx(j, i));
			for (k = 0; (f->flags & IN_DISTINCT) && k < i; k++)
				check(strcmp(v->sub[k].s, v->sub[i].s) != 0);
		}
		break;
	case IN_REFUSED:
		check(0);
		break;
	}
	if (is_string_type(f->type) && f->oneof != NULL) {
		for (n = 0; f->oneof[n] != NULL; n++)
			;
		check(v->num >= 0 && (size_t)v->num < n &&
		    strcmp(f->oneof[v->num], v->s) == 0);
	}
	if (is_string_type(f->type) && f->rule != NULL)
		check(f->rule(v->s, NOW, &num) == NULL);
}

static void
check_vals(const struct in_field *fields, const struct in_val *vals,
    struct json_object *o)
{
	const struct in_field *f;
	struct json_object *j;
	int sent;

	check(vals != NULL);
	/* Every member is declared, and no refused one was sent. */
	if (o != NULL) {
		json_object_object_foreach(o, name, val) {
			(void)val;
			for (f = fields; f->name != NULL; f++)
				if (strcmp(f->name, name) == 0)
					break;
			check(f->name != NULL && f->type != IN_REFUSED);
		}
	}
	for (f = fields; f->name != NULL; f++) {
		const struct in_val *v = &vals[f - fields];

		j = NULL;
		sent = o != NULL && json_object_object_get_ex(o, f->name, &j);
		check(v->set == sent);
		if (json_object_is_type(j, json_type_null))
			j = NULL;
		if (j == NULL) {
			check(!(f->flags & IN_REQUIRED));
			check(v->s == NULL && v->sub == NULL && v->bytes == NULL);
			continue;
		}
		check_value(f, v, j);
	}
}

/* A refusal names a field and says why, as the API shows it. */
static void
check_fault(const struct in_field *fields, struct json_object *o,
    enum err rc, const struct in_err *e)
{
	const struct in_field *f;
	size_t n;

	check(rc == ERR_INVALID_REQUEST || rc == ERR_KYC_004);
	check(e->field != NULL && e->reason != NULL && e->reason[0] != '\0');
	check(util_utf8_valid(e->field, strlen(e->field)));
	/* A member the table does not know, named as sent ('.' and all)... */
	for (f = fields; f->name != NULL; f++)
		if (strcmp(f->name, e->field) == 0)
			break;
	if (f->name == NULL && o != NULL &&
	    json_object_object_get_ex(o, e->field, NULL) &&
	    strcmp(e->reason, "unknown field") == 0 && rc == ERR_INVALID_REQUEST)
		return;
	/* ... or one of the table's fields, or a path into one. */
	n = strcspn(e->field, ".");
	for (f = fields; f->name != NULL; f++)
		if (strlen(f->name) == n && strncmp(f->name, e->field, n) == 0)
			break;
	check(f->name != NULL);
	/* Only what lies in documents answers KYC_004. */
	if (rc == ERR_KYC_004)
		check(strncmp(e->field, "documents", 9) == 0 &&
		    (e->field[9] == '\0' || e->field[9] == '.'));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	struct in_val *vals, *again;
	struct in_err e, e2;
	const char *field = NULL;
	char *detail = NULL;
	struct req r;
	enum err rc, rc2;
	size_t i;

	if (a == NULL && (a = arena_new()) == NULL)
		return 0;
	arena_reset(a);
	req_init(&r, a, NULL);
	/* An exact-size copy: a read past bodylen is an ASan report. */
	if ((r.body = arena_alloc(a, size ? size : 1)) == NULL)
		return 0;
	memcpy(r.body, data, size);
	r.bodylen = size;
	/* The body as the pipeline has it: strict JSON, an object or nothing. */
	if (req_parse_json(&r, "application/json", &detail, &field) != ERR_OK)
		return 0;
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		rc = in_read(a, r.json, tables[i], NOW, &vals, &e);
		if (rc == ERR_OK)
			check_vals(tables[i], vals, r.json);
		else
			check_fault(tables[i], r.json, rc, &e);
		/* The same body, the same answer. */
		rc2 = in_read(a, r.json, tables[i], NOW, &again, &e2);
		check(rc2 == rc);
		if (rc != ERR_OK)
			check(strcmp(e.field, e2.field) == 0 &&
			    strcmp(e.reason, e2.reason) == 0);
	}
	return 0;
}
