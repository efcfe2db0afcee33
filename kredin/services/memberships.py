"""Changing roles, removing members and granting the right to sign."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from kredin.audit import audit_record
from kredin.models import Membership, Organization
from kredin.permissions import Permission, Role
from kredin.services.api_tokens import api_tokens_revoke_for_user
from kredin.services.common import AccountsError, require_permission


def _lock_owners(organization: Organization) -> list[Membership]:
    # Locking every owner row serialises concurrent demotions, so two owners cannot
    # demote each other at the same moment and leave the organisation with none.
    return list(
        Membership.objects.select_for_update().filter(organization=organization, role=Role.OWNER)
    )


def _check_not_last_owner(membership: Membership) -> None:
    owners = _lock_owners(membership.organization)
    if membership.role == Role.OWNER and len(owners) <= 1:
        raise AccountsError(
            _("Organisasjonen må ha minst én eier. Gjør en annen person til eier først.")
        )


def _membership_label(membership: Membership) -> dict[str, str]:
    return {"email": membership.user.email}


@transaction.atomic
def membership_role_change(
    *,
    membership: Membership,
    actor_membership: Membership,
    role: Role | str,
    request: HttpRequest | None = None,
) -> Membership:
    role = Role(role)
    organization = membership.organization
    require_permission(actor_membership, organization, Permission.MANAGE_MEMBERS)
    if Role.OWNER in (role, membership.role):
        require_permission(actor_membership, organization, Permission.MANAGE_OWNERS)
    old_role = Role(membership.role)
    if old_role == role:
        return membership
    if old_role == Role.OWNER:
        _check_not_last_owner(membership)
    membership.role = role.value
    fields = ["role"]
    if role == Role.OWNER:
        membership.may_sign_legal_documents = True
        fields.append("may_sign_legal_documents")
    elif old_role == Role.OWNER or role == Role.READ_ONLY:
        # Signing is an owner's right or an owner's explicit grant; a change of role
        # away from owner (or to read-only) does not carry it along.
        membership.may_sign_legal_documents = False
        fields.append("may_sign_legal_documents")
    membership.save(update_fields=fields)
    audit_record(
        action="membership.role_changed",
        organization=organization,
        actor=actor_membership.user,
        target=membership,
        details={**_membership_label(membership), "old": old_role.value, "new": role.value},
        request=request,
    )
    return membership


@transaction.atomic
def membership_remove(
    *,
    membership: Membership,
    actor_membership: Membership,
    request: HttpRequest | None = None,
) -> None:
    organization = membership.organization
    require_permission(actor_membership, organization, Permission.MANAGE_MEMBERS)
    if membership.role == Role.OWNER:
        require_permission(actor_membership, organization, Permission.MANAGE_OWNERS)
        _check_not_last_owner(membership)
    details = {**_membership_label(membership), "role": membership.role}
    membership_id = membership.pk
    audit_record(
        action="membership.removed",
        organization=organization,
        actor=actor_membership.user,
        target=membership,
        details=details,
        request=request,
    )
    Membership.objects.filter(pk=membership_id).delete()
    # Keys act as their maker: someone who has left must not keep reaching in.
    api_tokens_revoke_for_user(
        user=membership.user, organization=organization, reason="left", request=request
    )


@transaction.atomic
def membership_signing_set(
    *,
    membership: Membership,
    actor_membership: Membership,
    may_sign: bool,
    request: HttpRequest | None = None,
) -> Membership:
    """Grant or revoke "may sign legal documents". Owners always have it."""
    organization = membership.organization
    require_permission(actor_membership, organization, Permission.GRANT_SIGNING)
    if membership.role == Role.OWNER:
        raise AccountsError(_("Eiere kan alltid signere rettslige dokumenter."))
    if may_sign and membership.role == Role.READ_ONLY:
        raise AccountsError(_("Personer med kun lesetilgang kan ikke signere. Endre rollen først."))
    if membership.may_sign_legal_documents == may_sign:
        return membership
    membership.may_sign_legal_documents = may_sign
    membership.save(update_fields=["may_sign_legal_documents"])
    audit_record(
        action="membership.signing_granted" if may_sign else "membership.signing_revoked",
        organization=organization,
        actor=actor_membership.user,
        target=membership,
        details=_membership_label(membership),
        request=request,
    )
    return membership


