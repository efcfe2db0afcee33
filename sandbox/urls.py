"""Stand-ins for outside services, mounted at /sandbox/ when SANDBOX_ENABLED."""

from django.urls import include, path

from sandbox.connect import urls as connect_urls
from sandbox.nxt import urls as nxt_urls

app_name = "sandbox"

urlpatterns = [
    path("visma-connect/", include(connect_urls.urlpatterns)),
    path("businessnxt/", include(nxt_urls.urlpatterns)),
    path("brreg/enhetsregisteret/api/", include("sandbox.brreg.urls")),
]
