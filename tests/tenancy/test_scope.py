import pytest
from django.apps import apps

from integrations.models import Integration
from kredin.tenancy import (
    ScopeError,
    TenantManager,
    TenantModel,
    has_organization_scope,
    organization_scope,
)

pytestmark = pytest.mark.django_db


def test_query_without_scope_raises(alice_org):
    with pytest.raises(ScopeError):
        list(Integration.objects.all())


def test_scope_filters_to_its_organisation(alice_org, charlie_org):
    with organization_scope(alice_org):
        Integration.objects.create(company_name="A")
    with organization_scope(charlie_org):
        Integration.objects.create(company_name="C")
        assert [i.company_name for i in Integration.objects.all()] == ["C"]
    with organization_scope(alice_org):
        assert [i.company_name for i in Integration.objects.all()] == ["A"]


def test_creating_a_row_for_another_organisation_in_scope_is_refused(alice_org, charlie_org):
    with organization_scope(alice_org), pytest.raises(ScopeError):
        Integration.objects.create(organization=charlie_org, company_name="X")


def test_unscoped_is_the_explicit_way_across_organisations(alice_org, charlie_org):
    for org in (alice_org, charlie_org):
        with organization_scope(org):
            Integration.objects.create(company_name=org.name)
    assert Integration.objects.unscoped().count() == 2


def test_scope_is_reset_after_an_exception(alice_org):
    with pytest.raises(RuntimeError), organization_scope(alice_org):
        raise RuntimeError("boom")
    assert not has_organization_scope()


def test_saving_a_tenant_row_outside_its_scope_fails(alice_org):
    with organization_scope(alice_org):
        integration = Integration.objects.create(company_name="A")
    integration.company_name = "changed"
    with pytest.raises(ScopeError):
        integration.save()


def test_every_model_with_an_organisation_uses_the_fail_closed_manager():
    # Looked up before any organisation is in scope (log-in, API keys), each by its own key.
    exempt = {"kredin.Membership", "kredin.Invitation", "kredin.AuditEvent", "kredin.ApiToken"}
    # Support reads across organisations by nature; the stand-in membership is never stored.
    exempt |= {"support.ViewAsSession", "kredin.ViewAsMembership"}
    for model in apps.get_models():
        field_names = {f.name for f in model._meta.get_fields()}
        if "organization" not in field_names or model._meta.label in exempt:
            continue
        if model._meta.app_label.startswith("sandbox"):
            continue
        assert issubclass(model, TenantModel), model._meta.label
        assert isinstance(model._default_manager, TenantManager), model._meta.label
        assert isinstance(model._base_manager, TenantManager), model._meta.label
