"""A "yes" to a red flag, or "please call me", is stored and acted on whatever else on the check-in is
missing or mistyped; the patient is shown whom to call first, and asked for the rest below it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from checkins import tasks
from recovery import schedule
from recovery.models import CheckInStatus, Notification, ReactionReport, Recovery
from recovery.rules import Severity

from ..factories import ClinicFactory, MembershipFactory, PatientFactory, TreatmentSessionFactory
from .test_check_ins import SESSION_AT, at, first_check_in, link_of

REACTIONS = ["redness", "swelling", "tenderness", "bruising", "itch_warmth", "peeling", "nodules"]
FLAGS = ["discharge", "spreading_heat", "fever", "widespread_rash", "skin_colour", "unusual_heat", "painful_lump"]


@pytest.fixture
def sent(harbour, alice, time_machine):
    """Hannah's day-1 check-in, sent: the link is open."""
    time_machine.move_to(SESSION_AT + timedelta(minutes=5), tick=False)
    patient = PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour", phone="+44 7400 900111")
    session = TreatmentSessionFactory(patient=patient, practitioner=alice, performed_at=SESSION_AT)
    schedule.check_ins_plan(session=session)
    time_machine.move_to(at(1, hours=1), tick=False)
    tasks.send_due_check_ins()
    return first_check_in(session)


def everything_answered(**changes) -> dict:
    data = {f"reaction_{code}": "0" for code in REACTIONS}
    data |= {f"flag_{code}": "no" for code in [*FLAGS, "vision", "airway"]}
    data |= changes
    return {name: value for name, value in data.items() if value is not None}


def test_throat_swelling_with_another_question_left_blank_is_stored_and_the_clinic_told(client, sent, alice):
    response = client.post(link_of(sent), everything_answered(flag_airway="yes", flag_fever=None))

    assert response.status_code == 302
    report = ReactionReport.objects.get()
    assert report.unanswered == ["flag:fever"]
    flags = {answer.question.code: answer.present for answer in report.red_flag_answers.select_related("question")}
    assert flags["airway"] is True
    assert "fever" not in flags
    sent.refresh_from_db()
    assert sent.status == CheckInStatus.ANSWERED
    assert Notification.objects.filter(recipient=alice, recovery_id=sent.session_id).exists()
    assert Recovery.objects.get(pk=sent.session_id).status_at() == "needs_attention"


def test_the_answer_page_puts_the_emergency_call_first_and_asks_for_what_is_missing_below(client, sent):
    client.post(link_of(sent), everything_answered(flag_airway="yes", flag_fever=None))

    page = client.get(link_of(sent)).content.decode()

    assert re.search(r"<title>\s*Call 999 now", page)
    assert page.index('href="tel:999"') < page.index('data-testid="rest-of-answer"')
    rest = page[page.index('data-testid="rest-of-answer"') :]
    assert 'name="flag_fever"' in rest
    assert 'name="flag_airway"' not in rest


def test_an_impossible_pain_score_does_not_hold_back_a_red_flag(client, sent):
    client.post(link_of(sent), everything_answered(flag_discharge="yes", reaction_tenderness="2", pain_tenderness="11"))

    report = ReactionReport.objects.get()
    assert report.unanswered == ["pain:tenderness"]
    tenderness = report.reactions.get(reaction_type__code="tenderness")
    assert (tenderness.severity, tenderness.pain_score) == (Severity.MODERATE, None)
    assert report.red_flag_answers.get(question__code="discharge").present


def test_please_call_me_with_a_blank_question_is_stored(client, sent):
    client.post(link_of(sent), everything_answered(wants_call="on", flag_vision=None))

    report = ReactionReport.objects.get()
    assert report.wants_call
    assert report.unanswered == ["flag:vision"]


