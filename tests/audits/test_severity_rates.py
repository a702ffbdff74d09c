"""Beside the clinician-confirmed rate, the audit splits it by CTCAE grade and by seriousness: over the
same sessions, each with its Wilson interval."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from audits.selectors import confirmed_by_severity, tallied
from audits.stats import wilson
from recovery import complications, tallies
from recovery.models import Complication, Recovery

from ..factories import PatientFactory, TreatmentSessionFactory

AUDIT = reverse("audits:index")


def sessions_at(clinic, practitioner, count, days_ago=5):
    return [
        TreatmentSessionFactory(
            patient=PatientFactory(clinic=clinic),
            practitioner=practitioner,
            performed_at=timezone.now() - timedelta(days=days_ago),
        )
        for _ in range(count)
    ]


def confirm(session, grade, *seriousness, **fields):
    return complications.complication_record(
        recovery=session.recovery,
        complication_type=fields.pop("complication_type", "nodule"),
        grade=grade,
        seriousness=seriousness,
        recorded_by=session.practitioner,
        **fields,
    )


def split(clinic, *, sessions, days=30):
    today = timezone.localdate()
    counts = tallied(clinic_ids=[clinic.pk], first_day=today - timedelta(days=days), last_day=today)
    return confirmed_by_severity(counts, sessions=sessions)


def row(page, key) -> str:
    return page.split(f'data-testid="severity-row-{key}"')[1].split("</tr>")[0]


def test_the_confirmed_rate_by_grade_and_seriousness_over_the_periods_sessions(client_for, mary, harbour, alice):
    sessions = sessions_at(harbour, alice, 10)
    confirm(sessions[0], 1)
    confirm(sessions[1], 2)
    confirm(sessions[2], 3, "serious_hospitalisation")
    confirm(sessions[3], 4, "serious_life_threatening", "serious_intervention")
    # Two complications after one session: the session counts once in each row they fall in.
    confirm(sessions[4], 2)
    confirm(sessions[4], 2, complication_type="infection")

    page = client_for(mary).get(AUDIT).content.decode()

    grade_2 = row(page, "grade_2")
    assert "Grade 2 – moderate: minimal, local or non-invasive intervention" in grade_2
    assert '<td class="text-end">2</td>' in grade_2
    assert "20.0%" in grade_2
    assert "(5.7–51.0%)" in grade_2
    assert "10.0%" in row(page, "grade_4")
    assert '<td class="text-end">0</td>' in row(page, "grade_5")
    assert "20.0%" in row(page, "serious")
    assert "Life-threatening" in row(page, "serious_life_threatening")
    assert "10.0%" in row(page, "serious_hospitalisation")
    assert 'data-testid="severity-row-grade_none"' not in page


def test_the_rows_count_only_the_periods_sessions_at_the_chosen_clinics(harbour, riverside, alice, bob):
    mine = sessions_at(harbour, alice, 4)
    confirm(mine[0], 3, "serious_hospitalisation")
    confirm(sessions_at(harbour, alice, 1, days_ago=400)[0], 3, "serious_hospitalisation")
    confirm(sessions_at(riverside, bob, 1)[0], 5, "serious_death", outcome="fatal")

    rows = {r.key: r.confirmed for r in split(harbour, sessions=4)}

    assert rows["grade_3"] == wilson(1, 4)
    assert rows["serious"] == wilson(1, 4)
    assert rows["grade_5"] == rows["serious_death"] == wilson(0, 4)


def test_complications_confirmed_before_grades_were_kept_show_as_without_a_grade(harbour, alice):
    session = sessions_at(harbour, alice, 1)[0]
    Complication.objects.filter(pk=confirm(session, 2).pk).update(grade=None)
    # As the migration that kept grades left them: written straight to the table, then counted.
    tallies.tallies_recount(recoveries=Recovery.objects.filter(pk=session.pk))

    rows = split(harbour, sessions=1)

    assert [(r.key, r.confirmed.events) for r in rows if r.key.startswith("grade")] == [
        ("grade_1", 0),
        ("grade_2", 0),
        ("grade_3", 0),
        ("grade_4", 0),
        ("grade_5", 0),
        ("grade_none", 1),
    ]


def test_the_split_asks_nothing_beyond_the_tallies_the_audit_already_read(harbour, alice, django_assert_num_queries):
    for session in sessions_at(harbour, alice, 6):
        confirm(session, 4, "serious_life_threatening")
    today = timezone.localdate()
    counts = tallied(clinic_ids=[harbour.pk], first_day=today - timedelta(days=30), last_day=today)

    with django_assert_num_queries(0):
        confirm_rows = confirmed_by_severity(counts, sessions=6)
    assert {r.key: r.confirmed.events for r in confirm_rows}["grade_4"] == 6
