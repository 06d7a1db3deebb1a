# docs/openapi/public.py — market data anyone may read (time, markets, ticker, order book, trades, klines) and the system's health
from collections import OrderedDict

from .helpers import (B32ID, TS, V, dec, envelope, nullable, obj, qparam, ref,
                      s, sref)
from .operation import op
from .registry import S

SDEC_RE = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$"
MS = {"type": "integer", "format": "int64", "minimum": 0,
      "maximum": 253402300799999}
SYM400 = [("TRADE_005", "no such market")]


def schemas():
    S["ServerTime"] = obj(OrderedDict([
        ("serverTime", {"type": "integer", "format": "int64",
                        "description": "Milliseconds since the epoch.",
                        "example": 1700392200123}),
        ("iso", TS),
    ]), ["serverTime", "iso"])
    S["Market"] = obj(OrderedDict([
        ("symbol", s(pattern="^[A-Z0-9]{4,20}$", example="BTCTRY")),
        ("baseAsset", s(example="BTC")),
        ("quoteAsset", s(example="TRY")),
        ("status", s("Only ACTIVE markets take orders.",
                     enum=["ACTIVE", "HALTED", "CLOSED"])),
        ("pricePrecision", {"type": "integer", "minimum": 0,
                            "description": "Decimals of a price."}),
        ("quantityPrecision", {"type": "integer", "minimum": 0,
                               "description": "Decimals of a quantity."}),
        ("minQuantity", dec("The smallest order quantity.", "0.00010000")),
        ("minNotional", dec("The smallest price x quantity, in the quote asset.",
                            "100.00")),
        ("makerFee", dec("Maker fee rate (0.001 = 0.1 %).", "0.001")),
        ("takerFee", dec("Taker fee rate.", "0.002")),
    ]), ["symbol", "baseAsset", "quoteAsset", "status", "pricePrecision",
         "quantityPrecision", "minQuantity", "minNotional", "makerFee",
         "takerFee"])
    S["Ticker"] = obj(OrderedDict([
        ("symbol", s(example="BTCTRY")),
        ("lastPrice", nullable(dec("The last trade's price; null before the "
                                   "first trade.", "1850000.00"))),
        ("bidPrice", nullable(dec("The best bid; null when there is none."))),
        ("bidQty", nullable(dec("Quantity at the best bid."))),
        ("askPrice", nullable(dec("The best ask; null when there is none."))),
        ("askQty", nullable(dec("Quantity at the best ask."))),
        ("openPrice24h", nullable(dec("The price 24 hours ago (first 1m candle "
                                      "of the window)."))),
        ("high24h", nullable(dec("24-hour high."))),
        ("low24h", nullable(dec("24-hour low."))),
        ("volume24h", dec("24-hour volume in the quote asset (Appendix C).",
                          "1250000000.00")),
        ("baseVolume24h", dec("24-hour volume in the base asset.")),
        ("trades24h", {"type": "integer", "format": "int64"}),
        ("priceChange24h", dec("Change against openPrice24h, in percent, 2 "
                               "decimals (signed).", "2.50", SDEC_RE)),
        ("timestamp", {"type": "integer", "format": "int64",
                       "description": "Milliseconds since the epoch."}),
        ("source", s("live: the matcher's snapshot (at most 15 s old); "
                     "database: computed from committed orders and candles.",
                     enum=["live", "database"])),
    ]), ["symbol", "lastPrice", "bidPrice", "bidQty", "askPrice", "askQty",
         "openPrice24h", "high24h", "low24h", "volume24h", "baseVolume24h",
         "trades24h", "priceChange24h", "timestamp", "source"])
    S["PriceLevel"] = {"type": "array", "minItems": 2, "maxItems": 2,
                       "items": sref("Decimal"),
                       "description": "[price, quantity].",
                       "example": ["1850000.00", "0.25000000"]}
    S["OrderBook"] = obj(OrderedDict([
        ("symbol", s(example="BTCTRY")),
        ("bids", {"type": "array", "items": sref("PriceLevel"),
                  "description": "Best (highest) first."}),
        ("asks", {"type": "array", "items": sref("PriceLevel"),
                  "description": "Best (lowest) first."}),
        ("lastUpdateId", {"type": "integer", "format": "int64",
                          "description": "The matcher's sequence number (live "
                                         "snapshots only)."}),
        ("timestamp", {"type": "integer", "format": "int64",
                       "description": "Milliseconds since the epoch."}),
        ("source", s("As in Ticker.", enum=["live", "database"])),
    ]), ["symbol", "bids", "asks", "timestamp", "source"])
    S["PublicTrade"] = obj(OrderedDict([
        ("tradeId", s(pattern="^trd_" + B32ID + "$")),
        ("symbol", s(example="BTCTRY")),
        ("price", sref("Decimal")),
        ("quantity", sref("Decimal")),
        ("quoteQuantity", sref("Decimal")),
        ("takerSide", s(enum=["BUY", "SELL"])),
        ("side", s("The taker's side again, under Appendix C's name.",
                   enum=["BUY", "SELL"])),
        ("timestamp", TS),
        ("time", {"type": "integer", "format": "int64",
                  "description": "The same time in milliseconds since the "
                                 "epoch."}),
    ]), ["tradeId", "symbol", "price", "quantity", "quoteQuantity", "takerSide",
         "side", "timestamp", "time"])
    S["Kline"] = obj(OrderedDict([
        ("openTime", {"type": "integer", "format": "int64",
                      "description": "Milliseconds since the epoch."}),
        ("closeTime", {"type": "integer", "format": "int64",
                       "description": "openTime + interval - 1 ms."}),
        ("open", sref("Decimal")),
        ("high", sref("Decimal")),
        ("low", sref("Decimal")),
        ("close", sref("Decimal")),
        ("volume", dec("In the base asset.")),
        ("quoteVolume", dec("In the quote asset.")),
        ("trades", {"type": "integer", "format": "int64"}),
    ]), ["openTime", "closeTime", "open", "high", "low", "close", "volume",
         "quoteVolume", "trades"], desc="One OHLCV candle (Appendix C).")
    S["Health"] = obj(OrderedDict([
        ("status", s("degraded when memcached is down (every use of it has a "
                     "fallback).", enum=["ok", "degraded"])),
        ("database", s(enum=["up"])),
        ("memcached", s(enum=["up", "down"])),
    ]), ["status", "database", "memcached"])


