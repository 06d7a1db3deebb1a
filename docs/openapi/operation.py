# docs/openapi/operation.py — op(): one route as one operation, with its description, security, parameters and every response it may answer
from collections import OrderedDict

from .errors import REASON, STATUS_OF
from .helpers import obj, ref, sref
from .ratelimits import RL, window_text
from .registry import OPIDS, PATHS, RESPONSES

# The security requirement op() gives an operation, by who may call it
# (components.py defines the schemes).
SEC_PUBLIC = []
SEC_SESSION = [{"bearerAuth": []}]
SEC_KEYS = [{"bearerAuth": []},
            {"apiKey": [], "apiEmail": [], "apiPassword": []},
            {"apiKey": [], "apiTimestamp": [], "apiSignature": [],
             "apiRequestId": []}]
SEC_ADMIN = [{"adminBearerAuth": []}]

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
       db=True, ok_ctype="application/json", sunset=None, no_idem=False):
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
    idem = method == "POST" and not no_idem
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
