"""An autopilot Kredin's support has paused sends nothing and starts nothing, like one
that is off; resumed, it works in the mode the organisation chose again."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from debt_collection.autopilot import run_day
from debt_collection.models import Case, CollectionSettings, Document, Proposal
from debt_collection.selectors.autopilot import autopilot_pause_state
from debt_collection.services.settings import (
    AutopilotPauseError,
    autopilot_pause,
    autopilot_resume,
)
from tests.debt_collection.conftest import invoice

pytestmark = pytest.mark.django_db

DUE = date(2025, 11, 20)
LATER = date(2025, 12, 10)  # well past the 7 days after due of the settings


def _run(on: date):
    with time_machine.travel(on):
        return run_day(on=on)


def test_a_paused_autopilot_sends_nothing_and_a_resumed_one_does(collections, agent):
    invoice(due=DUE, amount="10000.00")
    autopilot_pause(organization=collections, actor=agent, reason="Kunden har klaget")

    plan, applied = _run(LATER)

    assert plan.of_kind("start_case"), "the plan still shows what would happen"
    assert not Case.objects.exists()
    assert not Document.objects.exists()
    assert not applied.started

    autopilot_resume(organization=collections, actor=agent, reason="Klagen er avklart")
    _run(LATER)

    assert Case.objects.count() == 1
    assert Document.objects.exists()


def test_a_paused_autopilot_in_suggest_mode_makes_no_proposals(collections, agent):
    CollectionSettings.objects.update(autopilot="suggest")
    invoice(due=DUE, amount="10000.00")
    autopilot_pause(organization=collections, actor=agent, reason="Kunden har klaget")

    _run(LATER)

    assert not Proposal.objects.exists()
    autopilot_resume(organization=collections, actor=agent, reason="Klagen er avklart")
    _run(LATER)
    assert Proposal.objects.exists()


def test_the_pause_is_recorded_and_cleared(collections, agent):
    paused = autopilot_pause(organization=collections, actor=agent, reason="  Ser på en feil  ")

    assert paused.autopilot == "automatic", "the chosen mode is kept"
    state = autopilot_pause_state(organization=collections)
    assert state.reason == "Ser på en feil"
    assert state.paused_by == agent.email
    with pytest.raises(AutopilotPauseError):
        autopilot_pause(organization=collections, actor=agent, reason="En gang til")

    autopilot_resume(organization=collections, actor=agent, reason="Ferdig med feilen")

    assert autopilot_pause_state(organization=collections) is None
    row = CollectionSettings.objects.get()
    assert (row.autopilot_paused_reason, row.autopilot_paused_by) == ("", None)
    with pytest.raises(AutopilotPauseError):
        autopilot_resume(organization=collections, actor=agent, reason="Ikke på pause")


def test_an_organisation_without_settings_can_be_paused(alice_org, agent, in_alice_scope):
    autopilot_pause(organization=alice_org, actor=agent, reason="Kunden har klaget")

    assert CollectionSettings.objects.get().autopilot_paused_at is not None


@pytest.fixture
def agent(django_user_model):
    return django_user_model.objects.create_user(
        email="agent@kredin.no", password="x" * 20, is_staff=True, full_name="Siri Support"
    )
