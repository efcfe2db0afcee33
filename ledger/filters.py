"""One filter definition for the reskontro page, its CSV export and the API.

The form validates query parameters (GET) and turns them into a `ReskontroFilter`;
`open_items_filtered` applies it. Pages, CSV and API all go through here, so a filter
means the same thing everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kredin.page_extensions import item_filters
from ledger.aging import Bucket, due_date_range, overdue_cutoff
from ledger.models import Customer, ItemStatus, OpenItem

BUCKET_LABELS: dict[str, str] = {
    Bucket.NOT_DUE: _("Ikke forfalt"),
    Bucket.D0_30: _("0–30 dager"),
    Bucket.D31_60: _("31–60 dager"),
    Bucket.D61_90: _("61–90 dager"),
    Bucket.D90_PLUS: _("Over 90 dager"),
}

STATUS_ALL = "all"
STATUS_CHOICES = [
    (ItemStatus.OPEN.value, _("Åpne")),
    (ItemStatus.SETTLED.value, _("Oppgjorte")),
    (STATUS_ALL, _("Alle")),
]

# Sort keys shown to users and accepted by the API -> ORM ordering. The id tie-break keeps
# pages stable when many rows share a value.
ITEM_SORTS: dict[str, tuple[str, ...]] = {
    "due_date": ("due_date", "id"),
    "-due_date": ("-due_date", "-id"),
    "voucher_date": ("voucher_date", "id"),
    "-voucher_date": ("-voucher_date", "-id"),
    "outstanding": ("outstanding", "id"),
    "-outstanding": ("-outstanding", "-id"),
    "amount": ("amount", "id"),
    "-amount": ("-amount", "-id"),
    "invoice_no": ("invoice_no", "id"),
    "-invoice_no": ("-invoice_no", "-id"),
    "customer": ("customer__name", "customer_id", "id"),
    "-customer": ("-customer__name", "-customer_id", "-id"),
}
DEFAULT_ITEM_SORT = "due_date"

CUSTOMER_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "outstanding": ("outstanding_total", "customer_id"),
    "-outstanding": ("-outstanding_total", "-customer_id"),
    "overdue": ("overdue_total", "customer_id"),
    "-overdue": ("-overdue_total", "-customer_id"),
    "oldest_due": ("oldest_due_date", "customer_id"),
    "-oldest_due": ("-oldest_due_date", "-customer_id"),
    "items": ("item_count", "customer_id"),
    "-items": ("-item_count", "-customer_id"),
}
DEFAULT_CUSTOMER_SORT = "-outstanding"


@dataclass(frozen=True)
class ReskontroFilter:
    customer_id: int | None = None
    bucket: str = ""
    overdue_only: bool = False
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    status: str = ItemStatus.OPEN
    q: str = ""
    # Customers matching `q`, resolved up front (see text_customer_ids); None: use a subquery.
    q_customer_ids: tuple[int, ...] | None = None
    # Filters higher apps add (kredin.page_extensions.item_filters): name -> chosen value.
    extra: tuple[tuple[str, str], ...] = ()


class ReskontroFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Søk"),
        required=False,
        max_length=100,
        help_text=_("Kundenavn, kundenummer, organisasjonsnummer, fakturanummer eller KID"),
    )
    customer = forms.IntegerField(label=_("Kunde"), required=False, min_value=1)
    bucket = forms.ChoiceField(
        label=_("Dager over forfall"),
        required=False,
        choices=[("", _("Alle"))] + [(key, label) for key, label in BUCKET_LABELS.items()],
    )
    overdue = forms.BooleanField(label=_("Bare forfalte"), required=False)
    amount_min = forms.DecimalField(
        label=_("Utestående fra"), required=False, max_digits=14, decimal_places=2
    )
    amount_max = forms.DecimalField(
        label=_("Utestående til"), required=False, max_digits=14, decimal_places=2
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    sort = forms.CharField(required=False, max_length=20)

    def __init__(self, *args, sorts: dict[str, tuple[str, ...]] = ITEM_SORTS, **kwargs):
        super().__init__(*args, **kwargs)
        self.sorts = sorts
        self.extra_filters = item_filters.filters()
        for extra in self.extra_filters:
            self.fields[extra.name] = forms.ChoiceField(
                label=extra.label, required=False, choices=extra.choices
            )

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data.get("q", "").split())

    def clean_sort(self) -> str:
        sort = self.cleaned_data.get("sort") or ""
        if sort and sort not in self.sorts:
            raise forms.ValidationError(_("Ukjent sortering."), code="invalid_sort")
        return sort

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("amount_min"), cleaned.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error("amount_max", _("«Til» må være større enn eller lik «fra»."))
        return cleaned

    def to_filter(self) -> ReskontroFilter:
        """The filter from the valid fields; call after is_valid(). Invalid fields are left out."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        q = data.get("q") or ""
        return ReskontroFilter(
            customer_id=data.get("customer"),
            bucket=data.get("bucket") or "",
            overdue_only=bool(data.get("overdue")),
            amount_min=data.get("amount_min"),
            amount_max=data.get("amount_max"),
            status=data.get("status") or ItemStatus.OPEN,
            q=q,
            q_customer_ids=text_customer_ids(q) if q else None,
            extra=tuple(
                (extra.name, data[extra.name])
                for extra in self.extra_filters
                if data.get(extra.name)
            ),
        )

    def sort_key(self, default: str) -> str:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return data.get("sort") or default


