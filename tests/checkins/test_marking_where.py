"""The patient says where each reaction is, on the same diagrams the practitioner charted: a mark
beyond the treated zones needs the clinic now, a colour change near the eye is an emergency, and
no answer is lost for where, or how, it was marked."""

from decimal import Decimal

import pytest

from recovery import schedule
from recovery.models import ReactionMark, ReactionReport, Recovery, ReportedReaction
from recovery.reasons import words
from recovery.rules import Severity, Status
from treatments.models import SessionZone

from ..factories import PatientFactory, TreatmentSessionFactory
from .test_check_ins import SESSION_AT, answer, at, first_check_in, link_of, send_due


@pytest.fixture
def lips(harbour, alice, time_machine):
    """Hannah (consenting) treated by Alice on 2 March at 10:00, her face, only her lips charted."""
    time_machine.move_to(at(hours=0.1), tick=False)
    patient = PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour", phone="+44 7400 900111")
    session = TreatmentSessionFactory(patient=patient, practitioner=alice, performed_at=SESSION_AT, areas=["face"])
    SessionZone.objects.create(session=session, zone="lips")
    schedule.check_ins_plan(session=session)
    return session


@pytest.fixture
def open_link(lips, time_machine):
    send_due(time_machine, at(1, hours=1))
    return first_check_in(lips)


def findings(session):
    return [words(finding) for finding in Recovery.objects.get(session=session).assessment().findings]


def test_the_page_asks_where_each_reaction_is_with_every_zone_the_treated_area_first(client, open_link):
    page = client.get(link_of(open_link)).content.decode()

    assert "What do you notice on your skin?" in page
    assert 'name="where_reaction_redness"' in page
    assert page.index('<optgroup label="Face">') < page.index('<optgroup label="Neck">')
    assert 'id="where-chart"' in page
    assert page.count('class="chart-diagram where-diagram"') == 6
    assert 'data-drawings="/check-in/drawings/en-gb/' in page


def test_where_is_not_asked_of_a_fever_or_a_change_in_eyesight(client, open_link):
    page = client.get(link_of(open_link)).content.decode()

    assert 'name="where_flag_skin_colour"' in page
    assert 'name="where_flag_fever"' not in page
    assert 'name="where_flag_vision"' not in page


def test_a_reaction_tapped_within_the_treated_zones_is_kept_where_it_was_tapped(client, open_link):
    response = answer(
        client,
        open_link,
        reaction_redness="1",
        where_reaction_redness="lips",
        point_reaction_redness="face_front 0.5012 0.7333",
    )

    assert response.status_code == 302
    mark = ReactionMark.objects.get()
    assert (mark.reaction_type.code, mark.diagram, mark.zone) == ("redness", "face_front", "lips")
    assert (mark.x, mark.y) == (Decimal("0.5012"), Decimal("0.7333"))
    assert mark.treated_zones == ["lips"]
    assert Recovery.objects.get(session=open_link.session).status_at() == Status.ON_TRACK


def test_a_reaction_marked_beyond_the_treated_zones_tells_the_patient_to_call_now(client, open_link, time_machine):
    response = answer(client, open_link, reaction_redness="1", where_reaction_redness="cheek_left")

    page = client.get(response["Location"]).content.decode()
    assert "Please call the clinic now" in page
    assert "You marked a reaction beyond the area that was treated" in page
    assert Recovery.objects.get(session=open_link.session).status_at() == Status.NEEDS_ATTENTION
    assert "Redness beyond the treated area (left cheek)" in findings(open_link.session)


def test_a_colour_change_marked_near_the_eye_sends_the_patient_to_emergency_services(client, open_link):
    response = answer(client, open_link, flag_skin_colour="yes", where_flag_skin_colour="periorbital_right")

    page = client.get(response["Location"]).content.decode()
    assert "Call 999 now" in page
    assert "blocked blood vessel" in page
    assert ReactionMark.objects.get().red_flag.code == "skin_colour"


def test_a_place_marked_while_the_level_still_says_none_is_a_mild_reaction(client, open_link):
    answer(client, open_link, reaction_swelling="0", where_reaction_swelling="neck_front")

    swelling = ReportedReaction.objects.get(reaction_type__code="swelling")
    assert swelling.severity == Severity.MILD
    assert ReactionMark.objects.get().zone == "neck_front"


def test_a_tap_on_a_drawing_that_does_not_show_the_zone_chosen_keeps_the_zone(client, open_link):
    answer(
        client,
        open_link,
        reaction_redness="2",
        where_reaction_redness="chin",
        point_reaction_redness="scalp 0.5 0.5",
    )

    mark = ReactionMark.objects.get()
    assert (mark.diagram, mark.zone, mark.x, mark.y) == ("face_front", "chin", None, None)


@pytest.mark.parametrize(
    "tapped",
    [
        "face_front 1.5 0.2",
        "face_front a b",
        "face_front NaN 0.5",
        "face_front -Infinity 0",
        "elbow 0.5 0.5",
        "face_front 0.5",
    ],
)
def test_a_tap_off_the_drawing_is_refused_with_a_message_and_nothing_is_stored(client, open_link, tapped):
    response = answer(
        client, open_link, reaction_redness="1", where_reaction_redness="lips", point_reaction_redness=tapped
    )

    assert response.status_code == 200
    assert "A mark must lie on the diagram." in response.content.decode()
    assert not ReactionReport.objects.exists()


def test_an_unknown_zone_is_refused_and_nothing_is_stored(client, open_link):
    response = answer(client, open_link, reaction_redness="1", where_reaction_redness="elbow")

    assert response.status_code == 200
    assert not ReactionReport.objects.exists()


def test_a_place_given_to_a_red_flag_answered_no_is_asked_again(client, open_link):
    response = answer(client, open_link, flag_discharge="no", where_flag_discharge="chin")

    assert response.status_code == 200
    assert "You marked where this is, but answered no: please check your answer." in response.content.decode()
    assert not ReactionReport.objects.exists()


def test_an_urgent_answer_is_stored_whatever_else_is_wrong_with_the_places(client, open_link):
    response = answer(
        client,
        open_link,
        flag_spreading_heat="yes",
        where_flag_spreading_heat="cheek_right",
        flag_discharge="no",
        where_flag_discharge="chin",
    )

    assert response.status_code == 302
    report = ReactionReport.objects.get()
    assert [(m.red_flag.code, m.zone) for m in report.marks.all()] == [("spreading_heat", "cheek_right")]


def test_the_rest_of_an_answer_says_where_a_reaction_answered_now_is(client, open_link):
    # Only the red flag answered: everything else is asked again below the advice.
    client.post(link_of(open_link), {"flag_airway": "yes"})
    report = ReactionReport.objects.get()
    assert "reaction:redness" in report.unanswered

    rest = client.post(link_of(open_link) + "rest/", {"reaction_redness": "2", "where_reaction_redness": "decolletage"})

    assert rest.status_code == 302
    mark = ReactionMark.objects.get()
    assert (mark.report, mark.reaction_type.code, mark.zone) == (report, "redness", "decolletage")
    assert "Redness beyond the treated area (décolletage)" in findings(open_link.session)


def test_the_check_in_page_asks_a_bounded_number_of_queries(client, open_link, django_assert_max_num_queries):
    # The check-in with its session, clinic and patient; the session's areas, read once for the questions
    # and the drawings; its zones; the clinic's reactions and red flags.
    with django_assert_max_num_queries(5):
        client.get(link_of(open_link))
