/* core/channels.h — the contract between hzm's processes: the matcher's socket, NOTIFY channels, memcached keys */
#ifndef HZM_CHANNELS_H
#define HZM_CHANNELS_H

/*
 * Everything one process writes for another to read is named here, so
 * that a new reader (a WebSocket streamer, a report) includes this file
 * instead of copying a string.
 */

/* ---- the matcher's socket -------------------------------------------------- */

/*
 * One unix stream socket per market, CHAN_SOCKET_DIR_KEY (hzm.conf) /
 * SYMBOL, made by the matcher that holds the market. A handler writes one
 * request line and reads one answer line, then may send the next. The
 * grammar of both lines, version CHAN_LINE_VERSION, is written down and
 * implemented once, in the order service's matcher_line module, which
 * both sides link.
 */
#define CHAN_SOCKET_DIR_KEY	"matcher_sockets"
#define CHAN_LINE_VERSION	2
/* A request line, newline included. */
#define CHAN_REQUEST_MAX	512
/* An answer line (an order and every fill of it). */
#define CHAN_ANSWER_MAX		(16 << 20)
/*
 * A request's deadline (epoch ms) comes this long before its handler stops
 * waiting: the matcher takes no order past its deadline.
 */
#define CHAN_DEADLINE_MARGIN_MS	1000

/* ---- PostgreSQL NOTIFY ------------------------------------------------------ */

/* Handlers wake the matcher: payload the market's symbol. */
#define CHAN_INBOX		"hzm_inbox"
/*
 * A process that waits for the matcher listens on a channel of its own,
 * this prefix and 16 hex digits, named in the inbox rows of its commands;
 * the matcher's word there is the order's public id, then, for a new
 * order it rejected, a space and the refusal (as on the socket).
 */
#define CHAN_REPLY_PREFIX	"hzm_reply_"
/* An outbox row was committed: payload its id (sql/009_outbox.sql). */
#define CHAN_OUTBOX		"hzm_outbox"

/* ---- memcached ---------------------------------------------------------------- */

/*
 * Keys are the prefix and a market's symbol. depth: and ticker: hold the
 * matcher's JSON snapshots (each with a "timestamp" in epoch ms, which
 * readers use to tell a stale one); busy: is "1" while the matcher polls
 * its inbox, so that handlers need not NOTIFY it.
 */
#define CHAN_MC_DEPTH		"depth:"
#define CHAN_MC_TICKER		"ticker:"
#define CHAN_MC_BUSY		"matcher:busy:"
/* Room for any of them with a symbol. */
#define CHAN_MC_KEY_MAX		64

#endif
