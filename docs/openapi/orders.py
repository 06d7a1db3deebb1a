# docs/openapi/orders.py — orders (placing, listing, cancelling), OCO lists and the caller's trades
from collections import OrderedDict

from .helpers import (B32ID, FIELDS, TS, V, dec, envelope, list_envelope,
                      nullable, obj, qparam, ref, refd, s, sref)
from .operation import op
from .registry import S

SYMBOL = s("A market symbol.", pattern="^[A-Z0-9]{4,20}$", example="BTCTRY")
SIDE = s(enum=["BUY", "SELL"])
OTYPE = s("STOP_LOSS is a MARKET order and STOP_LIMIT a LIMIT order once "
          "a trade crosses stopPrice.",
          enum=["LIMIT", "MARKET", "STOP_LOSS", "STOP_LIMIT"])
OTYPE_IN = s("STOP_LOSS is a MARKET order and STOP_LIMIT a LIMIT order "
             "once a trade crosses stopPrice; OCO places a list of two "
             "orders (a LIMIT and a STOP_LOSS or STOP_LIMIT), the first "
             "to act cancelling the other.",
             enum=["LIMIT", "MARKET", "STOP_LOSS", "STOP_LIMIT", "OCO"])
STP = s("What happens when this order, as a taker, meets a resting order "
        "of the same user (Binance's selfTradePreventionMode): "
        "EXPIRE_TAKER (default) expires this order's rest, EXPIRE_MAKER "
        "the resting order, EXPIRE_BOTH both. No trade between one user's "
        "orders is ever made.",
        enum=["EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH"])
TIF = s("GTC good till cancelled, IOC immediate or cancel, FOK fill or "
        "kill.", enum=["GTC", "IOC", "FOK"])
ORDER_STATUS = s("EXPIRED: an IOC, FOK or market order's remainder, or a "
                 "triggered stop refused; EXPIRED_IN_MATCH: expired by "
                 "self-trade prevention (selfTradePrevention), as Binance "
                 "says.",
                 enum=["NEW", "PARTIALLY_FILLED", "FILLED", "CANCELED",
                       "REJECTED", "EXPIRED", "EXPIRED_IN_MATCH"])


