"""Charting a session: the zones treated and where each product went, checked by the service,
carried by the form as ordinary fields, and carried over to the next session of the series."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from recovery.sessions import session_log
from treatments import services
from treatments.models import Area, InjectionPoint, SessionProduct, SessionZone, Technique, TreatmentSession

from ..factories import BatchFactory
from .test_sessions import CREATE_URL, session_post


def point(zone="cheek_left", product=0, volume="0.5", diagram="face_front", x="0.3", y="0.55"):
    return services.PointPlaced(
        diagram=diagram, zone=zone, x=Decimal(x), y=Decimal(y), product=product, volume_ml=Decimal(volume)
    )


def log(patient, practitioner, products, *, areas=(Area.FACE,), zones=(), points=()):
    return session_log(
        patient=patient,
        practitioner=practitioner,
        performed_at=timezone.now() - timedelta(hours=1),
        areas=[services.AreaTreated(area=area) for area in areas],
        products=[services.ProductUse(batch=batch, volume_ml=Decimal(volume)) for batch, volume in products],
        technique=Technique.POINT_BY_POINT,
        aftercare=[],
        recorded_by=practitioner,
        zones=list(zones),
        points=list(points),
    )


def refusal(*args, **kwargs) -> dict:
    with pytest.raises(services.ValidationError) as error:
        log(*args, **kwargs)
    return error.value.message_dict


def nothing_saved() -> bool:
    return not (TreatmentSession.objects.exists() or SessionZone.objects.exists() or InjectionPoint.objects.exists())


def test_a_charted_session_keeps_its_zones_and_each_point_on_its_product(alice, harbour_patient, harbour):
    hydra = BatchFactory(product__clinic=harbour, product__name="Hydra Boost")
    repair = BatchFactory(product__clinic=harbour, product__name="PN Repair")

    session = log(
        harbour_patient,
        alice,
        [(hydra, "1"), (repair, "0.4")],
        zones=["cheek_left", "cheek_right", "forehead"],
        points=[point("cheek_left", 0), point("cheek_right", 0, diagram="face_right"), point("forehead", 1, "0.4")],
    )

    assert sorted(session.zones.values_list("zone", flat=True)) == ["cheek_left", "cheek_right", "forehead"]
    hydra_use, repair_use = SessionProduct.objects.filter(session=session).order_by("pk")
    assert [(p.zone, p.diagram, p.volume_ml) for p in hydra_use.points.all()] == [
        ("cheek_left", "face_front", Decimal("0.50")),
        ("cheek_right", "face_right", Decimal("0.50")),
    ]
    assert [(p.zone, p.x, p.y) for p in repair_use.points.all()] == [("forehead", Decimal("0.3"), Decimal("0.55"))]
    assert session.recovery is not None


def test_a_product_without_points_is_fine_and_a_session_need_not_be_charted(alice, harbour_patient, harbour_batch):
    charted = log(harbour_patient, alice, [(harbour_batch, "2")], zones=["lips"])
    uncharted = log(harbour_patient, alice, [(harbour_batch, "2")])

    assert list(charted.zones.values_list("zone", flat=True)) == ["lips"]
    assert not charted.injection_points.exists()
    assert not uncharted.zones.exists()


def test_a_zone_outside_the_areas_chosen_is_refused_and_nothing_is_saved(alice, harbour_patient, harbour_batch):
    errors = refusal(harbour_patient, alice, [(harbour_batch, "2")], areas=[Area.FACE], zones=["lips", "decolletage"])

    assert errors == {
        "zones": ["Décolletage is not within the treated areas chosen: choose its area too, or leave the zone out."]
    }
    assert nothing_saved()


def test_an_unknown_zone_is_refused(alice, harbour_patient, harbour_batch):
    assert refusal(harbour_patient, alice, [(harbour_batch, "2")], zones=["elbow"]) == {
        "zones": [str(services.UNKNOWN_ZONE)]
    }
    assert nothing_saved()


def test_a_point_outside_the_charted_zones_is_refused(alice, harbour_patient, harbour_batch):
    errors = refusal(harbour_patient, alice, [(harbour_batch, "0.5")], zones=["lips"], points=[point("chin")])

    assert errors == {"points": ["A point on Chin is outside the charted zones: chart the zone, or remove the point."]}
    assert nothing_saved()


@pytest.mark.parametrize(
    ("placed", "message"),
    [
        (point("cheek_left", diagram="face_right"), services.POINT_NOT_ON_DIAGRAM),
        (point("cheek_left", diagram="elbow"), services.POINT_NOT_ON_DIAGRAM),
        (point(x="1.2"), services.POINT_OFF_THE_DIAGRAM),
        (point(y="-0.1"), services.POINT_OFF_THE_DIAGRAM),
        (point(volume="0"), services.POINT_VOLUME),
        (point(volume="0.005"), services.POINT_VOLUME),
        (point(volume="10000"), services.POINT_VOLUME),
        (point(product=1), services.POINT_WITHOUT_PRODUCT),
        (point(product=None), services.POINT_WITHOUT_PRODUCT),
    ],
)
def test_a_point_off_its_diagram_or_product_or_with_a_bad_volume_is_refused(
    alice, harbour_patient, harbour_batch, placed, message
):
    errors = refusal(harbour_patient, alice, [(harbour_batch, "0.5")], zones=["cheek_left"], points=[placed])

    assert errors == {"points": [str(message)]}
    assert nothing_saved()


def test_points_that_add_up_to_another_volume_than_their_product_row_are_refused_naming_it(
    alice, harbour_patient, harbour
):
    hydra = BatchFactory(product__clinic=harbour, product__name="Hydra Boost", lot_number="HB-001")
    repair = BatchFactory(product__clinic=harbour, product__name="PN Repair", lot_number="PN-9")

    errors = refusal(
        harbour_patient,
        alice,
        [(hydra, "2"), (repair, "1")],
        zones=["cheek_left", "lips"],
        points=[point("cheek_left", 0, "0.5"), point("lips", 0, "1"), point("lips", 1, "1")],
    )

    assert errors == {
        "points": [
            "Hydra Boost (HB-001): the points add up to 1.5 mL but the product row says 2 mL. "
            "Correct a volume, or remove the points."
        ]
    }
    assert nothing_saved()


# The form: the chart travels as ordinary fields, the points as JSON in a hidden one.


def chart_post(patient, practitioner, batch, *, zones, points, **overrides):
    data = session_post(patient, practitioner, batch, **overrides)
    data["session-zones"] = zones
    data["session-points"] = points if isinstance(points, str) else json.dumps(points)
    return data


POINT_JSON = {"diagram": "face_front", "zone": "lips", "x": 0.5, "y": 0.71, "product": 0, "volume_ml": "2.5"}


def test_the_form_saves_the_zones_ticked_and_the_points_placed(client_for, alice, harbour_patient, harbour_batch):
    data = chart_post(harbour_patient, alice, harbour_batch, zones=["lips", "neck_front"], points=[POINT_JSON])

    response = client_for(alice).post(CREATE_URL, data)

    session = TreatmentSession.objects.get()
    assert response.status_code == 302
    assert sorted(session.zones.values_list("zone", flat=True)) == ["lips", "neck_front"]
    assert list(session.injection_points.values_list("zone", "x", "y", "volume_ml", "product_use__batch")) == [
        ("lips", Decimal("0.5"), Decimal("0.71"), Decimal("2.5"), harbour_batch.pk)
    ]


def test_a_point_on_a_removed_product_row_names_no_product(client_for, alice, harbour_patient, harbour_batch, harbour):
    second = BatchFactory(product__clinic=harbour)
    data = chart_post(harbour_patient, alice, harbour_batch, zones=["lips"], points=[{**POINT_JSON, "product": 1}])
    data.update({"products-TOTAL_FORMS": "2", "products-1-batch": str(second.pk), "products-1-volume_ml": "1"})
    data["products-1-DELETE"] = "on"

    response = client_for(alice).post(CREATE_URL, data)

    assert response.status_code == 200
    assert str(services.POINT_WITHOUT_PRODUCT) in response.content.decode()
    assert nothing_saved()


def test_points_are_named_by_their_row_on_the_form_when_an_earlier_row_is_removed(
    client_for, alice, harbour_patient, harbour_batch, harbour
):
    second = BatchFactory(product__clinic=harbour)
    data = chart_post(
        harbour_patient, alice, harbour_batch, zones=["lips"], points=[{**POINT_JSON, "product": 1, "volume_ml": "1"}]
    )
    data.update({"products-TOTAL_FORMS": "2", "products-1-batch": str(second.pk), "products-1-volume_ml": "1"})
    data["products-0-DELETE"] = "on"

    client_for(alice).post(CREATE_URL, data)

    assert InjectionPoint.objects.get().product_use.batch == second


@pytest.mark.parametrize(
    "points",
    [
        "{not json",
        '{"diagram": "face_front"}',
        "[1, 2]",
        json.dumps([{**POINT_JSON, "x": "a lot"}]),
        json.dumps([{**POINT_JSON, "product": "0"}]),
        json.dumps([{**POINT_JSON, "volume_ml": None}]),
        json.dumps([{key: value for key, value in POINT_JSON.items() if key != "zone"}]),
    ],
)
def test_points_that_cannot_be_read_are_refused_and_nothing_is_saved(
    client_for, alice, harbour_patient, harbour_batch, points
):
    data = chart_post(harbour_patient, alice, harbour_batch, zones=["lips"], points=points)

    response = client_for(alice).post(CREATE_URL, data)

    assert response.status_code == 200
    assert "The injection points could not be read: place them again." in response.content.decode()
    assert nothing_saved()


def test_too_many_points_are_refused_unread(client_for, alice, harbour_patient, harbour_batch):
    many = [{**POINT_JSON, "volume_ml": "0.01"}] * (services.MAX_POINTS_PER_SESSION + 1)
    data = chart_post(harbour_patient, alice, harbour_batch, zones=["lips"], points=many)

    response = client_for(alice).post(CREATE_URL, data)

    assert "A session charts at most 200 injection points." in response.content.decode()
    assert nothing_saved()


def test_a_points_field_beyond_its_length_is_refused(client_for, alice, harbour_patient, harbour_batch):
    data = chart_post(harbour_patient, alice, harbour_batch, zones=["lips"], points="[" + " " * 50_000 + "]")

    response = client_for(alice).post(CREATE_URL, data)

    assert response.status_code == 200
    assert nothing_saved()


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({"x": 1.5}, "A point is placed off the diagram: place it again."),
        ({"volume_ml": "-1"}, str(services.POINT_VOLUME)),
        ({"zone": "chin"}, "A point on Chin is outside the charted zones: chart the zone, or remove the point."),
    ],
)
def test_the_form_shows_the_services_refusal_of_a_point(
    client_for, alice, harbour_patient, harbour_batch, changed, message
):
    data = chart_post(harbour_patient, alice, harbour_batch, zones=["lips"], points=[{**POINT_JSON, **changed}])

    response = client_for(alice).post(CREATE_URL, data)

    assert response.context["entry"].form.errors["points"] == [message]
    assert nothing_saved()


def test_the_form_keeps_the_chart_when_refused(client_for, alice, harbour_patient, harbour_batch):
    data = chart_post(harbour_patient, alice, harbour_batch, zones=["lips"], points=[{**POINT_JSON, "volume_ml": "1"}])

    response = client_for(alice).post(CREATE_URL, data)

    assert "the points add up to 1 mL but the product row says 2.5 mL" in response.content.decode()
    assert response.context["entry"].form["points"].value() == data["session-points"]
    assert response.context["entry"].form["zones"].value() == ["lips"]
    assert nothing_saved()


def test_the_form_lists_every_zone_by_area(client_for, alice, harbour_patient):
    response = client_for(alice).get(f"{CREATE_URL}?patient={harbour_patient.pk}")

    groups = response.context["entry"].form.zone_groups()
    assert [group["area"] for group in groups] == [Area.FACE, Area.NECK, Area.DECOLLETAGE, Area.SCALP, Area.HANDS]
    assert sum(len(group["zones"]) for group in groups) == 27
    assert 'data-diagram="face_front"' in response.content.decode()


def test_the_session_form_reads_a_bounded_number_of_queries(
    client_for, alice, harbour_patient, harbour_batch, django_assert_max_num_queries
):
    client = client_for(alice)
    previous = log(harbour_patient, alice, [(harbour_batch, "0.5")], zones=["lips"], points=[point("lips")])
    client.get(f"{CREATE_URL}?patient={harbour_patient.pk}")

    with django_assert_max_num_queries(15):
        client.get(f"{CREATE_URL}?patient={harbour_patient.pk}")
    with django_assert_max_num_queries(21):
        client.get(f"{CREATE_URL}?after={previous.pk}")


# The series: the next session starts from the previous chart.


def test_the_next_session_starts_from_the_previous_chart_its_points_on_the_same_rows(
    client_for, alice, harbour_patient, harbour, time_machine
):
    hydra = BatchFactory(product__clinic=harbour, product__name="Hydra Boost")
    gone = BatchFactory(
        product__clinic=harbour, product__name="Old Glow", expiry_date=timezone.localdate() + timedelta(days=1)
    )
    repair = BatchFactory(product__clinic=harbour, product__name="PN Repair")
    previous = log(
        harbour_patient,
        alice,
        [(hydra, "1"), (gone, "0.2"), (repair, "0.3")],
        zones=["cheek_left", "lips", "chin"],
        points=[point("cheek_left", 0, "1"), point("lips", 1, "0.2"), point("chin", 2, "0.3", x="0.5", y="0.9")],
    )

    time_machine.move_to(timezone.now() + timedelta(days=3))
    response = client_for(alice).get(f"{CREATE_URL}?after={previous.pk}")

    entry = response.context["entry"]
    assert sorted(entry.form.initial["zones"]) == ["cheek_left", "chin", "lips"]
    assert [row["batch"] for row in entry.products.initial] == [hydra, repair]
    # Old Glow has no batch usable now: its point goes with it, PN Repair's moves up to row 1.
    assert json.loads(entry.form.initial["points"]) == [
        {
            "diagram": "face_front",
            "zone": "cheek_left",
            "x": "0.3000",
            "y": "0.5500",
            "product": 0,
            "volume_ml": "1.00",
        },
        {"diagram": "face_front", "zone": "chin", "x": "0.5000", "y": "0.9000", "product": 1, "volume_ml": "0.30"},
    ]
    assert 'value="chin"' in response.content.decode()


def test_the_prefilled_chart_saves_as_it_stands(client_for, alice, harbour_patient, harbour_batch):
    previous = log(harbour_patient, alice, [(harbour_batch, "0.5")], zones=["lips"], points=[point("lips")])
    client = client_for(alice)
    entry = client.get(f"{CREATE_URL}?after={previous.pk}").context["entry"]
    data = chart_post(
        harbour_patient,
        alice,
        harbour_batch,
        zones=entry.form.initial["zones"],
        points=entry.form.initial["points"],
        **{"products-0-volume_ml": "0.5"},
    )

    client.post(CREATE_URL, data)

    logged = TreatmentSession.objects.exclude(pk=previous.pk).get()
    assert list(logged.zones.values_list("zone", flat=True)) == ["lips"]
    assert list(logged.injection_points.values_list("zone", "x", "volume_ml")) == [
        ("lips", Decimal("0.3"), Decimal("0.5"))
    ]
