#!/usr/bin/env python3
# docs/asyncapi.py — the WebSocket API (/ws, bin/streamer) as AsyncAPI 2.6: `make docs` writes docs/asyncapi.json and, from it, docs/asyncapi.html
"""Every message shape here is what streamer/*.c sends or accepts; the
examples are real messages of tests/api/96_ws_public.t and 97_ws_private.t
in shape. Usage: asyncapi.py json|html."""
import json
import sys
from collections import OrderedDict as OD

import asyncapi_html

DEC = {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?$",
       "description": "A decimal string (never a float)."}
MS = {"type": "integer", "description": "Epoch milliseconds (UTC)."}
SYMBOL = {"type": "string", "pattern": "^[A-Z0-9]{2,15}$",
          "description": "A market symbol, e.g. BTCTRY.", "examples": ["BTCTRY"]}
INTERVALS = ["1m", "5m", "15m", "1h", "4h", "1d"]
PUBLIC = ["ticker", "orderbook", "trade", "kline"]
PRIVATE = ["orders", "balances"]
ID = {"description": "The client's id: a string (up to 71 characters) or an "
      "integer, optional; answers echo it as it came, a number or a string.",
      "oneOf": [{"type": "string", "maxLength": 71}, {"type": "integer"}]}
ECHO = {"description": "The request's `id`, of the type it was sent with "
        "(absent when the request had none).",
        "oneOf": [{"type": "string"}, {"type": "integer"}]}
LEVELS = {"type": "array", "description": "`[price, quantity]` pairs, best "
          "first; in an update a quantity of \"0\" means the level is gone.",
          "items": {"type": "array", "minItems": 2, "maxItems": 2,
                    "items": DEC}}
ERROR_CODES = ["INVALID_REQUEST", "TRADE_005", "UNAUTHORIZED", "AUTH_001",
               "AUTH_002", "AUTH_003", "FORBIDDEN", "COMPLIANCE_003",
               "NOT_FOUND", "LIMIT_EXCEEDED", "RATE_LIMIT_EXCEEDED",
               "INTERNAL_ERROR"]


def obj(props, required=None, desc=None, closed=True):
    o = OD([("type", "object")])
    if desc:
        o["description"] = desc
    o["properties"] = OD(props)
    o["required"] = list(required if required is not None else
                         o["properties"])
    if closed:
        o["additionalProperties"] = False
    return o


def const(v, desc=None):
    o = {"type": "string", "const": v}
    if desc:
        o["description"] = desc
    return o


def nullable(schema):
    return {"oneOf": [schema, {"type": "null"}]}


AUTH = {"description": "Credentials for the private channels, checked as "
        "REST requests are: an access token, or an API key with the `read` "
        "scope signing `timestamp + \"GET\" + \"/ws\"` with its API "
        "password (hex HMAC-SHA256; 60 s of clock skew; the signature, and "
        "`requestId` if sent, once per key within 5 minutes; the key's IP "
        "allow-list), or an API key with its user's email and API password "
        "(seed 003's three parts). A connection belongs to one user: auth "
        "for another user is FORBIDDEN.",
        "oneOf": [
            obj([("token", {"type": "string",
                            "description": "The JWT access token of "
                            "/api/v1/auth/login."})], desc="By token."),
            obj([("apiKey", {"type": "string", "pattern": "^hzm_[0-9a-f]{32}$"}),
                 ("timestamp", {"description": "Epoch milliseconds.",
                                "oneOf": [{"type": "integer"},
                                          {"type": "string",
                                           "pattern": "^[0-9]+$"}]}),
                 ("requestId", {"type": "string", "maxLength": 71}),
                 ("signature", {"type": "string",
                                "pattern": "^[0-9a-fA-F]{64}$"})],
                ["apiKey", "timestamp", "signature"],
                desc="By a signed API key."),
            obj([("apiKey", {"type": "string", "pattern": "^hzm_[0-9a-f]{32}$"}),
                 ("email", {"type": "string", "maxLength": 255}),
                 ("apiPassword", {"type": "string", "maxLength": 127})],
                desc="By an API key with its email and password (seed 003).")]}

