"""Who is calling (from the validated token) and which companies that principal may use."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from graphql import GraphQLError

from sandbox.models import ConnectClient, SandboxUser, VismaCompany, VismaCustomer


@dataclass
class Principal:
    user: SandboxUser | None = None
    client: ConnectClient | None = None

    def customers(self) -> QuerySet[VismaCustomer]:
        if self.user is not None:
            return self.user.customers.all()
        if self.client is not None:
            return self.client.service_customers.all()
        return VismaCustomer.objects.none()

    def companies(self) -> QuerySet[VismaCompany]:
        return VismaCompany.objects.filter(customer__in=self.customers())


@dataclass
class RequestContext:
    principal: Principal
    readonly: bool
    companies: dict[int, VismaCompany | None] = field(default_factory=dict)
    # The request's operation name and the fields it runs (for faults aimed at one of them).
    targets: frozenset[str] = frozenset()

    def company(self, no: int) -> VismaCompany | None:
        if no not in self.companies:
            self.companies[no] = (
                self.principal.companies().select_related("customer").filter(company_no=no).first()
            )
        return self.companies[no]


@dataclass
class CompanyScope:
    """What ``useCompany(no:)`` resolves to; the check happens per table field, as in NXT."""

    no: int
    company: VismaCompany | None

    def require(self) -> VismaCompany:
        if self.company is None:
            raise GraphQLError(
                f"Error: Could not get authorize user using VismaNetCompanyId: {self.no}. "
                "Description: External integration error. Status: 18.",
                extensions={"code": "EXTERNAL_INTEGRATION_ERROR", "status": 18},
            )
        return self.company


def resolve_use_company(_root, info, no: int | None = None) -> CompanyScope:
    context: RequestContext = info.context
    return CompanyScope(no=no or 0, company=context.company(no) if no else None)
