"""No recovery that needs a clinician slips out of sight.

Each test drives the real pages (the staff report form, the patient's check-in
link, the follow-up form, the dashboard and its feed) with a travelled clock.
"""

from datetime import timedelta

import pytest
from django.apps import apps as live_apps
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from checkins import services as check_ins
from checkins import tasks
from messaging.text_messages import TextMessageRefused
from recovery import schedule
from recovery.models import CheckIn, CheckInStatus, Notification, ReactionReport, ReactionType
from recovery.notification_words import notification_words
from recovery.reasons import words
from recovery.rules import Severity
from tests.text_messages import MemoryBackend

from ..conftest import SESSION_AT
from ..factories import PatientFactory, TreatmentSessionFactory
from .test_recovery_pages import report_post

DASHBOARD = reverse("recovery:dashboard")
FEED = reverse("recovery:feed")
MILD, MODERATE, SEVERE = Severity.MILD, Severity.MODERATE, Severity.SEVERE


def at(days=0, hours=0, seconds=0):
    return SESSION_AT + timedelta(days=days, hours=hours, seconds=seconds)


@pytest.fixture
def planned(harbour, alice, mary, time_machine):
    """Hannah (consenting) treated by Alice on 2 March at 10:00; the default check-ins planned."""
    time_machine.move_to(at(hours=1), tick=False)
    patient = PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour")
    session = TreatmentSessionFactory(patient=patient, practitioner=alice, performed_at=SESSION_AT)
    schedule.check_ins_plan(session=session)
    return session


def check_in_due(session, day):
    return session.check_ins.get(due_at=at(days=day))


def send_due(time_machine, moment):
    time_machine.move_to(moment, tick=False)
    tasks.send_due_check_ins()


def answer(client, check_in, **fields):
    """The patient's answers through the link: nothing unless said, and every red flag answered no."""
    data = {f"reaction_{t.code}": "0" for t in ReactionType.objects.filter(clinic=check_in.session.clinic)}
    data.update({f"flag_{q.code}": "no" for q in check_in.session.clinic.red_flag_questions.all()})
    data.update(fields)
    client.post(check_ins.link_path(check_in), data)
    return client.get(check_ins.link_path(check_in)).content.decode()


def queue_names(response):
    return [row.recovery.session.patient.first_name for row in response.context["rows"]]


def reasons_on(page_rows):
    return [(f.level, words(f)) for f in page_rows]


def staff_log(client, session, hours, **fields):
    return client.post(reverse("photos:report_create", args=[session.pk]), report_post(session, hours, **fields))


# 1. Open recoveries never fall out of the work queue.


def test_a_new_lump_at_day_15_tops_the_default_dashboard_and_feed(
    planned, alice, mary, client, client_for, time_machine
):
    send_due(time_machine, at(days=14, hours=1))
    time_machine.move_to(at(days=15), tick=False)

    answer(client, check_in_due(planned, 14), reaction_nodules="1")

    dashboard = client_for(alice).get(DASHBOARD)
    assert queue_names(dashboard) == ["Hannah"]
    assert dashboard.context["counts"]["needs_attention"] == 1
    assert "whatever their session date" in dashboard.content.decode()
    feed = client_for(alice).get(FEED).json()
    assert [item["patient"] for item in feed["queue"]] == ["Hannah Harbour"]
    assert feed["counts"]["needs_attention"] == 1
    assert client_for(mary).get(DASHBOARD).context["counts"]["needs_attention"] == 1


def test_the_day_14_check_in_answered_with_a_problem_stays_in_the_queue_for_weeks(
    planned, alice, client, client_for, time_machine
):
    send_due(time_machine, at(days=14, hours=1))
    answer(client, check_in_due(planned, 14), reaction_swelling=str(SEVERE))
    time_machine.move_to(at(days=40), tick=False)

    response = client_for(alice).get(DASHBOARD, {"period": "7"})

    assert queue_names(response) == ["Hannah"]
    assert response.context["counts"]["needs_attention"] == 1


def test_an_overdue_recovery_from_months_ago_is_counted_and_listed(alice, session, client_for, time_machine):
    time_machine.move_to(at(hours=20), tick=False)
    staff_log(client_for(alice), session, 20, peeling=(MILD, None, []))
    time_machine.move_to(at(days=90), tick=False)

    response = client_for(alice).get(DASHBOARD)

    assert queue_names(response) == ["Hannah"]
    assert response.context["counts"]["overdue"] == 1


