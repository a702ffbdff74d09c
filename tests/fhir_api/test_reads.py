"""Another system reads Harbour's record one resource at a time with Harbour's token: each resource is
FHIR R4 (read back with fhir.resources' R4B models), points at the others at their addresses on this
server, and each read of a patient's record is in that patient's trail."""

import pytest
from fhir.resources.R4B.adverseevent import AdverseEvent
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.device import Device
from fhir.resources.R4B.medication import Medication
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.substance import Substance

from recovery.models import ReactionReport
from trail.models import RecordView
from treatments.models import Product, RegulatoryStatus

from .conftest import FHIR_JSON, fhir

MODELS = {
    model.__name__: model
    for model in (AdverseEvent, Condition, Device, Medication, Patient, Procedure, QuestionnaireResponse, Substance)
}


def paths_of(event) -> dict[str, str]:
    answer = ReactionReport.objects.get(session=event.session)
    return {
        "Patient": f"Patient/{event.session.patient_id}",
        "Procedure": f"Procedure/{event.session.pk}",
        "QuestionnaireResponse": f"QuestionnaireResponse/{answer.pk}",
        "AdverseEvent": f"AdverseEvent/{event.complication.pk}",
        "Condition": f"Condition/{event.complication.pk}",
        "Device": f"Device/{event.device_lot.pk}",
        "Medication": f"Medication/{event.medicine_lot.pk}",
    }


def references_in(value) -> list[str]:
    if isinstance(value, dict):
        found = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return found + [reference for item in value.values() for reference in references_in(item)]
    if isinstance(value, list):
        return [reference for item in value for reference in references_in(item)]
    return []


def test_each_resource_of_the_record_reads_as_fhir_r4_under_its_own_id(client, harbour_token, hannah_event):
    for resource_type, path in paths_of(hannah_event).items():
        answer = fhir(client, path, harbour_token)

        assert answer.status == 200, path
        assert answer.content_type == f"{FHIR_JSON}; charset=utf-8"
        resource = MODELS[resource_type].model_validate(answer.data)
        assert f"{resource_type}/{resource.id}" == path


def test_every_reference_in_the_record_is_an_address_on_this_server_that_reads(client, harbour_token, hannah_event):
    references = set()
    for path in paths_of(hannah_event).values():
        references |= set(references_in(fhir(client, path, harbour_token).data))

    assert len(references) == 5
    for reference in references:
        answer = fhir(client, reference, harbour_token)
        assert answer.status == 200, reference
        assert answer.data["resourceType"] == reference.split("/")[0]


def test_the_clinics_own_patient_is_named_with_their_birth_date_and_no_contacts(client, harbour_token, hannah_event):
    patient = hannah_event.session.patient
    data = fhir(client, f"Patient/{patient.pk}", harbour_token).data

    assert data["name"] == [{"use": "official", "text": "Hannah Harbour", "family": "Harbour", "given": ["Hannah"]}]
    assert (data["birthDate"], data["gender"]) == ("1988-07-14", "female")
    assert data["identifier"] == [{"system": "https://clinic.example.com/fhir/patient", "value": str(patient.pk)}]
    assert "telecom" not in data
    assert patient.email not in str(data)


def test_the_procedure_names_the_areas_the_zones_charted_the_lots_and_their_products(
    client, harbour_token, hannah_event
):
    data = fhir(client, f"Procedure/{hannah_event.session.pk}", harbour_token).data

    assert [site["text"] for site in data["bodySite"]] == ["Face", "Neck", "Left cheek", "Right cheek"]
    assert data["bodySite"][2]["coding"][0]["code"] == "cheek_left"
    assert data["usedReference"] == [
        {"reference": f"Device/{hannah_event.device_lot.pk}"},
        {"reference": f"Medication/{hannah_event.medicine_lot.pk}"},
    ]
    assert data["usedCode"] == [
        {"text": "Hydra Boost", "coding": [{"system": "https://www.gs1.org/gtin", "code": "05412345000013"}]},
        {"text": "Lidocaine 1%"},
    ]
    assert data["subject"] == {"reference": f"Patient/{hannah_event.session.patient_id}"}


