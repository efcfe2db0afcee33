"""What every account service shares: the error people see, and the permission check."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from kredin.models import Membership, Organization, User
from kredin.permissions import Permission


class AccountsError(Exception):
    """A change that the rules forbid; the message is shown to the person as is."""


def require_not_staff(user: User) -> None:
    """Kredin's own staff are members of no customer organisation: what they see of one
    goes through the support console, with a reason in its audit log."""
    if user.is_staff:
        raise AccountsError(
            _(
                "En Kredin-ansattkonto kan ikke være medlem av en kundes organisasjon. "
                "Kundeservice ser kundens sider med «Vis som kunde»."
            )
        )


def require_permission(
    actor: Membership, organization: Organization, permission: Permission
) -> None:
    if actor.organization_id != organization.pk or not actor.has(permission):
        raise PermissionDenied
