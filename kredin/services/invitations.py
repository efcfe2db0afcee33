"""Inviting people by e-mail and accepting invitations."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kredin.audit import audit_record
from kredin.models import Invitation, Membership, Organization, User
from kredin.permissions import Permission, Role
from kredin.services.accounts import user_mailbox_proven
from kredin.services.common import AccountsError, require_not_staff, require_permission


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
    require_permission(actor_membership, organization, Permission.MANAGE_MEMBERS)
    if role == Role.OWNER:
        require_permission(actor_membership, organization, Permission.MANAGE_OWNERS)
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
        if invitation.role == Role.OWNER:
            # Renewing would let an admin turn an owner's invitation into a lesser one,
            # or take over a link an owner sent.
            require_permission(actor_membership, organization, Permission.MANAGE_OWNERS)
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
def invitation_resend(*, invitation: Invitation, request: HttpRequest | None = None) -> Invitation:
    """Send an open invitation again with a new token and expiry, as renewing it by
    invitation_create does (an older, forwarded link stops working); role and inviter stay.

    For Kredin's support, who are no members: the caller checks the actor is staff and
    records its own audit event with the reason, so none is written here.
    """
    invitation = (
        Invitation.objects.select_for_update().select_related("organization").get(pk=invitation.pk)
    )
    if invitation.accepted_at is not None:
        raise AccountsError(_("Invitasjonen er allerede brukt."))
    fresh = Invitation()
    invitation.token = fresh.token
    invitation.expires_at = fresh.expires_at
    invitation.save(update_fields=["token", "expires_at"])
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
    require_permission(actor_membership, organization, Permission.MANAGE_MEMBERS)
    if invitation.role == Role.OWNER:
        require_permission(actor_membership, organization, Permission.MANAGE_OWNERS)
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
    require_not_staff(user)
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
    """Someone without a usable account: create it with the invited address, then join.

    The invitation link proves the mailbox, so an unconfirmed account for the address (a
    sign-up never finished, perhaps by someone else) is confirmed and takes this password.
    """
    problem = invitation_problem(invitation=invitation)
    if problem:
        raise AccountsError(problem)
    user = User.objects.select_for_update().filter(email__iexact=invitation.email).first()
    if user is None:
        user = User.objects.create_user(
            email=invitation.email, password=password, full_name=full_name.strip()
        )
    elif user.is_unconfirmed:
        user.full_name = full_name.strip()
        user.set_password(password)
        user.save(update_fields=["full_name", "password"])
        user_mailbox_proven(user=user, how="invitation", request=request)
    else:
        raise AccountsError(_("Det finnes allerede en konto for denne e-postadressen. Logg inn."))
    return invitation_accept(invitation=invitation, user=user, request=request)
