"""Personal API keys: one organisation each, stored as a hash, audited in that organisation.

A key is `kr_` and 43 random URL-safe characters (256 bits), so a plain SHA-256 is enough to
store it: there is nothing to guess that a slow hash would protect.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kredin.audit import audit_record
from kredin.models import ApiToken, Membership, Organization, User
from kredin.permissions import Permission
from kredin.services.common import AccountsError, require_permission

KEY_PREFIX = "kr_"
_SHOWN_PREFIX_LENGTH = 10
# Writing "last used" on every call would make each API read a write.
_LAST_USED_PRECISION = timedelta(minutes=5)


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, membership: Membership, name: str, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """Make a key for the member in this organisation; the key is returned once, never stored."""
    user = membership.user
    require_permission(membership, membership.organization, Permission.VIEW)
    if not user.is_active or user.email_confirmed_at is None:
        raise AccountsError(_("Bekreft e-postadressen din før du lager en API-nøkkel."))
    name = name.strip() or _("API-nøkkel")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organization=membership.organization,
        user=user,
        name=name[:100],
        prefix=key[:_SHOWN_PREFIX_LENGTH],
        key_hash=api_token_hash(key),
    )
    audit_record(
        action="api_token.created",
        organization=membership.organization,
        actor=user,
        target=token,
        details={"name": token.name, "prefix": token.prefix},
        request=request,
    )
    return token, key


@transaction.atomic
def api_token_delete(
    *, token: ApiToken, actor_membership: Membership, request: HttpRequest | None = None
) -> None:
    """A person deletes one of their own keys in the organisation they are in."""
    if token.user_id != actor_membership.user_id or (
        token.organization_id != actor_membership.organization_id
    ):
        raise AccountsError(_("Fant ikke API-nøkkelen."))
    _delete_with_audit(
        tokens=[token], actor=actor_membership.user, reason="deleted", request=request
    )


def api_tokens_revoke_for_user(
    *,
    user: User,
    reason: str,
    organization: Organization | None = None,
    request: HttpRequest | None = None,
) -> int:
    """Delete the person's keys (in one organisation, or all): when their password changes,
    their account is deactivated, or they leave an organisation."""
    tokens = ApiToken.objects.filter(user=user).select_related("organization")
    if organization is not None:
        tokens = tokens.filter(organization=organization)
    found = list(tokens)
    with transaction.atomic():
        _delete_with_audit(tokens=found, actor=user, reason=reason, request=request)
    return len(found)


def _delete_with_audit(
    *, tokens: list[ApiToken], actor: User, reason: str, request: HttpRequest | None
) -> None:
    for token in tokens:
        audit_record(
            action="api_token.revoked",
            organization=token.organization,
            actor=actor,
            target=token,
            details={"name": token.name, "prefix": token.prefix, "reason": reason},
            request=request,
        )
    ApiToken.objects.filter(pk__in=[token.pk for token in tokens]).delete()


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The live token for a presented key, or None (unknown key, or an inactive person)."""
    if not key.startswith(KEY_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "organization")
        .filter(key_hash=api_token_hash(key))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
