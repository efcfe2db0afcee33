"""Local stand-ins for outside services, mounted at /sandbox/ when SANDBOX_ENABLED.

* ``visma-connect/`` — Visma Connect (OIDC): discovery, authorize with log-in, tenant pick,
  consent ("Ok") and terms ("Accept"), token (authorization_code with PKCE S256, rotating
  refresh_token with a grace window, client_credentials), userinfo, revocation, end-session.
  Access tokens are RS256 JWTs signed with a key kept in the sandbox DB (JWKS published).
* ``businessnxt/api/graphql`` and ``businessnxt/api/graphql-service`` — Business NXT GraphQL
  (graphql-core) with the documented tables, paging, filters, mutations, limits and errors.
* ``businessnxt/_control/<action>`` — JSON switches for tests (payments, credit notes, invoices,
  row changes, faults, limit reset); ``visma-connect/_control/revoke`` revokes a grant. Every
  ``_control/`` switch answers 403 unless the ``X-Sandbox-Control-Secret`` header equals
  SANDBOX_CONTROL_SECRET (env KREDIN_SANDBOX_CONTROL_SECRET; empty refuses all), see
  ``sandbox.control``.
* ``brreg/enhetsregisteret/api/`` — Enhetsregisteret (the ``sandbox.brreg`` app).

Wire conventions of the GraphQL stand-in:

* ``Decimal`` values are JSON numbers with exactly two decimals (``1250.00``). Parse responses
  with ``json.loads(..., parse_float=Decimal)``; inputs accept numbers or strings.
* Dates are ``yyyymmdd`` integers (0 = no date). ``createdTimestamp``/``changedTimestamp`` are
  Europe/Oslo wall-clock strings ``yyyy-MM-dd HH:mm:ss.fff``; filters accept ISO forms such as
  ``2024-10-01T12:45:33`` (local time) or with an offset.
* Cursors are base64 of a 0-based position: ``startCursor`` = first item, ``endCursor`` = one
  past the last item, so ``after: endCursor`` continues (first page of 10: ``MA==``/``MTA=``).
* voucherType 1 invoice, 2 credit note, 3 payment; paidStatus 0 open, 2 partly settled,
  4 settled (sandbox conventions; Business NXT's own values are not public).

Settings (all optional, read at call time): SANDBOX_ACCESS_TOKEN_LIFETIME (seconds, overrides the
per-client value, default 3600), SANDBOX_REFRESH_GRACE_SECONDS (default 5),
SANDBOX_NXT_RATE_LIMIT_PER_MINUTE (600), SANDBOX_NXT_MAX_IN_FLIGHT (60),
SANDBOX_PREFILL_DEMO_LOGIN (defaults to DEBUG). The demo client is VISMA_CONNECT_CLIENT_ID /
VISMA_CONNECT_CLIENT_SECRET.

The sandbox imports no product app, and no product app imports it (import-linter).
"""
