"""Stand-ins for the navigation targets in base.html while those apps have no pages yet.

Used only when `reverse()` cannot find them in the real URLconf (see conftest.py), so
pages that extend base.html can render in these tests; inert once the real pages exist.
"""

from django.http import HttpResponse
from django.urls import NoReverseMatch, include, path, reverse

from kredin.urls import urlpatterns as real_urlpatterns

NAV_TARGETS = {
    "ledger": "reskontro",
    "collections": "case-list",
    "integrations": "list",
}


def _placeholder(request, org_slug):
    return HttpResponse()


def missing_nav_targets(urlconf: str = "kredin.urls") -> list[str]:
    missing = []
    for namespace, name in NAV_TARGETS.items():
        try:
            reverse(f"{namespace}:{name}", kwargs={"org_slug": "x"}, urlconf=urlconf)
        except NoReverseMatch:
            missing.append(namespace)
    return missing


urlpatterns = [
    *real_urlpatterns,
    *[
        path(
            f"_nav/{namespace}/<slug:org_slug>/",
            include(([path("", _placeholder, name=NAV_TARGETS[namespace])], namespace)),
        )
        for namespace in missing_nav_targets()
    ],
]
