"""Events to report: a complication confirmed at a chosen moment (`confirm`), a French clinic whose
rule is to declare at once (`paris`), and a serious complication ready to report: Hannah Whitlock,
born 15 June 1990, treated at Harbour on 2 March 2026 with Hydra Boost lot HB-001; an infection
announced by her report two days later, confirmed with a hospital stay and antibiotics, resolved on
12 March."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from clinics.models import Role
from recovery import complications, services
from recovery.models import Outcome, ReactionType, RedFlagQuestion
from recovery.rules import Severity
from treatments.models import RegulatoryStatus, Route

from ..conftest import SESSION_AT, at
from ..factories import (
    BatchFactory,
    ClinicFactory,
    MembershipFactory,
    PatientFactory,
    TreatmentSessionFactory,
    UserFactory,
)

LONDON = ZoneInfo("Europe/London")
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def hydra_boost(harbour):
    return BatchFactory(
        product__clinic=harbour,
        product__name="Hydra Boost",
        product__manufacturer="Dermalab",
        product__manufacturer_address="12 Rue des Fleurs, 69002 Lyon, France",
        product__common_name="Non-cross-linked hyaluronic acid",
        product__regulatory_status=RegulatoryStatus.MEDICAL_DEVICE,
        product__route=Route.INTRADERMAL,
        product__catalogue_reference="DL-HB15",
        product__gtin="09506000134369",
        lot_number="HB-001",
        expiry_date=date(2027, 9, 15),
        supplier="Dermalab UK",
    )


@pytest.fixture
def hannah(harbour):
    return PatientFactory(
        clinic=harbour,
        first_name="Hannah",
        last_name="Whitlock",
        date_of_birth=date(1990, 6, 15),
        sex="female",
        sensitivities="Lidocaine",
    )


@pytest.fixture
def serious_complication(hannah, alice, hydra_boost, time_machine):
    time_machine.move_to(SESSION_AT, tick=False)
    session = TreatmentSessionFactory(
        patient=hannah, practitioner=alice, performed_at=SESSION_AT, areas=["face", "neck"], batches=[hydra_boost]
    )
    time_machine.move_to(at(50), tick=False)
    types = {t.code: t for t in ReactionType.objects.filter(clinic=session.clinic)}
    questions = list(RedFlagQuestion.objects.filter(clinic=session.clinic))
    services.report_create(
        session=session,
        reported_at=at(50),
        reactions=[
            services.ReactionEntry(types["swelling"], Severity.MODERATE),
            services.ReactionEntry(types["redness"], Severity.SEVERE),
        ],
        red_flags_present=[q for q in questions if q.code == "fever"],
        red_flags_asked=questions,
        wants_call=True,
        note="Hannah says it is hot",
        source=services.ReportSource.PATIENT,
        recorded_by=None,
    )
    time_machine.move_to(at(24 * 12), tick=False)
    return complications.complication_record(
        recovery=session.recovery,
        complication_type="infection",
        grade=3,
        seriousness=["serious_hospitalisation"],
        suspects={session.products_used.get().pk: "probable"},
        outcome="recovered",
        treatments_given=["antibiotics", "referred"],
        resolved_on=date(2026, 3, 12),
        note="Whitlock admitted two nights for intravenous antibiotics.",
        recorded_by=alice,
    )


@pytest.fixture
def confirm(time_machine):
    """Confirm a complication of the session at a moment, serious by hospitalisation unless told otherwise."""

    def record(session, when: datetime, *, grade=3, seriousness=("serious_hospitalisation",), **fields):
        time_machine.move_to(when, tick=False)
        fields.setdefault("outcome", Outcome.FATAL if "serious_death" in seriousness else Outcome.RECOVERING)
        return complications.complication_record(
            recovery=session.recovery,
            complication_type=fields.pop("complication_type", "infection"),
            grade=grade,
            seriousness=seriousness,
            recorded_by=session.practitioner,
            **fields,
        )

    return record


@pytest.fixture
def riverside_session(riverside_patient, bob):
    return TreatmentSessionFactory(patient=riverside_patient, practitioner=bob, performed_at=SESSION_AT)


@pytest.fixture
def paris(db):
    """A clinic in France, with its practitioner Pierre and its manager Margaux."""
    clinic = ClinicFactory(name="Clinique du Marais", country="FR", time_zone="Europe/Paris", emergency_phone="15")
    for username, role in (("pierre", Role.PRACTITIONER), ("margaux", Role.MANAGER)):
        MembershipFactory(user=UserFactory(username=username, first_name=username.title()), clinic=clinic, role=role)
    return clinic


@pytest.fixture
def paris_session(paris):
    return TreatmentSessionFactory(
        patient=PatientFactory(clinic=paris, first_name="Paule"),
        practitioner=paris.staff.get(username="pierre"),
        performed_at=datetime(2026, 3, 2, 9, tzinfo=PARIS),
    )
