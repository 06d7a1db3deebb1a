# docs/openapi/wallets.py — balances, deposit addresses, crypto deposits and withdrawals
from collections import OrderedDict

from .helpers import (B32ID, FIELDS, TS, V, dec, envelope, list_envelope,
                      nullable, obj, qparam, ref, refd, s, sref)
from .operation import op
from .registry import S

WD_STATUSES = ["PENDING_APPROVAL", "PENDING_SIGNATURE", "PROCESSING",
               "COMPLETED", "REJECTED", "FAILED"]
ADDR = s("A destination address of the network (BTC: bech32, bech32m or "
         "base58check of the node's chain; bech32 is kept in lower case. "
         "ETH, ERC20: 0x and 40 hex digits, mixed case only with its EIP-55 "
         "checksum, else WALLET_001; kept checksummed).",
         example="bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh")


def schemas():
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
        ("depositAddress", s("The same address, under Appendix C's name.",
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
    ]), ["asset", "address", "depositAddress", "network", "memo",
         "minDeposit", "confirmations"],
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


def paths():
    op("GET", V + "/wallets/balances", "listBalances", "wallets",
       "The caller's balances", "user", "read", "RL_WALLET_GET",
       description="One row per asset, with its value in TRY; the total "
                   "(spec §4.3's totalValueInTRY) is beside `data`, as "
                   "§4.3 shows it, and in `meta`.",
       ok=[(200, "Every asset.", {"allOf": [
           sref("SuccessEnvelope"),
           obj(OrderedDict([
               ("data", {"type": "array", "items": sref("Balance")}),
               ("meta", obj({"totalValueInTRY": dec(
                   "The sum of valueInTRY.", "374500.00")},
                   ["totalValueInTRY"])),
               ("totalValueInTRY", dec("The same sum, where §4.3 puts it.",
                                       "374500.00")),
           ]), ["data", "meta", "totalValueInTRY"])]})])
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
