/* tests/fuzz/fuzz_notify.c — libFuzzer: a webhook URL through webhook_url_check (no resolving), a preferences body through notify_prefs_parse */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/err.h"
#include "core/input.h"
#include "domain/notify_prefs.h"
#include "domain/webhook.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* What webhook_url_check promises of a URL it accepts. */
static void
check_url(const char *url, enum err e, const struct webhook_target *t,
    const char *why)
{
	if (e != ERR_OK) {
		if (e != ERR_INVALID_REQUEST || why[0] == '\0')
			abort();
		return;
	}
	if (strlen(url) > 2048 || strpbrk(url, " \t\r\n") != NULL ||
	    t->port <= 0 || t->port > 65535 || t->host[0] == '\0' ||
	    t->pin[0] != '\0')
		abort();
	/* https, or http to a host:port of webhook_allow_hosts (none here). */
	if (strncasecmp(url, "https:", 6) != 0 || t->allowed)
		abort();
}

/* What notify_prefs_parse promises of a body it accepts. */
static void
check_prefs(const char *lang, const struct notify_pref *p, size_t n)
{
	size_t i;

	if (n > NOTIFY_PREFS_MAX || (lang == NULL && n == 0))
		abort();
	if (lang != NULL && strcmp(lang, "tr") != 0 && strcmp(lang, "en") != 0)
		abort();
	for (i = 0; i < n; i++) {
		if (p[i].type == NULL || strlen(p[i].type) < 3 ||
		    strlen(p[i].type) > 64)
			abort();
		if ((p[i].email != 0 && p[i].email != 1) ||
		    (p[i].webhook != 0 && p[i].webhook != 1))
			abort();
		if (p[i].webhook_url != NULL && (strlen(p[i].webhook_url) < 8 ||
		    strlen(p[i].webhook_url) > 2048))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct notify_pref p[NOTIFY_PREFS_MAX];
	struct webhook_target t;
	struct json_tokener *tok;
	struct json_object *o;
	struct in_err ie;
	char url[2100], why[128];
	const char *lang;
	size_t n;
	enum err e;

	/* The bytes as a URL, as a user would register it. */
	n = size < sizeof(url) - 1 ? size : sizeof(url) - 1;
	memcpy(url, data, n);
	url[n] = '\0';
	why[0] = '\0';
	e = webhook_url_check(url, 0, &t, why, sizeof(why));
	check_url(url, e, &t, why);

	/* The bytes as a preferences body. */
	if ((tok = json_tokener_new_ex(16)) == NULL)
		return 0;
	o = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	json_tokener_free(tok);
	if (o != NULL) {
		memset(&ie, 0, sizeof(ie));
		if (notify_prefs_parse(o, &lang, p, &n, &ie) == 0)
			check_prefs(lang, p, n);
		else if (ie.field == NULL || ie.reason == NULL)
			abort();
	}
	json_object_put(o);
	return 0;
}
