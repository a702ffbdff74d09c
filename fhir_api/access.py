"""Whose record a FHIR request may read, and the trail of what it read.

Another system reads with a token a manager created for one clinic: that clinic, if the token may
read. A member of staff signed in to this site reads their own clinics' record, once they have
given their two-factor code where they owe one (the FHIR views are open to token requests, so the
sign-in middleware does not ask for it there). Nobody else reads anything.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotAuthenticated, PermissionDenied

from clinics.scoping import clinic_ids_of
from clinics.two_factor import step_needed
from trail.services import record_views_log

READ_SCOPE = "read"

NOT_SIGNED_IN = _("Send an API token: “Authorization: Bearer <token>”.")
CODE_OWED = _("Finish signing in with your two-factor code, then try again.")
TOKEN_CANNOT_READ = _("This API token does not have the “read” scope. A manager can create one that has.")
NO_CLINIC = _("You are not a member of any clinic's staff.")


def readable_clinic_ids(request) -> set:
    """The clinics whose record this request may read; raises 401 or 403 when it may read none."""
    token = request.auth
    clinic_id = getattr(token, "clinic_id", None)
    if clinic_id is not None:
        if READ_SCOPE not in token.scopes:
            raise PermissionDenied(TOKEN_CANNOT_READ)
        return {clinic_id}
    if not request.user.is_authenticated:
        raise NotAuthenticated(NOT_SIGNED_IN)
    if step_needed(request) is not None:
        raise NotAuthenticated(CODE_OWED)
    clinic_ids = set(clinic_ids_of(request.user))
    if not clinic_ids:
        raise PermissionDenied(NO_CLINIC)
    return clinic_ids


def reads_log(request, patient_ids) -> None:
    """Each patient whose record the answer holds, once, in the trail, under the person signed in or
    the manager who created the token."""
    record_views_log(user=request.user, patient_ids=patient_ids, path=request.get_full_path())
