"""Changing how an organisation collects: Innstillinger → Inkasso.

The rules for each field live here rather than in the form, so a change from any caller
(the page, the shell, a later API) is held to them. The form calls the same checks so
each refusal shows next to its field.
"""

from __future__ import annotations

import uuid
import warnings
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import kontonr

from debt_collection.models import CollectionSettings
from kredin.audit import audit_record
from kredin.identifiers import normalize_organization_number, valid_organization_number
from kredin.models import Membership, Organization, User
from kredin.permissions import Permission
from kredin.services.common import require_permission
from kredin.tenancy import organization_scope

# What a caller may change with `data`; the logo has its own arguments.
EDITABLE_FIELDS = (
    "autopilot",
    "sequence",
    "use_friendly_reminder",
    "use_final_notice",
    "days_after_due",
    "days_between_steps",
    "minimum_amount",
    "business_route",
    "channels",
    "remainder_note_percent",
    "interest_note",
    "tiny_remainder",
    "sender_name",
    "sender_address",
    "sender_post_code",
    "sender_city",
    "sender_organization_number",
    "bank_account",
    "sender_email",
    "sender_phone",
)

BOOLEAN_FIELDS = ("use_friendly_reminder", "use_final_notice", "interest_note")

# Codes of the refusals below are their own: a form field replaces the message of an error
# whose code it knows ("invalid", "min_value"), which would hide ours.

# Whole days and percent. Days after due may be below the law's 14 days for a fee-bearing
# letter: the planner's guardrails hold such letters back and explain why per case.
INTEGER_RANGES: dict[str, tuple[int, int]] = {
    "days_after_due": (0, 365),
    "days_between_steps": (0, 60),
    "remainder_note_percent": (1, 100),
}
# Kroner and øre, as Decimal; None means no upper limit.
MONEY_RANGES: dict[str, tuple[Decimal, Decimal | None]] = {
    "minimum_amount": (Decimal("0"), None),
    "tiny_remainder": (Decimal("0"), Decimal("500")),
}
_CENT = Decimal("0.01")

# Pillow format → (file extension we store, content type we serve). Nothing else: SVG can
# carry scripts, and every extra decoder is more parser code run on uploaded bytes.
LOGO_FORMATS: dict[str, tuple[str, str]] = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "GIF": ("gif", "image/gif"),
}
LOGO_MAX_SIDE = 2000


def integer_check(*, name: str, value: Any) -> int:
    low, high = INTEGER_RANGES[name]
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except ValueError:
            raise ValidationError(_("Skriv et helt tall."), code="not_whole_number") from None
    if not low <= value <= high:
        raise ValidationError(
            _("Skriv et tall fra %(low)s til %(high)s."),
            params={"low": low, "high": high},
            code="out_of_range",
        )
    return value


def money_check(*, name: str, value: Any) -> Decimal:
    """An amount in kroner with at most two decimals, never through float."""
    if isinstance(value, float):
        # A float has already lost the øre it was meant to carry; refuse it outright.
        raise TypeError(f"{name} must be a Decimal or a string, not float")
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(
            _("Skriv et beløp, for eksempel 49,90."), code="not_an_amount"
        ) from None
    if not amount.is_finite() or amount != amount.quantize(_CENT):
        raise ValidationError(_("Skriv et beløp med høyst to desimaler."), code="too_many_decimals")
    low, high = MONEY_RANGES[name]
    whole_digits = CollectionSettings._meta.get_field(name).max_digits - 2
    if abs(amount) >= Decimal(10) ** whole_digits:
        raise ValidationError(_("Beløpet er for stort."), code="out_of_range")
    if amount < low:
        raise ValidationError(
            _("Beløpet kan ikke være under %(low)s kr."), params={"low": low}, code="out_of_range"
        )
    if high is not None and amount > high:
        raise ValidationError(
            _("Beløpet kan ikke være over %(high)s kr."), params={"high": high}, code="out_of_range"
        )
    return amount.quantize(_CENT)


def bank_account_normalize(value: str) -> str:
    """Eleven digits with a valid MOD11 check digit, spaces and dots removed; "" stays ""."""
    number = kontonr.compact(value or "")
    if not number:
        return ""
    if len(number) != 11 or not number.isdigit():
        raise ValidationError(
            _("Et kontonummer har 11 siffer, for eksempel 1234.56.78903."), code="length"
        )
    try:
        kontonr.validate(number)
    except StdnumError:
        raise ValidationError(
            _("Kontonummeret %(value)s er ikke gyldig (kontrollsifferet stemmer ikke)."),
            params={"value": kontonr.format(number)},
            code="checksum",
        ) from None
    return number


