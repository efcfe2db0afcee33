"""A legal step in a real browser: the bell tells the owner the request for enforcement can
be made, she opens the case, drafts the request, signs it with her password, sees the
signature on the case's timeline and downloads the package for the enforcement officer."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest

from debt_collection.legal.models import LegalDocument
from kredin.clock import today_in_norway
from kredin.tenancy import organization_scope
from tests.conftest import PASSWORD
from tests.debt_collection.legal_helpers import walk_to_legal
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_the_notification_to_a_signed_package(
    logged_in_page, live_server, alice, alice_org, collections
):
    # Far enough back for the whole sequence to have run, recent enough for the § 4-18
    # notice to still be valid today (one year after its deadline).
    due = today_in_norway() - timedelta(days=150)
    with organization_scope(alice_org):
        customer = CustomerFactory(
            name="Fjellet Bygg AS", customer_type="business", organization_number="914778271"
        )
        case, _notice, _day = walk_to_legal(customer, due=due)

    page = logged_in_page(alice)
    page.goto(f"{live_server.url}/o/{alice_org.slug}/saker/")
    bell = page.locator("details.bell")
    assert bell.locator("[data-unread]").inner_text() == "1"
    bell.locator("summary").click()
    bell.get_by_role("link", name=f"S-{case.number}").click()

    page.get_by_role("link", name="Lag utkast: Begjæring om utlegg").click()
    page.get_by_label("Nei").check()
    page.get_by_role("button", name="Lag utkast").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Begjæring om utlegg"

    page.get_by_label("Passordet ditt").fill("not-the-password")
    page.get_by_role("button", name="Signer dokumentet").click()
    assert page.get_by_text("Feil passord. Dokumentet er ikke signert.").count() >= 1
    page.get_by_label("Passordet ditt").fill(PASSWORD)
    page.get_by_role("button", name="Signer dokumentet").click()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Last ned pakken (ZIP)").click()
    package = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
    with organization_scope(alice_org):
        document = LegalDocument.objects.get(case=case)
        signature = document.signatures.get()
    names = package.namelist()
    assert "manifest.txt" in names and len(names) >= 3
    assert signature.pdf_sha256 in package.read("manifest.txt").decode()

    page.get_by_role("link", name=f"S-{case.number}").first.click()
    timeline = page.locator("ol.timeline").inner_text()
    assert "Begjæring om utlegg ble signert elektronisk av" in timeline
