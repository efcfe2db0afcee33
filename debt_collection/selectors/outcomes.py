"""Reads for Oversikt: what collecting has brought in, and how the reskontro develops.

Each figure is one aggregate query over the organisation in scope, whatever the number of
months, cases or items: a month is a filtered sum in the same query, not a query of its
own. The window is the last `MONTHS` calendar months up to and including `on`'s month;
the current month ends on `on`. Formulas and their approximations are in docs/outcomes.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case as SqlCase,
)
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    When,
)
from django.utils.translation import gettext as _

from debt_collection.models import (
    Case,
    CaseState,
    ClaimEntry,
    CloseReason,
    EntryKind,
    PaymentPart,
    VoucherPosting,
    VoucherStatus,
)
from debt_collection.rules.formatting import step_title
from debt_collection.rules.steps import StepCode
from debt_collection.selectors.rules import reader_language
from kredin.clock import OSLO
from ledger.aging import BUCKETS
from ledger.filters import BUCKET_LABELS, bucket_q
from ledger.models import ItemStatus, LedgerTransaction, OpenItem, TransactionKind

MONTHS = 12
# Days sales outstanding: receivables at the day ÷ what was invoiced in the DSO_DAYS up to
# and including it × DSO_DAYS.
DSO_DAYS = 90
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)
STARTED = "startet"  # an open case before its first letter


# --- the window -----------------------------------------------------------------------------


def month_starts(*, on: date, months: int = MONTHS) -> list[date]:
    """The first day of each month in the window, oldest first."""
    index = on.year * 12 + on.month - 1
    return [
        date((index - back) // 12, (index - back) % 12 + 1, 1) for back in range(months - 1, -1, -1)
    ]


def _month_end(start: date) -> date:
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def month_ends(*, on: date, months: int = MONTHS) -> list[date]:
    """The last day of each month in the window; this month's is `on` itself."""
    ends = [_month_end(start) for start in month_starts(on=on, months=months)]
    ends[-1] = on
    return ends


def _monthly(field: str, value, *, on: date, prefix: str = "m") -> dict[str, Sum]:
    """Filtered sums of `value`, one per month of the window, keyed prefix0, prefix1, ..."""
    return {
        f"{prefix}{index}": Sum(
            value, filter=Q(**{f"{field}__gte": start, f"{field}__lte": end}), default=ZERO
        )
        for index, (start, end) in enumerate(
            zip(month_starts(on=on), month_ends(on=on), strict=True)
        )
    }


# --- open claims by step ------------------------------------------------------------------------


@dataclass(frozen=True)
class StepTotal:
    step: str  # a StepCode, or STARTED before the first letter
    label: str
    count: int
    owed: Decimal


_STEP_ORDER = {code.value: index for index, code in enumerate(StepCode)}


def open_claims_by_step() -> list[StepTotal]:
    """Open cases by the last step whose letter went out, with what their debtors owe (the
    sum of the claim entries); earliest step first."""
    rows = (
        Case.objects.exclude(state=CaseState.CLOSED)
        .values("current_step")
        .annotate(count=Count("pk", distinct=True), owed=Sum("entries__amount", default=ZERO))
        .order_by()
    )
    lang = reader_language()
    totals = [
        StepTotal(
            step=row["current_step"] or STARTED,
            label=(
                step_title(row["current_step"], lang=lang) if row["current_step"] else _("Startet")
            ),
            count=row["count"],
            owed=row["owed"],
        )
        for row in rows
    ]
    return sorted(totals, key=lambda t: _STEP_ORDER.get(t.step, -1 if t.step == STARTED else 99))


# --- money in -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthAmount:
    month: date  # the first day of the month
    amount: Decimal


@dataclass(frozen=True)
class RecoveredPrincipal:
    months: list[MonthAmount]
    period_total: Decimal
    all_time_total: Decimal


