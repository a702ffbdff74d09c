"""A confirmed complication as FHIR R4: an AdverseEvent with its seriousness, severity, outcome,
suspect lots and procedure, the condition it left with its dates, the patient (no name) and the
patient's answered check-ins as QuestionnaireResponses, gathered in a collection Bundle.

Written to R4 (4.0.1), which regulators' and hospitals' systems exchange today; the tests validate
it with fhir.resources' R4B models, since the package reads R5 by default and ships no R4 module,
and R4B changed none of the resources used here. R5 reworked AdverseEvent (seriousness criteria,
outcome as a list, suspectEntity renamed), so R5 models would refuse an R4 event.

The codes for seriousness, severity, outcome and causality are HL7's terminology (THO); the
complication type, the areas and the reaction severities are this deployment's own codes, with
their words as text, as no national code list for aesthetic injectables exists to map them to.
"""

from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from clinics.scoping import managed_clinic_ids_of
from recovery.models import SERIOUSNESS, CheckInStatus, Complication, ReactionReport, RedFlagAnswer

from .fhir_parts import (
    IN_BUNDLE,
    Addressing,
    concept,
    instant,
    local_system,
    lot_resources,
    patient_resource,
    procedure_reads,
    procedure_resource,
    questionnaire_response,
    uuid_for,
)

TERMINOLOGY = "http://terminology.hl7.org/CodeSystem/"
SERIOUSNESS_SYSTEM = TERMINOLOGY + "adverse-event-seriousness"
SEVERITY_SYSTEM = TERMINOLOGY + "adverse-event-severity"
OUTCOME_SYSTEM = TERMINOLOGY + "adverse-event-outcome"
CAUSALITY_SYSTEM = TERMINOLOGY + "adverse-event-causality-assess"
CONDITION_CLINICAL = TERMINOLOGY + "condition-clinical"
CONDITION_VERIFICATION = TERMINOLOGY + "condition-ver-status"

# CTCAE grade to HL7's three severities: grades 4 (life-threatening) and 5 (death) are severe too.
SEVERITY_OF_GRADE = {1: ("mild", "Mild"), 2: ("moderate", "Moderate")}
SEVERE = ("severe", "Severe")
OUTCOME = {
    "recovered": ("resolved", "Resolved"),
    "recovering": ("recovering", "Recovering"),
    "not_recovered": ("ongoing", "Ongoing"),
    "recovered_with_sequelae": ("resolvedWithSequelae", "Resolved with Sequelae"),
    "fatal": ("fatal", "Fatal"),
    "unknown": ("unknown", "Unknown"),
}
CAUSALITY = {
    "certain": ("certain", "Certain"),
    "probable": ("probably-likely", "Probably/Likely"),
    "possible": ("possible", "Possible"),
    "unlikely": ("unlikely", "Unlikely"),
}


def complications_in(clinic_ids):
    """The complications of these clinics, with everything their resources read, in a fixed number
    of queries."""
    return (
        Complication.objects.filter(recovery__clinic_id__in=clinic_ids)
        .select_related("recovery__session__patient", "recovery__session__clinic")
        .prefetch_related(*procedure_reads("recovery__session__"), "suspects")
    )


def complications_for_fhir(user):
    """The complications of the clinics the user manages."""
    return complications_in(managed_clinic_ids_of(user))


def check_in_answers():
    """The reports patients sent in answer to a check-in, with what their QuestionnaireResponses read."""
    return ReactionReport.objects.filter(check_in__status=CheckInStatus.ANSWERED).prefetch_related(
        "reactions__reaction_type",
        Prefetch(
            "red_flag_answers",
            queryset=RedFlagAnswer.objects.select_related("question").order_by("question__position", "pk"),
        ),
    )


def answered_check_ins(session) -> list[ReactionReport]:
    return list(check_in_answers().filter(session=session).order_by("reported_at"))


def detection_times(complications) -> dict:
    """When the clinic learned of each complication, by its id: the report that announced the onset
    came in then. One query for any number of them."""
    keys = {event.pk: (event.recovery.session_id, event.onset_at) for event in complications}
    reports = ReactionReport.objects.filter(
        session_id__in={session_id for session_id, _onset in keys.values()},
        reported_at__in={onset for _session_id, onset in keys.values()},
    )
    arrivals = {}
    for session_id, reported_at, created_at in reports.order_by("created_at").values_list(
        "session_id", "reported_at", "created_at"
    ):
        arrivals.setdefault((session_id, reported_at), created_at)
    return {pk: max(arrivals.get(key, key[1]), key[1]) for pk, key in keys.items()}