def test_the_feeds_open_view_lists_every_unresolved_recovery_whatever_its_date(
    alice, harbour, client_for, time_machine
):
    time_machine.move_to(at(days=60), tick=False)
    for name, days_before in [("Old", 59), ("Recent", 1)]:
        TreatmentSessionFactory(
            patient=PatientFactory(clinic=harbour, first_name=name, last_name="Test"),
            practitioner=alice,
            performed_at=at(days=60 - days_before),
        )

    queue = client_for(alice).get(FEED, {"status": "on_track"}).json()
    opened = client_for(alice).get(FEED, {"view": "open"}).json()

    assert [item["patient"] for item in queue["queue"]] == ["Recent Test"]
    assert opened["view"] == "open"
    assert sorted(item["patient"] for item in opened["queue"]) == ["Old Test", "Recent Test"]
    assert client_for(alice).get(FEED, {"view": "everything"}).status_code == 400


def test_a_practitioner_is_told_of_colleagues_patients_who_need_someone(
    alice, harbour, client_for, time_machine, django_user_model
):
    from clinics.models import Membership, Role

    ben = django_user_model.objects.create(username="ben", first_name="Ben")
    Membership.objects.create(user=ben, clinic=harbour, role=Role.PRACTITIONER)
    session = TreatmentSessionFactory(patient=PatientFactory(clinic=harbour), practitioner=ben, performed_at=at())
    time_machine.move_to(at(hours=5), tick=False)
    staff_log(client_for(ben), session, 5, wants_call=True)

    page = client_for(alice).get(DASHBOARD)

    assert page.context["elsewhere"] == 1
    assert "1 more recovery that needs attention or is overdue is outside these filters." in page.content.decode()


# 2. All reasons are shown, attention first, each with its level.


def test_worsening_redness_past_its_window_shows_both_reasons_everywhere(alice, session, client_for, time_machine):
    time_machine.move_to(at(hours=12), tick=False)
    staff_log(client_for(alice), session, 12, redness=(MILD, None, []))
    time_machine.move_to(at(hours=50), tick=False)
    staff_log(client_for(alice), session, 50, redness=(MODERATE, None, []))
    expected = [
        ("attention", "Redness worse than at the previous report (mild → moderate)"),
        ("overdue", "Redness should have faded by 48 h and was still present at the last report"),
    ]

    session_page = client_for(alice).get(session.get_absolute_url())
    dashboard = client_for(alice).get(DASHBOARD)
    feed = client_for(alice).get(FEED).json()

    assert reasons_on(session_page.context["reasons"]) == expected
    html = session_page.content.decode()
    assert html.index('data-level="attention"') < html.index('data-level="overdue"')
    assert reasons_on(dashboard.context["rows"][0].reasons) == expected
    assert [(r["level"], r["reason"]) for r in feed["queue"][0]["reasons"]] == expected


# 3. Windows end strictly after their time.


def test_redness_is_on_track_at_48_hours_and_overdue_just_after(alice, session, client_for, time_machine):
    time_machine.move_to(at(hours=20), tick=False)
    staff_log(client_for(alice), session, 20, redness=(MILD, None, []))

    time_machine.move_to(at(hours=48), tick=False)
    assert client_for(alice).get(DASHBOARD, {"scope": "clinic"}).context["counts"]["overdue"] == 0
    time_machine.move_to(at(hours=48, seconds=1), tick=False)
    assert client_for(alice).get(DASHBOARD, {"scope": "clinic"}).context["counts"]["overdue"] == 1


def test_swelling_needs_attention_only_after_96_hours(alice, session, client_for, time_machine):
    time_machine.move_to(at(hours=24), tick=False)
    staff_log(client_for(alice), session, 24, swelling=(MILD, None, []))

    time_machine.move_to(at(hours=96), tick=False)
    assert client_for(alice).get(session.get_absolute_url()).context["status"] == "overdue"
    time_machine.move_to(at(hours=96, seconds=1), tick=False)
    assert client_for(alice).get(session.get_absolute_url()).context["status"] == "needs_attention"


def test_a_check_in_is_missed_only_after_24_hours_from_its_sending(planned, alice, client_for, time_machine):
    send_due(time_machine, at(days=1, hours=2))

    time_machine.move_to(at(days=2, hours=2), tick=False)
    assert client_for(alice).get(planned.get_absolute_url()).context["status"] == "on_track"
    time_machine.move_to(at(days=2, hours=2, seconds=1), tick=False)
    assert client_for(alice).get(planned.get_absolute_url()).context["status"] == "overdue"


# 4. A follow-up answers only what was known when it was made.


