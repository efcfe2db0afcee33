"""Sign-up that proves the e-mail address, and confirming it.

A sign-up makes an inactive account and remembers the organisation it asked for
(`PendingSignup`); nothing else exists until the link sent to the address is opened
and the password chosen at sign-up is given again. Both halves are needed: the link proves
the mailbox, the password proves it is the same person who signed up, so someone who signs
up with another person's address can never finish. The answer to a sign-up is the same
whether or not the address already has an account; what differs is the e-mail that goes
to the address.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext as _

from kredin.audit import audit_record
from kredin.identifiers import normalize_organization_number, validate_organization_number
from kredin.models import Organization, PendingSignup, User
from kredin.services.common import AccountsError
from kredin.services.organizations import organization_create


class EmailConfirmationTokens(PasswordResetTokenGenerator):
    """Signed, expiring, single-use: the hash covers the state a confirmation changes."""

    key_salt = "kredin.services.accounts.EmailConfirmationTokens"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        confirmed = user.email_confirmed_at.isoformat() if user.email_confirmed_at else ""
        return f"{user.pk}{user.password}{user.email}{user.is_active}{confirmed}{timestamp}"

    def check_token(self, user: User | None, token: str | None) -> bool:
        if not super().check_token(user, token):
            return False
        try:
            issued = base36_to_int(token.partition("-")[0])
        except ValueError:
            return False
        age = self._num_seconds(self._now()) - issued
        return age <= settings.KREDIN_EMAIL_CONFIRMATION_TIMEOUT


email_confirmation_tokens = EmailConfirmationTokens()


def _absolute(path: str, request: HttpRequest | None) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path


def email_confirmation_url(*, user: User, request: HttpRequest | None = None) -> str:
    path = reverse(
        "email-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": email_confirmation_tokens.make_token(user),
        },
    )
    return _absolute(path, request)


def _mail(*, template: str, to: str, context: dict) -> None:
    subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
    body = render_to_string(f"emails/{template}.txt", context)
    send_mail(subject, body, None, [to])


def _send_confirmation(user: User, request: HttpRequest | None) -> None:
    url = email_confirmation_url(user=user, request=request)
    transaction.on_commit(
        lambda: _mail(template="email_confirmation", to=user.email, context={"url": url})
    )


def _send_account_exists(user: User, request: HttpRequest | None) -> None:
    context = {
        "login_url": _absolute(reverse("login"), request),
        "reset_url": _absolute(reverse("password_reset"), request),
    }
    transaction.on_commit(lambda: _mail(template="signup_existing", to=user.email, context=context))


@transaction.atomic
def user_signup(
    *,
    organization_name: str,
    organization_number: str,
    full_name: str,
    email: str,
    password: str,
    request: HttpRequest | None = None,
) -> None:
    """Start a sign-up. Returns nothing on purpose: the caller must not tell the cases apart."""
    email = User.objects.normalize_email(email).strip().lower()
    number = normalize_organization_number(organization_number)
    validate_organization_number(number)
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is not None and not existing.is_unconfirmed:
        _send_account_exists(existing, request)
        return
    if existing is None:
        user = User.objects.create_user(
            email=email,
            password=password,
            full_name=full_name.strip(),
            is_active=False,
            email_confirmed_at=None,
        )
    else:
        # Nobody has proved this mailbox yet, so the newest sign-up replaces the older
        # one; the older link dies with the password it was signed over.
        user = existing
        user.full_name = full_name.strip()
        user.set_password(password)
        user.save(update_fields=["full_name", "password"])
    PendingSignup.objects.update_or_create(
        user=user,
        defaults={"organization_name": organization_name.strip(), "organization_number": number},
    )
    audit_record(action="auth.signup_started", actor=user, request=request)
    _send_confirmation(user, request)


def confirmation_resend(*, email: str, request: HttpRequest | None = None) -> None:
    """A fresh link for an unconfirmed account; silently nothing for any other address."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is not None and user.is_unconfirmed:
        _send_confirmation(user, request)


@dataclass(frozen=True)
class Confirmation:
    user: User
    organization: Organization | None
    problem: str = ""


def email_confirm(
    *, user: User, token: str, password: str, request: HttpRequest | None = None
) -> Confirmation:
    """Activate the account the link was sent for, and create the organisation it asked for."""
    if not user.check_password(password):
        # Outside the confirming transaction, so the failed try stays on record.
        audit_record(action="auth.confirmation_failed", actor=user, request=request)
        raise AccountsError(_("Feil passord. Bruk passordet du valgte da du registrerte deg."))
    return _email_confirm_locked(user=user, token=token, request=request)


@transaction.atomic
def _email_confirm_locked(*, user: User, token: str, request: HttpRequest | None) -> Confirmation:
    user = User.objects.select_for_update().get(pk=user.pk)
    # Checked again under the lock: two clicks at once must not both confirm.
    if not email_confirmation_tokens.check_token(user, token):
        raise AccountsError(_("Lenken er brukt, utløpt eller ugyldig. Be om en ny lenke."))
    _activate(user)
    audit_record(action="auth.email_confirmed", actor=user, request=request)
    pending = PendingSignup.objects.filter(user=user).first()
    if pending is None:
        return Confirmation(user=user, organization=None)
    pending.delete()
    try:
        organization = organization_create(
            name=pending.organization_name,
            organization_number=pending.organization_number,
            owner=user,
            request=request,
        )
    except AccountsError as error:
        # Someone registered the number since: the account stands, the organisation does not.
        return Confirmation(user=user, organization=None, problem=str(error))
    return Confirmation(user=user, organization=organization)


def _activate(user: User) -> None:
    user.is_active = True
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["is_active", "email_confirmed_at"])


def user_mailbox_proven(*, user: User, how: str, request: HttpRequest | None = None) -> None:
    """A reset or an invitation link reached the address: an unconfirmed account is now
    confirmed. Its pending organisation goes, since whoever asked for it may not be the
    person who holds the mailbox."""
    if not user.is_unconfirmed:
        return
    _activate(user)
    PendingSignup.objects.filter(user=user).delete()
    audit_record(action="auth.email_confirmed", actor=user, details={"via": how}, request=request)