def _seriousness(complication: Complication) -> dict:
    criteria = [str(SERIOUSNESS[field]) for field in complication.seriousness]
    if criteria:
        return concept(SERIOUSNESS_SYSTEM, "serious", "Serious", _("Serious: %s") % ", ".join(criteria))
    return concept(SERIOUSNESS_SYSTEM, "non-serious", "Non-serious", _("Not serious"))


def condition_resource(complication: Complication, *, patient: dict, addressing: Addressing = IN_BUNDLE) -> dict:
    """What the event left the patient with, and when it began and ended: R4's AdverseEvent has no
    resolution date, its resulting Condition does."""
    zone = complication.recovery.session.clinic.zone
    resolved = complication.resolved_on is not None
    condition = {
        "resourceType": "Condition",
        "id": addressing.record_id("condition", complication.pk),
        "clinicalStatus": concept(
            CONDITION_CLINICAL, *(("resolved", "Resolved") if resolved else ("active", "Active"))
        ),
        "verificationStatus": concept(CONDITION_VERIFICATION, "confirmed", "Confirmed"),
        "code": {"text": complication.get_complication_type_display()},
        "subject": addressing.reference(patient),
        "onsetDateTime": instant(complication.onset_at, zone),
        "recordedDate": instant(complication.recorded_at, zone),
    }
    if resolved:
        condition["abatementDateTime"] = complication.resolved_on.isoformat()
    return condition


def adverse_event_resource(
    complication: Complication,
    *,
    patient: dict,
    procedure: dict,
    products: dict,
    condition: dict,
    detected: datetime,
    addressing: Addressing = IN_BUNDLE,
) -> dict:
    """`products` maps each lot's id to its resource; each suspect line names its lot with the
    clinician's causality, and the session itself is a suspect, as the technique may be the cause.
    `detected` is the complication's time in `detection_times`."""
    session = complication.recovery.session
    zone = session.clinic.zone
    label = complication.get_complication_type_display()
    event = {
        "resourceType": "AdverseEvent",
        "id": addressing.record_id("adverse-event", complication.pk),
        "identifier": {"system": local_system("adverse-event"), "value": str(complication.pk)},
        "actuality": "actual",
        "category": [{"text": _("Complication after an injectable treatment")}],
        "event": concept(
            local_system("complication-type"),
            complication.complication_type,
            label,
            _("%s, ischaemic") % label if complication.ischaemic else label,
        ),
        "subject": addressing.reference(patient),
        "date": instant(complication.onset_at, zone),
        "detected": instant(detected, zone),
        "recordedDate": instant(complication.recorded_at, zone),
        "resultingCondition": [addressing.reference(condition)],
        "seriousness": _seriousness(complication),
        "outcome": concept(OUTCOME_SYSTEM, *OUTCOME[complication.outcome]),
    }
    if complication.grade:
        code, display = SEVERITY_OF_GRADE.get(complication.grade, SEVERE)
        event["severity"] = concept(SEVERITY_SYSTEM, code, display, complication.get_grade_display())
    lines = {line.pk: line for line in session.products_used.all()}
    suspects = [
        {
            "instance": addressing.reference(products[lines[suspect.session_product_id].batch_id]),
            "causality": [
                {
                    "assessment": concept(
                        CAUSALITY_SYSTEM, *CAUSALITY[suspect.causality], suspect.get_causality_display()
                    )
                }
            ],
        }
        for suspect in complication.suspects.all()
    ]
    event["suspectEntity"] = [*suspects, {"instance": addressing.reference(procedure)}]
    return event


def event_bundle(complication: Complication, *, now: datetime | None = None) -> dict:
    """The event's resources in one collection Bundle, each under its urn:uuid."""
    session = complication.recovery.session
    zone = session.clinic.zone
    patient = patient_resource(session.patient)
    products = lot_resources(session)
    procedure = procedure_resource(session, patient=patient, products=list(products.values()))
    condition = condition_resource(complication, patient=patient)
    event = adverse_event_resource(
        complication,
        patient=patient,
        procedure=procedure,
        products=products,
        condition=condition,
        detected=detection_times([complication])[complication.pk],
    )
    answers = [questionnaire_response(report, patient=patient, zone=zone) for report in answered_check_ins(session)]
    resources = [event, patient, procedure, *products.values(), condition, *answers]
    return {
        "resourceType": "Bundle",
        "id": uuid_for("bundle", complication.pk),
        "type": "collection",
        "timestamp": instant(now or timezone.now(), zone),
        "entry": [{"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource} for resource in resources],
    }