def paths():
    # public ------------------------------------------------------------------
    op("GET", V + "/public/time", "getServerTime", "public", "Server time",
       "none", "none", "RL_PUBLIC", db=False,
       ok=[(200, "The server's clock.", envelope(sref("ServerTime")))])
    op("GET", V + "/public/markets", "listAllMarkets", "public",
       "Every market, whatever its status", "none", "none", "RL_PUBLIC",
       ok=[(200, "All markets, by symbol.",
            envelope({"type": "array", "items": sref("Market")}))])
    op("GET", V + "/markets", "listActiveMarkets", "public",
       "The markets open for trading", "none", "none", "RL_PUBLIC",
       ok=[(200, "ACTIVE markets, by symbol.",
            envelope({"type": "array", "items": sref("Market")}))])
    for base, kinds in ((V + "/public/%s/{symbol}", ("ticker", "orderbook",
                                                      "trades", "klines")),
                        (V + "/markets/{symbol}/%s", ("ticker", "orderbook",
                                                      "trades"))):
        alias = base.startswith(V + "/markets")
        sfx = "ForMarket" if alias else ""
        note = (" The same as GET /api/v1/public/%s/{symbol}." if alias else "%.0s")
        for kind in kinds:
            path = base % kind
            if kind == "ticker":
                op("GET", path, "getTicker" + sfx, "public", "24-hour ticker",
                   "none", "none", "RL_PUBLIC",
                   description="From the matcher's live snapshot when fresh, "
                               "else from the database." + (note % kind),
                   params=[ref("parameters", "Symbol")],
                   ok=[(200, "The ticker.", envelope(sref("Ticker")))],
                   errors={400: SYM400})
            elif kind == "orderbook":
                op("GET", path, "getOrderBook" + sfx, "public",
                   "Order book depth", "none", "none", "RL_PUBLIC",
                   description="Aggregated price levels, from the matcher's "
                               "live snapshot when fresh, else from the "
                               "committed open orders." + (note % kind),
                   params=[ref("parameters", "Symbol"),
                           qparam("depth", "Levels per side, 1 to 100 "
                                  "(default 20).", {"type": "integer",
                                                    "minimum": 1,
                                                    "maximum": 100,
                                                    "default": 20}),
                           qparam("limit", "The same as depth, under the "
                                  "name other exchanges use; depth wins "
                                  "when both are given.",
                                  {"type": "integer", "minimum": 1,
                                   "maximum": 100})],
                   ok=[(200, "The book.", envelope(sref("OrderBook")))],
                   errors={400: SYM400 + [("INVALID_REQUEST", "depth out of "
                                           "range")]})
            elif kind == "trades":
                op("GET", path, "getRecentTrades" + sfx, "public",
                   "Recent trades", "none", "none", "RL_PUBLIC",
                   description="Newest first." + (note % kind),
                   params=[ref("parameters", "Symbol"),
                           qparam("limit", "How many, 1 to 500 (default 50).",
                                  {"type": "integer", "minimum": 1,
                                   "maximum": 500, "default": 50})],
                   ok=[(200, "The trades.", envelope(
                       {"type": "array", "items": sref("PublicTrade")}))],
                   errors={400: SYM400 + [("INVALID_REQUEST", "limit out of "
                                           "range")]})
            else:
                op("GET", path, "getKlines", "public",
                   "OHLCV candles", "none", "none", "RL_PUBLIC",
                   description="Oldest first: from startTime on when given, "
                               "else the latest ones up to endTime.",
                   params=[ref("parameters", "Symbol"),
                           qparam("interval", "Candle length (default 1m).",
                                  s(enum=["1m", "5m", "15m", "1h", "4h", "1d"],
                                    default="1m")),
                           qparam("startTime", "Milliseconds since the epoch.",
                                  MS),
                           qparam("endTime", "Milliseconds since the epoch; "
                                  "not before startTime.", MS),
                           qparam("limit", "How many, 1 to 1000 (default 500).",
                                  {"type": "integer", "minimum": 1,
                                   "maximum": 1000, "default": 500})],
                   ok=[(200, "The candles.", envelope(
                       {"type": "array", "items": sref("Kline")}))],
                   errors={400: SYM400 + [("INVALID_REQUEST", "an unknown "
                                           "interval; startTime, endTime or "
                                           "limit out of range; startTime "
                                           "after endTime")]})

    # system ------------------------------------------------------------------
    op("GET", V + "/system/health", "getHealth", "system",
       "Database and memcached reachability", "none", "none", "RL_NONE",
       description="Ready when the database answers; memcached is reported "
                   "but not required.",
       ok=[(200, "Ready.", envelope(sref("Health")))],
       errors={503: [("SERVICE_UNAVAILABLE", "the database is down; details "
                      "has `database` and `memcached`")]})
    op("GET", V + "/system/deprecation-example", "deprecationExample", "system",
       "A deprecated route, kept as an example", "none", "none", "RL_PUBLIC",
       description="Deprecated on purpose, so that clients can test how they "
                   "handle a deprecated route's headers.",
       db=False, sunset="2030-01-01",
       errors={400: [("INVALID_REQUEST", "any query parameter (it takes none)")]},
       ok=[(200, "The example.", envelope(obj(OrderedDict([
           ("deprecated", {"type": "boolean"}), ("sunset", s(format="date")),
           ("message", s())]), ["deprecated", "sunset", "message"])))])
