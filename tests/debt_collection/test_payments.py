"""Money received on a case, against the sandbox over real HTTP: the product's worked
example end to end, partial payments in either order, an overpayment, a credit note, the
tiny remainder, and the restnota and rentenota."""

from __future__ import annotations

from decimal import Decimal

from debt_collection.models import (
    CaseState,
    ClaimEntry,
    Document,
    EntryKind,
    VoucherPosting,
    VoucherStatus,
)
from sandbox.seeding import FEE_ACCOUNT, INTEREST_ACCOUNT
from tests.debt_collection.paying import paid_to

ZERO = Decimal("0.00")


def _part(case, part) -> Decimal:
    return paid_to(case, part)


def test_the_worked_example_fee_and_interest_are_booked_once_and_the_customer_is_even(debtor):
    case = debtor.case
    (reminder,) = Document.objects.filter(case=case)
    fee = Decimal(reminder.content["amounts"]["fee"])
    assert reminder.step == "reminder" and fee == Decimal("38.00")
    owed = debtor.owed_today()
    interest = owed - Decimal("10000.00") - fee
    assert interest > ZERO

    debtor.pays(owed)  # principal, fee and interest, with the invoice's KID
    debtor.sync()
    debtor.day()

    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.close_reason == "paid"
    assert (_part(case, "costs"), _part(case, "interest"), _part(case, "principal")) == (
        fee,
        interest,
        Decimal("10000.00"),
    )
    (posting,) = VoucherPosting.objects.all()
    assert posting.status == VoucherStatus.POSTED
    assert (posting.costs, posting.interest) == (fee, interest)
    assert posting.journal_no and posting.voucher_no and posting.batch_no
    assert debtor.income_booked(FEE_ACCOUNT) == fee
    assert debtor.income_booked(INTEREST_ACCOUNT) == interest
    assert len(debtor.journals()) == 1
    assert debtor.balance_in_business_nxt() == Decimal("0.00")

    debtor.sync()  # the next sync and day change nothing: no second voucher, no new case
    debtor.day()
    assert VoucherPosting.objects.count() == 1
    assert debtor.income_booked(FEE_ACCOUNT) == fee


def test_a_part_payment_covers_fee_and_interest_first_and_the_case_goes_on(debtor):
    case = debtor.case
    owed = debtor.owed_today()

    debtor.pays(Decimal("4000.00"))
    debtor.sync()
    debtor.day()

    case.refresh_from_db()
    assert case.is_open
    fee, interest = _part(case, "costs"), _part(case, "interest")
    assert fee == Decimal("38.00") and interest > ZERO
    assert _part(case, "principal") == Decimal("4000.00") - fee - interest
    assert debtor.owed_today() == owed - Decimal("4000.00")
    (posting,) = VoucherPosting.objects.all()
    assert posting.status == VoucherStatus.POSTED and posting.total == fee + interest
    # Business NXT and Kredin agree on what is left: the invoice's rest plus the
    # voucher's debit of the fee and interest.
    assert debtor.balance_in_business_nxt() == debtor.owed_today()

    debtor.pays(debtor.owed_today())
    debtor.sync()
    debtor.day()

    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.close_reason == "paid"
    assert debtor.balance_in_business_nxt() == Decimal("0.00")
    assert debtor.income_booked(FEE_ACCOUNT) == fee


def test_a_payment_smaller_than_fee_and_interest_pays_no_principal(debtor):
    case = debtor.case
    debtor.pays(Decimal("100.00"))
    debtor.sync()
    debtor.day()

    assert _part(case, "costs") == Decimal("38.00")
    assert _part(case, "interest") == Decimal("62.00")
    assert _part(case, "principal") == ZERO
    # Business NXT holds the whole principal again (the invoice's 9 900 and the voucher's
    # 100); the interest not yet paid is Kredin's to claim, not booked there.
    assert debtor.balance_in_business_nxt() == Decimal("10000.00")


def test_an_overpayment_closes_the_case_and_the_rest_stays_as_credit(debtor):
    case = debtor.case
    owed = debtor.owed_today()

    debtor.pays(owed + Decimal("500.00"))
    debtor.sync()
    debtor.day()

    case.refresh_from_db()
    assert case.close_reason == "paid"
    assert _part(case, "overpaid") == Decimal("500.00")
    (posting,) = VoucherPosting.objects.all()
    assert posting.total == owed - Decimal("10000.00")
    assert debtor.balance_in_business_nxt() == Decimal("-500.00")
    event = case.timeline.get(kind="payment_recorded")
    assert event.params["overpaid"] == "500.00"


