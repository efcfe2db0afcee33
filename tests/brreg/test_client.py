"""The client against the register stand-in over real HTTP: status codes, errors, headers."""

from __future__ import annotations

import datetime as dt

import pytest

from brreg.client import (
    ACCEPT_ENHET,
    BrregClient,
    InvalidOrganizationNumber,
    RegisterBadRequest,
    RegisterUnavailable,
)
from sandbox.brreg import registry
from sandbox.brreg.models import RegisterRequest
from tests.brreg.conftest import bad_check_digit, request_count, sub_unit, unit, valid_orgnr

pytestmark = pytest.mark.django_db


def test_active_unit_is_200_with_the_full_entry(register_url):
    unit(valid_orgnr(0), "AKTIV AS", konkurs=False)
    found = BrregClient().get_enhet(valid_orgnr(0))
    assert found.status == "active"
    assert found.payload["navn"] == "AKTIV AS"
    assert found.payload["_links"]["self"]["href"] == f"{register_url}/enheter/{valid_orgnr(0)}"
    assert "postadresse" not in found.payload  # absent, not null


def test_deleted_unit_is_200_with_slettedato(register_url):
    unit(valid_orgnr(1), "SLETTET AS")
    registry.unit_delete(organisasjonsnummer=valid_orgnr(1), slettedato=dt.date(2025, 3, 1))
    found = BrregClient().get_enhet(valid_orgnr(1))
    assert found.status == "deleted"
    assert found.payload["slettedato"] == "2025-03-01"
    assert "forretningsadresse" not in found.payload
    assert RegisterRequest.objects.get().status == 200


def test_removed_unit_is_410_gone(register_url):
    unit(valid_orgnr(2), "FJERNET AS")
    registry.unit_remove(organisasjonsnummer=valid_orgnr(2), slettedato=dt.date(2025, 4, 1))
    found = BrregClient().get_enhet(valid_orgnr(2))
    assert found.status == "removed"
    assert RegisterRequest.objects.get().status == 410
    assert set(found.payload) == {"organisasjonsnummer", "slettedato", "_links"}


def test_unknown_number_is_404(register_url):
    found = BrregClient().get_enhet(valid_orgnr(3))
    assert found.status == "unknown"
    assert RegisterRequest.objects.get().status == 404


def test_malformed_number_is_400_with_valideringsfeil(register_url):
    with pytest.raises(RegisterBadRequest) as raised:
        BrregClient().get_enhet_unchecked("9ECD01011")
    assert raised.value.errors[0]["feilaktigVerdi"] == "9ECD01011"
    assert "9 siffer" in raised.value.errors[0]["feilmelding"]


def test_bad_check_digit_is_refused_before_sending(register_url):
    with pytest.raises(InvalidOrganizationNumber):
        BrregClient().get_enhet(bad_check_digit(valid_orgnr(4)))
    with pytest.raises(InvalidOrganizationNumber):
        BrregClient().lookup_many([valid_orgnr(5), bad_check_digit(valid_orgnr(4))])
    assert request_count() == 0


def test_requests_carry_the_documented_accept_and_a_user_agent(register_url):
    BrregClient().get_enhet(valid_orgnr(6))
    logged = RegisterRequest.objects.get()
    assert logged.accept == ACCEPT_ENHET
    assert logged.user_agent.startswith("Kredin/")


def test_server_errors_are_retried_then_reported_unavailable(register_url, outage):
    client = BrregClient(attempts=3)
    with pytest.raises(RegisterUnavailable):
        client.get_enhet(valid_orgnr(7))
    assert request_count() == 3


def test_closed_port_is_reported_unavailable(settings):
    settings.BRREG_API_URL = "http://127.0.0.1:9/enhetsregisteret/api"
    settings.BRREG_BACKOFF = 0
    with pytest.raises(RegisterUnavailable):
        BrregClient(timeout=1, attempts=2).get_enhet(valid_orgnr(8))


def test_client_errors_are_not_retried(register_url):
    with pytest.raises(RegisterBadRequest):
        BrregClient(attempts=3).get_enhet_unchecked("12345")
    assert request_count() == 1


def test_sub_unit_is_found_under_underenheter_only(register_url):
    unit(valid_orgnr(9), "MOR AS")
    sub_unit(valid_orgnr(10), valid_orgnr(9))
    client = BrregClient()
    assert client.get_enhet(valid_orgnr(10)).status == "unknown"
    branch = client.get_underenhet(valid_orgnr(10))
    assert branch.status == "active"
    assert branch.payload["overordnetEnhet"] == valid_orgnr(9)
    assert branch.payload["_links"]["overordnetEnhet"]["href"].endswith(
        f"/enheter/{valid_orgnr(9)}"
    )


def test_batch_lookup_sends_at_most_2000_numbers_per_request(register_url):
    numbers = [valid_orgnr(i) for i in range(2500)]
    for number in numbers[:3]:
        unit(number)
    found = BrregClient().lookup_many(numbers)
    assert set(found) == set(numbers[:3])
    sent = [r.query.count("organisasjonsnummer=") for r in RegisterRequest.objects.all()]
    assert len(sent) == 2
    sizes = sorted(
        len(r.query.split("organisasjonsnummer=")[1].split("&")[0].split("%2C"))
        for r in RegisterRequest.objects.all()
    )
    assert sizes == [500, 2000]


def test_search_by_name_pages_with_hal_links(register_url):
    for i in range(3):
        unit(valid_orgnr(20 + i), f"SESAM STASJON {i} AS")
    page = BrregClient().search_enheter(navn="sesam", size=1)
    assert page["page"] == {"size": 1, "totalElements": 3, "totalPages": 3, "number": 0}
    assert len(page["_embedded"]["enheter"]) == 1
    assert {"first", "self", "next", "last"} <= set(page["_links"])
    assert "page=2" in page["_links"]["last"]["href"]


def test_search_without_hits_has_no_embedded(register_url):
    page = BrregClient().search_enheter(navn="foobarbaz")
    assert "_embedded" not in page
    assert set(page["_links"]) == {"self"}


def test_search_beyond_10000_results_is_400(register_url):
    with pytest.raises(RegisterBadRequest):
        BrregClient().search_enheter(navn="x", page=10, size=1000)


def test_update_feed_lists_changes_from_an_id_inclusive(register_url):
    unit(valid_orgnr(30), "FØRST AS")
    unit(valid_orgnr(31), "SÅ AS")
    registry.unit_change(organisasjonsnummer=valid_orgnr(30), konkurs=True)
    client = BrregClient()
    first_page = client.updates_enheter(from_id=None, since="2000-01-01T00:00:00.000Z")
    items = first_page["_embedded"]["oppdaterteEnheter"]
    assert [i["endringstype"] for i in items] == ["Ny", "Ny", "Endring"]
    later = list(client.iter_updates_enheter(from_id=items[1]["oppdateringsid"], size=1))
    assert [i["organisasjonsnummer"] for i in later] == [valid_orgnr(31), valid_orgnr(30)]
    assert later[0]["_links"]["enhet"]["href"].endswith(f"/enheter/{valid_orgnr(31)}")
