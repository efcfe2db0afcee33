"""What every account service shares: the error people see, and the permission check."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from kredin.models import Membership, Organization
from kredin.permissions import Permission


class AccountsError(Exception):
    """A change that the rules forbid; the message is shown to the person as is."""


def require_permission(
    actor: Membership, organization: Organization, permission: Permission
) -> None:
    if actor.organization_id != organization.pk or not actor.has(permission):
        raise PermissionDenied
