"""What every page needs to draw the navigation."""

from django.utils.functional import SimpleLazyObject

from kredin.notification_texts import notification_text
from kredin.selectors import memberships_for_user, notification_bell
from kredin.view_as import view_as_for


def navigation(request):
    if not request.user.is_authenticated:
        return {}
    organization = getattr(request, "organization", None)
    view_as = view_as_for(request)
    return {
        "view_as": view_as,
        "user_memberships": memberships_for_user(user=request.user),
        "current_organization": organization,
        "current_membership": getattr(request, "membership", None),
        # Lazy and kept on the request: fragments rendered for the same request (slots,
        # HTMX partials) do not ask again, and those that never show the bell ask not at all.
        "notification_bell": SimpleLazyObject(lambda: _bell(request))
        if organization and view_as is None
        else None,
    }


def _bell(request) -> dict:
    cached = getattr(request, "_notification_bell", None)
    if cached is None:
        bell = notification_bell(user=request.user, organization=request.organization)
        cached = request._notification_bell = {
            "unread": bell.unread,
            "latest": [(n, notification_text(kind=n.kind, params=n.params)) for n in bell.latest],
        }
    return cached
