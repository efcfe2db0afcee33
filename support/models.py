"""What support owns: the view-as sessions (who looked at which organisation, and why)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ViewAsEnd(models.TextChoices):
    ENDED = "ended", _("Avsluttet av supportagenten")
    EXPIRED = "expired", _("Utløpt")
    LOGGED_OUT = "logged_out", _("Logget ut")
    REPLACED = "replaced", _("Erstattet av en ny visning")


class ViewAsSession(models.Model):
    """A support agent looking at one organisation as its people see it, read-only.

    Read across organisations by support only; the organisation's owners read the same in
    their audit log (started and ended, with the reason).
    """

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "kredin.Organization", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("begrunnelse"))
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_how = models.CharField(max_length=12, choices=ViewAsEnd.choices, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["staff", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.staff_id} as {self.organization_id} from {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None and self.expires_at > timezone.now()
