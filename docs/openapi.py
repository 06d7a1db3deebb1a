#!/usr/bin/env python3
# docs/openapi.py — the source of docs/openapi.json: edit here, then `make docs`
# (tests/api/95_docs.t checks the document against the route tables).
import json
import sys
from collections import OrderedDict

DEC_RE = "^(0|[1-9][0-9]*)(\\.[0-9]+)?$"
DEC2_RE = "^(0|[1-9][0-9]*)(\\.[0-9]{1,2})?$"
TOKEN_RE = "^[A-Za-z0-9._:-]{1,64}$"
IDEM_KEY_RE = "^[A-Za-z0-9._~:-]{1,64}$"
B32ID = "[a-z2-7]{20}"

def ref(kind, name):
    return {"$ref": "#/components/%s/%s" % (kind, name)}

def sref(name):
    return ref("schemas", name)

def dec(desc, example=None, pattern=DEC_RE):
    d = {"type": "string", "pattern": pattern, "description": desc}
    if example is not None:
        d["example"] = example
    return d

def s(desc=None, **kw):
    d = {"type": "string"}
    if desc:
        d["description"] = desc
    d.update(kw)
    return d

def nullable(x):
    # "nullable" needs "type" beside it in 3.0.3, so a $ref (or an allOf
    # of one) is replaced by a copy of the schema it names.
    import copy
    if "$ref" in x or ("allOf" in x and len(x["allOf"]) == 1 and
                       "$ref" in x["allOf"][0]):
        r = x["$ref"] if "$ref" in x else x["allOf"][0]["$ref"]
        y = copy.deepcopy(S[r.rsplit("/", 1)[1]])
        assert "type" in y, r
        y.update({k: v for k, v in x.items() if k not in ("$ref", "allOf")})
        x = y
    else:
        x = dict(x)
    assert "type" in x
    x["nullable"] = True
    if "enum" in x and None not in x["enum"]:
        x["enum"] = x["enum"] + [None]
    return x

def refd(name, desc):
    return {"allOf": [sref(name)], "description": desc}

def obj(props, required=None, desc=None, closed=False, example=None):
    d = {"type": "object"}
    if desc:
        d["description"] = desc
    if required:
        d["required"] = required
    d["properties"] = props
    if closed:
        d["additionalProperties"] = False
    if example is not None:
        d["example"] = example
    return d

TS = sref("Timestamp")
TS_STR = s("UTC, ISO 8601 with milliseconds.", format="date-time")

# ---- rate-limit classes (core/ratelimit.c) --------------------------------
RL = {
    "RL_NONE": ("none", 0, 0, "ip"),
    "RL_PUBLIC": ("public", 100, 60, "ip"),
    "RL_AUTH_REGISTER": ("register", 10, 3600, "ip"),
    "RL_AUTH_VERIFY": ("verify", 10, 3600, "ip"),
    "RL_AUTH_LOGIN": ("login", 20, 3600, "ip"),
    "RL_AUTH_REFRESH": ("refresh", 100, 3600, "ip"),
    "RL_AUTH_LOGOUT": ("logout", 100, 3600, "user"),
    "RL_AUTH_RESET": ("reset", 5, 3600, "ip"),
    "RL_AUTH_2FA": ("2fa", 20, 3600, "user"),
    "RL_PROFILE_GET": ("profile_get", 200, 60, "user"),
    "RL_PROFILE_PUT": ("profile_put", 50, 60, "user"),
    "RL_KYC_SUBMIT": ("kyc_submit", 10, 86400, "user"),
    "RL_KYC_STATUS": ("kyc_status", 200, 60, "user"),
    "RL_TRADE_POST": ("trade_post", 50, 60, "user"),
    "RL_TRADE_GET": ("trade_get", 200, 60, "user"),
    "RL_WALLET": ("wallet", 30, 60, "user"),
    "RL_WALLET_GET": ("wallet_get", 200, 60, "user"),
    "RL_WALLET_ADDRESS": ("wallet_address", 100, 60, "user"),
    "RL_ADMIN_LOGIN": ("admin_login", 20, 3600, "ip"),
    "RL_ADMIN_READ": ("admin_read", 1000, 60, "user"),
    "RL_ADMIN_WRITE": ("admin_write", 500, 60, "user"),
    "RL_ADMIN_REPORT": ("admin_report", 100, 60, "user"),
}

def window_text(sec):
    return {60: "minute", 3600: "hour", 86400: "day"}[sec]

# ---- error codes (core/err.c) ----------------------------------------------
ERRS = [
    ("INVALID_REQUEST", 400, "Invalid request parameters"),
    ("UNAUTHORIZED", 401, "Authentication required"),
    ("FORBIDDEN", 403, "Insufficient permissions"),
    ("NOT_FOUND", 404, "Resource not found"),
    ("INSUFFICIENT_BALANCE", 400, "Insufficient balance for this order"),
    ("ORDER_NOT_FOUND", 404, "Order does not exist"),
    ("MARKET_CLOSED", 400, "Market is not active"),
    ("RATE_LIMIT_EXCEEDED", 429, "Too many requests"),
    ("KYC_REQUIRED", 403, "KYC verification needed"),
    ("LIMIT_EXCEEDED", 400, "Transaction limit exceeded"),
    ("INTERNAL_ERROR", 500, "Internal server error"),
    ("SERVICE_UNAVAILABLE", 503, "Service temporarily unavailable"),
    ("METHOD_NOT_ALLOWED", 405, "Method not allowed for this resource"),
    ("PAYLOAD_TOO_LARGE", 413, "Request body too large"),
    ("URI_TOO_LONG", 414, "Request URI too long"),
    ("HEADER_TOO_LARGE", 431, "Request headers too large"),
    ("UNSUPPORTED_MEDIA_TYPE", 415, "Request body must be application/json"),
    ("CONFLICT", 409, "Request conflicts with the current state"),
    ("UNPROCESSABLE_ENTITY", 422, "Request cannot be processed"),
    ("NOT_ACCEPTABLE", 406, "No acceptable representation"),
    ("REQUEST_TIMEOUT", 408, "Request timeout"),
    ("GONE", 410, "Resource no longer exists"),
    ("LENGTH_REQUIRED", 411, "Content-Length required"),
    ("PRECONDITION_FAILED", 412, "Precondition failed"),
    ("RANGE_NOT_SATISFIABLE", 416, "Requested range not satisfiable"),
    ("EXPECTATION_FAILED", 417, "Only the 100-continue expectation is supported"),
    ("MISDIRECTED_REQUEST", 421, "Request sent to the wrong server"),
    ("UPGRADE_REQUIRED", 426, "Protocol upgrade required"),
    ("NOT_IMPLEMENTED", 501, "Method not implemented"),
    ("BAD_GATEWAY", 502, "Upstream service failed"),
    ("GATEWAY_TIMEOUT", 504, "Upstream service timed out"),
    ("HTTP_VERSION_NOT_SUPPORTED", 505, "HTTP version not supported"),
    ("AUTH_001", 401, "Invalid credentials"),
    ("AUTH_002", 401, "Token expired"),
    ("AUTH_003", 401, "Invalid token"),
    ("AUTH_004", 401, "Invalid 2FA code"),
    ("KYC_001", 403, "KYC not completed"),
    ("KYC_002", 403, "KYC pending review"),
    ("KYC_003", 403, "KYC rejected"),
    ("KYC_004", 400, "Invalid document format"),
    ("TRADE_001", 400, "Insufficient balance"),
    ("TRADE_002", 400, "Order below minimum"),
    ("TRADE_003", 400, "Invalid price"),
    ("TRADE_004", 400, "Market closed"),
    ("TRADE_005", 400, "Invalid symbol"),
    ("TRADE_006", 400, "Order not found"),
    ("TRADE_007", 400, "Cannot cancel filled order"),
    ("WALLET_001", 400, "Invalid address"),
    ("WALLET_002", 400, "Withdrawal limit exceeded"),
    ("WALLET_003", 400, "Minimum withdrawal not met"),
    ("WALLET_004", 403, "Withdrawal requires approval"),
    ("WALLET_005", 400, "Insufficient confirmations"),
    ("WALLET_006", 400, "Blacklisted address"),
    ("COMPLIANCE_001", 403, "Suspicious activity detected"),
    ("COMPLIANCE_002", 403, "Velocity limit exceeded"),
    ("COMPLIANCE_003", 403, "Account suspended"),
    ("SYSTEM_001", 500, "Database error"),
    ("SYSTEM_002", 503, "Service unavailable"),
    ("SYSTEM_003", 503, "Blockchain node error"),
]
STATUS_OF = {c: st for c, st, _ in ERRS}

REASON = {200: "OK", 201: "Created", 202: "Accepted", 400: "Bad Request",
          401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
          405: "Method Not Allowed", 409: "Conflict", 411: "Length Required",
          413: "Payload Too Large", 414: "URI Too Long", 431: "Request Header Fields Too Large",
          415: "Unsupported Media Type", 422: "Unprocessable Content",
          429: "Too Many Requests", 500: "Internal Server Error",
          503: "Service Unavailable"}

# ---- schemas -----------------------------------------------------------------
S = OrderedDict()

S["Decimal"] = dec("A decimal number as a string, never a JSON number: "
                   "digits, at most one '.', no sign, no exponent, no "
                   "leading zeros. The number of decimals allowed depends "
                   "on the asset or market (Appendix E).", "0.01000000")
S["Timestamp"] = s("UTC time, ISO 8601 with milliseconds.",
                   format="date-time", example="2025-11-19T10:30:00.123Z")
S["KycLevel"] = s("KYC level (Appendix C): LEVEL_0 none, LEVEL_1 basic "
                  "(e-mail and phone verified), LEVEL_2 full (ID, address "
                  "and selfie; needed to trade and withdraw), LEVEL_3 "
                  "enhanced (a video call; higher limits).",
                  enum=["LEVEL_0", "LEVEL_1", "LEVEL_2", "LEVEL_3"])
S["Role"] = s(enum=["USER", "ADMIN", "COMPLIANCE"])
S["UserStatus"] = s("§11.1: PENDING_VERIFICATION until the e-mail is "
                    "verified; EMAIL_VERIFIED (may log in); ACTIVE once the "
                    "phone is verified too (LEVEL_1) or a KYC level is "
                    "granted; SUSPENDED and BLOCKED by staff.",
                    enum=["PENDING_VERIFICATION", "EMAIL_VERIFIED", "ACTIVE",
                          "SUSPENDED", "BLOCKED"])
S["Verification"] = s(enum=["EMAIL", "PHONE"])
S["UserId"] = s("A user's public id.", pattern="^usr_" + B32ID + "$",
                example="usr_k3j5m2n7p4q6r2s5t7v3")
S["Email"] = s("An e-mail address (ASCII; stored lower-cased).",
               format="email", minLength=3, maxLength=254,
               example="user@example.com")
S["TwoFactorCode"] = s("A 6-digit TOTP code (RFC 6238); each code is "
                       "accepted once.", pattern="^[0-9]{6}$",
                       example="123456")

S["ErrorCode"] = {
    "type": "string",
    "description": "Every error code the API answers with (spec §2.4 and "
                   "Appendix A, plus the HTTP-level codes). "
                   "`x-hzm-http-status` gives the HTTP status of each. "
                   "NOT_ACCEPTABLE to HTTP_VERSION_NOT_SUPPORTED are the "
                   "web server's own refusals (a request it would not "
                   "hand to a handler), in the same envelope.",
    "enum": [c for c, _, _ in ERRS],
    "x-hzm-http-status": OrderedDict((c, st) for c, st, _ in ERRS),
    "x-hzm-message": OrderedDict((c, m) for c, _, m in ERRS),
}
S["ErrorDetails"] = {
    "type": "object",
    "description": "What went wrong, when there is more to say. Field "
                   "errors carry `field` (a body field, a query parameter, "
                   "or a dotted path such as `documents.selfie.data`) and "
                   "`reason`; other errors carry their own keys (for "
                   "INSUFFICIENT_BALANCE `required`, `available`, "
                   "`currency`).",
    "properties": {
        "field": s("The offending field or parameter."),
        "reason": s("Why it was refused."),
    },
    "additionalProperties": True,
}
S["Error"] = obj(OrderedDict([
    ("code", sref("ErrorCode")),
    ("message", s("A human-readable message.")),
    ("details", sref("ErrorDetails")),
    ("traceId", s("The trace id: from a W3C traceparent header when one "
                  "was sent, otherwise generated.",
                  pattern="^[0-9a-f]{32}$")),
]), ["code", "message", "details", "traceId"])
S["ErrorEnvelope"] = obj(OrderedDict([
    ("success", {"type": "boolean", "enum": [False]}),
    ("requestId", s("The caller's X-Request-ID when it was a token of up to "
                    "64 characters [A-Za-z0-9._:-], otherwise a generated "
                    "UUID.")),
    ("timestamp", TS),
    ("error", sref("Error")),
]), ["success", "requestId", "timestamp", "error"],
    desc="Every error (spec §2.3).",
    example={"success": False, "requestId": "9b2f1c3e-5d4a-4e8b-9c7d-1a2b3c4d5e6f",
             "timestamp": "2025-11-19T10:30:00.123Z",
             "error": {"code": "INSUFFICIENT_BALANCE",
                       "message": "Insufficient balance for this order",
                       "details": {"required": "1000.00",
                                   "available": "750.50",
                                   "currency": "TRY"},
                       "traceId": "4bf92f3577b34da6a3ce929d0e0e4736"}})
S["SuccessEnvelope"] = obj(OrderedDict([
    ("success", {"type": "boolean", "enum": [True]}),
    ("requestId", s("As in ErrorEnvelope.")),
    ("timestamp", TS),
    ("data", {"description": "The answer; its shape is given per "
                             "operation."}),
]), ["success", "requestId", "timestamp", "data"],
    desc="Every success (spec §2.2).")
S["PageMeta"] = obj(OrderedDict([
    ("page", {"type": "integer", "minimum": 1}),
    ("pageSize", {"type": "integer", "minimum": 1, "maximum": 500}),
    ("totalCount", {"type": "integer", "minimum": 0}),
    ("totalPages", {"type": "integer", "minimum": 0}),
    ("hasNext", {"type": "boolean"}),
    ("hasPrevious", {"type": "boolean"}),
]), ["page", "pageSize", "totalCount", "totalPages", "hasNext",
     "hasPrevious"], desc="Counts of a paginated list (spec §2.5).")
S["PageLinks"] = obj(OrderedDict([
    ("self", s("This page, with the filters and sort kept.",
               example="/api/v1/orders?page=1&pageSize=50")),
    ("next", nullable(s("The next page; null on the last."))),
    ("previous", nullable(s("The previous page (past the end: the last "
                            "page); null on the first."))),
    ("last", s("The last page (page 1 when the list is empty).")),
]), ["self", "next", "previous", "last"])
S["ListEnvelope"] = {
    "allOf": [sref("SuccessEnvelope"), obj(OrderedDict([
        ("data", {"type": "array", "items": {}}),
        ("meta", sref("PageMeta")),
        ("links", sref("PageLinks")),
    ]), ["meta", "links"])],
    "description": "A paginated list (spec §2.5): `data` is an array, "
                   "`meta` its counts, `links` the neighbouring pages.",
}

# public
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
SDEC_RE = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$"
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
    ("timestamp", TS),
    ("time", {"type": "integer", "format": "int64",
              "description": "The same time in milliseconds since the "
                             "epoch."}),
]), ["tradeId", "symbol", "price", "quantity", "quoteQuantity", "takerSide",
     "timestamp", "time"])
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

# auth
PW = s("10 to 128 characters; not a common password, not one repeated "
       "character, not containing the e-mail address's local part.",
       minLength=10, maxLength=512, format="password")
S["RegisterRequest"] = obj(OrderedDict([
    ("email", sref("Email")),
    ("password", PW),
    ("phoneNumber", s("E.164.", pattern="^\\+[1-9][0-9]{6,14}$",
                      minLength=8, maxLength=16, example="+905551234567")),
    ("referralCode", s("Another user's referral code (their profile's "
                       "referralCode), any case; an unknown one is 400.",
                       pattern="^[A-Za-z0-9]{4,16}$", minLength=4,
                       maxLength=16, example="K3J5M2N7PQ")),
]), ["email", "password"], closed=True)
S["Registered"] = obj(OrderedDict([
    ("userId", sref("UserId")),
    ("email", sref("Email")),
    ("status", s(enum=["PENDING_VERIFICATION"])),
    ("verificationRequired", {"type": "array", "items": sref("Verification"),
                              "description": "EMAIL, and PHONE when a "
                              "phoneNumber was given (§4.1)."}),
]), ["userId", "email", "status", "verificationRequired"],
    desc="The same answer whether or not the address already has an "
         "account (the owner is mailed instead), so registration does not "
         "reveal who has one.")
S["VerifyEmailRequest"] = obj(OrderedDict([
    ("email", sref("Email")),
    ("code", s("The 6-digit code mailed at registration (15 minutes, 5 "
               "attempts).", pattern="^[0-9]{6}$")),
]), ["email", "code"], closed=True)
S["EmailVerified"] = obj(OrderedDict([
    ("userId", sref("UserId")),
    ("email", sref("Email")),
    ("status", s("EMAIL_VERIFIED, or ACTIVE when the phone was verified "
                 "first.", enum=["EMAIL_VERIFIED", "ACTIVE"])),
    ("emailVerified", {"type": "boolean", "enum": [True]}),
    ("verificationRequired", {"type": "array", "items": sref("Verification"),
                              "description": "What is left: PHONE when a "
                              "number is still to verify."}),
]), ["userId", "email", "status", "emailVerified", "verificationRequired"])
S["VerifyPhoneRequest"] = obj(OrderedDict([
    ("email", sref("Email")),
    ("code", s("The 6-digit code sent by SMS to the account's phone number "
               "at registration or when the number changed (15 minutes, 5 "
               "attempts).", pattern="^[0-9]{6}$")),
]), ["email", "code"], closed=True)
S["PhoneVerified"] = obj(OrderedDict([
    ("userId", sref("UserId")),
    ("email", sref("Email")),
    ("phoneNumber", s(example="+905551234567")),
    ("status", sref("UserStatus")),
    ("kycLevel", sref("KycLevel")),
    ("phoneVerified", {"type": "boolean", "enum": [True]}),
    ("verificationRequired", {"type": "array", "items": sref("Verification"),
                              "description": "EMAIL when the e-mail is "
                              "still to verify."}),
]), ["userId", "email", "phoneNumber", "status", "kycLevel", "phoneVerified",
     "verificationRequired"])
S["LoginRequest"] = obj(OrderedDict([
    ("email", sref("Email")),
    ("password", s(minLength=1, maxLength=512, format="password")),
    ("twoFactorCode", dict(sref("TwoFactorCode"))),
    ("deviceId", s("Recorded with the session.", minLength=1,
                   maxLength=128)),
]), ["email", "password"], closed=True)
S["SessionUser"] = obj(OrderedDict([
    ("userId", sref("UserId")),
    ("email", sref("Email")),
    ("kycLevel", sref("KycLevel")),
    ("roles", {"type": "array", "items": sref("Role")}),
]), ["userId", "email", "kycLevel", "roles"])
S["TokenPair"] = obj(OrderedDict([
    ("accessToken", s("A JWT for `Authorization: Bearer`.",
                      example="eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...")),
    ("refreshToken", s("Opaque, for POST /auth/refresh; valid 30 days, "
                       "rotated on each use. Absent when the request asked "
                       "for the cookie (X-Refresh-Cookie: 1): it is then in "
                       "the hzm_refresh cookie only.",
                       pattern="^rt_[0-9a-f]{64}$")),
    ("expiresIn", {"type": "integer", "description":
                   "Seconds the access token is valid (900 by default).",
                   "example": 900}),
    ("tokenType", s(enum=["Bearer"])),
    ("user", sref("SessionUser")),
    ("adminSession", {"type": "boolean", "enum": [True], "description":
                      "Present on admin console sessions only."}),
]), ["accessToken", "expiresIn", "tokenType", "user"])
S["RefreshRequest"] = obj(OrderedDict([
    ("refreshToken", s("Required unless X-Refresh-Cookie: 1 is sent with "
                       "the hzm_refresh cookie; wins over the cookie.",
                       minLength=1, maxLength=128)),
]), [], closed=True)
S["LoggedOut"] = obj({"loggedOut": {"type": "boolean", "enum": [True]}},
                     ["loggedOut"])
S["EmailRequest"] = obj({"email": sref("Email")}, ["email"], closed=True)
S["Message"] = obj({"message": s()}, ["message"])
S["PasswordResetRequest"] = obj(OrderedDict([
    ("email", sref("Email")),
    ("code", s("The 6-digit code mailed by reset-request (15 minutes, 5 "
               "attempts).", pattern="^[0-9]{6}$")),
    ("newPassword", PW),
]), ["email", "code", "newPassword"], closed=True)
S["PasswordChanged"] = obj(OrderedDict([
    ("passwordChanged", {"type": "boolean", "enum": [True]}),
    ("twoFactorDisabled", {"type": "boolean", "enum": [True],
                           "description": "Present when the reset also "
                           "turned 2FA off and revoked the API keys: an "
                           "account at LEVEL_0 belongs to whoever proves "
                           "the address."}),
]), ["passwordChanged"])
S["TwoFactorSetup"] = obj(OrderedDict([
    ("secret", s("The TOTP secret, base32.", pattern="^[A-Z2-7]+=*$")),
    ("otpauthUri", s("otpauth://totp/... for authenticator apps.",
                     format="uri")),
]), ["secret", "otpauthUri"])
S["TwoFactorCodeRequest"] = obj({"code": sref("TwoFactorCode")}, ["code"],
                                closed=True)
S["TwoFactorState"] = obj({"twoFactorEnabled": {"type": "boolean"}},
                          ["twoFactorEnabled"])

# users
S["Profile"] = obj(OrderedDict([
    ("userId", sref("UserId")),
    ("email", sref("Email")),
    ("phoneNumber", nullable(s(example="+905551234567"))),
    ("displayName", nullable(s())),
    ("status", sref("UserStatus")),
    ("kycLevel", sref("KycLevel")),
    ("roles", {"type": "array", "items": sref("Role")}),
    ("twoFactorEnabled", {"type": "boolean"}),
    ("emailVerified", {"type": "boolean"}),
    ("phoneVerified", {"type": "boolean"}),
    ("referralCode", s("The user's own code to share.",
                       pattern="^[A-HJ-NP-Z2-9]{10}$")),
    ("referredCount", {"type": "integer", "description": "Users who "
                       "registered with referralCode."}),
    ("createdAt", TS),
    ("updatedAt", TS),
]), ["userId", "email", "phoneNumber", "displayName", "status", "kycLevel",
     "roles", "twoFactorEnabled", "emailVerified", "phoneVerified",
     "referralCode", "referredCount", "createdAt", "updatedAt"])
S["ProfileUpdate"] = obj(OrderedDict([
    ("phoneNumber", nullable(s("E.164 (7 to 15 digits); null clears it.",
                               pattern="^\\+[1-9][0-9]{6,14}$",
                               minLength=1, maxLength=16))),
    ("displayName", nullable(s("1 to 64 characters, no leading or "
                               "trailing space, nothing invisible or "
                               "controlling (no control, bidi, zero-width "
                               "or format characters, no space but "
                               "U+0020); null clears it.",
                               minLength=1, maxLength=64))),
]), desc="At least one of the two. The other profile fields cannot be "
         "changed here: sending one is a 400 naming it.",
    closed=True, example={"displayName": "Ayşe"})