PARAMS = obj([
    ("channel", {"type": "string", "enum": PUBLIC + PRIVATE}),
    ("symbol", dict(SYMBOL, description="Required on public channels; on "
                    "`orders`, that market's orders only (without it, every "
                    "market's).")),
    ("depth", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20,
               "description": "orderbook: the levels a side of the snapshot "
               "and of the updates."}),
    ("interval", {"type": "string", "enum": INTERVALS, "default": "1m",
                  "description": "kline: the candle's interval."}),
    ("auth", AUTH),
], required=["channel"], closed=False)


def client(name, method, summary, desc, with_params, example):
    props = [("method", const(method)), ("id", ID)]
    if with_params:
        props.append(("params", PARAMS))
    return OD([("messageId", name), ("name", name), ("title", method),
               ("summary", summary),
               ("description", desc),
               ("payload", obj(props, ["method"] + (["params"] if with_params
                                                    else []), closed=False)),
               ("examples", [{"name": k, "payload": v}
                             for k, v in example])])


def server(name, title, summary, desc, payload, example):
    return OD([("messageId", name), ("name", name), ("title", title),
               ("summary", summary),
               ("description", desc), ("payload", payload),
               ("examples", [{"name": k, "payload": v}
                             for k, v in example])])


def sub_echo(event):
    return obj([("id", ECHO), ("event", const(event)),
                ("channel", {"type": "string", "enum": PUBLIC + PRIVATE}),
                ("symbol", SYMBOL),
                ("interval", {"type": "string", "enum": INTERVALS})],
               required=["event", "channel"])


ERROR_OBJ = obj([("code", {"type": "string", "enum": ERROR_CODES}),
                 ("message", {"type": "string"})])

TICKER = obj([
    ("symbol", SYMBOL),
    ("lastPrice", nullable(DEC)), ("bidPrice", nullable(DEC)),
    ("bidQty", nullable(DEC)), ("askPrice", nullable(DEC)),
    ("askQty", nullable(DEC)), ("openPrice24h", nullable(DEC)),
    ("high24h", nullable(DEC)), ("low24h", nullable(DEC)),
    ("volume24h", dict(DEC, description="In the quote asset.")),
    ("baseVolume24h", dict(DEC, description="In the base asset.")),
    ("trades24h", {"type": "integer"}),
    ("priceChange24h", dict(DEC, pattern="^-?[0-9]+\\.[0-9]{2}$",
                            description="Percent over 24 hours.")),
    ("priceChange", dict(DEC, pattern="^-?[0-9]+\\.[0-9]{2}$",
                         description="Spec §5.2's name for priceChange24h.")),
    ("timestamp", MS)], desc="The REST ticker's fields (null: no trade or "
    "no order on that side yet).")

ORDER = obj([
    ("orderId", {"type": "string", "pattern": "^ord_"}),
    ("symbol", SYMBOL),
    ("side", {"type": "string", "enum": ["BUY", "SELL"]}),
    ("type", {"type": "string"}),
    ("status", {"type": "string", "enum": ["NEW", "PARTIALLY_FILLED",
                                           "FILLED", "CANCELED", "EXPIRED",
                                           "EXPIRED_IN_MATCH", "REJECTED"]}),
    ("price", nullable(DEC)), ("quantity", nullable(DEC)),
    ("executedQuantity", DEC), ("cumulativeQuoteQty", DEC),
    ("cumulativeQuoteQuantity", DEC),
    ("remainingQuantity", nullable(DEC)),
    ("averagePrice", nullable(DEC)),
    ("orderListId", {"type": "integer", "description":
                     "The order's OCO list, as the REST answers name it; "
                     "-1 for an order of no list."}),
    ("timestamp", MS)])

