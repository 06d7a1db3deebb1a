/* streamer/proto.h — what clients send on /ws and what the matcher's feed says, parsed without I/O */
#ifndef HZM_STREAMER_PROTO_H
#define HZM_STREAMER_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/kline_iv.h"

/* A client's message: at most this long, this deep. */
#define PROTO_MSG_MAX		4096
#define PROTO_JSON_DEPTH	6

enum proto_method { PM_SUBSCRIBE, PM_UNSUBSCRIBE, PM_PING, PM_LIST };

enum proto_channel {
	PC_TICKER, PC_ORDERBOOK, PC_TRADE, PC_KLINE,	/* public */
	PC_ORDERS, PC_BALANCES,				/* private */
	PC__COUNT
};

#define PROTO_PRIVATE(ch)	((ch) >= PC_ORDERS)

struct proto_auth {
	char	 token[2048];		/* a JWT, or "" */
	char	 api_key[40];		/* hzm_..., or "" */
	char	 timestamp[24];
	char	 signature[72];
	char	 request_id[72];
	char	 email[256];		/* seed 003's three parts: with the key, */
	char	 api_password[128];	/* the email and the API password */
};

struct proto_msg {
	enum proto_method	 method;
	enum proto_channel	 channel;
	/*
	 * A public channel's market; on orders, the one market asked for
	 * ("" for all of them). symbol_asked: params.symbol was there,
	 * well formed or not.
	 */
	char			 symbol[16];
	int			 symbol_asked;
	int			 depth;		/* orderbook: 1..100 */
	int			 interval;	/* kline: enum kline_iv (domain/kline_iv.h) */
	int			 has_auth;
	struct proto_auth	 auth;
	char			 id[72];	/* the client's id, echoed; "" if none */
	int			 id_number;	/* it came as a number: so it goes back */
};

extern const char *const proto_channels[PC__COUNT];

/*
 * Parse one text message. 0, or -1 with *why (a static message) and
 * m->id filled as far as it could be read.
 */
int	 proto_msg_parse(const char *buf, size_t len, struct proto_msg *m,
	    const char **why);

/* One line of the feed (core/channels.h), split in place into tokens. */
#define PROTO_FEED_TOKENS	(8 + 3 * 2 * 100)
struct proto_line {
	char	 kind;			/* F T D K O B */
	char	*tok[PROTO_FEED_TOKENS];
	size_t	 ntok;			/* tokens after the kind */
};

/* 0, or -1 when the line is not of the grammar (then it is ignored). */
int	 proto_line_parse(char *line, struct proto_line *l);

/* A non-negative decimal as the feed writes it: digits, at most one '.'. */
int	 proto_is_amount(const char *s);
/* Order of two amounts of one scale, as written by the feed. */
int	 proto_amount_cmp(const char *a, const char *b);
int	 proto_amount_zero(const char *s);

#endif