S["ProfileUpdate"]["minProperties"] = 1

# kyc
S["KycDocument"] = obj(OrderedDict([
    ("contentType", s(enum=["image/jpeg", "image/png", "application/pdf"])),
    ("data", s("Standard base64 (RFC 4648 §4), padded, no whitespace, no "
               "data: prefix; at most 200 KiB decoded; the content must "
               "be one whole, well-formed file of contentType, nothing "
               "before or after it (JPEG: SOI to EOI; PNG: valid chunks "
               "and CRCs, IHDR to IEND; PDF: header to startxref and "
               "%%EOF, no JavaScript, actions or embedded files); at most "
               "16384 pixels a side.", format="byte", minLength=4,
               maxLength=273068)),
]), ["contentType", "data"], closed=True)
S["KycSelfie"] = obj(OrderedDict([
    ("contentType", s(enum=["image/jpeg", "image/png"])),
    ("data", S["KycDocument"]["properties"]["data"]),
]), ["contentType", "data"], closed=True)
S["KycSubmitRequest"] = obj(OrderedDict([
    ("firstName", s("Letters of any script, single spaces, - ' and . "
                    "only; nothing invisible or controlling (no control, "
                    "bidi, zero-width or format characters).",
                    minLength=1, maxLength=100)),
    ("lastName", s("As firstName.", minLength=1, maxLength=100)),
    ("dateOfBirth", s("At least 18 years ago, from 1900 on.",
                      format="date", example="1990-05-17")),
    ("nationality", s("ISO 3166-1 alpha-2.", pattern="^[A-Z]{2}$",
                      example="TR")),
    ("idNumber", s("For TR a valid T.C. Kimlik No (11 digits); otherwise "
                   "5 to 20 letters and digits.",
                   pattern="^[A-Za-z0-9]{5,20}$", example="10000000146")),
    ("address", s("No leading or trailing space; nothing invisible or "
                  "controlling.", minLength=5, maxLength=500)),
    ("documents", obj(OrderedDict([
        ("idDocument", sref("KycDocument")),
        ("addressProof", sref("KycDocument")),
        ("selfie", sref("KycSelfie")),
    ]), closed=True, desc="All three, unless some came with an earlier "
        "draft of this application (those are kept; one sent again "
        "replaces it). A draft may send any of them, or none.")),
    ("idExpiryDate", s("The identity document's expiry date: after today "
                       "(UTC), at most 20 years ahead. When it passes the "
                       "application becomes EXPIRED and the level it "
                       "granted is dropped.", format="date",
                       example="2031-05-17")),
    ("draft", {"type": "boolean", "description": "true: keep the "
               "application as PENDING_SUBMISSION (documents may follow in "
               "later requests); false or absent: submit it for review."}),
]), ["firstName", "lastName", "dateOfBirth", "nationality", "idNumber",
     "address"], closed=True)
# Rules across fields, stated as schemas where OpenAPI 3.0 can say them and
# in x-hzm-rules (with the checksum) where it cannot.
TCKN_RULE = ("nationality TR: idNumber is a T.C. Kimlik No: 11 digits "
             "d1..d11, d1 not 0, d10 = ((d1+d3+d5+d7+d9)*7 - "
             "(d2+d4+d6+d8)) mod 10, d11 = (d1+...+d10) mod 10 "
             "(e.g. 10000000146); otherwise 5 to 20 letters and digits")
S["KycSubmitRequest"]["anyOf"] = [
    {"title": "Turkish national", "required": ["nationality", "idNumber"],
     "properties": {"nationality": {"type": "string", "enum": ["TR"]},
                    "idNumber": {"type": "string",
                                 "pattern": "^[1-9][0-9]{10}$",
                                 "x-hzm-checksum": "T.C. Kimlik No"}}},
    {"title": "Other nationality", "required": ["nationality"],
     "properties": {"nationality": {"type": "string",
                                    "not": {"enum": ["TR"]}}}},
]
S["KycSubmitRequest"]["x-hzm-rules"] = [TCKN_RULE]
S["KycDocumentName"] = s(enum=["idDocument", "addressProof", "selfie"])
S["KycSubmitted"] = obj(OrderedDict([
    ("kycId", s(pattern="^kyc_" + B32ID + "$")),
    ("status", s(enum=["PENDING_SUBMISSION", "PENDING_REVIEW"])),
    ("submittedAt", nullable(TS)),
    ("missingDocuments", {"type": "array", "items": sref("KycDocumentName"),
                          "description": "PENDING_SUBMISSION: the documents "
                          "still to send."}),
]), ["kycId", "status", "submittedAt"])
S["LimitAmount"] = obj(OrderedDict([
    ("limit", dec("In the currency, 2 decimals.", "100000.00")),
    ("used", dec("What the user's withdrawals took of it (the daily limit: "
                 "the last 24 hours; the monthly one: the last 30 days), "
                 "worth in TRY when requested; rejected and failed ones do "
                 "not count.", "25000.00")),
    ("currency", s(example="TRY")),
]), ["limit", "used", "currency"])
S["UserLimits"] = obj(OrderedDict([
    ("dailyWithdrawal", sref("LimitAmount")),
    ("monthlyWithdrawal", sref("LimitAmount")),
    ("dailyTrading", dec("Daily trading volume limit in TRY (UTC day); "
                         "POST /orders past it is COMPLIANCE_002.",
                         "1000000.00")),
    ("dailyTradingUsed", dec("What today's orders use of dailyTrading: "
                             "executed value plus what open orders still "
                             "count.", "25000.00")),
]), ["dailyWithdrawal", "monthlyWithdrawal", "dailyTrading"],
    desc="The user's own limits, or else their KYC level's.")
S["KycStatus"] = obj(OrderedDict([
    ("kycId", nullable(s("The latest application; null when none.",
                         pattern="^kyc_" + B32ID + "$"))),
    ("status", s("Of the latest application (Appendix C); APPROVED "
                 "without one for users verified by staff. "
                 "PENDING_SUBMISSION: a draft; EXPIRED: approved, but the "
                 "identity document's expiry date has passed.",
                 enum=["NOT_STARTED", "PENDING_SUBMISSION",
                       "PENDING_REVIEW", "APPROVED", "REJECTED",
                       "EXPIRED"])),
    ("level", sref("KycLevel")),
    ("submittedAt", nullable(TS)),
    ("approvedAt", nullable(TS)),
    ("rejectedReason", nullable(s(enum=["INVALID_DOCUMENT", "BLURRY_IMAGE",
                                        "EXPIRED_ID", "OTHER"]))),
    ("expiredAt", TS),
    ("idExpiryDate", nullable(s(format="date"))),
    ("missingDocuments", {"type": "array", "items": sref("KycDocumentName")}),
    ("limits", sref("AdminLimits")),
]), ["kycId", "status", "level", "submittedAt", "approvedAt",
     "rejectedReason"])

# admin
S["AdminUserSummary"] = obj(OrderedDict([
    ("userId", sref("UserId")),
    ("email", sref("Email")),
    ("status", sref("UserStatus")),
    ("kycLevel", sref("KycLevel")),
    ("twoFactorEnabled", {"type": "boolean"}),
    ("createdAt", TS),
    ("roles", {"type": "array", "items": sref("Role")}),
]), ["userId", "email", "status", "kycLevel", "twoFactorEnabled",
     "createdAt", "roles"])
S["AdminLimits"] = {
    "allOf": [sref("UserLimits"), obj({
        "source": s("USER: set for this user; KYC_LEVEL: the level's "
                    "defaults.", enum=["USER", "KYC_LEVEL"])}, ["source"])],
}
S["AdminUserKyc"] = nullable(obj(OrderedDict([
    ("kycId", s(pattern="^kyc_" + B32ID + "$")),
    ("status", s(enum=["PENDING_REVIEW", "APPROVED", "REJECTED"])),
    ("submittedAt", nullable(TS)),
    ("reviewedAt", nullable(TS)),
    ("rejectedReason", nullable(s())),
]), ["kycId", "status", "submittedAt", "reviewedAt", "rejectedReason"],
    desc="The latest KYC application; null when none."))
S["AdminUserDetail"] = obj(OrderedDict([
    ("userId", sref("UserId")),
    ("email", sref("Email")),
    ("phoneNumber", nullable(s())),
    ("displayName", nullable(s())),
    ("status", sref("UserStatus")),
    ("statusReason", nullable(s())),
    ("kycLevel", sref("KycLevel")),
    ("twoFactorEnabled", {"type": "boolean"}),
    ("emailVerified", {"type": "boolean"}),
    ("createdAt", TS),
    ("updatedAt", TS),
    ("roles", {"type": "array", "items": sref("Role")}),
    ("limits", sref("AdminLimits")),
    ("kyc", sref("AdminUserKyc")),
]), ["userId", "email", "status", "kycLevel", "twoFactorEnabled",
     "emailVerified", "createdAt", "updatedAt", "roles", "limits", "kyc"])
S["UserStatusUpdate"] = obj(OrderedDict([
    ("status", s("SUSPENDED and BLOCKED end the user's sessions; ACTIVE "
                 "needs a verified e-mail address.",
                 enum=["ACTIVE", "SUSPENDED", "BLOCKED"])),
    ("reason", s("Kept with the status and in the audit log.",
                 minLength=3, maxLength=500)),
]), ["status", "reason"], closed=True)
S["UserStatusChanged"] = obj(OrderedDict([
    ("userId", sref("UserId")),
    ("status", sref("UserStatus")),
    ("previousStatus", sref("UserStatus")),
    ("reason", s()),
    ("updatedAt", TS),
]), ["userId", "status", "previousStatus", "reason", "updatedAt"])
S["UserLimitsUpdate"] = obj(OrderedDict([
    ("dailyWithdrawal", dec("TRY, at most 2 decimals.", "100000.00",
                            DEC2_RE)),
    ("monthlyWithdrawal", dec("TRY, at most 2 decimals; not less than "
                              "dailyWithdrawal.", "500000.00", DEC2_RE)),
    ("dailyTrading", dec("TRY, at most 2 decimals.", "1000000.00",
                         DEC2_RE)),
    ("reason", s(minLength=3, maxLength=500)),
]), ["dailyWithdrawal", "monthlyWithdrawal", "dailyTrading"], closed=True)
S["UserLimitsChanged"] = obj(OrderedDict([
    ("userId", sref("UserId")),
    ("limits", sref("AdminLimits")),
    ("updatedAt", TS),
]), ["userId", "limits", "updatedAt"])
S["KycDocumentInfo"] = obj(OrderedDict([
    ("kind", s(enum=["ID_DOCUMENT", "ADDRESS_PROOF", "SELFIE"])),
    ("contentType", s()),
    ("size", {"type": "integer", "description": "Bytes."}),
    ("sha256", s(pattern="^[0-9a-f]{64}$")),
]), ["kind", "contentType", "size", "sha256"])
S["KycPendingApplication"] = obj(OrderedDict([
    ("kycId", s(pattern="^kyc_" + B32ID + "$")),
    ("userId", sref("UserId")),
    ("email", sref("Email")),
    ("firstName", s()),
    ("lastName", s()),
    ("dateOfBirth", s(format="date")),
    ("nationality", s()),
    ("address", s()),
    ("submittedAt", TS),
    ("currentLevel", sref("KycLevel")),
    ("documents", {"type": "array", "items": sref("KycDocumentInfo")}),
    ("screeningAlertId", nullable(s("The BLACKLIST_HIT alert a PEP or "
                                    "sanctions match raised.",
                                    pattern="^alt_" + B32ID + "$"))),
    ("screeningHold", {"type": "boolean", "description": "true while that "
                       "alert is open: approval is refused (409)."}),
]), ["kycId", "userId", "email", "firstName", "lastName", "dateOfBirth",
     "nationality", "address", "submittedAt", "currentLevel", "documents",
     "screeningAlertId", "screeningHold"])
S["KycApproveRequest"] = obj(OrderedDict([
    ("level", s("The level granted (default LEVEL_2); a user's level "
                "never goes down by an approval. LEVEL_3 is refused (400): "
                "it is granted by a video-call review.",
                enum=["LEVEL_1", "LEVEL_2", "LEVEL_3"])),
    ("note", s("For the audit log, not shown to the user.",
               minLength=1, maxLength=1000)),
]), closed=True)
S["KycRejectRequest"] = obj(OrderedDict([
    ("reason", s("Told to the user.", enum=["INVALID_DOCUMENT",
                                            "BLURRY_IMAGE", "EXPIRED_ID",
                                            "OTHER"])),
    ("note", s("Required when reason is OTHER; for the audit log.",
               minLength=1, maxLength=1000)),
]), ["reason"], closed=True)
S["KycRejectRequest"]["anyOf"] = [
    {"title": "A listed reason", "properties": {"reason": {
        "type": "string", "enum": ["INVALID_DOCUMENT", "BLURRY_IMAGE",
                                   "EXPIRED_ID"]}}},
    {"title": "OTHER, with its note", "required": ["reason", "note"],
     "properties": {"reason": {"type": "string", "enum": ["OTHER"]}}},
]
S["KycRejectRequest"]["x-hzm-rules"] = [
    "reason OTHER: note is required (400 INVALID_REQUEST, field note)"]
S["KycVideoReviewRequest"] = obj(OrderedDict([
    ("outcome", s("PASSED grants LEVEL_3.", enum=["PASSED", "FAILED"])),
    ("note", s("The reviewer's, for the audit log; never shown to the "
               "user.", minLength=1, maxLength=1000)),
]), ["outcome"], closed=True)
S["KycVideoReview"] = obj(OrderedDict([
    ("kycId", s(pattern="^kyc_" + B32ID + "$")),
    ("userId", sref("UserId")),
    ("outcome", s(enum=["PASSED", "FAILED"])),
    ("userKycLevel", sref("KycLevel")),
    ("reviewedAt", TS),
    ("reviewedBy", sref("UserId")),
]), ["kycId", "userId", "outcome", "userKycLevel", "reviewedAt",
     "reviewedBy"])
S["KycDecision"] = obj(OrderedDict([
    ("kycId", s(pattern="^kyc_" + B32ID + "$")),
    ("userId", sref("UserId")),
    ("status", s(enum=["APPROVED", "REJECTED"])),
    ("level", sref("KycLevel")),
    ("userKycLevel", sref("KycLevel")),
    ("rejectedReason", s(enum=["INVALID_DOCUMENT", "BLURRY_IMAGE",
                               "EXPIRED_ID", "OTHER"])),
    ("reviewedAt", TS),
    ("reviewedBy", sref("UserId")),
]), ["kycId", "userId", "status", "reviewedAt", "reviewedBy"],
    desc="level and userKycLevel on approval, rejectedReason on "
         "rejection.")

# api keys
SCOPE_ENUM = s("read: GETs; write (seed 003's name) and trade: placing and "
               "cancelling orders, never withdrawals; withdraw: withdrawals.",
               enum=["read", "write", "trade", "withdraw"])
S["ApiKey"] = obj(OrderedDict([
    ("keyId", s(pattern="^key_" + B32ID + "$")),
    ("name", s()),
    ("apiKeyMasked", s("The key's first 8 and last 4 characters.",
                       example="hzm_1ce9...86b7")),
    ("scopes", {"type": "array", "items": SCOPE_ENUM}),
    ("ipWhitelist", {"type": "array", "items": s("An address or CIDR "
                                                 "range."),
                     "description": "Empty: any address."}),
    ("createdAt", TS),
    ("expiresAt", nullable(TS)),
    ("revoked", {"type": "boolean"}),
    ("revokedAt", nullable(TS)),
    ("lastUsedAt", nullable(TS)),
    ("lastUsedIp", nullable(s())),
    ("regeneratedAt", nullable(TS)),
]), ["keyId", "name", "apiKeyMasked", "scopes", "ipWhitelist", "createdAt",
     "expiresAt", "revoked", "revokedAt", "lastUsedAt", "lastUsedIp",
     "regeneratedAt"])
S["ApiKeyCreated"] = {
    "allOf": [sref("ApiKey"), obj(OrderedDict([
        ("apiKey", s("The key, shown in full only here.",
                     pattern="^hzm_[0-9a-f]{32}$")),
        ("apiPassword", s("The API password, shown only here: it goes in "
                          "X-API-Password or keys the HMAC of a signed "
                          "request.", pattern="^[A-Za-z0-9_-]{43}$")),
        ("message", s()),
    ]), ["apiKey", "apiPassword", "message"])],
}
S["ApiKeyGenerateRequest"] = obj(OrderedDict([
    ("name", s(minLength=1, maxLength=64)),
    ("scopes", {"type": "array", "items": SCOPE_ENUM, "minItems": 1,
                "maxItems": 4, "uniqueItems": True}),
    ("expiresAt", s("Optional expiry, more than a minute and less than 10 "
                    "years ahead.", format="date-time", minLength=10,
                    maxLength=40)),
    ("ipWhitelist", nullable({"type": "array", "maxItems": 20,
                              "items": s("An IP address or CIDR range.",
                                         maxLength=43)})),
    ("twoFactorCode", sref("TwoFactorCode")),
]), ["name", "scopes", "twoFactorCode"], closed=True)
S["TwoFactorCodeField"] = obj({"twoFactorCode": sref("TwoFactorCode")},
                              ["twoFactorCode"], closed=True)

# Binance keys (seed 000)
BINANCE_CRED = "4 to 128 letters and digits, as Binance issues them."
S["BinanceKeyRequest"] = obj(OrderedDict([
    ("api_key", s("The Binance API key. " + BINANCE_CRED, minLength=4,
                  maxLength=128, pattern="^[A-Za-z0-9]+$")),
    ("secret_key", s("Its secret key: sealed at rest, never shown or "
                     "logged.", minLength=1, maxLength=128,
                     pattern="^[A-Za-z0-9]+$")),
]), ["api_key", "secret_key"], closed=True,
    desc="A Binance key. `apiKey` and `secretKey` are accepted as well "
         "(both spelled the same way).")
S["BinanceKeyWarning"] = obj(OrderedDict([
    ("code", s(enum=["IP_NOT_RESTRICTED", "TRADING_NOT_ENABLED"])),
    ("message", s()),
]), ["code", "message"])
S["BinanceKey"] = obj(OrderedDict([
    ("id", s(pattern="^bnk_" + B32ID + "$")),
    ("exchange", s(enum=["BINANCE"])),
    ("apiKeyMasked", s("Only the key's last 4 characters.",
                       example="****Ju91")),
    ("isValid", {"type": "boolean", "description": "false once Binance "
                 "refused the key to a bot (invalidReason says why); save "
                 "a new key."}),
    ("ipRestrict", {"type": "boolean", "description": "The key is "
                    "limited to IP addresses on Binance."}),
    ("canTrade", {"type": "boolean", "description": "Spot trading is "
                  "enabled for the key."}),
    ("permissions", {"type": "array", "items": s(example="SPOT"),
                     "description": "The Binance account's."}),
    ("createdAt", TS),
    ("validatedAt", TS),
    ("invalidReason", nullable(s())),
    ("invalidatedAt", nullable(TS)),
    ("warnings", {"type": "array", "items": sref("BinanceKeyWarning")}),
]), ["id", "exchange", "apiKeyMasked", "isValid", "ipRestrict", "canTrade",
     "permissions", "createdAt", "validatedAt", "invalidReason",
     "invalidatedAt", "warnings"])

# orders
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

# wallets
S["Balance"] = obj(OrderedDict([
    ("asset", s(example="BTC")),
    ("available", dec("At the asset's precision.", "0.15000000")),
    ("locked", dec("Held by open orders.", "0.02000000")),
    ("total", dec("available + locked.", "0.17000000")),
    ("valueInTRY", nullable(dec("total at the last price of the asset's TRY "
                                "market; null when it has not traded.",
                                "314500.00"))),
]), ["asset", "available", "locked", "total", "valueInTRY"])

S["DepositAddress"] = obj(OrderedDict([
    ("asset", s(example="BTC")),
    ("address", s("The caller's address for this asset and network: made "
                  "by the network's node on the first request (ETH and "
                  "ERC20: derived from the operator's public key, EIP-55 "
                  "checksummed, one address for both), the same ever after.",
                  example="bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh")),
    ("network", s("The blockchain network (Appendix C): BTC, ETH, ERC20 "
                  "(USDT on Ethereum).", example="BTC")),
    ("memo", nullable(s("A memo or destination tag to send with the "
                        "transfer, for networks that use one; null for "
                        "BTC."))),
    ("minDeposit", dec("Transfers below it are recorded (REJECTED) and never "
                       "credited.", "0.00010000")),
    ("confirmations", {"type": "integer", "minimum": 1, "example": 3,
                       "description": "Confirmations a transfer needs "
                       "before it is credited (BTC: 3)."}),
]), ["asset", "address", "network", "memo", "minDeposit", "confirmations"],
    desc="Where to send an asset to deposit it (Appendix C's wallet "
         "fields).")
S["Deposit"] = obj(OrderedDict([
    ("depositId", s(pattern="^dep_" + B32ID + "$")),
    ("asset", s(example="BTC")),
    ("network", s(example="BTC")),
    ("address", s("The deposit address it was sent to.")),
    ("amount", dec("As received, at the asset's precision; what is "
                   "credited.", "0.10000000")),
    ("txHash", s("The transaction's id on the chain.",
                 pattern="^[0-9a-f]{64}$")),
    ("vout", {"type": "integer", "minimum": 0,
              "description": "Its output in the transaction: one "
              "transaction can pay several deposits."}),
    ("confirmations", {"type": "integer", "minimum": 0,
                       "description": "As last seen by the chain watcher."}),
    ("requiredConfirmations", {"type": "integer", "minimum": 1}),
    ("status", s("PENDING until it has the required confirmations, then "
                 "COMPLETED (credited, once; a `deposit.confirmed` event "
                 "goes out); REJECTED: below minDeposit, never credited; "
                 "FAILED: double-spent before it was credited.",
                 enum=["PENDING", "COMPLETED", "REJECTED", "FAILED"])),
    ("statusReason", nullable(s(enum=["BELOW_MINIMUM", "DOUBLE_SPENT"]))),
    ("createdAt", refd("Timestamp", "When the chain watcher first saw it "
                       "(in the mempool, or in a block).")),
    ("creditedAt", nullable(refd("Timestamp", "When it was credited."))),
]), ["depositId", "asset", "network", "address", "amount", "txHash", "vout",
     "confirmations", "requiredConfirmations", "status", "statusReason",
     "createdAt", "creditedAt"],
    desc="An incoming transfer to one of the caller's deposit addresses.")

WD_STATUSES = ["PENDING_APPROVAL", "PENDING_SIGNATURE", "PROCESSING",
               "COMPLETED", "REJECTED", "FAILED"]
ADDR = s("A destination address of the network (BTC: bech32, bech32m or "
         "base58check of the node's chain; bech32 is kept in lower case. "
         "ETH, ERC20: 0x and 40 hex digits, mixed case only with its EIP-55 "
         "checksum, else WALLET_001; kept checksummed).",
         example="bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh")
