"""A token reads its own clinic's record, every kind of it, and nothing of another clinic's, in a fixed
number of queries per page however many rows there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ..factories import BatchFactory, PatientFactory, TreatmentSessionFactory
from .conftest import clinic_records

# Each list, and the detail of each kind of record by the record its id comes from.
LISTS = ["patients", "sessions", "recoveries", "reports", "follow_ups", "complications", "batches"]
DETAILS = [
    ("patient", "patient"),
    ("session", "session"),
    ("recovery", "session"),
    ("report", "report"),
    ("follow_up", "follow_up"),
    ("complication", "complication"),
    ("batch", "batch"),
]


def ids_in(response) -> set[str]:
    rows = response.json()["results"]
    return {str(row.get("id", row.get("session"))) for row in rows}


def record_ids(records) -> set[str]:
    return {str(record.pk) for record in records.values()}


@pytest.mark.parametrize("name", LISTS)
def test_a_list_holds_the_clinics_rows_and_never_another_clinics(api, harbour_records, riverside_records, name):
    response = api.get(reverse(f"api:{name}"))

    assert response.status_code == 200
    listed = ids_in(response)
    assert listed
    assert listed <= record_ids(harbour_records)
    assert not listed & record_ids(riverside_records)


@pytest.mark.parametrize(("name", "record"), DETAILS)
def test_a_record_of_the_clinic_is_read_by_its_id(api, harbour_records, name, record):
    response = api.get(reverse(f"api:{name}", args=[harbour_records[record].pk]))

    assert response.status_code == 200


@pytest.mark.parametrize(("name", "record"), DETAILS)
def test_another_clinics_record_is_not_found(api, harbour_records, riverside_records, name, record):
    response = api.get(reverse(f"api:{name}", args=[riverside_records[record].pk]))

    assert response.status_code == 404


def test_a_session_shows_its_areas_zones_products_batches_and_volumes(api, harbour_records):
    session = harbour_records["session"]
    batch = harbour_records["batch"]

    data = api.get(reverse("api:session", args=[session.pk])).json()

    assert data["patient"] == str(session.patient_id)
    assert data["areas"] == [{"area": "face", "description": ""}]
    assert data["products"] == [
        {
            "batch": str(batch.pk),
            "product": str(batch.product_id),
            "product_name": batch.product.name,
            "lot_number": batch.lot_number,
            "expiry_date": batch.expiry_date.isoformat(),
            "volume_ml": "2.00",
        }
    ]
    assert data["practitioner"]["name"] == str(session.practitioner)


def test_a_recovery_gives_its_status_reasons_with_levels_and_its_deadline(api, harbour_records):
    recovery = harbour_records["recovery"]

    data = api.get(reverse("api:recovery", args=[recovery.pk])).json()

    assert data["status"] == "needs_attention"
    assert data["followed_up"] is True
    assert data["reasons"][0]["level"] == "attention"
    assert data["reasons"][0]["code"] == "red_flag"
    assert data["reasons"][0]["reason"] == "Red flag reported: Fever"
    assert data["patient_reported"] is True
    assert data["clinician_confirmed"] is True
    assert "deadline" in data


def test_a_report_gives_its_reactions_with_levels_and_its_red_flags(api, harbour_records):
    data = api.get(reverse("api:report", args=[harbour_records["report"].pk])).json()

    assert data["reactions"] == [
        {"reaction": "redness", "label": "Redness", "kind": "expected", "severity": 2, "pain_score": None, "areas": []}
    ]
    assert {"question": "fever", "present": True} in [
        {"question": flag["question"], "present": flag["present"]} for flag in data["red_flags"]
    ]


def test_batches_say_which_is_quarantined_and_why(api, harbour_records):
    quarantined = api.get(reverse("api:batches"), {"quarantined": "true"}).json()["results"]

    assert [(row["lot_number"], row["quarantine_reason"]) for row in quarantined] == [("HAN-002", "Cloudy vials")]
    in_use = api.get(reverse("api:batches"), {"quarantined": "false"}).json()["results"]
    assert [row["lot_number"] for row in in_use] == ["HAN-001"]


def test_lists_narrow_to_one_session(api, harbour, alice, harbour_records):
    other = clinic_records(harbour, alice, name="Olga")
    session = other["session"]

    for name in ("reports", "follow_ups", "complications"):
        rows = api.get(reverse(f"api:{name}"), {"session": str(session.pk)}).json()["results"]

        assert {row["session"] for row in rows} == {str(session.pk)}, name


def test_a_filter_value_that_is_not_an_id_is_refused(api, harbour_records):
    response = api.get(reverse("api:sessions"), {"patient": "Hannah"})

    assert response.status_code == 400
    assert "patient" in response.json()


def queries_for(api, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert api.get(url).status_code == 200
    return len(captured)


def more_rows(clinic, practitioner, count):
    batch = BatchFactory(product__clinic=clinic)
    for index in range(count):
        clinic_records(clinic, practitioner, name=f"P{index}x")
        TreatmentSessionFactory(patient=PatientFactory(clinic=clinic), practitioner=practitioner, batches=[batch])


# Five for the token (read; then its use counted and the request written to the trail, in a transaction
# of its own, here a savepoint and its release), one for the page, one for each kind of thing its rows show.
LIST_QUERIES = {
    "patients": 6,
    "sessions": 10,
    "recoveries": 8,
    "reports": 8,
    "follow_ups": 6,
    "complications": 7,
    "batches": 6,
}


@pytest.mark.parametrize("name", LISTS)
def test_a_list_reads_in_as_many_queries_for_many_rows_as_for_one(
    api, harbour, alice, harbour_records, name, django_assert_max_num_queries
):
    url = reverse(f"api:{name}")
    one = queries_for(api, url)
    more_rows(harbour, alice, 5)

    assert queries_for(api, url) == one
    with django_assert_max_num_queries(LIST_QUERIES[name]):
        api.get(url)
