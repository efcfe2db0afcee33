"""A deterministic, realistic Norwegian customer ledger for one sandbox company.

Same ``seed`` and same ``today`` give identical rows. Accounts follow NS 4102; reminder fees are
booked to 3900 "Annen driftsrelatert inntekt" and late-payment interest to 8050 "Annen
renteinntekt". Invoices have 14- or 30-day terms and KIDs (MOD10); outcomes are settled,
part-paid, credited or still open (overdue or not yet due).

The book ages like a small company's. Invoices go back three years and a quarter, more of
them lately (a growing business, ``GROWTH_DAYS``); the chance that one is still unpaid falls
with its days past due (``STILL_OPEN``: 60 % at up to 30 days, 35 % to 60, 12 % to 90, 5 % to
180, 2.5 % to a year, 1 % to three years); a fifth of the open ones are part-paid and a tenth
part-credited. So most overdue items, by count and by value, are under 60 days past due,
with a thinning tail out to three years, and one invoice in ``BARRED_PER`` (at least one)
fell due more than three years ago and is still open: past the limitation date
(foreldelsesloven § 2), a few percent of the overdue items. The profile does
not depend on ``today``: only the dates move.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from stdnum.no import orgnr

from sandbox import conf
from sandbox.models import (
    Associate,
    Batch,
    ConnectClient,
    CustomerTransaction,
    GeneralLedgerAccount,
    GeneralLedgerTransaction,
    SandboxUser,
    VismaCompany,
    VismaCustomer,
    VoucherSeries,
)
from sandbox.nxt.ledger import (
    PAID_PARTLY,
    PAID_SETTLED,
    VT_CREDIT_NOTE,
    VT_INVOICE,
    VT_PAYMENT,
    date_int,
    kid_for,
)

CENT = Decimal("0.01")
DEFAULT_COMPANY_NO = 9112233
DEFAULT_CUSTOMER_NO = 1234567
FEE_ACCOUNT = 3900
INTEREST_ACCOUNT = 8050
LIMITATION_DAYS = 3 * 365  # foreldelsesloven § 2: three years from the due date
ISSUE_SPAN_DAYS = LIMITATION_DAYS + 90  # ordinary invoices: three years and a quarter back
GROWTH_DAYS = 300  # invoice volume falls by a factor e per 300 days back
BARRED_PER = 400  # one invoice in 400 (at least one) left open since before the limitation date
# (last day past due, chance still open): most debts are paid within two months.
STILL_OPEN = [
    (0, 0.75),
    (30, 0.6),
    (60, 0.35),
    (90, 0.12),
    (180, 0.05),
    (365, 0.025),
    (LIMITATION_DAYS, 0.01),
    (10**6, 0.005),
]

CHART_OF_ACCOUNTS = [
    (1200, "Maskiner og anlegg"),
    (1250, "Inventar"),
    (1500, "Kundefordringer"),
    (1530, "Opptjent, ikke fakturert inntekt"),
    (1570, "Andre kortsiktige fordringer"),
    (1580, "Avsetning for tap på kundefordringer"),
    (1900, "Kontanter"),
    (1920, "Bankinnskudd"),
    (1950, "Bankinnskudd for skattetrekk"),
    (2000, "Aksjekapital"),
    (2050, "Annen egenkapital"),
    (2400, "Leverandørgjeld"),
    (2600, "Skattetrekk"),
    (2700, "Utgående merverdiavgift, høy sats"),
    (2710, "Inngående merverdiavgift, høy sats"),
    (2740, "Oppgjørskonto merverdiavgift"),
    (2770, "Skyldig arbeidsgiveravgift"),
    (2940, "Skyldige feriepenger"),
    (3000, "Salgsinntekt, avgiftspliktig"),
    (3100, "Salgsinntekt, avgiftsfri"),
    (3600, "Leieinntekt fast eiendom"),
    (FEE_ACCOUNT, "Annen driftsrelatert inntekt"),
    (4000, "Innkjøp av råvarer og halvfabrikata"),
    (4300, "Innkjøp av varer for videresalg"),
    (5000, "Lønn til ansatte"),
    (5400, "Arbeidsgiveravgift"),
    (6000, "Avskrivning på bygninger og annen fast eiendom"),
    (6010, "Avskrivning på transportmidler"),
    (6300, "Leie lokale"),
    (6340, "Lys, varme"),
    (6540, "Inventar"),
    (6800, "Kontorrekvisita"),
    (6900, "Telefon"),
    (6940, "Porto"),
    (7100, "Bilgodtgjørelse, opplysningspliktig"),
    (7320, "Reklamekostnad"),
    (7770, "Bank- og kortgebyrer"),
    (7830, "Tap på fordringer"),
    (8040, "Renteinntekt, skattefri"),
    (INTEREST_ACCOUNT, "Annen renteinntekt"),
    (8150, "Annen rentekostnad"),
    (8300, "Betalbar skatt"),
    (8800, "Årsresultat"),
]

TRANSACTION_DEFAULTS = {
    "voucher_journal_no": 0,
    "audit_no": 0,
    "due_date": 0,
    "cid": "",
    "currency": "NOK",
    "currency_no": 0,
    "outstanding_amount_domestic": Decimal("0.00"),
    "outstanding_amount_in_currency": Decimal("0.00"),
    "credited_amount_domestic": Decimal("0.00"),
    "paid_date": 0,
    "paid_status": 0,
    "debt_collection_case_no": 0,
}

VOUCHER_SERIES = [
    (1, "Utgående fakturaer", 10000, 49999),
    (2, "Kreditnotaer", 50000, 59999),
    (3, "Innbetalinger", 70000, 79999),
    (6, "Diverse bilag", 60000, 69999),
]

SURNAMES = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Lie",
    "Moen",
]
FIRST_NAMES = [
    "Ola",
    "Kari",
    "Per",
    "Anne",
    "Lars",
    "Ingrid",
    "Knut",
    "Marit",
    "Nils",
    "Solveig",
    "Erik",
    "Ida",
    "Jon",
    "Nora",
    "Magnus",
    "Sofie",
    "Håkon",
    "Emma",
    "Sindre",
    "Åse",
]
TRADES = [
    "Rør",
    "Elektro",
    "Bygg",
    "Maling",
    "Transport",
    "Regnskap",
    "Frisør",
    "Bakeri",
    "Snekkeri",
    "Eiendom",
    "Data",
    "Catering",
    "Blomster",
    "Tak",
    "Anlegg",
    "Trafikkskole",
]
FORMS = ["AS", "AS", "AS", "ENK", "DA", "ANS"]
STREETS = [
    "Storgata",
    "Kirkeveien",
    "Skolegata",
    "Strandveien",
    "Bjørkeveien",
    "Parkveien",
    "Møllergata",
    "Industriveien",
    "Fjordgata",
    "Granveien",
    "Sjøgata",
    "Løkkeveien",
]
PLACES = [
    ("0150", "OSLO"),
    ("0580", "OSLO"),
    ("5003", "BERGEN"),
    ("7011", "TRONDHEIM"),
    ("4006", "STAVANGER"),
    ("9008", "TROMSØ"),
    ("3015", "DRAMMEN"),
    ("1606", "FREDRIKSTAD"),
    ("4610", "KRISTIANSAND"),
    ("2317", "HAMAR"),
    ("6002", "ÅLESUND"),
    ("8006", "BODØ"),
]


def orgnr_check_digit(base8: str) -> str | None:
    for digit in "0123456789":
        if orgnr.checksum(base8 + digit) == 0:
            return digit
    return None  # remainder 1: no valid number with this base


def valid_orgnr(rng: random.Random) -> str:
    while True:
        base = str(rng.choice((8, 9))) + f"{rng.randrange(10**7):07d}"
        digit = orgnr_check_digit(base)
        if digit is not None:
            return base + digit


def invalid_orgnr(rng: random.Random) -> str:
    number = valid_orgnr(rng)
    wrong = str((int(number[-1]) + rng.randint(1, 9)) % 10)
    return number[:-1] + wrong


@dataclass
class SeedResult:
    company: VismaCompany
    customers: list[dict] = field(default_factory=list)
    rows: int = 0


def ensure_principals(company_no: int, org_number: str, name: str) -> VismaCompany:
    """The demo user, its Visma.net customer and the company; the demo client may use it too."""
    user, created = SandboxUser.objects.get_or_create(
        email=conf.DEMO_EMAIL, defaults={"name": "Demo Bruker"}
    )
    if created or not user.password:
        user.set_password(conf.DEMO_PASSWORD)
        user.save()
    customer, _ = VismaCustomer.objects.get_or_create(
        customer_no=DEFAULT_CUSTOMER_NO, defaults={"name": "Test Customer for Business NXT"}
    )
    customer.users.add(user)
    client, _ = ConnectClient.objects.get_or_create(
        client_id=conf.client_id(), defaults={"client_secret": conf.client_secret()}
    )
    customer.service_clients.add(client)
    company, _ = VismaCompany.objects.update_or_create(
        company_no=company_no,
        defaults={"customer": customer, "name": name, "organization_number": org_number},
    )
    return company


def _stamp(day: date, rng: random.Random) -> datetime:
    clock = time(8 + rng.randrange(9), rng.randrange(60), rng.randrange(60))
    return datetime.combine(day, clock, tzinfo=timezone.get_current_timezone())


class _Builder:
    def __init__(self, company: VismaCompany, rng: random.Random, today: date):
        self.company = company
        self.rng = rng
        self.today = today

    def associates(self, count: int) -> list[Associate]:
        rng, rows = self.rng, []
        for index in range(count):
            kind = rng.random()
            postcode, city = rng.choice(PLACES)
            customer_no = 10000 + index
            if index % 20 == 7:  # every 20th: a typo in the organisation number
                name = f"{rng.choice(SURNAMES)} {rng.choice(TRADES)} AS"
                number = invalid_orgnr(rng)
            elif kind < 0.65:
                name = f"{rng.choice(SURNAMES)} {rng.choice(TRADES)} {rng.choice(FORMS)}"
                number = valid_orgnr(rng)
            else:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
                number = ""
            supplier = kind > 0.96
            email_name = name.lower().replace(" ", ".").replace("å", "a").replace("ø", "o")
            created = _stamp(self.today - timedelta(days=rng.randrange(1100, 1500)), rng)
            rows.append(
                Associate(
                    company=self.company,
                    associate_no=index + 1,
                    customer_no=0 if supplier else customer_no,
                    supplier_no=customer_no + 40000 if supplier else 0,
                    name=name,
                    short_name=name[:20],
                    company_no=number,
                    address_line1=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                    post_code=postcode,
                    postal_area=city,
                    country_no=47,
                    email_address=f"{email_name.replace('.as', '')}@example.no",
                    phone=f"{rng.choice('2357')}{rng.randrange(10**7):07d}",
                    mobile_phone="" if number else f"9{rng.randrange(10**7):07d}",
                    created_timestamp=created,
                    changed_timestamp=created,
                )
            )
        return rows

    def transactions(self, customers: list[int], count: int) -> list[dict]:
        rng, today = self.rng, self.today
        events: list[tuple[date, int, dict]] = []
        barred = set(rng.sample(range(count), min(count, max(1, count // BARRED_PER))))
        for index in range(count):
            customer_no = rng.choice(customers)
            term = rng.choice((14, 14, 30))
            if index in barred:  # left unpaid by a customer who went quiet years ago
                issued = today - timedelta(days=LIMITATION_DAYS + term + rng.randint(20, 120))
            else:
                issued = today - timedelta(days=self._age(rng))
            due = issued + timedelta(days=term)
            amount = Decimal(round(rng.lognormvariate(8.0, 1.0), 2)).quantize(CENT)
            amount = max(amount, Decimal("150.00"))
            invoice_no = str(10001 + index)
            invoice = self._row(customer_no, issued, amount, VT_INVOICE, invoice_no)
            invoice["due_date"] = date_int(due)
            invoice["cid"] = kid_for(f"{customer_no:05d}{invoice_no}")
            events.append((issued, 0, invoice))
            for when, line in self._outcome(invoice, issued, due, keep_open=index in barred):
                events.append((when, 1, line))
        events.sort(key=lambda e: (e[0], e[1]))
        for audit_no, (_day, _order, row) in enumerate(events, start=1):
            row["audit_no"] = audit_no
            row["voucher_journal_no"] = 1 + audit_no // 25
        return [row for _d, _o, row in events]

    @staticmethod
    def _age(rng: random.Random) -> int:
        """Days since issue: a growing business, so more invoices lately (truncated exponential)."""
        span = 1 - math.exp(-ISSUE_SPAN_DAYS / GROWTH_DAYS)
        return min(ISSUE_SPAN_DAYS - 1, int(-GROWTH_DAYS * math.log(1 - rng.random() * span)))

    def _row(self, customer_no, day, amount, voucher_type, invoice_no) -> dict:
        stamp = _stamp(day, self.rng)
        labels = {VT_INVOICE: "Faktura", VT_CREDIT_NOTE: "Kreditnota", VT_PAYMENT: "Innbetaling"}
        return {
            **TRANSACTION_DEFAULTS,
            "company_id": self.company.pk,
            "customer_no": customer_no,
            "voucher_no": int(invoice_no),
            "voucher_date": date_int(day),
            "value_date": date_int(day),
            "invoice_no": invoice_no,
            "text": f"{labels[voucher_type]} {invoice_no}",
            "amount_domestic": amount,
            "amount_in_currency": amount,
            "voucher_type": voucher_type,
            "created_timestamp": stamp,
            "changed_timestamp": stamp,
        }

    def _outcome(self, invoice: dict, issued: date, due: date, *, keep_open: bool = False):
        rng, today = self.rng, self.today
        roll = rng.random()
        past_due = (today - due).days
        outstanding = invoice["amount_domestic"]
        lines = []

        def settle(amount: Decimal, kind: int, latest: date) -> None:
            nonlocal outstanding
            day = min(today, max(issued, latest))
            line = self._row(invoice["customer_no"], day, -amount, kind, invoice["invoice_no"])
            line["cid"] = invoice["cid"] if kind == VT_PAYMENT else ""
            outstanding -= amount
            invoice["paid_date"] = date_int(day)
            if kind == VT_CREDIT_NOTE:
                invoice["credited_amount_domestic"] += amount
            invoice["changed_timestamp"] = max(
                invoice["changed_timestamp"], line["created_timestamp"]
            )
            line["paid_status"] = PAID_SETTLED
            line["paid_date"] = date_int(day)
            lines.append((day, line))

        late = rng.randint(-10, 25) if rng.random() < 0.85 else rng.randint(26, 150)
        paid_by = due + timedelta(days=min(late, max(past_due, 0)))
        credit_day = issued + timedelta(days=rng.randint(1, 20))
        if not keep_open and roll >= still_open(past_due):
            if rng.random() < 0.05:
                settle(outstanding, VT_CREDIT_NOTE, credit_day)
            else:
                settle(outstanding, VT_PAYMENT, paid_by)
        elif roll < still_open(past_due) * 0.2:
            part = (outstanding * Decimal(rng.choice((25, 40, 50, 60)))) / 100
            settle(part.quantize(CENT), VT_PAYMENT, paid_by)
        elif roll < still_open(past_due) * 0.3:
            settle((outstanding / 4).quantize(CENT), VT_CREDIT_NOTE, credit_day)
        invoice["outstanding_amount_domestic"] = outstanding
        invoice["outstanding_amount_in_currency"] = outstanding
        if outstanding == 0:
            invoice["paid_status"] = PAID_SETTLED
        elif lines:
            invoice["paid_status"] = PAID_PARTLY
        return lines


def still_open(days_past_due: int) -> float:
    """The chance that an invoice this many days past due (negative: not yet due) is unpaid."""
    for last_day, chance in STILL_OPEN:
        if days_past_due <= last_day:
            return chance
    return STILL_OPEN[-1][1]


def _bulk_insert(model, rows: list[dict]) -> None:
    """COPY on PostgreSQL (seconds for 100,000s of rows); bulk_create elsewhere (the demo)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create((model(**row) for row in rows), batch_size=2000)
        return
    columns = list(rows[0])
    names = ", ".join(f'"{model._meta.get_field(c.removesuffix("_id")).column}"' for c in columns)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f'COPY "{model._meta.db_table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(tuple(row[c] for c in columns))
        # Fresh statistics, or the planner sorts the whole table for every page.
        cursor.execute(f'ANALYZE "{model._meta.db_table}"')


