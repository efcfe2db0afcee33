"""Writes about organisations and people: sign-up, invitations, memberships, settings.

Every change is checked against the acting membership's permissions here, not only in
the views, and every change leaves an audit event (with the request's IP where there is
a request).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kredin.audit import audit_record
from kredin.identifiers import normalize_organization_number, validate_organization_number
from kredin.models import Invitation, Membership, Organization, User
from kredin.permissions import Permission, Role

_SLUG_MAX = 60


class AccountsError(Exception):
    """A change that the rules forbid; the message is shown to the person as is."""


# --- Organisations ----------------------------------------------------------------------


def organization_slug_generate(*, name: str) -> str:
    """A unique slug from the name: `acme`, then `acme-2`, `acme-3` ... on clashes."""
    base = slugify(name)[: _SLUG_MAX - 4].strip("-") or "org"
    slug = base
    suffix = 2
    while Organization.objects.filter(slug=slug).exists():
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug


@transaction.atomic
def organization_create(
    *,
    name: str,
    organization_number: str,
    owner: User,
    request: HttpRequest | None = None,
) -> Organization:
    number = normalize_organization_number(organization_number)
    validate_organization_number(number)
    organization = Organization(
        name=name.strip(),
        organization_number=number,
        slug=organization_slug_generate(name=name),
    )
    organization.full_clean()
    organization.save()
    membership = Membership.objects.create(
        organization=organization, user=owner, role=Role.OWNER, may_sign_legal_documents=True
    )
    audit_record(
        action="organization.created",
        organization=organization,
        actor=owner,
        target=organization,
        details={"name": organization.name, "organization_number": number},
        request=request,
    )
    audit_record(
        action="membership.joined",
        organization=organization,
        actor=owner,
        target=membership,
        details={"email": owner.email, "role": Role.OWNER.value},
        request=request,
    )
    return organization


@transaction.atomic
def user_signup(
    *,
    organization_name: str,
    organization_number: str,
    full_name: str,
    email: str,
    password: str,
    request: HttpRequest | None = None,
) -> Membership:
    """A new person and the organisation they own. Logging in is the caller's job."""
    user = User.objects.create_user(email=email, password=password, full_name=full_name.strip())
    organization = organization_create(
        name=organization_name,
        organization_number=organization_number,
        owner=user,
        request=request,
    )
    return Membership.objects.select_related("user", "organization").get(
        organization=organization, user=user
    )


@transaction.atomic
def organization_update(
    *,
    organization: Organization,
    actor_membership: Membership,
    name: str,
    request: HttpRequest | None = None,
) -> Organization:
    _require(actor_membership, organization, Permission.MANAGE_SETTINGS)
    changes = {}
    name = name.strip()
    if name != organization.name:
        changes["name"] = {"old": organization.name, "new": name}
        organization.name = name
    if not changes:
        return organization
    organization.full_clean()
    organization.save(update_fields=list(changes))
    audit_record(
        action="organization.updated",
        organization=organization,
        actor=actor_membership.user,
        target=organization,
        details=changes,
        request=request,
    )
    return organization


# --- Invitations ------------------------------------------------------------------------


def _invitation_url(invitation: Invitation, request: HttpRequest | None) -> str:
    path = reverse("invitation-accept", kwargs={"token": invitation.token})
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path


