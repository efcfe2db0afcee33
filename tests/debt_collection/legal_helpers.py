"""Helpers for the legal-step tests: a case walked by the autopilot up to the request for
enforcement (each letter counted as delivered), PDF text, a valid identity number."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import time_machine
from pypdf import PdfReader

from debt_collection.autopilot import run_day
from debt_collection.models import Case, CaseState, Document, DocumentStatus
from tests.debt_collection.conftest import invoice

# 7 300 kr at 12.50 % a year is exactly 2.50 kr a day (7300 × 0.125 / 365), so the interest
# can be checked by hand; the whole walk stays in the first half of 2025 (one rate, R known).
DUE = date(2025, 1, 10)
PRINCIPAL = Decimal("7300.00")
INTEREST_PER_DAY = Decimal("2.50")
# Reminder, inkassovarsel (1/20 of 700 kr each) and the payment demand (3/20).
FEES = Decimal("35.00") + Decimal("35.00") + Decimal("105.00")
COURT_FEE_2025 = Decimal("1589.00")  # 1.21 × 1 314 kr, rounded down
NATIONAL_ID = "15038510190"  # valid check digits, born 15 March 1985


def run_on(day: date):
    """The autopilot's day, and every letter it made counted as delivered."""
    with time_machine.travel(day):
        plan, _applied = run_day(on=day)
    Document.objects.filter(status=DocumentStatus.READY).update(status=DocumentStatus.SENT)
    return plan


def walk_to_notice(customer, *, due: date = DUE) -> tuple[Case, Document]:
    """Run the autopilot letter by letter until the payment demand (the § 4-18 notice)
    is out; returns the case and that notice."""
    invoice(customer=customer, due=due, amount=str(PRINCIPAL))
    day = due + timedelta(days=7)
    for _ in range(12):
        run_on(day)
        notice = Document.objects.filter(step="payment_demand").first()
        if notice is not None:
            return Case.objects.get(customer=customer), notice
        latest = Document.objects.order_by("-deadline").first()
        day = latest.deadline + timedelta(days=1) if latest else day + timedelta(days=1)
    raise AssertionError("the autopilot never sent the payment demand")


def walk_to_legal(customer, *, due: date = DUE) -> tuple[Case, Document, date]:
    """…and on to the first day the request for enforcement may be made."""
    case, notice = walk_to_notice(customer, due=due)
    day = notice.deadline + timedelta(days=1)
    run_on(day)
    case.refresh_from_db()
    assert case.state == CaseState.LEGAL, case.state
    return case, notice, day


def pdf_text(data: bytes) -> str:
    """The PDF's text with its non-breaking spaces as plain ones."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def stored(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()
