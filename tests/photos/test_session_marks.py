"""The session page's chart with each report's marks, numbered in the order they were reported, and each
area's part of the chart beside its photos."""

import re
from datetime import timedelta
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from photos import images
from photos import services as photo_services
from recovery import marks, services
from recovery.models import ReactionKind, ReactionType, RedFlagQuestion
from recovery.rules import Severity
from treatments.chart_anchors import zone_anchors
from treatments.chart_marks import MARK_GAP, MARK_SIZE
from treatments.models import SessionZone

from .. import images as pictures
from ..conftest import SESSION_AT
from ..factories import TreatmentSessionFactory

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def lips_session(harbour, alice, time_machine):
    """Hannah, who consents to photos, had her lips treated, and only her lips charted."""
    time_machine.move_to(SESSION_AT + timedelta(days=3), tick=False)
    session = TreatmentSessionFactory(
        patient__clinic=harbour,
        patient__consents_to_photos=True,
        practitioner=alice,
        performed_at=SESSION_AT,
        areas=["face", "neck"],
    )
    SessionZone.objects.create(session=session, zone="lips")
    return session


def reaction(session, code):
    return ReactionType.objects.get(clinic=session.clinic, code=code)


def report_with(session, *, hours, mark_list, reactions=(), flags=(), by=None):
    """A report `hours` after the session with these marks: the patient's, or staff's when `by` logs it."""
    return services.report_create(
        session=session,
        reported_at=SESSION_AT + timedelta(hours=hours),
        reactions=[services.ReactionEntry(reaction(session, code), Severity.MILD) for code in reactions],
        red_flags_present=[RedFlagQuestion.objects.get(clinic=session.clinic, code=code) for code in flags],
        red_flags_asked=[],
        wants_call=False,
        source=services.ReportSource.STAFF if by else services.ReportSource.PATIENT,
        recorded_by=by,
        marks=mark_list,
    )


def tapped(session, code, diagram, zone, x="0.5", y="0.5"):
    return marks.MarkEntry(diagram, zone, reaction_type=reaction(session, code), x=Decimal(x), y=Decimal(y))


def drawn_marks(markup: str) -> list[ElementTree.Element]:
    return [group for group in ElementTree.fromstring(markup).iter(f"{SVG}g") if "chart-mark" in group.get("class", "")]


