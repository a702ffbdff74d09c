from collections import Counter
from datetime import timedelta

from django.utils import timezone

from audits import selectors as audit_selectors
from imports.writing import history_write
from recovery import services
from recovery.complications import complication_record
from recovery.models import ReactionType, Recovery, RedFlagQuestion, ReportSource, TallyDimension
from recovery.rules import Severity

from ..factories import BatchFactory, ClinicFactory, MembershipFactory, PatientFactory, TreatmentSessionFactory
from .exported import exported_zip, plan_of_zip


def _report(session, *, by, hours: int, red_flags=(), **severities):
    types = ReactionType.objects.filter(clinic=session.clinic)
    questions = list(RedFlagQuestion.objects.filter(clinic=session.clinic))
    services.report_create(
        session=session,
        reported_at=session.performed_at + timedelta(hours=hours),
        reactions=[
            services.ReactionEntry(reaction_type=t, severity=severities.get(t.code, Severity.NONE)) for t in types
        ],
        red_flags_present=[q for q in questions if q.code in red_flags],
        red_flags_asked=questions,
        wants_call=False,
        source=ReportSource.STAFF,
        recorded_by=by,
    )


def _gtin(body: str) -> str:
    """13 digits and their GS1 check digit."""
    total = sum(int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(reversed(body)))
    return body + str(-total % 10)


def _a_clinics_history(clinic, practitioners, manager):
    """Sessions over a year by two practitioners with two products, a patient seen three times,
    reports with concerning reactions and red flags, and confirmed complications (one serious)."""
    batches = [BatchFactory(product__clinic=clinic, product__gtin=_gtin(f"037601234{n:04d}")) for n in range(2)]
    patients = [PatientFactory(clinic=clinic) for _ in range(4)]
    sessions = []
    for n in range(12):
        sessions.append(
            TreatmentSessionFactory(
                patient=patients[n % 4],
                practitioner=practitioners[n % 2],
                performed_at=timezone.now() - timedelta(days=300 - 20 * n),
                areas=["face", "neck"] if n % 3 else ["scalp"],
                batches=[batches[n % 2]],
            )
        )
    _report(sessions[0], by=manager, hours=30, nodules=Severity.MODERATE)
    _report(sessions[1], by=manager, hours=20, red_flags=["fever"])
    _report(sessions[2], by=manager, hours=24, redness=Severity.MILD)
    _report(sessions[5], by=manager, hours=40, nodules=Severity.SEVERE)
    complication_record(
        recovery=Recovery.objects.get(pk=sessions[0].pk), complication_type="nodule", grade=2, recorded_by=manager
    )
    complication_record(
        recovery=Recovery.objects.get(pk=sessions[5].pk),
        complication_type="nodule",
        grade=3,
        seriousness=["serious_hospitalisation"],
        recorded_by=manager,
    )


def _figures(clinic) -> dict:
    today = timezone.localdate()
    period = {"clinic_ids": [clinic.pk], "first_day": today - timedelta(days=400), "last_day": today}
    counts = audit_selectors.tallied(**period)
    overall = audit_selectors.overall(counts)
    return {
        "overall": (overall.sessions, overall.reported.events, overall.confirmed.events),
        "months": counts.by_month,
        # Practitioners are the same people in both clinics; products and batches are new rows
        # there, so they are compared by what they count, not by their ids.
        "practitioner": counts.by_key[TallyDimension.PRACTITIONER],
        "series": counts.by_key[TallyDimension.SERIES],
        "area": counts.by_key[TallyDimension.AREA],
        "product": Counter(counts.by_key[TallyDimension.PRODUCT].values()),
        "batch": Counter(counts.by_key[TallyDimension.BATCH].values()),
        "severity": [
            (row.key, row.confirmed.events)
            for row in audit_selectors.confirmed_by_severity(counts, sessions=overall.sessions)
        ],
    }


def test_a_clinics_export_imported_into_an_empty_clinic_gives_the_same_audit(harbour, alice, mary, bob):
    MembershipFactory(user=bob, clinic=harbour)
    _a_clinics_history(harbour, [alice, bob], mary)
    empty = ClinicFactory(name="New home")
    for user in (alice, bob, mary):
        MembershipFactory(user=user, clinic=empty)

    plan = plan_of_zip(empty, exported_zip(harbour), now=timezone.now(), source="Harbour Skin Clinic")
    assert plan.refusals == []
    history_write(clinic=empty, recorded_by=mary, plan=plan.for_writing(), decisions={"follow": []})

    figures = _figures(empty)
    assert figures == _figures(harbour)
    assert figures["overall"] == (12, 3, 2)
