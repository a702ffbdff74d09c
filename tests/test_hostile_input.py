"""What an attacker or a runaway client can post: every field bounded, every form refused whole."""

import re
from datetime import time, timedelta

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from audits.forms import PERIOD_IN_FUTURE, PERIOD_TOO_EARLY, PERIOD_TOO_LONG
from audits.models import Export
from clinics.limits import NOTE_MAX_LENGTH
from recovery.models import ReactionReport
from treatments.models import TreatmentSession

from .checkins.test_check_ins import answer, at, first_check_in, planned, send_due  # noqa: F401
from .factories import TreatmentSessionFactory
from .treatments.test_sessions import CREATE_URL, nothing_saved, session_post

PROJECT_APPS = {"clinics", "trail", "patients", "messaging", "treatments", "recovery", "checkins", "audits"}
TOO_LONG = "x" * (NOTE_MAX_LENGTH + 1)


def test_every_free_text_field_of_every_model_has_a_length_limit():
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField | models.CharField) and not field.max_length
    ]

    assert unbounded == []


@pytest.fixture
def sent_check_in(planned, time_machine):  # noqa: F811 (the fixture imported above)
    send_due(time_machine, at(days=1))
    return first_check_in(planned)


def test_a_patient_note_beyond_the_limit_is_refused_with_the_answers_kept(client, sent_check_in):
    response = answer(client, sent_check_in, note=TOO_LONG, reaction_redness="2")

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Ensure this value has at most {NOTE_MAX_LENGTH} characters" in page
    assert not ReactionReport.objects.exists()
    assert re.search(r'name="reaction_redness" value="2"[^>]*checked', page)


def test_a_session_note_beyond_the_limit_is_refused_and_nothing_is_saved(
    client_for, alice, harbour_patient, harbour_batch
):
    response = client_for(alice).post(
        CREATE_URL, session_post(harbour_patient, alice, harbour_batch, **{"session-notes": TOO_LONG})
    )

    assert f"Ensure this value has at most {NOTE_MAX_LENGTH} characters" in response.content.decode()
    assert nothing_saved()


def test_a_post_with_hundreds_of_fields_is_refused_before_any_form_runs(
    client_for, alice, harbour_patient, harbour_batch
):
    data = session_post(harbour_patient, alice, harbour_batch)
    data.update({f"padding-{index}": "1" for index in range(500)})

    response = client_for(alice).post(CREATE_URL, data)

    assert response.status_code == 400
    assert not TreatmentSession.objects.exists()


def test_a_post_of_megabytes_is_refused_before_any_form_runs(client, sent_check_in):
    response = answer(client, sent_check_in, note="x" * (1024 * 1024))

    assert response.status_code == 400
    assert not ReactionReport.objects.exists()


def test_the_largest_real_form_fits_well_within_the_limits(client_for, alice, harbour_patient, harbour_batch):
    data = session_post(harbour_patient, alice, harbour_batch, **{"products-TOTAL_FORMS": "10"})
    for index in range(1, 10):
        data.update({f"products-{index}-batch": str(harbour_batch.pk), f"products-{index}-volume_ml": "0.5"})
    data["session-notes"] = "y" * NOTE_MAX_LENGTH

    response = client_for(alice).post(CREATE_URL, data)

    assert response.status_code == 302
    assert TreatmentSession.objects.get().products_used.count() == 10


@pytest.mark.parametrize(
    ("period", "field", "message"),
    [
        ({"end": "9999-12-31"}, "end", PERIOD_IN_FUTURE),
        ({"end": "0001-01-01"}, "end", PERIOD_TOO_EARLY),
        ({"start": "0001-01-01"}, "start", PERIOD_TOO_EARLY),
        ({"start": "2016-01-01", "end": "2026-01-01"}, "start", PERIOD_TOO_LONG),
    ],
    ids=["end-in-9999", "end-in-year-1", "start-in-year-1", "ten-years"],
)
@pytest.mark.parametrize("page", ["audits:index", "audits:exports", "audits:sessions_download"])
def test_an_audit_or_export_period_at_the_edges_of_the_calendar_is_refused_with_a_message(
    client_for, mary, harbour, period, field, message, page
):
    data = {"clinic": str(harbour.pk), "start": "2026-01-01", "end": "2026-02-01", **period}
    client = client_for(mary)

    response = client.post(reverse(page), data) if page == "audits:exports" else client.get(reverse(page), data)

    assert response.status_code in (200, 400)
    assert str(message) in response.context["form"].errors[field]
    assert not Export.objects.exists()


def test_a_session_before_the_patient_was_born_is_refused(client_for, alice, harbour_patient, harbour_batch):
    born = timezone.make_aware(timezone.datetime.combine(harbour_patient.date_of_birth, time(10)))
    data = session_post(harbour_patient, alice, harbour_batch)
    data["session-performed_at"] = (born - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    response = client_for(alice).post(CREATE_URL, data)

    assert "before the patient&#x27;s date of birth" in response.content.decode()
    assert nothing_saved()


def test_a_session_from_years_back_is_refused_and_the_series_is_not_renumbered(
    client_for, alice, harbour_patient, harbour_batch, settings
):
    existing = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice)
    data = session_post(harbour_patient, alice, harbour_batch)
    too_old = timezone.now() - timedelta(days=settings.SESSION_BACKDATE_DAYS + 1)
    data["session-performed_at"] = timezone.localtime(too_old).strftime("%Y-%m-%dT%H:%M")

    response = client_for(alice).post(CREATE_URL, data)

    assert f"up to {settings.SESSION_BACKDATE_DAYS} days back" in response.content.decode()
    assert TreatmentSession.objects.get().pk == existing.pk
    assert TreatmentSession.objects.get().series_number == 1
