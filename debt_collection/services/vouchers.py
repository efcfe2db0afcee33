"""Booking received fees and interest in Business NXT: each voucher exactly once.

Business NXT has no idempotency key for vouchers, and a long mutation can finish on the
server after its response is lost. So a `VoucherPosting` (the outbox row, written with
the payment shares it books) carries a key of its own into the voucher's text, and every
attempt starts by asking Business NXT what it already has under that key:

1. claim the row (pending, unknown, or a claim left by a worker that died) by one UPDATE;
2. read back: lines posted under the key → record them, done; an open batch with the
   key → post that one (delete any extra); nothing → create the batch, once;
3. post the batch (the updateBatch processing) and record batch, voucher and journal.

A write whose outcome is unknown (timeout, 5xx, lost answer) is never sent again blindly:
the row becomes "unknown" and the next attempt, after a pause, starts with the read-back.
Business NXT unreachable: the row waits with growing pauses (up to an hour) and goes
through once it answers. Refused (an account that does not exist, say): the row fails
with Business NXT's error, shown on the Bilag page, and an admin retries it after fixing
the settings. Nothing is dropped.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from debt_collection.models import VoucherPosting, VoucherStatus
from integrations.businessnxt.client import (
    BusinessNxtError,
    MutationNotSent,
    OutcomeUnknown,
    TransientFailure,
)
from integrations.businessnxt.records import VoucherLine
from integrations.connectors import client_for
from integrations.oauth import ReconnectRequired
from integrations.selectors import posting_settings_for
from kredin.audit import audit_record
from kredin.models import Membership, NotificationKind, User
from kredin.permissions import Permission
from kredin.services import require_permission
from kredin.services.notifications import notify
from kredin.tasks import TransientError

logger = logging.getLogger(__name__)
RETRY_MINUTES = (1, 2, 5, 10, 20, 30, 60)  # then every hour


class VoucherError(Exception):
    """An action on a voucher that cannot be done; the message is for the person."""


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=RETRY_MINUTES[min(attempts, len(RETRY_MINUTES)) - 1])


def vouchers_due() -> list[tuple[int, int]]:
    """(organization_id, posting_id) of every voucher to try now, in every organisation."""
    now = timezone.now()
    abandoned = now - settings.KREDIN_VOUCHER_CLAIM_TIMEOUT
    rows = VoucherPosting.objects.unscoped().filter(
        Q(status__in=(VoucherStatus.PENDING, VoucherStatus.UNKNOWN))
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        | Q(status=VoucherStatus.POSTING, claimed_at__lt=abandoned)
    )
    return list(rows.order_by("pk").values_list("organization_id", "pk"))


def _claim(posting_id: int) -> VoucherPosting | None:
    now = timezone.now()
    abandoned = now - settings.KREDIN_VOUCHER_CLAIM_TIMEOUT
    claimed = (
        VoucherPosting.objects.filter(pk=posting_id)
        .filter(
            Q(status__in=(VoucherStatus.PENDING, VoucherStatus.UNKNOWN))
            & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            | Q(status=VoucherStatus.POSTING, claimed_at__lt=abandoned)
        )
        .update(status=VoucherStatus.POSTING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    return VoucherPosting.objects.select_related("case", "integration").get(pk=posting_id)


def voucher_post(*, posting_id: int) -> VoucherPosting:
    """One attempt at getting the voucher into Business NXT; safe to run at any time."""
    posting = _claim(posting_id)
    if posting is None:
        return VoucherPosting.objects.get(pk=posting_id)
    integration = posting.integration
    posting_settings = posting_settings_for(integration=integration)
    missing = _missing_settings(posting, posting_settings)
    if missing:
        return _fail(posting, code="missing_settings", message=missing)
    posting.fee_account = posting_settings.fee_income_account
    posting.interest_account = posting_settings.interest_income_account
    posting.voucher_series_no = posting_settings.voucher_series_no
    company_no = int(integration.visma_company_id)
    try:
        with client_for(integration) as client:
            key = posting.key
            posted = client.posted_lines_with_text(company_no=company_no, text_contains=key)
            if posted:
                first = posted[0]
                return _posted(posting, journal_no=first.journal_no, voucher_no=first.voucher_no)
            batches = client.open_batches_with_text(company_no=company_no, text_contains=key)
            if batches:
                batch = batches[0]
                for extra in batches[1:]:  # never two: keep the first, remove the rest
                    client.batch_delete(company_no=company_no, batch_no=extra.batch_no)
                posting.batch_no, posting.voucher_no = batch.batch_no, batch.voucher_nos[0]
            else:
                created = client.batch_create(
                    company_no=company_no,
                    voucher_series_no=posting.voucher_series_no,
                    voucher_date=posting.voucher_date,
                    lines=voucher_lines(posting),
                )
                posting.batch_no, posting.voucher_no = created.batch_no, created.voucher_no
            posting.save(update_fields=["batch_no", "voucher_no", *ACCOUNT_FIELDS])
            journal_no = client.batch_post(company_no=company_no, batch_no=posting.batch_no)
            return _posted(posting, journal_no=journal_no, voucher_no=posting.voucher_no)
    except OutcomeUnknown as exc:
        return _later(posting, VoucherStatus.UNKNOWN, code="outcome_unknown", message=str(exc))
    except (MutationNotSent, TransientFailure, TransientError) as exc:
        return _later(posting, VoucherStatus.PENDING, code="unreachable", message=str(exc))
    except ReconnectRequired as exc:
        return _later(posting, VoucherStatus.PENDING, code="reconnect", message=str(exc))
    except BusinessNxtError as exc:
        return _fail(posting, code=exc.code or "refused", message=str(exc))


ACCOUNT_FIELDS = ["fee_account", "interest_account", "voucher_series_no"]


def voucher_lines(posting: VoucherPosting) -> list[VoucherLine]:
    """Debit the customer with what the payment covered beyond the principal, credit the
    income accounts: the customer's credit balance (or open remainder) comes right."""
    text = posting.text
    lines = [
        VoucherLine.customer_debit(
            customer_no=posting.customer_no,
            amount=posting.total,
            invoice_no=posting.invoice_no,
            text=text,
        )
    ]
    income = ((posting.fee_account, posting.costs), (posting.interest_account, posting.interest))
    for account, amount in income:
        if amount > 0:
            lines.append(
                VoucherLine.income_credit(
                    account_no=account, amount=amount, invoice_no=posting.invoice_no, text=text
                )
            )
    return lines


