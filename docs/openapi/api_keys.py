# docs/openapi/api_keys.py — platform API keys (generate, regenerate, revoke) and the user's Binance key (seed 000)
from collections import OrderedDict

from .helpers import B32ID, FIELDS, TS, V, envelope, nullable, obj, ref, s, sref
from .operation import op
from .registry import S

SCOPE_ENUM = s("read: GETs; write (seed 003's name) and trade: placing and "
               "cancelling orders, never withdrawals; withdraw: withdrawals.",
               enum=["read", "write", "trade", "withdraw"])
BINANCE_CRED = "4 to 128 letters and digits, as Binance issues them."


def schemas():
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
            ("api_key", s("apiKey, under seed 003's name.",
                          pattern="^hzm_[0-9a-f]{32}$")),
            ("api_password", s("apiPassword, under seed 003's name.",
                               pattern="^[A-Za-z0-9_-]{43}$")),
            ("message", s(example="Store these credentials securely. "
                          "Password won't be shown again.")),
        ]), ["apiKey", "apiPassword", "api_key", "api_password", "message"])],
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
        ("api_key_masked", s("apiKeyMasked, under seed 000's name.",
                             example="****Ju91")),
        ("is_valid", {"type": "boolean", "description": "isValid, under "
                      "seed 000's name."}),
        ("created_at", TS),
        ("validatedAt", TS),
        ("invalidReason", nullable(s())),
        ("invalidatedAt", nullable(TS)),
        ("warnings", {"type": "array", "items": sref("BinanceKeyWarning")}),
    ]), ["id", "exchange", "apiKeyMasked", "isValid", "ipRestrict", "canTrade",
         "permissions", "createdAt", "api_key_masked", "is_valid",
         "created_at", "validatedAt", "invalidReason", "invalidatedAt",
         "warnings"])


def paths():
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
