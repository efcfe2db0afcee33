"""Enrichment of customers from the register, user overrides and the change history.

What the integration's three register options mean here:

- ``register_mode = ledger_only``: no register lookups and nothing written to customers;
  existing register flags are cleared so the reskontro shows only what the ledger says.
- ``register_update_on_exact_match``: on an exact match (a MOD11-valid number that the
  register reports as an active unit) the customer becomes a business and the register's
  spelling of the name is kept for letters.
- ``register_fetch_addresses``: on an exact match the register's address is used. With
  ``register_update_on_exact_match`` on it replaces the ledger's address; with it off it
  only fills in customers the ledger has no address for. Either way the panel on the
  customer page shows it beside the ledger's.

The address taken is the **postal address** (postadresse), falling back to the business
address (forretningsadresse) when none is registered. Dunning letters are mail, and the
postal address is where the unit has asked the register to have its mail sent (often a
PO box); the business address is where it operates. A sub-unit's location
(beliggenhetsadresse) is used when the number is a branch.

Flags (bankrupt, under liquidation, under compulsory dissolution, deleted, removed) are
kept whenever the register is used, whatever the other two options say. A user's
override wins over both the ledger and the register until it is removed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from brreg.bulk import bulk_update_rows
from brreg.cache import cache_max_age, entries_refresh
from brreg.client import BrregClient, RegisterError
from brreg.models import (
    ChangeSource,
    CustomerEnrichment,
    CustomerFieldChange,
    CustomerOverride,
    EntryKind,
    EntryStatus,
    MatchStatus,
    RegisterEntry,
)
from integrations.models import Integration, RegisterMode
from kredin.audit import audit_record
from kredin.identifiers import is_valid_organization_number, validate_organization_number
from ledger.models import Customer, CustomerType

logger = logging.getLogger(__name__)

OVERRIDABLE_FIELDS = (
    "name",
    "organization_number",
    "customer_type",
    "address_line1",
    "address_line2",
    "post_code",
    "city",
    "country",
)
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


def normalize_orgnr(value: str) -> str:
    """Strip spaces, dots, a NO prefix and an MVA suffix, as ledgers often carry them."""
    cleaned = "".join(ch for ch in (value or "").upper() if ch.isalnum())
    if cleaned.startswith("NO"):
        cleaned = cleaned[2:]
    if cleaned.endswith("MVA"):
        cleaned = cleaned[:-3]
    return cleaned


def valid_orgnr(value: str) -> str | None:
    number = normalize_orgnr(value)
    if len(number) == 9 and number.isdigit() and is_valid_organization_number(number):
        return number
    return None


def register_address(entry: RegisterEntry) -> dict[str, str] | None:
    """The address letters should go to, from a cached entry (see module docstring)."""
    payload = entry.payload or {}
    for key in ("postadresse", "forretningsadresse", "beliggenhetsadresse"):
        found = payload.get(key)
        if found and (found.get("adresse") or found.get("postnummer")):
            lines = [line for line in (found.get("adresse") or []) if line]
            return {
                "address_line1": lines[0] if lines else "",
                "address_line2": ", ".join(lines[1:]),
                "post_code": found.get("postnummer", "") or "",
                "city": found.get("poststed", "") or "",
                "country": found.get("landkode", "") or "NO",
            }
    return None


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
    """Collects field changes, enrichment rows and history, and writes them in bulk."""

    def __init__(self, organization_id: int, now: dt.datetime) -> None:
        self.organization_id, self.now = organization_id, now
        self.changed: dict[int, Customer] = {}
        self.fields: set[str] = set()
        self.history: list[CustomerFieldChange] = []
        self.new_enrichments: list[CustomerEnrichment] = []
        self.old_enrichments: list[CustomerEnrichment] = []

    def set(self, customer: Customer, name: str, value: str, source: str) -> None:
        old = getattr(customer, name)
        if (old or "") == (value or ""):
            return
        setattr(customer, name, value)
        self.changed[customer.pk] = customer
        self.fields.add(name)
        self.history.append(
            CustomerFieldChange(
                organization_id=self.organization_id,
                customer=customer,
                field=name,
                old_value=old or "",
                new_value=value or "",
                source=source,
            )
        )

    def keep(self, enrichment: CustomerEnrichment) -> None:
        (self.old_enrichments if enrichment.pk else self.new_enrichments).append(enrichment)

    def flush(self) -> None:
        bulk_update_rows(
            Customer,
            list(self.changed.values()),
            sorted(self.fields),
            organization_id=self.organization_id,
        )
        CustomerFieldChange.objects.bulk_create(self.history, batch_size=1000)
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
                "last_error",
                "flags_notified_at",
            ],
            organization_id=self.organization_id,
        )


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
    integration: Integration,
    customer_ids: list[int] | None = None,
    client: BrregClient | None = None,
) -> EnrichmentResult:
    """Enrich the integration's customers (or some of them) from the register.

    Runs inside the integration's organisation scope. Never raises for register trouble:
    customers it could not check are marked pending_retry with a retry time.
    """
    now = timezone.now()
    result = EnrichmentResult()
    customers = Customer.objects.filter(integration=integration).select_related("organization")
    if customer_ids is not None:
        customers = customers.filter(pk__in=customer_ids)
    customers = list(customers.order_by("pk"))
    ids = [c.pk for c in customers]
    result.checked = len(customers)
    enrichments = {e.customer_id: e for e in CustomerEnrichment.objects.filter(customer_id__in=ids)}
    overrides: dict[int, dict[str, str]] = {}
    for override in CustomerOverride.objects.filter(customer_id__in=ids):
        overrides.setdefault(override.customer_id, {})[override.field] = override.value
    writer = _Writer(integration.organization_id, now)

    def enrichment_for(customer: Customer) -> CustomerEnrichment:
        found = enrichments.get(customer.pk)
        if found is None:
            found = CustomerEnrichment(
                organization_id=integration.organization_id, customer=customer
            )
        return found

    # The user's values first: an overridden organisation number is the one looked up.
    for customer in customers:
        for name, value in overrides.get(customer.pk, {}).items():
            writer.set(customer, name, value, ChangeSource.USER)

    if integration.register_mode != RegisterMode.REGISTER:
        result.disabled = True
        for customer in customers:
            enrichment = enrichment_for(customer)
            _clear_flags(enrichment)
            enrichment.match, enrichment.entry, enrichment.letter_name = (
                MatchStatus.DISABLED,
                None,
                "",
            )
            enrichment.retry_after, enrichment.last_error = None, ""
            enrichment.flags_notified_at = None
            writer.keep(enrichment)
            result.matches[enrichment.match] += 1
        with transaction.atomic():
            writer.flush()
        result.customers_changed = len(writer.changed)
        return result

    numbers = {c.pk: valid_orgnr(c.organization_number) for c in customers}
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
            enrichment.last_error = result.error
            result.retry_after = enrichment.retry_after
            writer.keep(enrichment)
            result.matches[enrichment.match] += 1
            continue
        else:
            legal = _apply_entry(enrichment, cache[number], parents)
            if legal is not None:
                _apply_match(
                    integration, customer, enrichment, cache[number], legal, writer, user_fields
                )
        enrichment.attempts, enrichment.retry_after, enrichment.last_error = 0, None, ""
        enrichment.last_enriched_at = now
        _notify_flags(enrichment, customer, now)
        writer.keep(enrichment)
        result.matches[enrichment.match] += 1

    with transaction.atomic():
        writer.flush()
    result.customers_changed = len(writer.changed)
    return result


def _apply_match(
    integration: Integration,
    customer: Customer,
    enrichment: CustomerEnrichment,
    entry: RegisterEntry,
    legal: RegisterEntry,
    writer: _Writer,
    user_fields: dict[str, str],
) -> None:
    proposed: dict[str, str] = {}
    if integration.register_update_on_exact_match:
        enrichment.letter_name = legal.name
        proposed["customer_type"] = CustomerType.BUSINESS
        if integration.register_fetch_addresses:
            proposed.update(register_address(entry) or {})
    elif integration.register_fetch_addresses and not (
        customer.address_line1.strip() or customer.post_code.strip()
    ):
        # Without leave to overwrite, the register only fills an address the ledger lacks.
        proposed.update(register_address(entry) or {})
    for name, value in proposed.items():
        # A field the user set by hand is theirs, not the register's.
        if name not in user_fields:
            writer.set(customer, name, value, ChangeSource.REGISTER)


def customer_override_clean(*, customer: Customer, field: str, value: Any) -> str:
    """The value as the model field would store it, or ValidationError in the field's words
    (its length, choices, e-mail format); an organisation number must also be a valid one."""
    text = "" if value is None else str(value).strip()
    cleaned = Customer._meta.get_field(field).clean(text, customer)
    if field == "organization_number" and cleaned:
        validate_organization_number(cleaned)
    return cleaned


@transaction.atomic
def customer_override_set(*, customer: Customer, field: str, value: Any, user) -> CustomerOverride:
    """Set a customer field by hand; the value then wins over later syncs and lookups."""
    if field not in OVERRIDABLE_FIELDS:
        raise ValueError(f"{field} cannot be overridden")
    value = customer_override_clean(customer=customer, field=field, value=value)
    # The caller's instance may be stale; the history must show what was really replaced.
    current = Customer.objects.select_for_update().get(pk=customer.pk)
    old = getattr(current, field) or ""
    setattr(customer, field, value)
    if old != value:
        setattr(current, field, value)
        current.save(update_fields=[field])
        CustomerFieldChange.objects.create(
            customer=customer,
            field=field,
            old_value=old,
            new_value=value,
            source=ChangeSource.USER,
            changed_by=user,
        )
    override, _created = CustomerOverride.objects.update_or_create(
        customer=customer,
        field=field,
        defaults={"value": value, "set_by": user, "organization_id": customer.organization_id},
    )
    if field == "organization_number" and customer.integration_id:
        # A corrected number should be looked up now, not at the next sync.
        organization_id, integration_id, customer_id = (
            customer.organization_id,
            customer.integration_id,
            customer.pk,
        )
        transaction.on_commit(
            lambda: _enqueue_enrichment(organization_id, integration_id, [customer_id])
        )
    audit_record(
        action="brreg.customer_override_set",
        organization=customer.organization,
        actor=user,
        target=customer,
        details={"field": field, "old": old, "new": value},
    )
    return override


def _enqueue_enrichment(organization_id: int, integration_id: int, customer_ids: list[int]):
    from brreg.tasks import enrich_customers

    enrich_customers.delay(organization_id, integration_id, customer_ids)


@transaction.atomic
def customer_override_remove(*, customer: Customer, field: str, user) -> bool:
    """Let the ledger and the register decide the field again (from the next sync on)."""
    deleted, _counts = CustomerOverride.objects.filter(customer=customer, field=field).delete()
    if deleted:
        audit_record(
            action="brreg.customer_override_removed",
            organization=customer.organization,
            actor=user,
            target=customer,
            details={"field": field},
        )
    return bool(deleted)


def customer_field_changes_record(
    *, changes: list[tuple[Customer, str, str, str]], source: str = ChangeSource.LEDGER
) -> None:
    """For the sync: record (customer, field, old, new) changes the ledger made."""
    CustomerFieldChange.objects.bulk_create(
        [
            CustomerFieldChange(
                organization_id=customer.organization_id,
                customer=customer,
                field=name,
                old_value=old or "",
                new_value=new or "",
                source=source,
            )
            for customer, name, old, new in changes
            if (old or "") != (new or "")
        ],
        batch_size=1000,
    )
