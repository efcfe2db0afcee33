import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from integrations.crypto import UnreadableSecret, decrypt_json, encrypt_json
from integrations.models import Credential, Integration
from integrations.oauth import credential_store
from kredin.tenancy import organization_scope

TOKEN = {
    "access_token": "eyJ-access-secret",
    "refresh_token": "refresh-secret-123",
    "expires_in": 3600,
    "token_type": "Bearer",
}


def test_round_trip_under_the_configured_keys():
    assert decrypt_json(encrypt_json({"a": 1})) == {"a": 1}


def test_a_secret_no_key_can_read_is_an_error_not_a_blank(settings):
    ciphertext = encrypt_json({"a": 1})
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(UnreadableSecret):
        decrypt_json(ciphertext)


@pytest.mark.django_db
def test_raw_database_read_shows_no_plaintext_token(alice_org):
    with organization_scope(alice_org):
        integration = Integration.objects.create(company_name="A")
        credential_store(integration=integration, token=TOKEN)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM integrations_credential")
        row_text = repr(cursor.fetchall())
    assert "refresh-secret-123" not in row_text
    assert "eyJ-access-secret" not in row_text
    assert "gAAAA" in row_text  # Fernet tokens start with version byte 0x80


@pytest.mark.django_db
def test_rotation_command_reencrypts_under_the_new_key(alice_org, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    with organization_scope(alice_org):
        integration = Integration.objects.create(company_name="A")
        credential_store(integration=integration, token=TOKEN)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_encryption_keys")
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is dropped after rotation
    with organization_scope(alice_org):
        stored = Credential.objects.get(integration=integration).token_ciphertext
    assert decrypt_json(stored)["refresh_token"] == "refresh-secret-123"