S["WithdrawRequest"] = obj(OrderedDict([
    ("asset", s("The path's asset, if given.", example="BTC")),
    ("amount", dec("What the address receives, at the asset's precision; "
                   "the network's fee is locked on top of it.",
                   "0.05000000")),
    ("address", ADDR),
    ("network", s("Default: the asset's default network.",
                  pattern="^[A-Z0-9]{2,10}$", example="BTC")),
    ("memo", nullable(s("For networks that use one; BTC takes none.",
                        pattern="^[A-Za-z0-9]{1,64}$"))),
    ("twoFactorCode", sref("TwoFactorCode")),
]), ["amount", "address", "twoFactorCode"], closed=True,
    example={"asset": "BTC", "amount": "0.05000000",
             "address": "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
             "network": "BTC", "memo": None, "twoFactorCode": "123456"})
S["Withdrawal"] = obj(OrderedDict([
    ("withdrawalId", s(pattern="^wdr_" + B32ID + "$")),
    ("asset", s(example="BTC")),
    ("network", s(example="BTC")),
    ("amount", dec("What the address receives.", "0.05000000")),
    ("fee", dec("The network fee of the asset's settings, paid on top.",
                "0.00050000")),
    ("address", ADDR),
    ("memo", nullable(s())),
    ("status", s("PENDING_APPROVAL: waits for staff (over a threshold or "
                 "the daily limit, or flagged by the rules engine); "
                 "PENDING_SIGNATURE: to be sent by the withdrawal worker; "
                 "PROCESSING: being sent, or sent and confirming "
                 "(`withdrawal.processing` event once sent); COMPLETED "
                 "after requiredConfirmations (`withdrawal.completed`); "
                 "REJECTED by staff or FAILED (the node refused the "
                 "payment): the amount and the fee are back, once.",
                 enum=WD_STATUSES)),
    ("txHash", nullable(s("The payment's transaction, once sent.",
                          pattern="^[0-9a-f]{64}$"))),
    ("confirmations", {"type": "integer", "minimum": 0}),
    ("requiredConfirmations", {"type": "integer", "minimum": 1}),
    ("createdAt", TS),
    ("completedAt", nullable(refd("Timestamp", "When it completed."))),
    ("updatedAt", TS),
    ("rejectedReason", s("REJECTED only: staff's reason.")),
    ("failureReason", s("FAILED only: what the node said.")),
]), ["withdrawalId", "asset", "network", "amount", "fee", "address", "memo",
     "status", "txHash", "confirmations", "requiredConfirmations",
     "createdAt", "completedAt", "updatedAt"],
    desc="A withdrawal (Appendix C's withdrawal fields).")
# fiat
IBAN_RE = "^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$"
S["FiatDepositRequest"] = obj(OrderedDict([
    ("amount", dec("What the caller means to transfer, in TRY (2 "
                   "decimals), from fiat_deposit_min (10.00) to "
                   "fiat_deposit_max (10000000.00). The amount that "
                   "arrives is what is credited.", "10000.00", DEC2_RE)),
]), ["amount"], closed=True)
S["FiatDeposit"] = obj(OrderedDict([
    ("depositId", s(pattern="^fdp_" + B32ID + "$")),
    ("asset", s(enum=["TRY"])),
    ("amount", dec("As requested.", "10000.00")),
    ("iban", s("The platform's account to transfer to (fiat_iban).",
               pattern=IBAN_RE, example="TR330006100519786457841326")),
    ("ibanDisplay", s("The same, in groups of four.",
                      example="TR33 0006 1005 1978 6457 8413 26")),
    ("bankName", s(example="hzm Sandbox Bank")),
    ("accountHolder", s("The account's holder, as the sender's bank shows "
                        "it.", example="hzm Sandbox A.S.")),
    ("referenceCode", s("To write in the transfer's description: an ISO "
                        "11649 creditor reference (RF, two mod-97 check "
                        "digits, HZM, 12 digits), unique to this request. "
                        "Upper or lower case, with single spaces or "
                        "hyphens, among other words: it is found.",
                        pattern="^RF[0-9]{2}HZM[0-9]{12}$",
                        example="RF38HZM482910573316")),
    ("referenceCodeDisplay", s("The same, in groups of four.",
                               example="RF38 HZM4 8291 0573 316")),
    ("status", s(enum=["PENDING"])),
    ("expiresAt", refd("Timestamp", "A transfer naming the reference after "
                       "this (fiat_deposit_ttl_hours, 24) is not credited "
                       "automatically: it waits for review.")),
    ("createdAt", TS),
]), ["depositId", "asset", "amount", "iban", "ibanDisplay", "bankName",
     "accountHolder", "referenceCode", "referenceCodeDisplay", "status",
     "expiresAt", "createdAt"],
    desc="Where and how to pay in TRY: transfer from an account in your "
         "own name (your KYC name) to this IBAN with the reference in the "
         "description.")
S["FiatWithdrawRequest"] = obj(OrderedDict([
    ("amount", dec("TRY to receive, 2 decimals, at least fiat_withdraw_min "
                   "(100.00); the fee (fiat_withdraw_fee, 5.00) is taken "
                   "on top.", "1000.00", DEC2_RE)),
    ("iban", s("A Turkish IBAN (TR, 26 characters, mod-97 check digits); "
               "upper or lower case, single spaces between characters "
               "allowed.", minLength=1, maxLength=64,
               example="TR33 0006 1005 1978 6457 8413 26")),
    ("accountHolder", s("The account's holder: it must be the caller, by "
                        "the name verified by KYC (compared without case "
                        "or diacritics, the Turkish way, words in any "
                        "order).", minLength=1, maxLength=512,
                        example="AYSE YILMAZ")),
    ("twoFactorCode", sref("TwoFactorCode")),
]), ["amount", "iban", "accountHolder", "twoFactorCode"], closed=True)
S["FiatWithdrawal"] = obj(OrderedDict([
    ("withdrawalId", s(pattern="^fwd_" + B32ID + "$")),
    ("asset", s(enum=["TRY"])),
    ("amount", dec("Sent to the account.", "1000.00")),
    ("fee", dec("Taken on top of the amount.", "5.00")),
    ("iban", s("Electronic form.", pattern=IBAN_RE)),
    ("accountHolder", s()),
    ("status", s("PROCESSING until the bank pays it (COMPLETED) or "
                 "refuses it (FAILED: amount and fee are back).",
                 enum=["PROCESSING"])),
    ("createdAt", TS),
]), ["withdrawalId", "asset", "amount", "fee", "iban", "accountHolder",
     "status", "createdAt"])
S["FiatTransaction"] = obj(OrderedDict([
    ("transactionId", s("A deposit's fdp_ or a withdrawal's fwd_ id.",
                        pattern="^(fdp|fwd)_" + B32ID + "$")),
    ("type", s(enum=["DEPOSIT", "WITHDRAWAL"])),
    ("asset", s(enum=["TRY"])),
    ("amount", dec("Deposits: what was credited (what was requested while "
                   "PENDING or EXPIRED); withdrawals: what is sent.")),
    ("requestedAmount", dec("Deposits only: as requested.")),
    ("fee", sref("Decimal")),
    ("status", s("Deposits: PENDING, COMPLETED, EXPIRED (the reference "
                 "lapsed unused); withdrawals: PROCESSING, COMPLETED, "
                 "FAILED.", enum=["PENDING", "COMPLETED", "EXPIRED",
                                  "PROCESSING", "FAILED"])),
    ("statusReason", nullable(s("FAILED: the bank's reason.",
                                example="ACCOUNT_CLOSED"))),
    ("referenceCode", nullable(s("Deposits only; null for one credited "
                                 "by staff without a request."))),
    ("bankName", nullable(s("Deposits only."))),
    ("expiresAt", nullable(refd("Timestamp", "Deposits only."))),
    ("iban", s("Deposits: the platform's account; withdrawals: the "
               "caller's.")),
    ("accountHolder", s()),
    ("createdAt", TS),
    ("completedAt", nullable(refd("Timestamp", "Credited, paid or "
                                  "failed."))),
]), ["transactionId", "type", "asset", "amount", "fee", "status",
     "statusReason", "iban", "accountHolder", "createdAt", "completedAt"])
S["BankCallbackRequest"] = obj(OrderedDict([
    ("transactionId", s("The bank's id of the transfer: one credit per "
                        "id, ever.", pattern="^[A-Za-z0-9._:-]{1,64}$")),
    ("amount", dec("TRY received, 2 decimals, above 0.", "10000.00",
                   DEC2_RE)),
    ("currency", s(enum=["TRY"])),
    ("senderName", s("The sending account's holder.", minLength=1,
                     maxLength=256)),
    ("senderIban", s("The sending account (any country's IBAN, checked).",
                     maxLength=64)),
    ("description", s("The transfer's description (açıklama), where the "
                      "reference code is looked for.", maxLength=1024)),
]), ["transactionId", "amount", "currency", "senderName", "senderIban",
     "description"], closed=True)
S["BankCallbackAnswer"] = obj(OrderedDict([
    ("transactionId", s()),
    ("transferId", s(pattern="^ftr_" + B32ID + "$")),
    ("status", s("CREDITED: a user has it; QUEUED: held for review. Every "
                 "repeat of the transaction id gets the first answer.",
                 enum=["CREDITED", "QUEUED"])),
]), ["transactionId", "transferId", "status"])
S["FiatTransfer"] = obj(OrderedDict([
    ("transferId", s(pattern="^ftr_" + B32ID + "$")),
    ("bankTransactionId", s()),
    ("amount", sref("Decimal")),
    ("asset", s(enum=["TRY"])),
    ("senderName", s()),
    ("senderIban", s(pattern=IBAN_RE)),
    ("description", s()),
    ("referenceCode", nullable(s("The reference found in the description "
                                 "(one, with valid check digits)."))),
    ("answer", s("What the bank was told.", enum=["CREDITED", "QUEUED"])),
    ("status", s("QUEUED: on the suspense account, for review; CREDITED: a "
                 "user has it; RETURNING: being paid back; RETURNED.",
                 enum=["QUEUED", "CREDITED", "RETURNING", "RETURNED"])),
    ("queueReason", nullable(s(enum=[
        "NO_REFERENCE", "AMBIGUOUS_REFERENCE", "UNKNOWN_REFERENCE",
        "USED_REFERENCE", "EXPIRED_REFERENCE", "NAME_MISMATCH",
        "NO_VERIFIED_NAME", "ACCOUNT_NOT_ACTIVE"]))),
    ("depositId", nullable(s("The deposit request the reference names."))),
    ("depositUserId", nullable(sref("UserId"))),
    ("creditedUserId", nullable(sref("UserId"))),
    ("creditedDepositId", nullable(s("The deposit the credit recorded."))),
    ("resolvedBy", nullable(s("The staff member's e-mail."))),
    ("resolvedAt", nullable(sref("Timestamp"))),
    ("resolutionNote", nullable(s("The reason given; a failed return "
                                  "adds the bank's."))),
    ("returnId", nullable(s("The latest payout returning it.",
                            pattern="^fwd_" + B32ID + "$"))),
    ("returnStatus", nullable(s(enum=["PROCESSING", "COMPLETED",
                                      "FAILED"]))),
    ("createdAt", TS),
    ("updatedAt", TS),
]), ["transferId", "bankTransactionId", "amount", "asset", "senderName",
     "senderIban", "description", "referenceCode", "answer", "status",
     "queueReason", "createdAt", "updatedAt"],
    desc="A transfer into the platform's account, as the bank reported it.")
S["FiatCreditRequest"] = obj(OrderedDict([
    ("userId", sref("UserId")),
    ("reason", s("Why (audit log): 3 to 1000 characters, nothing "
                 "invisible or controlling.", minLength=3, maxLength=4000)),
]), ["userId", "reason"], closed=True)
S["FiatReturnRequest"] = obj(OrderedDict([
    ("reason", s("As for a credit.", minLength=3, maxLength=4000)),
]), ["reason"], closed=True)

# ---- components: parameters, headers ------------------------------------
P = OrderedDict()

def qparam(name, desc, schema, required=False):
    return {"name": name, "in": "query", "required": required,
            "description": desc, "schema": schema}

def pparam(name, desc, schema):
    return {"name": name, "in": "path", "required": True,
            "description": desc, "schema": schema}

P["RequestId"] = {"name": "X-Request-ID", "in": "header", "required": False,
                  "description": "Your id for this request, echoed as "
                  "`requestId` and in the X-Request-ID response header "
                  "(replaced by a UUID when it is not such a token). A "
                  "signed request needs one, used once per key within 5 "
                  "minutes.", "schema": s(pattern=TOKEN_RE)}
P["DeviceId"] = {"name": "X-Device-ID", "in": "header", "required": False,
                 "description": "§1.4: the device's id (1 to 128 of "
                 "A-Z a-z 0-9 . _ : -), recorded with the session (the "
                 "body's deviceId wins). Malformed: 400 naming the header.",
                 "schema": s(pattern="^[A-Za-z0-9._:-]{1,128}$")}
P["ClientVersion"] = {"name": "X-Client-Version", "in": "header",
                      "required": False, "description": "§1.4: the app's "
                      "version (1 to 32 of A-Z a-z 0-9 . _ + -), recorded "
                      "with the session. Malformed: 400 naming the header.",
                      "schema": s(pattern="^[A-Za-z0-9._+-]{1,32}$")}
P["RefreshCookie"] = {
    "name": "X-Refresh-Cookie", "in": "header", "required": False,
    "description": "`1`: browsers' opt-in to keep the refresh token out of "
                   "script (spec Appendix G). The answer then sets `Set-Cookie: "
                   "hzm_refresh=<token>; Path=/api/v1/auth; Max-Age=2592000; "
                   "HttpOnly; SameSite=Strict; Secure` and leaves refreshToken "
                   "out of the body; /auth/refresh reads the cookie when the "
                   "body has no refreshToken; a refused refresh and logout "
                   "clear it. The cookie is taken back only with this header, "
                   "which a cross-site form cannot send (CSRF). Browsers keep "
                   "Secure cookies over HTTPS and on http://127.0.0.1 and "
                   "localhost.",
    "schema": {"type": "string", "enum": ["1"]}}
P["RefreshCookieValue"] = {
    "name": "hzm_refresh", "in": "cookie", "required": False,
    "description": "The refresh token set by a login or refresh sent with "
                   "X-Refresh-Cookie: 1; read only with that header.",
    "schema": {"type": "string", "maxLength": 128}}
P["Traceparent"] = {"name": "traceparent", "in": "header", "required": False,
                    "description": "W3C trace context; its trace id becomes "
                    "the error's traceId.",
                    "schema": s(pattern="^00-[0-9a-f]{32}-[0-9a-f]{16}-"
                                "[0-9a-f]{2}$")}
P["IdempotencyKey"] = {"name": "X-Idempotency-Key", "in": "header",
                       "required": False,
                       "description": "Run this POST at most once (spec "
                       "§7.3). Kept 24 hours per user: a repeat gets the "
                       "first status and body with `Idempotent-Replayed: "
                       "true`; the same key with another method, URI or "
                       "body is 422 UNPROCESSABLE_ENTITY; a repeat while "
                       "the first still runs is 409 CONFLICT and does not "
                       "run. 5xx and 429 answers are not kept. 1-64 "
                       "characters of `A-Z a-z 0-9 . _ ~ : -` (a UUID fits).",
                       "schema": s(pattern=IDEM_KEY_RE)}
P["Page"] = qparam("page", "Page number, 1 to 1000000 (default 1).",
                   {"type": "integer", "minimum": 1, "maximum": 1000000,
                    "default": 1})
P["PageSize"] = qparam("pageSize", "Rows per page, 1 to 500 (default 50).",
                       {"type": "integer", "minimum": 1, "maximum": 500,
                        "default": 50})
P["Symbol"] = pparam("symbol", "A market symbol; an unknown one is 400 "
                     "TRADE_005.", s(pattern="^[A-Z0-9]{1,20}$",
                                     example="BTCTRY"))
P["UserId"] = pparam("userId", "A user's public id; any other value is "
                     "404.", sref("UserId"))
P["KycId"] = pparam("kycId", "A KYC application's id; any other value is "
                    "404.", s(pattern="^kyc_" + B32ID + "$"))
P["KeyId"] = pparam("keyId", "One of the caller's API keys.",
                    s(pattern="^key_" + B32ID + "$"))
P["OrderId"] = pparam("orderId", "One of the caller's orders.",
                      s(pattern="^ord_" + B32ID + "$"))
P["OrderListId"] = pparam("orderListId", "One of the caller's OCO lists; "
                          "any other value is 404.",
                          s(pattern="^[0-9]{1,18}$", example="42"))
P["TransferId"] = pparam("transferId", "A bank transfer's id; any other "
                         "value is 404.", s(pattern="^ftr_" + B32ID + "$"))
P["Asset"] = pparam("asset", "An asset code; anything else is 404.",
                    s(pattern="^[A-Z0-9]{2,10}$", example="BTC"))


H = OrderedDict()
H["Allow"] = {"description": "The methods the path takes.",
              "schema": s(example="GET, POST")}
H["Deprecation"] = {"description": "§9.2: `true` on every answer of a "
                    "deprecated route.", "schema": s(enum=["true"])}
H["Sunset"] = {"description": "§9.2 and RFC 8594: when a deprecated route "
               "goes, as an HTTP-date.", "schema": s(
                   example="Tue, 01 Jan 2030 00:00:00 GMT")}
H["XRequestId"] = {"description": "The request's id, as in the envelope.",
                   "schema": s()}
H["XRateLimitLimit"] = {"description": "Requests allowed in the current "
                        "window (the sandbox runs at 10x).",
                        "schema": {"type": "integer"}}
H["XRateLimitRemaining"] = {"description": "Requests left in the current "
                            "window (absent while the counters are "
                            "unavailable).", "schema": {"type": "integer"}}
H["XRateLimitReset"] = {"description": "When the window ends, in seconds "
                        "since the epoch.", "schema": {"type": "integer"}}
H["RetryAfter"] = {"description": "Seconds to wait before trying again.",
                   "schema": {"type": "integer"}}
H["IdempotentReplayed"] = {"description": "`true` when this is the stored "
                           "answer to an earlier request with the same "
                           "X-Idempotency-Key.",
                           "schema": s(enum=["true"])}
H["WWWAuthenticate"] = {"description": "`Bearer`.", "schema": s()}
H["Allow"] = {"description": "The methods the resource has.", "schema": s()}

# ---- security ------------------------------------------------------------
SEC = OrderedDict()
SEC["bearerAuth"] = {
    "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
    "description": "An access token from POST /api/v1/auth/login or "
                   "/auth/refresh (15 minutes). Revoked by logout, by a "
                   "password change, and when the account is suspended or "
                   "blocked."}
SEC["adminBearerAuth"] = {
    "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
    "description": "An admin console access token from POST "
                   "/api/v1/admin/auth/login (staff role and 2FA "
                   "required). Tokens from /auth/login are refused on "
                   "admin endpoints (403 FORBIDDEN)."}
SEC["apiKey"] = {"type": "apiKey", "in": "header", "name": "X-API-Key",
                 "description": "A platform API key (`hzm_` + 32 hex), "
                 "from POST /api/v1/api-keys/generate. Either with "
                 "X-Email and X-API-Password, or with a signature "
                 "(X-Timestamp, X-Signature, X-Request-ID)."}
SEC["apiEmail"] = {"type": "apiKey", "in": "header", "name": "X-Email",
                   "description": "The key owner's e-mail address."}
SEC["apiPassword"] = {"type": "apiKey", "in": "header",
                      "name": "X-API-Password",
                      "description": "The key's API password."}
SEC["apiTimestamp"] = {"type": "apiKey", "in": "header",
                       "name": "X-Timestamp",
                       "description": "Milliseconds since the epoch, within "
                       "60 s of the server's clock."}
SEC["apiSignature"] = {
    "type": "apiKey", "in": "header", "name": "X-Signature",
    "description": "Hex HMAC-SHA256 (64 lower-case hex digits; any "
                   "other spelling is refused), keyed with the API "
                   "password, of X-Timestamp + method + request URI (path "
                   "and query string, as sent) + body, concatenated without "
                   "separators. A signature is accepted once."}
SEC["apiRequestId"] = {"type": "apiKey", "in": "header",
                       "name": "X-Request-ID",
                       "description": "Required on signed requests; "
                       "accepted once per key within 5 minutes."}

SEC_PUBLIC = []
SEC_SESSION = [{"bearerAuth": []}]
SEC_KEYS = [{"bearerAuth": []},
            {"apiKey": [], "apiEmail": [], "apiPassword": []},
            {"apiKey": [], "apiTimestamp": [], "apiSignature": [],
             "apiRequestId": []}]
SEC_ADMIN = [{"adminBearerAuth": []}]

# ---- operations -------------------------------------------------------------
PATHS = OrderedDict()
OPIDS = set()

def envelope(data_schema):
    return {"allOf": [sref("SuccessEnvelope"),
                      obj({"data": data_schema}, ["data"])]}

def list_envelope(item):
    return {"allOf": [sref("ListEnvelope"),
                      obj({"data": {"type": "array", "items": item}},
                          ["data"])]}

RESPONSES = OrderedDict()

def error_response(status, codes, rl_headers, extra_headers=()):
    seen = OrderedDict()
    for code, why in codes:
        assert STATUS_OF[code] == status, (code, status)
        seen.setdefault(code, [])
        if why and why not in seen[code]:
            seen[code].append(why)
    parts = []
    for code, whys in seen.items():
        parts.append("`%s`%s" % (code, ": " + "; ".join(whys) if whys else ""))
    headers = OrderedDict([("X-Request-ID", ref("headers", "XRequestId"))])
    if rl_headers:
        headers["X-RateLimit-Limit"] = ref("headers", "XRateLimitLimit")
        headers["X-RateLimit-Remaining"] = ref("headers",
                                               "XRateLimitRemaining")
        headers["X-RateLimit-Reset"] = ref("headers", "XRateLimitReset")
    for h in extra_headers:
        headers[h[0]] = ref("headers", h[1])
    schema = {"allOf": [sref("ErrorEnvelope"), obj({
        "error": obj({"code": {"type": "string",
                               "enum": list(seen.keys())}})})]}
    return {"description": "%s. %s." % (REASON[status], ". ".join(parts)),
            "headers": headers,
            "content": {"application/json": {"schema": schema}},
            "x-hzm-error-codes": list(seen.keys())}

def shared_response(name, r):
    """The same answer for many operations, kept once under name."""
    if name in RESPONSES:
        assert RESPONSES[name] == r, name
    else:
        RESPONSES[name] = r
    return ref("responses", name)

def generic_name(status, method, auth, scope, rlname, idem, db):
    if status == 400:
        return ("BadRequestGet" if method == "GET" else
                "BadRequestBodyIdempotent" if idem else "BadRequestBody")
    if status == 401:
        return ("UnauthorizedAdmin" if auth in ("staff", "admin") else
                "UnauthorizedSession" if scope == "none" else
                "UnauthorizedApiKey")
    if status == 403:
        return ("ForbiddenAdmin" if auth in ("staff", "admin") else
                "ForbiddenSession" if scope == "none" else
                "ForbiddenApiKey_" + scope)
    if status == 429:
        return "RateLimited_" + rlname
    if status == 500:
        return "InternalError" if db else "InternalErrorNoDatabase"
    return {405: "MethodNotAllowed", 409: "IdempotencyInProgress",
            411: "LengthRequired", 413: "PayloadTooLarge",
            414: "UriTooLong", 415: "UnsupportedMediaType",
            422: "IdempotencyKeyReused", 431: "HeadersTooLarge",
            503: "ServiceUnavailable"}[status]

