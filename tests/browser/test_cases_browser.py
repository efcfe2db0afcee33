"""Cases in a real browser: tick items on the reskontro, Start sak, the case page, the preview."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from debt_collection.models import Case, CollectionSettings
from kredin.clock import today_in_norway
from kredin.tenancy import organization_scope
from tests.factories import CustomerFactory, OpenItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def overdue(alice_org):
    today = today_in_norway()
    with organization_scope(alice_org):
        CollectionSettings.objects.create(
            sender_name="Alice Rørlegger AS", bank_account="15030012345"
        )
        fjord = CustomerFactory(name="Fjord AS")
        OpenItemFactory(
            customer=fjord,
            invoice_no="1001",
            due_date=today - dt.timedelta(days=10),
            amount=Decimal("1000.00"),
        )
        OpenItemFactory(
            customer=fjord,
            invoice_no="1002",
            due_date=today - dt.timedelta(days=9),
            amount=Decimal("250.00"),
        )
        OpenItemFactory(
            customer=CustomerFactory(name="Bre ASA"),
            invoice_no="2001",
            due_date=today - dt.timedelta(days=3),
            amount=Decimal("700.00"),
        )


def test_start_a_case_from_the_reskontro_and_follow_it(logged_in_page, live_server, alice, overdue):
    page = logged_in_page(alice)
    page.goto(f"{live_server.url}/o/alice-ror/reskontro/")
    page.get_by_label("Velg faktura 1001").check()
    page.get_by_label("Velg faktura 1002").check()
    page.get_by_role("button", name="Start sak").click()
    page.wait_for_url("**/saker/*/")

    case = Case.objects.unscoped().get()
    assert page.get_by_role("heading", name=f"Sak S-{case.number}: Fjord AS").is_visible()
    claim = page.locator("#claim-heading + table")
    assert "1\xa0250,00" in claim.inner_text()  # the two invoices' principal
    next_step = page.locator("section[aria-labelledby=next-heading]").inner_text()
    assert "Purring" in next_step and "tidligst" in next_step
    assert (
        "Betalingspåminnelse"
        in page.locator("section[aria-labelledby=documents-heading]").inner_text()
    )

    page.goto(f"{live_server.url}/o/alice-ror/reskontro/")
    assert page.locator(f"a[data-badge=in_case]:has-text('S-{case.number}')").count() == 2

    page.goto(f"{live_server.url}/o/alice-ror/saker/hva-skjer-na/")
    coming = page.locator("section[aria-labelledby=coming-heading]").inner_text()
    assert f"S-{case.number}" in coming and "Purring" in coming