@transaction.atomic
def seed_company(
    *, customers: int, invoices: int, seed: int, today: date, company_no: int = DEFAULT_COMPANY_NO
) -> SeedResult:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    org_number = valid_orgnr(random.Random(f"company-{seed}"))  # noqa: S311
    company = ensure_principals(company_no, org_number, "Demo Regnskap AS")
    for model in (
        CustomerTransaction,
        GeneralLedgerTransaction,
        Associate,
        GeneralLedgerAccount,
        VoucherSeries,
        Batch,
    ):
        model.objects.filter(company=company).delete()
    builder = _Builder(company, rng, today)
    created = _stamp(today - timedelta(days=1500), rng)
    GeneralLedgerAccount.objects.bulk_create(
        GeneralLedgerAccount(
            company=company,
            account_no=no,
            name=name,
            account_type=1 if no < 3000 else 2,
            created_timestamp=created,
            changed_timestamp=created,
        )
        for no, name in CHART_OF_ACCOUNTS
    )
    associates = builder.associates(customers)
    Associate.objects.bulk_create(associates, batch_size=5000)
    customer_nos = [a.customer_no for a in associates if a.customer_no]
    rows = builder.transactions(customer_nos, invoices) if customer_nos else []
    _bulk_insert(CustomerTransaction, rows)
    highest_invoice = 10000 + invoices
    series = []
    for no, name, first, last in VOUCHER_SERIES:
        next_no = highest_invoice + 1 if no == 1 else first
        series.append(
            VoucherSeries(
                company=company,
                voucher_series_no=no,
                name=name,
                first_voucher_no=first,
                last_voucher_no=last,
                next_voucher_no=next_no,
                created_timestamp=created,
                changed_timestamp=created,
            )
        )
    VoucherSeries.objects.bulk_create(series)
    company.next_audit_no = len(rows) + 1
    company.next_journal_no = (rows[-1]["voucher_journal_no"] + 1) if rows else 1
    company.next_batch_no = 1
    company.save()
    result = SeedResult(company=company, rows=len(rows))
    result.customers = [
        {
            "name": a.name,
            "organization_number": a.company_no,
            "address_line": a.address_line1,
            "post_code": a.post_code,
            "city": a.postal_area,
        }
        for a in associates
        if a.company_no
    ]
    return result