BOOK_SYNC = """\
**Order book sync.** Update ids are the matcher's command sequence. The
snapshot sent on subscribing carries `lastUpdateId`; every `update` carries
`U` (its first update id) and `u` (its last), and each update's `U` is the
previous update's `u` + 1 (an update may span many update ids). Apply
an update's levels to your copy (a
quantity of `"0"` removes the level): it then holds the best `depth`
levels a side, as subscribed. Updates are cut to that depth: a level that
leaves the best `depth` is sent with quantity `"0"`, one that comes into
them (from deeper in the book) with its quantity. When the book moved
only below your depth, the update comes with no levels: your last `u`
is always the book's.
A hole (`U` not the last `u` + 1) means your copy is stale: unsubscribe and
subscribe again, or resynchronise from REST.

With the REST book instead (`GET /api/v1/markets/{symbol}/orderbook`
cut to the depth subscribed,
whose `lastUpdateId` is in the same sequence), Binance's procedure works:
subscribe and buffer updates; fetch the REST book; drop buffered updates
with `u <= lastUpdateId`; the first one applied must have
`U <= lastUpdateId + 1 <= u` (else fetch again); then every next `U` is
the last `u` + 1.

When the streamer itself loses the thread (a lost datagram from the
matcher, a restart) it resynchronises and sends every subscriber a new
`snapshot`: start again from it."""

CLOSE_CODES = [
    (1000, "normal closure", "The client closed."),
    (1001, "going away", "The streamer is stopping (a proxy may pass this "
     "on as 1006)."),
    (1006, "abnormal closure (no close frame)", "The connection dropped: "
     "the streamer restarted, or it hung up a connection silent for "
     "`ws_idle_seconds` (60) that answered no PING. Reconnect and "
     "subscribe again; books come with a new snapshot."),
    (1009, "message too big", "A client message over 4 KiB (or sent in "
     "fragments)."),
    (4008, "slow consumer", "More than `ws_queue_max` (1024) messages or "
     "`ws_queue_bytes` (4 MiB) waited for the client: it does not read fast "
     "enough. No one else waits for it."),
    (4029, "too many messages", "The client went on sending past the "
     "message rate limit after its RATE_LIMIT_EXCEEDED error: more than "
     "`ws_messages_burst` messages refused before it paused long enough "
     "for its allowance to fill again."),
]

LIMITS = """\
**Limits** (`conf/hzm.conf`): `ws_max_subscriptions` (20) per connection
(beyond: LIMIT_EXCEEDED); `ws_messages_per_second` (10, burst
`ws_messages_burst` 20) per connection: beyond, an error
RATE_LIMIT_EXCEEDED, and a client that goes on is closed with 4029
(refusals are forgiven once the client pauses until its burst is whole).
Messages are JSON text frames, one message a frame, at most 4 KiB from the
client; a binary frame is answered with INVALID_REQUEST.

**Heartbeats.** The streamer sends a WebSocket PING after
`ws_ping_seconds` (20) of silence (every client library answers it with a
PONG); a connection with no traffic and no PONG for `ws_idle_seconds` (60)
is closed. The JSON `PING` method is for clients that cannot see
WebSocket-level PONGs: it is answered with `{"event":"pong"}`."""


def messages():
    m = OD()
    client_messages(m)
    answer_messages(m)
    market_messages(m)
    private_messages(m)
    return m


def client_messages(m):
    m["subscribe"] = client(
        "subscribe", "SUBSCRIBE", "Subscribe to a channel",
        "Public channels need `symbol` (one no market has is TRADE_005); "
        "`orderbook` takes `depth`, `kline` takes `interval`, `orders` "
        "may take `symbol` (each order is still told once on a connection "
        "subscribed to its market and to all). Private "
        "channels need `auth` on the first private subscription of the "
        "connection. Subscribing twice to the same stream is answered "
        "`subscribed` again, without a second stream. Answer: "
        "`subscribed` or `error`; then the channel's messages (ticker and "
        "orderbook start with the current state).",
        True, [("orderbook", {"method": "SUBSCRIBE", "id": 1, "params": {
            "channel": "orderbook", "symbol": "BTCTRY", "depth": 20}}),
               ("kline", {"method": "SUBSCRIBE", "params": {
                   "channel": "kline", "symbol": "BTCTRY",
                   "interval": "1m"}}),
               ("orders by token", {"method": "SUBSCRIBE", "id": "o1",
                                    "params": {"channel": "orders", "auth": {
                                        "token": "eyJhbGciOiJIUzI1NiJ9..."}}}),
               ("balances by API key", {"method": "SUBSCRIBE", "params": {
                   "channel": "balances", "auth": {
                       "apiKey": "hzm_" + "0123456789abcdef" * 2,
                       "timestamp": 1700392200123,
                       "requestId": "6f1c2a9e-3b0d-4c55-9a7e-2f3d4b5c6d7e",
                       "signature": "ab" * 32}}})])
    m["unsubscribe"] = client(
        "unsubscribe", "UNSUBSCRIBE", "Unsubscribe from a channel",
        "The same `params` as the subscription (`auth` is not needed). "
        "Answer: `unsubscribed`, or `error` NOT_FOUND when not subscribed.",
        True, [("trade", {"method": "UNSUBSCRIBE", "params": {
            "channel": "trade", "symbol": "BTCTRY"}})])
    m["ping"] = client(
        "ping", "PING", "Application-level ping",
        "Answered with `pong`. WebSocket PING frames work too.",
        False, [("ping", {"method": "PING", "id": 7})])
    m["listSubscriptions"] = client(
        "listSubscriptions", "LIST_SUBSCRIPTIONS", "This connection's "
        "subscriptions", "Answered with `subscriptions`.", False,
        [("list", {"method": "LIST_SUBSCRIPTIONS"})])


