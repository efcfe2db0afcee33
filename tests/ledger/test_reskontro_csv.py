"""CSV export of the current filter: Norwegian headers, semicolons, decimal comma, BOM."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from kredin.tenancy import organization_scope
from tests.factories import OpenItemFactory
from tests.ledger.helpers import page_url

pytestmark = pytest.mark.django_db


def export(client, **params) -> tuple[object, str]:
    response = client.get(page_url("export-csv"), params)
    assert response.status_code == 200
    return response, b"".join(response.streaming_content).decode("utf-8")


def rows_of(body: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))


def test_export_csv_is_an_attachment_with_utf8_bom(client_for, alice, ledger):
    response, body = export(client_for(alice))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="reskontro-alice-ror-')
    assert body.startswith("\ufeffKundenummer;Kunde;Organisasjonsnummer;Fakturanummer;")


def test_export_csv_writes_one_row_per_open_item_in_due_order(client_for, alice, ledger):
    _, body = export(client_for(alice))
    rows = rows_of(body)
    assert len(rows) == 1 + 5
    assert [row[3] for row in rows[1:]] == ["2003", "2002", "1002", "1001", "2001"]


def test_export_csv_formats_amounts_dates_and_days(client_for, alice, ledger, today):
    _, body = export(client_for(alice), q="2003")
    header, row = rows_of(body)
    record = dict(zip(header, row, strict=True))
    assert record["Kunde"] == "Bre ASA"
    assert record["Beløp"] == "12345,67"
    assert record["Utestående"] == "12345,67"
    assert record["Forfallsdato"] == ledger["bre_120"].due_date.strftime("%d.%m.%Y")
    assert record["Dager over forfall"] == "120"
    assert record["Status"] == "Åpen"
    assert record["Tekst"] == "Rørarbeid vinter"


def test_export_csv_applies_the_page_filters(client_for, alice, ledger):
    _, body = export(client_for(alice), customer=ledger["fjord"].pk, status="all")
    assert sorted(row[3] for row in rows_of(body)[1:]) == ["1001", "1002", "1003"]


def test_export_csv_writes_negative_amounts_with_ascii_minus(client_for, alice, alice_org, ledger):
    with organization_scope(alice_org):
        OpenItemFactory(
            customer=ledger["fjord"],
            invoice_no="K1",
            kind="credit_note",
            amount=Decimal("-250.00"),
        )
    _, body = export(client_for(alice), q="K1")
    assert rows_of(body)[1][10] == "-250,00"
    assert rows_of(body)[1][4] == "Kreditnota"


def test_export_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas(
    client_for, alice, alice_org, ledger
):
    with organization_scope(alice_org):
        OpenItemFactory(
            customer=ledger["fjord"],
            invoice_no="=HYPERLINK(\"http://evil.example\")",
            text="@SUM(1+1)*cmd|' /C calc'!A0",
            amount=Decimal("-99.00"),
        )
    _, body = export(client_for(alice), q="cmd|")
    row = rows_of(body)[1]
    assert row[3] == "'=HYPERLINK(\"http://evil.example\")"
    assert row[13] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert row[10] == "-99,00"  # a plain negative number stays a number
