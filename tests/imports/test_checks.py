from datetime import UTC, date, datetime, timedelta

import pytest

from imports import messages
from imports.plan import Action, Plan
from tests.factories import BatchFactory, PatientFactory, ProductFactory

from .files import kind_file, plan_of

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def january_booster(harbour):
    """Hydra Boost, whose lot HB-001 expired on 31 January 2026."""
    product = ProductFactory(clinic=harbour, name="Hydra Boost", manufacturer="Dermalab", gtin="03700000000013")
    BatchFactory(product=product, lot_number="HB-001", expiry_date=date(2026, 1, 31), received_on=date(2025, 6, 1))
    return product


def _session(**cells):
    line = {
        "external_id": "S1",
        "patient_external_id": "P1",
        "performed_at": "2026-03-02 10:00",
        "practitioner_email": "alice@example.com",
        "technique": "nappage",
        "areas": "face|neck",
        "product_gtin": "3700000000013",
        "lot_number": "HB-001",
        "volume_ml": "1,5",
    }
    return {**line, **cells}


def _patient(**cells):
    return {
        "external_id": "P1",
        "first_name": "Zoé",
        "last_name": "Lefèvre",
        "date_of_birth": "14/07/1985",
        "phone": "+447400123456",
        **cells,
    }


def test_a_clean_history_is_planned_for_creation(harbour, alice, january_booster):
    plan = plan_of(
        harbour,
        NOW,
        patients=kind_file("patients", _patient()),
        sessions=kind_file("sessions", _session(), _session(lot_number="hb-001", volume_ml="0.5")),
    )

    assert plan.refusals == []
    assert plan.counts() == {
        "patients": {"create": 1, "update": 0, "skip": 0},
        "sessions": {"create": 1, "update": 0, "skip": 0},
    }
    session = plan.rows_of("sessions")[0]
    assert session["performed_at"] == "2026-03-02T10:00:00+00:00"
    assert session["areas"] == ["face", "neck"]
    assert [product["volume_ml"] for product in session["products"]] == ["1.5", "0.5"]
    assert session["practitioner_id"] == alice.pk
    assert plan.rows_of("patients")[0]["date_of_birth"] == "1985-07-14"
    assert Plan.from_json(plan.as_json()) == plan


def test_an_unknown_lot_is_refused_with_its_line_number(harbour, alice, january_booster):
    plan = plan_of(
        harbour,
        NOW,
        patients=kind_file("patients", _patient()),
        sessions=kind_file("sessions", _session(), _session(external_id="S2", lot_number="NOPE")),
    )

    [refusal] = plan.refusals
    assert (refusal.kind, refusal.line, refusal.column, refusal.code) == (
        "sessions",
        3,
        "lot_number",
        messages.UNKNOWN_LOT,
    )
    assert refusal.params == {"lot": "NOPE", "product": "Hydra Boost (Dermalab)"}


def test_a_batch_used_after_its_expiry_is_kept_with_a_warning(harbour, alice, january_booster):
    plan = plan_of(
        harbour,
        NOW,
        patients=kind_file("patients", _patient()),
        sessions=kind_file("sessions", _session()),
    )

    assert plan.refusals == []
    [warning] = plan.warnings
    assert (warning.line, warning.code) == (2, messages.EXPIRED_AT_USE)
    assert plan.rows_of("sessions")[0]["products"][0]["expired_at_use"] is True
    assert plan.expired_at_use == 1


def test_a_future_session_is_refused(harbour, alice, january_booster):
    plan = plan_of(
        harbour,
        NOW,
        patients=kind_file("patients", _patient()),
        sessions=kind_file("sessions", _session(performed_at="2026-07-01 10:00")),
    )

    assert [(problem.line, problem.column, problem.code) for problem in plan.refusals] == [
        (2, "performed_at", messages.IN_FUTURE)
    ]


def test_a_landline_keeps_the_patient_with_a_warning(harbour):
    plan = plan_of(harbour, NOW, patients=kind_file("patients", _patient(phone="020 7946 0999")))

    assert plan.refusals == []
    assert [(problem.column, problem.code) for problem in plan.warnings] == [("phone", messages.CANNOT_RECEIVE_TEXTS)]
    assert plan.rows_of("patients")[0]["phone"] == "+442079460999"


def test_same_name_and_birth_date_under_another_number_is_a_question(harbour):
    stored = PatientFactory(clinic=harbour, first_name="Zoe", last_name="LEFEVRE", date_of_birth=date(1985, 7, 14))

    plan = plan_of(harbour, NOW, patients=kind_file("patients", _patient()))

    [question] = plan.questions
    assert (question.external_id, question.existing_patient_id) == ("P1", str(stored.pk))
    answered = plan.with_answers({"P1": "same"})
    assert answered.rows_of("patients")[0]["action"] == Action.UPDATE
    assert answered.rows_of("patients")[0]["existing_patient_id"] == str(stored.pk)


def test_a_patient_exported_by_us_is_skipped_when_unchanged(harbour):
    stored = PatientFactory(
        clinic=harbour, first_name="Zoé", last_name="Lefèvre", date_of_birth=date(1985, 7, 14), phone="+447400123456"
    )

    plan = plan_of(harbour, NOW, patients=kind_file("patients", _patient(external_id=str(stored.pk))))

    assert plan.rows_of("patients")[0]["action"] == Action.SKIP
    assert plan.questions == []


def test_bad_cells_are_each_refused_with_a_message(harbour):
    plan = plan_of(
        harbour,
        NOW,
        patients=kind_file(
            "patients", _patient(date_of_birth="31/02/1985", sex="unknown", phone="12", last_name="x" * 81)
        ),
    )

    assert {(problem.column, problem.code) for problem in plan.refusals} == {
        ("date_of_birth", messages.BAD_DATE),
        ("sex", messages.NOT_ACCEPTED),
        ("phone", messages.BAD_PHONE),
        ("last_name", messages.TOO_LONG),
    }
    assert plan.rows_of("patients") == []