def _missing_settings(posting: VoucherPosting, posting_settings) -> str:
    if posting_settings is None:
        return _(
            "Velg kontoer for gebyr- og renteinntekter og bilagsserie under Integrasjoner → "
            "Innstillinger, og prøv igjen."
        )
    needed = []
    if posting.costs > 0 and not posting_settings.fee_income_account:
        needed.append(_("konto for gebyrinntekter"))
    if posting.interest > 0 and not posting_settings.interest_income_account:
        needed.append(_("konto for renteinntekter"))
    if not posting_settings.voucher_series_no:
        needed.append(_("bilagsserie"))
    if not needed:
        return ""
    return _("Velg %(what)s under Integrasjoner → Innstillinger, og prøv igjen.") % {
        "what": ", ".join(str(n) for n in needed)
    }


def _posted(posting: VoucherPosting, *, journal_no: int, voucher_no: int | None) -> VoucherPosting:
    posting.status, posting.journal_no = VoucherStatus.POSTED, journal_no
    posting.voucher_no = voucher_no or posting.voucher_no
    posting.posted_at, posting.error, posting.error_code = timezone.now(), "", ""
    posting.next_attempt_at = None
    posting.save(
        update_fields=[
            "status",
            "journal_no",
            "voucher_no",
            "posted_at",
            "error",
            "error_code",
            "next_attempt_at",
            *ACCOUNT_FIELDS,
        ]
    )
    return posting


def _later(posting: VoucherPosting, status: str, *, code: str, message: str) -> VoucherPosting:
    posting.status, posting.error_code, posting.error = status, code, message[:500]
    posting.next_attempt_at = timezone.now() + _backoff(posting.attempts)
    posting.save(
        update_fields=[
            "status",
            "error_code",
            "error",
            "next_attempt_at",
            "batch_no",
            "voucher_no",
            *ACCOUNT_FIELDS,
        ]
    )
    logger.info("voucher %s: %s, next attempt %s", posting.key, code, posting.next_attempt_at)
    return posting


def _fail(posting: VoucherPosting, *, code: str, message: str) -> VoucherPosting:
    posting.status, posting.error_code, posting.error = VoucherStatus.FAILED, code, message[:500]
    posting.next_attempt_at = None
    posting.save(update_fields=["status", "error_code", "error", "next_attempt_at"])
    logger.warning("voucher %s failed: %s", posting.key, code)
    organization = posting.case.organization
    notify(
        organization=organization,
        kind=NotificationKind.VOUCHER_FAILED,
        params={"case": posting.case.number, "error": posting.error},
        url=reverse("collections:vouchers", kwargs={"org_slug": organization.slug}),
        # One per attempt: a retried voucher that fails again is news again.
        key=f"voucher:{posting.pk}:{posting.claimed_at.isoformat() if posting.claimed_at else ''}",
    )
    return posting


def voucher_retry(
    *,
    posting: VoucherPosting,
    membership: Membership | None = None,
    actor: User | None = None,
) -> VoucherPosting:
    """An admin sends a failed voucher again (after fixing the settings): it starts with
    the read-back like every attempt, so a voucher Business NXT has is not booked twice.

    Kredin's support, who are no members, pass `actor` instead of `membership`: then the
    caller has checked the actor is staff and records its own audit event (with the
    reason), so none is written here.
    """
    from debt_collection.tasks import voucher_post_task

    if membership is not None:
        require_permission(membership, membership.organization, Permission.MANAGE_SETTINGS)
    elif actor is None:
        raise ValueError("voucher_retry needs a membership or, for support, an actor")
    with transaction.atomic():
        posting = VoucherPosting.objects.select_for_update().get(pk=posting.pk)
        if posting.status != VoucherStatus.FAILED:
            raise VoucherError(_("Bare et bilag som har feilet, kan prøves på nytt."))
        posting.status, posting.next_attempt_at, posting.attempts = VoucherStatus.PENDING, None, 0
        posting.save(update_fields=["status", "next_attempt_at", "attempts"])
        if membership is not None:
            audit_record(
                action="voucher.retry",
                organization=membership.organization,
                actor=membership.user,
                target=posting,
            )
        organization_id, posting_id = posting.organization_id, posting.pk
        transaction.on_commit(lambda: voucher_post_task.delay(organization_id, posting_id))
    return posting