def op(method, path, opid, tag, summary, auth, scope, rl, description="",
       params=(), body=None, body_required=True, ok=None, errors=None,
       db=True, ok_ctype="application/json", sunset=None):
    assert opid not in OPIDS
    OPIDS.add(opid)
    errors = OrderedDict((k, list(v)) for k, v in (errors or {}).items())
    specific = set(errors)

    def add(status, code, why):
        errors.setdefault(status, []).append((code, why))

    rlname, limit, window, per = RL[rl]
    has_rl = limit > 0
    if method in ("GET", "HEAD"):
        add(400, "INVALID_REQUEST", "a body on a GET, a header sent twice "
            "or with control characters")
    else:
        add(400, "INVALID_REQUEST", "malformed JSON, a body that is not "
            "an object, an object naming a member twice (details `field` "
            "says where, e.g. `a.b[2].c`), a header sent twice or with "
            "control characters")
        add(411, "LENGTH_REQUIRED", "a body without Content-Length (a "
            "chunked one), where the web server will not take it so")
        add(413, "PAYLOAD_TOO_LARGE", "a body over 1 MiB")
        add(415, "UNSUPPORTED_MEDIA_TYPE", "a body that is not "
            "application/json")
    # What any request to the path may meet, whatever the operation.
    add(405, "METHOD_NOT_ALLOWED", "the path does not take this method "
        "(Allow lists those it takes)")
    add(414, "URI_TOO_LONG", "a query string over 4096 bytes")
    add(431, "HEADER_TOO_LARGE", "request headers over 8 KiB (lighttpd; "
        "Apache answers 400)")
    add(400, "INVALID_REQUEST", "request headers over 8 KiB (Apache)")
    if auth != "none":
        add(401, "UNAUTHORIZED", "no credentials")
        add(401, "AUTH_002", "the access token has expired")
        add(401, "AUTH_003", "the access token is invalid or revoked")
        if auth == "user":
            add(403, "FORBIDDEN", "the account is not active (e-mail not "
                "verified)")
        else:
            add(403, "FORBIDDEN", "not an admin console session, or the "
                "role does not allow it")
        add(403, "COMPLIANCE_003", "the account is suspended or blocked")
        if auth == "user" and scope == "none":
            add(403, "FORBIDDEN", "an API key was used: this endpoint "
                "takes a user session only")
        if auth == "user" and scope != "none":
            add(401, "UNAUTHORIZED", "X-API-Key without X-Email and "
                "X-API-Password, or a signature without X-Timestamp and "
                "X-Request-ID")
            add(401, "AUTH_001", "wrong API password or e-mail for the key")
            add(401, "AUTH_003", "API key unknown, revoked or expired; "
                "signature wrong, X-Timestamp off by more than 60 s, or "
                "a replayed request")
            add(403, "FORBIDDEN", "the API key lacks the `%s` scope or "
                "the caller's address is not on its allow-list" % scope)
    idem = method == "POST" and auth != "none"
    if idem:
        add(400, "INVALID_REQUEST", "X-Idempotency-Key is not 1-64 "
            "characters [A-Za-z0-9._~:-]")
        add(409, "CONFLICT", "a request with this X-Idempotency-Key is "
            "still running")
        add(422, "UNPROCESSABLE_ENTITY", "this X-Idempotency-Key was used "
            "for a different request")
    if has_rl:
        add(429, "RATE_LIMIT_EXCEEDED", "more than %d requests per %s per "
            "%s" % (limit, window_text(window),
                    "IP address" if per == "ip" else
                    "user (or API key)"))
    add(500, "INTERNAL_ERROR", None)
    if db:
        add(500, "SYSTEM_001", "a database error")
        add(503, "SERVICE_UNAVAILABLE", "the database cannot be reached")

    o = OrderedDict()
    o["tags"] = [tag]
    o["summary"] = summary
    sec_text = {
        ("none", "none"): "Public: no authentication.",
        ("user", "none"): "A user session (Bearer access token) only; API "
                          "keys are refused.",
        ("staff", "none"): "An admin console session of an ADMIN or "
                           "COMPLIANCE user.",
        ("admin", "none"): "An admin console session of an ADMIN user.",
    }
    if auth == "user" and scope != "none":
        st = ("A user session (Bearer access token), or an API key with "
              "the `%s` scope (with X-Email and X-API-Password, or "
              "signed)." % scope)
    else:
        st = sec_text[(auth, scope)]
    if has_rl:
        rt = ("Rate limit `%s`: %d per %s per %s (x10 in the sandbox)."
              % (rlname, limit, window_text(window),
                 "IP address" if per == "ip" else "user or API key"))
    else:
        rt = "Not rate limited."
    desc = description.strip()
    o["description"] = ((desc + "\n\n") if desc else "") + \
        "**Authentication:** %s\n\n**Required scope:** %s\n\n%s" % (
            st, ("`%s`" % scope if scope != "none" else
                 "none (API keys are not accepted)" if auth == "user" else
                 "none"), rt)
    o["operationId"] = opid
    if sunset is not None:
        # §9.2: the route's table names its sunset (core/app.h).
        import datetime
        d = datetime.datetime.strptime(sunset, "%Y-%m-%d")
        o["deprecated"] = True
        o["x-sunset"] = d.strftime("%a, %d %b %Y 00:00:00 GMT")
        o["description"] = ("**Deprecated** (§9.2): answers carry "
                            "`Deprecation: true` and `Sunset: %s`; the "
                            "route goes after that date.\n\n" %
                            o["x-sunset"]) + o["description"]
    o["x-hzm-auth"] = auth
    o["x-hzm-scope"] = scope
    o["x-hzm-rate-limit"] = OrderedDict([("class", rlname)] + (
        [("limit", limit), ("windowSeconds", window), ("per", per)]
        if has_rl else []))
    ps = [ref("parameters", "RequestId"), ref("parameters", "Traceparent")]
    if idem:
        ps.append(ref("parameters", "IdempotencyKey"))
    ps.extend(params)
    o["parameters"] = ps
    if body is not None:
        o["requestBody"] = {"required": body_required, "content": {
            "application/json": {"schema": body}}}
    if auth == "none":
        o["security"] = SEC_PUBLIC
    elif auth == "user":
        o["security"] = SEC_SESSION if scope == "none" else SEC_KEYS
    else:
        o["security"] = SEC_ADMIN
    resps = OrderedDict()
    for st_code, desc_ok, schema in ok:
        headers = OrderedDict([("X-Request-ID", ref("headers",
                                                    "XRequestId"))])
        if has_rl:
            headers["X-RateLimit-Limit"] = ref("headers", "XRateLimitLimit")
            headers["X-RateLimit-Remaining"] = ref("headers",
                                                   "XRateLimitRemaining")
            headers["X-RateLimit-Reset"] = ref("headers", "XRateLimitReset")
        if idem:
            headers["Idempotent-Replayed"] = ref("headers",
                                                 "IdempotentReplayed")
        if sunset is not None:
            headers["Deprecation"] = ref("headers", "Deprecation")
            headers["Sunset"] = ref("headers", "Sunset")
        ctype = ok_ctype
        resps[str(st_code)] = {"description": desc_ok, "headers": headers,
                               "content": {ctype: {"schema": schema}}}
    for status in sorted(errors):
        extra = []
        if status == 429 or status == 503:
            extra.append(("Retry-After", "RetryAfter"))
        if status == 401 and auth != "none":
            extra.append(("WWW-Authenticate", "WWWAuthenticate"))
        if status == 405:
            extra.append(("Allow", "Allow"))
        r = error_response(status, errors[status], status == 429, extra)
        if status not in specific:
            r = shared_response(generic_name(status, method, auth, scope,
                                             rlname, idem, db), r)
        resps[str(status)] = r
    o["responses"] = resps
    PATHS.setdefault(path, OrderedDict())[method.lower()] = o

V = "/api/v1"
FIELDS = "a field missing, of the wrong type, too long or short, or unknown"

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

MS = {"type": "integer", "format": "int64", "minimum": 0,
      "maximum": 253402300799999}
SYM400 = [("TRADE_005", "no such market")]
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
                                                "default": 20})],
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

# auth --------------------------------------------------------------------
op("POST", V + "/auth/register", "register", "auth", "Register",
   "none", "none", "RL_AUTH_REGISTER",
   description="Creates the account in PENDING_VERIFICATION and mails a "
               "6-digit code for POST /auth/verify-email; with a "
               "phoneNumber, a second code goes by SMS for POST "
               "/auth/verify-phone.",
   body=sref("RegisterRequest"),
   ok=[(201, "Registered (or already registered: the same answer).",
        envelope(sref("Registered")))],
   errors={400: [("INVALID_REQUEST", FIELDS + "; a weak password; a phone "
                  "number not in E.164; a referralCode not 4-16 letters "
                  "and digits or not any user's")],
           403: [("COMPLIANCE_001", "the address, its domain or the phone "
                  "number is on the identity blacklist (§11.1 Compliance "
                  "Check 1); staff get a BLACKLIST_HIT alert")]})
op("POST", V + "/auth/verify-email", "verifyEmail", "auth",
   "Verify the e-mail address", "none", "none", "RL_AUTH_VERIFY",
   body=sref("VerifyEmailRequest"),
   ok=[(200, "Verified: EMAIL_VERIFIED (or ACTIVE when the phone was "
        "verified first).", envelope(sref("EmailVerified")))],
   errors={400: [("INVALID_REQUEST", FIELDS + "; a code that is wrong, "
                  "expired or used up (field `code`)")]})
op("POST", V + "/auth/verify-phone", "verifyPhone", "auth",
   "Verify the phone number", "none", "none", "RL_AUTH_VERIFY",
   description="The code sent by SMS. With the e-mail verified too the "
               "account is ACTIVE at LEVEL_1 (Appendix C). Limits as for "
               "e-mail codes: 15 minutes, 5 attempts, a new code at most "
               "once a minute and 5 an hour (PUT /users/profile with the "
               "number asks for a new one).",
   body=sref("VerifyPhoneRequest"),
   ok=[(200, "Verified.", envelope(sref("PhoneVerified")))],
   errors={400: [("INVALID_REQUEST", FIELDS + "; a code that is wrong, "
                  "expired or used up, or an account with no number to "
                  "verify (field `code`)")]})
LOGIN_ERRS = {
    400: [("INVALID_REQUEST", FIELDS)],
    401: [("AUTH_001", "wrong e-mail address or password"),
          ("AUTH_004", "a two-factor code is required (details "
           "`twoFactorRequired: true`), wrong, or already used")],
    403: [("FORBIDDEN", "the e-mail address is not verified yet"),
          ("COMPLIANCE_003", "the account is suspended or blocked")],
    429: [("RATE_LIMIT_EXCEEDED", "too many failed logins for the account "
           "(progressively slowed from the 5th, locked after 100 in an "
           "hour) or the address (50 in 15 minutes)")],
}
op("POST", V + "/auth/login", "login", "auth", "Log in", "none", "none",
   "RL_AUTH_LOGIN",
   description="Returns a 15-minute access token and a 30-day refresh "
               "token. twoFactorCode is needed when the account has 2FA. "
               "With X-Refresh-Cookie: 1 the refresh token is set as the "
               "httpOnly hzm_refresh cookie instead of the body.",
   params=[ref("parameters", "DeviceId"), ref("parameters", "ClientVersion"),
           ref("parameters", "RefreshCookie")],
   body=sref("LoginRequest"),
   ok=[(200, "Logged in.", envelope(sref("TokenPair")))],
   errors=LOGIN_ERRS)
op("POST", V + "/auth/refresh", "refreshToken", "auth",
   "Rotate the refresh token", "none", "none", "RL_AUTH_REFRESH",
   description="The refresh token is single-use: the answer carries a new "
               "pair. Presenting a used one again ends the whole session "
               "(reuse detection). Browsers send `{}` with X-Refresh-Cookie: "
               "1 and the hzm_refresh cookie, and get the new one as a "
               "cookie too.",
   params=[ref("parameters", "DeviceId"), ref("parameters", "ClientVersion"),
           ref("parameters", "RefreshCookie"),
           ref("parameters", "RefreshCookieValue")],
   body=sref("RefreshRequest"),
   ok=[(200, "A new token pair.", envelope(sref("TokenPair")))],
   errors={400: [("INVALID_REQUEST", FIELDS)],
           401: [("AUTH_003", "refresh token unknown, expired, revoked or "
                  "reused (the session is then revoked), or X-Refresh-Cookie "
                  "without a usable cookie")],
           403: [("COMPLIANCE_003", "the account is suspended or "
                  "blocked")]})
op("POST", V + "/auth/logout", "logout", "auth", "Log out", "user", "none",
   "RL_AUTH_LOGOUT",
   description="Ends this session: its refresh-token family and this "
               "access token. With X-Refresh-Cookie: 1 the answer also "
               "clears the hzm_refresh cookie.",
   params=[ref("parameters", "RefreshCookie")],
   ok=[(200, "Logged out.", envelope(sref("LoggedOut")))])
op("POST", V + "/auth/password/reset-request", "requestPasswordReset",
   "auth", "Ask for a password reset code", "none", "none",
   "RL_AUTH_RESET",
   description="Mails a 6-digit code when the address has an account; "
               "the answer is the same either way.",
   body=sref("EmailRequest"),
   ok=[(200, "Accepted.", envelope(sref("Message")))],
   errors={400: [("INVALID_REQUEST", FIELDS)]})
op("POST", V + "/auth/password/reset", "resetPassword", "auth",
   "Set a new password with the mailed code", "none", "none",
   "RL_AUTH_RESET",
   description="Every existing session of the account ends.",
   body=sref("PasswordResetRequest"),
   ok=[(200, "Password changed.", envelope(sref("PasswordChanged")))],
   errors={400: [("INVALID_REQUEST", FIELDS + "; a code that is wrong, "
                  "expired or used up; a weak newPassword")]})
op("POST", V + "/auth/2fa/setup", "setupTwoFactor", "auth",
   "Start 2FA enrolment", "user", "none", "RL_AUTH_2FA",
   description="Returns a new TOTP secret; it takes effect with POST "
               "/auth/2fa/enable.",
   ok=[(200, "The secret to enrol.", envelope(sref("TwoFactorSetup")))],
   errors={409: [("CONFLICT", "2FA is already enabled")]})
op("POST", V + "/auth/2fa/enable", "enableTwoFactor", "auth",
   "Enable 2FA", "user", "none", "RL_AUTH_2FA",
   body=sref("TwoFactorCodeRequest"),
   ok=[(200, "Enabled.", envelope(sref("TwoFactorState")))],
   errors={400: [("INVALID_REQUEST", FIELDS)],
           401: [("AUTH_004", "wrong or reused code")],
           409: [("CONFLICT", "2FA is already enabled, or /auth/2fa/setup "
                  "was not called")]})
op("POST", V + "/auth/2fa/disable", "disableTwoFactor", "auth",
   "Disable 2FA", "user", "none", "RL_AUTH_2FA",
   body=sref("TwoFactorCodeRequest"),
   ok=[(200, "Disabled.", envelope(sref("TwoFactorState")))],
   errors={400: [("INVALID_REQUEST", FIELDS)],
           401: [("AUTH_004", "wrong or reused code")],
           403: [("FORBIDDEN", "staff accounts must keep 2FA")],
           409: [("CONFLICT", "2FA is not enabled")]})

# users -------------------------------------------------------------------
S["Session"] = obj(OrderedDict([
    ("sessionId", s("The login's session (its refresh family).",
                    format="uuid")),
    ("deviceId", nullable(s("X-Device-ID or the login's deviceId."))),
    ("clientVersion", nullable(s("X-Client-Version at login or the last "
                                 "refresh."))),
    ("ipAddress", nullable(s())),
    ("createdAt", TS),
    ("lastSeenAt", nullable(TS)),
    ("current", {"type": "boolean", "description": "The session of this "
                 "request's token."}),
    ("adminSession", {"type": "boolean"}),
]), ["sessionId", "deviceId", "clientVersion", "ipAddress", "createdAt",
     "lastSeenAt", "current", "adminSession"])
op("GET", V + "/users/sessions", "listSessions", "users",
   "The caller's active sessions", "user", "none", "RL_PROFILE_GET",
   description="Logins whose refresh token still works, last seen first: "
               "device, client version, address, last seen (updated by "
               "the session's requests at most once a minute, and by "
               "refresh).",
   ok=[(200, "The sessions.", envelope({"type": "array",
                                        "items": sref("Session")}))])
op("DELETE", V + "/users/sessions/{sessionId}", "endSession", "users",
   "End one of the caller's sessions", "user", "none", "RL_PROFILE_PUT",
   description="Its refresh token is revoked and its access tokens stop "
               "working at once; the current session may end itself.",
   params=[pparam("sessionId", "A session's id; anything else, another "
                  "user's or one ended already is 404.", s(format="uuid"))],
   ok=[(200, "Ended.", envelope(obj(OrderedDict([
       ("sessionId", s()), ("ended", {"type": "boolean"}),
       ("current", {"type": "boolean"})]), ["sessionId", "ended",
                                             "current"])))],
   errors={404: [("NOT_FOUND", "no such active session of the caller")]})
op("GET", V + "/users/profile", "getProfile", "users",
   "The caller's profile", "user", "read", "RL_PROFILE_GET",
   ok=[(200, "The profile.", envelope(sref("Profile")))],
   errors={404: [("NOT_FOUND", "the account no longer exists")]})
op("PUT", V + "/users/profile", "updateProfile", "users",
   "Change phone number or display name", "user", "none", "RL_PROFILE_PUT",
   body=sref("ProfileUpdate"),
   ok=[(200, "The updated profile.", envelope(sref("Profile")))],
   errors={400: [("INVALID_REQUEST", FIELDS + "; a read-only field; "
                  "nothing to change; phoneNumber not E.164; displayName "
                  "over 64 characters, with outer spaces, or with "
                  "control, bidi or invisible characters")]})

# kyc ---------------------------------------------------------------------
op("POST", V + "/kyc/submit", "submitKyc", "kyc",
   "Submit identity documents", "user", "none", "RL_KYC_SUBMIT",
   description="Documents travel as base64 inside the JSON body (each at "
               "most 200 KiB decoded). The application waits for staff "
               "review (PENDING_REVIEW), screened against the PEP and "
               "sanctions lists (a match holds it for compliance). With "
               "draft: true it is kept as PENDING_SUBMISSION and the next "
               "requests complete it (the form they send replaces the "
               "draft's).",
   body=sref("KycSubmitRequest"),
   ok=[(201, "Submitted (or saved as a draft).",
        envelope(sref("KycSubmitted")))],
   errors={400: [("INVALID_REQUEST", FIELDS + "; names with digits, "
                  "markup, or control, bidi or invisible characters; "
                  "under 18; unknown nationality; an invalid idNumber; "
                  "idExpiryDate not a date, past, today or more than 20 "
                  "years ahead"),
                 ("KYC_004", "a document missing (details "
                  "`missingDocuments`), of another content type, not valid base64, empty, over 200 KiB, not "
                  "matching its contentType, or not a whole well-formed "
                  "file of it (field `documents.<name>[.contentType|.data]`, "
                  "the reason says what is wrong)")],
           409: [("CONFLICT", "already verified at LEVEL_2 or above, or "
                  "an application is under review (details `kycId`, "
                  "`status`)")]})
op("GET", V + "/kyc/status", "getKycStatus", "kyc",
   "KYC status and limits", "user", "read", "RL_KYC_STATUS",
   ok=[(200, "The status of the latest application.",
        envelope(sref("KycStatus")))])

# admin -------------------------------------------------------------------
ADMIN_LOGIN_ERRS = {
    400: [("INVALID_REQUEST", FIELDS)],
    401: [("AUTH_001", "wrong e-mail address or password, or not a staff "
           "account"),
          ("AUTH_004", "the two-factor code is missing (details "
           "`twoFactorRequired: true`), wrong, or already used")],
    403: [("FORBIDDEN", "the e-mail address is not verified, or 2FA is not "
           "enabled on the account"),
          ("COMPLIANCE_003", "the account is suspended or blocked")],
    429: [("RATE_LIMIT_EXCEEDED", "too many failed logins for the account "
           "or the address")],
}
op("POST", V + "/admin/auth/login", "adminLogin", "admin",
   "Staff login (admin console session)", "none", "none", "RL_ADMIN_LOGIN",
   description="For ADMIN and COMPLIANCE users with 2FA enabled; "
               "twoFactorCode is required. Recorded in the audit log.",
   params=[ref("parameters", "DeviceId"), ref("parameters", "ClientVersion")],
   body=sref("LoginRequest"),
   ok=[(200, "An admin session (adminSession: true).",
        envelope(sref("TokenPair")))],
   errors=ADMIN_LOGIN_ERRS)
op("GET", V + "/admin/users", "adminListUsers", "admin", "List users",
   "staff", "none", "RL_ADMIN_READ",
   description="Filters and sort as in spec §2.6; unknown or repeated "
               "query parameters are refused.",
   params=[ref("parameters", "Page"), ref("parameters", "PageSize"),
           qparam("sort", "Comma-separated fields createdAt, email, status, "
                  "kycLevel, each with + (ascending, the default) or - "
                  "(descending); default -createdAt.",
                  s(pattern="^[+ -]?(createdAt|email|status|kycLevel)"
                      "(,[+ -]?(createdAt|email|status|kycLevel)){0,3}$",
                    example="-createdAt,+email")),
           qparam("filter_status", "Only users in this status.",
                  sref("UserStatus")),
           qparam("filter_kycLevel", "Only users at this level.",
                  sref("KycLevel")),
           qparam("filter_email", "E-mail address prefix (case does not "
                  "matter).", s(minLength=1, maxLength=254)),
           qparam("filter_role", "Only users with this role.",
                  sref("Role"))],
   ok=[(200, "A page of users.", list_envelope(sref("AdminUserSummary")))],
   errors={400: [("INVALID_REQUEST", "an unknown or repeated query "
                  "parameter; page, pageSize, a filter or sort out of "
                  "range")]})
op("GET", V + "/admin/users/{userId}", "adminGetUser", "admin",
   "One user, with limits and the latest KYC application", "staff", "none",
   "RL_ADMIN_READ", params=[ref("parameters", "UserId")],
   ok=[(200, "The user.", envelope(sref("AdminUserDetail")))],
   errors={404: [("NOT_FOUND", "no such user")]})
op("PUT", V + "/admin/users/{userId}/status", "adminSetUserStatus", "admin",
   "Activate, suspend or block a user", "admin", "none", "RL_ADMIN_WRITE",
   description="Written to the audit log. SUSPENDED and BLOCKED end the "
               "user's sessions at once.",
   params=[ref("parameters", "UserId")], body=sref("UserStatusUpdate"),
   ok=[(200, "Changed.", envelope(sref("UserStatusChanged")))],
   errors={400: [("INVALID_REQUEST", FIELDS + "; an unknown status")],
           403: [("FORBIDDEN", "admins cannot change their own account")],
           404: [("NOT_FOUND", "no such user")],
           409: [("CONFLICT", "ACTIVE for a user whose e-mail address is "
                  "not verified")]})
