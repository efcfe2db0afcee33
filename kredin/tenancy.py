"""Fail-closed tenancy: every tenant-owned query runs inside one organisation's scope.

`organization_scope(org)` sets the scope for a block of code (a request, a task, a test);
the `TenantManager` refuses to build a query when no scope is set, and filters by the
organisation in scope otherwise. Reaching across organisations is possible only through
the explicit, greppable `Model.objects.unscoped()`, reserved for support tools and beat
fan-out.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from kredin.models import Organization


class ScopeError(RuntimeError):
    """A tenant-owned table was queried with no organisation in scope."""


_current_organization_id: ContextVar[int | None] = ContextVar(
    "kredin_current_organization_id", default=None
)


def current_organization_id() -> int:
    organization_id = _current_organization_id.get()
    if organization_id is None:
        raise ScopeError(
            "No organisation in scope. Wrap the code in organization_scope(...) "
            "or use .objects.unscoped() deliberately."
        )
    return organization_id


def has_organization_scope() -> bool:
    return _current_organization_id.get() is not None


@contextmanager
def organization_scope(organization: Organization | int) -> Iterator[None]:
    organization_id = organization if isinstance(organization, int) else organization.pk
    if organization_id is None:
        raise ScopeError("Cannot scope to an organisation that has not been saved.")
    token = _current_organization_id.set(organization_id)
    try:
        yield
    finally:
        _current_organization_id.reset(token)


class TenantQuerySet(models.QuerySet):
    pass


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    """Default manager of tenant-owned models: filters by, and insists on, the scope."""

    def get_queryset(self) -> TenantQuerySet:
        return super().get_queryset().filter(organization_id=current_organization_id())

    def unscoped(self) -> TenantQuerySet:
        return super().get_queryset()

    def create(self, **kwargs):
        # New rows belong to the organisation in scope unless one is named explicitly;
        # naming a different one inside a scope is a bug, not a feature.
        scoped_id = current_organization_id()
        given = kwargs.get("organization")
        given_id = kwargs.get("organization_id", getattr(given, "pk", None))
        if given_id is not None and given_id != scoped_id:
            raise ScopeError("Refusing to create a row for another organisation than the scope.")
        if given is None:
            kwargs.setdefault("organization_id", scoped_id)
        return super().get_queryset().create(**kwargs)


class TenantModel(models.Model):
    """Base for every tenant-owned model."""

    organization = models.ForeignKey(
        "kredin.Organization", on_delete=models.PROTECT, related_name="+", db_index=True
    )

    objects = TenantManager()

    class Meta:
        abstract = True
        base_manager_name = "objects"
