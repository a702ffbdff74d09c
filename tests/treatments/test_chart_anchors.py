"""Where a mark whose zone was chosen from a list is drawn: a point inside the zone, where it shows,
in every diagram drawn for the product."""

import pytest

from treatments import chart, chart_anchors


def inside(ring, point) -> bool:
    """Even-odd: a ray to the right of the point crosses the ring an odd number of times."""
    x, y = point
    crossings = 0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            crossings += 1
    return crossings % 2 == 1


def test_a_convex_zone_is_marked_at_its_centroid_and_an_ellipse_at_its_centre():
    front = chart_anchors.zone_anchors("face_front")

    assert front["periorbital_left"] == pytest.approx((182.0, 146.0))
    assert front["glabella"] == pytest.approx((150.0, 131.2), abs=0.5)


def test_a_mirrored_zone_is_marked_where_it_is_drawn():
    hands = chart_anchors.zone_anchors("hands")
    left, right = hands["hand_back_left"], hands["hand_back_right"]

    assert right == pytest.approx((300 - left[0], left[1]))
    right_profile = chart_anchors.zone_anchors("face_right")
    left_profile = chart_anchors.zone_anchors("face_left")
    assert right_profile["cheek_right"] == pytest.approx(
        (300 - left_profile["cheek_left"][0], left_profile["cheek_left"][1])
    )


def test_the_area_around_the_mouth_is_marked_off_the_lips_drawn_over_it():
    front = chart_anchors.zone_anchors("face_front")
    x, y = front["perioral"]

    assert x == pytest.approx(150, abs=1)
    # Above the upper lip, which starts at 229, and below the nose, which ends by 204.
    assert 204 < y < 229


def test_a_crescent_is_marked_inside_it_not_at_its_centroid_outside():
    ring = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 8.0), (8.0, 8.0), (8.0, 2.0), (0.0, 2.0)]

    point = chart_anchors.inside_point(ring)

    assert inside(ring, point)


@pytest.mark.parametrize("diagram", list(chart.DIAGRAMS))
def test_every_zone_is_marked_at_a_point_of_its_own_that_no_zone_drawn_over_it_covers(diagram):
    outlines = chart_anchors.zone_outlines(diagram)
    anchors = chart_anchors.zone_anchors(diagram)

    assert sorted(anchors) == sorted(chart.zones_of_diagram(diagram))
    drawn = list(outlines)
    for code, point in anchors.items():
        assert inside(outlines[code], point), code
        over = drawn[drawn.index(code) + 1 :]
        assert not any(inside(outlines[other], point) for other in over), code
