from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated

from kredin.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # The schema maps every endpoint: signed-in people and API keys only.
    path(
        "api/schema/",
        SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]),
        name="api-schema",
    ),
    path(
        "api/docs/",
        login_required(
            SpectacularSwaggerView.as_view(
                url_name="api-schema", permission_classes=[IsAuthenticated]
            )
        ),
        name="api-docs",
    ),
    path("api/v1/", include("kredin.api.urls")),
    path("hooks/", include("integrations.webhook_urls")),
    # Above every product app, so included by name: kredin imports nothing of support.
    path("support/", include("support.urls")),
    # Registered with Visma Connect as the one redirect URI, so it cannot carry the org slug.
    path("integrasjoner/visma-connect/", include("integrations.callback_urls")),
    path("", include("kredin.urls_accounts")),
    path("o/<slug:org_slug>/", include("kredin.urls_org")),
]

if settings.SANDBOX_ENABLED:
    urlpatterns.append(path("sandbox/", include("sandbox.urls")))