def test_a_credit_note_takes_principal_off_and_a_full_one_closes_the_case(debtor):
    case = debtor.case
    debtor.credited(Decimal("4000.00"))
    debtor.sync()
    debtor.day()

    case.refresh_from_db()
    assert case.is_open
    credits = ClaimEntry.objects.filter(case=case, kind=EntryKind.PRINCIPAL, rule="credit_note")
    assert [c.amount for c in credits] == [Decimal("-4000.00")]
    assert not VoucherPosting.objects.exists()  # a credit note is not money

    debtor.credited(Decimal("6000.00"))
    debtor.sync()
    debtor.day()

    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.close_reason == "credited"
    assert debtor.owed_today() == ZERO  # fee and interest written off with it


def test_a_tiny_remainder_is_written_off_and_business_nxt_comes_out_even(debtor):
    case = debtor.case
    owed = debtor.owed_today()

    debtor.pays(owed - Decimal("20.00"))
    debtor.sync()
    debtor.day()

    case.refresh_from_db()
    assert case.close_reason == "tiny_remainder"
    write_off = ClaimEntry.objects.get(case=case, kind=EntryKind.WRITE_OFF)
    assert write_off.amount == Decimal("-20.00")
    assert _part(case, "principal") == Decimal("10000.00")  # the closing payment: principal first
    assert debtor.balance_in_business_nxt() == Decimal("0.00")


def test_most_of_the_claim_paid_sends_a_restnota_with_the_remainder(debtor, alice_org):
    from debt_collection.models import CollectionSettings

    CollectionSettings.objects.filter(organization=alice_org).update(remainder_note_percent=50)
    case = debtor.case
    debtor.pays(Decimal("6000.00"))
    debtor.sync()
    debtor.day()

    note = Document.objects.get(case=case, step="remainder_note")
    assert note.content["payments"][0]["amount"] == "6000.00"
    assert Decimal(note.content["amounts"]["total"]) == debtor.owed_today()
    assert Decimal(note.content["amounts"]["fee"]) == ZERO
    case.refresh_from_db()
    assert case.current_step == "reminder"  # the sequence keeps its place
    debtor.day()
    assert Document.objects.filter(case=case, step="remainder_note").count() == 1


def test_the_invoice_paid_without_interest_gets_a_rentenota_when_chosen(debtor, alice_org):
    from debt_collection.models import CollectionSettings

    CollectionSettings.objects.filter(organization=alice_org).update(interest_note=True)
    case = debtor.case
    owed = debtor.owed_today()
    debtor.pays(Decimal("10000.00"))  # what the invoice said, no more
    debtor.sync()
    debtor.day()

    case.refresh_from_db()
    assert case.is_open
    note = Document.objects.get(case=case, step="interest_note")
    assert Decimal(note.content["amounts"]["total"]) == owed - Decimal("10000.00")
    assert note.content["items"][0]["interest_periods"]


def test_without_a_rentenota_the_fee_and_interest_are_still_collected(debtor):
    case = debtor.case
    owed = debtor.owed_today()
    debtor.pays(Decimal("10000.00"))
    debtor.sync()
    debtor.day()

    case.refresh_from_db()
    assert case.is_open and debtor.owed_today() == owed - Decimal("10000.00")
    assert not Document.objects.filter(case=case, step="interest_note").exists()
    # Fee and interest were paid first (the legal order) and booked; Business NXT now
    # holds the rest of the principal, as Kredin does.
    assert VoucherPosting.objects.get().status == VoucherStatus.POSTED
    assert debtor.balance_in_business_nxt() == debtor.owed_today()


def test_a_late_payment_with_no_fee_claimed_closes_and_lets_the_interest_go(
    sandbox_integration, alice_org, settings, monkeypatch
):
    from debt_collection.tasks import document_dispatch_task
    from tests.debt_collection.paying import (
        book_income_to_sandbox_accounts,
        collect_with_reminder_first,
        debtor_with_overdue_invoice,
    )

    settings.BRREG_API_URL = "http://127.0.0.1:9/enhetsregisteret/api"
    monkeypatch.setattr(document_dispatch_task, "delay", lambda *args: None)
    collect_with_reminder_first(alice_org, use_friendly_reminder=True)  # no fee first
    book_income_to_sandbox_accounts(sandbox_integration.integration)
    debtor = debtor_with_overdue_invoice(sandbox_integration)
    debtor.day()
    case = debtor.case
    assert Document.objects.get(case=case).step == "friendly_reminder"

    debtor.pays(Decimal("10000.00"))
    debtor.sync()
    debtor.day()

    case.refresh_from_db()
    assert case.close_reason == "principal_paid"
    assert _part(case, "principal") == Decimal("10000.00")
    assert not VoucherPosting.objects.exists()
    assert debtor.balance_in_business_nxt() == Decimal("0.00")
