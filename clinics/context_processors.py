from .scoping import clinics_of, is_manager


def staff_navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_clinics": clinics_of(user), "user_is_manager": is_manager(user)}