def marks_listed(page: str) -> list[str]:
    listed = page.split('data-testid="chart-marks"')[1].split("</ol>")[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", "<li" + item).split()) for item in listed.split("<li")[1:]]


def test_the_marks_are_numbered_in_the_order_they_were_reported_not_logged(client_for, alice, lips_session):
    # Staff log a phone call about the day before after the patient's own report of the day after.
    report_with(
        lips_session,
        hours=48,
        reactions=["swelling"],
        mark_list=[tapped(lips_session, "swelling", "face_front", "lips", "0.5", "0.66")],
    )
    report_with(
        lips_session,
        hours=6,
        reactions=["redness", "bruising"],
        mark_list=[
            tapped(lips_session, "bruising", "face_front", "lips", "0.45", "0.66"),
            tapped(lips_session, "redness", "face_front", "lips", "0.55", "0.66"),
        ],
        by=alice,
    )

    page = client_for(alice).get(lips_session.get_absolute_url())

    shown = page.context["chart"].marks
    assert [(mark.number, mark.label) for mark in shown] == [
        (1, "Small bruises, pinpoint marks"),
        (2, "Redness"),
        (3, "Swelling"),
    ]
    [front] = [diagram for diagram in page.context["chart"].diagrams if diagram.code == "face_front"]
    drawn = drawn_marks(front.markup)
    assert [group.find(f"{SVG}text").text for group in drawn] == ["1", "2", "3"]
    assert [group.get("class") for group in drawn] == ["chart-mark"] * 3
    number = drawn[0].find(f"{SVG}text")
    assert (number.get("x"), number.get("y")) == ("135.0", "237.6")
    assert drawn[0].find(f"{SVG}rect") is not None
    assert drawn[2].get("aria-label") == "Mark 3: Swelling, Lips"
    assert marks_listed(page.content.decode()) == [
        f"1 Mon 2 March, 16:00 · Small bruises, pinpoint marks · Lips (Face, from the front) · by {alice}, "
        "for the patient",
        f"2 Mon 2 March, 16:00 · Redness · Lips (Face, from the front) · by {alice}, for the patient",
        "3 Wed 4 March, 10:00 · Swelling · Lips (Face, from the front) · by the patient",
    ]


def test_a_mark_beyond_the_treated_zones_is_flagged_in_the_drawing_and_the_list(client_for, alice, lips_session):
    report_with(
        lips_session,
        hours=24,
        reactions=["redness"],
        mark_list=[tapped(lips_session, "redness", "face_front", "cheek_left", "0.66", "0.53")],
    )

    page = client_for(alice).get(lips_session.get_absolute_url())

    [mark] = page.context["chart"].marks
    assert mark.beyond_treated
    [front] = [diagram for diagram in page.context["chart"].diagrams if diagram.code == "face_front"]
    [drawn] = drawn_marks(front.markup)
    assert drawn.get("class") == "chart-mark beyond"
    assert drawn.find(f"{SVG}polygon") is not None
    assert drawn.find(f"{SVG}title").text == "Mark 1: Redness, Left cheek, beyond the treated zones"
    [listed] = marks_listed(page.content.decode())
    assert "Redness · Left cheek (Face, from the front) · beyond the treated zones · by the patient" in listed
    assert "Marked beyond the treated zones" in page.content.decode()


def test_a_mark_within_the_treated_zones_is_not_flagged(client_for, alice, lips_session):
    report_with(
        lips_session, hours=24, reactions=["redness"], mark_list=[tapped(lips_session, "redness", "face_left", "lips")]
    )

    page = client_for(alice).get(lips_session.get_absolute_url())

    [mark] = page.context["chart"].marks
    assert not mark.beyond_treated
    [listed] = marks_listed(page.content.decode())
    assert listed == "1 Tue 3 March, 10:00 · Redness · Lips (Face, left profile) · by the patient"
    assert drawn_marks(page.context["chart"].diagrams[1].markup)[0].get("class") == "chart-mark"


def test_a_mark_on_an_area_the_session_did_not_treat_brings_its_diagram(client_for, alice, lips_session):
    report_with(
        lips_session,
        hours=24,
        reactions=["redness"],
        mark_list=[tapped(lips_session, "redness", "hands", "hand_back_left", "0.2", "0.7")],
    )

    page = client_for(alice).get(lips_session.get_absolute_url())

    diagrams = {diagram.code: diagram for diagram in page.context["chart"].diagrams}
    assert list(diagrams) == ["face_front", "face_left", "face_right", "neck_decolletage", "hands"]
    [drawn] = drawn_marks(diagrams["hands"].markup)
    assert drawn.get("class") == "chart-mark beyond"


def test_a_zone_chosen_from_a_list_is_outlined_with_its_number_inside(client_for, alice, lips_session):
    neck = marks.MarkEntry("neck_decolletage", "neck_front", reaction_type=reaction(lips_session, "swelling"))
    flag = marks.MarkEntry(
        "neck_decolletage",
        "neck_front",
        red_flag=RedFlagQuestion.objects.get(clinic=lips_session.clinic, code="widespread_rash"),
    )
    report_with(lips_session, hours=24, reactions=["swelling"], flags=["widespread_rash"], mark_list=[neck, flag])

    page = client_for(alice).get(lips_session.get_absolute_url())

    [diagram] = [diagram for diagram in page.context["chart"].diagrams if diagram.code == "neck_decolletage"]
    root = ElementTree.fromstring(diagram.markup)
    [zone] = [element for element in root.iter() if element.get("data-zone") == "neck_front"]
    assert zone.get("class").split() == ["chart-zone", "marked"]
    first, second = drawn_marks(diagram.markup)
    anchor_x, anchor_y = zone_anchors("neck_decolletage")["neck_front"]
    # Side by side about the zone's own point, rather than one over the other.
    centres = [float(group.find(f"{SVG}text").get("x")) for group in (first, second)]
    apart = (MARK_SIZE + MARK_GAP) / 2
    assert centres == [round(anchor_x - apart, 1), round(anchor_x + apart, 1)]
    assert float(first.find(f"{SVG}text").get("y")) == round(anchor_y, 1)
    assert first.get("aria-label") == (
        "Mark 1: Swelling, Front of the neck, beyond the treated zones, zone chosen from a list"
    )
    assert second.get("aria-label").startswith("Mark 2: Red flag: ")
    listed = marks_listed(page.content.decode())
    assert "zone chosen from a list" in listed[0]
    assert "Front of the neck (Neck and décolletage)" in listed[1]


def test_a_label_from_the_clinics_own_catalogue_stays_text(client_for, alice, lips_session):
    ReactionType.objects.create(
        clinic=lips_session.clinic,
        code="odd_rash",
        staff_label="<script>alert('rash')</script>",
        patient_wording="A rash",
        kind=ReactionKind.CONCERNING,
        fades_by_hours=48,
        position=99,
    )
    report_with(
        lips_session,
        hours=24,
        reactions=["odd_rash"],
        mark_list=[tapped(lips_session, "odd_rash", "face_front", "chin")],
    )

    page = client_for(alice).get(lips_session.get_absolute_url()).content.decode()

    assert "<script>alert(" not in page
    assert page.count("&lt;script&gt;alert(&#x27;rash&#x27;)&lt;/script&gt;") >= 1
    assert "Mark 1: &lt;script&gt;alert(" in page


def test_another_clinics_session_with_marks_stays_hidden(client_for, bob, lips_session):
    report_with(
        lips_session, hours=24, reactions=["redness"], mark_list=[tapped(lips_session, "redness", "face_front", "lips")]
    )

    assert client_for(bob).get(lips_session.get_absolute_url()).status_code == 404


def test_a_session_without_marks_says_none_were_marked(client_for, alice, lips_session):
    page = client_for(alice).get(lips_session.get_absolute_url()).content.decode()

    assert marks_listed(page) == ["None marked"]
    assert "Reaction marked, numbered in time order" not in page


@pytest.fixture
def photographed(lips_session, alice):
    photo_services.session_photos_add(
        session=lips_session,
        entries=[
            photo_services.PhotoEntry(image=images.safe_image(pictures.png()), area=area)
            for area in ("face", "neck", "other")
        ],
        added_by=alice,
    )
    return lips_session


def test_each_areas_photos_sit_beside_its_part_of_the_chart_with_its_own_marks(client_for, alice, photographed):
    report_with(
        photographed,
        hours=24,
        reactions=["redness", "swelling"],
        mark_list=[
            tapped(photographed, "redness", "face_front", "lips"),
            marks.MarkEntry("face_left", "neck_left", reaction_type=reaction(photographed, "swelling")),
        ],
    )

    page = client_for(alice).get(photographed.get_absolute_url())

    face, neck = page.context["beside_the_chart"]
    assert [diagram.code for diagram in face.diagrams] == ["face_front"]
    assert [mark.number for mark in face.marks] == [1]
    assert [len(drawn_marks(diagram.markup)) for diagram in face.diagrams] == [1]
    # The neck's own diagram, and the profile its mark was placed on, with that mark alone.
    assert [diagram.code for diagram in neck.diagrams] == ["face_left", "neck_decolletage"]
    assert [mark.number for mark in neck.marks] == [2]
    assert [len(drawn_marks(diagram.markup)) for diagram in neck.diagrams] == [1, 0]
    assert [len(area.photos) for area in (face, neck)] == [1, 1]
    text = page.content.decode()
    assert text.count('class="beside-area"') == 2
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids))
    labelled = re.findall(r'aria-labelledby="([^"]+)"', text)
    assert set(labelled) <= set(ids)


