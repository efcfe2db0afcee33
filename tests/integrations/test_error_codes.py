"""A failure is stored as a code and worded in the reader's language when shown."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from integrations.errors import INTEGRATION_ERRORS
from integrations.models import SyncStatus
from kredin.tenancy import organization_scope
from tests.factories import IntegrationFactory, SyncRunFactory

pytestmark = pytest.mark.django_db


def test_a_stored_code_is_worded_in_the_active_language():
    with translation.override("nb"):
        norwegian = INTEGRATION_ERRORS.message("unreachable", {"attempts": 6})
    with translation.override("en"):
        english = INTEGRATION_ERRORS.message("unreachable", {"attempts": 6})

    assert norwegian.startswith("Kunne ikke nå Business NXT etter 6 forsøk")
    assert english.startswith("Could not reach Business NXT after 6 attempts")


def test_an_unknown_code_or_missing_parameter_never_breaks_a_page():
    with translation.override("nb"):
        assert "mystery" in INTEGRATION_ERRORS.message("mystery")
        assert INTEGRATION_ERRORS.message("unreachable", {}).startswith("Kunne ikke")
        assert INTEGRATION_ERRORS.message("") == ""


def test_the_sync_page_shows_a_failure_recorded_earlier_in_english(client_for, alice, alice_org):
    with organization_scope(alice_org):
        integration = IntegrationFactory()
        run = SyncRunFactory(
            integration=integration,
            status=SyncStatus.FAILED,
            error_code="unreachable",
            error_params={"attempts": 6},
        )
    client = client_for(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse(
        "integrations:sync-run",
        kwargs={"org_slug": alice_org.slug, "integration_id": integration.pk, "run_id": run.pk},
    )

    html = client.get(url).content.decode()

    assert "Could not reach Business NXT after 6 attempts" in html
    assert "Kunne ikke nå" not in html