op("PUT", V + "/admin/users/{userId}/limits", "adminSetUserLimits", "admin",
   "Set a user's own limits", "admin", "none", "RL_ADMIN_WRITE",
   description="Replaces the KYC level's defaults for this user; written "
               "to the audit log.",
   params=[ref("parameters", "UserId")], body=sref("UserLimitsUpdate"),
   ok=[(200, "Changed.", envelope(sref("UserLimitsChanged")))],
   errors={400: [("INVALID_REQUEST", FIELDS + "; an amount with more than "
                  "2 decimals, negative or too large; monthlyWithdrawal "
                  "below dailyWithdrawal")],
           403: [("FORBIDDEN", "admins cannot change their own account")],
           404: [("NOT_FOUND", "no such user")]})
op("GET", V + "/admin/kyc/pending", "adminListPendingKyc", "admin",
   "KYC applications awaiting review", "staff", "none", "RL_ADMIN_READ",
   description="Oldest first. Documents are listed by kind, type, size "
               "and hash.",
   params=[ref("parameters", "Page"), ref("parameters", "PageSize")],
   ok=[(200, "A page of applications.",
        list_envelope(sref("KycPendingApplication")))],
   errors={400: [("INVALID_REQUEST", "an unknown or repeated query "
                  "parameter; page or pageSize out of range")]})
def merged(a, b):
    c = dict(a)
    c.update(b)
    return c

DECIDE_ERRS = {
    403: [("FORBIDDEN", "staff cannot review their own application")],
    404: [("NOT_FOUND", "no such KYC application")],
    409: [("CONFLICT", "the application has already been decided "
           "(details `status`)")],
}
APPROVE_HOLD = {409: [("CONFLICT", "held by screening: its BLACKLIST_HIT "
                       "alert is not RESOLVED or FALSE_POSITIVE yet "
                       "(details `screeningAlertId`)")]}
op("POST", V + "/admin/kyc/{kycId}/approve", "adminApproveKyc", "admin",
   "Approve a KYC application", "staff", "none", "RL_ADMIN_WRITE",
   description="Raises the user's level (never lowers it), mails the user "
               "and writes the audit log. The body is optional.",
   params=[ref("parameters", "KycId")], body=sref("KycApproveRequest"),
   body_required=False,
   ok=[(200, "Approved.", envelope(sref("KycDecision")))],
   errors=merged(merged(DECIDE_ERRS, APPROVE_HOLD),
                 {400: [("INVALID_REQUEST", FIELDS + "; an unknown level; "
                         "LEVEL_3 (granted by a video-call review)")]}))
op("POST", V + "/admin/kyc/{kycId}/reject", "adminRejectKyc", "admin",
   "Reject a KYC application", "staff", "none", "RL_ADMIN_WRITE",
   description="Mails the user the reason (never the note) and writes the "
               "audit log.",
   params=[ref("parameters", "KycId")], body=sref("KycRejectRequest"),
   ok=[(200, "Rejected.", envelope(sref("KycDecision")))],
   errors=merged(DECIDE_ERRS, {400: [("INVALID_REQUEST", FIELDS + "; an "
                                      "unknown reason; no note with "
                                      "OTHER")]}))
op("POST", V + "/admin/kyc/{kycId}/video-review", "adminKycVideoReview",
   "admin", "Record a video-call review (LEVEL_3)", "staff", "none",
   "RL_ADMIN_WRITE",
   description="Enhanced verification (Appendix C LEVEL_3): staff record "
               "the outcome of a video call with the person of an "
               "application approved at LEVEL_2. PASSED raises the "
               "application and the user to LEVEL_3 (its higher limits) "
               "and mails the user; FAILED is recorded and changes "
               "nothing. Both are audited with the reviewer.",
   params=[ref("parameters", "KycId")], body=sref("KycVideoReviewRequest"),
   ok=[(200, "Recorded.", envelope(sref("KycVideoReview")))],
   errors={400: [("INVALID_REQUEST", FIELDS + "; an unknown outcome")],
           403: [("FORBIDDEN", "staff cannot review their own application")],
           404: [("NOT_FOUND", "no such KYC application")],
           409: [("CONFLICT", "the application is not APPROVED at LEVEL_2 "
                  "or above (details `status`, `level`)")]})

# api keys ----------------------------------------------------------------
op("GET", V + "/api-keys", "listApiKeys", "api-keys",
   "The caller's API keys", "user", "none", "RL_PROFILE_GET",
   description="Revoked keys included; keys are shown masked.",
   ok=[(200, "The keys, oldest first.",
        envelope({"type": "array", "items": sref("ApiKey")}))])
op("POST", V + "/api-keys", "createApiKey", "api-keys",
   "Save the Binance key, or create a platform API key", "user", "none",
   "RL_AUTH_2FA",
   description="The body's shape decides. `{api_key, secret_key}` (or "
               "`{apiKey, secretKey}`) is the caller's Binance API key "
               "(seed 000): it is checked with Binance (a signed GET "
               "/api/v3/account, then /sapi/v1/account/apiRestrictions) "
               "and kept sealed, replacing any earlier one; a key that "
               "may withdraw is refused, one not limited to IP addresses "
               "is kept with a warning. Any other body is a platform API "
               "key, exactly as POST /api/v1/api-keys/generate.",
   body={"oneOf": [sref("BinanceKeyRequest"), sref("ApiKeyGenerateRequest")]},
   ok=[(201, "The Binance key (masked) or the new platform key.",
        envelope({"oneOf": [sref("BinanceKey"), sref("ApiKeyCreated")]}))],
   errors={400: [("INVALID_REQUEST", FIELDS + "; Binance refused the key "
                  "(details `field`: api_key or secret_key, `binanceCode`: "
                  "-2015 invalid key, IP or permissions, -2014 key format, "
                  "-1022 the secret does not sign for the key); the key "
                  "may withdraw (enableWithdrawals)")],
           401: [("AUTH_004", "platform key: wrong or reused two-factor "
                  "code")],
           403: [("FORBIDDEN", "platform key: 2FA is not enabled on the "
                  "account")],
           409: [("CONFLICT", "platform key: already 20 active keys")],
           429: [("RATE_LIMIT_EXCEEDED", "Binance asked to wait "
                  "(429/418): Retry-After says how long")],
           503: [("SYSTEM_003", "Binance did not answer, failed (5xx), "
                  "answered what does not parse, or refused this server's "
                  "clock (-1021); nothing was saved")]})
op("GET", V + "/api-keys/me", "getBinanceKey", "api-keys",
   "The caller's Binance key", "user", "none", "RL_PROFILE_GET",
   description="Masked: never the key or the secret. `me` is never a "
               "platform key id.",
   ok=[(200, "The key.", envelope(sref("BinanceKey")))],
   errors={404: [("NOT_FOUND", "no Binance key saved")]})
op("DELETE", V + "/api-keys/me", "deleteBinanceKey", "api-keys",
   "Forget the caller's Binance key", "user", "none", "RL_PROFILE_PUT",
   ok=[(200, "Deleted.", envelope(obj({"deleted": {"type": "boolean"}},
                                       ["deleted"])))],
   errors={404: [("NOT_FOUND", "no Binance key saved")]})
op("POST", V + "/api-keys/generate", "generateApiKey", "api-keys",
   "Create an API key", "user", "none", "RL_AUTH_2FA",
   description="Needs 2FA enabled and a current code. The key and its "
               "API password are shown once, in this answer. At most 20 "
               "active keys.",
   body=sref("ApiKeyGenerateRequest"),
   ok=[(201, "Created.", envelope(sref("ApiKeyCreated")))],
   errors={400: [("INVALID_REQUEST", FIELDS + "; scopes not a non-empty "
                  "list of read, trade, withdraw; expiresAt not in the "
                  "future; ipWhitelist entries not addresses or CIDR "
                  "ranges")],
           401: [("AUTH_004", "wrong or reused two-factor code")],
           403: [("FORBIDDEN", "2FA is not enabled on the account")],
           409: [("CONFLICT", "already 20 active keys")]})
op("GET", V + "/api-keys/{keyId}", "getApiKey", "api-keys",
   "One of the caller's API keys", "user", "none", "RL_PROFILE_GET",
   params=[ref("parameters", "KeyId")],
   ok=[(200, "The key.", envelope(sref("ApiKey")))],
   errors={404: [("NOT_FOUND", "no such key of the caller's")]})
op("POST", V + "/api-keys/{keyId}/regenerate", "regenerateApiKey",
   "api-keys", "New key and password for an API key", "user", "none",
   "RL_AUTH_2FA",
   description="The old key and password stop working; the new ones are "
               "shown once. Needs a current 2FA code.",
   params=[ref("parameters", "KeyId")],
   body=sref("TwoFactorCodeField"),
   ok=[(200, "Regenerated.", envelope(sref("ApiKeyCreated")))],
   errors={400: [("INVALID_REQUEST", FIELDS)],
           401: [("AUTH_004", "wrong or reused two-factor code")],
           403: [("FORBIDDEN", "2FA is not enabled on the account")],
           404: [("NOT_FOUND", "no such key of the caller's, or it is "
                  "revoked")]})
op("POST", V + "/api-keys/{keyId}/revoke", "revokeApiKey", "api-keys",
   "Revoke an API key", "user", "none", "RL_PROFILE_PUT",
   description="Takes no body (or an empty object). Revoking twice is "
               "harmless.",
   params=[ref("parameters", "KeyId")],
   body=obj({}, closed=True, desc="Empty."), body_required=False,
   ok=[(200, "The revoked key.", envelope(sref("ApiKey")))],
   errors={400: [("INVALID_REQUEST", "the body has fields")],
           404: [("NOT_FOUND", "no such key of the caller's")]})

# docs --------------------------------------------------------------------
op("GET", "/api/docs/openapi.json", "getOpenApi", "docs",
   "This document", "none", "none", "RL_PUBLIC", db=False,
   description="OpenAPI 3.0 (spec §8.1); served with "
               "`Access-Control-Allow-Origin: *` for viewers elsewhere.",
   ok=[(200, "The OpenAPI document (not in the envelope).",
        {"type": "object"})],
   errors={404: [("NOT_FOUND", "the description is not installed")]})
op("GET", "/api/docs/asyncapi.json", "getAsyncApi", "docs",
   "The WebSocket API's description", "none", "none", "RL_PUBLIC", db=False,
   description="AsyncAPI 2.6 description of `/ws` (spec §5, Appendix B): "
               "the client's messages, every channel's messages, the "
               "order book's sync procedure, authentication and close "
               "codes; served with `Access-Control-Allow-Origin: *`.",
   ok=[(200, "The AsyncAPI document (not in the envelope).",
        {"type": "object"})],
   errors={404: [("NOT_FOUND", "the description is not installed")]})
op("GET", "/api/docs", "getDocsPage", "docs",
   "This document in Swagger UI", "none", "none", "RL_PUBLIC",
   db=False, ok_ctype="text/html",
   description="Swagger UI over this document, served from this server "
               "(no CDN) under a Content-Security-Policy without inline "
               "script; links to ReDoc and the WebSocket API.",
   ok=[(200, "HTML (not in the envelope).", s())])
op("GET", "/api/redoc", "getRedocPage", "docs",
   "This document in ReDoc", "none", "none", "RL_PUBLIC",
   db=False, ok_ctype="text/html",
   description="ReDoc over this document, served from this server (no "
               "CDN).",
   ok=[(200, "HTML (not in the envelope).", s())])
op("GET", "/api/docs/ws", "getWebSocketDocsPage", "docs",
   "The WebSocket API, as a page", "none", "none", "RL_PUBLIC",
   db=False, ok_ctype="text/html",
   description="The AsyncAPI description of `/ws` as a plain HTML page "
               "(generated by `make docs`), without scripts.",
   ok=[(200, "HTML (not in the envelope).", s())])


def add_orders():
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
                 ("MARKET_CLOSED", "the market is not ACTIVE (details "
                  "`status`)"),
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
               qparam("sort", "-timestamp (default, newest first) or "
                      "+timestamp.", s(enum=["-timestamp", "+timestamp",
                                             "timestamp"])),
               qparam("filter_symbol", "Only this market.", SYMBOL),
               qparam("filter_orderId", "Only this order's trades.",
                      s(pattern="^ord_.{20}$")),
               qparam("filter_role", "Only as maker or taker.",
                      s(enum=["MAKER", "TAKER"]))],
       ok=[(200, "A page of trades.", list_envelope(sref("Trade")))],
       errors={400: [("INVALID_REQUEST", "an unknown or repeated query "
                      "parameter; page, pageSize, a filter or sort out of "
                      "range")]})


def add_wallets():
    op("GET", V + "/wallets/balances", "listBalances", "wallets",
       "The caller's balances", "user", "read", "RL_WALLET_GET",
       description="One row per asset, with its value in TRY; `meta` holds "
                   "the total (spec §4.3's totalValueInTRY).",
       ok=[(200, "Every asset.", {"allOf": [
           sref("SuccessEnvelope"),
           obj(OrderedDict([
               ("data", {"type": "array", "items": sref("Balance")}),
               ("meta", obj({"totalValueInTRY": dec(
                   "The sum of valueInTRY.", "374500.00")},
                   ["totalValueInTRY"])),
           ]), ["data", "meta"])]})])
    op("GET", V + "/wallets/{asset}/balance", "getBalance", "wallets",
       "The caller's balance of one asset", "user", "read",
       "RL_WALLET_GET", params=[ref("parameters", "Asset")],
       ok=[(200, "The balance.", envelope(sref("Balance")))],
       errors={404: [("NOT_FOUND", "no such asset")]})
    op("GET", V + "/wallets/{asset}/deposit-address", "getDepositAddress",
       "wallets", "The caller's deposit address for an asset", "user",
       "read", "RL_WALLET_ADDRESS",
       description="Stable: the first request asks the network's node for "
                   "a new address of its wallet (labelled with the "
                   "caller's user id) and stores it before answering; every "
                   "later request answers the same. Transfers to it are "
                   "seen by the chain watcher (`cron-chain`) within "
                   "seconds, listed at once as PENDING with their "
                   "confirmations, and credited once they have "
                   "`confirmations` of them.",
       params=[ref("parameters", "Asset"),
               qparam("network", "The network (default: the asset's "
                      "default one, BTC for BTC).",
                      s(pattern="^[A-Z0-9]{2,10}$", example="BTC"))],
       ok=[(200, "The address.", envelope(sref("DepositAddress")))],
       errors={400: [("INVALID_REQUEST", "an unknown query parameter or a "
                      "malformed network; an asset with no blockchain "
                      "(TRY) or whose deposits are not open, or a network "
                      "it does not take deposits on (details `field`, "
                      "`reason`)")],
               404: [("NOT_FOUND", "no such asset")],
               503: [("SYSTEM_003", "the first request, and the node cannot "
                      "be reached, is busy or loading (\"Blockchain node "
                      "unavailable\") or answered wrongly; no address is "
                      "stored (details `network`)")]})
    op("GET", V + "/wallets/deposits", "listDeposits", "wallets",
       "The caller's deposits", "user", "read", "RL_WALLET_GET",
       params=[ref("parameters", "Page"), ref("parameters", "PageSize"),
               qparam("sort", "-createdAt (default, newest first) or "
                      "+createdAt.", s(enum=["-createdAt", "+createdAt",
                                             "createdAt"])),
               qparam("filter_status", "Only deposits in this status.",
                      s(enum=["PENDING", "COMPLETED", "REJECTED",
                              "FAILED"])),
               qparam("filter_asset", "Only this asset.",
                      s(pattern="^[A-Z0-9]{2,10}$"))],
       ok=[(200, "A page of deposits.", list_envelope(sref("Deposit")))],
       errors={400: [("INVALID_REQUEST", "an unknown or repeated query "
                      "parameter; page, pageSize, a filter or sort out of "
                      "range")]})
    op("POST", V + "/wallets/{asset}/withdraw", "createWithdrawal",
       "wallets", "Withdraw crypto to an address", "user", "withdraw",
       "RL_WALLET",
       description="Needs KYC LEVEL_2 and 2FA (a current code). Checked in "
                   "this order: the fields, the asset and network (its "
                   "withdrawals open), the address (WALLET_001), the "
                   "minimum (WALLET_003), KYC, 2FA on, a hold (24 hours "
                   "after a password change or 2FA turned off, "
                   "`withdraw_security_hold_hours`; a compliance hold), "
                   "the day's count (`withdraw_max_per_day`), the code, "
                   "the blacklist, the balance (amount + fee), the limits "
                   "in TRY at the last trade price (the last 24 hours and "
                   "30 days; the daily limit may be passed by "
                   "`withdraw_limit_review_pct` with approval). Then the "
                   "rules engine scores it, the request is stored and its "
                   "amount and fee locked, in one transaction. Clean and "
                   "under `withdraw_approval_try` it is PENDING_SIGNATURE "
                   "and the withdrawal worker sends it; otherwise "
                   "PENDING_APPROVAL (two approvers above "
                   "`withdraw_dual_approval_try`), and a HIGH or CRITICAL "
                   "score raises a compliance alert that staff are mailed.",
       params=[ref("parameters", "Asset")], body=sref("WithdrawRequest"),
       ok=[(201, "Requested.", envelope(sref("Withdrawal")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; an amount with more "
                      "decimals than the asset, zero or too large; a "
                      "network the asset is not withdrawn on, an asset "
                      "with no blockchain (TRY) or whose withdrawals are "
                      "not open; a memo where the network takes none "
                      "(details `field`, `reason`)"),
                     ("WALLET_001", "not an address of the network and its "
                      "chain (details `field`, `network`, `reason`)"),
                     ("WALLET_002", "the withdrawal limit (details "
                      "`period` DAILY or MONTHLY, `limit`, `used`, "
                      "`requested`, `currency`); the spec's "
                      "WITHDRAWAL_LIMIT_EXCEEDED"),
                     ("WALLET_003", "under the network's minimum (details "
                      "`minWithdrawal`)"),
                     ("WALLET_006", "a blacklisted address: refused, the "
                      "account's withdrawals held and a CRITICAL alert "
                      "raised; the spec's SUSPICIOUS_ADDRESS"),
                     ("INSUFFICIENT_BALANCE", "amount + fee over what is "
                      "available (details `required`, `available`, "
                      "`currency`)")],
               401: [("AUTH_004", "the two-factor code is missing, "
                      "malformed, wrong or used already; the spec's "
                      "INVALID_2FA_CODE")],
               403: [("KYC_001", "under KYC LEVEL_2"),
                     ("FORBIDDEN", "2FA is not enabled, or withdrawals are "
                      "held after a password change or 2FA turned off "
                      "(details `hold`, `holdUntil`)"),
                     ("COMPLIANCE_001", "withdrawals held for a compliance "
                      "review"),
                     ("COMPLIANCE_002", "more withdrawals in the last 24 "
                      "hours than withdraw_max_per_day")],
               404: [("NOT_FOUND", "no such asset")]})
    op("GET", V + "/wallets/withdrawals", "listWithdrawals", "wallets",
       "The caller's withdrawals", "user", "read", "RL_WALLET_GET",
       params=[ref("parameters", "Page"), ref("parameters", "PageSize"),
               qparam("sort", "-createdAt (default, newest first) or "
                      "+createdAt.", s(enum=["-createdAt", "+createdAt",
                                             "createdAt"])),
               qparam("filter_status", "Only withdrawals in this status.",
                      s(enum=WD_STATUSES)),
               qparam("filter_asset", "Only this asset.",
                      s(pattern="^[A-Z0-9]{2,10}$"))],
       ok=[(200, "A page of withdrawals.", list_envelope(sref("Withdrawal")))],
       errors={400: [("INVALID_REQUEST", "an unknown or repeated query "
                      "parameter; page, pageSize, a filter or sort out of "
                      "range")]})