def _invitation_send(invitation: Invitation, url: str) -> None:
    context = {"invitation": invitation, "organization": invitation.organization, "url": url}
    subject = render_to_string("emails/invitation_subject.txt", context).strip()
    body = render_to_string("emails/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def invitation_create(
    *,
    organization: Organization,
    actor_membership: Membership,
    email: str,
    role: Role | str,
    request: HttpRequest | None = None,
) -> Invitation:
    """Invite someone by e-mail; inviting the same address again renews the invitation."""
    role = Role(role)
    _require(actor_membership, organization, Permission.MANAGE_MEMBERS)
    if role == Role.OWNER:
        _require(actor_membership, organization, Permission.MANAGE_OWNERS)
    email = User.objects.normalize_email(email).strip().lower()
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise AccountsError(_("%(email)s er allerede medlem.") % {"email": email})
    invitation = (
        Invitation.objects.select_for_update()
        .filter(organization=organization, email=email, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        invitation = Invitation(organization=organization, email=email)
    else:
        # A renewed invitation gets a new token so an older, forwarded link stops working.
        fresh = Invitation()
        invitation.token = fresh.token
        invitation.expires_at = fresh.expires_at
    invitation.role = role.value
    invitation.invited_by = actor_membership.user
    invitation.save()
    audit_record(
        action="membership.invited",
        organization=organization,
        actor=actor_membership.user,
        target=invitation,
        details={"email": email, "role": role.value},
        request=request,
    )
    url = _invitation_url(invitation, request)
    transaction.on_commit(lambda: _invitation_send(invitation, url))
    return invitation


@transaction.atomic
def invitation_revoke(
    *,
    invitation: Invitation,
    actor_membership: Membership,
    request: HttpRequest | None = None,
) -> None:
    """Withdraw an open invitation; its link stops working at once."""
    organization = invitation.organization
    _require(actor_membership, organization, Permission.MANAGE_MEMBERS)
    if invitation.role == Role.OWNER:
        _require(actor_membership, organization, Permission.MANAGE_OWNERS)
    if invitation.accepted_at is not None:
        raise AccountsError(_("Invitasjonen er allerede brukt."))
    audit_record(
        action="membership.invitation_revoked",
        organization=organization,
        actor=actor_membership.user,
        target=invitation,
        details={"email": invitation.email, "role": invitation.role},
        request=request,
    )
    invitation.delete()


def invitation_problem(*, invitation: Invitation) -> str | None:
    """Why the invitation cannot be used, in words for the person holding the link."""
    if invitation.accepted_at is not None:
        return _("Denne invitasjonen er allerede brukt.")
    if invitation.expires_at <= timezone.now():
        return _("Denne invitasjonen har utløpt. Be om en ny invitasjon.")
    return None


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User, request: HttpRequest | None = None
) -> Membership:
    # Lock the row so a double click cannot create two memberships.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = invitation_problem(invitation=invitation)
    if problem:
        raise AccountsError(problem)
    if user.email.lower() != invitation.email.lower():
        raise AccountsError(_("Denne invitasjonen gjelder en annen e-postadresse."))
    organization = invitation.organization
    if Membership.objects.filter(organization=organization, user=user).exists():
        raise AccountsError(_("Du er allerede medlem av %(org)s.") % {"org": organization.name})
    membership = Membership.objects.create(
        organization=organization,
        user=user,
        role=invitation.role,
        may_sign_legal_documents=invitation.role == Role.OWNER,
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        action="membership.joined",
        organization=organization,
        actor=user,
        target=membership,
        details={"email": user.email, "role": invitation.role, "invitation": invitation.pk},
        request=request,
    )
    return membership


@transaction.atomic
def invitation_accept_new_user(
    *,
    invitation: Invitation,
    full_name: str,
    password: str,
    request: HttpRequest | None = None,
) -> Membership:
    """Someone without an account: create it with the invited address, then join."""
    problem = invitation_problem(invitation=invitation)
    if problem:
        raise AccountsError(problem)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise AccountsError(_("Det finnes allerede en konto for denne e-postadressen. Logg inn."))
    user = User.objects.create_user(
        email=invitation.email, password=password, full_name=full_name.strip()
    )
    return invitation_accept(invitation=invitation, user=user, request=request)


# --- Memberships ------------------------------------------------------------------------


def _require(actor: Membership, organization: Organization, permission: Permission) -> None:
    if actor.organization_id != organization.pk or not actor.has(permission):
        raise PermissionDenied


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
    _require(actor_membership, organization, Permission.MANAGE_MEMBERS)
    if Role.OWNER in (role, membership.role):
        _require(actor_membership, organization, Permission.MANAGE_OWNERS)
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
    _require(actor_membership, organization, Permission.MANAGE_MEMBERS)
    if membership.role == Role.OWNER:
        _require(actor_membership, organization, Permission.MANAGE_OWNERS)
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
    _require(actor_membership, organization, Permission.GRANT_SIGNING)
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


# --- API access -------------------------------------------------------------------------


@transaction.atomic
def api_token_rotate(
    *, user: User, organization: Organization, request: HttpRequest | None = None
) -> str:
    """Replace the person's API token with a new one and return it (shown once)."""
    from rest_framework.authtoken.models import Token

    replaced = Token.objects.filter(user=user).delete()[0] > 0
    token = Token.objects.create(user=user)
    audit_record(
        action="api_token.rotated" if replaced else "api_token.created",
        organization=organization,
        actor=user,
        request=request,
    )
    return token.key


@transaction.atomic
def api_token_revoke(
    *, user: User, organization: Organization, request: HttpRequest | None = None
) -> None:
    from rest_framework.authtoken.models import Token

    if Token.objects.filter(user=user).delete()[0]:
        audit_record(
            action="api_token.revoked", organization=organization, actor=user, request=request
        )
