/* domain/notify_prefs.h — what a user wants to hear of, and how: per-type channels, language, balance thresholds */
#ifndef HZM_NOTIFY_PREFS_H
#define HZM_NOTIFY_PREFS_H

#include <stddef.h>

#include <libpq-fe.h>

#include "core/err.h"
#include "domain/webhook.h"

struct ctx;
struct in_err;
struct json_object;

/* One type's channels as the user sets them (seed 002's UserNotificationPreference). */
struct notify_pref {
	const char	*type;
	int		 email;
	int		 webhook;
	const char	*webhook_url;	/* NULL: every endpoint subscribed */
	/* Set by notify_prefs_put when webhook_url became a new endpoint. */
	char		 hook_id[WEBHOOK_ID_LEN + 1];
	char		 hook_secret[WEBHOOK_SECRET_MAX];
};

/*
 * The actor's preferences for every type of the catalogue, defaults
 * where unset: rows (type, email t/f, webhook t/f, url or NULL, security
 * t/f); *language "tr" or "en".
 */
enum err	 notify_prefs_get(struct ctx *, PGresult **, const char **language);
/*
 * Set the types given (others keep theirs) and the language (NULL: kept),
 * in one transaction. A webhookUrl is the user's endpoint of that URL,
 * which takes the type (seed 002 keeps the URL on the preference): one
 * new to them becomes an endpoint, its id and secret in hook_id and
 * hook_secret. ERR_INVALID_REQUEST with *ie: an unknown type, a
 * malformed webhookUrl; ERR_FORBIDDEN with *ie: a URL webhooks may not
 * reach; ERR_CONFLICT: no room for another endpoint.
 */
enum err	 notify_prefs_put(struct ctx *, const char *language,
		    struct notify_pref *, size_t n, struct in_err *ie);

/*
 * Read the body of PUT /notifications/preferences: {language?,
 * preferences?: [{type, emailEnabled, webhookEnabled, webhookUrl?}]},
 * at least one of the two, at most NOTIFY_PREFS_MAX preferences into p
 * (*n of them; strings point into j). 0, or -1 with *ie saying why.
 */
#define NOTIFY_PREFS_MAX	32
int		 notify_prefs_parse(struct json_object *j, const char **lang,
		    struct notify_pref *p, size_t *n, struct in_err *ie);

/* Balance thresholds: rows (asset, threshold). */
enum err	 notify_thresholds_get(struct ctx *, PGresult **);
/*
 * Replace the actor's thresholds with assets[i] -> amounts[i] (decimal
 * strings). ERR_INVALID_REQUEST with *ie: an unknown asset or an amount
 * that is not a positive number.
 */
enum err	 notify_thresholds_put(struct ctx *, const char *const *assets,
		    const char *const *amounts, size_t n, struct in_err *ie);

#endif
