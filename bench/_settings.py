"""Settings for benchmark processes: the project's own, minus the brakes a benchmark looks past.

The sandbox's rate limit (600 requests a minute, as Business NXT) and Kredin's own limiter
would make every run last as long as the limit says, whatever the code does; they are
lifted here. DEBUG is switched off after the settings load (they need it on to start
without production secrets), so no query is logged in memory.
"""

from kredin.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
SANDBOX_NXT_RATE_LIMIT_PER_MINUTE = 10_000_000
SANDBOX_NXT_MAX_IN_FLIGHT = 1_000
BUSINESS_NXT_REQUESTS_PER_MINUTE = 10_000_000
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Pages render {% static %} without a collectstatic manifest.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
