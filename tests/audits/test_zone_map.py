"""The managers' heat map: reaction and complication rates per zone of the face chart, with their
Wilson intervals, the sessions that treated the zone as the denominator (every zone of its areas for a
session logged before the chart), and reactions marked beyond what was treated counted apart."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from recovery import complications, services
from recovery.marks import MarkEntry
from recovery.models import ReactionType, RedFlagQuestion
from recovery.rules import Severity
from treatments.chart import ZONES

from ..factories import BatchFactory, MembershipFactory, PatientFactory, TreatmentSessionFactory

ZONE_MAP = reverse("audits:zones")


def treated(clinic, practitioner, *, days=3, areas=("face",), zones=(), batches=None):
    return TreatmentSessionFactory(
        patient=PatientFactory(clinic=clinic),
        practitioner=practitioner,
        performed_at=timezone.now() - timedelta(days=days),
        areas=list(areas),
        zones=list(zones),
        batches=batches,
    )


def marked(session, **where):
    """A report by staff of reactions (mild) and red flags, each marked on a zone: code=zone."""
    types = {t.code: t for t in ReactionType.objects.filter(clinic=session.clinic)}
    flags = {q.code: q for q in RedFlagQuestion.objects.filter(clinic=session.clinic)}
    return services.report_create(
        session=session,
        reported_at=session.performed_at + timedelta(hours=20),
        reactions=[services.ReactionEntry(types[code], Severity.MILD) for code in where if code in types],
        red_flags_present=[flags[code] for code in where if code in flags],
        red_flags_asked=[],
        wants_call=False,
        source=services.ReportSource.STAFF,
        recorded_by=session.practitioner,
        marks=[
            MarkEntry(ZONES[zone].diagrams[0], zone, reaction_type=types.get(code), red_flag=flags.get(code))
            for code, zone in where.items()
        ],
    )


def confirmed(session):
    complications.complication_record(
        recovery=session.recovery, complication_type="nodule", grade=2, recorded_by=session.practitioner
    )


def numbers(row):
    """Sessions; reactions with their interval; complications with theirs; beyond treated."""
    return (
        row.sessions,
        (row.reactions.events, round(row.reactions.low, 4), round(row.reactions.high, 4)),
        (row.complications.events, round(row.complications.low, 4), round(row.complications.high, 4)),
        row.beyond,
    )


def zone_rows(response):
    return {row.code: row for row in response.context["rates"].zones}


def zone_classes(response, diagram, zone):
    figure = next(d for d in response.context["diagrams"] if d.code == diagram)
    drawing = ElementTree.fromstring(str(figure.markup))
    element = next(e for e in drawing.iter() if e.get("data-zone") == zone)
    return set(element.get("class").split()), element.get("aria-label")


@pytest.fixture
def charted(harbour, alice, riverside, bob):
    """Five Harbour sessions: four charted on the lips (one reacting there, one on the chin it did not
    treat, one with a confirmed complication), and one logged before the chart on the face and neck,
    with a complication, a reaction on the left cheek, a red flag around the left eye and a reaction on
    the décolletage it did not treat. Riverside's and a two-year-old session must not count."""
    lips = [treated(harbour, alice, zones=["lips"]) for _ in range(4)]
    marked(lips[0], redness="lips")
    marked(lips[1], redness="chin")
    confirmed(lips[2])
    legacy = treated(harbour, alice, areas=["face", "neck"])
    marked(legacy, redness="cheek_left", skin_colour="periorbital_left", swelling="decolletage")
    confirmed(legacy)
    elsewhere = treated(riverside, bob, zones=["lips", "chin"])
    marked(elsewhere, redness="lips", swelling="decolletage")
    confirmed(elsewhere)
    old = treated(harbour, alice, days=730, zones=["lips"])
    marked(old, redness="lips")
    return {"lips": lips, "legacy": legacy}


