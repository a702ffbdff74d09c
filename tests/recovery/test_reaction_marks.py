"""Where a patient had a reaction, marked on the face chart: a reaction beyond every treated zone needs
the clinic now, a colour change near the eye is an emergency, and correcting the chart later never
clears what a mark raised."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from checkins import services as check_ins
from recovery import assessment, marks, reassessment, services
from recovery.findings import Level, Reason
from recovery.models import CheckIn, ReactionMark, ReactionReport, ReactionType, Recovery, RedFlagQuestion
from recovery.reasons import words
from recovery.rules import Severity, Status
from treatments.models import SessionZone

from ..conftest import SESSION_AT
from ..factories import TreatmentSessionFactory

# The fingerprint of the rules released before marks were judged.
RULES_BEFORE_MARKS = "fc282d04946a6a2080d860a316c75ca93f7708753558353ae4bdd0c71f4b2754"


def at(hours):
    return SESSION_AT + timedelta(hours=hours)


@pytest.fixture
def lips_session(harbour_patient, alice):
    """Hannah's lips treated, and only the lips charted."""
    session = TreatmentSessionFactory(
        patient=harbour_patient, practitioner=alice, performed_at=SESSION_AT, areas=["face"]
    )
    SessionZone.objects.create(session=session, zone="lips")
    return session


def reaction(session, code):
    return ReactionType.objects.get(clinic=session.clinic, code=code)


def flag(session, code):
    return RedFlagQuestion.objects.get(clinic=session.clinic, code=code)


def report_with(session, *, reactions=(), flags=(), mark_list=(), hours=24, source="patient", by=None):
    return services.report_create(
        session=session,
        reported_at=at(hours),
        reactions=[services.ReactionEntry(reaction(session, code), Severity.MILD) for code in reactions],
        red_flags_present=[flag(session, code) for code in flags],
        red_flags_asked=[],
        wants_call=False,
        source=source,
        recorded_by=by,
        marks=list(mark_list),
    )


def findings_of(session):
    return Recovery.objects.get(session=session).assessment().findings


def test_a_reaction_marked_beyond_the_treated_zones_needs_the_clinic_now_with_that_reason(lips_session, time_machine):
    time_machine.move_to(at(25), tick=False)
    redness = reaction(lips_session, "redness")

    report_with(
        lips_session,
        reactions=["redness"],
        mark_list=[
            marks.MarkEntry("face_front", "cheek_left", reaction_type=redness, x=Decimal("0.3"), y=Decimal("0.55"))
        ],
    )

    recovery = Recovery.objects.get(session=lips_session)
    assert recovery.status_at() == Status.NEEDS_ATTENTION
    outside = next(f for f in findings_of(lips_session) if f.code == Reason.OUTSIDE_TREATED)
    assert outside.level == Level.ATTENTION
    assert words(outside) == "Redness beyond the treated area (left cheek)"
    with translation.override("fr"):
        assert words(outside).startswith("Rougeur")
    assert ReactionReport.objects.get().needs_clinician
    mark = ReactionMark.objects.get()
    assert (mark.zone, mark.x, mark.y, mark.treated_zones) == (
        "cheek_left",
        Decimal("0.3000"),
        Decimal("0.5500"),
        ["lips"],
    )


def test_a_reaction_marked_within_the_treated_zones_raises_nothing(lips_session, time_machine):
    time_machine.move_to(at(25), tick=False)

    report_with(
        lips_session,
        reactions=["redness"],
        mark_list=[marks.MarkEntry("face_front", "lips", reaction_type=reaction(lips_session, "redness"))],
    )

    assert Recovery.objects.get(session=lips_session).status_at() == Status.ON_TRACK
    assert not ReactionReport.objects.get().needs_clinician


def test_a_session_logged_before_the_chart_treated_every_zone_of_its_areas(session, time_machine):
    time_machine.move_to(at(25), tick=False)

    report_with(
        session,
        reactions=["redness"],
        mark_list=[marks.MarkEntry("face_left", "cheek_left", reaction_type=reaction(session, "redness"))],
    )

    assert Recovery.objects.get(session=session).status_at() == Status.ON_TRACK


def test_a_colour_change_marked_near_the_eye_is_an_emergency_with_the_emergency_number(
    client, due_check_in, time_machine
):
    session = due_check_in.session
    skin_colour = flag(session, "skin_colour")
    report = report_with(
        session,
        flags=["skin_colour"],
        hours=25,
        mark_list=[marks.MarkEntry("face_front", "periorbital_left", red_flag=skin_colour)],
    )
    CheckIn.objects.filter(pk=due_check_in.pk).update(report=report, status="answered", answered_at=timezone.now())

    emergency = next(f for f in findings_of(session) if f.code == Reason.COLOUR_NEAR_THE_EYE)
    assert emergency.level == Level.ATTENTION
    assert words(emergency) == (
        "Emergency: Pale, dusky or mottled skin, or blisters near the eye (around the left eye), "
        "a vessel may be blocked"
    )
    page = client.get(check_ins.link_path(due_check_in)).content.decode()
    assert f"Call {session.clinic.emergency_phone} now" in page
    assert "blocked blood vessel" in page


def test_a_reaction_marked_beyond_the_treated_area_tells_the_patient_to_call_the_clinic_now(
    client, due_check_in, time_machine
):
    session = due_check_in.session
    SessionZone.objects.create(session=session, zone="lips")
    report = report_with(
        session,
        reactions=["redness"],
        hours=25,
        mark_list=[marks.MarkEntry("face_front", "chin", reaction_type=reaction(session, "redness"))],
    )
    CheckIn.objects.filter(pk=due_check_in.pk).update(report=report, status="answered", answered_at=timezone.now())

    page = client.get(check_ins.link_path(due_check_in)).content.decode()
    assert "Please call the clinic now" in page
    assert "You marked a reaction beyond the area that was treated" in page