def schemas():
    S["Fee"] = obj(OrderedDict([
        ("amount", sref("Decimal")),
        ("currency", s(example="TRY")),
    ]), ["amount", "currency"])
    S["OrderCreateRequest"] = obj(OrderedDict([
        ("symbol", SYMBOL),
        ("side", SIDE),
        ("type", OTYPE_IN),
        ("price", dec("LIMIT, STOP_LIMIT and OCO only (required; an OCO's "
                      "limit leg); at most the market's pricePrecision "
                      "decimals.", "1850000.00")),
        ("stopPrice", dec("STOP_LOSS and STOP_LIMIT only (required): a SELL "
                          "stop triggers when a trade is at or below it, a BUY "
                          "stop at or above it. OCO (required): its stop "
                          "leg's; a SELL list needs price > last price > "
                          "stopPrice, a BUY list price < last price < "
                          "stopPrice (Binance's rules; before the market's "
                          "first trade, only price against stopPrice).",
                          "1800000.00")),
        ("stopLimitPrice", dec("OCO only: the stop leg is a STOP_LIMIT at "
                               "this price (GTC); without it, a STOP_LOSS "
                               "(IOC).", "1790000.00")),
        ("quantity", dec("Base-asset quantity, at most the market's "
                         "quantityPrecision decimals; required unless a MARKET "
                         "BUY gives quoteOrderQty.", "0.01000000")),
        ("quoteOrderQty", dec("MARKET or STOP_LOSS BUY only, instead of "
                              "quantity: how much of the quote asset to spend.",
                              "1000.00")),
        ("timeInForce", dict(TIF, description="LIMIT, STOP_LIMIT: GTC "
                             "(default), IOC or FOK. MARKET, STOP_LOSS: IOC "
                             "(default) or FOK. Not for OCO: its limit leg "
                             "is GTC.")),
        ("selfTradePrevention", STP),
        ("clientOrderId", s("Your own reference, unique among your orders "
                            "(an OCO's limit leg's).",
                            pattern="^[A-Za-z0-9._:-]{1,36}$")),
    ]), ["symbol", "side", "type"], closed=True,
        example={"symbol": "BTCTRY", "side": "SELL", "type": "LIMIT",
                 "price": "1900000.00", "quantity": "0.05000000",
                 "timeInForce": "GTC"})
    S["OrderCreateRequest"]["anyOf"] = [
        {"title": "LIMIT", "required": ["type", "price", "quantity"],
         "properties": {"type": {"type": "string", "enum": ["LIMIT"]}},
         "not": {"anyOf": [{"required": ["quoteOrderQty"]},
                           {"required": ["stopPrice"]}]}},
        {"title": "OCO",
         "required": ["type", "price", "stopPrice", "quantity"],
         "properties": {"type": {"type": "string", "enum": ["OCO"]}},
         "not": {"anyOf": [{"required": ["quoteOrderQty"]},
                           {"required": ["timeInForce"]}]}},
        {"title": "STOP_LIMIT",
         "required": ["type", "stopPrice", "price", "quantity"],
         "properties": {"type": {"type": "string", "enum": ["STOP_LIMIT"]}},
         "not": {"required": ["quoteOrderQty"]}},
        {"title": "STOP_LOSS by quantity",
         "required": ["type", "stopPrice", "quantity"],
         "properties": {"type": {"type": "string", "enum": ["STOP_LOSS"]},
                        "timeInForce": {"type": "string",
                                        "enum": ["IOC", "FOK"]}},
         "not": {"anyOf": [{"required": ["price"]},
                           {"required": ["quoteOrderQty"]}]}},
        {"title": "STOP_LOSS BUY by quoteOrderQty",
         "required": ["type", "side", "stopPrice", "quoteOrderQty"],
         "properties": {"type": {"type": "string", "enum": ["STOP_LOSS"]},
                        "side": {"type": "string", "enum": ["BUY"]},
                        "timeInForce": {"type": "string",
                                        "enum": ["IOC", "FOK"]}},
         "not": {"anyOf": [{"required": ["price"]},
                           {"required": ["quantity"]}]}},
        {"title": "MARKET by quantity", "required": ["type", "quantity"],
         "properties": {"type": {"type": "string", "enum": ["MARKET"]},
                        "timeInForce": {"type": "string",
                                        "enum": ["IOC", "FOK"]}},
         "not": {"anyOf": [{"required": ["price"]},
                           {"required": ["quoteOrderQty"]},
                           {"required": ["stopPrice"]}]}},
        {"title": "MARKET BUY by quoteOrderQty",
         "required": ["type", "side", "quoteOrderQty"],
         "properties": {"type": {"type": "string", "enum": ["MARKET"]},
                        "side": {"type": "string", "enum": ["BUY"]},
                        "timeInForce": {"type": "string",
                                        "enum": ["IOC", "FOK"]}},
         "not": {"anyOf": [{"required": ["price"]},
                           {"required": ["quantity"]},
                           {"required": ["stopPrice"]}]}},
    ]
    S["OrderCreateRequest"]["x-hzm-rules"] = [
        "LIMIT: price and quantity required, no quoteOrderQty",
        "MARKET: no price; timeInForce IOC (default) or FOK, not GTC",
        "MARKET: quantity, or (BUY only) quoteOrderQty, exactly one of them",
        "STOP_LIMIT: as LIMIT, with stopPrice; STOP_LOSS: as MARKET, with "
        "stopPrice",
        "stopPrice only for STOP_LOSS, STOP_LIMIT and OCO",
        "OCO: price, stopPrice and quantity required, stopLimitPrice "
        "optional, no quoteOrderQty, no timeInForce",
        "stopLimitPrice only for OCO",
    ]
    S["Fill"] = obj(OrderedDict([
        ("tradeId", s(pattern="^trd_" + B32ID + "$")),
        ("price", sref("Decimal")),
        ("quantity", sref("Decimal")),
        ("quoteQuantity", sref("Decimal")),
        ("role", s(enum=["MAKER", "TAKER"])),
        ("fee", sref("Fee")),
        ("timestamp", TS),
    ]), ["tradeId", "price", "quantity", "quoteQuantity", "role", "fee",
         "timestamp"])
    S["Order"] = obj(OrderedDict([
        ("orderId", s(pattern="^ord_" + B32ID + "$")),
        ("clientOrderId", nullable(s())),
        ("symbol", SYMBOL),
        ("side", SIDE),
        ("type", OTYPE),
        ("timeInForce", TIF),
        ("price", nullable(refd("Decimal", "null for MARKET orders."))),
        ("quantity", nullable(refd("Decimal", "null for a MARKET BUY by "
                                   "quoteOrderQty."))),
        ("stopPrice", nullable(refd("Decimal", "null but for STOP_LOSS and "
                                    "STOP_LIMIT orders."))),
        ("selfTradePrevention", STP),
        ("isWorking", {"type": "boolean", "description": "false while a stop "
                       "order waits for its trigger (status NEW)."}),
        ("orderListId", {"type": "integer", "format": "int64", "minimum": -1,
                         "example": -1, "description": "The OCO list the "
                         "order is a leg of; -1 for an order of no list, as "
                         "Binance says."}),
        ("quoteOrderQty", refd("Decimal", "Present for a MARKET BUY by "
                               "quoteOrderQty.")),
        ("executedQuantity", sref("Decimal")),
        ("remainingQuantity", nullable(sref("Decimal"))),
        ("cumulativeQuoteQuantity", sref("Decimal")),
        ("averagePrice", nullable(refd("Decimal", "null until something is "
                                       "executed."))),
        ("fee", sref("Fee")),
        ("status", ORDER_STATUS),
        ("createdAt", TS),
        ("updatedAt", TS),
        ("fills", {"type": "array", "items": sref("Fill"), "description":
                   "In answers about one order (not in lists)."}),
        ("cancelRequested", {"type": "boolean", "enum": [True], "description":
                             "In the answer to DELETE."}),
    ]), ["orderId", "clientOrderId", "symbol", "side", "type", "timeInForce",
         "price", "quantity", "stopPrice", "selfTradePrevention", "isWorking",
         "orderListId", "executedQuantity", "remainingQuantity",
         "cumulativeQuoteQuantity", "averagePrice", "fee", "status",
         "createdAt", "updatedAt"])
    S["OrderList"] = obj(OrderedDict([
        ("orderListId", {"type": "integer", "format": "int64", "minimum": 1,
                         "example": 42}),
        ("contingencyType", s(enum=["OCO"])),
        ("listStatusType", s("EXEC_STARTED while both legs are open; "
                             "ALL_DONE once one has acted (traded, triggered "
                             "or ended) and the other is cancelled.",
                             enum=["EXEC_STARTED", "ALL_DONE"])),
        ("listOrderStatus", s("EXECUTING while both legs are open, else "
                              "ALL_DONE.", enum=["EXECUTING", "ALL_DONE"])),
        ("symbol", SYMBOL),
        ("orders", {"type": "array", "items": sref("Order"), "minItems": 2,
                    "maxItems": 2, "description": "The limit leg, then the "
                    "stop leg, each with its fills."}),
    ]), ["orderListId", "contingencyType", "listStatusType", "listOrderStatus",
         "symbol", "orders"],
        desc="An OCO list: two orders of one user, one market and one side; "
             "the first to act (a fill, even partial, of the limit leg; the "
             "stop leg's trigger; either leg ending) cancels the other in the "
             "same matcher batch. The list locks once, the larger leg's need.")
    S["Trade"] = obj(OrderedDict([
        ("tradeId", s(pattern="^trd_" + B32ID + "$")),
        ("orderId", s(pattern="^ord_" + B32ID + "$")),
        ("symbol", SYMBOL),
        ("side", dict(SIDE, description="The caller's side.")),
        ("price", sref("Decimal")),
        ("quantity", sref("Decimal")),
        ("quoteQuantity", sref("Decimal")),
        ("fee", sref("Fee")),
        ("role", s(enum=["MAKER", "TAKER"])),
        ("timestamp", TS),
    ]), ["tradeId", "orderId", "symbol", "side", "price", "quantity",
         "quoteQuantity", "fee", "role", "timestamp"],
        desc="The caller's side of a trade; a trade between two of the "
             "caller's own orders appears twice, once per role.")


