"""Visma Connect stand-in: OIDC discovery, authorize (log-in, tenant pick, consent), token,
userinfo and end-session, with RS256-signed JWT access tokens."""
