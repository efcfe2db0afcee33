"""One search box across every organisation: who, which company, which invoice, which case.

Each kind is one query (users two: the people, then their memberships), capped, so the
number of queries stays the same however many rows match. Tenant tables are read with
`.unscoped()` on purpose: support looks across organisations, and every hit carries the
organisation it belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from debt_collection.models import Case
from integrations.models import Integration
from kredin.models import Membership, Organization, User
from ledger.models import Customer, OpenItem
from support.models import ViewAsSession

LIMIT = 20

# "S-123" is how a case number is written on letters and pages.
_CASE_NUMBER = re.compile(r"^(?:s-?)?(\d{1,9})$", re.IGNORECASE)


@dataclass
class SearchResults:
    query: str = ""
    organizations: list[Organization] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    customers: list[Customer] = field(default_factory=list)
    open_items: list[OpenItem] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    integrations: list[Integration] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.organizations,
                self.users,
                self.customers,
                self.open_items,
                self.cases,
                self.integrations,
            )
        )


def support_search(*, query: str, limit: int = LIMIT) -> SearchResults:
    query = query.strip()
    results = SearchResults(query=query)
    if not query:
        return results
    # Longer digit strings (a KID) would overflow the bigint columns compared with `number`.
    number = int(query) if query.isdigit() and len(query) <= 18 else None
    case_match = _CASE_NUMBER.match(query)

    results.organizations = list(
        Organization.objects.filter(
            Q(name__icontains=query) | Q(organization_number=query) | Q(slug__icontains=query)
        ).order_by("name")[:limit]
    )
    results.users = list(
        User.objects.filter(Q(email__icontains=query) | Q(full_name__icontains=query))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("organization").order_by(
                    "organization__name"
                ),
            )
        )
        .order_by("email")[:limit]
    )
    customer_match = Q(name__icontains=query) | Q(external_id=query) | Q(organization_number=query)
    if number is not None:
        customer_match |= Q(customer_no=number)
    results.customers = list(
        Customer.objects.unscoped()
        .filter(customer_match)
        .select_related("organization")
        .order_by("name", "id")[:limit]
    )
    results.open_items = list(
        OpenItem.objects.unscoped()
        .filter(Q(invoice_no=query) | Q(kid=query))
        .select_related("organization", "customer")
        .order_by("-due_date", "-id")[:limit]
    )
    if case_match:
        results.cases = list(
            Case.objects.unscoped()
            .filter(number=int(case_match.group(1)))
            .select_related("organization", "customer")
            .order_by("organization__name")[:limit]
        )
    if number is not None:
        results.integrations = list(
            Integration.objects.unscoped()
            .filter(visma_company_id=number)
            .select_related("organization")
            .order_by("organization__name", "id")[:limit]
        )
    return results


def recent_view_as_sessions(*, limit: int = 10) -> list[ViewAsSession]:
    """Who looked at which organisation as the customer lately, and why."""
    return list(ViewAsSession.objects.select_related("staff", "organization")[:limit])