def add_admin_withdrawals():
    # The review queue's, the decisions' and compliance's own shapes.
    S["RiskFactor"] = obj(OrderedDict([
        ("factor", s(enum=["BLACKLISTED_ADDRESS", "OVER_DAILY_LIMIT",
                           "VERY_LARGE_AMOUNT", "LARGE_AMOUNT", "STRUCTURING",
                           "QUICK_TURNAROUND", "UNUSUAL_AMOUNT", "SHARED_ADDRESS",
                           "OPEN_ALERTS", "NEW_ACCOUNT", "EXCHANGE_ADDRESS",
                           "VELOCITY", "FIRST_WITHDRAWAL", "NEW_ADDRESS",
                           "NO_PRICE"])),
        ("points", {"type": "integer", "minimum": 0, "maximum": 100}),
        ("detail", s("Why, in words.")),
    ]), ["factor", "points", "detail"])
    S["WithdrawalReview"] = obj(OrderedDict([
        ("withdrawalId", s(pattern="^wdr_" + B32ID + "$")),
        ("asset", s()), ("network", s()), ("amount", dec("")), ("fee", dec("")),
        ("address", ADDR), ("memo", nullable(s())),
        ("status", s(enum=WD_STATUSES)),
        ("createdAt", TS), ("updatedAt", TS),
        ("valueInTRY", nullable(dec("The amount's worth when requested; null "
                                    "when the asset had no TRY price."))),
        ("riskScore", {"type": "integer", "minimum": 0, "maximum": 100}),
        ("riskLevel", s(enum=["LOW", "MEDIUM", "HIGH", "CRITICAL"])),
        ("riskFactors", {"type": "array", "items": sref("RiskFactor")}),
        ("reviewReasons", {"type": "array", "items": s(enum=[
            "OVER_DAILY_LIMIT", "ABOVE_APPROVAL_THRESHOLD", "NO_PRICE",
            "RISK_SCORE"])}),
        ("approvalsRequired", {"type": "integer", "minimum": 0, "maximum": 2}),
        ("approvals", {"type": "array", "items": obj(OrderedDict([
            ("adminUserId", sref("UserId")), ("adminEmail", s()),
            ("reason", s()), ("approvedAt", TS)]))}),
        ("alert", nullable(obj(OrderedDict([
            ("alertId", s()), ("severity", s()), ("type", s()),
            ("resolution", s())])))),
        ("user", obj(OrderedDict([
            ("userId", sref("UserId")), ("email", s()),
            ("status", sref("UserStatus")), ("kycLevel", sref("KycLevel")),
            ("createdAt", TS), ("accountAgeDays", {"type": "integer"}),
            ("twoFactorEnabled", {"type": "boolean"}),
            ("limits", sref("UserLimits"))]))),
        ("history", obj(OrderedDict([
            ("deposits30d", obj({"count": {"type": "integer"},
                                 "valueInTRY": dec("")})),
            ("withdrawals", obj({"count": {"type": "integer"},
                                 "completed": {"type": "integer"},
                                 "rejected": {"type": "integer"},
                                 "failed": {"type": "integer"},
                                 "largestCompletedInTRY": nullable(dec("")),
                                 "lastCompletedAt": nullable(TS_STR)})),
            ("trades30d", obj({"count": {"type": "integer"},
                               "volumeInTRY": dec("")})),
            ("recentWithdrawals", {"type": "array", "items": {"type": "object"}}),
            ("openAlerts", {"type": "integer"})]),
            desc="The user's other withdrawals, deposits and trades.")),
        ("addressAnalysis", obj(OrderedDict([
            ("network", s()), ("blacklisted", {"type": "boolean"}),
            ("paidBeforeByUser", {"type": "integer"}),
            ("otherUsers", {"type": "integer"}),
            ("exchangeDepositAddress", {"type": "boolean"}),
            ("firstSeenAt", nullable(TS_STR))]))),
        ("txHash", nullable(s())), ("confirmations", {"type": "integer"}),
        ("requiredConfirmations", {"type": "integer"}),
        ("lastError", nullable(s("The last trouble sending or following it."))),
        ("rejectedReason", nullable(s())),
        ("decidedAt", nullable(TS_STR)), ("decidedBy", nullable(s())),
    ]), ["withdrawalId", "status", "riskScore", "riskLevel", "riskFactors",
         "approvalsRequired", "approvals", "user", "history", "addressAnalysis"],
        desc="A withdrawal with what a reviewer needs (spec §11.3): the user's "
             "profile, KYC level and limits, their history, the risk score and "
             "its factors, an analysis of the address.")
    DOCS_ITEM = s(pattern="^[a-z][a-z0-9_]{0,31}$", example="kyc_doc")
    S["WithdrawalApproveRequest"] = obj(OrderedDict([
        ("reason", s("Why: kept in the audit log.", minLength=1, maxLength=500)),
        ("note", s("Staff only.", maxLength=2000)),
        ("reviewedDocuments", {"type": "array", "maxItems": 16, "items": DOCS_ITEM,
                               "description": "What was looked at (audit log)."}),
    ]), ["reason"], closed=True)
    S["WithdrawalRejectRequest"] = obj(OrderedDict([
        ("reason", s("Why: mailed to the user and kept in the audit log.",
                     minLength=1, maxLength=500)),
        ("note", s("Staff only.", maxLength=2000)),
        ("reviewedDocuments", {"type": "array", "maxItems": 16, "items": DOCS_ITEM}),
        ("suspendAccount", {"type": "boolean", "description": "Suspend the "
                            "account too (its sessions end)."}),
    ]), ["reason"], closed=True)
    S["WithdrawalDecision"] = obj(OrderedDict([
        ("withdrawalId", s()), ("userId", sref("UserId")),
        ("status", s("PENDING_APPROVAL while a second approval is needed, "
                     "PENDING_SIGNATURE once approved, REJECTED.",
                     enum=["PENDING_APPROVAL", "PENDING_SIGNATURE", "REJECTED"])),
        ("approvalsGiven", {"type": "integer"}),
        ("approvalsRequired", {"type": "integer"}),
        ("rejectedReason", s()), ("accountSuspended", {"type": "boolean"}),
        ("decidedBy", sref("UserId")),
    ]), ["withdrawalId", "userId", "status", "approvalsGiven",
         "approvalsRequired", "decidedBy"])
    ALERT_RES = ["NEW", "UNDER_REVIEW", "RESOLVED", "FALSE_POSITIVE", "ESCALATED"]
    S["ComplianceAlert"] = obj(OrderedDict([
        ("alertId", s(pattern="^alt_" + B32ID + "$")),
        ("severity", s(enum=["LOW", "MEDIUM", "HIGH", "CRITICAL"])),
        ("type", s(enum=["VELOCITY_EXCEEDED", "SUSPICIOUS_PATTERN",
                         "BLACKLIST_HIT", "LARGE_TRANSACTION", "STRUCTURING",
                         "CHAIN_REORG"])),
        ("riskScore", {"type": "integer", "minimum": 0, "maximum": 100}),
        ("resolution", s(enum=ALERT_RES)),
        ("subject", s("What it concerns: withdrawal:wdr_..., deposit:dep_...")),
        ("userId", nullable(sref("UserId"))),
        ("userEmail", nullable(s())),
        ("details", {"type": "object"}),
        ("note", nullable(s())),
        ("resolvedBy", nullable(s())),
        ("resolvedAt", nullable(TS_STR)),
        ("createdAt", TS), ("updatedAt", TS),
        ("withdrawalsHeld", {"type": "boolean", "description": "The alert "
                             "holds the user's withdrawals until it is settled "
                             "(RESOLVED or FALSE_POSITIVE)."}),
    ]), ["alertId", "severity", "type", "riskScore", "resolution", "subject",
         "userId", "details", "createdAt", "withdrawalsHeld"],
        desc="A compliance alert (Appendix C's fields).")
    S["AlertResolveRequest"] = obj(OrderedDict([
        ("resolution", s(enum=["UNDER_REVIEW", "RESOLVED", "FALSE_POSITIVE",
                               "ESCALATED"])),
        ("note", s("Why (audit log).", minLength=1, maxLength=2000)),
    ]), ["resolution", "note"], closed=True)
    S["AlertResolved"] = {"allOf": [sref("ComplianceAlert"), obj(OrderedDict([
        ("previousResolution", s(enum=ALERT_RES)),
        ("withdrawalHoldsReleased", {"type": "integer"}),
    ]), ["previousResolution", "withdrawalHoldsReleased"])]}
    S["BlacklistEntry"] = obj(OrderedDict([
        ("network", s(example="BTC")), ("address", ADDR), ("reason", s()),
        ("addedBy", nullable(s())), ("createdAt", TS),
    ]), ["network", "address", "reason", "createdAt"])
    S["BlacklistAddRequest"] = obj(OrderedDict([
        ("network", s(pattern="^[A-Z0-9]{2,10}$", example="BTC")),
        ("address", ADDR),
        ("reason", s(minLength=1, maxLength=500)),
    ]), ["network", "address", "reason"], closed=True)
    S["ReasonField"] = obj({"reason": s(minLength=1, maxLength=500)},
                           ["reason"], closed=True)
    S["BlacklistRemoved"] = obj(OrderedDict([
        ("network", s()), ("address", s()), ("removed", {"type": "boolean"}),
    ]), ["network", "address", "removed"])
    P["WithdrawalId"] = pparam("withdrawalId", "A withdrawal's id; any other "
                               "value is 404.", s(pattern="^wdr_" + B32ID + "$"))
    P["AlertId"] = pparam("alertId", "A compliance alert's id; any other value "
                          "is 404.", s(pattern="^alt_" + B32ID + "$"))
    P["Network"] = pparam("network", "A network code.",
                          s(pattern="^[A-Z0-9]{2,10}$", example="BTC"))
    P["Address"] = pparam("address", "An address as listed.",
                          s(pattern="^[A-Za-z0-9]{1,256}$"))

    op("GET", V + "/admin/withdrawals/pending", "adminListPendingWithdrawals",
       "admin", "Withdrawals awaiting approval, with review data", "staff",
       "none", "RL_ADMIN_READ",
       description="Oldest first (or `sort=-riskScore`). Each with what "
                   "spec §11.3 has a reviewer look at: the user's profile, "
                   "KYC level and limits, their history, the risk score "
                   "with its factors, the address analysed.",
       params=[ref("parameters", "Page"), ref("parameters", "PageSize"),
               qparam("sort", "+createdAt (default) or -riskScore.",
                      s(enum=["+createdAt", "createdAt", "-riskScore"])),
               qparam("filter_asset", "Only this asset.",
                      s(pattern="^[A-Z0-9]{2,10}$")),
               qparam("filter_userId", "Only this user's.", sref("UserId"))],
       ok=[(200, "A page of withdrawals.",
            list_envelope(sref("WithdrawalReview")))],
       errors={400: [("INVALID_REQUEST", "an unknown or repeated query "
                      "parameter; page, pageSize, a filter or sort out of "
                      "range")]})
    op("GET", V + "/admin/withdrawals/{withdrawalId}", "adminGetWithdrawal",
       "admin", "One withdrawal, with review data", "staff", "none",
       "RL_ADMIN_READ", params=[ref("parameters", "WithdrawalId")],
       ok=[(200, "The withdrawal.", envelope(sref("WithdrawalReview")))],
       errors={404: [("NOT_FOUND", "no such withdrawal")]})
    errs = {
        403: [("FORBIDDEN", "staff cannot decide on their own withdrawal")],
        404: [("NOT_FOUND", "no such withdrawal")],
        409: [("CONFLICT", "not waiting for approval (a rejection: sent "
               "or decided already), or approved by this reviewer already "
               "(details `status`, `approvalsGiven`, `approvalsRequired`)")],
    }
    op("POST", V + "/admin/withdrawals/{withdrawalId}/approve",
       "adminApproveWithdrawal", "admin", "Approve a withdrawal", "staff",
       "none", "RL_ADMIN_WRITE",
       description="One approval per person; the last one needed (two "
                   "above `withdraw_dual_approval_try`) makes it "
                   "PENDING_SIGNATURE for the withdrawal worker. Written "
                   "to the audit log with spec §11.3's fields; its alert "
                   "moves to UNDER_REVIEW, then RESOLVED.",
       params=[ref("parameters", "WithdrawalId")],
       body=sref("WithdrawalApproveRequest"),
       ok=[(200, "Approved (or one approval of two given).",
            envelope(sref("WithdrawalDecision")))],
       errors=merged(errs, {400: [("INVALID_REQUEST", FIELDS)]}))
    op("POST", V + "/admin/withdrawals/{withdrawalId}/reject",
       "adminRejectWithdrawal", "admin", "Reject a withdrawal", "staff",
       "none", "RL_ADMIN_WRITE",
       description="Waiting for approval, or approved and not yet claimed "
                   "by the withdrawal worker. The amount and the fee are "
                   "unlocked (once), the user is mailed the reason, and "
                   "with `suspendAccount` the account is suspended. "
                   "Written to the audit log; its alert moves to RESOLVED "
                   "(ESCALATED with a suspension).",
       params=[ref("parameters", "WithdrawalId")],
       body=sref("WithdrawalRejectRequest"),
       ok=[(200, "Rejected.", envelope(sref("WithdrawalDecision")))],
       errors=merged(errs, {400: [("INVALID_REQUEST", FIELDS)]}))
    op("GET", V + "/admin/compliance/alerts", "adminListComplianceAlerts",
       "admin", "Compliance alerts", "staff", "none", "RL_ADMIN_READ",
       description="Newest first (or +createdAt, -riskScore).",
       params=[ref("parameters", "Page"), ref("parameters", "PageSize"),
               qparam("sort", "-createdAt (default), +createdAt or "
                      "-riskScore.", s(enum=["-createdAt", "+createdAt",
                                             "createdAt", "-riskScore"])),
               qparam("filter_severity", "Only this severity.",
                      s(enum=["LOW", "MEDIUM", "HIGH", "CRITICAL"])),
               qparam("filter_type", "Only this type.", s()),
               qparam("filter_resolution", "Only this resolution.",
                      s(enum=ALERT_RES)),
               qparam("filter_userId", "Only this user's.", sref("UserId"))],
       ok=[(200, "A page of alerts.", list_envelope(sref("ComplianceAlert")))],
       errors={400: [("INVALID_REQUEST", "an unknown or repeated query "
                      "parameter; page, pageSize, a filter or sort out of "
                      "range")]})
    op("GET", V + "/admin/compliance/alerts/{alertId}",
       "adminGetComplianceAlert", "admin", "One compliance alert", "staff",
       "none", "RL_ADMIN_READ", params=[ref("parameters", "AlertId")],
       ok=[(200, "The alert.", envelope(sref("ComplianceAlert")))],
       errors={404: [("NOT_FOUND", "no such alert")]})
    op("POST", V + "/admin/compliance/alerts/{alertId}/resolve",
       "adminResolveComplianceAlert", "admin",
       "Move an alert through its resolutions", "staff", "none",
       "RL_ADMIN_WRITE",
       description="NEW, UNDER_REVIEW and ESCALATED move to any other "
                   "resolution; RESOLVED and FALSE_POSITIVE are final and "
                   "release the withdrawal holds the alert caused. Written "
                   "to the audit log.",
       params=[ref("parameters", "AlertId")], body=sref("AlertResolveRequest"),
       ok=[(200, "Moved.", envelope(sref("AlertResolved")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; an unknown resolution "
                      "or NEW")],
               404: [("NOT_FOUND", "no such alert")],
               409: [("CONFLICT", "settled already, or that resolution "
                      "already (details `resolution`)")]})
    op("GET", V + "/admin/compliance/blacklist", "adminListBlacklist",
       "admin", "The withdrawal blacklist", "staff", "none", "RL_ADMIN_READ",
       description="Newest first.",
       params=[ref("parameters", "Page"), ref("parameters", "PageSize"),
               qparam("filter_network", "Only this network.",
                      s(pattern="^[A-Z0-9]{2,10}$"))],
       ok=[(200, "A page of addresses.", list_envelope(sref("BlacklistEntry")))],
       errors={400: [("INVALID_REQUEST", "an unknown or repeated query "
                      "parameter; page, pageSize or a filter out of range")]})
    op("POST", V + "/admin/compliance/blacklist", "adminAddToBlacklist",
       "admin", "Blacklist an address", "staff", "none", "RL_ADMIN_WRITE",
       description="The address is checked as the network's adapter checks "
                   "withdrawals and kept as it spells it. Withdrawals to it "
                   "are refused (WALLET_006) and hold the account. Written "
                   "to the audit log.",
       body=sref("BlacklistAddRequest"),
       ok=[(201, "Listed.", envelope(sref("BlacklistEntry")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; a network without "
                      "withdrawals, not an address of it")],
               409: [("CONFLICT", "listed already")]})
    op("POST", V + "/admin/compliance/blacklist/{network}/{address}/remove",
       "adminRemoveFromBlacklist", "admin", "Take an address off the "
       "blacklist", "staff", "none", "RL_ADMIN_WRITE",
       description="Written to the audit log with the reason.",
       params=[ref("parameters", "Network"), ref("parameters", "Address")],
       body=sref("ReasonField"),
       ok=[(200, "Removed.", envelope(sref("BlacklistRemoved")))],
       errors={400: [("INVALID_REQUEST", FIELDS)],
               404: [("NOT_FOUND", "not on the blacklist")]})


def add_fiat():
    op("POST", V + "/fiat/deposit", "createFiatDeposit", "fiat",
       "Ask to deposit TRY by bank transfer", "user", "trade", "RL_WALLET",
       description="Answers the platform's account (IBAN, bank, holder) and "
                   "a reference code unique to this request. Transfer from "
                   "an account in your own name, with the reference in the "
                   "description: the bank tells hzm (a signed callback) and "
                   "the amount is credited at once, once, with a "
                   "`deposit.confirmed` event and a mail. A transfer whose "
                   "reference is missing, unknown, used or expired, or whose "
                   "sender is not the verified name, is held for review "
                   "(staff credit it, or send it back). Needs KYC LEVEL_2; "
                   "at most fiat_deposit_open_max (10) requests open at "
                   "once.",
       body=sref("FiatDepositRequest"),
       ok=[(201, "The account and the reference.",
            envelope(sref("FiatDeposit")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; an amount with more "
                      "than 2 decimals, not positive, or outside "
                      "fiat_deposit_min..max"),
                     ("LIMIT_EXCEEDED", "fiat_deposit_open_max requests are "
                      "open (details `openDeposits`, `limit`)")],
               403: [("KYC_REQUIRED", "KYC LEVEL_2, with a verified name, "
                      "is needed"),
                     ("KYC_002", "the KYC application is under review"),
                     ("KYC_003", "the last KYC application was rejected")],
               503: [("SERVICE_UNAVAILABLE", "the platform's account is not "
                      "configured, or the database cannot be reached")]})
    op("POST", V + "/fiat/withdraw", "createFiatWithdrawal", "fiat",
       "Withdraw TRY to your own bank account", "user", "withdraw",
       "RL_WALLET",
       description="Needs KYC LEVEL_2 and 2FA. The account must be the "
                   "caller's: its holder is compared with the name verified "
                   "by KYC. The amount must be at least fiat_withdraw_min "
                   "and within the daily (last 24 hours) and monthly (last "
                   "30 days) withdrawal limits, the user's own or their "
                   "level's (LEVEL_2: 100,000 and 500,000 TRY), which TRY "
                   "and crypto withdrawals share (crypto ones at their "
                   "worth in TRY); amount and fee must be available. Holds "
                   "stop it as they stop crypto withdrawals. The 2FA code "
                   "is checked last: "
                   "a refused request does not use it up. Amount and fee "
                   "are locked at once; the payout worker sends the payout "
                   "to the bank under an idempotency key and settles it "
                   "exactly once: COMPLETED (`withdrawal.completed`) or "
                   "FAILED with the bank's reason, the funds unlocked "
                   "(`withdrawal.failed`); the user is mailed either way. "
                   "GET /fiat/transactions follows it.",
       body=sref("FiatWithdrawRequest"),
       ok=[(201, "Accepted; PROCESSING.", envelope(sref("FiatWithdrawal")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; an amount with more "
                      "than 2 decimals or not positive; an account holder "
                      "that is not a name; a code not of 6 digits"),
                     ("WALLET_001", "not a valid TR IBAN (field `iban`), or "
                      "the account is not the caller's (field "
                      "`accountHolder`)"),
                     ("WALLET_002", "past the daily or monthly limit "
                      "(details `period`, `limit`, `used`, `requested`)"),
                     ("WALLET_003", "below fiat_withdraw_min (details "
                      "`minimum`)"),
                     ("INSUFFICIENT_BALANCE", "amount and fee not available "
                      "(details `required`, `available`, `currency`)")],
               401: [("AUTH_004", "wrong or reused two-factor code")],
               403: [("KYC_REQUIRED", "KYC LEVEL_2 is needed"),
                     ("KYC_002", "the KYC application is under review"),
                     ("KYC_003", "the last KYC application was rejected"),
                     ("FORBIDDEN", "2FA is not enabled on the account; or "
                      "held, as crypto withdrawals are, within "
                      "withdraw_security_hold_hours (24) of a password "
                      "change or of 2FA turned off (details `hold`: "
                      "PASSWORD_CHANGED or TWO_FACTOR_DISABLED, "
                      "`holdUntil`)"),
                     ("COMPLIANCE_001", "the account's withdrawals are held "
                      "for a compliance review")]})
    op("GET", V + "/fiat/transactions", "listFiatTransactions", "fiat",
       "The caller's TRY deposits and withdrawals", "user", "read",
       "RL_WALLET_GET",
       params=[ref("parameters", "Page"), ref("parameters", "PageSize"),
               qparam("sort", "-createdAt (default, newest first) or "
                      "+createdAt.", s(enum=["-createdAt", "+createdAt",
                                             "createdAt"])),
               qparam("filter_type", "Only deposits or withdrawals.",
                      s(enum=["DEPOSIT", "WITHDRAWAL"])),
               qparam("filter_status", "Only this status.",
                      s(enum=["PENDING", "COMPLETED", "EXPIRED",
                              "PROCESSING", "FAILED", "REJECTED",
                              "PENDING_APPROVAL", "PENDING_SIGNATURE"]))],
       ok=[(200, "A page of transactions.",
            list_envelope(sref("FiatTransaction")))],
       errors={400: [("INVALID_REQUEST", "an unknown or repeated query "
                      "parameter; page, pageSize, a filter or sort out of "
                      "range")]})
    op("POST", V + "/fiat/bank/callback", "bankCallback", "fiat",
       "The bank reports a transfer into the platform's account",
       "none", "none", "RL_NONE",
       description="For the bank, not for users. Accepted only from the "
                   "addresses of bank_callback_ips (the connection's "
                   "address as the web server sees it; no header counts), "
                   "with `X-Bank-Timestamp` (Unix time in milliseconds, "
                   "within bank_callback_skew_seconds, 300, of the "
                   "server's clock) and `X-Bank-Signature`: the lower-case "
                   "hex HMAC-SHA256, keyed with bank_callback_secret, of "
                   "the timestamp, a '.', and the raw body. The same "
                   "delivery (the same signature) is refused a second "
                   "time; the bank's own repeats, signed anew, get the "
                   "first answer for the transaction id, whatever happened "
                   "since.\n\nA transfer is credited once (a DEPOSIT ledger "
                   "row keyed by the transaction id) to the user whose open "
                   "request's reference is in the description, when the "
                   "sender is that user by name (case, diacritics and word "
                   "order aside); anything else is held on the suspense "
                   "account for review (QUEUED), a sender not the user "
                   "also raising a compliance alert.",
       body=sref("BankCallbackRequest"),
       ok=[(200, "Credited or queued; the same for every repeat.",
            envelope(sref("BankCallbackAnswer")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; a transaction id not "
                      "of [A-Za-z0-9._:-]; an amount with more than 2 "
                      "decimals or not positive; a currency not TRY; a "
                      "sender IBAN that fails its check")],
               401: [("UNAUTHORIZED", "X-Bank-Timestamp or X-Bank-Signature "
                      "missing, malformed or wrong, or the timestamp "
                      "outside the window (details `reason`)")],
               403: [("FORBIDDEN", "the address is not in "
                      "bank_callback_ips")],
               409: [("CONFLICT", "the same delivery again (a replay), or "
                      "the transaction id reported before with other "
                      "content")],
               503: [("SERVICE_UNAVAILABLE", "bank_callback_secret is not "
                      "set, or the database cannot be reached")]})


def add_admin_fiat():
    op("GET", V + "/admin/fiat/queue", "adminListFiatQueue", "admin",
       "Bank transfers held for review", "staff", "none", "RL_ADMIN_READ",
       description="By default the open queue (QUEUED and RETURNING), "
                   "oldest first; filter_status shows the others.",
       params=[ref("parameters", "Page"), ref("parameters", "PageSize"),
               qparam("sort", "+createdAt (default, oldest first) or "
                      "-createdAt.", s(enum=["-createdAt", "+createdAt",
                                             "createdAt"])),
               qparam("filter_status", "Only this status.",
                      s(enum=["QUEUED", "RETURNING", "RETURNED",
                              "CREDITED"])),
               qparam("filter_reason", "Only this queue reason.",
                      S["FiatTransfer"]["properties"]["queueReason"])],
       ok=[(200, "A page of transfers.", list_envelope(sref("FiatTransfer")))],
       errors={400: [("INVALID_REQUEST", "an unknown or repeated query "
                      "parameter; page, pageSize, a filter or sort out of "
                      "range")]})
    op("GET", V + "/admin/fiat/queue/{transferId}", "adminGetFiatTransfer",
       "admin", "One bank transfer", "staff", "none", "RL_ADMIN_READ",
       params=[ref("parameters", "TransferId")],
       ok=[(200, "The transfer.", envelope(sref("FiatTransfer")))],
       errors={404: [("NOT_FOUND", "no such transfer")]})
    op("POST", V + "/admin/fiat/queue/{transferId}/credit",
       "adminCreditFiatTransfer", "admin",
       "Credit a held transfer to a user", "staff", "none", "RL_ADMIN_WRITE",
       description="From the suspense account to the user, once per "
                   "transfer whatever the path (a DEPOSIT keyed by the "
                   "bank's transaction id); the user's request the "
                   "reference names is completed (or a deposit without one "
                   "recorded), a `deposit.confirmed` event and a mail go "
                   "out, and the audit log keeps the reason.",
       params=[ref("parameters", "TransferId")],
       body=sref("FiatCreditRequest"),
       ok=[(200, "Credited.", envelope(sref("FiatTransfer")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; a reason with "
                      "invisible or controlling characters; a system "
                      "account")],
               404: [("NOT_FOUND", "no such transfer, or no such user "
                      "(field `userId`)")],
               409: [("CONFLICT", "the transfer is not QUEUED (details "
                      "`status`)")]})
    op("POST", V + "/admin/fiat/queue/{transferId}/return",
       "adminReturnFiatTransfer", "admin",
       "Send a held transfer back to its sender", "staff", "none",
       "RL_ADMIN_WRITE",
       description="A payout of the amount to the sender's IBAN and name, "
                   "locked on the suspense account and paid by the payout "
                   "worker: RETURNED once the bank pays it, QUEUED again "
                   "(with the bank's reason in resolutionNote) if it "
                   "refuses. Audited.",
       params=[ref("parameters", "TransferId")],
       body=sref("FiatReturnRequest"),
       ok=[(202, "RETURNING.", envelope(sref("FiatTransfer")))],
       errors={400: [("INVALID_REQUEST", FIELDS)],
               404: [("NOT_FOUND", "no such transfer")],
               409: [("CONFLICT", "the transfer is not QUEUED (details "
                      "`status`)")]})


