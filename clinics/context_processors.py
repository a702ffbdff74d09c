from . import two_factor
from .scoping import clinics_of, is_manager


def staff_navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Until the code is given, a page shows no navigation: none of it would open.
    if two_factor.step_needed(request) is not None:
        return {"two_factor_pending": True}
    return {"user_clinics": clinics_of(user), "user_is_manager": is_manager(user)}