def test_a_session_without_photos_has_nothing_beside_the_chart(client_for, alice, lips_session):
    page = client_for(alice).get(lips_session.get_absolute_url())

    assert page.context["beside_the_chart"] == []
    assert 'data-testid="beside-the-chart"' not in page.content.decode()


@pytest.mark.parametrize("reports", [1, 12])
def test_more_reports_with_marks_read_no_more_queries(
    client_for, alice, photographed, reports, django_assert_max_num_queries
):
    for index in range(reports):
        report_with(
            photographed,
            hours=index + 1,
            reactions=["redness", "swelling"],
            flags=["widespread_rash"],
            mark_list=[
                tapped(photographed, "redness", "face_front", "cheek_left"),
                marks.MarkEntry("neck_decolletage", "neck_front", reaction_type=reaction(photographed, "swelling")),
                marks.MarkEntry(
                    "face_front",
                    "chin",
                    red_flag=RedFlagQuestion.objects.get(clinic=photographed.clinic, code="widespread_rash"),
                ),
            ],
        )
    client = client_for(alice)
    client.get(photographed.get_absolute_url())

    # One more than the session page with photos (test_photos), for the injection points of its charted
    # lips: the windows of the reactions reported present use the types read with them. One query reads
    # the marks, whatever the number of reports and marks.
    with django_assert_max_num_queries(22):
        page = client.get(photographed.get_absolute_url())

    assert len(page.context["chart"].marks) == 3 * reports
