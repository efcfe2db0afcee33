"""What a person sees when a rate limit stops them, and the audit trail it leaves."""

from django.core.cache import cache
from django.shortcuts import render

from kredin.audit import audit_record, client_ip

# One audit event per page and address per minute is a trail; one per refused request
# would let a flood fill the log.
_AUDIT_EVERY_SECONDS = 60


def rate_limited(request, exception):
    """django-ratelimit's RATELIMIT_VIEW: 429 with a plain explanation."""
    match = getattr(request, "resolver_match", None)
    page = match.url_name if match else request.path[:200]
    if cache.add(f"rate-limited-audit:{page}:{client_ip(request)}", 1, _AUDIT_EVERY_SECONDS):
        audit_record(action="security.rate_limited", details={"page": page}, request=request)
    return render(request, "registration/throttled.html", status=429)
