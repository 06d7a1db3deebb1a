/* core/sms.c — sending templated text messages: rendering, then the file or HTTPS transport */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/httpc.h"
#include "core/log.h"
#include "core/sms.h"
#include "core/spool.h"
#include "core/tmpl.h"
#include "core/util.h"
#include "core/valid.h"

char *
sms_body(struct arena *a, const char *to, const char *from, const char *text)
{
	struct json_object *o;
	char *s;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	json_object_object_add(o, "to", json_object_new_string(to));
	json_object_object_add(o, "from", json_object_new_string(from));
	json_object_object_add(o, "text", json_object_new_string(text));
	s = arena_strdup(a, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return s;
}

static int
sms_https(struct arena *a, const char *url, const char *body, char *why,
    size_t whysz)
{
	const char *token = cfg_get("sms_token", NULL);
	const char *hdrs[3] = { "Content-Type: application/json", NULL, NULL };
	struct httpc_req hr;
	struct httpc_resp hs;
	enum err e;

	if (token != NULL && *token != '\0' &&
	    (hdrs[1] = arena_printf(a, "Authorization: Bearer %s", token)) == NULL) {
		snprintf(why, whysz, "out of memory");
		return -1;
	}
	memset(&hr, 0, sizeof(hr));
	hr.method = "POST";
	hr.url = url;
	hr.headers = hdrs;
	hr.body = body;
	hr.bodylen = strlen(body);
	hr.timeout_ms = cfg_int("sms_timeout_ms", HTTPC_TIMEOUT_MS);
	hr.max_response = 64 * 1024;
	hr.operator_url = 1;
	e = httpc_do(a, &hr, &hs);
	if (e != ERR_OK) {
		snprintf(why, whysz, "provider: %.200s", hs.error[0] != '\0' ?
		    hs.error : "no answer");
		return -1;
	}
	if (hs.status < 200 || hs.status > 299) {
		snprintf(why, whysz, "provider answered %ld", hs.status);
		return -1;
	}
	return 0;
}

int
sms_send(struct arena *a, const char *to, const char *tmpl,
    const struct kv *vars, size_t nvars)
{
	const char *transport, *via = "?", *body;
	char *src, *text, why[256], id[UUID_LEN + 1], cc[4] = "";
	size_t len;
	int rc = -1;

	why[0] = '\0';
	if (!tmpl_name_ok(tmpl)) {
		log_error("sms: invalid template name");
		return -1;
	}
	if (to == NULL || valid_phone(to, 0, NULL) != NULL) {
		log_error("sms %s: recipient refused", tmpl);
		return -1;
	}
	/* The country prefix alone identifies nobody. */
	memcpy(cc, to + 1, 2);
	transport = cfg_get("sms_transport", "file");
	if (strcmp(transport, "file") == 0)
		via = "file";
	else if (strncmp(transport, "https://", 8) == 0)
		via = "https";
	else {
		snprintf(why, sizeof(why), "unknown sms_transport");
		goto out;
	}
	if ((src = tmpl_read(a, "sms", tmpl, "txt", why, sizeof(why))) == NULL ||
	    (text = tmpl_expand(a, src, vars, nvars, 0, why, sizeof(why))) == NULL)
		goto out;
	len = strlen(text);
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		text[--len] = '\0';
	if (len == 0 || len > SMS_TEXT_MAX || !util_utf8_valid(text, len)) {
		snprintf(why, sizeof(why), "text refused (empty, too long or not UTF-8)");
		goto out;
	}
	if ((body = sms_body(a, to, cfg_get("sms_sender", "hzm"), text)) == NULL ||
	    util_uuid(id) == -1) {
		snprintf(why, sizeof(why), "cannot build the message");
		goto out;
	}
	if (strcmp(via, "file") == 0)
		rc = spool_drop(a, cfg_get("sms_dir", "var/sms"), id, "json",
		    body, strlen(body), why, sizeof(why));
	else
		rc = sms_https(a, transport, body, why, sizeof(why));
out:
	if (rc == 0)
		log_info("sms %s to +%s... via %s: sent", tmpl, cc, via);
	else
		log_error("sms %s to +%s... via %s: %s", tmpl, cc, via,
		    why[0] != '\0' ? why : "failed");
	return rc;
}
