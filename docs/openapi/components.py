# docs/openapi/components.py — what every operation shares: the envelope, error and paging schemas, the common parameters and headers, the security schemes
from collections import OrderedDict

from .errors import ERRS
from .helpers import (B32ID, IDEM_KEY_RE, TOKEN_RE, TS, dec, nullable, obj,
                      pparam, qparam, s, sref)
from .registry import H, P, S, SEC


def add():
    """Registered first: they open the document's components."""
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
                           "§7.3). Kept 24 hours per user (without a login, per "
                           "client address): a repeat gets the "
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
