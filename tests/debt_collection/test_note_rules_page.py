"""Satser og regler and the two notes: the page lists the rates file's tables, not the step
catalogue, so the restnota and rentenota show there only as their minimum deadlines."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from kredin.clock import OSLO

pytestmark = pytest.mark.django_db


def _page(client_for, alice, alice_org) -> str:
    with time_machine.travel(datetime(2026, 3, 2, 12, tzinfo=OSLO)):
        response = client_for(alice).get(reverse("org-rules", kwargs={"org_slug": alice_org.slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_notes_minimum_deadlines_are_on_the_page_with_their_source(
    client_for, alice, alice_org
):
    html = _page(client_for, alice, alice_org)

    for letter_type, name in (("remainder_note", "restnota"), ("interest_note", "rentenota")):
        assert f'id="minimum_deadlines-{letter_type}"' in html
        assert f"no statute governs a {name}" in html
    assert html.count("Not a legal minimum: practice, not statute.") == 2


def test_the_page_lists_no_steps_so_the_notes_are_not_shown_as_steps(
    client_for, alice, alice_org
):
    html = _page(client_for, alice, alice_org)

    assert "Statement of remaining balance" not in html
    assert "Statement of late-payment interest" not in html


def test_the_notes_minimum_deadlines_are_headed_by_their_names(client_for, alice, alice_org):
    html = _page(client_for, alice, alice_org)

    assert "Minste betalingsfrister: Restnota" in html
    assert "Minste betalingsfrister: Rentenota" in html
