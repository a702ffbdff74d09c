"""What staff ask of the outreach from a session's page: an extra check-in now, the guide again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from treatments.models import TreatmentSession

from . import guides
from . import services as check_ins


def _session(request, session_id) -> TreatmentSession:
    return get_object_or_404(
        TreatmentSession.objects.visible_to(request.user).select_related("clinic", "patient"), pk=session_id
    )


@require_http_methods(["POST"])
def check_in_send_now(request, session_id):
    session = _session(request, session_id)
    try:
        check_ins.check_in_send_now(session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("An extra check-in is on its way to the patient; the planned ones are unchanged."))
    return redirect(session)


@require_http_methods(["POST"])
def guide_send_again(request, session_id):
    session = _session(request, session_id)
    try:
        guides.guide_send_again(session=session, requested_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The recovery guide is on its way to the patient again."))
    return redirect(session)