def test_the_adverse_event_names_its_patient_suspect_lot_session_and_condition(client, harbour_token, hannah_event):
    data = fhir(client, f"AdverseEvent/{hannah_event.complication.pk}", harbour_token).data

    assert data["id"] == str(hannah_event.complication.pk)
    assert data["subject"] == {"reference": f"Patient/{hannah_event.session.patient_id}"}
    assert [entity["instance"]["reference"] for entity in data["suspectEntity"]] == [
        f"Device/{hannah_event.device_lot.pk}",
        f"Procedure/{hannah_event.session.pk}",
    ]
    assert data["resultingCondition"] == [{"reference": f"Condition/{hannah_event.complication.pk}"}]
    assert data["seriousness"]["coding"][0]["code"] == "serious"


def test_the_check_in_answer_is_the_patients_own(client, harbour_token, hannah_event):
    answer = ReactionReport.objects.get(session=hannah_event.session)
    data = fhir(client, f"QuestionnaireResponse/{answer.pk}", harbour_token).data

    assert data["subject"] == data["source"] == {"reference": f"Patient/{hannah_event.session.patient_id}"}
    assert data["authored"] == "2026-03-03T12:00:00+00:00"
    assert "Hannah here" not in str(data)


def test_a_lot_reads_only_as_the_resource_its_product_is(client, harbour_token, hannah_event):
    device = hannah_event.device_lot

    assert fhir(client, f"Medication/{device.pk}", harbour_token).status == 404
    assert fhir(client, f"Substance/{device.pk}", harbour_token).status == 404
    Product.objects.filter(pk=device.product_id).update(regulatory_status=RegulatoryStatus.OTHER)
    answer = fhir(client, f"Substance/{device.pk}", harbour_token)
    assert answer.status == 200
    assert Substance.model_validate(answer.data).instance[0].identifier.value == "HB-001"


def test_another_clinics_record_is_not_found_whatever_its_kind(client, harbour_token, hannah_event, rita_event):
    for path in paths_of(rita_event).values():
        answer = fhir(client, path, harbour_token)

        assert answer.status == 404, path
        issue = OperationOutcome.model_validate(answer.data).issue[0]
        assert (issue.severity, issue.code) == ("error", "not-found")
    assert not RecordView.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "Patient/6d1f3c1e-1f0e-4b7e-9a55-0c1d2e3f4a5b",
        "Patient/not-an-id",
        "AdverseEvent/not-a-number",
        "AdverseEvent/999999",
        "Observation/1",
        "Patient/1/_history",
    ],
)
def test_an_unknown_id_type_or_address_is_not_found_as_an_operation_outcome(client, harbour_token, hannah_event, path):
    answer = fhir(client, path, harbour_token)

    assert answer.status == 404
    assert answer.content_type == f"{FHIR_JSON}; charset=utf-8"
    OperationOutcome.model_validate(answer.data)


def test_each_read_of_a_patients_record_is_in_their_trail_and_a_lots_in_none(client, harbour_token, hannah_event, mary):
    paths = paths_of(hannah_event)
    for resource_type in ("Patient", "Procedure", "AdverseEvent", "Device"):
        fhir(client, paths[resource_type], harbour_token)

    views = RecordView.objects.order_by("viewed_at", "pk")
    assert [(view.user, view.patient_id) for view in views] == [(mary, hannah_event.session.patient_id)] * 3
    assert [view.path for view in views] == [
        f"/fhir/{paths[kind]}" for kind in ("Patient", "Procedure", "AdverseEvent")
    ]


# What a token's request costs whatever it reads: the token and its clinic and creator found, its use
# counted and written to the trail.
TOKEN_QUERIES = 5


@pytest.mark.parametrize(
    ("resource_type", "queries"),
    [
        ("Patient", 2),
        ("Procedure", 5),
        ("QuestionnaireResponse", 5),
        ("AdverseEvent", 7),
        ("Condition", 2),
        ("Device", 1),
    ],
)
def test_a_read_takes_a_fixed_number_of_queries(
    client, harbour_token, hannah_event, resource_type, queries, django_assert_num_queries
):
    path = paths_of(hannah_event)[resource_type]

    with django_assert_num_queries(TOKEN_QUERIES + queries):
        answer = fhir(client, path, harbour_token)

    assert answer.status == 200
