# docs/openapi/document.py — build(): registers every module's schemas, parameters and operations in the document's order, then adds info, servers and tags
from collections import OrderedDict

from . import (admin_audit, admin_operator, admin_reports, admin_users,
               admin_withdrawals, api_keys, auth, bots, components, docs_pages,
               fiat, notifications, orders, public, screening, users_kyc,
               wallets)
from .ratelimits import RL, window_text
from .registry import H, P, PATHS, RESPONSES, S, SEC

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

A request body is the payload itself, as the schemas below show it, or
the same payload in §2.1's request envelope: a body of `requestId`,
`timestamp` and `data` (an object) alone is read as its `data`, and its
`requestId` names the request when no `X-Request-ID` header does.

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

Every POST takes `X-Idempotency-Key` (1-64 characters of
`A-Z a-z 0-9 . _ ~ : -`, so a UUID fits; kept 24 hours per user, or
without a login per client address): a repeat gets the first status and body with
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
sent unencoded arrives as a space and still means ascending); a filter
may also be named without its prefix (`userId` for `filter_userId`, as
§11.3 writes it); unknown or repeated query parameters (a filter under
both names is repeated) are a 400. `/trades` sorts by `timestamp` (or
`createdAt`, as the other lists), `price` or `quantity`.

## Limits

Request bodies up to 1 MiB (413), query strings up to 4096 bytes (414),
request headers up to 8 KiB (431 or 400). A body on GET is a 400. A path
that exists under other methods answers 405 with `Allow`.

## Values

Money and quantities are decimal strings, never JSON numbers (Appendix
E), at the precision of their asset or market: more decimals is a 400.
Times are UTC ISO 8601 with milliseconds. Public ids carry a prefix
naming what they are (`usr_`, `ord_`, `trd_`, `kyc_`, `key_`, `dep_`,
`wdr_`, `fdp_`, `fwd_`, `ftr_`, `alt_`, `blk_`, `bot_`, `btr_`, `whk_`,
`evt_`, `msg_` and so on) and 20 characters `[a-z2-7]`.
""" % rl_rows


def build():
    """The document, as an OrderedDict. Call it once: the tables fill up.

    The order of the calls is the order of the JSON (schemas, parameters,
    shared responses and paths are listed as they were registered), which
    `make docs-check` compares byte for byte.
    """
    components.add()
    # The early sections' schemas, before any operation.
    public.schemas()
    auth.schemas()
    users_kyc.schemas()
    admin_users.schemas()
    api_keys.schemas()
    orders.schemas()
    wallets.schemas()
    fiat.schemas()
    # Operations; the later sections register their own schemas and
    # parameters with them.
    public.paths()
    auth.paths()
    users_kyc.paths()
    admin_users.paths()
    api_keys.paths()
    docs_pages.paths()
    orders.paths()
    wallets.paths()
    admin_withdrawals.add()
    fiat.paths()
    fiat.admin_paths()
    screening.add()
    notifications.add()
    admin_operator.add()
    admin_audit.add()
    admin_reports.add()
    bots.add()

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
    return doc
