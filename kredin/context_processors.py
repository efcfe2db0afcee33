"""What every page needs to draw the navigation."""

from kredin.selectors import memberships_for_user


def navigation(request):
    if not request.user.is_authenticated:
        return {}
    return {
        "user_memberships": memberships_for_user(user=request.user),
        "current_organization": getattr(request, "organization", None),
        "current_membership": getattr(request, "membership", None),
    }