def answer_messages(m):
    m["subscribed"] = server(
        "subscribed", "subscribed", "A subscription is in place",
        "Echoes the request's `id` (a number stays a number), channel, "
        "symbol and, for kline, interval.", sub_echo("subscribed"),
        [("orderbook", {"id": 1, "event": "subscribed",
                        "channel": "orderbook", "symbol": "BTCTRY"})])
    m["unsubscribed"] = server(
        "unsubscribed", "unsubscribed", "A subscription ended",
        "The answer to UNSUBSCRIBE; also sent unasked, with `error` "
        "AUTH_002, to every private subscription when the access token it "
        "was made with expires: subscribe again with a new token. Within "
        "`ws_auth_recheck_seconds` (5) of REST refusing the credential, "
        "AUTH_003 (an API key revoked, replaced or expired; a session "
        "ended by logout or a password change) or, as REST answers, "
        "COMPLIANCE_003 (the account suspended or blocked) or FORBIDDEN "
        "(not active otherwise).",
        obj([("id", ECHO), ("event", const("unsubscribed")),
             ("channel", {"type": "string", "enum": PUBLIC + PRIVATE}),
             ("symbol", SYMBOL),
             ("interval", {"type": "string", "enum": INTERVALS}),
             ("error", ERROR_OBJ)], required=["event", "channel"]),
        [("trade", {"event": "unsubscribed", "channel": "trade",
                    "symbol": "BTCTRY"}),
         ("token expired", {"event": "unsubscribed", "channel": "orders",
                            "error": {"code": "AUTH_002",
                                      "message": "token expired"}})])
    m["pong"] = server(
        "pong", "pong", "The answer to PING", "",
        obj([("id", ECHO), ("event", const("pong"))], required=["event"]),
        [("pong", {"id": 7, "event": "pong"})])
    m["subscriptions"] = server(
        "subscriptions", "subscriptions", "The answer to LIST_SUBSCRIPTIONS",
        "", obj([("id", ECHO), ("event", const("subscriptions")),
                 ("subscriptions", {"type": "array", "items": obj([
                     ("channel", {"type": "string",
                                  "enum": PUBLIC + PRIVATE}),
                     ("symbol", SYMBOL),
                     ("interval", {"type": "string", "enum": INTERVALS})],
                     required=["channel"])})],
                required=["event", "subscriptions"]),
        [("two", {"event": "subscriptions", "subscriptions": [
            {"channel": "ticker", "symbol": "BTCTRY"},
            {"channel": "kline", "symbol": "BTCTRY", "interval": "1m"}]})])
    m["error"] = server(
        "error", "error", "A request refused; the connection stays",
        "INVALID_REQUEST: not JSON, not an object, a binary frame, an "
        "unknown method or channel, a bad field, a missing or non-string "
        "symbol (the message says which); "
        "TRADE_005: a symbol no market has, whatever its form (`XXXYYY`, "
        "`btctry`, `BTC-TRY`), as REST answers; UNAUTHORIZED: a private "
        "channel "
        "without auth, or auth the REST pipeline refuses; AUTH_001, "
        "AUTH_002 (expired token), AUTH_003 (invalid or revoked token, "
        "bad signature, replayed requestId, timestamp off by more than "
        "60 s), FORBIDDEN (no `read` scope, an address off the key's "
        "allow-list, or another user's credentials on this connection), "
        "COMPLIANCE_003 (a suspended account): as in REST; NOT_FOUND: "
        "UNSUBSCRIBE of what is not subscribed; LIMIT_EXCEEDED: more "
        "than `ws_max_subscriptions`; RATE_LIMIT_EXCEEDED (without `id`): "
        "more than the message rate allows.",
        obj([("id", ECHO), ("event", const("error")), ("error", ERROR_OBJ)],
            required=["event", "error"]),
        [("unknown symbol", {"id": "1", "event": "error", "error": {
            "code": "TRADE_005", "message": "unknown symbol"}}),
         ("no auth", {"event": "error", "error": {
             "code": "UNAUTHORIZED",
             "message": "private channels need params.auth"}})])


