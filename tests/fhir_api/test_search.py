"""Another system searches Harbour's record by patient and by date, and gets a searchset Bundle (read
back with fhir.resources' R4B models) of Harbour's rows only, a page at a time, each patient in it
written to the trail."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome

from clinics.models import Role
from trail.models import RecordView

from ..conftest import SESSION_AT
from ..factories import ClinicFactory, MembershipFactory, PatientFactory, TreatmentSessionFactory, UserFactory
from ..vigilance.confirmed import answer_check_in, confirm
from .conftest import FHIR_JSON, fhir
from .test_reads import TOKEN_QUERIES

SEARCHED = ["Patient", "Procedure", "QuestionnaireResponse", "AdverseEvent"]


def ids_in(bundle) -> list[str]:
    return [entry["resource"]["id"] for entry in bundle.get("entry", []) if entry["search"]["mode"] == "match"]


def sessions_at(clinic, practitioner, *moments):
    return [
        TreatmentSessionFactory(patient=PatientFactory(clinic=clinic), practitioner=practitioner, performed_at=moment)
        for moment in moments
    ]


@pytest.mark.parametrize("resource_type", SEARCHED)
def test_each_search_answers_a_searchset_bundle_of_the_clinics_rows_only(
    client, harbour_token, hannah_event, rita_event, resource_type
):
    answer = fhir(client, resource_type, harbour_token)

    assert answer.status == 200
    assert answer.content_type == f"{FHIR_JSON}; charset=utf-8"
    bundle = Bundle.model_validate(answer.data)
    assert (bundle.type, bundle.total, len(bundle.entry)) == ("searchset", 1, 1)
    entry = bundle.entry[0]
    assert entry.resource.__resource_type__ == resource_type
    assert entry.fullUrl == f"http://testserver/fhir/{resource_type}/{entry.resource.id}"
    assert "Rita" not in str(answer.data)
    assert str(rita_event.session.patient_id) not in str(answer.data)


@pytest.mark.parametrize("resource_type", ["Procedure", "QuestionnaireResponse", "AdverseEvent"])
def test_a_search_by_patient_finds_that_patients_rows_and_never_another_clinics(
    client, grace, token_for, harbour, hannah_event, rita_event, alice, time_machine, resource_type
):
    token = token_for(harbour, user=grace)
    other = PatientFactory(clinic=harbour)
    session = TreatmentSessionFactory(patient=other, practitioner=alice, performed_at=SESSION_AT)
    answer_check_in(session, 30, time_machine=time_machine)
    confirm(session, alice, time_machine=time_machine)
    hannah, rita = hannah_event.session.patient_id, rita_event.session.patient_id

    assert fhir(client, resource_type, token).data["total"] == 2
    for value in (hannah, f"Patient/{hannah}", f"http://testserver/fhir/Patient/{hannah}"):
        assert fhir(client, f"{resource_type}?patient={value}", token).data["total"] == 1
    assert fhir(client, f"{resource_type}?subject=Patient/{other.pk}", token).data["total"] == 1
    assert fhir(client, f"{resource_type}?patient={hannah},{other.pk}", token).data["total"] == 2
    for nobody in (rita, f"Device/{hannah}", "not-an-id"):
        answer = fhir(client, f"{resource_type}?patient={nobody}", token)
        assert (answer.status, answer.data["total"], "entry" in answer.data) == (200, 0, False)


def test_a_patient_is_found_by_id_or_by_the_local_identifier(client, harbour_token, hannah_event, rita_event):
    hannah = hannah_event.session.patient_id
    system = "https://clinic.example.com/fhir/patient"

    for query in (f"_id={hannah}", f"identifier={hannah}", f"identifier={system}|{hannah}"):
        assert ids_in(fhir(client, f"Patient?{query}", harbour_token).data) == [str(hannah)]
    for query in (f"identifier=http://elsewhere.example/ids|{hannah}", f"_id={rita_event.session.patient_id}"):
        assert fhir(client, f"Patient?{query}", harbour_token).data["total"] == 0


def test_date_prefixes_bound_the_sessions_searched(client, harbour_token, harbour, alice):
    early, middle, late = sessions_at(harbour, alice, *(datetime(2026, 1, day, 12, tzinfo=UTC) for day in (1, 15, 31)))

    def found(query):
        return set(ids_in(fhir(client, f"Procedure?{query}", harbour_token).data))

    assert found("date=ge2026-01-01&date=le2026-01-31") == {str(s.pk) for s in (early, middle, late)}
    assert found("date=gt2026-01-01&date=lt2026-01-31") == {str(middle.pk)}
    assert found("date=eq2026-01-15") == found("date=2026-01-15") == {str(middle.pk)}
    assert found("date=2026-01") == {str(s.pk) for s in (early, middle, late)}
    assert found("date=2026-01-01,2026-01-31") == {str(early.pk), str(late.pk)}
    assert found("date=ge2026-01-15T12:00:00Z") == {str(middle.pk), str(late.pk)}
    assert found("date=gt2026-01-15T12:00:00Z") == {str(late.pk)}
    # A "+" not escaped in the query string arrives as a space, and still means the offset.
    assert found("date=lt2026-01-15T13:00:00+01:00") == {str(early.pk)}


def test_a_bare_date_is_that_day_on_each_clinics_own_clock(client_for, harbour, alice, time_machine):
    tokyo = ClinicFactory(name="Ginza Skin", time_zone="Asia/Tokyo")
    kenji = UserFactory(username="kenji")
    for clinic in (harbour, tokyo):
        MembershipFactory(user=kenji, clinic=clinic, role=Role.MANAGER)
    # The same instants: 1 March in London, already 2 March in Tokyo.
    in_london, in_tokyo = (
        sessions_at(clinic, alice, datetime(2026, 3, 1, 20, tzinfo=UTC))[0] for clinic in (harbour, tokyo)
    )
    for session in (in_london, in_tokyo):
        answer_check_in(session, -12, time_machine=time_machine)
    client = client_for(kenji)

    def found(query):
        return set(ids_in(fhir(client, query).data))

    assert found("Procedure?date=2026-03-01") == {str(in_london.pk)}
    assert found("Procedure?date=2026-03-02") == {str(in_tokyo.pk)}
    answers = {session.reports.get().pk: session for session in (in_london, in_tokyo)}
    assert {answers[UUID(id)] for id in found("QuestionnaireResponse?authored=2026-03-02")} == {in_tokyo}
    assert {answers[UUID(id)] for id in found("QuestionnaireResponse?authored=le2026-03-01")} == {in_london}


@pytest.mark.parametrize(
    "query",
    [
        "Procedure?date=2026-13-01",
        "Procedure?date=yesterday",
        "Procedure?date=ne2026-01-01",
        "Procedure?date=",
        "AdverseEvent?date=2026-02-30",
        "QuestionnaireResponse?authored=2026-1-1",
        "QuestionnaireResponse?date=2026-01-01",
        "Procedure?performed=2026-01-01",
        "Patient?name=Hannah",
        "Procedure?_count=-1",
        "Procedure?_count=many",
        "Procedure?_cursor=not-a-page",
    ],
)
def test_a_search_that_cannot_be_run_is_refused_with_an_operation_outcome(client, harbour_token, hannah_event, query):
    answer = fhir(client, query, harbour_token)

    assert answer.status == 400
    issue = OperationOutcome.model_validate(answer.data).issue[0]
    assert (issue.severity, issue.code) == ("error", "invalid")
    assert issue.details.text
    assert not RecordView.objects.exists()


def test_a_lenient_search_ignores_what_it_does_not_know_and_says_so(client, harbour_token, hannah_event):
    answer = fhir(client, "Procedure?_sort=date&date=ge2026-03-01", harbour_token, Prefer="handling=lenient")

    assert answer.status == 200
    bundle = Bundle.model_validate(answer.data)
    assert bundle.total == 1
    assert bundle.link[0].url == "http://testserver/fhir/Procedure?date=ge2026-03-01&_count=50"
    outcome = bundle.entry[-1]
    assert (outcome.search.mode, outcome.resource.issue[0].severity) == ("outcome", "warning")
    assert "_sort" in outcome.resource.issue[0].details.text


def test_count_sets_the_page_up_to_its_bound(client, harbour_token, harbour, alice):
    sessions_at(harbour, alice, *(SESSION_AT + timedelta(hours=hour) for hour in range(3)))

    assert len(ids_in(fhir(client, "Procedure", harbour_token).data)) == 3
    assert len(ids_in(fhir(client, "Procedure?_count=2", harbour_token).data)) == 2
    only_total = fhir(client, "Procedure?_count=0", harbour_token).data
    assert (only_total["total"], "entry" in only_total, len(only_total["link"])) == (3, False, 1)
    capped = fhir(client, "Procedure?_count=5000", harbour_token).data
    assert capped["link"][0]["url"].endswith("_count=200")


def test_the_next_links_walk_every_row_once_in_time_order(client, harbour_token, harbour, alice, rita_event):
    # Three sessions at one moment: the page boundary falls between rows of equal time.
    moments = [SESSION_AT + timedelta(hours=hours) for hours in (5, 1, 3, 3, 3, 0, 8)]
    sessions = sessions_at(harbour, alice, *moments)
    link, pages, seen = "Procedure?_count=2&date=ge2026-03-01", 0, []

    while link:
        bundle = Bundle.model_validate(fhir(client, link, harbour_token).data)
        assert bundle.total == 7
        seen += [entry.resource.id for entry in bundle.entry]
        link = next((item.url for item in bundle.link if item.relation == "next"), None)
        pages += 1

    assert pages == 4
    assert sorted(seen) == sorted(str(session.pk) for session in sessions)
    expected = sorted(sessions, key=lambda session: (session.performed_at, str(session.pk)))
    assert seen == [str(session.pk) for session in expected]


def test_each_patient_in_a_search_is_written_to_the_trail_once(client, harbour_token, harbour, alice, mary):
    hannah, harriet = PatientFactory(clinic=harbour), PatientFactory(clinic=harbour)
    for patient in (hannah, hannah, harriet):
        TreatmentSessionFactory(patient=patient, practitioner=alice, performed_at=SESSION_AT)

    fhir(client, "Procedure?date=2026-03-02", harbour_token)

    views = RecordView.objects.all()
    assert sorted((view.user, view.patient_id) for view in views) == sorted([(mary, hannah.pk), (mary, harriet.pk)])
    assert {view.path for view in views} == {"/fhir/Procedure?date=2026-03-02"}


# A search of each type narrowed by date, as a client syncing the record asks it, and the most queries it takes.
BY_DATE = {
    "Patient": ("Patient?_count=20", 3),
    "Procedure": ("Procedure?_count=20&date=ge2026-01-01", 7),
    "QuestionnaireResponse": ("QuestionnaireResponse?_count=20&authored=ge2026-01-01", 7),
    "AdverseEvent": ("AdverseEvent?_count=20&date=ge2026-01-01", 9),
}


@pytest.mark.parametrize("resource_type", SEARCHED)
def test_a_search_takes_the_same_queries_however_many_rows_it_finds(
    client, harbour_token, harbour, alice, time_machine, django_assert_max_num_queries, resource_type
):
    query, most = BY_DATE[resource_type]

    def add_rows(count):
        for session in sessions_at(harbour, alice, *[SESSION_AT] * count):
            answer_check_in(session, 26, time_machine=time_machine)
            confirm(session, alice, time_machine=time_machine)

    add_rows(1)
    with django_assert_max_num_queries(TOKEN_QUERIES + most) as one_row:
        fhir(client, query, harbour_token)
    add_rows(6)

    with django_assert_max_num_queries(len(one_row.captured_queries)):
        answer = fhir(client, query, harbour_token)

    assert answer.data["total"] == 7
