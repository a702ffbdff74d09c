"""A manager hands a confirmed complication to another system as FHIR R4: an AdverseEvent with its
seriousness, severity, outcome and suspects, the session, the lots, the patient without a name, and
the check-ins the patient answered; every resource is read back with fhir.resources' R4B models."""

import json

import pytest
from django.urls import reverse
from fhir.resources.R4B.adverseevent import AdverseEvent
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.device import Device
from fhir.resources.R4B.medication import Medication
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.substance import Substance

from clinics.models import Role
from recovery.models import Complication
from trail.models import RecordView
from treatments.models import Product, RegulatoryStatus, SessionZone
from vigilance.fhir import event_bundle
from vigilance.fhir_parts import product_resource

from ..conftest import at
from ..factories import MembershipFactory, PatientFactory, UserFactory
from .confirmed import GTIN, answer_check_in, confirm, device_lot, hannahs_infection, session_with

MODELS = {
    model.__name__: model
    for model in (AdverseEvent, Condition, Device, Medication, Patient, Procedure, QuestionnaireResponse, Substance)
}


@pytest.fixture
def event(harbour, alice, time_machine):
    return hannahs_infection(harbour, alice, time_machine=time_machine)


def bundle_of(client, complication):
    return client.get(reverse("vigilance:fhir_bundle", args=[complication.pk]))


def resources(bundle, kind):
    return [entry["resource"] for entry in bundle["entry"] if entry["resource"]["resourceType"] == kind]


def test_the_bundle_and_every_resource_in_it_read_as_fhir_r4(client_for, mary, event):
    response = bundle_of(client_for(mary), event.complication)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    data = json.loads(response.content)
    assert Bundle.model_validate(data).type == "collection"
    kinds = [entry["resource"]["resourceType"] for entry in data["entry"]]
    assert kinds == [
        "AdverseEvent",
        "Patient",
        "Procedure",
        "Device",
        "Medication",
        "Condition",
        "QuestionnaireResponse",
    ]
    for entry in data["entry"]:
        MODELS[entry["resource"]["resourceType"]].model_validate(entry["resource"])
    references = {entry["fullUrl"] for entry in data["entry"]}
    assert resources(data, "AdverseEvent")[0]["subject"]["reference"] in references


def test_the_event_says_serious_severe_recovering_and_names_the_suspect_lot_and_the_session(client_for, mary, event):
    data = json.loads(bundle_of(client_for(mary), event.complication).content)
    adverse_event = resources(data, "AdverseEvent")[0]
    device = resources(data, "Device")[0]
    procedure = resources(data, "Procedure")[0]

    assert adverse_event["actuality"] == "actual"
    assert adverse_event["seriousness"]["coding"][0] == {
        "system": "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness",
        "code": "serious",
        "display": "Serious",
    }
    assert "Hospitalisation" in adverse_event["seriousness"]["text"]
    assert adverse_event["severity"]["coding"][0]["code"] == "severe"
    assert adverse_event["outcome"]["coding"][0]["code"] == "recovering"
    assert adverse_event["event"]["coding"][0]["code"] == "infection"
    assert adverse_event["date"] == "2026-03-03T12:00:00+00:00"
    suspect, session = adverse_event["suspectEntity"]
    assert suspect["instance"]["reference"] == f"urn:uuid:{device['id']}"
    assert suspect["causality"][0]["assessment"]["coding"][0]["code"] == "probably-likely"
    assert session["instance"]["reference"] == f"urn:uuid:{procedure['id']}"


def test_the_device_carries_its_lot_expiry_and_gtin_and_the_procedure_its_areas(client_for, mary, event):
    data = json.loads(bundle_of(client_for(mary), event.complication).content)
    device = resources(data, "Device")[0]
    medication = resources(data, "Medication")[0]
    procedure = resources(data, "Procedure")[0]

    assert (device["lotNumber"], device["expirationDate"]) == ("HB-001", "2027-06-30")
    assert device["udiCarrier"][0]["deviceIdentifier"] == GTIN
    assert device["udiCarrier"][0]["carrierHRF"] == f"(01){GTIN}(17)270630(10)HB-001"
    assert device["partNumber"] == "HB-1ML"
    assert medication["batch"] == {"lotNumber": "LD-77", "expirationDate": "2027-01-31"}
    assert [site["text"] for site in procedure["bodySite"]] == ["Face", "Neck"]
    assert procedure["usedReference"] == [
        {"reference": f"urn:uuid:{device['id']}"},
        {"reference": f"urn:uuid:{medication['id']}"},
    ]


def test_the_procedure_names_the_zones_charted_after_the_areas(client_for, mary, event):
    for zone in ("cheek_left", "neck_front"):
        SessionZone.objects.create(session=event.session, zone=zone)

    data = json.loads(bundle_of(client_for(mary), event.complication).content)
    sites = resources(data, "Procedure")[0]["bodySite"]

    assert [site["text"] for site in sites] == ["Face", "Neck", "Left cheek", "Front of the neck"]
    assert sites[2]["coding"] == [
        {"system": "https://clinic.example.com/fhir/zone", "code": "cheek_left", "display": "Left cheek"}
    ]
    Procedure.model_validate(resources(data, "Procedure")[0])


