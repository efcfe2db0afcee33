"""Enrichment of customers from the register.

What the organisation's three register settings (`RegisterSettings`) mean here:

- ``mode = ledger_only``: no register lookups and nothing written to customers;
  existing register flags are cleared so the reskontro shows only what the ledger says.
- ``update_on_exact_match``: on an exact match (a MOD11-valid number that the
  register reports as an active unit) the customer becomes a business and the register's
  spelling of the name is kept for letters.
- ``fetch_addresses``: on an exact match the register's address is used. With
  ``update_on_exact_match`` on it replaces the ledger's address; with it off it
  only fills in customers the ledger has no address for. Either way the panel on the
  customer page shows it beside the ledger's.

The address taken is the **postal address** (postadresse), falling back to the business
address (forretningsadresse) when none is registered. Dunning letters are mail, and the
postal address is where the unit has asked the register to have its mail sent (often a
PO box); the business address is where it operates. A sub-unit's location
(beliggenhetsadresse) is used when the number is a branch.

Flags (bankrupt, under liquidation, under compulsory dissolution, deleted, removed) are
kept whenever the register is used, whatever the other two options say. A user's
override wins over both the ledger and the register until it is removed (the ledger's
field writer sees to that).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from brreg.addresses import register_address
from brreg.cache import cache_max_age, entries_refresh
from brreg.client import BrregClient, RegisterError
from brreg.models import (
    CustomerEnrichment,
    EntryKind,
    EntryStatus,
    MatchStatus,
    RegisterEntry,
    RegisterSettings,
)
from brreg.selectors import register_settings_get
from kredin.audit import audit_record
from kredin.identifiers import valid_organization_number
from kredin.models import NotificationKind
from kredin.services.notifications import notify
from ledger.bulk import bulk_update_rows
from ledger.customer_fields import CustomerFieldWriter
from ledger.models import ChangeSource, Customer, CustomerType

logger = logging.getLogger(__name__)

ADDRESS_FIELDS = ("address_line1", "address_line2", "post_code", "city", "country")
# Waits before retrying after an outage, by attempt; the last repeats.
RETRY_DELAYS = [
    dt.timedelta(minutes=15),
    dt.timedelta(hours=1),
    dt.timedelta(hours=4),
    dt.timedelta(hours=12),
]
FLAG_FIELDS = (
    "bankrupt",
    "under_liquidation",
    "under_compulsory_dissolution",
    "deleted",
    "removed",
)


@dataclass
class EnrichmentResult:
    checked: int = 0
    matches: Counter = field(default_factory=Counter)
    customers_changed: int = 0
    register_requests: int = 0
    disabled: bool = False
    outage: bool = False
    retry_after: dt.datetime | None = None
    error: str = ""

    @property
    def message(self) -> str:
        if self.disabled:
            return _("Oppslag i Brønnøysundregisteret er slått av.")
        if self.outage:
            when = time_format(timezone.localtime(self.retry_after), "H:i")
            return _(
                "Brønnøysundregisteret svarte ikke. %(count)s kunder prøves igjen etter %(time)s."
            ) % {"count": self.matches[MatchStatus.PENDING_RETRY], "time": when}
        return _("%(count)s kunder sjekket mot Brønnøysundregisteret.") % {"count": self.checked}


def _ledger_says_type(customer: Customer) -> bool:
    data = customer.ledger_data or {}
    return data.get("customer_type") in (CustomerType.BUSINESS, CustomerType.PERSON) or (
        "isPrivateIndividual" in data
    )


def _retry_delay(attempts: int) -> dt.timedelta:
    return RETRY_DELAYS[min(max(attempts, 1), len(RETRY_DELAYS)) - 1]


def _clear_flags(enrichment: CustomerEnrichment) -> None:
    for flag in FLAG_FIELDS:
        setattr(enrichment, flag, False)
    enrichment.is_sub_unit = False


class _Writer:
    """The customers' field changes (through the ledger's writer) and this app's enrichment
    rows, written together in bulk."""

    def __init__(self, organization_id: int, fields: CustomerFieldWriter) -> None:
        self.organization_id = organization_id
        self.fields = fields
        self.new_enrichments: list[CustomerEnrichment] = []
        self.old_enrichments: list[CustomerEnrichment] = []

    def set(self, customer: Customer, name: str, value: str, source: str) -> None:
        self.fields.set(customer, name, value, source=source)

    def keep(self, enrichment: CustomerEnrichment) -> None:
        (self.old_enrichments if enrichment.pk else self.new_enrichments).append(enrichment)

    def flush(self) -> int:
        changed = self.fields.flush()
        CustomerEnrichment.objects.bulk_create(self.new_enrichments, batch_size=1000)
        bulk_update_rows(
            CustomerEnrichment,
            self.old_enrichments,
            [
                "match",
                "orgnr",
                "entry",
                "is_sub_unit",
                *FLAG_FIELDS,
                "letter_name",
                "last_enriched_at",
                "attempts",
                "retry_after",
                "last_failed_at",
                "last_error_code",
                "last_error_params",
                "flags_notified_at",
            ],
            organization_id=self.organization_id,
        )
        return changed


def _notify_flags(enrichment: CustomerEnrichment, customer: Customer, now: dt.datetime) -> None:
    """Tell the organisation once when a debtor turns out to be in distress or gone."""
    if enrichment.has_flags and enrichment.flags_notified_at is None:
        audit_record(
            action="brreg.customer_flagged",
            organization=customer.organization,
            target=customer,
            details={flag: True for flag in FLAG_FIELDS if getattr(enrichment, flag)},
        )
        enrichment.flags_notified_at = now
    elif not enrichment.has_flags:
        enrichment.flags_notified_at = None
    for flag in FLAG_FIELDS:
        if getattr(enrichment, flag):
            # Keyed per customer and flag: a flag is news once, a further one is news too.
            notify(
                organization=customer.organization,
                kind=NotificationKind.REGISTER_FLAG,
                params={"debtor": customer.name, "flag": flag},
                url=reverse(
                    "ledger:customer-detail",
                    kwargs={"org_slug": customer.organization.slug, "customer_id": customer.pk},
                ),
                key=f"register_flag:{customer.pk}:{flag}",
            )


def _apply_entry(
    enrichment: CustomerEnrichment,
    entry: RegisterEntry,
    parents: dict[str, RegisterEntry],
) -> RegisterEntry | None:
    """Set match and flags from the entry; returns the entry to take data from on a match."""
    _clear_flags(enrichment)
    enrichment.entry = entry
    enrichment.letter_name = ""
    if entry.status == EntryStatus.DELETED:
        enrichment.match, enrichment.deleted = MatchStatus.DELETED, True
        return None
    if entry.status == EntryStatus.REMOVED:
        enrichment.match, enrichment.removed = MatchStatus.REMOVED, True
        return None
    if entry.status == EntryStatus.UNKNOWN:
        enrichment.match = MatchStatus.NOT_FOUND
        return None
    enrichment.match = MatchStatus.EXACT
    legal = entry
    if entry.kind == EntryKind.UNDERENHET:
        # The legal debtor of a branch is its main unit; the branch is where mail goes.
        enrichment.is_sub_unit = True
        legal = parents.get(entry.parent_orgnr, entry)
        if legal.status == EntryStatus.DELETED:
            enrichment.deleted = True
        elif legal.status == EntryStatus.REMOVED:
            enrichment.removed = True
    enrichment.bankrupt = legal.bankrupt
    enrichment.under_liquidation = legal.under_liquidation
    enrichment.under_compulsory_dissolution = legal.under_compulsory_dissolution
    return legal


def customers_enrich(
    *,
    integration_id: int | None = None,
    customer_ids: list[int] | None = None,
    client: BrregClient | None = None,
) -> EnrichmentResult:
    """Enrich the organisation's customers (those of one accounting-system connection, or
    the ones named) from the register, by the organisation's register settings.

    Runs inside the organisation scope. Never raises for register trouble: customers it
    could not check are marked pending_retry with a retry time.
    """
    now = timezone.now()
    result = EnrichmentResult()
    settings = register_settings_get()
    customers = Customer.objects.select_related("organization")
    if integration_id is not None:
        customers = customers.filter(integration_id=integration_id)
    if customer_ids is not None:
        customers = customers.filter(pk__in=customer_ids)
    customers = list(customers.order_by("pk"))
    ids = [c.pk for c in customers]
    result.checked = len(customers)
    enrichments = {e.customer_id: e for e in CustomerEnrichment.objects.filter(customer_id__in=ids)}
    organization_id = settings.organization_id
    fields = CustomerFieldWriter.for_customers(organization_id=organization_id, customer_ids=ids)
    overrides = fields.overrides
    writer = _Writer(organization_id, fields)

    def enrichment_for(customer: Customer) -> CustomerEnrichment:
        found = enrichments.get(customer.pk)
        if found is None:
            found = CustomerEnrichment(organization_id=organization_id, customer=customer)
        return found

    # The user's values first (again, should anything have written past them): an
    # overridden organisation number is the one looked up.
    for customer in customers:
        for name, value in overrides.get(customer.pk, {}).items():
            writer.set(customer, name, value, ChangeSource.USER)

    if not settings.uses_register:
        result.disabled = True
        for customer in customers:
            enrichment = enrichment_for(customer)
            _clear_flags(enrichment)
            enrichment.match, enrichment.entry, enrichment.letter_name = (
                MatchStatus.DISABLED,
                None,
                "",
            )
            enrichment.retry_after = None
            enrichment.last_error_code, enrichment.last_error_params = "", {}
            enrichment.flags_notified_at = None
            writer.keep(enrichment)
            result.matches[enrichment.match] += 1
        with transaction.atomic():
            result.customers_changed = writer.flush()
        return result

    numbers = {c.pk: valid_organization_number(c.organization_number) for c in customers}
    wanted = {n for n in numbers.values() if n}
    cache = {e.orgnr: e for e in RegisterEntry.objects.filter(orgnr__in=wanted)}
    stale_before = now - cache_max_age()
    stale = sorted(n for n in wanted if n not in cache or cache[n].verified_at < stale_before)
    client = client or BrregClient()
    unreached: set[str] = set()
    if stale:
        try:
            cache.update(entries_refresh(orgnrs=stale, client=client))
        except RegisterError as error:
            logger.warning("Register lookup failed, enrichment will be retried: %s", error)
            result.outage, result.error = True, str(error)[:500]
            cache.update({e.orgnr: e for e in RegisterEntry.objects.filter(orgnr__in=stale)})
            unreached = {n for n in stale if n not in cache or cache[n].fetched_at < now}
    parent_numbers = {e.parent_orgnr for e in cache.values() if e.parent_orgnr}
    parents = {e.orgnr: e for e in RegisterEntry.objects.filter(orgnr__in=parent_numbers)}
    result.register_requests = client.requests_sent

    for customer in customers:
        enrichment = enrichment_for(customer)
        number = numbers[customer.pk]
        enrichment.orgnr = number or ""
        user_fields = overrides.get(customer.pk, {})
        if number is None:
            _clear_flags(enrichment)
            enrichment.match, enrichment.entry, enrichment.letter_name = (
                MatchStatus.NO_VALID_ORGNR,
                None,
                "",
            )
            if (
                customer.customer_type == CustomerType.UNKNOWN
                and not _ledger_says_type(customer)
                and "customer_type" not in user_fields
            ):
                writer.set(customer, "customer_type", CustomerType.PERSON, ChangeSource.REGISTER)
        elif number in unreached:
            # Keep whatever was known before; only the status says it is out of date.
            enrichment.match = MatchStatus.PENDING_RETRY
            enrichment.attempts += 1
            enrichment.retry_after = now + _retry_delay(enrichment.attempts)
            enrichment.last_failed_at = now
            enrichment.last_error_code = "register_unavailable"
            enrichment.last_error_params = {"detail": result.error}
            result.retry_after = enrichment.retry_after
            writer.keep(enrichment)
            result.matches[enrichment.match] += 1
            continue
        else:
            legal = _apply_entry(enrichment, cache[number], parents)
            if legal is not None:
                _apply_match(
                    settings, customer, enrichment, cache[number], legal, writer, user_fields
                )
        enrichment.attempts, enrichment.retry_after = 0, None
        enrichment.last_error_code, enrichment.last_error_params = "", {}
        enrichment.last_enriched_at = now
        _notify_flags(enrichment, customer, now)
        writer.keep(enrichment)
        result.matches[enrichment.match] += 1

    with transaction.atomic():
        result.customers_changed = writer.flush()
    return result


def _apply_match(
    settings: RegisterSettings,
    customer: Customer,
    enrichment: CustomerEnrichment,
    entry: RegisterEntry,
    legal: RegisterEntry,
    writer: _Writer,
    user_fields: dict[str, str],
) -> None:
    proposed: dict[str, str] = {}
    if settings.update_on_exact_match:
        enrichment.letter_name = legal.name
        proposed["customer_type"] = CustomerType.BUSINESS
        if settings.fetch_addresses:
            proposed.update(register_address(entry) or {})
    elif settings.fetch_addresses and not (
        customer.address_line1.strip() or customer.post_code.strip()
    ):
        # Without leave to overwrite, the register only fills an address the ledger lacks.
        proposed.update(register_address(entry) or {})
    for name, value in proposed.items():
        # A field the user set by hand is theirs, not the register's.
        if name not in user_fields:
            writer.set(customer, name, value, ChangeSource.REGISTER)
