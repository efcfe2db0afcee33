"""Satser og regler: the figures in force and their history, and a stale table noticed."""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from kredin.clock import OSLO

pytestmark = pytest.mark.django_db


def _page(client, org):
    return client.get(reverse("org-rules", kwargs={"org_slug": org.slug}))


def _at(day: str):
    return time_machine.travel(datetime.fromisoformat(day).replace(hour=12, tzinfo=OSLO))


def test_the_page_shows_todays_figures_with_sources_and_unverified_marks(
    client_for, erin, alice_org
):
    with _at("2025-08-01"):
        response = _page(client_for(erin), alice_org)  # read-only members may look

    html = response.content.decode()
    assert response.status_code == 200
    assert "Forsinkelsesrente" in html and "Inkassosatsen" in html and "Rettsgebyret (R)" in html
    assert "ikke verifisert" in html
    assert "FOR-" in html  # sources are shown
    assert 'aria-current="true"' in html  # the rows in force are marked
    assert "har ingen ikrafttredelsesdato ennå" in html
    assert "Satstabellen er ikke oppdatert" not in html


def test_a_half_year_without_its_rate_is_shown_on_the_page_and_in_healthz(
    client_for, alice, alice_org, client
):
    with _at("2027-01-02"):
        page = _page(client_for(alice), alice_org).content.decode()
        health = client.get("/healthz").json()

    assert "Satstabellen er ikke oppdatert" in page
    rules = health["details"]["rules"]
    assert rules["status"] == "attention"
    assert {"late_interest", "b2b_compensation", "court_fee_unit"} <= {
        missing["table"] for missing in rules["missing"]
    }


def test_healthz_says_ok_when_the_table_is_current(client):
    with _at("2025-08-01"):
        assert client.get("/healthz").json()["details"]["rules"] == {"status": "ok"}


def test_a_new_rates_file_is_a_data_change(client_for, alice, alice_org, settings, tmp_path):
    """The new Act's in-force date set in a copy of the file, named by KREDIN_RULES_FILE."""
    copy = tmp_path / "rates.toml"
    shutil.copy(settings.KREDIN_RULES_FILE, copy)
    text = copy.read_text()
    assert 'in_force = ""' in text
    copy.write_text(text.replace('in_force = ""', "in_force = 2027-01-01"))
    settings.KREDIN_RULES_FILE = str(copy)

    html = _page(client_for(alice), alice_org).content.decode()

    assert "trer i kraft 1. januar 2027" in html


def test_charlie_cannot_see_alices_settings(client_for, charlie, alice_org):
    assert _page(client_for(charlie), alice_org).status_code == 404


def test_the_page_and_its_reasons_are_english_for_an_english_reader(client_for, alice, alice_org):
    with _at("2027-01-02"):
        client = client_for(alice)  # logged in on that day, so the session is fresh
        client.cookies["django_language"] = "en"
        html = _page(client, alice_org).content.decode()

    assert "Rates and rules" in html and "Late-payment interest" in html
    assert "The rate table is not up to date" in html
