# docs/openapi/admin_reports.py — reports: trading figures, and MASAK's suspicious-transaction cases and travel-rule transfers
from collections import OrderedDict

from .helpers import B32ID, FIELDS, V, envelope, obj, pparam, qparam, s
from .operation import op


def add():
    """Reports: trading figures and MASAK's cases and travel-rule transfers."""
    ANY = {"type": "object"}
    TIME = s("ISO 8601 UTC (2025-11-19 or 2025-11-19T10:30:00Z)")
    FMT = qparam("format", "json (default) or csv; `Accept: text/csv` too.",
                 s(enum=["json", "csv"]))
    op("GET", V + "/admin/reports/trading", "adminTradingReport", "admin",
       "Trading report per market or per user, by day or month (ADMIN, COMPLIANCE)",
       "staff", "none", "RL_ADMIN_REPORT",
       description="Rows per period (UTC) and market: tradeCount, volume "
                   "(base), quoteVolume, feesBase and feesQuote earned from "
                   "both sides, uniqueTraders. groupBy=user: per user, market "
                   "and period, with the fees that user paid. Decimal strings "
                   "at the assets' precision.",
       params=[qparam("from", "Trades at or after.", TIME),
               qparam("to", "Trades before.", TIME),
               qparam("period", "day (default) or month.", s(enum=["day", "month"])),
               qparam("groupBy", "market (default) or user.", s(enum=["market", "user"])),
               qparam("symbol", "One market only.", s(pattern="^[A-Z0-9]{4,20}$")),
               FMT],
       ok=[(200, "The rows, or text/csv.", envelope(ANY))],
       errors={400: [("INVALID_REQUEST", "an unknown or repeated parameter, "
                      "a bad time, period, groupBy, symbol or format")]})
    op("GET", V + "/admin/reports/masak", "adminMasakReport", "admin",
       "MASAK: suspicious-transaction cases and travel-rule transfers (ADMIN, COMPLIANCE)",
       "staff", "none", "RL_ADMIN_REPORT",
       description="`cases`: an alert of severity HIGH or CRITICAL, or "
                   "escalated, is a case (caseId = alertId) with the customer "
                   "from KYC, the transaction, the alert's type, score, "
                   "factors and details, a `deadline` 10 business days "
                   "(Saturdays and Sundays skipped) after the alert's day in "
                   "Turkey, `overdue`, and status DRAFT, FILED "
                   "(filingReference) or DISMISSED (reason). `travelRule`: "
                   "crypto deposits and withdrawals worth 15,000 TRY or more. "
                   "CSV: `section=cases` (default) or `travelRule`. The "
                   "customer's identity number is opened for the report, so "
                   "each read is audited (MASAK_REPORT_VIEW, the case ids) "
                   "before it is answered. Kept 8 years: housekeeping "
                   "deletes none of it.",
       params=[qparam("filter_status", "A case status.",
                      s(enum=["DRAFT", "FILED", "DISMISSED"])),
               qparam("from", "Alerts / transfers at or after.", TIME),
               qparam("to", "Alerts / transfers before.", TIME),
               qparam("section", "Which list a CSV export holds.",
                      s(enum=["cases", "travelRule"])), FMT],
       ok=[(200, "Cases and transfers, or text/csv.", envelope(ANY))],
       errors={400: [("INVALID_REQUEST", "an unknown or repeated parameter "
                      "or a bad value")]})
    op("POST", V + "/admin/reports/masak/{caseId}", "adminDecideMasakCase",
       "admin", "File a MASAK case or dismiss it (ADMIN, COMPLIANCE)", "staff",
       "none", "RL_ADMIN_REPORT",
       description="From DRAFT only: FILED with MASAK's filingReference, or "
                   "DISMISSED with a reason. Audited (MASAK_REPORT).",
       params=[pparam("caseId", "The case (its alert's id).",
                      s(pattern="^alt_" + B32ID + "$"))],
       body=obj(OrderedDict([
           ("status", s(enum=["FILED", "DISMISSED"])),
           ("filingReference", s(pattern="^[A-Za-z0-9._/-]{1,64}$")),
           ("reason", s(minLength=1, maxLength=1000))]), ["status"], closed=True),
       ok=[(200, "The case's new status.", envelope(ANY))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; FILED without a "
                      "reference, DISMISSED without a reason")],
               404: [("NOT_FOUND", "no such case")],
               409: [("CONFLICT", "the case is filed or dismissed already")]})
