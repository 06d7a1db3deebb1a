# docs/openapi/screening.py — the admin console's PEP and sanctions lists (import, screening of KYC) and the registration blacklist
from collections import OrderedDict

from .helpers import (B32ID, FIELDS, TS, V, envelope, nullable, obj, pparam,
                      ref, s, sref)
from .operation import op
from .registry import P, S


def add():
    """Its schemas and parameters, then its operations."""
    S["ScreeningImportRequest"] = obj(OrderedDict([
        ("list", s(enum=["PEP", "SANCTIONS"])),
        ("source", s("The list's name, e.g. OFAC SDN; with replace, the "
                     "entries of this list and source are replaced.",
                     minLength=1, maxLength=64)),
        ("csv", s("RFC 4180 CSV as one JSON string: a header row naming "
                  "the columns (any order, any case) name (required), "
                  "birthDate (YYYY-MM-DD), nationality (ISO 3166-1 "
                  "alpha-2), reference (up to 128 characters), the others "
                  "optional and possibly empty; then one entry a line (LF "
                  "or CRLF; quoted fields may hold commas, quotes as \"\" "
                  "and line breaks); at most 50000 entries, 16 fields and "
                  "1024 bytes a field; names need a letter.")),
        ("replace", {"type": "boolean"}),
    ]), ["list", "source", "csv"], closed=True)
    S["ScreeningImported"] = obj(OrderedDict([
        ("importId", s(pattern="^imp_" + B32ID + "$")),
        ("list", s(enum=["PEP", "SANCTIONS"])),
        ("source", s()),
        ("entries", {"type": "integer"}),
        ("replaced", {"type": "integer"}),
    ]), ["importId", "list", "source", "entries", "replaced"])
    S["ScreeningList"] = obj(OrderedDict([
        ("list", s(enum=["PEP", "SANCTIONS"])),
        ("source", s()),
        ("entries", {"type": "integer"}),
        ("importedAt", nullable(TS)),
    ]), ["list", "source", "entries", "importedAt"])
    S["IdentityBlacklistRequest"] = obj(OrderedDict([
        ("kind", s(enum=["EMAIL", "EMAIL_DOMAIN", "PHONE"])),
        ("value", s("An address, a domain (what follows @) or an E.164 "
                    "number; lower-cased.", minLength=3, maxLength=254)),
        ("reason", s(minLength=3, maxLength=500)),
    ]), ["kind", "value", "reason"], closed=True)
    S["IdentityBlacklistEntry"] = obj(OrderedDict([
        ("entryId", s(pattern="^blk_" + B32ID + "$")),
        ("kind", s(enum=["EMAIL", "EMAIL_DOMAIN", "PHONE"])),
        ("value", s()),
        ("reason", s()),
        ("createdBy", sref("UserId")),
        ("createdAt", TS),
    ]), ["entryId", "kind", "value", "reason", "createdBy", "createdAt"])
    S["IdentityBlacklistRemoveRequest"] = obj(
        {"reason": s(minLength=3, maxLength=500)}, ["reason"], closed=True)
    P["EntryId"] = pparam("entryId", "A blacklist entry's id; any other "
                          "value is 404.", s(pattern="^blk_" + B32ID + "$"))
    SP = V + "/admin/screening"
    op("POST", SP + "/lists/import", "adminScreeningImport", "admin",
       "Import a PEP or sanctions list (CSV)", "staff", "none",
       "RL_ADMIN_WRITE",
       description="§11.1 Compliance Check 2: KYC applications going to "
                   "review are screened against these entries: the name "
                   "folded (Turkish ı/i, İ/I, ş/s, ğ/g, ç/c, ö/o, ü/u and "
                   "other accents; case, punctuation and word order "
                   "ignored) within an edit distance of 0 (up to 4 "
                   "letters), 1 (8), 2 (16) or 3, and the birth date and "
                   "nationality where the entry has them. A match raises a "
                   "BLACKLIST_HIT alert (CRITICAL for SANCTIONS, HIGH for "
                   "PEP) naming the entry and holds the application. One "
                   "transaction, audited (SCREENING_LIST_IMPORT).",
       body=sref("ScreeningImportRequest"),
       ok=[(201, "Imported.", envelope(sref("ScreeningImported")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; csv not a string; a "
                      "header without name or with an unknown or repeated "
                      "column; an entry without a name, with a bad date or "
                      "country, malformed CSV (details `field: csv`, "
                      "`reason`, `line`); nothing is stored")]})
    op("GET", SP + "/lists", "adminScreeningLists", "admin",
       "The PEP and sanctions lists loaded", "staff", "none",
       "RL_ADMIN_READ",
       ok=[(200, "Per list and source.", envelope(
           {"type": "array", "items": sref("ScreeningList")}))])
    op("GET", SP + "/blacklist", "adminIdentityBlacklist", "admin",
       "The registration blacklist", "staff", "none", "RL_ADMIN_READ",
       description="Live entries, newest first (at most 1000).",
       ok=[(200, "The entries.", envelope(
           {"type": "array", "items": sref("IdentityBlacklistEntry")}))])
    op("POST", SP + "/blacklist", "adminIdentityBlacklistAdd", "admin",
       "Blacklist an e-mail address, domain or phone number", "staff",
       "none", "RL_ADMIN_WRITE",
       description="Registration with a listed address, an address of a "
                   "listed domain or a listed phone number is refused "
                   "(403 COMPLIANCE_001) and raises a BLACKLIST_HIT alert. "
                   "Audited.",
       body=sref("IdentityBlacklistRequest"),
       ok=[(201, "Listed.", envelope(sref("IdentityBlacklistEntry")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; a value that is not "
                      "of its kind")],
               409: [("CONFLICT", "listed already")]})
    op("POST", SP + "/blacklist/{entryId}/remove",
       "adminIdentityBlacklistRemove", "admin",
       "Take an entry off the registration blacklist", "staff", "none",
       "RL_ADMIN_WRITE", description="Audited with the reason.",
       params=[ref("parameters", "EntryId")],
       body=sref("IdentityBlacklistRemoveRequest"),
       ok=[(200, "Removed.", envelope(obj(OrderedDict([
           ("entryId", s()), ("removed", {"type": "boolean"})]),
           ["entryId", "removed"])))],
       errors={400: [("INVALID_REQUEST", FIELDS)],
               404: [("NOT_FOUND", "no such entry, or removed already")]})
