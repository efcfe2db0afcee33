"""The support search finds organisations by every handle a caller may give, and names
the organisation of every hit; only verified staff may search."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kredin.models import User
from kredin.views.second_factor import second_factor_url
from support.selectors.search import support_search
from tests.support.builders import customer_item_and_case, integration_with_credential

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_rows(alice_org, alice):
    integration = integration_with_credential(alice_org, visma_company_id=3141592)
    return customer_item_and_case(
        alice_org,
        integration=integration,
        invoice_no="INV-20417",
        kid="00123456789012",
        case_number=4242,
        name="Fjordkraft Rør AS",
    )


def _found_orgs(results, kind: str) -> set[int]:
    return {row.organization_id for row in getattr(results, kind)}


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("INV-20417", "open_items"),
        ("00123456789012", "open_items"),
        ("4242", "cases"),
        ("S-4242", "cases"),
        ("3141592", "integrations"),
        ("fjordkraft", "customers"),
        ("50000", "customers"),
    ],
)
def test_it_finds_the_organisation_by_tenant_rows(alice_rows, alice_org, charlie_org, query, kind):
    customer_item_and_case(charlie_org, n=1)  # another organisation's rows stay out
    results = support_search(query=query)
    assert _found_orgs(results, kind) == {alice_org.pk}


def test_it_finds_organisations_and_people(alice_org, alice, charlie_org):
    results = support_search(query="923609016")
    assert [o.pk for o in results.organizations] == [alice_org.pk]
    results = support_search(query="ALICE@example")
    assert [u.pk for u in results.users] == [alice.pk]
    assert [m.organization_id for m in results.users[0].memberships.all()] == [alice_org.pk]
    assert [o.pk for o in support_search(query="charlie-bygg").organizations] == [charlie_org.pk]


def test_a_person_without_an_organisation_is_found_too(db):
    User.objects.create_user(email="lonely@example.no", password="x")
    [person] = support_search(query="lonely").users
    assert list(person.memberships.all()) == []


def test_an_empty_query_finds_nothing_without_asking(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        assert support_search(query="  ").is_empty


def test_the_query_count_does_not_grow_with_hits(
    alice_org, charlie_org, alice, bob, charlie, django_assert_max_num_queries
):
    integration = integration_with_credential(alice_org)
    for n in range(6):
        customer_item_and_case(alice_org, n=n, integration=integration, name=f"Bygg {n} AS")
        customer_item_and_case(charlie_org, n=n + 10, name=f"Bygg {n + 10} AS")
    with django_assert_max_num_queries(8):
        results = support_search(query="bygg")
        names = [(c.name, c.organization.name) for c in results.customers]
        people = [[m.organization.name for m in u.memberships.all()] for u in results.users]
    assert len(names) == 12
    assert people == []  # nobody is called "bygg"; charlie's org name is not a person
    with django_assert_max_num_queries(8):
        results = support_search(query="example.no")
        people = [[m.organization.name for m in u.memberships.all()] for u in results.users]
    assert len(people) == 3


def test_the_page_lists_hits_with_links_to_the_organisation(agent_client, alice_rows, alice_org):
    response = agent_client.get(reverse("support:home"), {"q": "INV-20417"})
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("support:organization", kwargs={"organization_id": alice_org.pk}) in html
    assert "Alice Rørlegger AS" in html


def test_the_page_links_people_to_their_page(agent_client, alice):
    html = agent_client.get(reverse("support:home"), {"q": "alice@"}).content.decode()
    assert reverse("support:user", kwargs={"user_id": alice.pk}) in html


def test_the_page_says_when_nothing_matches(agent_client):
    response = agent_client.get(reverse("support:home"), {"q": "finnes-ikke-noe-sted"})
    assert "Ingen treff" in response.content.decode()


def test_the_empty_page_has_one_focused_search_box(agent_client):
    html = agent_client.get(reverse("support:home")).content.decode()
    assert html.count('name="q"') == 1
    assert "autofocus" in html
    assert "Ingen treff" not in html


def test_customers_get_404(client_for, alice):
    response = client_for(alice).get(reverse("support:home"), {"q": "alice"})
    assert response.status_code == 404


def test_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("support:home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_staff_without_the_code_are_sent_to_the_code_step(unverified_agent_client):
    response = unverified_agent_client.get(reverse("support:home"))
    assert response.status_code == 302
    assert response["Location"] == second_factor_url(reverse("support:home"))
