"""The event as a FHIR R4 bundle, for a manager of its clinic to hand to a regulator's or a
hospital's system."""

import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from clinics.scoping import require_manager
from trail.services import record_view_log

from .fhir import complications_for_fhir, event_bundle


def fhir_bundle(request, complication_id):
    require_manager(request.user)
    complication = get_object_or_404(complications_for_fhir(request.user), pk=complication_id)
    bundle = event_bundle(complication)
    record_view_log(user=request.user, patient=complication.recovery.session.patient, path=request.get_full_path())
    return HttpResponse(
        json.dumps(bundle, ensure_ascii=False, indent=2), content_type="application/fhir+json; charset=utf-8"
    )
