# docs/openapi/admin_users.py — the admin console's staff login, users (status, limits) and KYC review
from collections import OrderedDict

from .helpers import (B32ID, DEC2_RE, FIELDS, TS, V, dec, envelope,
                      list_envelope, merged, nullable, obj, qparam, ref, s,
                      sref)
from .operation import op
from .registry import S

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

DECIDE_ERRS = {
    403: [("FORBIDDEN", "staff cannot review their own application")],
    404: [("NOT_FOUND", "no such KYC application")],
    409: [("CONFLICT", "the application has already been decided "
           "(details `status`)")],
}
APPROVE_HOLD = {409: [("CONFLICT", "held by screening: its BLACKLIST_HIT "
                       "alert is not RESOLVED or FALSE_POSITIVE yet "
                       "(details `screeningAlertId`)")]}


def schemas():
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
    def limit(desc, ex):
        """A TRY amount, or Appendix C's {limit, currency} around one."""
        amount = dec(desc, ex, DEC2_RE)
        return {"oneOf": [amount, obj(OrderedDict([
            ("limit", amount), ("currency", s(enum=["TRY"])),
            ("used", s("Ignored: counted, not set.")),
        ]), ["limit"], desc="As Appendix C shows a limit.")]}
    S["UserLimitsUpdate"] = obj(OrderedDict([
        ("dailyWithdrawal", limit("TRY, at most 2 decimals.", "100000.00")),
        ("monthlyWithdrawal", limit("TRY, at most 2 decimals; not less "
                                    "than dailyWithdrawal.", "500000.00")),
        ("dailyTrading", limit("TRY, at most 2 decimals.", "1000000.00")),
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


def paths():
    op("POST", V + "/admin/auth/login", "adminLogin", "admin",
       "Staff login (admin console session)", "none", "none", "RL_ADMIN_LOGIN",
       description="For ADMIN and COMPLIANCE users with 2FA enabled; "
                   "twoFactorCode is required. Recorded in the audit log.",
       params=[ref("parameters", "DeviceId"), ref("parameters", "ClientVersion")],
       body=sref("LoginRequest"),
       ok=[(200, "An admin session (adminSession: true).",
            envelope(sref("TokenPair")))],
       errors=ADMIN_LOGIN_ERRS, no_idem=True)
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
       description="Oldest first (or `sort=-submittedAt`). Documents are "
                   "listed by kind, type, size and hash.",
       params=[ref("parameters", "Page"), ref("parameters", "PageSize"),
               qparam("sort", "+submittedAt (default, oldest first) or "
                      "-submittedAt.", s(enum=["+submittedAt", "submittedAt",
                                               "-submittedAt"]))],
       ok=[(200, "A page of applications.",
            list_envelope(sref("KycPendingApplication")))],
       errors={400: [("INVALID_REQUEST", "an unknown or repeated query "
                      "parameter; page, pageSize or sort out of range")]})
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
