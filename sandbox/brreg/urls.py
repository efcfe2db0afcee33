"""Mounted at /sandbox/brreg/enhetsregisteret/api/ (the real API's path below the host)."""

from django.urls import path, re_path

from sandbox.brreg import views

urlpatterns = [
    path("", views.root, name="sandbox-brreg-root"),
    path("enheter", views.enheter_search, name="sandbox-brreg-enheter"),
    re_path(r"^enheter/(?P<orgnr>[^/]+)$", views.enhet_detail, name="sandbox-brreg-enhet"),
    path("underenheter", views.underenheter_search, name="sandbox-brreg-underenheter"),
    re_path(
        r"^underenheter/(?P<orgnr>[^/]+)$",
        views.underenhet_detail,
        name="sandbox-brreg-underenhet",
    ),
    path(
        "oppdateringer/enheter",
        views.oppdateringer_enheter,
        name="sandbox-brreg-oppdateringer-enheter",
    ),
    path(
        "oppdateringer/underenheter",
        views.oppdateringer_underenheter,
        name="sandbox-brreg-oppdateringer-underenheter",
    ),
]