def test_a_phone_call_logged_late_that_reveals_a_worsening_needs_attention_again(
    alice, mary, session, client_for, time_machine
):
    time_machine.move_to(at(hours=30), tick=False)
    staff_log(client_for(alice), session, 30, redness=(MODERATE, None, []), wants_call=True)
    time_machine.move_to(at(hours=35), tick=False)
    client_for(alice).post(
        reverse("recovery:follow_up_create", args=[session.pk]), {"action": "called", "note": "Reassured."}
    )
    assert client_for(alice).get(DASHBOARD).context["counts"]["unacknowledged"] == 0
    time_machine.move_to(at(hours=40), tick=False)

    staff_log(client_for(alice), session, 20, redness=(MILD, None, []), note="Call at 20 h, written up late.")

    dashboard = client_for(alice).get(DASHBOARD)
    assert dashboard.context["counts"]["unacknowledged"] == 1
    assert not dashboard.context["rows"][0].followed_up
    late = ReactionReport.objects.get(note="Call at 20 h, written up late.")
    told = Notification.objects.filter(event_key=f"attention:{late.pk}")
    assert sorted(n.recipient.username for n in told) == ["alice", "mary"]
    assert "Redness worse than at the previous report (mild → moderate)" in notification_words(told.first())


# 5. A patient who was never asked has not missed a check-in.


def test_a_check_in_cancelled_because_consent_was_withdrawn_is_not_missed(planned, alice, client_for, time_machine):
    planned.patient.consents_to_check_ins = False
    planned.patient.save()
    send_due(time_machine, at(days=1, hours=1))
    time_machine.move_to(at(days=5), tick=False)

    page = client_for(alice).get(planned.get_absolute_url())

    assert check_in_due(planned, 1).status == CheckInStatus.CANCELLED
    assert page.context["status"] == "on_track"


def refuse_for_good(self, *, to, body, idempotency_key):
    raise TextMessageRefused("The provider refused the message: 422 40310")


def test_a_check_in_that_could_not_be_sent_is_not_missed_but_the_patient_is_not_reached(
    planned, alice, client_for, time_machine, monkeypatch
):
    planned.patient.email = ""
    planned.patient.save()
    monkeypatch.setattr(MemoryBackend, "send", refuse_for_good)
    send_due(time_machine, at(days=1, hours=1))
    time_machine.move_to(at(days=5), tick=False)

    page = client_for(alice).get(planned.get_absolute_url())

    assert check_in_due(planned, 1).status == CheckInStatus.FAILED
    assert page.context["status"] == "overdue"
    assert [words(f) for f in page.context["reasons"]] == [
        "Not reached: the day-1 check-in could not be sent (number refused). Call the patient."
    ]


def test_a_check_in_whose_e_mail_went_but_text_failed_was_asked_and_can_be_missed(
    planned, alice, client_for, time_machine, monkeypatch
):
    monkeypatch.setattr(MemoryBackend, "send", refuse_for_good)
    send_due(time_machine, at(days=1, hours=1))
    time_machine.move_to(at(days=3), tick=False)

    assert check_in_due(planned, 1).status == CheckInStatus.SENT
    assert client_for(alice).get(planned.get_absolute_url()).context["status"] == "overdue"


def test_a_check_in_held_up_while_the_workers_were_down_is_not_missed(planned, alice, client_for, time_machine):
    time_machine.move_to(at(days=3), tick=False)

    assert check_in_due(planned, 1).status == CheckInStatus.PLANNED
    assert client_for(alice).get(planned.get_absolute_url()).context["status"] == "on_track"


# 6. The patient is told to call whenever the answer needs a clinician, and staff at once.


@pytest.mark.parametrize(
    ("day", "earlier", "answers"),
    [
        (1, {}, {"reaction_tenderness": "2", "pain_tenderness": "8"}),
        (1, {}, {"reaction_redness": "3"}),
        (2, {"reaction_redness": "1"}, {"reaction_redness": "2"}),
        (14, {}, {"reaction_nodules": "1"}),
        (7, {"reaction_swelling": "1"}, {"reaction_swelling": "1"}),
    ],
    ids=["pain-8", "severe-redness", "worse-than-last-time", "new-lump-late", "swelling-past-4-days"],
)
def test_an_answer_that_needs_a_clinician_tells_the_patient_to_call_today_and_staff_at_once(
    planned, client, time_machine, django_capture_on_commit_callbacks, day, earlier, answers
):
    if earlier:
        send_due(time_machine, at(days=1, hours=1))
        answer(client, check_in_due(planned, 1), **earlier)
    send_due(time_machine, at(days=day, hours=1, seconds=1))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        page = answer(client, check_in_due(planned, day), **answers)

    assert "Please call the clinic today" in page
    assert 'href="tel:+44 20 7946 0101"' in page
    told = Notification.objects.filter(recovery=planned.recovery, kind="needs_attention")
    assert sorted(n.recipient.username for n in told) == ["alice", "mary"]
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "mary@example.com"]
    assert "Hannah" not in mail.outbox[0].body


