# docs/openapi/admin_audit.py — the audit log viewer, its hash-chain check, and KYC documents for reviewers
from .helpers import V, envelope, list_envelope, pparam, qparam, ref, s, sref
from .operation import op


def add():
    """The audit viewer, its chain check, and KYC documents for reviewers."""
    ANY = {"type": "object"}
    page = [ref("parameters", "Page"), ref("parameters", "PageSize")]
    TIME = s("ISO 8601 UTC (2025-11-19 or 2025-11-19T10:30:00Z)")
    op("GET", V + "/admin/audit", "adminListAudit", "admin",
       "The audit log, filtered; paged, or exported as CSV (ADMIN, COMPLIANCE)",
       "staff", "none", "RL_ADMIN_READ",
       description="Rows as spec §11.3 lists them: auditId, eventType, "
                   "adminUserId, adminEmail, targetUserId, targetRef, action, "
                   "reason, details, ipAddress, timestamp, and the row's hash "
                   "and prevHash; where details carry withdrawalId, riskScore "
                   "or reviewedDocuments (a withdrawal decision), they are "
                   "beside the others too, as §11.3's record has them. "
                   "`format=csv` or `Accept: text/csv` answers "
                   "every matching row (up to 50,000) as text/csv instead of "
                   "a page; formula-like cells get a leading apostrophe. "
                   "meta.totalCount counts up to 10,000.",
       params=page + [
           qparam("filter_actorId", "Who acted (usr_).", sref("UserId")),
           qparam("filter_targetUserId", "The user concerned (usr_).", sref("UserId")),
           qparam("filter_eventType", "KYC_REVIEW, KYC_DOCUMENT_VIEW, ...",
                  s(pattern="^[A-Z][A-Z0-9_]{1,39}$")),
           qparam("filter_from", "Written at or after.", TIME),
           qparam("filter_to", "Written before.", TIME),
           qparam("format", "json (default) or csv.", s(enum=["json", "csv"])),
           qparam("sort", "-createdAt (default) or +createdAt.",
                  s(enum=["-createdAt", "+createdAt", "createdAt"]))],
       ok=[(200, "A page of audit rows, or text/csv.", list_envelope(ANY))],
       errors={400: [("INVALID_REQUEST", "an unknown or repeated query "
                      "parameter; page, pageSize, a filter, format or sort "
                      "out of range")]})
    op("GET", V + "/admin/audit/verify", "adminVerifyAudit", "admin",
       "Recompute the audit hash chain over a range (ADMIN, COMPLIANCE)",
       "staff", "none", "RL_ADMIN_REPORT",
       description="Checks every row written in [from, to) (either may be "
                   "left out): its hash against its content and its prevHash "
                   "against the row before it (the one before the range "
                   "included). `intact`, `checked`, and `firstBroken` "
                   "{auditId, problem: HASH_MISMATCH | PREV_HASH_MISMATCH, "
                   "timestamp} naming the first broken link.",
       params=[qparam("from", "Rows written at or after.", TIME),
               qparam("to", "Rows written before.", TIME)],
       ok=[(200, "The result of the check.", envelope(ANY))],
       errors={400: [("INVALID_REQUEST", "an unknown parameter or a bad time")]})
    op("GET", V + "/admin/kyc/{userId}/documents/{docType}",
       "adminGetKycDocument", "admin",
       "A KYC document of the user's latest application (ADMIN, COMPLIANCE)",
       "staff", "none", "RL_ADMIN_READ",
       description="The bytes as submitted, with their content type "
                   "(image/jpeg, image/png or application/pdf), never cached; "
                   "X-KYC-Id names the application. Each read is written to "
                   "the audit log (KYC_DOCUMENT_VIEW, with the document's "
                   "hash) before it is answered.",
       params=[pparam("userId", "The applicant.", sref("UserId")),
               pparam("docType", "Which document.",
                      s(enum=["idDocument", "addressProof", "selfie"]))],
       ok=[(200, "The document.", {"type": "string", "format": "binary"})],
       ok_ctype="application/octet-stream",
       errors={404: [("NOT_FOUND", "no such user, application or document type")]})