def paths():
    op("POST", V + "/orders", "createOrder", "orders", "Place an order",
       "user", "trade", "RL_TRADE_POST",
       description="Checks KYC (LEVEL_2), the market and its precisions and "
                   "minimums, and hands the order to the matcher, which "
                   "locks the funds, stores the order and matches it in one "
                   "transaction. The answer is the order as committed: "
                   "MARKET, IOC and FOK orders in their final state, a GTC "
                   "order with what immediate matching made of it. Should "
                   "the matcher not answer within 5 s, the order is placed "
                   "all the same and answered as stored (NEW until the "
                   "matcher takes it).\n\n"
                   "The answer is always what was committed: 201 with the "
                   "order, or an error for an order that does not exist. A "
                   "503 SYSTEM_002 (with Retry-After) means the order was "
                   "not placed and may be sent again, unless its details "
                   "name an `orderId`: then it may have been placed (or "
                   "was, but cannot be read now), and GET "
                   "/orders/{orderId} tells before it is sent again.\n\n"
                   "**Price band.** A market may have one (10 % in the "
                   "sandbox): a LIMIT order priced further than that from "
                   "the market's reference price is refused (TRADE_003 with "
                   "`minPrice` and `maxPrice`), and a MARKET order fills "
                   "only at prices within it; what it cannot fill there "
                   "expires (EXPIRED, the rest of its lock released). The "
                   "reference is the last trade price if the market traded "
                   "within the last hour, else the middle of the best bid "
                   "and ask, else the best quote on the other side, else "
                   "the last trade price however old; a market with none "
                   "of these has no band. The matcher applies it, with the "
                   "book as it is when the order arrives.\n\n"
                   "**OCO.** `type` OCO places a list: a GTC LIMIT leg at "
                   "`price` and a stop leg at `stopPrice` (STOP_LIMIT at "
                   "`stopLimitPrice`, else STOP_LOSS), both for `quantity`, "
                   "in one transaction, with one lock (the larger leg's "
                   "need). The answer is the list (OrderList): "
                   "`orderListId`, `listStatusType` and both orders. A "
                   "limit leg the matcher refuses (its price band) ends "
                   "the list: 201 with that leg REJECTED, the stop leg "
                   "CANCELED and nothing locked.",
       body=sref("OrderCreateRequest"),
       ok=[(201, "Placed: the order, or for OCO the list.",
            envelope({"oneOf": [sref("Order"), sref("OrderList")]}))],
       errors={
           400: [("INVALID_REQUEST", FIELDS + "; price on a MARKET order or "
                  "missing on a LIMIT one; quantity and quoteOrderQty "
                  "together or neither; a quantity with too many decimals, "
                  "not positive or too large; GTC on a MARKET order"),
                 ("TRADE_003", "price with too many decimals, not positive "
                  "or out of range; an OCO's prices against each other or "
                  "the last price (field `price` or `stopPrice`); or outside the market's price band "
                  "(details `minPrice`, `maxPrice`; when the order went "
                  "through the inbox, also `orderId` and `status` "
                  "REJECTED: it is stored, refused, nothing locked)"),
                 ("TRADE_002", "below the market's minimum (details "
                  "`minQuantity` or `minNotional`); for a MARKET order, at "
                  "the prices it would execute at: by quantity, what it "
                  "would fetch or cost against minNotional; by "
                  "quoteOrderQty, what it would buy against minQuantity "
                  "(through the inbox, also `orderId` and `status` "
                  "REJECTED)"),
                 ("TRADE_005", "no such market (field `symbol`)"),
                 ("TRADE_004", "Market closed (Appendix A): the market "
                  "is not ACTIVE (details `status`)"),
                 ("INSUFFICIENT_BALANCE", "not enough available (details "
                  "`required`, `available`, `currency`)")],
           403: [("KYC_REQUIRED", "trading needs KYC LEVEL_2"),
                 ("KYC_002", "the KYC application is under review"),
                 ("KYC_003", "the last KYC application was rejected")],
           409: [("CONFLICT", "clientOrderId already used for another "
                  "order")],
           503: [("SYSTEM_002", "the order was not placed (the database "
                  "stalled or failed): send it again; with details "
                  "`orderId`, look that order up first")]})
    op("GET", V + "/orders", "listOrders", "orders", "The caller's orders",
       "user", "read", "RL_TRADE_GET",
       description="Newest first unless sorted. Unknown or repeated query "
                   "parameters are refused.",
       params=[ref("parameters", "Page"), ref("parameters", "PageSize"),
               qparam("sort", "Up to 3 comma-separated fields of createdAt, "
                      "updatedAt, price, quantity, executedQuantity, symbol, "
                      "status, side, type, each with + (ascending, the "
                      "default) or -; default -createdAt.",
                      s(example="-createdAt,+price")),
               qparam("filter_status", "Comma-separated statuses; OPEN "
                      "stands for NEW and PARTIALLY_FILLED.",
                      s(pattern="^(NEW|PARTIALLY_FILLED|FILLED|CANCELED|"
                          "REJECTED|EXPIRED|EXPIRED_IN_MATCH|OPEN)"
                          "(,(NEW|PARTIALLY_FILLED|FILLED|CANCELED|REJECTED|"
                          "EXPIRED|EXPIRED_IN_MATCH|OPEN))*$",
                        example="OPEN")),
               qparam("filter_symbol", "Only this market.", SYMBOL),
               qparam("filter_side", "Only this side.", SIDE),
               qparam("filter_type", "Only this type.", OTYPE)],
       ok=[(200, "A page of orders (without fills).",
            list_envelope(sref("Order")))],
       errors={400: [("INVALID_REQUEST", "an unknown or repeated query "
                      "parameter; page, pageSize, a filter or sort out of "
                      "range")]})
    op("GET", V + "/orders/{orderId}", "getOrder", "orders",
       "One of the caller's orders, with its fills", "user", "read",
       "RL_TRADE_GET", params=[ref("parameters", "OrderId")],
       ok=[(200, "The order.", envelope(sref("Order")))],
       errors={404: [("ORDER_NOT_FOUND", "no such order of the "
                      "caller's")]})
    op("DELETE", V + "/orders/{orderId}", "cancelOrder", "orders",
       "Cancel an order", "user", "trade", "RL_TRADE_POST",
       description="The matcher cancels; the answer waits up to 3 s for it. "
                   "202 when it has not yet: the order is still NEW or "
                   "PARTIALLY_FILLED with cancelRequested, and its final "
                   "state shows in GET /orders/{orderId}.",
       params=[ref("parameters", "OrderId")],
       ok=[(200, "Cancelled (or done in the meantime).",
            envelope(sref("Order"))),
           (202, "Cancel requested; the matcher has not answered yet.",
            envelope(sref("Order")))],
       errors={400: [("TRADE_006", "no such order of the caller's"),
                     ("TRADE_007", "the order is no longer open, or filled "
                      "before it could be cancelled (details "
                      "`status`)")]})
    op("GET", V + "/order-lists/{orderListId}", "getOrderList", "orders",
       "One of the caller's OCO lists, with both orders", "user", "read",
       "RL_TRADE_GET", params=[ref("parameters", "OrderListId")],
       ok=[(200, "The list.", envelope(sref("OrderList")))],
       errors={404: [("ORDER_NOT_FOUND", "no such list of the "
                      "caller's")]})
    op("DELETE", V + "/order-lists/{orderListId}", "cancelOrderList",
       "orders", "Cancel an OCO list", "user", "trade", "RL_TRADE_POST",
       description="Cancels the list's open leg; the matcher cancels the "
                   "other with it and releases the list's lock once, as a "
                   "DELETE of either leg does. The answer waits up to 3 s "
                   "for it; 202 when it has not yet.",
       params=[ref("parameters", "OrderListId")],
       ok=[(200, "Cancelled (or done in the meantime).",
            envelope(sref("OrderList"))),
           (202, "Cancel requested; the matcher has not answered yet.",
            envelope(sref("OrderList")))],
       errors={400: [("TRADE_006", "no such list of the caller's"),
                     ("TRADE_007", "the list is done: no leg is open "
                      "(details `status` ALL_DONE)")]})
    op("GET", V + "/trades", "listTrades", "orders",
       "The caller's trades", "user", "read", "RL_TRADE_GET",
       params=[ref("parameters", "Page"), ref("parameters", "PageSize"),
               qparam("sort", "-timestamp (default, newest first), "
                      "+timestamp (or createdAt), or by price or quantity, "
                      "each + or -.", s(enum=[
                          "-timestamp", "+timestamp", "timestamp",
                          "-createdAt", "+createdAt", "createdAt",
                          "-price", "+price", "price",
                          "-quantity", "+quantity", "quantity"])),
               qparam("filter_symbol", "Only this market.", SYMBOL),
               qparam("filter_orderId", "Only this order's trades.",
                      s(pattern="^ord_.{20}$")),
               qparam("filter_role", "Only as maker or taker.",
                      s(enum=["MAKER", "TAKER"])),
               qparam("filter_side", "Only where the caller bought, or "
                      "sold.", s(enum=["BUY", "SELL"]))],
       ok=[(200, "A page of trades.", list_envelope(sref("Trade")))],
       errors={400: [("INVALID_REQUEST", "an unknown or repeated query "
                      "parameter; page, pageSize, a filter or sort out of "
                      "range")]})
