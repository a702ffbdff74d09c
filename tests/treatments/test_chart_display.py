"""The face chart on the session page: the drawings carry exactly the catalogue's zones, a session
logged before the chart shows every zone of its areas treated, a charted one only its own zones and
its injection points with product, lot and volume."""

from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings

from tests.factories import BatchFactory, TreatmentSessionFactory
from treatments import chart
from treatments.models import InjectionPoint, SessionZone

SVG = "{http://www.w3.org/2000/svg}"
CHARTS = Path(settings.BASE_DIR) / "static" / "charts"


def zones_in(markup: str, *, treated: bool) -> set[str]:
    root = ElementTree.fromstring(markup)
    return {
        element.get("data-zone")
        for element in root.iter()
        if element.get("data-zone") and ("treated" in element.get("class").split()) == treated
    }


def points_in(markup: str) -> list[ElementTree.Element]:
    return [
        circle for circle in ElementTree.fromstring(markup).iter(f"{SVG}circle") if circle.get("class") == "chart-point"
    ]


@pytest.mark.parametrize("diagram", list(chart.DIAGRAMS))
def test_each_drawing_names_exactly_the_zones_the_catalogue_puts_on_it(diagram):
    root = ElementTree.parse(CHARTS / f"{diagram}.svg").getroot()

    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 300 360"
    assert root.get("role") in {"img", "group"}
    assert root.find(f"{SVG}title").text
    zones = [element for element in root.iter() if element.get("data-zone")]
    assert sorted(element.get("data-zone") for element in zones) == sorted(chart.zones_of_diagram(diagram))
    for element in zones:
        code = element.get("data-zone")
        assert element.get("id") == f"{diagram}-{code}"
        assert element.get("class") == "chart-zone"
        assert element.find(f"{SVG}title").text
    for element in root.iter():
        assert element.get("style") is None
        assert element.tag != f"{SVG}script"
        assert not any(name.endswith("href") for name in element.attrib)


def test_a_session_logged_before_the_chart_shows_its_face_and_neck_all_treated(client_for, alice, session):
    page = client_for(alice).get(session.get_absolute_url())

    shown = page.context["chart"].diagrams
    assert [diagram.code for diagram in shown] == ["face_front", "face_left", "face_right", "neck_decolletage"]
    for diagram in shown:
        face_and_neck = {
            code for code in chart.zones_of_diagram(diagram.code) if chart.ZONES[code].area != "decolletage"
        }
        assert zones_in(diagram.markup, treated=True) == face_and_neck
    assert zones_in(shown[3].markup, treated=False) == {"decolletage"}
    text = page.content.decode()
    assert 'data-zone="forehead"' in text
    assert "Front of the neck" in text
    assert "None charted" in text


def test_a_charted_session_shows_only_its_zones_treated_and_its_points(client_for, alice, harbour_patient):
    batch = BatchFactory(product__clinic=harbour_patient.clinic, product__name="Lumen <Lips>", lot_number="HA-77")
    session = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice, areas=["face"], batches=[batch])
    use = session.products_used.get()
    for zone in ("lips", "chin"):
        SessionZone.objects.create(session=session, zone=zone)
    InjectionPoint.objects.create(
        session=session,
        product_use=use,
        diagram="face_front",
        zone="lips",
        x=Decimal("0.5"),
        y=Decimal("0.66"),
        volume_ml=Decimal("0.30"),
    )

    page = client_for(alice).get(session.get_absolute_url())

    front, left, right = page.context["chart"].diagrams
    assert zones_in(front.markup, treated=True) == {"lips", "chin"}
    assert zones_in(left.markup, treated=True) == zones_in(right.markup, treated=True) == {"lips", "chin"}
    [circle] = points_in(front.markup)
    assert (circle.get("cx"), circle.get("cy")) == ("150.0", "237.6")
    assert circle.find(f"{SVG}title").text == "Lumen <Lips>, lot HA-77, 0.30 mL"
    assert points_in(left.markup) == []
    text = page.content.decode()
    assert "Lumen &lt;Lips&gt;, lot HA-77, 0.30 mL" in text
    assert "Lumen <Lips>" not in text
    assert "Face, from the front: Lips, Chin" in " ".join(text.split())


def test_a_session_of_another_area_only_shows_no_diagram(client_for, alice, harbour_patient):
    session = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice, areas=["scalp", "hands"])

    page = client_for(alice).get(session.get_absolute_url())

    assert [diagram.code for diagram in page.context["chart"].diagrams] == ["scalp", "hands"]


def test_another_clinics_session_stays_hidden(client_for, bob, session):
    assert client_for(bob).get(session.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("points", [1, 30])
def test_the_chart_reads_a_bounded_number_of_queries(client_for, alice, session, points, django_assert_max_num_queries):
    use = session.products_used.get()
    SessionZone.objects.create(session=session, zone="forehead")
    for index in range(points):
        InjectionPoint.objects.create(
            session=session,
            product_use=use,
            diagram="face_front",
            zone="forehead",
            x=Decimal("0.5"),
            y=Decimal(index) / 100,
            volume_ml=Decimal("0.05"),
        )
    client = client_for(alice)

    # Two fewer than the uncharted page with reports (test_recovery_pages), which reads their reactions,
    # red flags and marks but no points: one query reads the points, whatever their number.
    with django_assert_max_num_queries(18):
        page = client.get(session.get_absolute_url())

    assert page.content.decode().count('class="chart-point"') == points


def test_the_chart_stays_a_drawing_after_a_library_maps_the_empty_prefix_elsewhere(
    client_for, alice, session, monkeypatch
):
    # As WeasyPrint does when it draws a PDF (the report pack's forms), for the whole process.
    monkeypatch.setattr(ElementTree, "_namespace_map", dict(ElementTree._namespace_map))
    ElementTree.register_namespace("", "")

    page = client_for(alice).get(session.get_absolute_url())

    for diagram in page.context["chart"].diagrams:
        opening = diagram.markup.split(">")[0]
        assert opening.startswith("<svg ")
        assert 'xmlns="http://www.w3.org/2000/svg"' in opening
    assert "ns0:" not in page.content.decode()
