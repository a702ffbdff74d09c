"""A patient's reactions across the series: on the patient's page and beside the next session's form."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from recovery import services
from recovery.models import ReactionType
from recovery.rules import Severity

from ..factories import PatientFactory, TreatmentSessionFactory


@pytest.fixture
def series(harbour, alice):
    """Hannah's two sessions: after the first, moderate redness gone by day 2 and mild swelling;
    after the second, mild redness, still there at the only report."""
    patient = PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour")
    first = TreatmentSessionFactory(
        patient=patient, practitioner=alice, performed_at=timezone.now() - timedelta(days=20)
    )
    second = TreatmentSessionFactory(
        patient=patient, practitioner=alice, performed_at=timezone.now() - timedelta(days=6)
    )
    redness = ReactionType.objects.get(clinic=harbour, code="redness")
    swelling = ReactionType.objects.get(clinic=harbour, code="swelling")

    def report(session, hours, *entries):
        services.report_create(
            session=session,
            reported_at=session.performed_at + timedelta(hours=hours),
            reactions=[services.ReactionEntry(reaction_type, severity) for reaction_type, severity in entries],
            red_flags_present=[],
            red_flags_asked=[],
            wants_call=False,
            source=services.ReportSource.STAFF,
            recorded_by=alice,
        )

    report(first, 6, (redness, Severity.MODERATE), (swelling, Severity.MILD))
    report(first, 40, (redness, Severity.NONE), (swelling, Severity.NONE))
    report(second, 6, (redness, Severity.MILD))
    return patient


def history_url(patient):
    return reverse("recovery:reaction_history", args=[patient.pk])


def test_each_session_shows_which_reactions_how_strong_and_how_long(client_for, alice, series):
    history = client_for(alice).get(history_url(series), HTTP_HX_REQUEST="true").context["history"]

    first, second = history.sessions
    assert (first.courses["redness"].severity_label, first.courses["redness"].hours) == ("Moderate", 40.0)
    assert first.courses["redness"].gone
    assert first.courses["swelling"].severity_label == "Mild"
    assert (second.courses["redness"].severity_label, second.courses["redness"].hours) == ("Mild", 6.0)
    assert not second.courses["redness"].gone
    assert "swelling" not in second.courses
    assert len(history.bars) == 3


def test_the_patient_page_loads_the_history_and_the_fragment_draws_a_chart_and_a_table(client_for, alice, series):
    client = client_for(alice)

    page = client.get(series.get_absolute_url()).content.decode()
    fragment = client.get(history_url(series), HTTP_HX_REQUEST="true").content.decode()

    assert f'hx-get="{history_url(series)}"' in page
    assert 'class="history-chart"' in fragment
    assert "gone by" in fragment
    assert "still there at" in fragment


def test_the_next_sessions_form_shows_the_previous_sessions_reactions(client_for, alice, series):
    latest = series.sessions.order_by("-performed_at").first()

    page = client_for(alice).get(f"{reverse('recovery:session_create')}?after={latest.pk}").content.decode()

    assert "Hannah Harbour, after the previous session (session 2" in page
    assert "Redness: Mild, still there at" in page


def test_the_history_reads_a_bounded_number_of_queries(
    client_for, alice, series, harbour, django_assert_max_num_queries
):
    client = client_for(alice)
    for days in range(10):
        TreatmentSessionFactory(
            patient=series, practitioner=alice, performed_at=timezone.now() - timedelta(days=60 + days)
        )

    with django_assert_max_num_queries(12):
        client.get(history_url(series), HTTP_HX_REQUEST="true")


def test_another_clinics_patient_has_no_history_to_show(client_for, bob, series):
    assert client_for(bob).get(history_url(series)).status_code == 404


def test_the_panel_names_a_red_flag_and_a_call_request_of_the_previous_session(client_for, alice, series, harbour):
    latest = series.sessions.order_by("-performed_at").first()
    services.report_create(
        session=latest,
        reported_at=latest.performed_at + timedelta(hours=30),
        reactions=[],
        red_flags_present=list(harbour.red_flag_questions.filter(code="fever")),
        red_flags_asked=[],
        wants_call=True,
        source=services.ReportSource.STAFF,
        recorded_by=alice,
    )

    page = client_for(alice).get(f"{reverse('recovery:session_create')}?after={latest.pk}").content.decode()

    assert "Red flag: Fever" in page
    assert "Asked to be called" in page


def test_logging_after_an_older_session_shows_that_sessions_reactions(client_for, alice, series):
    first = series.sessions.order_by("performed_at").first()

    page = client_for(alice).get(f"{reverse('recovery:session_create')}?after={first.pk}").content.decode()

    assert "after the previous session (session 1" in page
    assert "Redness: Moderate, gone by" in page


def test_another_patient_chosen_on_the_form_does_not_keep_the_first_ones_reactions(client_for, alice, series, harbour):
    latest = series.sessions.order_by("-performed_at").first()
    other = PatientFactory(clinic=harbour, first_name="Olive", last_name="Other")

    page = (
        client_for(alice)
        .post(f"{reverse('recovery:session_create')}?after={latest.pk}", {"session-patient": str(other.pk)})
        .content.decode()
    )

    assert "after the previous session" not in page
