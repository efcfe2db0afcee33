"""Creating and renaming organisations."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kredin.audit import audit_record
from kredin.identifiers import normalize_organization_number, validate_organization_number
from kredin.models import Membership, Organization, User
from kredin.permissions import Permission, Role
from kredin.services.common import AccountsError, require_not_staff, require_permission

_SLUG_MAX = 60


def organization_number_taken_message() -> str:
    # Says that the number is in use, never by whom: the way in is an owner's invitation.
    return _(
        "Dette organisasjonsnummeret er allerede registrert i Kredin. "
        "Be en eier av organisasjonen om en invitasjon."
    )


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
    require_not_staff(owner)
    number = normalize_organization_number(organization_number)
    validate_organization_number(number)
    organization = Organization(
        name=name.strip(),
        organization_number=number,
        slug=organization_slug_generate(name=name),
    )
    if Organization.objects.filter(organization_number=number).exists():
        raise AccountsError(organization_number_taken_message())
    organization.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError as exc:
        # Two sign-ups for one number at the same moment: the second gets the same answer.
        raise AccountsError(organization_number_taken_message()) from exc
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
def organization_update(
    *,
    organization: Organization,
    actor_membership: Membership,
    name: str,
    request: HttpRequest | None = None,
) -> Organization:
    require_permission(actor_membership, organization, Permission.MANAGE_SETTINGS)
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
