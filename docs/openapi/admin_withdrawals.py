# docs/openapi/admin_withdrawals.py — the admin console's withdrawal review, compliance alerts and the withdrawal address blacklist
from collections import OrderedDict

from .helpers import (B32ID, FIELDS, TS, TS_STR, V, dec, envelope,
                      list_envelope, merged, nullable, obj, pparam, qparam,
                      ref, s, sref)
from .operation import op
from .registry import P, S
from .wallets import ADDR, WD_STATUSES


def add():
    """Its schemas and parameters, then its operations."""
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
        ("userId", sref("UserId")),
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
         "approvalsRequired", "approvals", "user", "userId", "history",
         "addressAnalysis"],
        desc="A withdrawal with what a reviewer needs (spec §11.3): the user's "
             "profile, KYC level and limits, their history, the risk score and "
             "its factors, an analysis of the address.")
    DOCS_ITEM = s(pattern="^[a-z][a-z0-9_]{0,31}$", example="kyc_doc")
    S["WithdrawalApproveRequest"] = obj(OrderedDict([
        ("reason", s("Why, if given: kept in the audit log.", minLength=1,
                     maxLength=500)),
        ("note", s("Staff only.", maxLength=2000)),
        ("reviewedDocuments", {"type": "array", "maxItems": 16, "items": DOCS_ITEM,
                               "description": "What was looked at (audit log)."}),
    ]), [], closed=True)
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
       description="Oldest first (or by `sort`). Each with what "
                   "spec §11.3 has a reviewer look at: the user's profile, "
                   "KYC level and limits, their history, the risk score "
                   "with its factors, the address analysed.",
       params=[ref("parameters", "Page"), ref("parameters", "PageSize"),
               qparam("sort", "+createdAt (default, oldest first), "
                      "-createdAt, -riskScore or +riskScore.",
                      s(enum=["+createdAt", "createdAt", "-createdAt",
                              "-riskScore", "+riskScore", "riskScore"])),
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
       body=sref("WithdrawalApproveRequest"), body_required=False,
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
