"""API rate limits: one bucket per key (a person's browser session counts as one key)."""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle

from kredin.models import ApiToken


class PerTokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            return None  # anonymous calls fall to AnonRateThrottle
        return self.cache_format % {"scope": self.scope, "ident": ident}