def test_correcting_the_chart_after_the_mark_does_not_clear_the_alert(lips_session, time_machine):
    time_machine.move_to(at(25), tick=False)
    report_with(
        lips_session,
        reactions=["redness"],
        mark_list=[marks.MarkEntry("face_front", "chin", reaction_type=reaction(lips_session, "redness"))],
    )

    SessionZone.objects.create(session=lips_session, zone="chin")
    services.recovery_assess(recovery=Recovery.objects.get(session=lips_session))
    assessment.recoveries_assess(pks=[lips_session.pk])

    assert Reason.OUTSIDE_TREATED in [f.code for f in findings_of(lips_session)]
    assert Recovery.objects.get(session=lips_session).status_at() == Status.NEEDS_ATTENTION


def test_a_reaction_staff_place_on_an_area_the_session_did_not_treat_stays_a_finding_once_the_session_is_corrected(
    lips_session, alice, time_machine
):
    time_machine.move_to(at(25), tick=False)
    services.report_create(
        session=lips_session,
        reported_at=at(24),
        reactions=[services.ReactionEntry(reaction(lips_session, "swelling"), Severity.MILD, areas=("neck",))],
        red_flags_present=[],
        red_flags_asked=[],
        wants_call=False,
        source="staff",
        recorded_by=alice,
    )
    lips_session.areas.create(area="neck")
    services.recovery_assess(recovery=Recovery.objects.get(session=lips_session))

    outside = next(f for f in findings_of(lips_session) if f.code == Reason.OUTSIDE_TREATED)
    assert words(outside) == "Swelling beyond the treated area (neck)"


@pytest.mark.parametrize(
    ("mark", "problem"),
    [
        (lambda s: marks.MarkEntry("face_front", "knee", reaction_type=reaction(s, "redness")), marks.UNKNOWN_ZONE),
        (
            lambda s: marks.MarkEntry("hands", "lips", reaction_type=reaction(s, "redness")),
            marks.ZONE_NOT_ON_DIAGRAM,
        ),
        (
            lambda s: marks.MarkEntry("face_front", "lips", reaction_type=reaction(s, "bruising")),
            marks.MARK_OF_NOTHING_REPORTED,
        ),
        (
            lambda s: marks.MarkEntry("face_front", "lips", red_flag=flag(s, "skin_colour")),
            marks.MARK_OF_NOTHING_REPORTED,
        ),
        (
            lambda s: marks.MarkEntry(
                "face_front", "lips", reaction_type=reaction(s, "redness"), x=Decimal("1.2"), y=Decimal("0.5")
            ),
            marks.MARK_OFF_THE_DIAGRAM,
        ),
        (
            lambda s: marks.MarkEntry("face_front", "lips", reaction_type=reaction(s, "redness"), x=Decimal("0.5")),
            marks.MARK_OFF_THE_DIAGRAM,
        ),
    ],
)
def test_a_bad_mark_is_refused_and_nothing_is_saved(lips_session, time_machine, mark, problem):
    time_machine.move_to(at(25), tick=False)

    with pytest.raises(ValidationError) as refused:
        report_with(lips_session, reactions=["redness"], mark_list=[mark(lips_session)])

    assert refused.value.message_dict["marks"] == [str(problem)]
    assert not ReactionReport.objects.exists()
    assert not ReactionMark.objects.exists()


def test_each_reaction_is_marked_once(lips_session, time_machine):
    time_machine.move_to(at(25), tick=False)
    redness = reaction(lips_session, "redness")

    with pytest.raises(ValidationError) as refused:
        report_with(
            lips_session,
            reactions=["redness"],
            mark_list=[
                marks.MarkEntry("face_front", "lips", reaction_type=redness),
                marks.MarkEntry("face_front", "chin", reaction_type=redness),
            ],
        )

    assert refused.value.message_dict["marks"] == [str(marks.MARKED_TWICE)]
    assert not ReactionReport.objects.exists()


def test_assessing_many_recoveries_with_marks_takes_the_same_few_queries(
    harbour_patient, alice, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(at(25), tick=False)
    sessions = []
    for _ in range(6):
        session = TreatmentSessionFactory(
            patient=harbour_patient, practitioner=alice, performed_at=SESSION_AT, areas=["face"]
        )
        SessionZone.objects.create(session=session, zone="lips")
        report_with(
            session,
            reactions=["redness"],
            mark_list=[marks.MarkEntry("face_front", "chin", reaction_type=reaction(session, "redness"))],
        )
        sessions.append(session)
    Recovery.objects.update(findings=[])

    with django_assert_max_num_queries(12):
        assessment.recoveries_assess(pks=[s.pk for s in sessions])

    assert all(Reason.OUTSIDE_TREATED in [f.code for f in findings_of(s)] for s in sessions)


def test_the_release_that_judges_marks_reassesses_every_recovery(lips_session, time_machine):
    time_machine.move_to(at(25), tick=False)
    report_with(
        lips_session,
        reactions=["redness"],
        mark_list=[marks.MarkEntry("face_front", "chin", reaction_type=reaction(lips_session, "redness"))],
    )
    Recovery.objects.update(findings=[], attention_at=None, unacknowledged_at=None)

    assert reassessment.rules_fingerprint() != RULES_BEFORE_MARKS
    assert reassessment.rules_changed()
    reassessment.reassess_all()

    assert Reason.OUTSIDE_TREATED in [f.code for f in findings_of(lips_session)]
    assert not reassessment.rules_changed()