def stream(channel, extra, data, required_extra=()):
    props = [("channel", const(channel)),
             ("event", const(channel, "Appendix B's event name: the "
                             "channel's.")),
             ("symbol", SYMBOL)] + extra + [("data", data)]
    return obj(props, ["channel", "event", "symbol"] + list(required_extra) +
               ["data"])


def market_messages(m):
    m["ticker"] = server(
        "ticker", "ticker", "A market's ticker",
        "One on subscribing, then after a change, at most one a second "
        "(`ws_ticker_interval_ms`): the snapshot of the batch that changed "
        "it or of a later one, its 24-hour figures counting every trade "
        "committed.",
        stream("ticker", [], TICKER),
        [("BTCTRY", {"channel": "ticker", "event": "ticker",
                     "symbol": "BTCTRY", "data": {
            "symbol": "BTCTRY", "lastPrice": "2450000.00",
            "bidPrice": "2449900.00", "bidQty": "0.12000000",
            "askPrice": "2450100.00", "askQty": "0.30000000",
            "openPrice24h": "2400000.00", "high24h": "2460000.00",
            "low24h": "2390000.00", "volume24h": "1225000.00",
            "baseVolume24h": "0.50000000", "trades24h": 12,
            "priceChange24h": "2.08", "priceChange": "2.08",
            "timestamp": 1700392200123}})])
    m["orderbookSnapshot"] = server(
        "orderbookSnapshot", "orderbook snapshot", "The book at `depth` "
        "levels a side", "Sent on subscribing, and again whenever the "
        "streamer resynchronises: replace your copy with it.\n\n" + BOOK_SYNC,
        stream("orderbook", [("type", const("snapshot"))], obj([
            ("lastUpdateId", {"type": "integer", "description": "The update "
                              "id this state is at."}),
            ("bids", LEVELS), ("asks", LEVELS), ("timestamp", MS)]),
            ["type"]),
        [("BTCTRY", {"channel": "orderbook", "event": "orderbook",
                     "symbol": "BTCTRY",
                     "type": "snapshot", "data": {
                         "lastUpdateId": 1041,
                         "bids": [["2449900.00", "0.12000000"]],
                         "asks": [["2450100.00", "0.30000000"]],
                         "timestamp": 1700392200123}})])
    m["orderbookUpdate"] = server(
        "orderbookUpdate", "orderbook update", "Levels that changed over "
        "update ids U..u", "At most one every 100 ms "
        "(`ws_depth_interval_ms`), as Binance's `depth@100ms`: the levels "
        "among the best `depth` of a side that changed over `U`..`u`, each "
        "at its quantity after `u` (quantity \"0\": gone, or no longer "
        "among the best `depth`).\n\n" + BOOK_SYNC,
        stream("orderbook", [("type", const("update"))], obj([
            ("U", {"type": "integer", "description": "First update id."}),
            ("u", {"type": "integer", "description": "Last update id."}),
            ("bids", LEVELS), ("asks", LEVELS), ("timestamp", MS)]),
            ["type"]),
        [("BTCTRY", {"channel": "orderbook", "event": "orderbook",
                     "symbol": "BTCTRY",
                     "type": "update", "data": {
                         "U": 1042, "u": 1042, "bids": [],
                         "asks": [["2450100.00", "0"]],
                         "timestamp": 1700392200456}})])
    m["trade"] = server(
        "trade", "trade", "A trade in the market",
        "One a trade, as soon as it is committed (never merged).",
        stream("trade", [], obj([
            ("tradeId", {"type": "string", "pattern": "^trd_"}),
            ("price", DEC), ("quantity", DEC), ("quoteQuantity", DEC),
            ("side", {"type": "string", "enum": ["BUY", "SELL"],
                      "description": "The taker's side."}),
            ("timestamp", MS)])),
        [("BTCTRY", {"channel": "trade", "event": "trade",
                     "symbol": "BTCTRY", "data": {
            "tradeId": "trd_7q2x4m5n6b7v8c9z0a1s", "price": "2450100.00",
            "quantity": "0.01000000", "quoteQuantity": "24501.00",
            "side": "BUY", "timestamp": 1700392200456}})])
    m["kline"] = server(
        "kline", "kline", "The current candle of an interval",
        "Sent when a trade changes the candle of the subscribed interval, "
        "at most one a second (`ws_kline_interval_ms`); a candle's last "
        "state is always sent before the next candle's.",
        stream("kline", [("interval", {"type": "string",
                                       "enum": INTERVALS})], obj([
            ("openTime", MS),
            ("closeTime", dict(MS, description="The candle's last "
                               "millisecond: openTime + the interval - 1.")),
            ("open", DEC), ("high", DEC), ("low", DEC),
            ("close", DEC), ("volume", DEC), ("quoteVolume", DEC),
            ("trades", {"type": "integer"})]), ["interval"]),
        [("1m", {"channel": "kline", "event": "kline",
                 "symbol": "BTCTRY", "interval": "1m",
                 "data": {"openTime": 1700392200000,
                          "closeTime": 1700392259999, "open": "2450100.00",
                          "high": "2450100.00", "low": "2450100.00",
                          "close": "2450100.00", "volume": "0.01000000",
                          "quoteVolume": "24501.00", "trades": 1}})])


