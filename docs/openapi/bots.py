# docs/openapi/bots.py — trading bots (seed 001): configurations, state, trades, performance, backtests
from collections import OrderedDict

from .helpers import (B32ID, FIELDS, TS, V, dec, envelope, list_envelope,
                      nullable, obj, pparam, qparam, ref, refd, s, sref)
from .operation import op
from .orders import SIDE
from .registry import P, S


# Error tables joined: the lists of one status are put together.
def errs_join(*ds):
    out = OrderedDict()
    for d in ds:
        for k, v in d.items():
            out.setdefault(k, []).extend(v)
    return out


def add():
    """Its parameter and schemas, then its operations."""
    P["BotTradeId"] = pparam("tradeId", "One trade of that bot; another bot's, "
                             "an unknown or a malformed id is 404.",
                             s(pattern="^btr_" + B32ID + "$"))
    P["BotId"] = pparam("botId", "One of the caller's bots; another user's, a "
                        "deleted or a malformed id is 404.",
                        s(pattern="^bot_" + B32ID + "$"))
    BOT_DEC = "A decimal string at the market's scale (8 where hzm lists no market)."
    BOT_STRATEGY = s("simple {buyBelow (default 100), sellAbove (optional)}; ema (emaPeriod); rsi "
                     "{rsiPeriod, oversold, overbought}; grid {lower, upper, "
                     "levels}; dca {safetyOrderSize, maxSafetyOrders, "
                     "priceDeviation, volumeScale, takeProfit}.",
                     enum=["simple", "ema", "rsi", "grid", "dca"])
    BOT_CONF = OrderedDict([
        ("name", s(minLength=1, maxLength=64)),
        ("symbol", refd("BotSymbol", "The bot's market: on HZM one of hzm's "
                        "markets (else TRADE_005); on BINANCE its name there "
                        "unless venueSymbol says otherwise.")),
        ("venue", s("HZM (default): the exchange itself; BINANCE: with the "
                    "user's saved Binance key (paper bots need none).",
                    enum=["HZM", "BINANCE"])),
        ("exchange", s("DESIGN's and seed 001's name for venue: INTERNAL "
                       "(venue HZM) or BINANCE. A request gives venue or "
                       "exchange, not both; answers carry both.",
                       enum=["INTERNAL", "BINANCE"])),
        ("apiKeyId", nullable(s("BINANCE only (seed 001 §33's api_key_id): "
                                "the caller's saved Binance key (GET "
                                "/api/v1/api-keys/me), else 400. hzm keeps one "
                                "key a user and a BINANCE bot trades with it: "
                                "answers name that key, null when there is "
                                "none or on HZM.",
                                pattern="^bnk_" + B32ID + "$"))),
        ("venueSymbol", nullable(s("BINANCE only: the pair Binance trades for "
                                   "this bot (BTCTRY traded as BTCUSDT); null: "
                                   "the symbol itself.",
                                   pattern="^[A-Z0-9]{4,20}$"))),
        ("strategy", BOT_STRATEGY),
        ("emaPeriod", nullable({"type": "integer", "minimum": 2, "maximum": 500,
                                "description": "ema only: its period; without "
                                "one the bot runs with 20, and answers 20. "
                                "null for the other strategies."})),
        ("strategyParams", {"type": "object", "description": "The strategy's "
                            "parameters (decimal strings and integers)."}),
        ("orderSize", dec(BOT_DEC + " Base quantity per order.", "0.001")),
        ("paperMode", {"type": "boolean", "description": "Fill at the last "
                       "price without a fee; nothing is sent anywhere."}),
        ("stopLossPercent", nullable(dec("Below 100, at most 4 decimals.", "5"))),
        ("takeProfitPercent", nullable(dec("At most 4 decimals.", "2.5"))),
        ("dailyProfitTarget", nullable(dec("In the quote asset: reached, the "
                                           "bot stops for the UTC day."))),
        ("dailyLossLimit", nullable(dec("In the quote asset: today's realized "
                                        "PnL at minus this stops the bot for "
                                        "the UTC day."))),
    ])
    S["BotSymbol"] = s(pattern="^[A-Z0-9]{4,20}$", example="BTCTRY")
    S["BotConfigRequest"] = obj(BOT_CONF, ["name", "symbol", "orderSize"],
                                closed=True)
    S["BotUpdateRequest"] = obj(BOT_CONF, closed=True,
                                desc="Only what changes; another strategy drops "
                                     "the old one's parameters.")
    S["BotState"] = obj(OrderedDict([
        ("botId", s(pattern="^bot_" + B32ID + "$")),
        ("status", s(enum=["RUNNING", "STOPPED", "ERROR"])),
        ("statusReason", nullable(s("Why it stopped or the last failure: a "
                                    "daily limit, ERROR's cause (no valid "
                                    "Binance key, the venue failing "
                                    "bot_max_failures times, a refused key), "
                                    "a wait Binance asked for."))),
        ("position", sref("Decimal")),
        ("averageEntryPrice", nullable(sref("Decimal"))),
        ("lastPrice", nullable(sref("Decimal"))),
        ("lastRunAt", nullable(TS)),
        ("todayPnl", sref("Decimal")),
        ("pnlCurrency", nullable(s("The quote asset of the bot's market, or on "
                                   "BINANCE of its pair (BTCUSDT: USDT).",
                                   example="TRY"))),
        ("haltedDay", nullable(s(format="date"))),
    ]), ["botId", "status", "position", "todayPnl"])
    bot_props = OrderedDict([("botId", s(pattern="^bot_" + B32ID + "$"))])
    bot_props.update(BOT_CONF)
    bot_props.update([("state", sref("BotState")), ("createdAt", TS),
                      ("updatedAt", TS)])
    S["Bot"] = obj(bot_props, ["botId", "name", "symbol", "venue", "strategy",
                               "orderSize", "paperMode", "state", "createdAt"])
    S["BotTrade"] = obj(OrderedDict([
        ("tradeId", s(pattern="^btr_" + B32ID + "$")),
        ("botId", s()), ("symbol", s()), ("side", SIDE),
        ("price", sref("Decimal")), ("quantity", sref("Decimal")),
        ("quoteQuantity", sref("Decimal")), ("fee", sref("Fee")),
        ("realizedPnl", dec("FIFO against the oldest lots; sells only.",
                            pattern="^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$")),
        ("reason", s(enum=["SIGNAL", "STOP_LOSS", "TAKE_PROFIT"])),
        ("paperMode", {"type": "boolean"}), ("venue", s()),
        ("orderId", nullable(s("The venue's order (ord_... on hzm, Binance's "
                               "orderId)."))),
        ("clientOrderId", nullable(s("bot-<id>-<cycle>"))),
        ("createdAt", TS),
    ]), ["tradeId", "side", "price", "quantity", "realizedPnl", "reason"])
    PERF = OrderedDict([
        ("totalTrades", {"type": "integer"}), ("buyCount", {"type": "integer"}),
        ("sellCount", {"type": "integer"}), ("realizedPnl", s()),
        ("totalRealizedPnl", s("realizedPnl, under seed 001 §37's name.")),
        ("unrealizedPnl", nullable(s())), ("totalPnl", s()),
        ("winRate", nullable(s())), ("maxDrawdown", s()),
        ("lastTradeAt", nullable(TS)),
    ])
    S["BotPerformance"] = obj(PERF, ["totalTrades", "realizedPnl"])
    S["BotSummary"] = obj(OrderedDict([
        ("botCount", {"type": "integer"}),
        ("bots", {"type": "array", "items": {"type": "object"},
                  "description": "Each bot with its counts, realizedPnl and "
                                 "pnlCurrency."}),
        ("totalRealizedPnl", nullable(s("Every bot's realized PnL added up, "
                                        "as performance's totalRealizedPnl, "
                                        "where one quote asset (pnlCurrency) "
                                        "serves them all; null when they are "
                                        "in several (see "
                                        "totalRealizedPnlByCurrency) or there "
                                        "are none."))),
        ("pnlCurrency", nullable(s(example="TRY"))),
        ("totalRealizedPnlByCurrency", {
            "type": "object", "additionalProperties": s(),
            "description": "Per quote asset: an hzm market's, or on BINANCE "
                           "the asset the pair ends in (BTCUSDT: USDT).",
            "example": {"TRY": "1610.00", "USDT": "1.00000000"}}),
    ]), ["bots", "totalRealizedPnl", "totalRealizedPnlByCurrency"])
    S["BotBacktestRequest"] = obj(OrderedDict(list(BOT_CONF.items()) + [
        ("interval", s(enum=["1m"])), ("startTime", {"type": "integer"}),
        ("endTime", {"type": "integer"}),
        ("limit", {"type": "integer", "minimum": 1, "maximum": 1500})]),
        ["symbol", "orderSize"], desc="A configuration (HZM only) and the "
        "candles to run it over.")
    S["BotBacktest"] = obj(OrderedDict(list(PERF.items()) + [
        ("finalPosition", s()), ("candles", {"type": "integer"}),
        ("trades", {"type": "array", "items": {"type": "object"}})]))
    S["BotStateRequest"] = obj({"status": s(enum=["RUNNING", "STOPPED"])},
                               ["status"], closed=True)
    BOT404 = {404: [("NOT_FOUND", "no such bot of the caller")]}
    BOT_DAILY409 = {409: [("CONFLICT", "today's realized PnL is past the "
                           "bot's daily profit target or loss limit")]}

    BOT_CONF_ERRS = {400: [("INVALID_REQUEST", FIELDS + " (details `field`, "
                            "e.g. strategyParams.sellAbove); venueSymbol on "
                            "HZM; exchange with venue; apiKeyId on HZM or not "
                            "the caller's saved Binance key"), ("TRADE_005", "no such hzm market (field "
                                     "`symbol`)")]}
    op("GET", V + "/bots", "listBots", "bots", "The caller's bots", "user",
       "read", "RL_TRADE_GET",
       ok=[(200, "Every bot, oldest first.", envelope({"type": "array",
                                                       "items": sref("Bot")}))])
    op("POST", V + "/bots", "createBot", "bots", "Create a bot (STOPPED)",
       "user", "trade", "RL_TRADE_POST", body=sref("BotConfigRequest"),
       ok=[(201, "The bot.", envelope(sref("Bot")))],
       errors=errs_join(BOT_CONF_ERRS, {400: [("LIMIT_EXCEEDED", "bots_max_per_user "
                                            "(50) bots already")]}))
    op("GET", V + "/bots/summary", "botSummary", "bots",
       "Every bot's figures and the realized PnL per quote asset", "user",
       "read", "RL_TRADE_GET", ok=[(200, "The summary.",
                                    envelope(sref("BotSummary")))])
    op("POST", V + "/bots/backtest", "backtestBot", "bots",
       "Run a configuration over hzm's candles", "user", "read",
       "RL_TRADE_POST", body=sref("BotBacktestRequest"),
       description="Each close is a cycle, filled as paper mode fills; nothing "
                   "is placed.",
       ok=[(200, "The figures, final position and trades.",
            envelope(sref("BotBacktest")))],
       errors=BOT_CONF_ERRS)
    op("GET", V + "/bots/{botId}", "getBot", "bots", "One bot", "user", "read",
       "RL_TRADE_GET", params=[ref("parameters", "BotId")],
       ok=[(200, "The bot.", envelope(sref("Bot")))], errors=BOT404)
    op("PUT", V + "/bots/{botId}", "updateBot", "bots", "Change a bot",
       "user", "trade", "RL_TRADE_POST", params=[ref("parameters", "BotId")],
       body=sref("BotUpdateRequest"),
       ok=[(200, "The bot.", envelope(sref("Bot")))],
       errors=errs_join(BOT_CONF_ERRS, BOT404,
                     {409: [("CONFLICT", "the symbol, venue, venueSymbol or "
                             "paper mode changes while a position is open")]}))
    op("DELETE", V + "/bots/{botId}", "deleteBot", "bots", "Delete a bot",
       "user", "trade", "RL_TRADE_POST", params=[ref("parameters", "BotId")],
       ok=[(200, "Deleted (stopped; its trades stay).",
            envelope(obj({"botId": s(), "deleted": {"type": "boolean"}})))],
       errors=BOT404)
    op("GET", V + "/bots/{botId}/state", "getBotState", "bots",
       "A bot's state", "user", "read", "RL_TRADE_GET",
       params=[ref("parameters", "BotId")],
       ok=[(200, "The state.", envelope(sref("BotState")))], errors=BOT404)
    op("PUT", V + "/bots/{botId}/state", "setBotState", "bots",
       "Start or stop a bot", "user", "trade", "RL_TRADE_POST",
       params=[ref("parameters", "BotId")], body=sref("BotStateRequest"),
       ok=[(200, "The bot.", envelope(sref("Bot")))],
       errors=errs_join(BOT404, BOT_DAILY409,
                        {400: [("INVALID_REQUEST", "status is not RUNNING "
                                "or STOPPED")],
                         403: [("KYC_REQUIRED", "a live HZM bot needs KYC "
                                "LEVEL_2")]}))
    op("POST", V + "/bots/{botId}/start", "startBot", "bots", "Start a bot",
       "user", "trade", "RL_TRADE_POST", params=[ref("parameters", "BotId")],
       body_required=False,
       description="RUNNING; failures are cleared. A bot whose realized PnL "
                   "today is at its dailyProfitTarget or at minus its "
                   "dailyLossLimit does not start that UTC day (409): it "
                   "starts again by itself on the next, or now once the limit "
                   "is raised or removed. A live BINANCE bot without a valid "
                   "Binance key stops with ERROR at the worker's next run, "
                   "saying so.",
       ok=[(200, "The bot.", envelope(sref("Bot")))],
       errors=errs_join(BOT404, BOT_DAILY409,
                        {403: [("KYC_REQUIRED", "a live HZM bot needs KYC "
                                "LEVEL_2")]}))
    op("POST", V + "/bots/{botId}/stop", "stopBot", "bots", "Stop a bot",
       "user", "trade", "RL_TRADE_POST", params=[ref("parameters", "BotId")],
       body_required=False,
       ok=[(200, "The bot.", envelope(sref("Bot")))], errors=BOT404)
    op("GET", V + "/bots/{botId}/performance", "botPerformance", "bots",
       "A bot's figures", "user", "read", "RL_TRADE_GET",
       params=[ref("parameters", "BotId")],
       ok=[(200, "Counts, realized and unrealized PnL, win rate, drawdown.",
            envelope(sref("BotPerformance")))], errors=BOT404)
    op("GET", V + "/bots/{botId}/trades", "botTrades", "bots", "A bot's trades",
       "user", "read", "RL_TRADE_GET",
       params=[ref("parameters", "BotId"), ref("parameters", "Page"),
               ref("parameters", "PageSize"),
               qparam("sort", "+createdAt or -createdAt (default).",
                      s(enum=["+createdAt", "-createdAt", "createdAt"])),
               qparam("filter_side", "Only this side.", SIDE),
               qparam("filter_reason", "Only this reason.",
                      s(enum=["SIGNAL", "STOP_LOSS", "TAKE_PROFIT"]))],
       ok=[(200, "A page of trades.", list_envelope(sref("BotTrade")))],
       errors=errs_join(BOT404, {400: [("INVALID_REQUEST", "an unknown or repeated "
                                     "query parameter; out of range")]}))
    op("GET", V + "/bots/{botId}/trades/{tradeId}", "botTrade", "bots",
       "One trade of a bot", "user", "read", "RL_TRADE_GET",
       params=[ref("parameters", "BotId"), ref("parameters", "BotTradeId")],
       ok=[(200, "The trade, as the list shows it.", envelope(sref("BotTrade")))],
       errors={404: [("NOT_FOUND", "no such bot of the caller, or no such "
                      "trade of that bot")]})
