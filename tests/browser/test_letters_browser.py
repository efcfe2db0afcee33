"""A letter in a real browser: Start sak on mirrored invoices, the letter goes out by
e-mail to a real SMTP server, its PDF opens from the case, Utsendelser shows it sent."""

from __future__ import annotations

import pytest

from debt_collection.models import Case, Channels, Delivery, DeliveryStatus
from kredin.tenancy import organization_scope
from tests.debt_collection.dispatching import (
    collection_settings,
    overdue_debtor_items,
    smtp_server,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEBTOR = "regnskap@debitor.example"


@pytest.fixture
def smtp(settings):
    settings.BRREG_API_URL = "http://127.0.0.1:9/enhetsregisteret/api"  # not about the register
    controller, log = smtp_server(settings)
    yield log
    controller.stop()


def test_a_cases_letter_opens_as_pdf_and_shows_as_sent(
    logged_in_page, live_server, alice, alice_org, sandbox_integration, smtp
):
    with organization_scope(alice_org):
        collection_settings(organization=alice_org, channels=Channels.EMAIL)
        sandbox_integration.sync()
        items = overdue_debtor_items()
        customer = items[0].customer
        customer.email = DEBTOR
        customer.save(update_fields=["email"])

    page = logged_in_page(alice)
    page.goto(f"{live_server.url}/o/alice-ror/reskontro/?customer={customer.pk}")
    for item in items:
        page.get_by_label(f"Velg faktura {item.invoice_no}").check()
    page.get_by_role("button", name="Start sak").click()
    page.wait_for_url("**/saker/*/")

    documents = page.locator("section[aria-labelledby=documents-heading]")
    pdf_link = documents.get_by_role("link", name="PDF")
    response = page.context.request.get(live_server.url + pdf_link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert "e-post: sendt" in documents.inner_text().lower()

    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Saker").click()
    page.get_by_role("link", name="Utsendelser").click()
    with organization_scope(alice_org):
        case = Case.objects.get()
        delivery = Delivery.objects.get(document__case=case)
    row = page.locator(f"tr[data-delivery-id='{delivery.pk}']")
    assert f"S-{case.number}" in row.inner_text()
    assert "Sendt" in row.inner_text() and DEBTOR in row.inner_text()
    assert delivery.status == DeliveryStatus.SENT
    assert len(smtp.with_message_id(delivery.message_id)) == 1