def bucket_q(bucket: str, today: date, *, prefix: str = "") -> Q:
    """Items in `bucket` on `today`, as a due-date range the index can serve."""
    span = due_date_range(bucket, today)
    condition = Q()
    if span.earliest is not None:
        condition &= Q(**{f"{prefix}due_date__gte": span.earliest})
    if span.latest is not None:
        condition &= Q(**{f"{prefix}due_date__lte": span.latest})
    if span.include_missing:
        condition |= Q(**{f"{prefix}due_date__isnull": True})
    return condition


def overdue_q(today: date, *, prefix: str = "") -> Q:
    return Q(**{f"{prefix}due_date__lte": overdue_cutoff(today)})


# Above this many matching customers a subquery beats a literal id list.
TEXT_CUSTOMER_ID_LIMIT = 500


def _customer_text_q(text: str) -> Q:
    customers = Q(name__icontains=text) | Q(external_id=text)
    compact = text.replace(" ", "")
    if compact.isdigit():
        customers |= Q(organization_number=compact)
    if text.isdigit() and len(text) < 19:
        customers |= Q(customer_no=int(text))
    return customers


def text_customer_ids(text: str) -> tuple[int, ...] | None:
    """Ids of customers matching the free text, or None when there are too many to list.

    Resolved once per request: a literal id list lets PostgreSQL estimate how few items
    match, where a subquery inside an OR is guessed at half the table and the planner then
    walks the whole sort index looking for them.
    """
    ids = list(
        Customer.objects.filter(_customer_text_q(text)).values_list("id", flat=True)[
            : TEXT_CUSTOMER_ID_LIMIT + 1
        ]
    )
    return tuple(ids) if len(ids) <= TEXT_CUSTOMER_ID_LIMIT else None


def _text_q(text: str, customer_ids: tuple[int, ...] | None) -> Q:
    """Free text: customers by name or number, items by invoice, voucher, KID or text."""
    items = Q(invoice_no__iexact=text) | Q(kid=text) | Q(text__icontains=text)
    if text.isdigit() and len(text) < 19:
        items |= Q(voucher_no=int(text))
    if customer_ids is None:
        matching = Customer.objects.filter(_customer_text_q(text)).values("id")
        return Q(customer_id__in=matching) | items
    return Q(customer_id__in=customer_ids) | items if customer_ids else items


def open_items_filtered(
    queryset: QuerySet[OpenItem], flt: ReskontroFilter, *, today: date
) -> QuerySet[OpenItem]:
    """Apply `flt` to a queryset of open items (already scoped to the organisation)."""
    qs = queryset
    if flt.status != STATUS_ALL:
        qs = qs.filter(status=flt.status)
    if flt.customer_id is not None:
        qs = qs.filter(customer_id=flt.customer_id)
    if flt.bucket:
        qs = qs.filter(bucket_q(flt.bucket, today))
    if flt.overdue_only:
        qs = qs.filter(overdue_q(today))
    if flt.amount_min is not None:
        qs = qs.filter(outstanding__gte=flt.amount_min)
    if flt.amount_max is not None:
        qs = qs.filter(outstanding__lte=flt.amount_max)
    if flt.q:
        qs = qs.filter(_text_q(flt.q, flt.q_customer_ids))
    if flt.extra:
        qs = item_filters.narrow(qs, dict(flt.extra))
    return qs
