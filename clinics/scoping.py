"""Which clinics a member of staff may see or manage.

Every view reads data through these helpers so that a user never sees, edits or
guesses their way into another clinic's records: a foreign id is simply not in the
queryset and answers 404.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Clinic, Membership, Role

_CACHE_ATTR = "_recovery_desk_memberships"


def memberships_of(user) -> list[Membership]:
    """The user's memberships, read once per request and kept on the user object."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("clinic"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def clinic_ids_of(user) -> list:
    return [membership.clinic_id for membership in memberships_of(user)]


def managed_clinic_ids_of(user) -> list:
    return [m.clinic_id for m in memberships_of(user) if m.role == Role.MANAGER]


def clinics_of(user) -> list[Clinic]:
    return [membership.clinic for membership in memberships_of(user)]


def managed_clinics_of(user) -> list[Clinic]:
    return [m.clinic for m in memberships_of(user) if m.role == Role.MANAGER]


def is_manager(user) -> bool:
    return bool(managed_clinic_ids_of(user))


def require_manager(user) -> None:
    if not is_manager(user):
        raise PermissionDenied


def managed_clinic(user, clinic_id) -> Clinic:
    """One of the clinics the user manages: refused to someone who manages none, 404 for any other."""
    require_manager(user)
    return get_object_or_404(Clinic.objects.filter(pk__in=managed_clinic_ids_of(user)), pk=clinic_id)
