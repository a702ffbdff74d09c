from datetime import timedelta

import pytest
from django.utils import timezone

from recovery import check_ins, services
from recovery.models import CheckIn, ReactionType, RedFlagQuestion
from recovery.rules import Severity

from ..factories import PatientFactory, TreatmentSessionFactory

SESSION_AT = timezone.make_aware(timezone.datetime(2026, 3, 2, 10, 0))


@pytest.fixture
def session(harbour_patient, alice):
    """Hannah's session with Alice on 2 March 2026 at 10:00, face and neck treated."""
    return TreatmentSessionFactory(
        patient=harbour_patient, practitioner=alice, performed_at=SESSION_AT, areas=["face", "neck"]
    )


@pytest.fixture
def report(session, alice, time_machine):
    """Log a report by staff `hours` after the session, at that moment."""

    def log(hours, *, red_flags=(), wants_call=False, **severities):
        moment = session.performed_at + timedelta(hours=hours)
        time_machine.move_to(moment, tick=False)
        types = ReactionType.objects.filter(clinic=session.clinic)
        questions = list(RedFlagQuestion.objects.filter(clinic=session.clinic))
        entries = []
        for reaction_type in types:
            value = severities.get(reaction_type.code, Severity.NONE)
            severity, pain = value if isinstance(value, tuple) else (value, None)
            entries.append(services.ReactionEntry(reaction_type=reaction_type, severity=severity, pain_score=pain))
        return services.report_create(
            session=session,
            reported_at=moment,
            reactions=entries,
            red_flags_present=[q for q in questions if q.code in red_flags],
            red_flags_asked=questions,
            wants_call=wants_call,
            source=services.ReportSource.STAFF,
            recorded_by=alice,
        )

    return log


@pytest.fixture
def photo_session(harbour, alice, time_machine):
    """Hannah, who consents to photos, treated by Alice on the face and neck on 2 March at 10:00."""
    time_machine.move_to(SESSION_AT + timedelta(minutes=5), tick=False)
    patient = PatientFactory(clinic=harbour, first_name="Hannah", consents_to_photos=True)
    session = TreatmentSessionFactory(
        patient=patient, practitioner=alice, performed_at=SESSION_AT, areas=["face", "neck"]
    )
    check_ins.check_ins_plan(session=session)
    return session


@pytest.fixture
def due_check_in(photo_session, time_machine):
    """Hannah's first check-in, sent a day after the session; an hour later."""
    time_machine.move_to(SESSION_AT + timedelta(days=1, hours=1), tick=False)
    check_in = photo_session.check_ins.order_by("due_at").first()
    CheckIn.objects.filter(pk=check_in.pk).update(status="sent", sent_at=SESSION_AT + timedelta(days=1))
    return check_in