def add_screening():
    S["ScreeningImportRequest"] = obj(OrderedDict([
        ("list", s(enum=["PEP", "SANCTIONS"])),
        ("source", s("The list's name, e.g. OFAC SDN; with replace, the "
                     "entries of this list and source are replaced.",
                     minLength=1, maxLength=64)),
        ("csv", s("RFC 4180 CSV as one JSON string: a header row naming "
                  "the columns (any order, any case) name (required), "
                  "birthDate (YYYY-MM-DD), nationality (ISO 3166-1 "
                  "alpha-2), reference (up to 128 characters), the others "
                  "optional and possibly empty; then one entry a line (LF "
                  "or CRLF; quoted fields may hold commas, quotes as \"\" "
                  "and line breaks); at most 50000 entries, 16 fields and "
                  "1024 bytes a field; names need a letter.")),
        ("replace", {"type": "boolean"}),
    ]), ["list", "source", "csv"], closed=True)
    S["ScreeningImported"] = obj(OrderedDict([
        ("importId", s(pattern="^imp_" + B32ID + "$")),
        ("list", s(enum=["PEP", "SANCTIONS"])),
        ("source", s()),
        ("entries", {"type": "integer"}),
        ("replaced", {"type": "integer"}),
    ]), ["importId", "list", "source", "entries", "replaced"])
    S["ScreeningList"] = obj(OrderedDict([
        ("list", s(enum=["PEP", "SANCTIONS"])),
        ("source", s()),
        ("entries", {"type": "integer"}),
        ("importedAt", nullable(TS)),
    ]), ["list", "source", "entries", "importedAt"])
    S["IdentityBlacklistRequest"] = obj(OrderedDict([
        ("kind", s(enum=["EMAIL", "EMAIL_DOMAIN", "PHONE"])),
        ("value", s("An address, a domain (what follows @) or an E.164 "
                    "number; lower-cased.", minLength=3, maxLength=254)),
        ("reason", s(minLength=3, maxLength=500)),
    ]), ["kind", "value", "reason"], closed=True)
    S["IdentityBlacklistEntry"] = obj(OrderedDict([
        ("entryId", s(pattern="^blk_" + B32ID + "$")),
        ("kind", s(enum=["EMAIL", "EMAIL_DOMAIN", "PHONE"])),
        ("value", s()),
        ("reason", s()),
        ("createdBy", sref("UserId")),
        ("createdAt", TS),
    ]), ["entryId", "kind", "value", "reason", "createdBy", "createdAt"])
    S["IdentityBlacklistRemoveRequest"] = obj(
        {"reason": s(minLength=3, maxLength=500)}, ["reason"], closed=True)
    P["EntryId"] = pparam("entryId", "A blacklist entry's id; any other "
                          "value is 404.", s(pattern="^blk_" + B32ID + "$"))
    SP = V + "/admin/screening"
    op("POST", SP + "/lists/import", "adminScreeningImport", "admin",
       "Import a PEP or sanctions list (CSV)", "staff", "none",
       "RL_ADMIN_WRITE",
       description="§11.1 Compliance Check 2: KYC applications going to "
                   "review are screened against these entries: the name "
                   "folded (Turkish ı/i, İ/I, ş/s, ğ/g, ç/c, ö/o, ü/u and "
                   "other accents; case, punctuation and word order "
                   "ignored) within an edit distance of 0 (up to 4 "
                   "letters), 1 (8), 2 (16) or 3, and the birth date and "
                   "nationality where the entry has them. A match raises a "
                   "BLACKLIST_HIT alert (CRITICAL for SANCTIONS, HIGH for "
                   "PEP) naming the entry and holds the application. One "
                   "transaction, audited (SCREENING_LIST_IMPORT).",
       body=sref("ScreeningImportRequest"),
       ok=[(201, "Imported.", envelope(sref("ScreeningImported")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; csv not a string; a "
                      "header without name or with an unknown or repeated "
                      "column; an entry without a name, with a bad date or "
                      "country, malformed CSV (details `field: csv`, "
                      "`reason`, `line`); nothing is stored")]})
    op("GET", SP + "/lists", "adminScreeningLists", "admin",
       "The PEP and sanctions lists loaded", "staff", "none",
       "RL_ADMIN_READ",
       ok=[(200, "Per list and source.", envelope(
           {"type": "array", "items": sref("ScreeningList")}))])
    op("GET", SP + "/blacklist", "adminIdentityBlacklist", "admin",
       "The registration blacklist", "staff", "none", "RL_ADMIN_READ",
       description="Live entries, newest first (at most 1000).",
       ok=[(200, "The entries.", envelope(
           {"type": "array", "items": sref("IdentityBlacklistEntry")}))])
    op("POST", SP + "/blacklist", "adminIdentityBlacklistAdd", "admin",
       "Blacklist an e-mail address, domain or phone number", "staff",
       "none", "RL_ADMIN_WRITE",
       description="Registration with a listed address, an address of a "
                   "listed domain or a listed phone number is refused "
                   "(403 COMPLIANCE_001) and raises a BLACKLIST_HIT alert. "
                   "Audited.",
       body=sref("IdentityBlacklistRequest"),
       ok=[(201, "Listed.", envelope(sref("IdentityBlacklistEntry")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; a value that is not "
                      "of its kind")],
               409: [("CONFLICT", "listed already")]})
    op("POST", SP + "/blacklist/{entryId}/remove",
       "adminIdentityBlacklistRemove", "admin",
       "Take an entry off the registration blacklist", "staff", "none",
       "RL_ADMIN_WRITE", description="Audited with the reason.",
       params=[ref("parameters", "EntryId")],
       body=sref("IdentityBlacklistRemoveRequest"),
       ok=[(200, "Removed.", envelope(obj(OrderedDict([
           ("entryId", s()), ("removed", {"type": "boolean"})]),
           ["entryId", "removed"])))],
       errors={400: [("INVALID_REQUEST", FIELDS)],
               404: [("NOT_FOUND", "no such entry, or removed already")]})


NTF_TYPES = ["bot.trade", "bot.stop_loss", "bot.take_profit",
             "bot.daily_target", "bot.daily_loss", "bot.error",
             "apikey.invalid", "deposit.confirmed", "withdrawal.completed",
             "order.filled", "kyc.approved", "kyc.rejected", "kyc.expired",
             "balance.threshold"]


def add_notifications():
    ntype = s("A notification type (domain/notify_types.c).", enum=NTF_TYPES)
    S["NotificationType"] = ntype
    S["NotificationPreference"] = obj(OrderedDict([
        ("type", sref("NotificationType")),
        ("title", s("The type's name in the caller's language.")),
        ("emailEnabled", {"type": "boolean", "description": "Mailed. "
                          "order.filled is off until turned on; always "
                          "false where emailAvailable is false."}),
        ("emailAvailable", {"type": "boolean", "description": "false for "
                            "deposit.confirmed and withdrawal.completed: "
                            "the money services mail those themselves, "
                            "whatever the preference."}),
        ("webhookEnabled", {"type": "boolean", "description": "Sent to the "
                            "caller's webhook endpoints subscribed to it "
                            "(default true)."}),
        ("webhookUrl", nullable(s("Only the endpoint of this URL gets the "
                                  "type; null: every subscribed one."))),
    ]), ["type", "title", "emailEnabled", "emailAvailable",
         "webhookEnabled", "webhookUrl"])
    S["NotificationPreferences"] = obj(OrderedDict([
        ("language", s("The language of mails and titles.",
                       enum=["tr", "en"])),
        ("securityEmails", s("Security mails (verification codes, password "
                             "resets, lock-outs) cannot be turned off.")),
        ("preferences", {"type": "array",
                         "items": sref("NotificationPreference"),
                         "description": "Every type, in the catalogue's "
                                        "order."}),
    ]), ["language", "securityEmails", "preferences"])
    S["NotificationPreferenceUpdate"] = obj(OrderedDict([
        ("type", sref("NotificationType")),
        ("emailEnabled", {"type": "boolean"}),
        ("webhookEnabled", {"type": "boolean"}),
        ("webhookUrl", s("The URL of one of the caller's webhook "
                         "endpoints; absent: all of them.",
                         minLength=8, maxLength=2048)),
    ]), ["type", "emailEnabled", "webhookEnabled"], closed=True)
    S["NotificationPreferencesUpdate"] = obj(OrderedDict([
        ("language", s(enum=["tr", "en"])),
        ("preferences", {"type": "array", "maxItems": 32,
                         "items": sref("NotificationPreferenceUpdate"),
                         "description": "The types named change; the "
                                        "others stay as they are."}),
    ]), closed=True, desc="language, preferences or both.")
    S["BalanceThreshold"] = obj(OrderedDict([
        ("asset", s(pattern="^[A-Z0-9]{2,10}$", example="BTC")),
        ("threshold", dec("Notify (balance.threshold) when the available "
                          "balance falls below this.", "0.5")),
    ]), ["asset", "threshold"], closed=True)
    S["BalanceThresholds"] = obj({"thresholds": {
        "type": "array", "maxItems": 20, "items": sref("BalanceThreshold")}},
        ["thresholds"], closed=True,
        desc="The whole list: it replaces the previous one (an empty "
             "array removes them all). Each asset at most once.")
    WHK_ID = s(pattern="^whk_" + B32ID + "$")
    S["WebhookEndpoint"] = obj(OrderedDict([
        ("webhookId", WHK_ID),
        ("url", s(format="uri")),
        ("events", {"type": "array", "items": s(
            "A notification type, or * for all of them.")}),
        ("createdAt", TS),
        ("rotatedAt", nullable(TS_STR)),
        ("previousSecretValidUntil", nullable(s(
            "After a rotation the old secret signs too (a second "
            "signature) until then: 24 hours.", format="date-time"))),
    ]), ["webhookId", "url", "events", "createdAt", "rotatedAt",
         "previousSecretValidUntil"])
    S["WebhookEndpointWithSecret"] = {"allOf": [sref("WebhookEndpoint"), obj(
        OrderedDict([
            ("secret", s("The signing secret (Standard Webhooks: whsec_ "
                         "and base64); shown in this answer only.",
                         pattern="^whsec_[A-Za-z0-9+/=]+$")),
            ("message", s()),
        ]), ["secret", "message"])]}
    S["WebhookCreateRequest"] = obj(OrderedDict([
        ("url", s("https (http only for the operator's "
                  "webhook_allow_hosts); no credentials in it; a host "
                  "that resolves to public addresses only.",
                  minLength=8, maxLength=2048,
                  example="https://example.com/hzm/hook")),
        ("events", {"type": "array", "minItems": 1, "maxItems": 32,
                    "uniqueItems": True, "items": s(
                        "A notification type (webhook.test excluded) or *.",
                        minLength=1, maxLength=64),
                    "example": ["bot.trade", "balance.threshold"]}),
    ]), ["url", "events"], closed=True)
    S["WebhookDeleted"] = obj(OrderedDict([
        ("webhookId", WHK_ID), ("deleted", {"type": "boolean"}),
    ]), ["webhookId", "deleted"])
    S["WebhookTestQueued"] = obj(OrderedDict([
        ("eventId", s(pattern="^evt_" + B32ID + "$")),
        ("eventType", s(enum=["webhook.test"])),
        ("webhookId", WHK_ID),
    ]), ["eventId", "eventType", "webhookId"])
    S["WebhookSources"] = obj(OrderedDict([
        ("addresses", {"type": "array", "items": s(),
                       "description": "The addresses (or ranges) hzm's "
                       "webhooks come from (webhook_source_addresses), "
                       "for a receiver's allow-list; empty when the "
                       "operator publishes none."}),
        ("signatureHeader", s(enum=["webhook-signature"])),
        ("scheme", s(example="Standard Webhooks v1 (HMAC-SHA256)")),
    ]), ["addresses", "signatureHeader", "scheme"])
    NTF_STATUS = ["PENDING", "SENDING", "SENT", "FAILED"]
    S["NotificationDelivery"] = obj(OrderedDict([
        ("notificationId", s(pattern="^msg_" + B32ID + "$")),
        ("eventId", s(pattern="^evt_" + B32ID + "$")),
        ("eventType", s(example="bot.trade")),
        ("channel", s(enum=["EMAIL", "WEBHOOK"])),
        ("webhookId", nullable(WHK_ID)),
        ("status", s("PENDING (waiting, or a retry due at nextAttemptAt), "
                     "SENDING (a worker holds it), SENT, FAILED (after "
                     "notify_max_attempts, or refused for good).",
                     enum=NTF_STATUS)),
        ("attempts", {"type": "integer", "minimum": 0}),
        ("lastError", nullable(s())),
        ("lastHttpStatus", nullable({"type": "integer"})),
        ("eventsCount", {"type": "integer", "minimum": 1,
                         "description": "More than 1: a digest of that many "
                                        "events of the type."}),
        ("createdAt", TS),
        ("sentAt", nullable(TS_STR)),
        ("nextAttemptAt", nullable(TS_STR)),
    ]), ["notificationId", "eventId", "eventType", "channel", "webhookId",
         "status", "attempts", "lastError", "lastHttpStatus", "eventsCount",
         "createdAt", "sentAt", "nextAttemptAt"],
        desc="One mail or webhook delivery (the delivery log).")
    S["RedeliveryQueued"] = obj(OrderedDict([
        ("notificationId", s(pattern="^msg_" + B32ID + "$")),
        ("status", s(enum=["PENDING"])),
    ]), ["notificationId", "status"])
    P["WebhookId"] = pparam("webhookId", "One of the caller's webhook "
                            "endpoints; any other value is 404.", WHK_ID)
    P["NotificationId"] = pparam("notificationId", "One of the caller's "
                                 "deliveries; any other value is 404.",
                                 s(pattern="^msg_" + B32ID + "$"))
    LIST400 = {400: [("INVALID_REQUEST", "an unknown or repeated query "
                      "parameter; page, pageSize, a filter or sort out of "
                      "range")]}
    N = V + "/notifications"

    op("GET", N, "listNotifications", "notifications",
       "The delivery log", "user", "read", "RL_PROFILE_GET",
       description="The caller's mails and webhook deliveries, newest "
                   "first, with their status, attempts and last error.",
       params=[ref("parameters", "Page"), ref("parameters", "PageSize"),
               qparam("sort", "-createdAt (default, newest first) or "
                      "+createdAt.", s(enum=["-createdAt", "+createdAt",
                                             "createdAt"])),
               qparam("filter_status", "Only this status.",
                      s(enum=NTF_STATUS)),
               qparam("filter_channel", "Only this channel.",
                      s(enum=["EMAIL", "WEBHOOK"])),
               qparam("filter_eventType", "Only this type.",
                      s(enum=NTF_TYPES + ["webhook.test"]))],
       ok=[(200, "A page of deliveries.",
            list_envelope(sref("NotificationDelivery")))],
       errors=LIST400)
    op("POST", N + "/{notificationId}/redeliver", "redeliverNotification",
       "notifications", "Send a delivery again", "user", "none",
       "RL_PROFILE_PUT",
       description="A SENT or FAILED delivery goes back to PENDING with "
                   "its attempts reset; the worker sends it again with the "
                   "same webhook-id (receivers drop what they have seen). "
                   "Takes no body.",
       params=[ref("parameters", "NotificationId")],
       ok=[(202, "Queued.", envelope(sref("RedeliveryQueued")))],
       errors={404: [("NOT_FOUND", "no such delivery of the caller's")],
               409: [("CONFLICT", "the delivery is still PENDING or "
                      "SENDING")]})
    op("GET", N + "/preferences", "getNotificationPreferences",
       "notifications", "What the caller is notified of, and how", "user",
       "read", "RL_PROFILE_GET",
       description="Each type with its mail and webhook switches, and the "
                   "language of mails.",
       ok=[(200, "The preferences.",
            envelope(sref("NotificationPreferences")))])
    op("PUT", N + "/preferences", "putNotificationPreferences",
       "notifications", "Change notification preferences", "user", "none",
       "RL_PROFILE_PUT",
       description="The types named change, the others stay; security "
                   "mails cannot be turned off.",
       body=sref("NotificationPreferencesUpdate"),
       ok=[(200, "The preferences as they are now.",
            envelope(sref("NotificationPreferences")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; neither language nor "
                      "preferences; a language not tr or en; more than 32 "
                      "preferences; an unknown type; a webhookUrl not one "
                      "of the caller's endpoints")]})
    op("GET", N + "/thresholds", "getBalanceThresholds", "notifications",
       "The caller's balance thresholds", "user", "read", "RL_PROFILE_GET",
       ok=[(200, "By asset.", envelope(sref("BalanceThresholds")))])
    op("PUT", N + "/thresholds", "putBalanceThresholds", "notifications",
       "Replace the caller's balance thresholds", "user", "none",
       "RL_PROFILE_PUT",
       description="A balance.threshold notification goes out when an "
                   "asset's available balance falls below its threshold "
                   "(once per crossing).",
       body=sref("BalanceThresholds"),
       ok=[(200, "The thresholds as they are now.",
            envelope(sref("BalanceThresholds")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; more than 20; an "
                      "unknown asset; a threshold not a positive decimal "
                      "(at most 18 decimals); an asset twice")]})
    op("GET", N + "/webhooks", "listWebhooks", "notifications",
       "The caller's webhook endpoints", "user", "read", "RL_PROFILE_GET",
       description="Oldest first; secrets are never shown again.",
       ok=[(200, "The endpoints.", envelope({
           "type": "array", "items": sref("WebhookEndpoint")}))])
    op("POST", N + "/webhooks", "createWebhook", "notifications",
       "Add a webhook endpoint", "user", "none", "RL_PROFILE_PUT",
       description="Deliveries are signed as the Standard Webhooks "
                   "specification says (`webhook-id`, `webhook-timestamp`, "
                   "`webhook-signature`: v1, HMAC-SHA256) with the secret "
                   "in this answer, shown once. The host is resolved now "
                   "and again at each delivery: private, loopback, "
                   "link-local, metadata and multicast addresses are "
                   "refused. At most 10 endpoints.",
       body=sref("WebhookCreateRequest"),
       ok=[(201, "Created, with its secret.",
            envelope(sref("WebhookEndpointWithSecret")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; url not an absolute "
                      "https URL, with credentials, with an invalid port, "
                      "or a host that does not resolve (field `url`); "
                      "events empty, repeated, or not notification types "
                      "or *")],
               403: [("FORBIDDEN", "the host resolves to a private, "
                      "loopback, link-local, metadata or multicast "
                      "address (field `url`)")],
               409: [("CONFLICT", "already 10 endpoints")]})
    op("GET", N + "/webhooks/sources", "getWebhookSources", "notifications",
       "Where webhooks come from and how they are signed", "none", "none",
       "RL_PUBLIC", db=False,
       description="For a receiver's IP allow-list (Appendix H).",
       ok=[(200, "The addresses and the signature scheme.",
            envelope(sref("WebhookSources")))])
    op("DELETE", N + "/webhooks/{webhookId}", "deleteWebhook",
       "notifications", "Remove a webhook endpoint", "user", "none",
       "RL_PROFILE_PUT",
       description="Nothing more is sent to it; its log stays.",
       params=[ref("parameters", "WebhookId")],
       ok=[(200, "Removed.", envelope(sref("WebhookDeleted")))],
       errors={404: [("NOT_FOUND", "no such endpoint of the caller's")]})
    op("POST", N + "/webhooks/{webhookId}/rotate", "rotateWebhookSecret",
       "notifications", "A new signing secret", "user", "none",
       "RL_PROFILE_PUT",
       description="The new secret is shown once; for 24 hours deliveries "
                   "carry a signature with each, so a receiver can switch "
                   "without losing any. Takes no body.",
       params=[ref("parameters", "WebhookId")],
       ok=[(200, "Rotated, with the new secret.",
            envelope(sref("WebhookEndpointWithSecret")))],
       errors={404: [("NOT_FOUND", "no such endpoint of the caller's")]})
    op("POST", N + "/webhooks/{webhookId}/test", "testWebhook",
       "notifications", "Send a test event", "user", "none",
       "RL_PROFILE_PUT",
       description="A `webhook.test` event for this endpoint, sent by the "
                   "worker like any other (see the delivery log). Takes no "
                   "body.",
       params=[ref("parameters", "WebhookId")],
       ok=[(202, "Queued.", envelope(sref("WebhookTestQueued")))],
       errors={404: [("NOT_FOUND", "no such endpoint of the caller's")]})


