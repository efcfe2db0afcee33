"""The move of the register options and income accounts off Integration keeps their values."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("integrations", "0001_initial"), ("brreg", "0002_customer_history_to_ledger")]
AFTER = [
    ("integrations", "0002_settings_owners_and_error_codes"),
    ("brreg", "0003_register_settings_and_error_codes"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    """Going back to 0001 also unapplies what came after (a later integrations migration,
    other apps' migrations that depend on it): apply everything again for the next tests."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.usefixtures("back_to_latest")
def test_existing_settings_are_carried_to_their_new_owners(alice_org):
    old = _migrate(BEFORE)
    Integration = old.get_model("integrations", "Integration")
    SyncRun = old.get_model("integrations", "SyncRun")
    earlier = Integration.objects.create(
        organization_id=alice_org.pk, company_no=11, register_mode="register"
    )
    latest = Integration.objects.create(
        organization_id=alice_org.pk,
        company_no=12,
        status="active",
        fee_income_account=3900,
        interest_income_account=8050,
        register_mode="ledger_only",
        register_fetch_addresses=False,
        register_update_on_exact_match=False,
        last_error="Tidsavbrudd",
    )
    SyncRun.objects.create(
        organization_id=alice_org.pk,
        integration_id=latest.pk,
        kind="full",
        trigger="manual",
        error="Kunne ikke nå Business NXT",
    )

    new = _migrate(AFTER)

    posting = new.get_model("integrations", "PostingSettings").objects
    assert posting.get(integration_id=latest.pk).fee_income_account == 3900
    assert posting.get(integration_id=latest.pk).interest_income_account == 8050
    assert posting.get(integration_id=earlier.pk).fee_income_account is None
    register = new.get_model("brreg", "RegisterSettings").objects.get(organization_id=alice_org.pk)
    assert (register.mode, register.fetch_addresses) == ("ledger_only", False)
    integration = new.get_model("integrations", "Integration").objects.get(pk=latest.pk)
    assert integration.visma_company_id == 12
    assert (integration.last_error_code, integration.last_error_params) == (
        "recorded",
        {"text": "Tidsavbrudd"},
    )
    run = new.get_model("integrations", "SyncRun").objects.get()
    assert run.error_params == {"text": "Kunne ikke nå Business NXT"}
