"""pytest settings: PostgreSQL from DATABASE_URL, fast hashing, captured e-mail."""

import os
import tempfile

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kredin")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("KREDIN_SANDBOX_ENABLED", "true")
os.environ.setdefault("KREDIN_SANDBOX_CONTROL_SECRET", "test-sandbox-control-secret")

from kredin.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Test keys: two, so rotation can be exercised. Generated for tests only.
FIELD_ENCRYPTION_KEYS = [
    "dGVzdC1rZXktb25lLTAwMDAwMDAwMDAwMDAwMDAwMDA=",
    "dGVzdC1rZXktdHdvLTAwMDAwMDAwMDAwMDAwMDAwMDA=",
]
# Live-server threads must not keep connections that block dropping the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Letters and print batches the tests render are written to a throw-away folder.
MEDIA_ROOT = tempfile.mkdtemp(prefix="kredin-test-media-")
