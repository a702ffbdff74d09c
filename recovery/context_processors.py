from .selectors import unread_notification_count


def notification_bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # A callable, so only pages that show the bell count it.
    return {"unread_notifications": lambda: unread_notification_count(user=user)}
