"""What the import reads of the clinic's record: its imported records, its practitioners, its runs."""

import uuid
from collections.abc import Iterable

from django.db.models import QuerySet

from clinics.models import Clinic, Membership
from patients.models import Patient
from treatments.models import TreatmentSession

from .models import ImportMapping, ImportRun

_MODELS = {"patients": Patient, "sessions": TreatmentSession}


def stored_ids(*, clinic: Clinic, kind: str, external_ids: Iterable[str]) -> dict[str, str]:
    """{external id: our id} for the patients or sessions a file names that the clinic holds.

    An external id is the other system's number, kept on the record it was imported as, or one of our
    own ids, which the export writes.
    """
    external_ids = set(external_ids)
    records = _MODELS[kind].objects.filter(clinic=clinic)
    found = {
        external_id: str(pk)
        for external_id, pk in records.filter(external_id__in=external_ids).values_list("external_id", "pk")
    }
    ours = set()
    for external_id in external_ids - found.keys():
        try:
            ours.add(uuid.UUID(external_id))
        except ValueError:
            continue
    if ours:
        for pk in records.filter(pk__in=ours).values_list("pk", flat=True):
            found[str(pk)] = str(pk)
    return found


def practitioner_ids_by_email(*, clinic: Clinic) -> dict[str, int]:
    """{e-mail, lower case: user id} of the clinic's staff, who may each have treated a patient."""
    members = Membership.objects.filter(clinic=clinic).exclude(user__email="")
    return {email.lower(): user_id for email, user_id in members.values_list("user__email", "user_id")}


def mapping_of(*, clinic: Clinic, source: str, kind: str) -> dict[str, str]:
    saved = ImportMapping.objects.filter(clinic=clinic, source=source, kind=kind).first()
    return saved.mapping if saved else {}


def runs_of(*, clinic: Clinic) -> QuerySet[ImportRun]:
    runs = ImportRun.objects.filter(clinic=clinic).select_related("created_by").defer("plan", "decisions")
    return runs.order_by("-created_at")
