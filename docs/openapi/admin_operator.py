# docs/openapi/admin_operator.py — the operator console: staff and their roles, every user's orders and trades, markets, live settings
from collections import OrderedDict

from .helpers import (B32ID, FIELDS, TS, V, envelope, list_envelope, obj,
                      pparam, qparam, ref, s, sref)
from .operation import op
from .registry import P, S


def add():
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
