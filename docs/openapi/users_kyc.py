# docs/openapi/users_kyc.py — the caller's profile and sessions, and KYC: submitting documents, its status and limits
from collections import OrderedDict

from .helpers import (B32ID, FIELDS, TS, V, dec, envelope, nullable, obj,
                      pparam, s, sref)
from .operation import op
from .registry import S

# The T.C. Kimlik No's rule, in KycSubmitRequest's x-hzm-rules.
TCKN_RULE = ("nationality TR: idNumber is a T.C. Kimlik No: 11 digits "
             "d1..d11, d1 not 0, d10 = ((d1+d3+d5+d7+d9)*7 - "
             "(d2+d4+d6+d8)) mod 10, d11 = (d1+...+d10) mod 10 "
             "(e.g. 10000000146); otherwise 5 to 20 letters and digits")


def schemas():
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


def paths():
    # Session is registered here, not in schemas(): the document lists it
    # after the early sections' schemas.
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
