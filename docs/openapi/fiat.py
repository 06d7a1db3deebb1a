# docs/openapi/fiat.py — TRY by bank transfer: deposits with a reference code, withdrawals to the user's IBAN, the bank's callback, and staff's review queue
from collections import OrderedDict

from .helpers import (B32ID, DEC2_RE, FIELDS, TS, V, dec, envelope,
                      list_envelope, nullable, obj, qparam, ref, refd, s, sref)
from .operation import op
from .registry import S

IBAN_RE = "^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$"


def schemas():
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


def paths():
    """The user's requests and the bank's callback."""
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


def admin_paths():
    """The queue of transfers held for review (admin console)."""
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
