"""Who reads the FHIR API: a token of one clinic with the read scope reads that clinic's record;
staff signed in to the site, having given their code, read their own clinics'; anyone else is
refused as FHIR refuses, with an OperationOutcome, and nothing is written to the trail."""

import pytest
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome

from api.models import ApiToken
from api.services import api_token_revoke
from patients.models import Patient
from trail.models import RecordView, TokenRequest

from ..factories import UserFactory
from .conftest import FHIR_JSON, fhir


def refused(answer, status: int, code: str) -> None:
    assert answer.status == status
    assert answer.content_type == f"{FHIR_JSON}; charset=utf-8"
    issue = OperationOutcome.model_validate(answer.data).issue[0]
    assert (issue.severity, issue.code) == ("error", code)
    assert not RecordView.objects.exists()


@pytest.mark.parametrize("path", ["Patient", "Procedure?date=2026-03-02", "AdverseEvent/1"])
def test_without_a_token_or_a_sign_in_the_answer_is_401_naming_the_bearer_scheme(client, hannah_event, path):
    answer = fhir(client, path)

    refused(answer, 401, "login")
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in answer.data["issue"][0]["details"]["text"]


def test_an_unknown_token_is_refused_401(client, token_for, hannah_event):
    refused(fhir(client, "Patient", "not-a-token"), 401, "login")


def test_a_token_without_the_read_scope_is_refused_403(client, token_for, harbour, mary, hannah_event):
    token = token_for(harbour, user=mary, scopes=["write"])

    answer = fhir(client, f"Patient/{hannah_event.session.patient_id}", token)

    refused(answer, 403, "forbidden")
    assert "read" in answer.data["issue"][0]["details"]["text"]


def test_a_token_reads_its_own_clinic_only_though_its_creator_manages_more(
    client, token_for, harbour, grace, hannah_event, rita_event
):
    token = token_for(harbour, user=grace)

    assert fhir(client, f"Patient/{hannah_event.session.patient_id}", token).status == 200
    assert fhir(client, f"Patient/{rita_event.session.patient_id}", token).status == 404
    assert fhir(client, "Patient", token).data["total"] == 1


def test_staff_signed_in_read_their_own_clinics_record_and_no_other(client_for, alice, hannah_event, rita_event):
    client = client_for(alice)

    assert fhir(client, f"Procedure/{hannah_event.session.pk}").status == 200
    assert fhir(client, f"Procedure/{rita_event.session.pk}").status == 404
    assert fhir(client, "Procedure").data["total"] == 1
    assert set(RecordView.objects.values_list("user", "patient")) == {(alice.pk, hannah_event.session.patient_id)}


def test_staff_who_owe_their_two_factor_code_are_refused_401(client, mary, hannah_event):
    client.force_login(mary)

    answer = fhir(client, f"Patient/{hannah_event.session.patient_id}")

    refused(answer, 401, "login")
    assert "two-factor" in answer.data["issue"][0]["details"]["text"]


def test_someone_of_no_clinic_is_refused_403(client_for, hannah_event):
    refused(fhir(client_for(UserFactory(username="visitor")), "Patient"), 403, "forbidden")


def test_the_capability_statement_is_open_to_all_and_names_every_resource_and_search(client, db):
    answer = fhir(client, "metadata")

    assert answer.status == 200
    statement = CapabilityStatement.model_validate(answer.data)
    assert (statement.fhirVersion, statement.kind) == ("4.0.1", "instance")
    resources = {resource.type: resource for resource in statement.rest[0].resource}
    assert set(resources) == {
        "Patient",
        "Procedure",
        "QuestionnaireResponse",
        "AdverseEvent",
        "Condition",
        "Device",
        "Medication",
        "Substance",
    }
    assert [parameter.name for parameter in resources["QuestionnaireResponse"].searchParam] == [
        "_id",
        "patient",
        "subject",
        "authored",
    ]
    assert resources["Device"].searchParam is None


@pytest.mark.parametrize(
    ("accept", "query"),
    [("application/json", ""), ("*/*", ""), ("text/html,application/xhtml+xml,*/*;q=0.8", ""), ("", "?_format=json")],
)
def test_any_client_that_takes_json_is_answered_in_fhir_json(client, harbour_token, hannah_event, accept, query):
    answer = fhir(client, f"Patient{query}", harbour_token, Accept=accept)

    assert answer.status == 200
    assert answer.content_type == f"{FHIR_JSON}; charset=utf-8"


@pytest.mark.parametrize(("accept", "query"), [("application/fhir+xml", ""), (FHIR_JSON, "?_format=xml")])
def test_a_client_that_takes_only_xml_is_refused_406(client, harbour_token, hannah_event, accept, query):
    refused(fhir(client, f"Patient{query}", harbour_token, Accept=accept), 406, "not-supported")


def test_writing_is_refused_405_and_changes_nothing(client, harbour_token, hannah_event):
    answer = fhir(client, f"Patient/{hannah_event.session.patient_id}", harbour_token, method="delete")

    refused(answer, 405, "not-supported")
    assert Patient.objects.filter(pk=hannah_event.session.patient_id).exists()


def test_an_address_the_server_does_not_offer_is_404_and_a_type_read_by_id_is_not_searched(
    client, harbour_token, hannah_event
):
    for path in ("", "Patient/1/_history", "$export"):
        refused(fhir(client, path, harbour_token), 404, "not-found")
    answer = fhir(client, "Device", harbour_token)
    refused(answer, 404, "not-found")
    assert answer.data["issue"][0]["details"]["text"] == "Device is read by id here, not searched."


def test_no_answer_is_kept_in_a_cache(client, harbour_token, hannah_event):
    for path in ("Patient", f"Patient/{hannah_event.session.patient_id}", "Observation/1"):
        assert fhir(client, path, harbour_token).headers["Cache-Control"] == "private, no-store"


def test_a_read_with_a_token_is_counted_and_written_to_the_trail_as_the_tokens(client, harbour_token, hannah_event):
    patient_id = hannah_event.session.patient_id

    fhir(client, f"Patient/{patient_id}", harbour_token)

    token = ApiToken.objects.get()
    assert token.use_count == 1
    assert token.last_used_at is not None
    assert [(r.method, r.path, r.status_code) for r in TokenRequest.objects.filter(token=token)] == [
        ("GET", f"/fhir/Patient/{patient_id}", 200)
    ]


def test_a_revoked_token_is_refused_401(client, harbour_token, mary, hannah_event):
    api_token_revoke(token=ApiToken.objects.get(), revoked_by=mary)

    refused(fhir(client, f"Patient/{hannah_event.session.patient_id}", harbour_token), 401, "login")