def test_each_zone_counts_its_sessions_reactions_and_complications_with_intervals_worked_by_hand(
    client_for, mary, charted
):
    rows = zone_rows(client_for(mary).get(ZONE_MAP))

    # Lips: four charted sessions and the legacy face. 1/5 reacted: 0.0362–0.6245; 2/5 confirmed: 0.1176–0.7693.
    assert numbers(rows["lips"]) == (5, (1, 0.0362, 0.6245), (2, 0.1176, 0.7693), 0)
    # The chin: the legacy face alone, and a lips session's reaction where it treated nothing.
    assert numbers(rows["chin"]) == (1, (0, 0.0, 0.7935), (1, 0.2065, 1.0), 1)
    assert numbers(rows["cheek_left"]) == (1, (1, 0.2065, 1.0), (1, 0.2065, 1.0), 0)
    # A red flag marked on a zone counts as a reaction there.
    assert numbers(rows["periorbital_left"]) == (1, (1, 0.2065, 1.0), (1, 0.2065, 1.0), 0)
    assert numbers(rows["neck_front"]) == (1, (0, 0.0, 0.7935), (1, 0.2065, 1.0), 0)
    # Nothing treated the décolletage: no rate, the reaction marked there counted apart.
    assert numbers(rows["decolletage"]) == (0, (0, 0.0, 0.0), (0, 0.0, 0.0), 1)
    assert numbers(rows["scalp_crown"]) == (0, (0, 0.0, 0.0), (0, 0.0, 0.0), 0)
    assert list(rows) == list(ZONES)


def test_a_session_logged_before_the_chart_counts_in_every_zone_of_its_areas_and_no_other(
    client_for, mary, harbour, alice
):
    treated(harbour, alice, areas=["face", "neck"])
    treated(harbour, alice, areas=["face"], zones=["lips"])

    rows = zone_rows(client_for(mary).get(ZONE_MAP))

    sessions = {code: row.sessions for code, row in rows.items()}
    face_and_neck = {code for code, zone in ZONES.items() if zone.area in ("face", "neck")}
    assert {code for code, count in sessions.items() if count} == face_and_neck
    assert sessions["lips"] == 2
    assert sessions["chin"] == 1


def test_another_clinics_sessions_are_never_counted_nor_choosable(client_for, mary, charted, riverside, bob):
    client = client_for(mary)

    rows = zone_rows(client.get(ZONE_MAP))
    refused = client.get(ZONE_MAP, {"clinic": str(riverside.pk)})
    someone_elses = client.get(ZONE_MAP, {"practitioner": str(bob.pk)})

    assert rows["lips"].sessions == 5
    assert rows["decolletage"].beyond == 1
    assert sum(row.sessions for row in rows.values() if row.code == "chin") == 1
    assert client.get(ZONE_MAP).context["rates"].sessions == 5
    assert "clinic" in refused.context["form"].errors
    assert "rates" not in refused.context
    assert "practitioner" in someone_elses.context["form"].errors
    assert "rates" not in someone_elses.context


def test_a_manager_of_both_clinics_sees_the_one_chosen(client_for, grace, charted, riverside):
    client = client_for(grace)

    both = zone_rows(client.get(ZONE_MAP))
    river = zone_rows(client.get(ZONE_MAP, {"clinic": str(riverside.pk)}))

    assert (both["lips"].sessions, both["lips"].reactions.events) == (6, 2)
    assert numbers(river["lips"]) == (1, (1, 0.2065, 1.0), (1, 0.2065, 1.0), 0)
    assert river["decolletage"].beyond == 1


def test_the_period_practitioner_and_product_narrow_the_sessions(client_for, mary, harbour, alice):
    ben = MembershipFactory(clinic=harbour, user__username="ben", user__first_name="Ben").user
    batch = BatchFactory(product__clinic=harbour, product__name="Lumen Lips")
    treated(harbour, alice, days=2, zones=["lips"], batches=[batch])
    treated(harbour, alice, days=20, zones=["lips"])
    treated(harbour, ben, days=2, zones=["lips"])
    today = timezone.localdate()
    client = client_for(mary)

    def lips(**params):
        return zone_rows(client.get(ZONE_MAP, params))["lips"].sessions

    week = client.get(ZONE_MAP, {"start": today - timedelta(days=7), "end": today})

    assert lips() == 3
    assert zone_rows(week)["lips"].sessions == 2
    start = today - timedelta(days=7)
    assert f"2 sessions from {start.day} {start:%b %Y} to {today.day} {today:%b %Y}." in week.content.decode()
    assert lips(practitioner=str(alice.pk)) == 2
    assert lips(product=str(batch.product.pk)) == 1


