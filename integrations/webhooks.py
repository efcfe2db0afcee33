"""Business NXT TableChange webhooks: a signed nudge to sync a company sooner.

The body is only a hint (table, company, keys); nothing in it is trusted beyond "this
company changed", so the sync reads the data itself. Answers, in the order checked:

- 404 while BUSINESS_NXT_WEBHOOKS_ENABLED is off: the endpoint does not exist.
- 401 for a missing or wrong signature. The signature is base64(HMAC-SHA256(secret, raw
  body)) in `x-vwd-signature-v1`; without a configured secret every call is refused.
- 400 for a body that is not JSON, or has no UTC `timestamp` we can read.
- 401 for a signed body whose `timestamp` is more than BUSINESS_NXT_WEBHOOK_MAX_AGE_SECONDS
  in the past or the future: the signature covers the timestamp, so an old capture cannot
  be sent again later.
- 409 for a signature already accepted while its timestamp is still fresh (a replay). Not
  401: the caller did authenticate, the notification was simply delivered before. The
  signatures seen live in the shared cache (`cache.add` is atomic, so two copies racing
  each other cannot both get through); if handling then fails with a server error, the
  signature is forgotten again so Business NXT's retry is let in.
- 202 otherwise: an incremental sync is requested for every active integration of the
  company, folded into one already queued or running.

Nothing secret (the secret, the signature, the body) is logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import math
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from integrations.models import Integration, IntegrationStatus, SyncKind, SyncTrigger
from kredin.tenancy import organization_scope

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "x-vwd-signature-v1"
REPLAY_KEY_PREFIX = "webhook-signature:"


def signature_for(body: bytes, secret: str) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signature_valid(body: bytes, given: str, secret: str) -> bool:
    if not secret or not given:
        return False
    return hmac.compare_digest(signature_for(body, secret).encode(), given.strip().encode())


def timestamp_of(payload: object) -> datetime | None:
    """The body's `timestamp` as an aware UTC datetime, or None when missing or unreadable.

    Business NXT sends seven fractional digits ("2024-05-07T08:17:38.3221987Z"); the
    digits past microseconds are dropped. A stamp without an offset is UTC, as documented.
    """
    value = payload.get("timestamp") if isinstance(payload, dict) else None
    if not isinstance(value, str):
        return None
    try:
        stamp = parse_datetime(value.strip())
    except ValueError:
        return None
    if stamp is None:
        return None
    if timezone.is_naive(stamp):
        stamp = stamp.replace(tzinfo=UTC)
    return stamp


def _replay_key(signature: str) -> str:
    return REPLAY_KEY_PREFIX + hashlib.sha256(signature.strip().encode()).hexdigest()


def _refused(reason: str, request: HttpRequest, status: int) -> HttpResponse:
    logger.warning(
        "Business NXT webhook refused: %s (from %s)", reason, request.META.get("REMOTE_ADDR", "?")
    )
    return HttpResponse(status=status)


@csrf_exempt
def businessnxt_webhook(request: HttpRequest) -> HttpResponse:
    # Checked before anything else, so a deployment without webhooks shows no endpoint at all.
    if not settings.BUSINESS_NXT_WEBHOOKS_ENABLED:
        raise Http404
    return _receive(request)


@require_POST
def _receive(request: HttpRequest) -> HttpResponse:
    body = request.body
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if not signature_valid(body, signature, settings.BUSINESS_NXT_WEBHOOK_SECRET):
        return _refused(f"{'wrong' if signature else 'missing'} signature", request, 401)
    try:
        payload = json.loads(body)
        company_no = int(payload.get("companyNo") or 0)
    except (ValueError, TypeError, AttributeError):
        return _refused("body is not a TableChange notification", request, 400)
    stamp = timestamp_of(payload)
    if stamp is None:
        return _refused("no readable timestamp", request, 400)
    window = timedelta(seconds=settings.BUSINESS_NXT_WEBHOOK_MAX_AGE_SECONDS)
    now = timezone.now()
    if abs(now - stamp) > window:
        return _refused(
            f"timestamp {int((now - stamp).total_seconds())} s away from now", request, 401
        )
    # Remembered for as long as the timestamp stays acceptable (up to twice the window for
    # a stamp from the future), so the same body cannot come back before it goes stale.
    key = _replay_key(signature)
    remember = max(1, math.ceil((stamp + window - now).total_seconds()) + 1)
    if not cache.add(key, 1, timeout=remember):
        return _refused("signature already seen (replay)", request, 409)
    try:
        # Any table: sync requests for a run already queued are folded into it.
        webhook_sync(company_no=company_no)
    except Exception:
        # A server error is Business NXT's cue to retry the same body: let that one in.
        cache.delete(key)
        raise
    return HttpResponse(status=202)


def webhook_sync(*, company_no: int) -> int:
    """Ask for an incremental sync of every active integration of the company; returns how many."""
    from integrations.services import IntegrationError, sync_request

    if not company_no:
        return 0
    # The webhook names a company, not an organisation: find the owners first.
    targets = (
        Integration.objects.unscoped()
        .filter(visma_company_id=company_no, status=IntegrationStatus.ACTIVE)
        .values_list("organization_id", "pk")
    )
    requested = 0
    for organization_id, integration_id in targets:
        with organization_scope(organization_id):
            integration = Integration.objects.filter(pk=integration_id).first()
            if integration is None or not integration.is_active:
                continue
            try:
                sync_request(
                    integration=integration, kind=SyncKind.INCREMENTAL, trigger=SyncTrigger.WEBHOOK
                )
                requested += 1
            except IntegrationError:
                continue
    return requested
