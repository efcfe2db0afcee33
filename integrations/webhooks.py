"""Business NXT TableChange webhooks: a signed nudge to sync a company sooner.

The body is only a hint (table, company, keys); nothing in it is trusted beyond "this
company changed", so the sync reads the data itself. The signature is
base64(HMAC-SHA256(secret, raw body)) in `x-vwd-signature-v1`; without a configured
secret every call is refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from integrations.models import Integration, IntegrationStatus, SyncKind, SyncTrigger
from kredin.tenancy import organization_scope

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "x-vwd-signature-v1"


def signature_for(body: bytes, secret: str) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signature_valid(body: bytes, given: str, secret: str) -> bool:
    if not secret or not given:
        return False
    return hmac.compare_digest(signature_for(body, secret).encode(), given.strip().encode())


@csrf_exempt
@require_POST
def businessnxt_webhook(request: HttpRequest) -> HttpResponse:
    body = request.body
    if not signature_valid(
        body, request.headers.get(SIGNATURE_HEADER, ""), settings.BUSINESS_NXT_WEBHOOK_SECRET
    ):
        logger.warning(
            "Business NXT webhook refused: %s signature from %s",
            "missing" if not request.headers.get(SIGNATURE_HEADER) else "wrong",
            request.META.get("REMOTE_ADDR", "?"),
        )
        return HttpResponse(status=401)
    try:
        payload = json.loads(body)
        company_no = int(payload.get("companyNo") or 0)
    except (ValueError, TypeError, AttributeError):
        return HttpResponse(status=400)
    # Any table: sync requests for a run already queued are folded into it.
    webhook_sync(company_no=company_no)
    return HttpResponse(status=202)


def webhook_sync(*, company_no: int) -> int:
    """Ask for an incremental sync of every active integration of the company; returns how many."""
    from integrations.services import IntegrationError, sync_request

    if not company_no:
        return 0
    # The webhook names a company, not an organisation: find the owners first.
    targets = (
        Integration.objects.unscoped()
        .filter(company_no=company_no, status=IntegrationStatus.ACTIVE)
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
