"""The integration's settings page: what to read in, where income is booked, the register.

Two actions, one service each: the wizard's last step (`integration_activate`: save, turn
on, start the first full sync) and every later save (`integration_settings_update`). Which
of the two a page is doing is decided once, by `Integration.awaits_activation`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from brreg.services import RegisterChoice, register_settings_update
from integrations.models import (
    Integration,
    IntegrationStatus,
    PostingSettings,
    SyncKind,
    SyncRun,
    SyncTrigger,
)
from integrations.services.errors import IntegrationError
from integrations.services.sync import sync_request
from kredin.audit import audit_record
from kredin.models import User


@dataclass(frozen=True)
class SyncSelection:
    """Which items are read in; a change calls for a full sync."""

    fetch_from_date: date
    days_past_due: int

    @classmethod
    def of(cls, integration: Integration) -> SyncSelection:
        return cls(integration.fetch_from_date, integration.days_past_due)


@dataclass(frozen=True)
class PostingChoice:
    fee_income_account: int
    interest_income_account: int
    # None: not offered on the page (no list of series yet), so the stored one stays.
    voucher_series_no: int | None = None

    @classmethod
    def of(cls, posting: PostingSettings) -> PostingChoice:
        return cls(
            posting.fee_income_account,
            posting.interest_income_account,
            posting.voucher_series_no,
        )


def posting_settings_get(*, integration: Integration) -> PostingSettings:
    """The integration's posting settings, made (empty) the first time they are asked for."""
    posting, _created = PostingSettings.objects.get_or_create(
        integration=integration, defaults={"organization_id": integration.organization_id}
    )
    return posting


def posting_accounts_remember(
    *, integration: Integration, accounts: list, series: list | None = None
) -> None:
    """Keep the chart of accounts (and the voucher series) Business NXT just gave, for when
    it does not answer."""
    posting = posting_settings_get(integration=integration)
    posting.account_choices = [[a.account_no, a.name] for a in accounts]
    posting.accounts_read_at = timezone.now()
    fields = ["account_choices", "accounts_read_at"]
    if series is not None:
        posting.series_choices = [[s.series_no, s.name] for s in series]
        fields.append("series_choices")
    posting.save(update_fields=fields)


def _save(
    *,
    integration: Integration,
    selection: SyncSelection,
    posting: PostingChoice,
    user: User,
) -> dict[str, dict[str, str]]:
    """Write the integration's own settings; returns what changed, for the audit event."""
    if posting.fee_income_account == posting.interest_income_account:
        raise IntegrationError(
            _("Gebyr og renter bør føres på hver sin konto, så inntektene kan skilles.")
        )
    stored = posting_settings_get(integration=integration)
    if posting.voucher_series_no is None:
        posting = replace(posting, voucher_series_no=stored.voucher_series_no)
    old = {**asdict(SyncSelection.of(integration)), **asdict(PostingChoice.of(stored))}
    new = {**asdict(selection), **asdict(posting)}
    integration.fetch_from_date = selection.fetch_from_date
    integration.days_past_due = selection.days_past_due
    integration.save(update_fields=["fetch_from_date", "days_past_due"])
    stored.fee_income_account = posting.fee_income_account
    stored.interest_income_account = posting.interest_income_account
    stored.voucher_series_no = posting.voucher_series_no
    stored.save(
        update_fields=["fee_income_account", "interest_income_account", "voucher_series_no"]
    )
    return {
        key: {"old": str(old[key]), "new": str(new[key])}
        for key in sorted(new)
        if old[key] != new[key]
    }


@transaction.atomic
def integration_activate(
    *,
    integration: Integration,
    selection: SyncSelection,
    posting: PostingChoice,
    register: RegisterChoice,
    user: User,
    request: HttpRequest | None = None,
) -> SyncRun:
    """The wizard's "Lagre og aktiver": save, turn the integration on, start the first sync."""
    integration = Integration.objects.select_for_update().get(pk=integration.pk)
    if not integration.awaits_activation:
        raise IntegrationError(_("Integrasjonen er allerede aktivert."))
    changes = _save(integration=integration, selection=selection, posting=posting, user=user)
    register_settings_update(choice=register, user=user, request=request)
    integration.status = IntegrationStatus.ACTIVE
    integration.activated_at = timezone.now()
    integration.save(update_fields=["status", "activated_at"])
    audit_record(
        action="integration.activated",
        organization=integration.organization,
        actor=user,
        target=integration,
        details=changes,
        request=request,
    )
    return sync_request(
        integration=integration, kind=SyncKind.FULL, trigger=SyncTrigger.WIZARD, requested_by=user
    )


@transaction.atomic
def integration_settings_update(
    *,
    integration: Integration,
    selection: SyncSelection,
    posting: PostingChoice,
    register: RegisterChoice,
    user: User,
    request: HttpRequest | None = None,
) -> SyncRun | None:
    """Save the settings of an activated integration; returns the full sync a change in
    what is read in starts (a change to the register settings re-enriches instead)."""
    previous = SyncSelection.of(integration)
    changes = _save(integration=integration, selection=selection, posting=posting, user=user)
    register_settings_update(choice=register, user=user, request=request)
    if changes:
        audit_record(
            action="integration.settings_changed",
            organization=integration.organization,
            actor=user,
            target=integration,
            details=changes,
            request=request,
        )
    if integration.is_active and selection != previous:
        return sync_request(
            integration=integration,
            kind=SyncKind.FULL,
            trigger=SyncTrigger.SETTINGS,
            requested_by=user,
        )
    return None
