/* domain/notify_types.h — the events a user can be notified of, and how each is treated */
#ifndef HZM_NOTIFY_TYPES_H
#define HZM_NOTIFY_TYPES_H

#include <stddef.h>

/* How an event type is delivered. */
#define NT_SECURITY	0x01	/* mail always sent, never folded nor capped */
#define NT_NO_MAIL	0x02	/* its mail leaves from its service (notify_mail) */
#define NT_NO_PREF	0x04	/* not in the preferences (system events) */
#define NT_OPT_IN	0x08	/* no mail unless the user asks (see 019's order_filled_subscribers) */

struct notify_type {
	const char	*name;		/* "bot.trade" */
	unsigned	 flags;
	const char	*title_en, *title_tr;
};

/* The type by name, or NULL for one the catalogue does not know. */
const struct notify_type *notify_type_find(const char *name);
/* The catalogue, in the order the preferences list it. */
const struct notify_type *notify_types(size_t *n);
/* Whether name is an event type a user may subscribe to (or "*"). */
int	 notify_type_subscribable(const char *name);

#endif
