# docs/openapi/__init__.py — the OpenAPI document of the REST API, as a package: build() returns it (docs/openapi.py prints it)
"""Where things are:

  document.py      build(): the order everything is registered in; info, servers, tags
  registry.py      the tables the document is made of (schemas, parameters, ..., paths)
  helpers.py       s(), dec(), obj(), nullable(), ref(), qparam(), envelope(), V, FIELDS
  ratelimits.py    the rate-limit classes (core/ratelimit.c)
  errors.py        the error codes (core/err.c) and HTTP reason phrases
  components.py    the envelope, error and paging schemas; common parameters,
                   headers and security schemes
  operation.py     op(): one route to one operation, with every response
  public.py        market data and system health
  auth.py          registration, login, tokens, password reset, 2FA
  users_kyc.py     the profile, sessions and KYC
  admin_users.py   staff login, users and their limits, KYC review
  api_keys.py      platform API keys and the user's Binance key
  docs_pages.py    /api/docs: this document, the AsyncAPI one, their pages
  orders.py        orders, OCO lists, the caller's trades
  wallets.py       balances, deposit addresses, deposits, crypto withdrawals
  admin_withdrawals.py  withdrawal review, compliance alerts, the blacklist
  fiat.py          TRY by bank transfer, and its review queue
  screening.py     PEP and sanctions lists, the registration blacklist
  notifications.py notification preferences, thresholds, webhooks, the log
  admin_operator.py staff, every order and trade, markets, live settings
  admin_audit.py   the audit log, its chain check, KYC documents
  admin_reports.py trading and MASAK reports
  bots.py          trading bots
"""
from .document import build
