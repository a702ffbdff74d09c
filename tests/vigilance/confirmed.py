"""A confirmed complication the vigilance tests start from: Hannah's infection after her session of
2 March 2026 at Harbour, with a device lot (suspected) and a medicine lot, and one answered check-in."""

from dataclasses import dataclass
from datetime import date, timedelta

from checkins.services import check_in_answer
from recovery import complications
from recovery.models import CheckIn, CheckInStatus, Complication, ReactionType, RedFlagQuestion
from recovery.rules import Severity
from recovery.services import ReactionEntry
from treatments.models import Batch, RegulatoryStatus, TreatmentSession

from ..conftest import SESSION_AT, at
from ..factories import BatchFactory, PatientFactory, TreatmentSessionFactory

GTIN = "05412345000013"


@dataclass
class Event:
    session: TreatmentSession
    device_lot: Batch
    medicine_lot: Batch
    complication: Complication


def device_lot(clinic, **fields):
    return BatchFactory(
        product__clinic=clinic,
        product__name="Hydra Boost",
        product__manufacturer="Dermalab SA",
        product__manufacturer_address="12 rue des Lilas, 69003 Lyon, France",
        product__common_name="Non-cross-linked hyaluronic acid",
        product__catalogue_reference="HB-1ML",
        product__gtin=GTIN,
        lot_number="HB-001",
        expiry_date=date(2027, 6, 30),
        received_on=date(2026, 1, 5),
        **fields,
    )


def medicine_lot(clinic):
    return BatchFactory(
        product__clinic=clinic,
        product__name="Lidocaine 1%",
        product__regulatory_status=RegulatoryStatus.MEDICINE,
        lot_number="LD-77",
        expiry_date=date(2027, 1, 31),
        received_on=date(2026, 1, 5),
    )


def session_with(patient, practitioner, lots, *, hours_after=0):
    return TreatmentSessionFactory(
        patient=patient,
        practitioner=practitioner,
        performed_at=SESSION_AT + timedelta(hours=hours_after),
        areas=["face", "neck"],
        batches=lots,
    )


def answer_check_in(session, hours, *, time_machine):
    time_machine.move_to(at(hours), tick=False)
    check_in = CheckIn.objects.create(
        session=session, due_at=at(hours - 1), status=CheckInStatus.SENT, sent_at=at(hours - 1)
    )
    types = {t.code: t for t in ReactionType.objects.filter(clinic=session.clinic)}
    questions = list(RedFlagQuestion.objects.filter(clinic=session.clinic))
    return check_in_answer(
        check_in=check_in,
        reactions=[
            ReactionEntry(types["redness"], Severity.MILD),
            ReactionEntry(types["tenderness"], Severity.MODERATE, 6),
        ],
        red_flags_present=[q for q in questions if q.code == "discharge"],
        red_flags_asked=questions,
        wants_call=True,
        note="Hannah here, it hurts",
    ).report


def confirm(session, recorded_by, *, time_machine, suspect=None, **fields):
    time_machine.move_to(at(24 * 3), tick=False)
    lines = {line.batch_id: line.pk for line in session.products_used.all()}
    values = {
        "complication_type": "infection",
        "grade": 3,
        "seriousness": ["serious_hospitalisation"],
        "outcome": "recovering",
        "suspects": {lines[suspect.pk]: "probable"} if suspect else {},
        **fields,
    }
    return complications.complication_record(recovery=session.recovery, recorded_by=recorded_by, **values)


def hannahs_infection(clinic, practitioner, *, time_machine) -> Event:
    time_machine.move_to(SESSION_AT, tick=False)
    patient = PatientFactory(
        clinic=clinic, first_name="Hannah", last_name="Harbour", sex="female", date_of_birth=date(1988, 7, 14)
    )
    device, medicine = device_lot(clinic), medicine_lot(clinic)
    session = session_with(patient, practitioner, [device, medicine])
    answer_check_in(session, 26, time_machine=time_machine)
    complication = confirm(session, practitioner, time_machine=time_machine, suspect=device)
    return Event(session=session, device_lot=device, medicine_lot=medicine, complication=complication)