def test_a_zone_under_twenty_sessions_is_a_small_sample_hatched_whatever_its_rate(client_for, mary, harbour, alice):
    sessions = [treated(harbour, alice, zones=["lips", "chin"]) for _ in range(19)]
    sessions.append(treated(harbour, alice, zones=["lips"]))
    marked(sessions[0], redness="chin")
    marked(sessions[-1], redness="lips")

    response = client_for(mary).get(ZONE_MAP)
    rows = zone_rows(response)

    assert (rows["lips"].sessions, rows["lips"].small_sample) == (20, False)
    assert (rows["chin"].sessions, rows["chin"].small_sample) == (19, True)
    # 1/20 is 5%: the second band. 1/19 would be too, but a small sample is not banded.
    lips_classes, lips_label = zone_classes(response, "face_front", "lips")
    chin_classes, chin_label = zone_classes(response, "face_front", "chin")
    assert "heat-1" in lips_classes
    assert "heat-small" in chin_classes
    assert not {f"heat-{band}" for band in range(5)} & chin_classes
    assert lips_label == "Lips: reactions 5.0% (95% CI 0.9% to 23.6%) over 20 sessions"
    assert chin_label == "Chin: reactions 5.3% (95% CI 0.9% to 24.6%) over 19 sessions; small sample"
    page = response.content.decode()
    chin_row = page[page.index('data-testid="zone-row-chin"') :].split("</tr>")[0]
    lips_row = page[page.index('data-testid="zone-row-lips"') :].split("</tr>")[0]
    assert 'data-testid="small-sample"' in chin_row
    assert 'data-testid="small-sample"' not in lips_row


def test_the_chart_draws_the_zones_with_something_to_show_and_outlines_a_reaction_beyond_the_treated(
    client_for, mary, charted
):
    response = client_for(mary).get(ZONE_MAP, {"colour": "complications"})

    assert [d.code for d in response.context["diagrams"]] == [
        "face_front",
        "face_left",
        "face_right",
        "neck_decolletage",
    ]
    classes, label = zone_classes(response, "neck_decolletage", "decolletage")
    assert classes == {"chart-zone", "heat-none", "heat-beyond"}
    assert label == "Décolletage: no sessions; 1 session with a reaction marked here beyond what it treated"
    _classes, lips_label = zone_classes(response, "face_front", "lips")
    assert lips_label == "Lips: confirmed complications 40.0% (95% CI 11.8% to 76.9%) over 5 sessions; small sample"
    assert [key.label for key in response.context["legend"]][:5] == [
        "under 1%",
        "1% to under 2%",
        "2% to under 5%",
        "5% to under 10%",
        "10% or more",
    ]


def test_an_unknown_colour_is_refused_with_a_message(client_for, mary, charted):
    response = client_for(mary).get(ZONE_MAP, {"colour": "everything"})

    assert response.context["form"].errors["colour"] == [
        "Select a valid choice. everything is not one of the available choices."
    ]
    assert "rates" not in response.context


def test_the_audit_links_to_the_map_with_its_period(client_for, mary):
    page = client_for(mary).get(reverse("audits:index"), {"start": "2026-01-01", "end": "2026-03-31"})

    assert f'href="{ZONE_MAP}?start=2026-01-01&amp;end=2026-03-31"' in page.content.decode()


@pytest.mark.parametrize("url", [ZONE_MAP, ZONE_MAP + "?colour=complications"])
def test_a_practitioner_is_refused_the_map(client_for, alice, url):
    assert client_for(alice).get(url).status_code == 403


@pytest.mark.parametrize("sessions", [5, 40])
def test_the_map_queries_do_not_grow_with_sessions(
    client_for, mary, harbour, alice, sessions, django_assert_max_num_queries
):
    batch = BatchFactory(product__clinic=harbour)
    for index in range(sessions):
        session = treated(harbour, alice, days=index + 1, zones=["lips", "chin"] if index % 2 else (), batches=[batch])
        if index % 5 == 0:
            marked(session, redness="lips", swelling="neck_front")
    client = client_for(mary)

    with django_assert_max_num_queries(17):
        response = client.get(ZONE_MAP, {"practitioner": str(alice.pk), "product": str(batch.product.pk)})

    assert response.status_code == 200
    assert response.context["rates"].sessions == sessions