def bank_account_format(value: str) -> str:
    """The stored eleven digits as Norwegians write them: 1234.56.78903."""
    return kontonr.format(value) if value and len(value) == 11 else value or ""


def organization_number_normalize(value: str) -> str:
    if not (value or "").strip():
        return ""
    number = valid_organization_number(value)
    if number is None:
        raise ValidationError(
            _(
                "%(value)s er ikke et gyldig organisasjonsnummer "
                "(9 siffer med gyldig kontrollsiffer)."
            ),
            params={"value": normalize_organization_number(value) or value},
            code="invalid_organization_number",
        )
    return number


def post_code_normalize(value: str) -> str:
    code = (value or "").strip()
    if code and (len(code) != 4 or not code.isdigit()):
        raise ValidationError(
            _("Et postnummer har fire siffer, for eksempel 0150."), code="post_code"
        )
    return code


def logo_check(file: UploadedFile) -> str:
    """Refuse anything but a small PNG, JPEG or GIF; the extension to store it under.

    The size is checked first, before a byte is decoded. The file is rewound afterwards.
    """
    limit = settings.KREDIN_LOGO_MAX_BYTES
    if file.size is None or file.size > limit:
        raise ValidationError(
            _("Logoen er for stor: høyst %(kib)s KiB."), params={"kib": limit // 1024}, code="size"
        )
    try:
        file.seek(0)
        head = file.read(1024)
        file.seek(0)
        if _looks_like_svg(name=file.name or "", head=head):
            raise ValidationError(
                _(
                    "SVG-filer kan ikke brukes som logo, fordi de kan inneholde skript. "
                    "Last opp logoen som PNG, JPEG eller GIF."
                ),
                code="svg",
            )
        extension = _logo_decoded_extension(file)
    finally:
        file.seek(0)
    return extension


def _looks_like_svg(*, name: str, head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return name.lower().endswith((".svg", ".svgz")) or start.startswith((b"<?xml", b"<svg"))


def _logo_decoded_extension(file: UploadedFile) -> str:
    not_an_image = ValidationError(
        _("Filen er ikke et PNG-, JPEG- eller GIF-bilde Kredin kan lese."), code="not_image"
    )
    formats = list(LOGO_FORMATS)
    try:
        with warnings.catch_warnings():
            # A decompression bomb warning is a refusal here, not a log line.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file, formats=formats) as image:
                image_format = image.format
                width, height = image.size
                if width > LOGO_MAX_SIDE or height > LOGO_MAX_SIDE:
                    raise ValidationError(
                        _(
                            "Logoen er %(width)s×%(height)s piksler; "
                            "den kan være høyst %(max)s×%(max)s."
                        ),
                        params={"width": width, "height": height, "max": LOGO_MAX_SIDE},
                        code="dimensions",
                    )
                image.verify()
            # verify() leaves the image unusable; decode once more to catch truncated data.
            file.seek(0)
            with Image.open(file, formats=formats) as image:
                image.load()
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ):
        raise not_an_image from None
    if image_format not in LOGO_FORMATS:
        raise not_an_image
    return LOGO_FORMATS[image_format][0]


def logo_content_type(name: str) -> str | None:
    """The content type of a stored logo, from the extension we gave it; None if unknown."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    for stored_extension, content_type in LOGO_FORMATS.values():
        if extension == stored_extension:
            return content_type
    return None


def _cleaned(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not collection settings: {sorted(unknown)}")
    checks = {
        "bank_account": bank_account_normalize,
        "sender_organization_number": organization_number_normalize,
        "sender_post_code": post_code_normalize,
    }
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[ValidationError]] = {}
    for name, value in data.items():
        try:
            if name in INTEGER_RANGES:
                cleaned[name] = integer_check(name=name, value=value)
            elif name in MONEY_RANGES:
                cleaned[name] = money_check(name=name, value=value)
            elif name in checks:
                cleaned[name] = checks[name](value)
            elif name in BOOLEAN_FIELDS:
                if not isinstance(value, bool):
                    raise ValueError(f"{name} must be True or False")
                cleaned[name] = value
            else:
                cleaned[name] = (value or "").strip()
        except ValidationError as error:
            errors[name] = [error]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _audit_value(value: Any) -> Any:
    # JSON keeps bool, int and str as they are; a Decimal goes as its exact text.
    return str(value) if isinstance(value, Decimal) else value


@transaction.atomic
def collection_settings_update(
    *,
    organization: Organization,
    membership: Membership,
    data: dict[str, Any],
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
    request: HttpRequest | None = None,
) -> CollectionSettings:
    """Store what `data` names (other fields keep their values) and the logo choice.

    A new logo wins over `remove_logo`. Raises PermissionDenied without MANAGE_SETTINGS and
    ValidationError (per field) for a value the rules refuse; then nothing is stored.
    """
    require_permission(membership, organization, Permission.MANAGE_SETTINGS)
    cleaned = _cleaned(data)
    extension = logo_check(logo) if logo is not None else None
    with organization_scope(organization):
        # get_or_create survives two first saves at once; the lock serialises later ones,
        # so the old values in the audit record are the ones this save replaced.
        row, _created = CollectionSettings.objects.get_or_create(organization=organization)
        current = CollectionSettings.objects.select_for_update().get(pk=row.pk)
        old = {name: getattr(current, name) for name in EDITABLE_FIELDS}
        for name, value in cleaned.items():
            setattr(current, name, value)
        current.full_clean(exclude=["logo"])
        changes = {
            name: {"old": _audit_value(old[name]), "new": _audit_value(getattr(current, name))}
            for name in EDITABLE_FIELDS
            if old[name] != getattr(current, name)
        }
        old_logo = current.logo.name or ""
        if logo is not None:
            # A random name: the uploader's file name says nothing we want to keep or serve.
            current.logo.save(f"{uuid.uuid4().hex}.{extension}", logo, save=False)
        elif remove_logo:
            # The old file stays on disk: a letter already sent may show it again later.
            current.logo = ""
        new_logo = current.logo.name or ""
        if new_logo != old_logo:
            # Which stored file was in force, never its bytes.
            changes["logo"] = {"old": old_logo, "new": new_logo}
        current.save()
        if changes:
            audit_record(
                action="collections.settings_changed",
                organization=organization,
                actor=membership.user,
                target=current,
                details=changes,
                request=request,
            )
    return current


class AutopilotPauseError(Exception):
    """Pausing or resuming that cannot be done; the message is for the person."""


@transaction.atomic
def autopilot_pause(*, organization: Organization, actor: User, reason: str) -> CollectionSettings:
    """Kredin's support stops the autopilot's letters, new cases and proposals for the
    organisation until someone resumes it; the bookkeeping goes on (see run_day).

    The caller (support) checks that `actor` is staff and records the audit event with
    the reason; the mode the organisation chose is kept and in force again on resume.
    """
    reason = (reason or "").strip()
    if not reason:
        raise AutopilotPauseError(_("Skriv hvorfor autopiloten settes på pause."))
    with organization_scope(organization):
        row, _created = CollectionSettings.objects.get_or_create(organization=organization)
        current = CollectionSettings.objects.select_for_update().get(pk=row.pk)
        if current.autopilot_paused_at is not None:
            raise AutopilotPauseError(_("Autopiloten er allerede satt på pause."))
        current.autopilot_paused_at = timezone.now()
        current.autopilot_paused_reason = reason
        current.autopilot_paused_by = actor
        current.save(
            update_fields=[
                "autopilot_paused_at",
                "autopilot_paused_reason",
                "autopilot_paused_by",
                "updated_at",
            ]
        )
    return current


@transaction.atomic
def autopilot_resume(*, organization: Organization, actor: User, reason: str) -> CollectionSettings:
    """Lift a pause: the autopilot works in the organisation's chosen mode again from its
    next run. `reason` is for the caller's audit event; the pause fields are cleared."""
    with organization_scope(organization):
        current = (
            CollectionSettings.objects.select_for_update().filter(organization=organization).first()
        )
        if current is None or current.autopilot_paused_at is None:
            raise AutopilotPauseError(_("Autopiloten er ikke satt på pause."))
        current.autopilot_paused_at = None
        current.autopilot_paused_reason = ""
        current.autopilot_paused_by = None
        current.save(
            update_fields=[
                "autopilot_paused_at",
                "autopilot_paused_reason",
                "autopilot_paused_by",
                "updated_at",
            ]
        )
    return current
