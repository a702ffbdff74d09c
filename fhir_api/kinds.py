"""The resource types the FHIR API serves: where each one's rows are, how they become resources,
whose record each row is, how a text becomes one of its ids, and how the searchable ones are searched.

Patients, sessions (Procedure), answered check-ins (QuestionnaireResponse) and confirmed complications
(AdverseEvent) are searched and read; what they reference is read by id: the lots (Device, Medication
or Substance, by the product's regulatory status) and each complication's Condition.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vigilance.fhir import complications_in

from . import resources, selectors
from .search import Parameter, Searchable, as_number, as_uuid


@dataclass(frozen=True)
class Kind:
    rows: Callable[[set], QuerySet]
    build: Callable[[list], list[dict]]
    patient_of: Callable[[object], object]
    key: Callable[[str], object]
    search: Searchable | None = None


def _id(what) -> Parameter:
    return Parameter("token", "pk", what)


def _patient(lookup: str) -> dict[str, Parameter]:
    """FHIR's `patient` and `subject` parameters, alike here: every subject is a patient."""
    what = _("The patient, as Patient/<id> or <id>")
    return {"patient": Parameter("reference", lookup, what), "subject": Parameter("reference", lookup, what)}


def _no_patient(row) -> None:
    return None


def _complication_patient(complication):
    return complication.recovery.session.patient_id


KINDS = {
    "Patient": Kind(
        rows=selectors.patients_in,
        build=resources.patients,
        patient_of=lambda patient: patient.pk,
        key=as_uuid,
        search=Searchable(
            parameters={
                "_id": _id(_("The patient's id")),
                "identifier": Parameter("token", "pk", _("The patient's local id, as <system>|<value> or <value>")),
            },
            clinic="clinic_id",
            time="created_at",
        ),
    ),
    "Procedure": Kind(
        rows=selectors.sessions_in,
        build=resources.procedures,
        patient_of=lambda session: session.patient_id,
        key=as_uuid,
        search=Searchable(
            parameters={
                "_id": _id(_("The session's id")),
                **_patient("patient_id"),
                "date": Parameter("date", "performed_at", _("When the session was performed")),
            },
            clinic="clinic_id",
            time="performed_at",
        ),
    ),
    "QuestionnaireResponse": Kind(
        rows=selectors.answers_in,
        build=resources.questionnaire_responses,
        patient_of=lambda report: report.session.patient_id,
        key=as_uuid,
        search=Searchable(
            parameters={
                "_id": _id(_("The answer's id")),
                **_patient("session__patient_id"),
                "authored": Parameter("date", "reported_at", _("When the patient had the reactions they answered")),
            },
            clinic="session__clinic_id",
            time="reported_at",
        ),
    ),
    "AdverseEvent": Kind(
        rows=complications_in,
        build=resources.adverse_events,
        patient_of=_complication_patient,
        key=as_number,
        search=Searchable(
            parameters={
                "_id": _id(_("The complication's id")),
                **_patient("recovery__session__patient_id"),
                "date": Parameter("date", "onset_at", _("When the complication began")),
            },
            clinic="recovery__clinic_id",
            time="onset_at",
        ),
    ),
    "Condition": Kind(
        rows=selectors.conditions_in,
        build=resources.conditions,
        patient_of=_complication_patient,
        key=as_number,
    ),
    **{
        lot: Kind(rows=selectors.lots_in, build=resources.lots, patient_of=_no_patient, key=as_uuid)
        for lot in ("Device", "Medication", "Substance")
    },
}
