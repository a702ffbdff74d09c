"""The face chart's zones: each within one of today's areas, so a session logged before the chart
shows on it, every zone on at least one diagram, and the eye's surroundings named."""

from treatments import chart
from treatments.models import Area


def test_every_area_but_other_has_zones_and_every_zone_is_drawn_somewhere():
    for area in Area.values:
        assert bool(chart.zones_of_area(area)) == (area != Area.OTHER)
    for zone in chart.ZONES.values():
        assert zone.diagrams
        assert set(zone.diagrams) <= set(chart.DIAGRAMS)


def test_a_session_logged_before_the_chart_treated_every_zone_of_its_areas():
    treated = chart.treated_zones(areas=[Area.NECK, Area.DECOLLETAGE], zones=[])

    assert treated == {"neck_front", "neck_left", "neck_right", "decolletage"}


def test_a_charted_session_treated_only_its_zones():
    assert chart.treated_zones(areas=[Area.FACE], zones=["lips", "chin"]) == {"lips", "chin"}


def test_the_diagrams_of_a_face_and_neck_session_are_the_face_views_and_the_neck():
    assert chart.diagrams_for([Area.NECK, Area.FACE]) == [
        chart.Diagram.FACE_FRONT,
        chart.Diagram.FACE_LEFT,
        chart.Diagram.FACE_RIGHT,
        chart.Diagram.NECK_DECOLLETAGE,
    ]


def test_the_zones_near_the_eye_are_face_zones():
    assert all(chart.ZONES[code].area == Area.FACE for code in chart.NEAR_THE_EYE)
