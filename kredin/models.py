"""Organisations, people and the audit log."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kredin.identifiers import validate_organization_number
from kredin.permissions import Permission, Role, permissions_for
from kredin.tenancy import TenantModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        """An account made by someone trusted (an admin, a command) counts as confirmed;
        self-service sign-up passes is_active=False and no confirmation time."""
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        if extra.get("is_active", True):
            extra.setdefault("email_confirmed_at", timezone.now())
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("email_confirmed_at", timezone.now())
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in with an e-mail address."""

    username = None
    email = models.EmailField(_("e-post"), unique=True)
    full_name = models.CharField(_("navn"), max_length=200, blank=True)
    # Empty until the person proves the mailbox (a confirmation, reset or invitation link).
    # Inactive with a confirmation time means deactivated; inactive without one, unconfirmed.
    email_confirmed_at = models.DateTimeField(_("e-post bekreftet"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    def __str__(self) -> str:
        return self.full_name or self.email

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._stored_is_active = user.is_active
        return user

    @property
    def is_unconfirmed(self) -> bool:
        return not self.is_active and self.email_confirmed_at is None

    def save(self, *args, **kwargs):
        # Every way a password changes (reset, change, admin, manage.py) and every way an
        # account is deactivated ends here, so this is the one place their API tokens die.
        password_changed = self._password is not None and self.pk is not None
        deactivated = getattr(self, "_stored_is_active", False) and not self.is_active
        super().save(*args, **kwargs)
        self._stored_is_active = self.is_active
        if password_changed or deactivated:
            from kredin.services.api_tokens import api_tokens_revoke_for_user

            api_tokens_revoke_for_user(
                user=self, reason="password_changed" if password_changed else "deactivated"
            )


class PendingSignup(models.Model):
    """The organisation a new, unconfirmed account asked for; created on confirmation.

    Kept apart from Organization so an unconfirmed sign-up claims no organisation number.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_signup"
    )
    organization_name = models.CharField(max_length=200)
    organization_number = models.CharField(max_length=9, validators=[validate_organization_number])
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.organization_name} ({self.organization_number}) for {self.user}"


class Organization(models.Model):
    """A creditor: the tenant that owns every ledger row, case and integration."""

    name = models.CharField(_("navn"), max_length=200)
    organization_number = models.CharField(
        _("organisasjonsnummer"),
        max_length=9,
        unique=True,
        validators=[validate_organization_number],
    )
    slug = models.SlugField(max_length=60, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=[(r.value, r.name) for r in Role])
    may_sign_legal_documents = models.BooleanField(
        _("kan signere rettslige dokumenter"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_for(
            role=self.role,
            may_sign=self.may_sign_legal_documents or self.role == Role.OWNER,
        )

    def has(self, permission: Permission) -> bool:
        return permission in self.permissions


class ViewAsMembership(Membership):
    """What a support agent viewing as the customer is in the organisation: never saved.

    May read what an owner may read (the audit log included) and may do nothing else; the
    support app's middleware also refuses every write while a view-as session lasts.
    """

    class Meta:
        proxy = True

    def save(self, *args, **kwargs):
        raise PermissionError("A view-as membership is never stored.")

    @property
    def permissions(self) -> frozenset[Permission]:
        return VIEW_AS_PERMISSIONS


VIEW_AS_PERMISSIONS = frozenset({Permission.VIEW, Permission.VIEW_AUDIT_LOG})


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=[(r.value, r.name) for r in Role])
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=models.Q(accepted_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class ApiToken(models.Model):
    """A personal API key for one organisation. Only its SHA-256 is stored.

    The key itself is shown once, when it is made; the prefix lets people tell keys apart.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="api_tokens"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("navn"), max_length=100)
    prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "user"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # The one change allowed: forgetting a deleted person (actor_label keeps the name).
        if kwargs == {"actor": None}:
            return super().update(**kwargs)
        raise PermissionError("Audit events are append-only.")

    def delete(self):
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    """Append-only: who did what, where and when. Never edited, never deleted."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        # Related access and the admin go through the append-only queryset too.
        base_manager_name = "objects"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_label or '—'}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only.")


class NotificationKind(models.TextChoices):
    """What a notification is about; the audience and the text follow from the kind."""

    LEGAL_STEP_POSSIBLE = "legal_step_possible", _("Rettslig skritt er mulig")
    SIGNATURE_AWAITED = "signature_awaited", _("Dokument venter på signatur")
    DELIVERY_FAILED = "delivery_failed", _("Brev kom ikke fram")
    VOUCHER_FAILED = "voucher_failed", _("Bilag kunne ikke føres")
    INTEGRATION_RECONNECT = "integration_reconnect", _("Integrasjonen må kobles til på nytt")
    SYNC_FAILING = "sync_failing", _("Synkroniseringen feiler")
    REGISTER_FLAG = "register_flag", _("Nytt registerflagg på skyldner")
    OBJECTION_RECEIVED = "objection_received", _("Innsigelse mottatt")
    LIMITATION_WARNING = "limitation_warning", _("Kravet nærmer seg foreldelse")


class NotificationEmail(models.TextChoices):
    """Where a notification's e-mail stands. `sending` is set before SMTP is asked, so a
    crash in between leaves the row there and it is never sent twice."""

    SKIPPED = "skipped", _("Ikke sendt (av)")
    PENDING = "pending", _("Venter")
    DIGEST = "digest", _("I daglig sammendrag")
    SENDING = "sending", _("Sendes")
    SENT = "sent", _("Sendt")
    FAILED = "failed", _("Feilet")


class Notification(TenantModel):
    """One thing one member should know about, in-app and perhaps by e-mail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(
        max_length=10, choices=NotificationEmail.choices, default=NotificationEmail.PENDING
    )
    # When the e-mail was handed to SMTP; `email_in_digest` tells a digest from a single.
    email_at = models.DateTimeField(null=True, blank=True)
    email_in_digest = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "user", "-created_at"]),
            models.Index(fields=["user", "email_state"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "key", "user"],
                condition=~models.Q(key=""),
                name="one_notification_per_key_and_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id}"


class NotificationPreference(models.Model):
    """A person's choice to get (or not) e-mail for one kind; no row means yes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_user_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {'e-post' if self.email else '—'}"


class SupportNote(TenantModel):
    """Something a customer chose to share with Kredin's support, such as an integration's
    last error. Written from what the product knows, never with a secret in it."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    topic = models.CharField(max_length=40)
    subject = models.CharField(max_length=200)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.topic}: {self.subject}"
