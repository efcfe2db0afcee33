"""Kredin settings: one module, driven by the environment (django-environ).

Safe demo defaults: SQLite, the embedded sandbox, a file-based Celery broker.
With DEBUG off, every secret must come from the environment or start-up stops.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# DJANGO_ENV_FILE names the file to read (empty: read none); real variables always win.
_env_file = env("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env"))
if _env_file:
    environ.Env.read_env(_env_file)

# Off unless asked for: the demo and the tests turn it on explicitly.
DEBUG = env.bool("DJANGO_DEBUG", default=False)

# Only ever used when DEBUG is on: fixed, public values so the demo runs with no set-up.
# With DEBUG off, a value equal to one of these is refused like a missing one.
_DEMO_SECRET_KEY = "demo-only-secret-key-not-for-production-use-0123456789"
_DEMO_FIELD_KEY = "ZGVtby1vbmx5LWZpZWxkLWtleS1kby1ub3QtdXNlISE="
_DEMO_DATABASE_URL = f"sqlite:///{VAR_DIR / 'demo.sqlite3'}"
_DEMO_VISMA_CLIENT_ID = "kredin-demo"
_DEMO_VISMA_CLIENT_SECRET = "kredin-demo-secret"
_DEMO_WEBHOOK_SECRET = "kredin-demo-webhook-secret"


def _required_in_production(name: str, demo_value: str | list[str]):
    """Read a secret; with DEBUG off, missing, placeholder or demo values stop start-up."""
    given = name in env.ENVIRON and env.str(name).strip()
    if not given:
        if DEBUG:
            return demo_value
        raise ImproperlyConfigured(
            f"{name} must be set when DJANGO_DEBUG is off (see .env.example for how to make one)."
        )
    value = env.list(name) if isinstance(demo_value, list) else env.str(name)
    if not DEBUG:
        if "change-me" in str(value):
            raise ImproperlyConfigured(
                f"{name} still holds the change-me placeholder from .env.example: "
                "set a real value before running with DJANGO_DEBUG off."
            )
        if value == demo_value or (isinstance(value, list) and set(value) & set(demo_value)):
            raise ImproperlyConfigured(
                f"{name} holds the public demo value: set a secret of your own before "
                "running with DJANGO_DEBUG off."
            )
    return value


SECRET_KEY = _required_in_production("DJANGO_SECRET_KEY", _DEMO_SECRET_KEY)
FIELD_ENCRYPTION_KEYS: list[str] = _required_in_production(
    "FIELD_ENCRYPTION_KEYS", [_DEMO_FIELD_KEY]
)
_database_url = _required_in_production("DATABASE_URL", _DEMO_DATABASE_URL)

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("KREDIN_SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "kredin.apps.KredinConfig",
    # The admin, for superusers with a verified second factor only (kredin/admin_site.py).
    "kredin.apps.KredinAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_ratelimit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Recovery codes: one-time codes for a staff member who has lost the authenticator.
    "django_otp.plugins.otp_static",
    "integrations.apps.IntegrationsConfig",
    "ledger.apps.LedgerConfig",
    "debt_collection.apps.DebtCollectionConfig",
    "brreg.apps.BrregConfig",
    "support.apps.SupportConfig",
]
SANDBOX_ENABLED = env.bool("KREDIN_SANDBOX_ENABLED", default=DEBUG)
if SANDBOX_ENABLED and not DEBUG:
    # The stand-ins hand out tokens to anyone and take orders over _control/: never in
    # production. `check --deploy` says the same (kredin.E001) if settings are built otherwise.
    raise ImproperlyConfigured(
        "KREDIN_SANDBOX_ENABLED is on while DJANGO_DEBUG is off: the sandbox is for the demo "
        "and the tests only. Unset KREDIN_SANDBOX_ENABLED in production."
    )
# The sandbox's _control/ switches answer only requests carrying this secret in the
# X-Sandbox-Control-Secret header; empty refuses every request.
SANDBOX_CONTROL_SECRET = env("KREDIN_SANDBOX_CONTROL_SECRET", default="")
# Test knobs of the stand-ins: a shorter token life (seconds) than the client's, how long
# a rotated refresh token still works, Business NXT's limits, the demo login pre-filled.
SANDBOX_ACCESS_TOKEN_LIFETIME: int | None = None
SANDBOX_REFRESH_GRACE_SECONDS: float | None = None
SANDBOX_NXT_RATE_LIMIT_PER_MINUTE = 600
SANDBOX_NXT_MAX_IN_FLIGHT = 60
SANDBOX_PREFILL_DEMO_LOGIN = DEBUG
if SANDBOX_ENABLED:
    INSTALLED_APPS += ["sandbox.apps.SandboxConfig", "sandbox.brreg.apps.SandboxBrregConfig"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed a second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Support's "view as customer": sets request.view_as and refuses every write meanwhile.
    "support.middleware.ViewAsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "kredin.urls"
WSGI_APPLICATION = "kredin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kredin.context_processors.navigation",
            ],
        },
    },
]

SILENCED_SYSTEM_CHECKS: list[str] = []
DATABASES = {"default": env.db_url_config(_database_url)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo runs web, worker and beat against one file: WAL and immediate
    # transactions keep them from tripping over each other's locks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # The demo's SQLite builds covering indexes without their extra columns; that is fine.
    SILENCED_SYSTEM_CHECKS.append("models.W040")
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "kredin.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# The name authenticator apps show beside a staff member's code.
OTP_TOTP_ISSUER = "Kredin"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

# Uploaded files (organisation logos for letters); served only through tenant-scoped views.
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Logos are small images; anything larger is refused before it is read as an image.
KREDIN_LOGO_MAX_BYTES = 512 * 1024

STATIC_URL = "static/"
# Collected files exist only in a deployment; with DEBUG on, the app directories serve them.
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default=None if DEBUG else str(BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Kredin <noreply@kredin.no>")

# Security: production values follow from DEBUG being off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("KREDIN_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Cache, throttling, proxies --------------------------------------------------------
# Rate-limit counters and the webhook replay window live here, so every web process must
# share it: Redis in production (required with DEBUG off), process memory in the demo.
_cache_url = env("DJANGO_CACHE_URL", default="")
if not _cache_url and not DEBUG:
    raise ImproperlyConfigured(
        "DJANGO_CACHE_URL must be set when DJANGO_DEBUG is off, e.g. redis://redis:6379/2: "
        "log-in throttling and webhook replay protection need one cache for all web processes."
    )
CACHES = {
    "default": env.cache_url_config(_cache_url)
    if _cache_url
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# django-ratelimit only names django-redis as supported; Django's own Redis cache gives the
# same atomic add-and-increment it relies on.
SILENCED_SYSTEM_CHECKS.append("django_ratelimit.W001")
if not _cache_url:
    # The demo's one web process shares its memory across threads, which is all it needs.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")
RATELIMIT_VIEW = "kredin.views.throttled.rate_limited"
RATELIMIT_IP_META_KEY = "kredin.throttles.client_address"
# Per client address and per account (the address tried, or the person acting).
KREDIN_RATE_LIMITS = {
    "login_ip": env("KREDIN_RATE_LOGIN_IP", default="30/10m"),
    "login_account": env("KREDIN_RATE_LOGIN_ACCOUNT", default="10/10m"),
    "password_reset_ip": "10/h",
    "password_reset_account": "3/h",
    "signup_ip": "10/h",
    "signup_account": "3/h",
    "confirmation_ip": "30/h",
    "confirmation_account": "10/h",
    "invitation_ip": "60/h",
    "invitation_account": "30/h",
    # Wrong passwords or codes when signing a legal document (only failures count).
    "legal_sign_ip": "20/h",
    "legal_sign_account": "5/15m",
    # Staff's second step at log-in: the authenticator's code or a recovery code.
    "second_factor_ip": "30/10m",
    "second_factor_account": "5/10m",
}
# How many reverse proxies in front of gunicorn append to X-Forwarded-For; 0 trusts none
# and takes the client address from the connection itself.
KREDIN_TRUSTED_PROXY_COUNT = env.int("KREDIN_TRUSTED_PROXY_COUNT", default=0)
# A confirmation link in a sign-up e-mail works this long, once.
KREDIN_EMAIL_CONFIRMATION_TIMEOUT = 3 * 24 * 60 * 60

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so an unauthenticated call gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "kredin.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "kredin.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "kredin.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_CLASSES": [
        "kredin.api.throttling.PerTokenRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": env("KREDIN_API_RATE", default="3600/hour"),
        "anon": "120/hour",
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kredin API",
    "DESCRIPTION": "Reskontro, cases and integrations for one organisation at a time.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's files are served from this deployment, not from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Celery ---------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # The longest task must finish inside the visibility timeout or Redis redelivers it.
    "visibility_timeout": 2 * 60 * 60,
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        {
            "data_folder_in": str(_broker_dir / "queue"),
            "data_folder_out": str(_broker_dir / "queue"),
            "control_folder": str(_broker_dir / "control"),
            "processed_folder": str(_broker_dir / "processed"),
            "store_processed": False,
        }
    )
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=5 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=6 * 60)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "integrations.*": {"queue": "sync"},
    "ledger.*": {"queue": "sync"},
    "brreg.*": {"queue": "sync"},
    "debt_collection.letters.*": {"queue": "letters"},
    "debt_collection.dispatch.*": {"queue": "dispatch"},
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Times are Europe/Oslo wall clock (crontab.guru reads them the same way).
CELERY_BEAT_SCHEDULE = {
    "sync-active-integrations": {
        "task": "integrations.sync_request_all_active",
        "schedule": crontab(minute="*/15"),  # every 15 minutes
    },
    "brreg-retry-pending": {
        "task": "brreg.enrichment_retry_due",
        "schedule": crontab(minute="*/15"),  # every 15 minutes
    },
    "collections-vouchers-due": {
        "task": "debt_collection.vouchers.due",
        "schedule": crontab(minute="*/5"),  # every 5 minutes
    },
    "collections-dispatch-pending": {
        "task": "debt_collection.dispatch.pending",
        "schedule": crontab(minute="*/10"),  # every 10 minutes
    },
    "collections-autopilot": {
        "task": "debt_collection.autopilot_run_all",
        "schedule": crontab(hour=6, minute=0),  # 06:00 every day
    },
    "brreg-follow-update-feed": {
        "task": "brreg.register_feed_follow",
        "schedule": crontab(hour=2, minute=30),  # 02:30 every night
    },
    "notification-digests": {
        "task": "kredin.notification_digests_send",
        "schedule": crontab(hour=7, minute=0),  # 07:00 every day
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Collection law -----------------------------------------------------------------
# The dated legal figures (rates, fees, deadlines); replace the file to bring new figures
# without a release. The shipped one lives in the rules package.
KREDIN_RULES_FILE = env(
    "KREDIN_RULES_FILE", default=str(BASE_DIR / "debt_collection/rules/data/rates.toml")
)

# Letters by post go to this provider (debt_collection/dispatch/postal.py).
KREDIN_POSTAL_PROVIDER = env(
    "KREDIN_POSTAL_PROVIDER", default="debt_collection.dispatch.postal.PrintQueue"
)
# A delivery still "sending" after this long belonged to a worker that died mid-send: it
# is marked for a person to check, never sent again by itself.
KREDIN_DISPATCH_SENDING_TIMEOUT = timedelta(minutes=10)
# A voucher claimed longer ago than this belonged to a worker that died: the next attempt
# takes it over, starting as always by asking Business NXT what it already has.
KREDIN_VOUCHER_CLAIM_TIMEOUT = timedelta(
    seconds=env.int("KREDIN_VOUCHER_CLAIM_TIMEOUT_SECONDS", default=600)
)

# --- Outside systems ------------------------------------------------------------------
# Defaults are the real services; the demo points them at the embedded sandbox.
VISMA_CONNECT_URL = env("VISMA_CONNECT_URL", default="https://connect.visma.com")
BUSINESS_NXT_GRAPHQL_URL = env(
    "BUSINESS_NXT_GRAPHQL_URL", default="https://business.visma.net/api/graphql"
)
VISMA_CONNECT_CLIENT_ID = _required_in_production("VISMA_CONNECT_CLIENT_ID", _DEMO_VISMA_CLIENT_ID)
VISMA_CONNECT_CLIENT_SECRET = _required_in_production(
    "VISMA_CONNECT_CLIENT_SECRET", _DEMO_VISMA_CLIENT_SECRET
)
VISMA_CONNECT_SCOPES = "openid profile email offline_access business-graphql-api:access-group-based"
# Webhooks are off unless turned on; on, they need a secret (required with DEBUG off).
BUSINESS_NXT_WEBHOOKS_ENABLED = env.bool("BUSINESS_NXT_WEBHOOKS_ENABLED", default=False)
BUSINESS_NXT_WEBHOOK_SECRET = (
    _required_in_production("BUSINESS_NXT_WEBHOOK_SECRET", _DEMO_WEBHOOK_SECRET)
    if BUSINESS_NXT_WEBHOOKS_ENABLED
    else ""
)
# A signed webhook older than this, or one whose signature was seen within it, is refused.
BUSINESS_NXT_WEBHOOK_MAX_AGE_SECONDS = 300
BRREG_API_URL = env("BRREG_API_URL", default="https://data.brreg.no/enhetsregisteret/api")
BRREG_HTTP_TIMEOUT = 10.0
BRREG_HTTP_ATTEMPTS = 3
BRREG_BACKOFF = 0.5  # seconds before the second attempt, doubling after
# A cached register entry is looked up again after this long (the update feed keeps
# entries it covers current meanwhile).
BRREG_CACHE_MAX_AGE_HOURS = 72
OUTBOUND_HTTP_TIMEOUT = env.float("KREDIN_HTTP_TIMEOUT_SECONDS", default=30.0)
BUSINESS_NXT_REQUESTS_PER_MINUTE = env.int("BUSINESS_NXT_REQUESTS_PER_MINUTE", default=600)
BUSINESS_NXT_PAGE_SIZE = env.int("BUSINESS_NXT_PAGE_SIZE", default=500)
# Tries of a read before the sync gives up on Business NXT for this run.
BUSINESS_NXT_MAX_ATTEMPTS = 6
# Backoff between those tries (seconds, doubling up to the ceiling), unless Retry-After says.
BUSINESS_NXT_RETRY_WAIT_SECONDS = 0.5
BUSINESS_NXT_RETRY_WAIT_MAX_SECONDS = 30.0
# Fetch the next page while the current one is being stored.
BUSINESS_NXT_PREFETCH = True
RATE_LIMIT_REDIS_URL = env("RATE_LIMIT_REDIS_URL", default="")
