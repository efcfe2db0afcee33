"""Innstillinger → Inkasso: who may see and change the settings, what is refused, the logo."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from debt_collection.models import CollectionSettings
from debt_collection.services.settings import collection_settings_update
from kredin.models import AuditEvent, Membership
from kredin.tenancy import organization_scope

pytestmark = pytest.mark.django_db

VALID_ACCOUNT = "1234.56.78903"  # MOD11-valid
VALID_ORGNR = "923609016"


def _url(org, name="org-collection-settings"):
    return reverse(name, kwargs={"org_slug": org.slug})


def _form(**overrides) -> dict:
    data = {
        "autopilot": "suggest",
        "sequence": "full",
        "use_friendly_reminder": "on",
        "days_after_due": "10",
        "days_between_steps": "3",
        "minimum_amount": "250.00",
        "business_route": "bankruptcy",
        "channels": "email",
        "remainder_note_percent": "90",
        "tiny_remainder": "49.90",
        "sender_name": "Alice Rørlegger AS",
        "sender_address": "Storgata 1",
        "sender_post_code": "0150",
        "sender_city": "Oslo",
        "sender_organization_number": "923 609 016",
        "bank_account": VALID_ACCOUNT,
        "sender_email": "faktura@alice.no",
        "sender_phone": "+47 22 00 00 00",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _stored(org) -> CollectionSettings | None:
    with organization_scope(org):
        return CollectionSettings.objects.first()


def _png(size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(content: bytes, name="logo.png", content_type="image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _post_logo(client, org, upload, **overrides):
    return client.post(_url(org), {**_form(**overrides), "logo": upload})


# --- saving, reading, permissions -------------------------------------------------------


def test_an_owner_saves_and_the_reloaded_page_shows_what_is_in_force(client_for, alice, alice_org):
    client = client_for(alice)
    response = client.post(_url(alice_org), _form(), follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Innstillingene er lagret." in html
    stored = _stored(alice_org)
    assert stored.autopilot == "suggest" and stored.business_route == "bankruptcy"
    assert stored.channels == "email" and stored.use_final_notice is False
    assert (stored.days_after_due, stored.days_between_steps) == (10, 3)
    assert stored.remainder_note_percent == 90
    assert stored.sender_organization_number == VALID_ORGNR
    assert stored.sender_post_code == "0150"
    # A fresh GET (not only the redirect) shows the stored values.
    again = client.get(_url(alice_org)).content.decode()
    assert 'value="Alice Rørlegger AS"' in again
    assert f'value="{VALID_ACCOUNT}"' in again
    assert re.search(r'<input[^>]*name="autopilot" value="suggest"[^>]*checked', again)


def test_an_admin_may_save_too(client_for, dave, alice_org):
    response = client_for(dave).post(_url(alice_org), _form(days_after_due="20"))

    assert response.status_code == 302
    assert _stored(alice_org).days_after_due == 20


def test_a_member_post_is_refused_with_403_and_changes_nothing(client_for, alice, bob, alice_org):
    client_for(alice).post(_url(alice_org), _form())
    before = _stored(alice_org)

    response = client_for(bob).post(_url(alice_org), _form(days_after_due="1", sender_name="Bob"))

    assert response.status_code == 403
    after = _stored(alice_org)
    assert (after.days_after_due, after.sender_name) == (10, "Alice Rørlegger AS")
    assert after.updated_at == before.updated_at


def test_a_member_post_creates_no_settings_either(client_for, bob, alice_org):
    assert client_for(bob).post(_url(alice_org), _form()).status_code == 403
    assert _stored(alice_org) is None


def test_the_service_itself_refuses_a_member(bob, alice_org):
    membership = Membership.objects.get(user=bob)
    with pytest.raises(PermissionDenied):
        collection_settings_update(
            organization=alice_org, membership=membership, data={"days_after_due": 1}
        )
    assert _stored(alice_org) is None


def test_read_only_sees_the_values_without_a_save_button(client_for, alice, erin, alice_org):
    client_for(alice).post(_url(alice_org), _form())

    response = client_for(erin).get(_url(alice_org))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Alice Rørlegger AS"' in html and "disabled" in html
    assert VALID_ACCOUNT in html
    assert "Forslag: Kredin foreslår" in html
    assert 'type="submit" class="btn">Lagre' not in html
    assert 'name="logo"' not in html
    assert "Bare eiere og administratorer" in html
    assert client_for(erin).post(_url(alice_org), _form(sender_name="Erin")).status_code == 403
    assert _stored(alice_org).sender_name == "Alice Rørlegger AS"


def test_the_page_shows_defaults_before_anything_is_saved(client_for, bob, alice_org):
    html = client_for(bob).get(_url(alice_org)).content.decode()

    assert "standardverdiene" in html
    assert 'name="days_after_due" value="7"' in html
    assert "14 dager etter forfall" in html  # the help text on the law's wait


def test_the_settings_nav_links_inkasso_before_the_rules(client_for, erin, alice_org):
    html = client_for(erin).get(_url(alice_org, "org-rules")).content.decode()

    assert _url(alice_org) in html
    assert html.index(">Inkasso<") < html.index(">Satser og regler<")


def test_charlie_gets_404_on_the_page_and_the_logo(
    client_for, alice, charlie, alice_org, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _post_logo(client_for(alice), alice_org, _upload(_png()))
    client = client_for(charlie)

    assert client.get(_url(alice_org)).status_code == 404
    assert client.post(_url(alice_org), _form(sender_name="Charlie")).status_code == 404
    assert client.get(_url(alice_org, "org-collection-logo")).status_code == 404
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(_url(alice_org)).status_code == 404
    assert _stored(alice_org).sender_name == "Alice Rørlegger AS"


def test_anonymous_visitors_are_sent_to_the_login_page(client, alice_org):
    for name in ("org-collection-settings", "org-collection-logo"):
        response = client.get(_url(alice_org, name))
        assert response.status_code == 302 and "/logg-inn/" in response["Location"]


# --- values the rules refuse or keep exactly ----------------------------------------------


def test_a_bank_account_with_a_wrong_check_digit_is_refused(client_for, alice, alice_org):
    response = client_for(alice).post(_url(alice_org), _form(bank_account="1234.56.78904"))

    assert response.status_code == 400
    assert "kontrollsifferet stemmer ikke" in response.content.decode()
    assert _stored(alice_org) is None


def test_a_bank_account_of_the_wrong_length_is_refused(client_for, alice, alice_org):
    response = client_for(alice).post(_url(alice_org), _form(bank_account="1234 56 789"))

    assert response.status_code == 400
    assert "Et kontonummer har 11 siffer" in response.content.decode()


def test_the_service_itself_refuses_a_bad_bank_account(alice, alice_org):
    membership = Membership.objects.get(user=alice)
    with pytest.raises(ValidationError) as refused:
        collection_settings_update(
            organization=alice_org, membership=membership, data={"bank_account": "12345678904"}
        )
    assert "kontrollsifferet stemmer ikke" in str(refused.value.message_dict["bank_account"])
    assert _stored(alice_org) is None


def test_a_valid_bank_account_is_stored_compact(client_for, alice, alice_org):
    client_for(alice).post(_url(alice_org), _form(bank_account=" 1234 56.78903 "))

    assert _stored(alice_org).bank_account == "12345678903"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("days_after_due", "366", "fra 0 til 365"),
        ("days_after_due", "-1", "fra 0 til 365"),
        ("days_between_steps", "61", "fra 0 til 60"),
        ("remainder_note_percent", "0", "fra 1 til 100"),
        ("remainder_note_percent", "101", "fra 1 til 100"),
        ("tiny_remainder", "500.01", "over 500 kr"),
        ("tiny_remainder", "-1", "under 0 kr"),
        ("minimum_amount", "-0.01", "under 0 kr"),
        ("minimum_amount", "10.005", "høyst to desimaler"),
        ("sender_organization_number", "923609017", "ikke et gyldig organisasjonsnummer"),
        ("sender_post_code", "150", "fire siffer"),
        ("sender_email", "ikke-en-adresse", "Skriv en gyldig e-postadresse"),
    ],
)
def test_values_outside_the_rules_are_refused(client_for, alice, alice_org, field, value, message):
    response = client_for(alice).post(_url(alice_org), _form(**{field: value}))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert _stored(alice_org) is None


def test_the_edges_of_the_ranges_are_accepted(client_for, alice, alice_org):
    response = client_for(alice).post(
        _url(alice_org),
        _form(
            days_after_due="0",
            days_between_steps="60",
            remainder_note_percent="100",
            tiny_remainder="500",
            minimum_amount="0",
            sender_organization_number="",
            bank_account="",
            sender_post_code="",
        ),
    )

    assert response.status_code == 302
    stored = _stored(alice_org)
    assert (stored.days_after_due, stored.days_between_steps) == (0, 60)
    assert stored.tiny_remainder == Decimal("500.00") and stored.minimum_amount == Decimal("0")


def test_amounts_keep_their_exact_decimal_value(client_for, alice, alice_org):
    client_for(alice).post(
        _url(alice_org), _form(tiny_remainder="49.90", minimum_amount="1 234,56")
    )

    stored = _stored(alice_org)
    assert isinstance(stored.tiny_remainder, Decimal)
    assert str(stored.tiny_remainder) == "49.90"
    assert str(stored.minimum_amount) == "1234.56"


def test_the_service_refuses_a_float_for_money(alice, alice_org):
    membership = Membership.objects.get(user=alice)
    with pytest.raises(TypeError):
        collection_settings_update(
            organization=alice_org, membership=membership, data={"tiny_remainder": 49.9}
        )


# --- the audit trail ------------------------------------------------------------------------


def test_a_save_records_old_and_new_of_each_changed_field(client_for, alice, alice_org):
    client = client_for(alice)
    client.post(_url(alice_org), _form())
    client.post(_url(alice_org), _form(days_after_due="14", tiny_remainder="49.95"))

    events = list(AuditEvent.objects.filter(action="collections.settings_changed").order_by("id"))
    assert len(events) == 2
    first, second = events
    assert first.organization == alice_org and first.actor == alice
    assert first.details["autopilot"] == {"old": "off", "new": "suggest"}
    assert first.details["bank_account"] == {"old": "", "new": "12345678903"}
    assert first.details["tiny_remainder"] == {"old": "50.00", "new": "49.90"}
    assert second.details == {
        "days_after_due": {"old": 10, "new": 14},
        "tiny_remainder": {"old": "49.90", "new": "49.95"},
    }


def test_saving_unchanged_values_records_no_event(client_for, alice, alice_org):
    client = client_for(alice)
    client.post(_url(alice_org), _form())
    client.post(_url(alice_org), _form())

    assert AuditEvent.objects.filter(action="collections.settings_changed").count() == 1


# --- the logo ---------------------------------------------------------------------------------


def test_a_small_png_is_accepted_stored_under_a_random_name_and_served_back(
    client_for, alice, erin, alice_org, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    content = _png()

    response = _post_logo(client_for(alice), alice_org, _upload(content, name="mitt firma.png"))

    assert response.status_code == 302
    stored = _stored(alice_org)
    assert stored.logo.name.startswith("logos/") and stored.logo.name.endswith(".png")
    assert "mitt" not in stored.logo.name
    assert (tmp_path / stored.logo.name).read_bytes() == content
    served = client_for(erin).get(_url(alice_org, "org-collection-logo"))  # any member
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == content
    event = AuditEvent.objects.get(action="collections.settings_changed")
    assert event.details["logo"] == {"old": "", "new": stored.logo.name}
    page = client_for(alice).get(_url(alice_org)).content.decode()
    assert _url(alice_org, "org-collection-logo") in page and 'name="remove_logo"' in page


def test_a_jpeg_named_png_is_stored_and_served_as_jpeg(
    client_for, alice, alice_org, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), (0, 0, 200)).save(buffer, format="JPEG")

    _post_logo(client_for(alice), alice_org, _upload(buffer.getvalue(), name="logo.png"))

    assert _stored(alice_org).logo.name.endswith(".jpg")
    served = client_for(alice).get(_url(alice_org, "org-collection-logo"))
    assert served["Content-Type"] == "image/jpeg"


def test_the_logo_url_is_404_when_there_is_no_logo(client_for, alice, alice_org):
    assert client_for(alice).get(_url(alice_org, "org-collection-logo")).status_code == 404
    client_for(alice).post(_url(alice_org), _form())
    assert client_for(alice).get(_url(alice_org, "org-collection-logo")).status_code == 404


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: _upload(SVG, name="logo.svg", content_type="image/svg+xml"), "SVG-filer"),
        (lambda: _upload(SVG, name="logo.png"), "SVG-filer"),
        (lambda: _upload(b"just some text, not a picture\n" * 5, name="logo.png"), "ikke et PNG"),
        (lambda: _upload(_png()[:60], name="logo.png"), "ikke et PNG"),
        (lambda: _upload(_bmp(), name="logo.bmp", content_type="image/bmp"), "ikke et PNG"),
        (lambda: _upload(_png(size=(2001, 10))), "høyst 2000×2000"),
    ],
    ids=["svg", "svg-named-png", "text-named-png", "truncated-png", "bmp", "too-wide"],
)
def test_files_that_are_not_an_allowed_image_are_refused(
    client_for, alice, alice_org, settings, tmp_path, upload, message
):
    settings.MEDIA_ROOT = tmp_path

    response = _post_logo(client_for(alice), alice_org, upload())

    assert response.status_code == 400
    assert message in response.content.decode()
    assert _stored(alice_org) is None
    assert not any(tmp_path.rglob("*.*"))


def _bmp() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="BMP")
    return buffer.getvalue()


def test_an_oversized_file_is_refused_before_it_is_decoded(
    client_for, alice, alice_org, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    settings.KREDIN_LOGO_MAX_BYTES = 1024
    opened = []
    monkeypatch.setattr(Image, "open", lambda *a, **k: opened.append(a) or 1 / 0)
    big = _png() + b"\0" * 2048  # a real PNG, padded past the limit

    response = _post_logo(client_for(alice), alice_org, _upload(big))

    assert response.status_code == 400
    assert "Logoen er for stor: høyst 1 KiB." in response.content.decode()
    assert opened == []
    assert _stored(alice_org) is None


def test_remove_logo_takes_the_logo_away(client_for, alice, alice_org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(alice)
    _post_logo(client, alice_org, _upload(_png()))
    old_name = _stored(alice_org).logo.name

    response = client.post(_url(alice_org), _form(remove_logo="on"))

    assert response.status_code == 302
    assert not _stored(alice_org).logo
    assert client.get(_url(alice_org, "org-collection-logo")).status_code == 404
    event = AuditEvent.objects.filter(action="collections.settings_changed").latest("id")
    assert event.details == {"logo": {"old": old_name, "new": ""}}


def test_saving_without_a_new_file_keeps_the_logo(client_for, alice, alice_org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(alice)
    _post_logo(client, alice_org, _upload(_png()))
    name = _stored(alice_org).logo.name

    client.post(_url(alice_org), _form(sender_city="Bergen"))

    stored = _stored(alice_org)
    assert stored.logo.name == name and stored.sender_city == "Bergen"