def add_operator():
    """The operator console: staff, global orders and trades, markets, live settings."""
    ANY = {"type": "object"}
    STAFF_ROLE = s(enum=["ADMIN", "COMPLIANCE", "SUPPORT"])
    S["StaffMember"] = obj(OrderedDict([
        ("userId", sref("UserId")), ("email", s()), ("role", STAFF_ROLE),
        ("status", s()), ("twoFactorEnabled", {"type": "boolean"}),
        ("createdAt", TS)]), ["userId", "role"])
    P["StaffUserId"] = pparam("userId", "A staff member's user id.",
                              s(pattern="^usr_" + B32ID + "$"))
    P["Symbol2"] = pparam("symbol", "A market symbol.",
                          s(pattern="^[A-Z0-9]{4,20}$", example="BTCTRY"))
    page = [ref("parameters", "Page"), ref("parameters", "PageSize")]
    bad_list = {400: [("INVALID_REQUEST", "an unknown or repeated query "
                       "parameter; page, pageSize, a filter or sort out of range")]}
    op("GET", V + "/admin/staff", "adminListStaff", "admin",
       "Staff members and their roles (ADMIN)", "staff", "none",
       "RL_ADMIN_READ", params=page,
       ok=[(200, "A page of staff.", list_envelope(sref("StaffMember")))],
       errors=bad_list)
    op("POST", V + "/admin/staff", "adminGrantStaff", "admin",
       "Give a user a staff role (ADMIN)", "staff", "none", "RL_ADMIN_WRITE",
       description="The account must be in good standing (ACTIVE or "
                   "EMAIL_VERIFIED) with 2FA on; one staff role per user. "
                   "Audited as STAFF / GRANTED.",
       body=obj(OrderedDict([("userId", sref("UserId")), ("role", STAFF_ROLE)]),
                ["userId", "role"], closed=True),
       ok=[(201, "The member.", envelope(sref("StaffMember")))],
       errors={400: [("INVALID_REQUEST", FIELDS)],
               403: [("FORBIDDEN", "no 2FA or not ACTIVE; or the caller's own account")],
               404: [("NOT_FOUND", "no such user")],
               409: [("CONFLICT", "the user is staff already")]})
    op("PUT", V + "/admin/staff/{userId}/role", "adminSetStaffRole", "admin",
       "Change a member's role (ADMIN)", "staff", "none", "RL_ADMIN_WRITE",
       params=[ref("parameters", "StaffUserId")],
       body=obj({"role": STAFF_ROLE}, ["role"], closed=True),
       ok=[(200, "The member.", envelope(sref("StaffMember")))],
       errors={400: [("INVALID_REQUEST", FIELDS)],
               403: [("FORBIDDEN", "the caller's own role")],
               404: [("NOT_FOUND", "not staff")],
               409: [("CONFLICT", "the member has that role already")]})
    op("POST", V + "/admin/staff/{userId}/disable", "adminDisableStaff",
       "admin", "Take the staff role away, end console sessions (ADMIN)",
       "staff", "none", "RL_ADMIN_WRITE",
       params=[ref("parameters", "StaffUserId")],
       body=sref("ReasonField"),
       ok=[(200, "No longer staff.", envelope(ANY))],
       errors={400: [("INVALID_REQUEST", FIELDS)],
               403: [("FORBIDDEN", "the caller's own account")],
               404: [("NOT_FOUND", "not staff")]})
    common = [qparam("filter_userId", "Only this user's (either side of a trade).",
                     sref("UserId")),
              qparam("filter_symbol", "Only this market.", s(pattern="^[A-Z0-9]{4,20}$")),
              qparam("filter_side", "BUY or SELL (a trade's side is its taker's).",
                     s(enum=["BUY", "SELL"])),
              qparam("filter_from", "Created at or after (ISO 8601 UTC).", s()),
              qparam("filter_to", "Created before (ISO 8601 UTC).", s()),
              qparam("sort", "-createdAt (default) or +createdAt.",
                     s(enum=["-createdAt", "+createdAt", "createdAt"]))]
    op("GET", V + "/admin/orders", "adminListOrders", "admin",
       "Every user's orders (ADMIN, COMPLIANCE, SUPPORT)", "staff", "none",
       "RL_ADMIN_READ",
       description="Pages come off indexes; meta.totalCount counts up to "
                   "10,000 matching rows (meta.totalCountCapped).",
       params=page + common + [qparam("filter_status", "An order status.",
           s(enum=["NEW", "PARTIALLY_FILLED", "FILLED", "CANCELED", "REJECTED",
                   "EXPIRED", "EXPIRED_IN_MATCH"]))],
       ok=[(200, "A page of orders.", list_envelope(ANY))], errors=bad_list)
    op("GET", V + "/admin/trades", "adminListTrades", "admin",
       "Every trade, with maker and taker (ADMIN, COMPLIANCE, SUPPORT)",
       "staff", "none", "RL_ADMIN_READ", params=page + common,
       ok=[(200, "A page of trades.", list_envelope(ANY))], errors=bad_list)
    MSTATUS = s(enum=["ACTIVE", "HALTED", "CANCEL_ONLY", "CLOSED"])
    op("POST", V + "/admin/markets", "adminCreateMarket", "admin",
       "Create a market (ADMIN)", "staff", "none", "RL_ADMIN_WRITE",
       description="HALTED unless `status` says otherwise; a running "
                   "matcher takes it when next started. Audited.",
       body=obj(OrderedDict([
           ("symbol", s(pattern="^[A-Z0-9]{4,20}$")), ("baseAsset", s()),
           ("quoteAsset", s()), ("status", MSTATUS),
           ("pricePrecision", s(pattern="^[0-9]{1,2}$")),
           ("quantityPrecision", s(pattern="^[0-9]{1,2}$")),
           ("minQuantity", s()), ("minNotional", s()),
           ("makerFee", s()), ("takerFee", s()), ("priceBandPct", s())]),
           ["symbol", "baseAsset", "quoteAsset", "pricePrecision",
            "quantityPrecision", "minQuantity", "minNotional", "makerFee",
            "takerFee"], closed=True),
       ok=[(201, "The market.", envelope(ANY))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; an unknown asset")],
               409: [("CONFLICT", "the symbol or the pair exists")]})
    op("GET", V + "/admin/markets/{symbol}", "adminGetMarket", "admin",
       "One market (ADMIN, COMPLIANCE, SUPPORT)", "staff", "none",
       "RL_ADMIN_READ", params=[ref("parameters", "Symbol2")],
       ok=[(200, "The market.", envelope(ANY))],
       errors={400: [("TRADE_005", "no such market")]})
    op("POST", V + "/admin/markets/{symbol}/status", "adminSetMarketStatus",
       "admin", "Halt, reopen or set a market cancel-only (ADMIN)", "staff",
       "none", "RL_ADMIN_WRITE",
       description="HALTED and CANCEL_ONLY keep the book and serve "
                   "cancels; new orders get TRADE_004. The matcher reads "
                   "the status each batch. Audited with old and new.",
       params=[ref("parameters", "Symbol2")],
       body=obj(OrderedDict([("status", MSTATUS),
                             ("reason", s(minLength=1, maxLength=500))]),
                ["status", "reason"], closed=True),
       ok=[(200, "The market, with previousStatus.", envelope(ANY))],
       errors={400: [("INVALID_REQUEST", FIELDS), ("TRADE_005", "no such market")],
               409: [("CONFLICT", "the market has that status already")]})
    op("GET", V + "/admin/system/config", "adminGetConfig", "admin",
       "Live settings, their version and history (ADMIN, COMPLIANCE)",
       "staff", "none", "RL_ADMIN_READ",
       ok=[(200, "Settings, history, the keys that exist.", envelope(ANY))])
    op("POST", V + "/admin/system/config", "adminSetConfig", "admin",
       "Change a live setting (ADMIN)", "staff", "none", "RL_ADMIN_WRITE",
       description="Keys: maintenance_mode, rate_limit_scale, "
                   "market_fee.SYMBOL.maker|taker, withdrawal_threshold.ASSET "
                   "(an amount, or none), withdrawal_fee.ASSET (the default "
                   "network's; TRY: by bank), kyc_limit.LEVEL_n."
                   "dailyWithdrawal|monthlyWithdrawal|dailyTrading. A fee or "
                   "limit is written to the table its service reads, in the "
                   "change's transaction: the next order, fill or withdrawal "
                   "uses it; the others are seen within about a second. "
                   "Audited with the value in effect before and the new one.",
       body=obj(OrderedDict([("key", s()), ("value", s()),
                             ("reason", s(minLength=1, maxLength=500))]),
                ["key", "value", "reason"], closed=True),
       ok=[(200, "The new version: key, value, oldValue, version.",
            envelope(ANY))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; an unknown key or a "
                      "value of the wrong type or range, no such market or "
                      "asset, more decimals than the asset has, a daily "
                      "withdrawal limit above the monthly one (details "
                      "`field`)")],
               409: [("CONFLICT", "the setting has that value already")]})


def add_audit():
    """The audit viewer, its chain check, and KYC documents for reviewers."""
    ANY = {"type": "object"}
    page = [ref("parameters", "Page"), ref("parameters", "PageSize")]
    TIME = s("ISO 8601 UTC (2025-11-19 or 2025-11-19T10:30:00Z)")
    op("GET", V + "/admin/audit", "adminListAudit", "admin",
       "The audit log, filtered; paged, or exported as CSV (ADMIN, COMPLIANCE)",
       "staff", "none", "RL_ADMIN_READ",
       description="Rows as spec §11.3 lists them: auditId, eventType, "
                   "adminUserId, adminEmail, targetUserId, targetRef, action, "
                   "reason, details, ipAddress, timestamp, and the row's hash "
                   "and prevHash. `format=csv` or `Accept: text/csv` answers "
                   "every matching row (up to 50,000) as text/csv instead of "
                   "a page; formula-like cells get a leading apostrophe. "
                   "meta.totalCount counts up to 10,000.",
       params=page + [
           qparam("filter_actorId", "Who acted (usr_).", sref("UserId")),
           qparam("filter_targetUserId", "The user concerned (usr_).", sref("UserId")),
           qparam("filter_eventType", "KYC_REVIEW, KYC_DOCUMENT_VIEW, ...",
                  s(pattern="^[A-Z][A-Z0-9_]{1,39}$")),
           qparam("filter_from", "Written at or after.", TIME),
           qparam("filter_to", "Written before.", TIME),
           qparam("format", "json (default) or csv.", s(enum=["json", "csv"])),
           qparam("sort", "-createdAt (default) or +createdAt.",
                  s(enum=["-createdAt", "+createdAt", "createdAt"]))],
       ok=[(200, "A page of audit rows, or text/csv.", list_envelope(ANY))],
       errors={400: [("INVALID_REQUEST", "an unknown or repeated query "
                      "parameter; page, pageSize, a filter, format or sort "
                      "out of range")]})
    op("GET", V + "/admin/audit/verify", "adminVerifyAudit", "admin",
       "Recompute the audit hash chain over a range (ADMIN, COMPLIANCE)",
       "staff", "none", "RL_ADMIN_REPORT",
       description="Checks every row written in [from, to) (either may be "
                   "left out): its hash against its content and its prevHash "
                   "against the row before it (the one before the range "
                   "included). `intact`, `checked`, and `firstBroken` "
                   "{auditId, problem: HASH_MISMATCH | PREV_HASH_MISMATCH, "
                   "timestamp} naming the first broken link.",
       params=[qparam("from", "Rows written at or after.", TIME),
               qparam("to", "Rows written before.", TIME)],
       ok=[(200, "The result of the check.", envelope(ANY))],
       errors={400: [("INVALID_REQUEST", "an unknown parameter or a bad time")]})
    op("GET", V + "/admin/kyc/{userId}/documents/{docType}",
       "adminGetKycDocument", "admin",
       "A KYC document of the user's latest application (ADMIN, COMPLIANCE)",
       "staff", "none", "RL_ADMIN_READ",
       description="The bytes as submitted, with their content type "
                   "(image/jpeg, image/png or application/pdf), never cached; "
                   "X-KYC-Id names the application. Each read is written to "
                   "the audit log (KYC_DOCUMENT_VIEW, with the document's "
                   "hash) before it is answered.",
       params=[pparam("userId", "The applicant.", sref("UserId")),
               pparam("docType", "Which document.",
                      s(enum=["idDocument", "addressProof", "selfie"]))],
       ok=[(200, "The document.", {"type": "string", "format": "binary"})],
       ok_ctype="application/octet-stream",
       errors={404: [("NOT_FOUND", "no such user, application or document type")]})


def add_reports():
    """Reports: trading figures and MASAK's cases and travel-rule transfers."""
    ANY = {"type": "object"}
    TIME = s("ISO 8601 UTC (2025-11-19 or 2025-11-19T10:30:00Z)")
    FMT = qparam("format", "json (default) or csv; `Accept: text/csv` too.",
                 s(enum=["json", "csv"]))
    op("GET", V + "/admin/reports/trading", "adminTradingReport", "admin",
       "Trading report per market or per user, by day or month (ADMIN, COMPLIANCE)",
       "staff", "none", "RL_ADMIN_REPORT",
       description="Rows per period (UTC) and market: tradeCount, volume "
                   "(base), quoteVolume, feesBase and feesQuote earned from "
                   "both sides, uniqueTraders. groupBy=user: per user, market "
                   "and period, with the fees that user paid. Decimal strings "
                   "at the assets' precision.",
       params=[qparam("from", "Trades at or after.", TIME),
               qparam("to", "Trades before.", TIME),
               qparam("period", "day (default) or month.", s(enum=["day", "month"])),
               qparam("groupBy", "market (default) or user.", s(enum=["market", "user"])),
               qparam("symbol", "One market only.", s(pattern="^[A-Z0-9]{4,20}$")),
               FMT],
       ok=[(200, "The rows, or text/csv.", envelope(ANY))],
       errors={400: [("INVALID_REQUEST", "an unknown or repeated parameter, "
                      "a bad time, period, groupBy, symbol or format")]})
    op("GET", V + "/admin/reports/masak", "adminMasakReport", "admin",
       "MASAK: suspicious-transaction cases and travel-rule transfers (ADMIN, COMPLIANCE)",
       "staff", "none", "RL_ADMIN_REPORT",
       description="`cases`: an alert of severity HIGH or CRITICAL, or "
                   "escalated, is a case (caseId = alertId) with the customer "
                   "from KYC, the transaction, the alert's type, score, "
                   "factors and details, a `deadline` 10 business days "
                   "(Saturdays and Sundays skipped) after the alert's day in "
                   "Turkey, `overdue`, and status DRAFT, FILED "
                   "(filingReference) or DISMISSED (reason). `travelRule`: "
                   "crypto deposits and withdrawals worth 15,000 TRY or more. "
                   "CSV: `section=cases` (default) or `travelRule`. The "
                   "customer's identity number is opened for the report, so "
                   "each read is audited (MASAK_REPORT_VIEW, the case ids) "
                   "before it is answered. Kept 8 years: housekeeping "
                   "deletes none of it.",
       params=[qparam("filter_status", "A case status.",
                      s(enum=["DRAFT", "FILED", "DISMISSED"])),
               qparam("from", "Alerts / transfers at or after.", TIME),
               qparam("to", "Alerts / transfers before.", TIME),
               qparam("section", "Which list a CSV export holds.",
                      s(enum=["cases", "travelRule"])), FMT],
       ok=[(200, "Cases and transfers, or text/csv.", envelope(ANY))],
       errors={400: [("INVALID_REQUEST", "an unknown or repeated parameter "
                      "or a bad value")]})
    op("POST", V + "/admin/reports/masak/{caseId}", "adminDecideMasakCase",
       "admin", "File a MASAK case or dismiss it (ADMIN, COMPLIANCE)", "staff",
       "none", "RL_ADMIN_REPORT",
       description="From DRAFT only: FILED with MASAK's filingReference, or "
                   "DISMISSED with a reason. Audited (MASAK_REPORT).",
       params=[pparam("caseId", "The case (its alert's id).",
                      s(pattern="^alt_" + B32ID + "$"))],
       body=obj(OrderedDict([
           ("status", s(enum=["FILED", "DISMISSED"])),
           ("filingReference", s(pattern="^[A-Za-z0-9._/-]{1,64}$")),
           ("reason", s(minLength=1, maxLength=1000))]), ["status"], closed=True),
       ok=[(200, "The case's new status.", envelope(ANY))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; FILED without a "
                      "reference, DISMISSED without a reason")],
               404: [("NOT_FOUND", "no such case")],
               409: [("CONFLICT", "the case is filed or dismissed already")]})


add_orders()
add_wallets()
add_admin_withdrawals()
add_fiat()
add_admin_fiat()
add_screening()
add_notifications()
add_operator()
add_audit()
add_reports()

# ---- the document ----------------------------------------------------------
rl_rows = "\n".join(
    "| `%s` | %s | %s | %s |" % (
        n, "%d" % l if l else "not counted",
        "per " + window_text(w) if l else "—",
        ("IP" if p == "ip" else "user / API key") if l else "—")
    for _, (n, l, w, p) in RL.items())

INFO_DESC = """
hzm's REST API: every endpoint, how to authenticate to it, its rate limit,
its request fields and the error codes it answers with.

## Envelope

Every answer is JSON in one envelope (spec §2.2, §2.3):
`{"success": true, "requestId", "timestamp", "data"}`, lists adding
`meta` and `links` (§2.5), or
`{"success": false, "requestId", "timestamp", "error": {"code", "message",
"details", "traceId"}}`. The HTTP status follows the code
(`ErrorCode` lists them with `x-hzm-http-status`); each operation's error
responses name the codes it can answer. Only `/api/docs` answers outside
the envelope.

`X-Request-ID` (a token of up to 64 characters `[A-Za-z0-9._:-]`) becomes
the `requestId`; a W3C `traceparent` header gives the `traceId`.

## Authentication

Public endpoints take none. Private ones take, as each operation's
`security` lists:

- `Authorization: Bearer <accessToken>` from `POST /api/v1/auth/login`
  (15 minutes; `POST /api/v1/auth/refresh` rotates the 30-day refresh
  token). Admin endpoints need a console session from
  `POST /api/v1/admin/auth/login` (staff role, 2FA).
- A platform API key: `X-API-Key` + `X-Email` + `X-API-Password`.
- A signed request: `X-API-Key`, `X-Timestamp` (milliseconds since the
  epoch, within 60 s of the server's clock), `X-Request-ID` (accepted once
  per key within 5 minutes) and
  `X-Signature` = lower-case hex HMAC-SHA256, keyed with the API password,
  of `timestamp + method + requestURI + body` concatenated, where
  requestURI is the path with its query string exactly as sent and body
  the raw body (empty for GET). A signature is accepted once.

API keys carry scopes: `read` (GETs), `trade` (placing and cancelling
orders), `write` (seed 003's name for `trade`: it grants trading, never
withdrawals), `withdraw`. An operation's `x-hzm-scope` (and its description)
names the scope it needs; `none` on a private endpoint means a user
session only (2FA, API keys, logout, profile and KYC changes): API keys are
refused there with 403. Keys may have an IP allow-list.

## Idempotency

Every authenticated POST takes `X-Idempotency-Key` (1-64 characters of
`A-Z a-z 0-9 . _ ~ : -`, so a UUID fits; kept 24 hours per user): a repeat gets the first status and body with
`Idempotent-Replayed: true`; the same key with another request is 422;
a repeat while the first still runs is 409 and does not run.

## Rate limits

Each operation's `x-hzm-rate-limit` gives its class (spec §6); answers
to counted requests carry `X-RateLimit-Limit`, `X-RateLimit-Remaining`,
`X-RateLimit-Reset` and, on 429, `Retry-After`. Classes counted per IP
are checked before authentication, the others after it. The sandbox runs at 10x; an operator can set
`rate_limit_<class>` in hzm.conf.

| class | limit | window | counted per |
|---|---|---|---|
%s

## Lists

`page` (from 1), `pageSize` (1–500, default 50), `filter_<field>=` and
`sort=-createdAt,+price` with whitelisted fields only (§2.5, §2.6; a `+`
sent unencoded arrives as a space and still means ascending); unknown or
repeated query parameters are a 400.

## Limits

Request bodies up to 1 MiB (413), query strings up to 4096 bytes (414),
request headers up to 8 KiB (431 or 400). A body on GET is a 400. A path
that exists under other methods answers 405 with `Allow`.

## Values

Money and quantities are decimal strings, never JSON numbers (Appendix
E), at the precision of their asset or market: more decimals is a 400.
Times are UTC ISO 8601 with milliseconds. Public ids carry a prefix
(`usr_`, `ord_`, `trd_`, `kyc_`, `key_`, `dep_`, `wdr_`, `alt_`) and 20 characters
(`usr_`, `ord_`, `trd_`, `kyc_`, `key_`, `dep_`, `fdp_`, `fwd_`, `ftr_`)
and 20 characters
`[a-z2-7]`.
""" % rl_rows

doc = OrderedDict()
doc["openapi"] = "3.0.3"
doc["info"] = OrderedDict([
    ("title", "hzm exchange API"),
    ("version", "1.0.0"),
    ("description", INFO_DESC.strip()),
    # The spec's contact for API questions (§ Contact & Support).
    ("contact", OrderedDict([("name", "hzm API support"),
                             ("email", "api-support@techsonamy.com")])),
    # hzm is not open source: say so rather than leave it unstated.
    ("license", OrderedDict([("name", "Proprietary")])),
])
# bots (seed 001) -------------------------------------------------------------
P["BotId"] = pparam("botId", "One of the caller's bots; another user's, a "
                    "deleted or a malformed id is 404.",
                    s(pattern="^bot_" + B32ID + "$"))
BOT_DEC = "A decimal string at the market's scale (8 where hzm lists no market)."
BOT_STRATEGY = s("simple {buyBelow, sellAbove}; ema (emaPeriod); rsi "
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
    ("venueSymbol", nullable(s("BINANCE only: the pair Binance trades for "
                               "this bot (BTCTRY traded as BTCUSDT); null: "
                               "the symbol itself.",
                               pattern="^[A-Z0-9]{4,20}$"))),
    ("strategy", BOT_STRATEGY),
    ("emaPeriod", nullable({"type": "integer", "minimum": 2, "maximum": 500})),
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
    ("pnlCurrency", nullable(s(example="TRY"))),
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
    ("unrealizedPnl", nullable(s())), ("totalPnl", s()),
    ("winRate", nullable(s())), ("maxDrawdown", s()),
    ("lastTradeAt", nullable(TS)),
])
S["BotPerformance"] = obj(PERF, ["totalTrades", "realizedPnl"])
S["BotSummary"] = obj(OrderedDict([
    ("botCount", {"type": "integer"}),
    ("bots", {"type": "array", "items": {"type": "object"}}),
    ("totalRealizedPnl", {"type": "object", "additionalProperties": s(),
                          "description": "Per quote asset."}),
]), ["bots", "totalRealizedPnl"])
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

def errs_join(*ds):
    out = OrderedDict()
    for d in ds:
        for k, v in d.items():
            out.setdefault(k, []).extend(v)
    return out

BOT_CONF_ERRS = {400: [("INVALID_REQUEST", FIELDS + " (details `field`, "
                        "e.g. strategyParams.sellAbove); venueSymbol on "
                        "HZM"), ("TRADE_005", "no such hzm market (field "
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
   errors=errs_join(BOT404, {400: [("INVALID_REQUEST", "status is not RUNNING "
                                 "or STOPPED")],
                          403: [("KYC_REQUIRED", "a live HZM bot needs KYC "
                                 "LEVEL_2")]}))
op("POST", V + "/bots/{botId}/start", "startBot", "bots", "Start a bot",
   "user", "trade", "RL_TRADE_POST", params=[ref("parameters", "BotId")],
   body_required=False,
   description="RUNNING; failures and a daily halt are cleared. A live "
               "BINANCE bot without a valid Binance key stops with ERROR "
               "at the worker's next run, saying so.",
   ok=[(200, "The bot.", envelope(sref("Bot")))],
   errors=errs_join(BOT404, {403: [("KYC_REQUIRED", "a live HZM bot needs KYC "
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
doc["servers"] = [{"url": "/", "description": "The server that serves this "
                   "document (`make run`: http://127.0.0.1:8080)."}]
doc["tags"] = [
    {"name": "public", "description": "Market data anyone may read."},
    {"name": "system", "description": "Health of the service."},
    {"name": "auth", "description": "Registration, login, tokens, password "
                                    "reset, 2FA."},
    {"name": "users", "description": "The caller's profile."},
    {"name": "kyc", "description": "Identity verification."},
    {"name": "admin", "description": "The admin console: users, limits, "
                                     "KYC review, withdrawal review, "
                                     "compliance alerts and the blacklist "
                                     "(audit-logged)."},
    {"name": "api-keys", "description": "Platform API keys, and the "
     "user's Binance API key (`/api-keys/me`)."},
    {"name": "orders", "description": "Orders and trades."},
    {"name": "bots", "description": "Trading bots: configurations, state, "
                                    "reports, backtests (seed 001)."},
    {"name": "wallets", "description": "Balances, deposit addresses, "
                                       "deposits and withdrawals."},
    {"name": "wallets", "description": "Balances, deposit addresses and "
                                       "deposits."},
    {"name": "fiat", "description": "TRY by bank transfer: deposits with a "
                                    "reference code, withdrawals to the "
                                    "user's own IBAN, the bank's "
                                    "callbacks."},
    {"name": "notifications", "description": "Notification preferences, "
                                             "balance thresholds, webhook "
                                             "endpoints and the delivery "
                                             "log."},
    {"name": "docs", "description": "This description."},
]
doc["paths"] = PATHS
doc["components"] = OrderedDict([
    ("schemas", S),
    ("parameters", P),
    ("responses", RESPONSES),
    ("headers", H),
    ("securitySchemes", SEC),
])
doc["security"] = []

json.dump(doc, sys.stdout, indent=1, ensure_ascii=False)
sys.stdout.write("\n")
