"""A serious complication ready to report: Hannah Whitlock, born 15 June 1990, treated at Harbour on
2 March 2026 with Hydra Boost lot HB-001; an infection announced by her report two days later,
confirmed with a hospital stay and antibiotics, resolved on 12 March."""

from datetime import date

import pytest

from recovery import complications, services
from recovery.models import ReactionType, RedFlagQuestion
from recovery.rules import Severity
from treatments.models import RegulatoryStatus, Route

from ..conftest import SESSION_AT, at
from ..factories import BatchFactory, PatientFactory, TreatmentSessionFactory


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