def private_messages(m):
    m["order"] = server(
        "order", "orders", "One of the user's orders changed",
        "An order's state after each matcher batch that touched it: "
        "`order.new`, `order.partial`, `order.filled`, `order.canceled` "
        "(also for EXPIRED, EXPIRED_IN_MATCH and REJECTED: `status` says "
        "which). Every accepted order starts with `order.new`: one that "
        "fills, expires or is cancelled in the batch that took it has its "
        "`order.new` (status NEW, nothing executed) first. `price` is "
        "null for market orders, `averagePrice` until a fill.",
        obj([("channel", const("orders")),
             ("event", {"type": "string", "enum": [
                 "order.new", "order.partial", "order.filled",
                 "order.canceled"]}),
             ("data", ORDER)]),
        [("filled", {"channel": "orders", "event": "order.filled", "data": {
            "orderId": "ord_3k4j5h6g7f8d9s0a1q2w", "symbol": "BTCTRY",
            "side": "BUY", "type": "LIMIT", "status": "FILLED",
            "price": "2450100.00", "quantity": "0.01000000",
            "executedQuantity": "0.01000000",
            "cumulativeQuoteQty": "24501.00",
            "cumulativeQuoteQuantity": "24501.00",
            "remainingQuantity": "0.00000000",
            "averagePrice": "2450100.00", "orderListId": -1,
            "timestamp": 1700392200456}})])
    m["balance"] = server(
        "balance", "balances", "One of the user's balances changed",
        "The balance of an asset as committed, after every change: a "
        "matcher batch (trades, fees, order locks), or any other ledger "
        "movement (a deposit credited, a withdrawal locked, paid out or "
        "returned, fiat, an adjustment).",
        obj([("channel", const("balances")),
             ("event", const("balance.update")),
             ("data", obj([("asset", {"type": "string"}),
                           ("available", DEC), ("locked", DEC),
                           ("total", DEC), ("timestamp", MS)]))]),
        [("TRY", {"channel": "balances", "event": "balance.update", "data": {
            "asset": "TRY", "available": "75499.00", "locked": "0.00",
            "total": "75499.00", "timestamp": 1700392200456}})])
    m["walletEvent"] = server(
        "walletEvent", "balances (wallet events)", "A deposit or "
        "withdrawal of the user's moved on",
        "From the outbox, once committed: the event's payload (as in the "
        "webhooks of the same type) plus `timestamp`.",
        obj([("channel", const("balances")),
             ("event", {"type": "string", "enum": [
                 "deposit.confirmed", "withdrawal.processing",
                 "withdrawal.completed"]}),
             ("data", obj([("timestamp", MS)], closed=False))]),
        [("deposit", {"channel": "balances", "event": "deposit.confirmed",
                      "data": {"depositId": "dep_5t6y7u8i9o0p1a2s3d4f",
                               "asset": "BTC", "network": "BTC",
                               "amount": "0.50000000",
                               "txHash": "9f" * 32, "confirmations": 3,
                               "creditedAt": "2023-11-19T11:10:00Z",
                               "timestamp": 1700392200456}})])


