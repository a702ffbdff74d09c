from datetime import timedelta

import pytest
from django.utils import timezone

from recovery import services
from recovery.models import ReactionType, RedFlagQuestion
from recovery.rules import Severity

from ..factories import TreatmentSessionFactory

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