def test_the_patient_has_no_name_only_the_local_id_initials_sex_and_year_of_birth(client_for, mary, event):
    response = bundle_of(client_for(mary), event.complication)
    patient = resources(json.loads(response.content), "Patient")[0]

    assert patient["name"] == [{"use": "anonymous", "text": "HH"}]
    assert (patient["gender"], patient["birthDate"]) == ("female", "1988")
    assert patient["identifier"][0]["value"] == str(event.session.patient.pk)
    assert "Hannah" not in response.content.decode()
    assert "Harbour" not in response.content.decode().replace("Harbour Skin Clinic", "")


def test_the_answered_check_in_is_a_completed_questionnaire_response(client_for, mary, event):
    data = json.loads(bundle_of(client_for(mary), event.complication).content)
    answer = resources(data, "QuestionnaireResponse")[0]
    items = {item["linkId"]: item for item in answer["item"]}

    assert answer["status"] == "completed"
    assert answer["authored"] == "2026-03-03T12:00:00+00:00"
    assert answer["subject"] == {"reference": f"urn:uuid:{event.session.patient.pk}"}
    reactions = {item["linkId"]: item["answer"][0] for item in items["reactions"]["item"]}
    assert reactions["reaction.redness"]["valueCoding"]["display"] == "Mild"
    assert reactions["reaction.tenderness"]["valueCoding"]["display"] == "Moderate"
    assert reactions["reaction.tenderness"]["item"][0]["answer"] == [{"valueInteger": 6}]
    flags = {item["linkId"]: item["answer"][0]["valueBoolean"] for item in items["red-flags"]["item"]}
    assert flags["red-flag.discharge"] is True
    assert flags["red-flag.fever"] is False
    assert items["wants-call"]["answer"] == [{"valueBoolean": True}]


@pytest.mark.parametrize(
    ("grade", "seriousness", "outcome", "severity", "serious", "fhir_outcome"),
    [
        (1, [], "recovered", "mild", "non-serious", "resolved"),
        (2, [], "not_recovered", "moderate", "non-serious", "ongoing"),
        (
            2,
            ["serious_medically_significant"],
            "recovered_with_sequelae",
            "moderate",
            "serious",
            "resolvedWithSequelae",
        ),
        (4, ["serious_life_threatening"], "unknown", "severe", "serious", "unknown"),
        (5, ["serious_death"], "fatal", "severe", "serious", "fatal"),
    ],
)
def test_grade_seriousness_and_outcome_map_to_hl7s_codes(
    harbour, alice, time_machine, grade, seriousness, outcome, severity, serious, fhir_outcome
):
    session = session_with(PatientFactory(clinic=harbour), alice, [])
    resolved = {"resolved_on": at(24 * 3).date()} if outcome.startswith("recovered") else {}
    complication = confirm(
        session, alice, time_machine=time_machine, grade=grade, seriousness=seriousness, outcome=outcome, **resolved
    )

    bundle = event_bundle(Complication.objects.get(pk=complication.pk))

    Bundle.model_validate(bundle)
    adverse_event = resources(bundle, "AdverseEvent")[0]
    assert adverse_event["severity"]["coding"][0]["code"] == severity
    assert adverse_event["seriousness"]["coding"][0]["code"] == serious
    assert adverse_event["outcome"]["coding"][0]["code"] == fhir_outcome
    condition = resources(bundle, "Condition")[0]
    assert ("abatementDateTime" in condition) == bool(resolved)


def test_a_product_neither_device_nor_medicine_is_a_substance_with_its_lot(harbour, time_machine):
    lot = device_lot(harbour)
    Product.objects.filter(pk=lot.product_id).update(regulatory_status=RegulatoryStatus.OTHER)
    lot.refresh_from_db()

    substance = product_resource(lot)

    Substance.model_validate(substance)
    assert substance["instance"][0]["identifier"]["value"] == "HB-001"
    assert substance["identifier"] == [{"system": "https://www.gs1.org/gtin", "value": GTIN}]


def test_opening_the_bundle_is_written_to_the_patients_trail(client_for, mary, event):
    bundle_of(client_for(mary), event.complication)

    view = RecordView.objects.get()
    assert (view.user, view.patient) == (mary, event.session.patient)
    assert view.path == reverse("vigilance:fhir_bundle", args=[event.complication.pk])


def test_a_practitioner_is_refused_and_another_clinics_manager_finds_nothing(client_for, alice, riverside, event):
    rita = UserFactory(username="rita")
    MembershipFactory(user=rita, clinic=riverside, role=Role.MANAGER)

    assert bundle_of(client_for(alice), event.complication).status_code == 403
    assert bundle_of(client_for(rita), event.complication).status_code == 404
    assert not RecordView.objects.exists()


def test_the_bundle_is_read_in_the_same_queries_however_many_check_ins_were_answered(
    client_for, mary, event, time_machine, django_assert_max_num_queries
):
    client = client_for(mary)
    with django_assert_max_num_queries(20) as one_answer:
        bundle_of(client, event.complication)
    for hours in (98, 122, 146):
        answer_check_in(event.session, hours, time_machine=time_machine)
    client = client_for(mary)

    with django_assert_max_num_queries(len(one_answer.captured_queries)):
        response = bundle_of(client, event.complication)

    assert len(resources(json.loads(response.content), "QuestionnaireResponse")) == 4