CLIENT = ["subscribe", "unsubscribe", "ping", "listSubscriptions"]


def document():
    msgs = messages()
    for k in ("ticker", "orderbookSnapshot", "orderbookUpdate", "trade",
              "kline"):
        msgs[k]["tags"] = [{"name": "public"}]
    for k in ("order", "balance", "walletEvent"):
        msgs[k]["tags"] = [{"name": "private"}]
    server_msgs = [k for k in msgs if k not in CLIENT]
    close_rows = "\n".join("| %d | %s | %s |" % c for c in CLOSE_CODES)
    d = OD()
    d["asyncapi"] = "2.6.0"
    d["id"] = "urn:hzm:ws"
    d["info"] = OD([
        ("title", "hzm WebSocket API"),
        ("version", "1.0.0"),
        ("description", "Market data and the user's own events over one "
         "WebSocket, `/ws` (spec §5, Appendix B), served by `bin/streamer` "
         "behind the web server. Send JSON text messages with a `method`; "
         "every answer and every stream message is one JSON text frame. "
         "Numbers that are money are decimal strings; times are epoch "
         "milliseconds. Nothing is sent before the matcher or the "
         "database committed it.\n\n" + LIMITS + "\n\n" + BOOK_SYNC +
         "\n\n**Close codes.**\n\n| code | reason | when |\n|---|---|---|\n" +
         close_rows),
        ("contact", OD([("name", "hzm API support"),
                        ("url", "mailto:api-support@techsonamy.com"),
                        ("email", "api-support@techsonamy.com")])),
        ("license", OD([("name", "Proprietary")])),
        ("x-close-codes", [OD([("code", c), ("reason", r),
                               ("description", w)])
                           for c, r, w in CLOSE_CODES]),
    ])
    d["servers"] = OD([("local", OD([
        ("url", "127.0.0.1:8080"), ("protocol", "ws"),
        ("description", "`make run`'s stack; behind TLS in production "
         "(`wss://HOST/ws`). Authentication is not part of the "
         "handshake: the private channels take `params.auth` of "
         "SUBSCRIBE.")]))])
    d["defaultContentType"] = "application/json"
    d["tags"] = [
        {"name": "public", "description": "ticker, orderbook, trade, kline: "
         "anyone may subscribe."},
        {"name": "private", "description": "orders, balances: the user's "
         "own, after `params.auth`."}]
    d["channels"] = OD([("/ws", OD([
        ("description", "The one WebSocket endpoint: every channel "
         "(ticker, orderbook, trade, kline; orders and balances after "
         "auth) is multiplexed over it by SUBSCRIBE."),
        ("publish", OD([
            ("operationId", "sendClientMessage"),
            ("summary", "What the client sends"),
            ("message", {"oneOf": [{"$ref": "#/components/messages/" + k}
                                   for k in CLIENT]})])),
        ("subscribe", OD([
            ("operationId", "receiveServerMessage"),
            ("summary", "What the streamer sends"),
            ("message", {"oneOf": [{"$ref": "#/components/messages/" + k}
                                   for k in server_msgs]})])),
        ("bindings", {"ws": {"method": "GET", "bindingVersion": "0.1.0"}}),
    ]))])
    d["components"] = OD([
        ("messages", msgs),
    ])
    return d


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else "json"
    d = document()
    if what == "json":
        sys.stdout.write(json.dumps(d, indent=1, ensure_ascii=False) + "\n")
    elif what == "html":
        sys.stdout.write(asyncapi_html.render(d, CLIENT))
    else:
        sys.exit("usage: asyncapi.py json|html")


if __name__ == "__main__":
    main()
