"""Staff say where a reaction is in a report they log, on the same chart as the patient: a place
beyond the treated zones is a finding, never a refusal; a place with nothing reported is refused,
and nothing is stored."""

from datetime import timedelta

from django.urls import reverse

from recovery.models import ReactionMark, ReactionReport, Recovery
from recovery.reasons import words
from recovery.rules import Severity, Status
from treatments.models import SessionZone

from ..conftest import SESSION_AT
from ..recovery.test_recovery_pages import report_post


def post(client, session, data):
    return client.post(reverse("photos:report_create", args=[session.pk]), data)


def row_of(session, code):
    codes = list(session.clinic.reaction_types.values_list("code", flat=True))
    return codes.index(code)


def test_the_form_asks_where_each_reaction_and_red_flag_is(client_for, alice, session, time_machine):
    time_machine.move_to(SESSION_AT + timedelta(hours=30), tick=False)

    page = client_for(alice).get(reverse("photos:report_create", args=[session.pk])).content.decode()

    assert 'name="reactions-0-where_mark"' in page
    skin_colour = session.clinic.red_flag_questions.get(code="skin_colour")
    fever = session.clinic.red_flag_questions.get(code="fever")
    assert f'name="report-where_flag_{skin_colour.pk}"' in page
    assert f'name="report-where_flag_{fever.pk}"' not in page
    assert 'id="where-chart"' in page


def test_a_reaction_placed_beyond_the_charted_zones_is_kept_and_needs_the_clinic_now(
    client_for, alice, session, time_machine
):
    time_machine.move_to(SESSION_AT + timedelta(hours=30), tick=False)
    SessionZone.objects.create(session=session, zone="forehead")
    data = report_post(session, 30, swelling=(Severity.MODERATE, None, []))
    index = row_of(session, "swelling")
    data[f"reactions-{index}-where_mark"] = "jawline_left"
    data[f"reactions-{index}-point_mark"] = "face_left 0.41 0.72"

    response = post(client_for(alice), session, data)

    assert response.status_code == 302
    mark = ReactionMark.objects.get()
    assert (mark.diagram, mark.zone, str(mark.x), str(mark.y)) == ("face_left", "jawline_left", "0.4100", "0.7200")
    recovery = Recovery.objects.get(session=session)
    assert recovery.status_at() == Status.NEEDS_ATTENTION
    assert "Swelling beyond the treated area (left jawline)" in [words(f) for f in recovery.assessment().findings]


def test_a_red_flag_placed_near_the_eye_is_an_emergency(client_for, alice, session, time_machine):
    time_machine.move_to(SESSION_AT + timedelta(hours=30), tick=False)
    skin_colour = session.clinic.red_flag_questions.get(code="skin_colour")
    data = report_post(session, 30, red_flags=["skin_colour"])
    data[f"report-where_flag_{skin_colour.pk}"] = "glabella"

    post(client_for(alice), session, data)

    mark = ReactionMark.objects.get()
    assert (mark.red_flag, mark.zone) == (skin_colour, "glabella")
    findings = [words(f) for f in Recovery.objects.get(session=session).assessment().findings]
    assert any("near the eye" in finding for finding in findings)


def test_a_place_for_a_reaction_not_present_is_refused_and_nothing_is_stored(client_for, alice, session, time_machine):
    time_machine.move_to(SESSION_AT + timedelta(hours=30), tick=False)
    data = report_post(session, 30, redness=(Severity.MILD, None, []))
    data[f"reactions-{row_of(session, 'bruising')}-where_mark"] = "chin"

    response = post(client_for(alice), session, data)

    assert response.status_code == 200
    assert "A place on the chart only applies to a reaction that is present." in response.content.decode()
    assert not ReactionReport.objects.exists()


def test_a_place_for_a_red_flag_not_ticked_is_refused_and_nothing_is_stored(client_for, alice, session, time_machine):
    time_machine.move_to(SESSION_AT + timedelta(hours=30), tick=False)
    discharge = session.clinic.red_flag_questions.get(code="discharge")
    data = report_post(session, 30)
    data[f"report-where_flag_{discharge.pk}"] = "chin"

    response = post(client_for(alice), session, data)

    assert response.status_code == 200
    assert "A place on the chart only applies to a red flag that is ticked." in response.content.decode()
    assert not ReactionReport.objects.exists()


def test_the_report_form_asks_a_bounded_number_of_queries(client_for, alice, session, django_assert_max_num_queries):
    client = client_for(alice)
    with django_assert_max_num_queries(16):
        client.get(reverse("photos:report_create", args=[session.pk]))
