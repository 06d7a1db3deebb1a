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
#define CHAN_LINE_VERSION	6
/* A request line, newline included. */
#define CHAN_REQUEST_MAX	512
/* An answer line (an order and every fill of it). */
#define CHAN_ANSWER_MAX		(16 << 20)
/* How long a handler waits for the matcher's answer on the socket. */
#define CHAN_ANSWER_WAIT_MS	5000
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
/*
 * A balance moved outside the matcher (sql/034_balance_notify.sql):
 * payload "<userId> <asset>". The matcher's own changes are B lines of
 * its feed, below.
 */
#define CHAN_BALANCE		"hzm_balance"

/* ---- the matcher's feed to the streamer ------------------------------------- */

/*
 * After each committed batch the matcher sends what it changed to the
 * streamer: unix datagrams to the path in CHAN_FEED_KEY (hzm.conf), sent
 * without waiting (MSG_DONTWAIT), so that an absent or slow streamer
 * loses datagrams and the matcher never waits. Each datagram is text,
 * lines of space-separated tokens, at most CHAN_FEED_DGRAM_MAX bytes:
 *
 *   F <version> <epoch> <n> <time_ms>   first line: CHAN_FEED_VERSION, the
 *                                       matcher's start (ms) and the
 *                                       datagram's number since then (a gap
 *                                       in n: datagrams were lost)
 *   T <sym> <tradeId> <price> <qty> <quote> <BUY|SELL>   a trade (taker side)
 *   D <sym> <U> <u> [b|a <price> <qty>]...   the book's top CHAN_FEED_LEVELS
 *                                       levels a side that changed over the
 *                                       update ids U..u (qty 0: gone); U is
 *                                       the previous D's u + 1, and u is the
 *                                       lastUpdateId of the depth snapshot
 *                                       of the same state
 *   K <sym> <interval> <openTime_ms> <o> <h> <l> <c> <volume> <quoteVolume> <trades>
 *   O <userId> <sym> <orderId> <side> <type> <status> <price|-> <qty|->
 *     <executed> <cumQuote> <avgPrice|-> <orderListId>  an order's state
 *                                       after the batch; an order the batch
 *                                       accepted and also filled, expired
 *                                       or cancelled has a NEW line first
 *   B <userId> <asset>                  a balance changed
 *
 * Amounts are decimal strings in the market's precision; userId is the
 * users row id. The grammar is parsed once, in streamer/feed_parse.c.
 */
#define CHAN_FEED_KEY		"streamer_feed"
#define CHAN_FEED_VERSION	1
#define CHAN_FEED_DGRAM_MAX	32768
#define CHAN_FEED_LEVELS	100

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