def recovered_principal(*, on: date) -> RecoveredPrincipal:
    """The principal share of the payments received on cases, per month and in total."""
    # Payments are negative claim entries; an entry from before the shares had a part was
    # principal (as the case page reads it).
    payments = ClaimEntry.objects.filter(
        kind=EntryKind.PAYMENT, part__in=[PaymentPart.PRINCIPAL, ""], entry_date__lte=on
    )
    sums = payments.aggregate(
        **_monthly("entry_date", "amount", on=on), all=Sum("amount", default=ZERO)
    )
    months = [
        MonthAmount(month=start, amount=-sums[f"m{index}"])
        for index, start in enumerate(month_starts(on=on))
    ]
    return RecoveredPrincipal(
        months=months,
        period_total=sum((m.amount for m in months), ZERO),
        all_time_total=-sums["all"],
    )


@dataclass(frozen=True)
class MonthIncome:
    month: date
    fees: Decimal
    interest: Decimal

    @property
    def total(self) -> Decimal:
        return self.fees + self.interest


@dataclass(frozen=True)
class IncomeBooked:
    months: list[MonthIncome]
    fees_total: Decimal
    interest_total: Decimal

    @property
    def total(self) -> Decimal:
        return self.fees_total + self.interest_total


def income_booked(*, on: date) -> IncomeBooked:
    """Fees (with § 3a compensation) and interest booked as income in the accounting
    system, per month of the voucher date; only vouchers Business NXT confirmed."""
    posted = VoucherPosting.objects.filter(status=VoucherStatus.POSTED)
    sums = posted.aggregate(
        **_monthly("voucher_date", "costs", on=on, prefix="fees"),
        **_monthly("voucher_date", "interest", on=on, prefix="interest"),
    )
    months = [
        MonthIncome(month=start, fees=sums[f"fees{index}"], interest=sums[f"interest{index}"])
        for index, start in enumerate(month_starts(on=on))
    ]
    return IncomeBooked(
        months=months,
        fees_total=sum((m.fees for m in months), ZERO),
        interest_total=sum((m.interest for m in months), ZERO),
    )


# --- cases closed -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReasonTotal:
    reason: str  # a CloseReason, or "" for a case closed without one
    label: str
    count: int
    principal: Decimal  # the invoices' principal when they were taken into the cases


_REASON_ORDER = {reason: index for index, reason in enumerate(CloseReason.values)}


def cases_closed_by_reason(*, on: date) -> list[ReasonTotal]:
    rows = (
        Case.objects.filter(
            state=CaseState.CLOSED,
            closed_on__gte=month_starts(on=on)[0],
            closed_on__lte=on,
        )
        .values("close_reason")
        .annotate(
            count=Count("pk", distinct=True),
            principal=Sum("case_items__principal", default=ZERO),
        )
        .order_by()
    )
    labels = dict(CloseReason.choices)
    totals = [
        ReasonTotal(
            reason=row["close_reason"],
            label=str(labels.get(row["close_reason"], _("Uten årsak"))),
            count=row["count"],
            principal=row["principal"],
        )
        for row in rows
    ]
    return sorted(totals, key=lambda t: _REASON_ORDER.get(t.reason, len(_REASON_ORDER)))


# --- the reskontro over time --------------------------------------------------------------------


@dataclass(frozen=True)
class DsoPoint:
    as_of: date
    receivables: Decimal
    invoiced: Decimal  # net of credit notes, in the DSO_DAYS up to and including as_of

    @property
    def days(self) -> Decimal | None:
        if self.invoiced <= 0:
            return None
        return (self.receivables / self.invoiced * DSO_DAYS).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def _mirrored_transactions(*, on: date) -> QuerySet[LedgerTransaction]:
    """The customer ledger's postings up to `on`, less payments on invoices from before the
    fetch-from date (the mirror lacks those invoices, so the payment alone would push the
    balance below what was really owed). A credit note may carry a number of its own, so
    it is always counted."""
    invoice_known = LedgerTransaction.objects.filter(
        kind=TransactionKind.INVOICE,
        customer_id=OuterRef("customer_id"),
        invoice_no=OuterRef("invoice_no"),
    )
    return LedgerTransaction.objects.filter(voucher_date__lte=on).filter(
        ~Q(kind=TransactionKind.PAYMENT) | Q(invoice_no="") | Exists(invoice_known)
    )


