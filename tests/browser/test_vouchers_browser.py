"""The Bilag page in a real browser: after the debtor pays fee and interest through the
sandbox, the voucher is there with its Business NXT numbers."""

from __future__ import annotations

import pytest

from debt_collection.models import VoucherPosting, VoucherStatus
from kredin.tenancy import organization_scope

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bilag_page_shows_the_posted_voucher_with_its_numbers(
    logged_in_page, live_server, alice, alice_org, debtor
):
    with organization_scope(alice_org):
        debtor.pays(debtor.owed_today())
        debtor.sync()
        debtor.day()
        posting = VoucherPosting.objects.get()
    assert posting.status == VoucherStatus.POSTED

    page = logged_in_page(alice)
    page.goto(f"{live_server.url}/o/{alice_org.slug}/saker/")
    page.get_by_role("link", name="Bilag", exact=True).click()
    row = page.locator(f"tr[data-voucher-id='{posting.pk}']")
    text = row.inner_text()
    assert "Bokført" in text
    numbers = f"Bilag {posting.voucher_no}, bunt {posting.batch_no}, journal {posting.journal_no}"
    assert numbers in text
    assert f"S-{posting.case.number}" in text and posting.key in text
