"""A manager tells a lot's manufacturer what followed it: the product, the lot, how many sessions and
patients had it, and the complications confirmed after it, without naming anyone."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from clinics.models import Role
from trail.models import RecordView

from ..factories import MembershipFactory, PatientFactory, UserFactory
from .confirmed import confirm, device_lot, hannahs_infection, session_with


@pytest.fixture
def event(harbour, alice, time_machine):
    """Hannah's infection after the lot; Hannah has a second session with it, and Nina one, uneventful."""
    event = hannahs_infection(harbour, alice, time_machine=time_machine)
    session_with(event.session.patient, alice, [event.device_lot], hours_after=24 * 2)
    session_with(PatientFactory(clinic=harbour, first_name="Nina", last_name="Noakes"), alice, [event.device_lot])
    return event


def notice_page(client, batch):
    return client.get(reverse("vigilance:batch_notice", args=[batch.pk]))


def notice_pdf(client, batch):
    return client.get(reverse("vigilance:batch_notice_pdf", args=[batch.pk]))


def pdf_text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_the_notice_counts_the_sessions_and_patients_that_had_the_lot_and_lists_the_event(client_for, mary, event):
    response = notice_page(client_for(mary), event.device_lot)
    page = response.content.decode()

    assert response.status_code == 200
    assert response.context["notice"].sessions == 3
    assert response.context["notice"].patients == 2
    assert "3 sessions, 2 patients. 1 confirmed complication after it." in page
    for detail in ("HB-1ML", "05412345000013", "12 rue des Lilas"):
        assert detail in page
    event_row = page.split('data-testid="notice-event"')[1].split("</tr>")[0]
    for detail in ("Infection", "Hospitalisation", "Recovering"):
        assert detail in event_row
    assert "Probable" in event_row
    assert "Early (within 4 weeks)" in event_row


def test_the_notice_names_no_patient_on_the_page_or_in_the_pdf(client_for, mary, event):
    client = client_for(mary)
    page = notice_page(client, event.device_lot).content.decode()
    pdf = notice_pdf(client, event.device_lot)

    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf)
    for detail in ("HB-001", "Hydra Boost", "Dermalab SA", "Hospitalisation"):
        assert detail in text
    for identity in ("Hannah", "Nina", "Noakes", "1988", str(event.session.patient.pk)):
        assert identity not in page
        assert identity not in text
    assert not RecordView.objects.exists()


def test_another_lot_of_the_session_says_it_was_not_named_a_suspect(client_for, mary, event):
    page = notice_page(client_for(mary), event.medicine_lot).content.decode()

    assert "Not named" in page.split('data-testid="notice-event"')[1]


def test_a_lot_without_confirmed_complications_has_no_notice_and_its_page_no_link(client_for, mary, harbour, alice):
    lot = device_lot(harbour)
    session_with(PatientFactory(clinic=harbour), alice, [lot])
    client = client_for(mary)

    assert notice_page(client, lot).status_code == 404
    assert 'data-testid="manufacturer-notice"' not in client.get(lot.get_absolute_url()).content.decode()


def test_the_batch_page_links_to_the_notice_once_a_complication_is_confirmed(client_for, mary, event):
    page = client_for(mary).get(event.device_lot.get_absolute_url()).content.decode()

    assert reverse("vigilance:batch_notice", args=[event.device_lot.pk]) in page


def test_a_practitioner_is_refused_and_another_clinics_manager_finds_nothing(client_for, alice, riverside, event):
    rita = UserFactory(username="rita")
    MembershipFactory(user=rita, clinic=riverside, role=Role.MANAGER)

    for view in (notice_page, notice_pdf):
        assert view(client_for(alice), event.device_lot).status_code == 403
        assert view(client_for(rita), event.device_lot).status_code == 404


def test_the_notice_reads_the_same_queries_however_many_events_followed_the_lot(
    client_for, mary, alice, harbour, event, time_machine, django_assert_max_num_queries
):
    client = client_for(mary)
    with django_assert_max_num_queries(20) as one_event:
        notice_page(client, event.device_lot)
    for _ in range(3):
        other = session_with(PatientFactory(clinic=harbour), alice, [event.device_lot])
        confirm(other, alice, time_machine=time_machine, suspect=event.device_lot, grade=2, seriousness=[])
    client = client_for(mary)

    with django_assert_max_num_queries(len(one_event.captured_queries)):
        response = notice_page(client, event.device_lot)

    assert len(response.context["notice"].events) == 4