def test_an_answer_within_the_expected_course_is_thanked_without_alarm(planned, client, time_machine):
    send_due(time_machine, at(days=1, hours=1))

    page = answer(client, check_in_due(planned, 1), reaction_redness="1")

    assert "Thank you, we have your answers" in page
    assert "Please call the clinic" not in page
    assert not Notification.objects.exists()


# 7. Severe is always a reason to look; the swelling reaction is called swelling.


def test_swelling_reported_as_severe_at_6_hours_needs_attention(alice, session, client_for, time_machine):
    time_machine.move_to(at(hours=6), tick=False)

    staff_log(client_for(alice), session, 6, swelling=(SEVERE, None, []))

    page = client_for(alice).get(session.get_absolute_url())
    assert page.context["status"] == "needs_attention"
    assert reasons_on(page.context["reasons"]) == [("attention", "Swelling reported as severe")]


def test_the_upgrade_renames_mild_swelling_but_leaves_a_clinics_own_wording(harbour, riverside):
    from importlib import import_module

    rename = import_module("recovery.migrations.0006_swelling_not_mild").rename
    ReactionType.objects.filter(clinic=harbour, code="swelling").update(
        staff_label="Mild swelling", patient_wording="Puffiness or mild swelling"
    )
    ReactionType.objects.filter(clinic=riverside, code="swelling").update(staff_label="Puffy skin")

    rename(live_apps, None)

    harbour_swelling = ReactionType.objects.get(clinic=harbour, code="swelling")
    assert (harbour_swelling.staff_label, harbour_swelling.patient_wording) == ("Swelling", "Puffiness or swelling")
    assert ReactionType.objects.get(clinic=riverside, code="swelling").staff_label == "Puffy skin"
    assert harbour_swelling.history.latest().history_change_reason == "Renamed by an upgrade of Recovery Desk"


# 8. Resolved needs evidence.


def test_a_single_all_clear_at_6_hours_leaves_the_recovery_on_track(alice, session, client_for, time_machine):
    time_machine.move_to(at(hours=6), tick=False)

    staff_log(client_for(alice), session, 6)
    time_machine.move_to(at(days=3), tick=False)

    assert client_for(alice).get(session.get_absolute_url()).context["status"] == "on_track"


def test_an_all_clear_after_every_window_resolves(alice, session, client_for, time_machine):
    time_machine.move_to(at(hours=20), tick=False)
    staff_log(client_for(alice), session, 20, bruising=(MILD, None, []))
    time_machine.move_to(at(days=5), tick=False)
    staff_log(client_for(alice), session, 24 * 5)
    assert client_for(alice).get(session.get_absolute_url()).context["status"] == "on_track"
    time_machine.move_to(at(days=11), tick=False)

    staff_log(client_for(alice), session, 24 * 11)

    assert client_for(alice).get(session.get_absolute_url()).context["status"] == "resolved"


def test_an_all_clear_with_a_check_in_still_to_answer_stays_on_track(planned, alice, client_for, time_machine):
    time_machine.move_to(at(days=3), tick=False)

    staff_log(client_for(alice), planned, 24 * 3)

    assert client_for(alice).get(planned.get_absolute_url()).context["status"] == "on_track"


# 10. Words a clinician uses.


def test_long_windows_read_in_days_on_the_session_page(alice, session, client_for, time_machine):
    time_machine.move_to(at(days=3), tick=False)
    staff_log(client_for(alice), session, 24 * 3, bruising=(MILD, None, []))
    time_machine.move_to(at(days=11), tick=False)

    page = client_for(alice).get(session.get_absolute_url()).content.decode()

    assert "should have faded by 10 days" in page
    assert "fades by 10 days" in page
    assert "240 h" not in page


def test_an_extra_check_in_leaves_the_day_one_check_in_in_place(
    planned, alice, client_for, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(at(hours=3), tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        client_for(alice).post(reverse("checkins:check_in_send", args=[planned.pk]))

    assert check_in_due(planned, 1).status == CheckInStatus.PLANNED
    assert CheckIn.objects.filter(session=planned, status=CheckInStatus.SENT).count() == 1
    assert timezone.now() == at(hours=3)
