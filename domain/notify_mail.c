/* domain/notify_mail.c — the mail the delivery worker sends: a service's queued mail, or an event's per user language */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "core/arena.h"
#include "core/crypto.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/mail.h"
#include "core/tmpl.h"
#include "core/util.h"
#include "domain/notify_mail.h"
#include "domain/notify_types.h"

#define VARS_MAX	32
#define SEALED_MAX	8192

struct json_object *
notify_mail_payload(struct ctx *c, const char *to, const struct kv *vars,
    size_t nvars)
{
	struct json_object *o, *v;
	unsigned char *sealed = NULL;
	const char *plain;
	char context[300], *hex;
	size_t i, n, len;

	v = json_own(c->arena, json_object_new_object());
	for (i = 0; i < nvars; i++)
		json_object_object_add(v, vars[i].key, vars[i].val != NULL ?
		    json_object_new_string(vars[i].val) : NULL);
	plain = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
	len = strlen(plain);
	snprintf(context, sizeof(context), "mail:%s", to);
	if (len + SEAL_OVERHEAD > SEALED_MAX ||
	    (sealed = arena_alloc(c->arena, len + SEAL_OVERHEAD)) == NULL ||
	    crypto_seal(context, plain, len, sealed, len + SEAL_OVERHEAD,
	    &n) == -1 || (hex = arena_alloc(c->arena, 2 * n + 1)) == NULL)
		return NULL;
	util_hex(sealed, n, hex);
	o = json_own(c->arena, json_object_new_object());
	json_object_object_add(o, "to", json_object_new_string(to));
	json_object_object_add(o, "sealed", json_object_new_string(hex));
	return o;
}

/* The variables notify_mail sealed, opened. */
static int
service_vars(struct ctx *c, const char *to, const char *payload,
    struct kv *vars, size_t *nvars)
{
	struct json_object *o, *s, *v;
	unsigned char *sealed;
	char context[300], *plain;
	size_t len, n;
	int rc = -1;

	if ((o = json_tokener_parse(payload)) == NULL)
		return -1;
	if (!json_object_object_get_ex(o, "sealed", &s) ||
	    (len = (size_t)json_object_get_string_len(s) / 2) == 0 ||
	    len > SEALED_MAX ||
	    (sealed = arena_alloc(c->arena, len)) == NULL ||
	    (plain = arena_alloc(c->arena, len + 1)) == NULL ||
	    util_unhex(json_object_get_string(s), 2 * len, sealed) == -1)
		goto out;
	snprintf(context, sizeof(context), "mail:%s", to);
	if (crypto_open(context, sealed, len, plain, len, &n) == -1)
		goto out;
	plain[n] = '\0';
	if ((v = json_own(c->arena, json_tokener_parse(plain))) == NULL)
		goto out;
	OPENSSL_cleanse(plain, n);
	*nvars = 0;
	json_object_object_foreach(v, key, val) {
		if (*nvars == VARS_MAX)
			break;
		vars[*nvars].key = key;
		vars[(*nvars)++].val = val != NULL ?
		    json_object_get_string(val) : NULL;
	}
	rc = 0;
out:
	json_object_put(o);
	return rc;
}

/* An event's variables: its payload's members, and what every template may use. */
static int
event_vars(struct ctx *c, const char *type, const char *to,
    const char *event_id, struct json_object *data, const char *lang,
    long count, const char *at, struct kv *vars, size_t *nvars)
{
	const struct notify_type *t = notify_type_find(type);
	char *details = "";
	size_t n = 0;

	json_object_object_foreach(data, key, val) {
		const char *s = val != NULL ? json_object_get_string(val) : "";

		if (n < VARS_MAX - 8 && json_object_is_type(val, json_type_string)) {
			vars[n].key = key;
			vars[n++].val = s;
		}
		details = arena_printf(c->arena, "%s%s: %s\n", details, key, s);
		if (details == NULL)
			return -1;
	}
	vars[n].key = "email";
	vars[n++].val = to;
	vars[n].key = "eventId";
	vars[n++].val = event_id;
	vars[n].key = "eventType";
	vars[n++].val = type;
	vars[n].key = "title";
	vars[n++].val = t == NULL ? type : strcmp(lang, "en") == 0 ?
	    t->title_en : t->title_tr;
	vars[n].key = "time";
	vars[n++].val = at;
	vars[n].key = "count";
	vars[n++].val = arena_printf(c->arena, "%ld", count);
	vars[n].key = "details";
	vars[n++].val = details;
	*nvars = n;
	return 0;
}

int
notify_mail_deliver(struct ctx *c, const char *type, const char *to,
    const char *event_id, const char *payload, const char *lang, long count,
    const char *at, char *why, size_t whysz)
{
	struct kv vars[VARS_MAX];
	struct json_object *data;
	size_t nvars = 0, i;
	char *tmpl, *body;
	int rc;

	if (to == NULL) {
		snprintf(why, whysz, "no address");
		return -1;
	}
	if (strncmp(type, "mail.", 5) == 0) {
		if (service_vars(c, to, payload, vars, &nvars) == -1) {
			snprintf(why, whysz, "cannot open the message");
			return -1;
		}
		rc = mail_send(c->arena, to, type + 5, vars, nvars);
		OPENSSL_cleanse(vars, sizeof(vars));
	} else {
		tmpl = count > 1 ? arena_printf(c->arena, "digest_%s", lang) :
		    arena_printf(c->arena, "%s_%s", type, lang);
		if (tmpl == NULL ||
		    (data = json_own(c->arena, json_tokener_parse(payload))) == NULL ||
		    event_vars(c, type, to, event_id, data, lang, count, at, vars,
		    &nvars) == -1) {
			snprintf(why, whysz, "cannot render");
			return -1;
		}
		for (i = 0; tmpl[i] != '\0'; i++)
			if (tmpl[i] == '.')
				tmpl[i] = '_';
		/* Most events say what happened in their subject and share one body. */
		body = tmpl_exists(c->arena, "mail", tmpl, "txt") ? tmpl :
		    arena_printf(c->arena, "event_%s", lang);
		rc = body == NULL ? -1 :
		    mail_send_body(c->arena, to, tmpl, body, vars, nvars);
	}
	if (rc == -1)
		snprintf(why, whysz, "mail not accepted (the log says why)");
	return rc;
}