def test_an_unknown_practitioner_and_product_are_refused(harbour, alice, january_booster):
    plan = plan_of(
        harbour,
        NOW,
        patients=kind_file("patients", _patient()),
        sessions=kind_file(
            "sessions",
            _session(
                practitioner_email="nobody@example.com", product_gtin="", product_name="Other", product_manufacturer="X"
            ),
        ),
    )

    assert {problem.code for problem in plan.refusals} == {messages.UNKNOWN_PRACTITIONER, messages.UNKNOWN_PRODUCT}


def test_a_session_still_recovering_is_listed(harbour, alice, january_booster):
    BatchFactory(
        product=january_booster, lot_number="HB-002", expiry_date=date(2027, 1, 1), received_on=date(2026, 1, 1)
    )
    recent = (NOW - timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    plan = plan_of(
        harbour,
        NOW,
        patients=kind_file("patients", _patient()),
        sessions=kind_file(
            "sessions",
            _session(performed_at=recent, lot_number="HB-002"),
            _session(external_id="S2", performed_at="2026-05-01 10:00", lot_number="HB-002"),
            _session(external_id="S3", performed_at="2026-04-01 10:00", lot_number="HB-002"),
        ),
        reactions=kind_file(
            "reactions",
            {
                "session_external_id": "S2",
                "reported_at": "2026-06-10 09:00",
                "reaction": "swelling",
                "severity": "moderate",
            },
            {
                "session_external_id": "S3",
                "reported_at": "2026-06-10 09:00",
                "reaction": "swelling",
                "severity": "none",
            },
        ),
    )

    assert plan.refusals == []
    assert [(session.session_external_id, session.reason) for session in plan.in_recovery] == [
        ("S2", "report"),
        ("S1", "recent"),
    ]


def test_products_and_lots_are_found_in_the_same_imports_files(harbour, alice):
    plan = plan_of(
        harbour,
        NOW,
        patients=kind_file("patients", _patient()),
        products=kind_file(
            "products", {"name": "Glow", "manufacturer": "Lab", "kind": "Acide hyaluronique", "gtin": ""}
        ),
        batches=kind_file(
            "batches",
            {
                "product_name": "glow",
                "product_manufacturer": "LAB",
                "lot_number": "G-1",
                "expiry_date": "2027-01-01",
                "received_on": "2025-01-01",
            },
        ),
        sessions=kind_file(
            "sessions",
            _session(product_gtin="", product_name="Glow", product_manufacturer="Lab", lot_number="g-1"),
        ),
    )

    assert plan.refusals == []
    assert plan.counts()["products"]["create"] == plan.counts()["batches"]["create"] == 1
    assert plan.rows_of("products")[0]["kind"] == "hyaluronic_acid"
    assert plan.rows_of("sessions")[0]["products"][0]["expired_at_use"] is False


def test_a_batch_of_an_unknown_product_and_one_that_expires_before_it_came_are_refused(harbour):
    plan = plan_of(
        harbour,
        NOW,
        batches=kind_file(
            "batches",
            {
                "product_gtin": "3700000000013",
                "lot_number": "X",
                "expiry_date": "2027-01-01",
                "received_on": "2025-01-01",
            },
            {"product_gtin": "123", "lot_number": "Y", "expiry_date": "2027-01-01", "received_on": "2025-01-01"},
            {"product_name": "A", "lot_number": "Z", "expiry_date": "2024-01-01", "received_on": "2025-01-01"},
        ),
    )

    assert [(problem.line, problem.column, problem.code) for problem in plan.refusals] == [
        (2, "product_gtin", messages.UNKNOWN_PRODUCT),
        (3, "product_gtin", messages.BAD_GTIN),
        (4, "product_gtin", messages.NO_PRODUCT_NAMED),
        (4, "expiry_date", messages.EXPIRES_BEFORE_RECEIVED),
    ]


def test_reactions_and_complications_are_checked_against_their_sessions(harbour, alice, january_booster):
    plan = plan_of(
        harbour,
        NOW,
        patients=kind_file("patients", _patient()),
        sessions=kind_file("sessions", _session()),
        reactions=kind_file(
            "reactions",
            {"session_external_id": "S9", "reported_at": "2026-03-03 10:00", "red_flag": "pus_or_discharge"},
            {"session_external_id": "S1", "reported_at": "2026-03-03 10:00", "reaction": "redness"},
            {"session_external_id": "S1", "reported_at": "2026-03-01 10:00", "red_flag": "fever"},
            {"session_external_id": "S1", "reported_at": "2026-03-03 10:00", "reaction": "redness", "severity": "2"},
        ),
        complications=kind_file(
            "complications",
            {
                "session_external_id": "S1",
                "complication_type": "Infection",
                "onset_at": "2026-03-04 10:00",
                "resolved_on": "2026-03-01",
                "seriousness": "serious_hospitalisation",
                "treatments_given": "antibiotics|drainage",
            },
        ),
    )

    assert [(problem.kind, problem.line, problem.code) for problem in plan.refusals] == [
        ("reactions", 2, messages.UNKNOWN_SESSION),
        ("reactions", 3, messages.SEVERITY_WITHOUT_REACTION),
        ("reactions", 4, messages.BEFORE_SESSION),
        ("complications", 2, messages.RESOLVED_BEFORE_ONSET),
    ]
    assert plan.rows_of("reactions")[0]["severity"] == "moderate"
