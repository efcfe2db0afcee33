"""On the demo's seeded and synced book, the autopilot's first day is ordinary dunning."""

from __future__ import annotations

import pytest
from django.utils import timezone

from debt_collection.autopilot.preview import preview_rows
from debt_collection.rules.steps import StepCode
from kredin.clock import today_in_norway
from kredin.tenancy import organization_scope
from sandbox.seeding import seed_company
from tests.integrations.conftest import COMPANY_NO

pytestmark = pytest.mark.django_db(transaction=True)

FIRST_STEPS = {StepCode.FRIENDLY_REMINDER, StepCode.REMINDER}


@pytest.fixture
def sandbox_company(transactional_db):
    """The demo's seed (demo_setup's defaults) instead of the integration tests' one."""
    return seed_company(
        customers=40, invoices=200, seed=1, today=timezone.localdate(), company_no=COMPANY_NO
    ).company


def test_first_day_on_the_demo_book_sends_reminders_and_no_legal_step(
    sandbox_integration, collections
):
    sandbox_integration.sync(kind="full")
    with organization_scope(collections):
        today, _coming = preview_rows(on=today_in_norway(), lang="nb")
    kinds = {row["action"].kind for row in today}
    steps = {row["action"].step for row in today if row["action"].step}
    assert "start_case" in kinds or "send_step" in kinds
    assert "legal_step" not in kinds
    assert steps
    assert steps <= FIRST_STEPS
