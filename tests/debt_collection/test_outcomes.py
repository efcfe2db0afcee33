"""Oversikt: every figure checked against a small ledger worked out by hand.

Today is Saturday 15 March 2025 (Oslo); the window is April 2024 to March 2025, and this
month "ends" today. Amounts in the comments are what the selector must add up to.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from debt_collection.models import (
    Case,
    CaseItem,
    CaseState,
    ClaimEntry,
    VoucherPosting,
)
from debt_collection.selectors.outcomes import (
    aging_over_time,
    cases_closed_by_reason,
    days_sales_outstanding,
    income_booked,
    month_ends,
    month_starts,
    open_claims_by_step,
    outcomes,
    recovered_principal,
)
from kredin.clock import OSLO
from kredin.tenancy import organization_scope
from ledger.filters import ReskontroFilter
from ledger.selectors import reskontro_summary
from tests.factories import (
    CustomerFactory,
    IntegrationFactory,
    LedgerTransactionFactory,
    OpenItemFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 15)
JAN_END, FEB_END, NOV_END = date(2025, 1, 31), date(2025, 2, 28), date(2024, 11, 30)
D = Decimal


def at_oslo(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=OSLO)


@pytest.fixture(autouse=True)
def _norwegian():
    """The labels are read in the active language; an earlier test may have left English."""
    with translation.override("nb"):
        yield


@pytest.fixture
def pinned():
    with time_machine.travel(at_oslo(TODAY, 12), tick=False):
        yield


@pytest.fixture
def ledger(alice_org):
    """The reskontro's open items and the ledger's transactions of two customers."""
    with organization_scope(alice_org):
        bergen = CustomerFactory(name="Bergen Bygg AS")
        voss = CustomerFactory(name="Voss Varme AS")

        def item(**fields):
            fields.setdefault("outstanding", fields["amount"])
            return OpenItemFactory(customer=fields.pop("customer", bergen), **fields)

        items = {
            # Part-paid, still open: 400 of 1000 left, due 15 Dec.
            "part_paid": item(
                invoice_no="101",
                voucher_date=date(2024, 12, 1),
                due_date=date(2024, 12, 15),
                amount=D("1000.00"),
                outstanding=D("400.00"),
            ),
            # Settled 20 Feb at 10:00: open at the end of January, not of February.
            "settled_feb": item(
                invoice_no="102",
                voucher_date=date(2025, 1, 10),
                due_date=date(2025, 2, 9),
                amount=D("2000.00"),
                outstanding=D("0.00"),
                status="settled",
                settled_at=at_oslo(date(2025, 2, 20), 10),
            ),
            # Settled 31 Jan at 23:30 Oslo: no longer open at the end of that day.
            "settled_jan_31": item(
                customer=voss,
                invoice_no="201",
                voucher_date=date(2024, 10, 1),
                due_date=date(2024, 10, 31),
                amount=D("500.00"),
                outstanding=D("0.00"),
                status="settled",
                settled_at=at_oslo(JAN_END, 23, 30),
            ),
            # Issued 20 Feb, due 10 March, unpaid.
            "new": item(
                invoice_no="104",
                voucher_date=date(2025, 2, 20),
                due_date=date(2025, 3, 10),
                amount=D("3000.00"),
            ),
            "credit_note": item(
                kind="credit_note",
                invoice_no="105",
                voucher_date=date(2025, 1, 5),
                due_date=date(2025, 1, 5),
                amount=D("-300.00"),
            ),
            # Outside the integration's selection: never counted.
            "excluded": item(
                invoice_no="106",
                voucher_date=date(2024, 11, 1),
                due_date=date(2024, 11, 15),
                amount=D("999.00"),
                status="excluded",
            ),
        }

        def tx(customer, kind, invoice_no, on, amount):
            return LedgerTransactionFactory(
                customer=customer,
                kind=kind,
                invoice_no=invoice_no,
                voucher_date=on,
                amount=D(amount),
            )

        tx(bergen, "invoice", "101", date(2024, 12, 1), "1000.00")
        tx(bergen, "payment", "101", date(2025, 1, 20), "-600.00")
        tx(bergen, "invoice", "102", date(2025, 1, 10), "2000.00")
        tx(bergen, "payment", "102", date(2025, 2, 18), "-2000.00")
        tx(bergen, "invoice", "104", date(2025, 2, 20), "3000.00")
        tx(bergen, "credit_note", "105", date(2025, 1, 5), "-300.00")
        # A payment on an invoice from before the fetch-from date: left out.
        tx(bergen, "payment", "99", date(2025, 1, 15), "-700.00")
        tx(voss, "invoice", "201", date(2024, 10, 1), "500.00")
        tx(voss, "payment", "201", date(2025, 1, 31), "-500.00")
        # Paid on account, without an invoice number: counted.
        tx(voss, "payment", "", date(2025, 2, 5), "-100.00")
        # Voss has no invoice 101 (Bergen's): left out.
        tx(voss, "payment", "101", date(2025, 2, 10), "-50.00")
        # Dated after today.
        tx(voss, "invoice", "202", date(2025, 3, 20), "800.00")
    return items


@pytest.fixture
def cases(alice_org, ledger):
    """Open cases on three steps, closed cases with reasons, payments and vouchers."""
    with organization_scope(alice_org):
        integration = IntegrationFactory()
        numbers = iter(range(1, 100))

        def case(*, state=CaseState.ACTIVE, step="", reason="", closed_on=None, principal=()):
            found = Case.objects.create(
                number=next(numbers),
                customer=ledger["new"].customer,
                state=state,
                current_step=step,
                close_reason=reason,
                closed_on=closed_on,
                started_on=date(2024, 1, 2),
            )
            for amount in principal:
                # Items of closed cases, settled long before the window.
                source = OpenItemFactory(
                    amount=D(amount),
                    outstanding=D("0.00"),
                    status="settled",
                    voucher_date=date(2023, 12, 1),
                    settled_at=at_oslo(date(2024, 1, 2), 9),
                )
                CaseItem.objects.create(
                    case=found,
                    open_item=source,
                    principal=D(amount),
                    added_on=date(2024, 1, 2),
                    released_on=closed_on,
                )
            return found

        def entry(case, kind, on, amount, part=""):
            ClaimEntry.objects.create(
                case=case, kind=kind, entry_date=on, amount=D(amount), part=part
            )

        def voucher(case, status, on, costs, interest):
            VoucherPosting.objects.create(
                case=case,
                integration=integration,
                key=f"KRD{VoucherPosting.objects.count():06}",
                status=status,
                customer_no=10001,
                voucher_date=on,
                costs=D(costs),
                interest=D(interest),
            )

        started = case()
        entry(started, "principal", date(2025, 3, 1), "1000.00")

        reminded = case(step="reminder")
        entry(reminded, "principal", date(2025, 1, 1), "2000.00")
        entry(reminded, "fee", date(2025, 1, 1), "35.00")
        entry(reminded, "interest", date(2025, 2, 18), "12.50")
        paid_on = date(2025, 2, 18)
        entry(reminded, "payment", paid_on, "-35.00", part="costs")
        entry(reminded, "payment", paid_on, "-12.50", part="interest")
        entry(reminded, "payment", paid_on, "-500.00", part="principal")
        entry(reminded, "payment", paid_on, "-20.00", part="overpaid")
        voucher(reminded, "posted", paid_on, "35.00", "12.50")
        voucher(reminded, "failed", paid_on, "100.00", "50.00")
        voucher(reminded, "pending", date(2025, 3, 1), "10.00", "0.00")

        paused = case(state=CaseState.PAUSED, step="reminder")
        entry(paused, "principal", date(2025, 1, 1), "800.00")
        entry(paused, "fee", date(2025, 1, 1), "35.00")

        noticed = case(step="collection_notice")
        entry(noticed, "principal", date(2024, 11, 1), "400.00")
        entry(noticed, "fee", date(2024, 11, 1), "70.00")
        entry(noticed, "payment", date(2024, 12, 20), "-100.00", part="principal")

        paid = case(state=CaseState.CLOSED, reason="paid", closed_on=paid_on, principal=["2000.00"])
        entry(paid, "principal", date(2025, 1, 1), "2000.00")
        entry(paid, "payment", paid_on, "-2000.00", part="principal")

        written_off = case(
            state=CaseState.CLOSED,
            reason="written_off",
            closed_on=date(2025, 1, 10),
            principal=["500.00"],
        )
        entry(written_off, "principal", date(2024, 12, 1), "500.00")
        # From before payments had parts: principal, as the case page reads it.
        entry(written_off, "payment", date(2025, 1, 5), "-200.00")
        entry(written_off, "write_off", date(2025, 1, 10), "-300.00")
        voucher(written_off, "posted", date(2025, 1, 5), "70.00", "0.00")

        long_ago = case(
            state=CaseState.CLOSED,
            reason="paid",
            closed_on=date(2024, 3, 20),
            principal=["900.00"],
        )
        entry(long_ago, "payment", date(2024, 3, 20), "-900.00", part="principal")
        voucher(long_ago, "posted", date(2024, 3, 20), "35.00", "5.00")

        case(
            state=CaseState.CLOSED,
            reason="paid",
            closed_on=date(2024, 6, 1),
            principal=["300.00", "200.00"],
        )
        case(state=CaseState.CLOSED, reason="by_user", closed_on=TODAY, principal=["250.00"])
    return alice_org


# --- the window -----------------------------------------------------------------------------


def test_the_window_is_twelve_months_and_this_month_ends_today():
    assert month_starts(on=TODAY)[0] == date(2024, 4, 1)
    assert month_starts(on=TODAY)[-1] == date(2025, 3, 1)
    ends = month_ends(on=TODAY)
    assert len(ends) == 12
    assert ends[0] == date(2024, 4, 30)
    assert ends[-3:] == [JAN_END, FEB_END, TODAY]
    assert month_ends(on=date(2024, 3, 31))[-2] == date(2024, 2, 29)  # a leap year


# --- the figures ----------------------------------------------------------------------------


def test_open_claims_by_step_count_cases_and_sum_their_claim(cases):
    with organization_scope(cases):
        totals = open_claims_by_step()

    assert [(t.step, t.count, t.owed) for t in totals] == [
        ("startet", 1, D("1000.00")),
        # 2000 + 35 + 12.50 − 35 − 12.50 − 500 − 20 = 1480; paused: 800 + 35 = 835
        ("reminder", 2, D("2315.00")),
        # 400 + 70 − 100
        ("collection_notice", 1, D("370.00")),
    ]
    assert [t.label for t in totals] == ["Startet", "Purring", "Inkassovarsel"]


def test_recovered_principal_is_the_principal_share_of_payments(cases):
    with organization_scope(cases):
        recovered = recovered_principal(on=TODAY)

    by_month = {m.month: m.amount for m in recovered.months if m.amount}
    assert by_month == {
        date(2024, 12, 1): D("100.00"),  # collection notice case
        date(2025, 1, 1): D("200.00"),  # an entry without a part counts as principal
        date(2025, 2, 1): D("2500.00"),  # 500 (reminder case) + 2000 (paid case)
    }
    assert recovered.period_total == D("2800.00")
    assert recovered.all_time_total == D("3700.00")  # + 900 in March 2024


def test_income_booked_counts_posted_vouchers_only(cases):
    with organization_scope(cases):
        income = income_booked(on=TODAY)

    by_month = {m.month: (m.fees, m.interest) for m in income.months if m.total}
    # The failed (100 + 50) and pending (10) vouchers and March 2024's are left out.
    assert by_month == {
        date(2025, 1, 1): (D("70.00"), D("0.00")),
        date(2025, 2, 1): (D("35.00"), D("12.50")),
    }
    assert (income.fees_total, income.interest_total, income.total) == (
        D("105.00"),
        D("12.50"),
        D("117.50"),
    )


def test_cases_closed_by_reason_in_the_window(cases):
    with organization_scope(cases):
        totals = cases_closed_by_reason(on=TODAY)

    assert [(t.reason, t.count, t.principal) for t in totals] == [
        # 20 Feb 2025 (2000) and 1 June 2024 (300 + 200); March 2024's is before the window
        ("paid", 2, D("2500.00")),
        ("written_off", 1, D("500.00")),
        ("by_user", 1, D("250.00")),  # closed today
    ]
    assert totals[0].label == "Betalt"


def test_dso_at_month_ends(ledger, alice_org):
    with organization_scope(alice_org):
        points = {p.as_of: p for p in days_sales_outstanding(on=TODAY)}

    # 31 Jan: 1000 − 600 + 2000 − 300 (Bergen) + 500 − 500 (Voss) = 2100 owed; the −700 on
    # an unknown invoice is left out. Invoiced 3 Nov–31 Jan: 1000 + 2000 − 300 = 2700.
    # 2100 / 2700 × 90 = 70.0
    jan = points[JAN_END]
    assert (jan.receivables, jan.invoiced, jan.days) == (D("2100.00"), D("2700.00"), D("70.0"))
    # 28 Feb: 2100 − 2000 + 3000 − 100 (on account) = 3000; Voss's −50 on "101" is left out.
    # Invoiced 1 Dec (the 90th day back)–28 Feb: 1000 + 2000 − 300 + 3000 = 5700.
    # 3000 / 5700 × 90 = 47.368… → 47.4
    feb = points[FEB_END]
    assert (feb.receivables, feb.invoiced, feb.days) == (D("3000.00"), D("5700.00"), D("47.4"))
    # Today: still 3000 (the invoice of 20 March is not yet); invoiced 16 Dec–15 Mar: 4700.
    # 3000 / 4700 × 90 = 57.446… → 57.4
    assert points[TODAY].days == D("57.4")
    # 30 Nov: Voss's 500 of 1 Oct, invoiced in the window: 500 / 500 × 90
    assert points[NOV_END].days == D("90.0")
    # Nothing invoiced yet: no figure.
    assert points[date(2024, 4, 30)].days is None


def _buckets(point) -> dict[str, Decimal]:
    return {bucket.key: bucket.amount for bucket in point.buckets if bucket.amount}


def test_aging_at_month_ends(ledger, alice_org):
    with organization_scope(alice_org):
        points = {p.as_of: p for p in aging_over_time(on=TODAY)}

    # 31 Jan: the part-paid invoice counts with what is left today (400), 47 days past due;
    # the one settled 20 Feb in full (2000), due 9 Feb; the credit note 26 days past due;
    # the one settled at 23:30 that evening no longer; the one of 20 Feb not yet.
    assert _buckets(points[JAN_END]) == {
        "not_due": D("2000.00"),
        "d0_30": D("-300.00"),
        "d31_60": D("400.00"),
    }
    assert points[JAN_END].total == D("2100.00")
    # 28 Feb: 400 at 75 days, 3000 not due until 10 March, the credit note at 54 days.
    assert _buckets(points[FEB_END]) == {
        "not_due": D("3000.00"),
        "d31_60": D("-300.00"),
        "d61_90": D("400.00"),
    }
    # 30 Nov: Voss's 500, due 31 Oct, is exactly 30 days past due.
    assert _buckets(points[NOV_END]) == {"d0_30": D("500.00")}


def test_aging_today_is_the_reskontros(ledger, alice_org):
    with organization_scope(alice_org):
        today = aging_over_time(on=TODAY)[-1]
        reskontro = reskontro_summary(flt=ReskontroFilter(), today=TODAY)

    # 400 at 90 days and −300 at 69 days; 3000 at 5 days.
    assert _buckets(today) == {"d0_30": D("3000.00"), "d61_90": D("100.00")}
    assert [b.amount for b in today.buckets] == [b.outstanding for b in reskontro.buckets]


def test_the_figures_take_a_fixed_number_of_queries(
    cases, alice_org, django_assert_max_num_queries
):
    with organization_scope(alice_org), django_assert_max_num_queries(6):
        outcomes(on=TODAY)
    with organization_scope(alice_org):
        more = CustomerFactory()
        for number in range(100, 130):
            found = Case.objects.create(
                number=number, customer=more, current_step="reminder", started_on=TODAY
            )
            ClaimEntry.objects.create(
                case=found, kind="payment", part="principal", entry_date=TODAY, amount=D("-1")
            )
            OpenItemFactory(customer=more, due_date=TODAY - timedelta(days=number))
            LedgerTransactionFactory(customer=more, voucher_date=TODAY - timedelta(days=number))
    with organization_scope(alice_org), django_assert_max_num_queries(6):
        outcomes(on=TODAY)


# --- the page -------------------------------------------------------------------------------


def _overview(org) -> str:
    return reverse("collections:overview", kwargs={"org_slug": org.slug})


def test_the_page_shows_each_figure_as_chart_and_table(cases, client_for, alice, pinned):
    page = client_for(alice).get(_overview(cases)).content.decode()

    assert page.count('role="img"') == 6
    assert page.count("<caption>") == 6
    assert "<script" not in page.split("</head>")[1]
    nbsp = "\xa0"
    assert (
        f'<tr data-step="reminder"><th scope="row">Purring</th><td class="num">2</td>'
        f'<td class="num">2{nbsp}315,00{nbsp}kr</td></tr>'
    ) in page
    period_total = '<tr data-total="period"><th scope="row">Sum i perioden</th>'
    assert f'{period_total}<td class="num">2{nbsp}800,00{nbsp}kr' in page
    assert f'<td class="num">117,50{nbsp}kr</td>' in page
    assert '<tr data-reason="paid"><th scope="row">Betalt</th><td class="num">2</td>' in page


def test_the_page_tables_dso_and_aging_at_month_ends(cases, client_for, alice, pinned):
    page = client_for(alice).get(_overview(cases)).content.decode()
    nbsp = "\xa0"

    jan = page.split('<tr data-as-of="2025-01-31">')[1].split("</tr>")[0]
    assert f"2{nbsp}100,00{nbsp}kr" in jan and f"2{nbsp}700,00{nbsp}kr" in jan
    assert "70,0" in jan
    aging_rows = page.split('id="aging"')[1]
    feb = aging_rows.split('<tr data-as-of="2025-02-28">')[1].split("</tr>")[0]
    assert f'<td class="num" data-bucket="not_due">3{nbsp}000,00{nbsp}kr</td>' in feb
    assert f'<td class="num" data-bucket="d31_60">−300,00{nbsp}kr</td>' in feb


def test_an_organisation_without_data_is_told_what_will_appear(
    alice_org, client_for, alice, pinned
):
    page = client_for(alice).get(_overview(alice_org)).content.decode()

    assert 'role="img"' not in page
    assert "Ingen åpne saker. Når du starter saker" in page
    assert "Når integrasjonen har fylt reskontroen" in page


def test_a_read_only_member_may_view_the_page_and_the_api(
    cases, client_for, api_client_for, erin, pinned
):
    assert client_for(erin).get(_overview(cases)).status_code == 200
    assert api_client_for(erin).get(_api(cases)).status_code == 200


def test_another_organisation_gets_404(cases, client_for, api_client_for, charlie):
    assert client_for(charlie).get(_overview(cases)).status_code == 404
    assert api_client_for(charlie).get(_api(cases)).status_code == 404


def test_the_page_takes_a_fixed_number_of_queries(
    cases, client_for, alice, pinned, django_assert_max_num_queries
):
    client = client_for(alice)
    client.get(_overview(cases))  # warm the session and the rules file
    with django_assert_max_num_queries(14):
        assert client.get(_overview(cases)).status_code == 200


def test_the_nav_starts_with_oversikt_and_marks_it(cases, client_for, alice, pinned):
    page = client_for(alice).get(_overview(cases)).content.decode()
    nav = page.split('class="mainnav">')[1].split("</nav>")[0]

    assert nav.index("Oversikt") < nav.index("Reskontro")
    assert f'href="{_overview(cases)}" aria-current="page"' in nav
    assert nav.count('aria-current="page"') == 1


# --- the front door -------------------------------------------------------------------------


def _home(org) -> str:
    return reverse("org-home", kwargs={"org_slug": org.slug})


def test_the_front_door_is_the_reskontro_before_an_integration(alice_org, client_for, alice):
    response = client_for(alice).get(_home(alice_org))

    assert response.url == reverse("ledger:reskontro", kwargs={"org_slug": alice_org.slug})


def test_the_front_door_is_oversikt_once_an_integration_is_connected(alice_org, client_for, alice):
    with organization_scope(alice_org):
        IntegrationFactory()

    assert client_for(alice).get(_home(alice_org)).url == _overview(alice_org)


def test_an_integration_still_in_the_wizard_keeps_the_reskontro(alice_org, client_for, alice):
    with organization_scope(alice_org):
        IntegrationFactory(status="awaiting_consent", activated_at=None)

    response = client_for(alice).get(_home(alice_org))

    assert response.url == reverse("ledger:reskontro", kwargs={"org_slug": alice_org.slug})


def test_another_organisations_integration_does_not_move_the_front_door(
    alice_org, charlie_org, client_for, alice
):
    with organization_scope(charlie_org):
        IntegrationFactory()

    response = client_for(alice).get(_home(alice_org))

    assert response.url == reverse("ledger:reskontro", kwargs={"org_slug": alice_org.slug})


# --- the API --------------------------------------------------------------------------------


def _api(org) -> str:
    return reverse("collections-api:outcomes", kwargs={"org_slug": org.slug})


def test_the_api_gives_the_same_figures_with_money_as_strings(cases, api_client_for, alice, pinned):
    body = api_client_for(alice).get(_api(cases)).json()

    assert body["on"] == "2025-03-15"
    assert body["period_start"] == "2024-04-01"
    assert body["open_by_step"][1] == {
        "step": "reminder",
        "label": "Purring",
        "count": 2,
        "owed": "2315.00",
    }
    assert body["recovered_principal"]["period_total"] == "2800.00"
    assert body["recovered_principal"]["all_time_total"] == "3700.00"
    assert body["income_booked"]["total"] == "117.50"
    assert body["income_booked"]["months"][-2] == {
        "month": "2025-02-01",
        "fees": "35.00",
        "interest": "12.50",
        "total": "47.50",
    }
    dso = {p["as_of"]: p for p in body["days_sales_outstanding"]}
    assert dso["2025-01-31"] == {
        "as_of": "2025-01-31",
        "receivables": "2100.00",
        "invoiced": "2700.00",
        "days": "70.0",
    }
    assert dso["2024-04-30"]["days"] is None
    assert [(r["reason"], r["count"], r["principal"]) for r in body["closed_by_reason"]] == [
        ("paid", 2, "2500.00"),
        ("written_off", 1, "500.00"),
        ("by_user", 1, "250.00"),
    ]
    feb = next(p for p in body["aging"] if p["as_of"] == "2025-02-28")
    assert feb["total"] == "3100.00"
    assert [b["amount"] for b in feb["buckets"]] == [
        "3000.00",
        "0.00",
        "-300.00",
        "400.00",
        "0.00",
    ]


def test_the_api_is_in_the_openapi_schema(client_for, alice):
    schema = client_for(alice).get(reverse("api-schema"), {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/orgs/{org_slug}/outcomes/"]["get"]
    assert operation["operationId"] == "outcomes_retrieve"
    outcomes_schema = schema["components"]["schemas"]["Outcomes"]
    assert "days_sales_outstanding" in outcomes_schema["properties"]
    assert schema["components"]["schemas"]["DsoPoint"]["properties"]["days"]["nullable"] is True