def test_a_blank_question_with_nothing_urgent_is_asked_again_and_nothing_is_stored(client, sent):
    response = client.post(link_of(sent), everything_answered(flag_fever=None, pain_tenderness="12"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert 'href="#question-flag_fever"' in page
    assert "Please choose a number from 0 to 10." in page
    assert 'aria-describedby="flag_fever-error"' in page
    assert not ReactionReport.objects.exists()
    sent.refresh_from_db()
    assert sent.status == CheckInStatus.SENT


def test_the_rest_of_the_answer_adds_to_the_same_report_and_tells_the_clinic_again(client, sent, alice, time_machine):
    client.post(link_of(sent), everything_answered(flag_airway="yes", flag_fever=None, flag_discharge=None))
    told_first = Notification.objects.filter(recipient=alice).count()
    time_machine.move_to(
        at(
            1,
            hours=1,
        )
        + timedelta(minutes=3),
        tick=False,
    )

    response = client.post(
        reverse("checkins:check_in_rest", args=link_of(sent).strip("/").split("/")[1:3]),
        {"flag_fever": "yes", "flag_airway": "no"},
    )

    assert response.status_code == 302
    report = ReactionReport.objects.get()
    assert report.unanswered == ["flag:discharge"]
    flags = {answer.question.code: answer.present for answer in report.red_flag_answers.select_related("question")}
    assert flags == {
        **{code: False for code in FLAGS if code not in ("fever", "discharge")},
        "fever": True,
        "vision": False,
        "airway": True,
    }
    assert Notification.objects.filter(recipient=alice).count() > told_first


def test_the_rest_cannot_be_sent_once_the_link_has_closed(client, sent, time_machine):
    client.post(link_of(sent), everything_answered(flag_airway="yes", flag_fever=None))
    time_machine.move_to(at(1, hours=1) + timedelta(hours=73), tick=False)

    response = client.post(
        reverse("checkins:check_in_rest", args=link_of(sent).strip("/").split("/")[1:3]), {"flag_fever": "yes"}
    )

    assert "This check-in has closed" in response.content.decode()
    assert ReactionReport.objects.get().unanswered == ["flag:fever"]
    assert not ReactionReport.objects.get().red_flag_answers.filter(question__code="fever").exists()


def test_the_emergency_questions_come_first_and_the_emergency_line_before_any_question(client, sent):
    page = client.get(link_of(sent)).content.decode()

    emergency_line = page.index('data-testid="emergency-line"')
    names = list(dict.fromkeys(re.findall(r'name="((?:flag|reaction)_\w+)"', page)))
    assert emergency_line < page.index('name="flag_')
    assert 'href="tel:999"' in page[emergency_line : page.index('name="flag_')]
    assert names[:2] == ["flag_vision", "flag_airway"] or names[:2] == ["flag_airway", "flag_vision"]
    assert " required" not in page


@pytest.fixture
def paris_check_in(db, time_machine):
    """The day-1 check-in, sent, of a patient of a French clinic whose patients read French."""
    paris = ClinicFactory(
        name="Clinique du Marais", country="FR", language="fr", emergency_phone="15", emergency_phone_other="112"
    )
    time_machine.move_to(SESSION_AT + timedelta(minutes=5), tick=False)
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=paris, phone="+33 6 12 34 56 78"),
        practitioner=MembershipFactory(clinic=paris).user,
        performed_at=SESSION_AT,
    )
    schedule.check_ins_plan(session=session)
    time_machine.move_to(at(1, hours=1), tick=False)
    tasks.send_due_check_ins()
    return first_check_in(session)


def test_a_french_clinics_patient_is_told_to_call_15_and_a_uk_patient_999(client, sent, paris_check_in):
    french = client.get(link_of(paris_check_in)).content.decode()
    english = client.get(link_of(sent)).content.decode()

    assert 'href="tel:15"' in french
    assert 'href="tel:112"' in french
    assert "tel:999" not in french
    assert 'href="tel:999"' in english
    assert "tel:15" not in english


def test_an_altered_link_still_names_the_clinic_and_whom_to_call(client, sent):
    clinic_id, token = link_of(sent).strip("/").split("/")[1:3]

    altered = client.get(reverse("checkins:check_in", args=[clinic_id, token[:-3] + "abc"]))
    unknown = client.get(reverse("checkins:check_in", args=["not-a-clinic", token[:-3] + "abc"]))

    assert altered.status_code == 400
    assert 'href="tel:999"' in altered.content.decode()
    assert "+44 20 7946 0101" in altered.content.decode()
    assert "Call the emergency services now" in unknown.content.decode()


def test_a_closed_link_shows_the_emergency_number_too(client, sent, time_machine):
    time_machine.move_to(at(1, hours=1) + timedelta(hours=73), tick=False)

    page = client.get(link_of(sent)).content.decode()

    assert "This check-in has closed" in page
    assert 'href="tel:999"' in page


def test_a_red_flag_tells_the_patient_to_call_the_clinic_now_and_whom_to_call_if_it_does_not_answer(client, sent):
    client.post(link_of(sent), everything_answered(flag_discharge="yes"))

    page = client.get(link_of(sent)).content.decode()

    assert "Please call the clinic now" in page
    assert "which need the clinic without waiting" in page
    assert "today" not in page.split('data-testid="advice"')[1].split("</div>")[0]
    assert "If you cannot reach the clinic, or if you have difficulty breathing" in page
    assert 'href="tel:999"' in page


def test_a_french_patient_of_a_french_clinic_reads_15_when_the_clinic_does_not_answer(client, paris_check_in):
    check_in = paris_check_in

    client.post(link_of(check_in), everything_answered(flag_discharge="yes"))
    page = client.get(link_of(check_in)).content.decode()

    assert "maintenant" in page
    assert "Si vous n'arrivez pas à joindre la clinique" in page
    assert 'href="tel:15"' in page
    assert "999" not in page