def days_sales_outstanding(*, on: date) -> list[DsoPoint]:
    """DSO at each month end, from the mirrored ledger transactions (every posting, also on
    invoices paid before they fell due, which the reskontro's open items never hold)."""
    ends = month_ends(on=on)
    sums = {}
    for index, end in enumerate(ends):
        sums[f"ar{index}"] = Sum("amount", filter=Q(voucher_date__lte=end), default=ZERO)
        sums[f"sales{index}"] = Sum(
            "amount",
            filter=Q(
                kind__in=[TransactionKind.INVOICE, TransactionKind.CREDIT_NOTE],
                voucher_date__gte=end - timedelta(days=DSO_DAYS - 1),
                voucher_date__lte=end,
            ),
            default=ZERO,
        )
    row = _mirrored_transactions(on=on).aggregate(**sums)
    return [
        DsoPoint(as_of=end, receivables=row[f"ar{index}"], invoiced=row[f"sales{index}"])
        for index, end in enumerate(ends)
    ]


@dataclass(frozen=True)
class BucketAmount:
    key: str
    label: str
    amount: Decimal


@dataclass(frozen=True)
class AgingPoint:
    as_of: date
    buckets: list[BucketAmount]

    @property
    def total(self) -> Decimal:
        return sum((bucket.amount for bucket in self.buckets), ZERO)


def _open_at_end_of(day: date) -> Q:
    next_morning = datetime.combine(day + timedelta(days=1), time.min, tzinfo=OSLO)
    issued = Q(voucher_date__lte=day) | Q(voucher_date__isnull=True)
    return issued & (
        Q(status=ItemStatus.OPEN) | Q(status=ItemStatus.SETTLED, settled_at__gte=next_morning)
    )


# An open item counts with what is left of it today (part-payments are not dated in the
# mirror); a settled one was owed in full until it was settled.
_OWED = SqlCase(
    When(status=ItemStatus.OPEN, then=F("outstanding")), default=F("amount"), output_field=MONEY
)


def aging_over_time(*, on: date) -> list[AgingPoint]:
    """The reskontro's aging buckets at each month end: the open items as the reskontro
    shows them, turned back to that day by their voucher and settlement dates."""
    ends = month_ends(on=on)
    first_morning = datetime.combine(ends[0] + timedelta(days=1), time.min, tzinfo=OSLO)
    items = OpenItem.objects.filter(
        Q(status=ItemStatus.OPEN) | Q(status=ItemStatus.SETTLED, settled_at__gte=first_morning)
    )
    row = items.aggregate(
        **{
            f"{bucket}{index}": Sum(
                _OWED, filter=_open_at_end_of(end) & bucket_q(bucket, end), default=ZERO
            )
            for index, end in enumerate(ends)
            for bucket in BUCKETS
        }
    )
    return [
        AgingPoint(
            as_of=end,
            buckets=[
                BucketAmount(
                    key=str(bucket),
                    label=str(BUCKET_LABELS[bucket]),
                    amount=row[f"{bucket}{index}"],
                )
                for bucket in BUCKETS
            ],
        )
        for index, end in enumerate(ends)
    ]


# --- everything ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcomes:
    on: date
    period_start: date
    open_by_step: list[StepTotal]
    recovered: RecoveredPrincipal
    income: IncomeBooked
    dso: list[DsoPoint]
    closed: list[ReasonTotal]
    aging: list[AgingPoint]


def outcomes(*, on: date) -> Outcomes:
    """Every figure of Oversikt, in six queries."""
    return Outcomes(
        on=on,
        period_start=month_starts(on=on)[0],
        open_by_step=open_claims_by_step(),
        recovered=recovered_principal(on=on),
        income=income_booked(on=on),
        dso=days_sales_outstanding(on=on),
        closed=cases_closed_by_reason(on=on),
        aging=aging_over_time(on=on),
    )
