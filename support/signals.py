from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from support.models import ViewAsEnd


@receiver(user_logged_out)
def end_view_as_on_logout(sender, request, user, **kwargs) -> None:
    if user is None or not user.is_staff:
        return
    from support.services.view_as import view_as_end_all

    view_as_end_all(staff=user, how=ViewAsEnd.LOGGED_OUT, request=request)
