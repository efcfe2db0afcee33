"""Reads for pages: the customer page's register panel and the reskontro's flag badges."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brreg.addresses import register_address
from brreg.models import (
    CustomerEnrichment,
    EntryStatus,
    MatchStatus,
    RegisterEntry,
    RegisterSettings,
)
from kredin.page_extensions import Badge
from kredin.tenancy import current_organization_id
from ledger.models import (
    ChangeSource,
    Customer,
    CustomerFieldChange,
    CustomerOverride,
    CustomerType,
)

FLAG_BADGES = [
    ("bankrupt", _("Konkurs"), "bad"),
    ("under_compulsory_dissolution", _("Under tvangsavvikling"), "bad"),
    ("under_liquidation", _("Under avvikling"), "warn"),
    ("deleted", _("Slettet i Enhetsregisteret"), "bad"),
    ("removed", _("Fjernet fra Enhetsregisteret"), "bad"),
]
WARNING_CODES = {code for code, _label, _css in FLAG_BADGES} | {"invalid_orgnr"}
FIELD_LABELS = {
    "name": _("Navn"),
    "organization_number": _("Organisasjonsnummer"),
    "customer_type": _("Kundetype"),
    "address_line1": _("Adresse"),
    "address_line2": _("Adresse 2"),
    "post_code": _("Postnummer"),
    "city": _("Poststed"),
    "country": _("Land"),
}
# Keys the ledger sync may have used for the same facts in ledger_data.
LEDGER_KEYS = {
    "name": ("name", "Name"),
    "organization_number": ("organization_number", "companyNo", "organizationNumber"),
    "customer_type": ("customer_type",),
    "address_line1": ("address_line1", "addressLine1"),
    "address_line2": ("address_line2", "addressLine2"),
    "post_code": ("post_code", "postCode"),
    "city": ("city", "postalArea"),
    "country": ("country", "countryCode"),
}


@dataclass
class CustomerFlags:
    customer_id: int
    match: str
    badges: list[Badge] = field(default_factory=list)
    # Set when automatic dunning of this debtor must stop (bankrupt, dissolving, gone).
    dunning_blocked: bool = False

    @property
    def has_badges(self) -> bool:
        return bool(self.badges)

    @property
    def warnings(self) -> list[Badge]:
        """Only what should stop the eye: distress, gone, or a bad organisation number."""
        return [b for b in self.badges if b.code in WARNING_CODES]


def _flags_for(enrichment: CustomerEnrichment, organization_number: str) -> CustomerFlags:
    flags = CustomerFlags(customer_id=enrichment.customer_id, match=enrichment.match)
    for code, label, css in FLAG_BADGES:
        if getattr(enrichment, code):
            flags.badges.append(Badge(code, str(label), css))
    flags.dunning_blocked = enrichment.has_flags
    if enrichment.match == MatchStatus.NO_VALID_ORGNR and organization_number.strip():
        flags.badges.append(Badge("invalid_orgnr", str(_("Ugyldig organisasjonsnummer")), "warn"))
    elif enrichment.match == MatchStatus.NOT_FOUND:
        flags.badges.append(Badge("not_found", str(_("Ukjent i Enhetsregisteret")), "warn"))
    elif enrichment.match == MatchStatus.PENDING_RETRY:
        flags.badges.append(Badge("pending_retry", str(_("Venter på Brønnøysund")), ""))
    elif enrichment.match == MatchStatus.EXACT:
        flags.badges.append(Badge("exact", str(_("Treff i Brønnøysund")), "ok"))
    return flags


def customer_flags_map(*, customer_ids: list[int]) -> dict[int, CustomerFlags]:
    """Badges for reskontro rows, one query for the whole page. Customers never checked
    against the register are left out."""
    rows = CustomerEnrichment.objects.filter(customer_id__in=customer_ids).select_related(
        "customer"
    )
    return {row.customer_id: _flags_for(row, row.customer.organization_number) for row in rows}


def customer_dunning_blocks(*, customer_ids: list[int] | None = None) -> dict[int, list[str]]:
    """Customers that automatic dunning must skip, with the register flags that say why."""
    rows = CustomerEnrichment.objects.all()
    if customer_ids is not None:
        rows = rows.filter(customer_id__in=customer_ids)
    blocks: dict[int, list[str]] = {}
    for row in rows.only("customer_id", *[code for code, _label, _css in FLAG_BADGES]):
        reasons = [code for code, _label, _css in FLAG_BADGES if getattr(row, code)]
        if reasons:
            blocks[row.customer_id] = reasons
    return blocks


@dataclass
class FieldRow:
    field: str
    label: str
    ledger: str
    register: str
    current: str
    overridden: bool


@dataclass(frozen=True)
class ChangeRow:
    created_at: dt.datetime
    label: str
    old: str
    new: str
    source: str
    changed_by: str


def _change_rows(changes: list[CustomerFieldChange]) -> list[ChangeRow]:
    return [
        ChangeRow(
            created_at=change.created_at,
            label=str(FIELD_LABELS.get(change.field, change.field)),
            old=_display(change.field, change.old_value or ""),
            new=_display(change.field, change.new_value or ""),
            source=str(change.get_source_display()),
            changed_by=change.changed_by.email if change.changed_by else "",
        )
        for change in changes
    ]


@dataclass
class RegisterView:
    customer: Customer
    enrichment: CustomerEnrichment | None
    entry: RegisterEntry | None
    legal_entry: RegisterEntry | None
    flags: CustomerFlags | None
    rows: list[FieldRow]
    changes: list[ChangeRow]
    overrides: dict[str, CustomerOverride]
    register_facts: list[tuple[str, str]]
    status_message: str
    fetched_at: dt.datetime | None


def _ledger_value(customer: Customer, name: str, changes: list[CustomerFieldChange]) -> str:
    data = customer.ledger_data or {}
    for key in LEDGER_KEYS.get(name, (name,)):
        if data.get(key) not in (None, ""):
            return str(data[key])
    # Not in the snapshot: the value before the first non-ledger change, else the current one.
    for change in reversed(changes):
        if change.field == name and change.source != ChangeSource.LEDGER:
            return change.old_value
    return str(getattr(customer, name) or "")


def _display(name: str, value: str) -> str:
    if name == "customer_type" and value:
        return str(dict(CustomerType.choices).get(value, value))
    return value


def _facts(entry: RegisterEntry, legal: RegisterEntry) -> list[tuple[str, str]]:
    payload = legal.payload or {}
    form = payload.get("organisasjonsform") or {}
    facts: list[tuple[str, str]] = [(str(_("Organisasjonsnummer")), entry.orgnr)]
    if legal is not entry:
        facts.append((str(_("Hovedenhet")), legal.orgnr))
    if form:
        facts.append(
            (str(_("Organisasjonsform")), f"{form.get('beskrivelse', '')} ({form.get('kode', '')})")
        )
    for key, label in (
        ("konkursdato", _("Konkursdato")),
        ("underAvviklingDato", _("Under avvikling fra")),
        ("tvangsavvikletPgaManglendeSlettingDato", _("Tvangsavviklet")),
        ("tvangsopplostPgaManglendeRevisorDato", _("Tvangsoppløst (mangler revisor)")),
        ("tvangsopplostPgaManglendeDagligLederDato", _("Tvangsoppløst (mangler daglig leder)")),
        ("tvangsopplostPgaManglendeRegnskapDato", _("Tvangsoppløst (mangler regnskap)")),
        ("tvangsopplostPgaMangelfulltStyreDato", _("Tvangsoppløst (mangelfullt styre)")),
    ):
        if payload.get(key):
            facts.append((str(label), payload[key]))
    if legal.deleted_on:
        facts.append((str(_("Slettet")), legal.deleted_on.isoformat()))
    for key, label in (
        ("forretningsadresse", _("Forretningsadresse")),
        ("postadresse", _("Postadresse")),
        ("beliggenhetsadresse", _("Beliggenhetsadresse")),
    ):
        found = (entry.payload or {}).get(key)
        if found:
            lines = [line for line in found.get("adresse") or [] if line]
            facts.append(
                (
                    str(label),
                    ", ".join(
                        [
                            *lines,
                            f"{found.get('postnummer', '')} {found.get('poststed', '')}".strip(),
                        ]
                    ),
                )
            )
    return facts


def customer_register_view(*, customer: Customer) -> RegisterView:
    enrichment = (
        CustomerEnrichment.objects.filter(customer=customer).select_related("entry").first()
    )
    changes = list(
        CustomerFieldChange.objects.filter(customer=customer).select_related("changed_by")[:50]
    )
    overrides = {o.field: o for o in CustomerOverride.objects.filter(customer=customer)}
    entry = enrichment.entry if enrichment else None
    legal = entry
    if entry is not None and entry.parent_orgnr:
        legal = RegisterEntry.objects.filter(orgnr=entry.parent_orgnr).first() or entry
    register_values: dict[str, Any] = {}
    if entry is not None and entry.status == EntryStatus.ACTIVE and legal is not None:
        register_values = {
            "name": legal.name,
            "organization_number": entry.orgnr,
            "customer_type": CustomerType.BUSINESS,
            **(register_address(entry) or {}),
        }
    rows = [
        FieldRow(
            field=name,
            label=str(label),
            ledger=_display(name, _ledger_value(customer, name, changes)),
            register=_display(name, str(register_values.get(name, ""))),
            current=_display(name, str(getattr(customer, name) or "")),
            overridden=name in overrides,
        )
        for name, label in FIELD_LABELS.items()
    ]
    status_message = ""
    if enrichment is not None:
        status_message = str(enrichment.get_match_display())
        if enrichment.match == MatchStatus.PENDING_RETRY and enrichment.retry_after:
            status_message = str(
                _(
                    "Brønnøysundregisteret svarte ikke ved siste oppslag. "
                    "Nytt forsøk etter %(when)s."
                )
            ) % {"when": timezone.localtime(enrichment.retry_after).strftime("%d.%m.%Y %H:%M")}
    return RegisterView(
        customer=customer,
        enrichment=enrichment,
        entry=entry,
        legal_entry=legal,
        flags=_flags_for(enrichment, customer.organization_number) if enrichment else None,
        rows=rows,
        changes=_change_rows(changes),
        overrides=overrides,
        register_facts=_facts(entry, legal)
        if entry is not None and legal is not None and entry.status != EntryStatus.UNKNOWN
        else [],
        status_message=status_message,
        fetched_at=entry.fetched_at if entry else None,
    )


def register_settings_get() -> RegisterSettings:
    """The organisation in scope's register settings; the defaults (unsaved) if never set."""
    organization_id = current_organization_id()
    found = RegisterSettings.objects.filter(organization_id=organization_id).first()
    return found or RegisterSettings(organization_id=organization_id)
