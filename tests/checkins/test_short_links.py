"""A check-in text is one segment: a short link, and nothing outside the GSM-7 alphabet."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from checkins import services as check_ins
from messaging.channels import CODE_LENGTH
from messaging.sms import segments
from recovery.models import CheckIn, CheckInStatus
from tests.text_messages import MemoryBackend

from ..factories import ClinicFactory, MembershipFactory, PatientFactory, TreatmentSessionFactory, altered

# A long clinic group's name and address, of the length real ones have.
SITE = "https://recovery.harbour-skin-clinics.co.uk"


@pytest.fixture(autouse=True)
def _empty_text_outbox():
    MemoryBackend.outbox.clear()


def due_check_in(clinic, *, language=""):
    """A check-in due a minute ago, for a patient of `clinic` treated by one of its practitioners."""
    practitioner = MembershipFactory(clinic=clinic).user
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=clinic, language=language),
        practitioner=practitioner,
        performed_at=timezone.now() - timedelta(days=1, minutes=5),
    )
    return CheckIn.objects.create(session=session, due_at=timezone.now() - timedelta(minutes=1))


def send(check_in):
    return check_ins.check_in_send(check_in_id=check_in.pk, base_url=SITE)


@pytest.mark.parametrize("language", ["en-gb", "fr"])
@pytest.mark.parametrize(
    "name", ["Riverside Aesthetics", "Marylebone Skin & Laser Clinic, Harley St", "Clinique Beauté du Cœur à Besançon"]
)
def test_a_check_in_text_is_one_gsm7_segment_in_english_and_french(db, language, name):
    check_in = due_check_in(ClinicFactory(name=name), language=language)

    assert send(check_in)

    [text] = MemoryBackend.outbox
    assert text["body"].endswith(f"{SITE}/c/{check_in.code}")
    assert segments(text["body"]) == 1, text["body"]


def test_a_clinic_name_outside_gsm7_is_written_in_its_nearest_letters_in_texts(db):
    send(due_check_in(ClinicFactory(name="Clinique Beauté du Cœur à Besançon"), language="fr"))

    [text] = MemoryBackend.outbox
    assert text["body"].startswith("Clinique Beauté du Coeur à Besancon : ")


def test_each_check_in_has_an_unguessable_code_of_its_own(harbour):
    codes = {due_check_in(harbour).code for _ in range(20)}

    assert len(codes) == 20
    assert all(len(code) == CODE_LENGTH and code.isalnum() for code in codes)


def test_the_short_link_leads_to_the_check_ins_page_privately(client, harbour):
    check_in = due_check_in(harbour)
    CheckIn.objects.filter(pk=check_in.pk).update(status=CheckInStatus.SENT, sent_at=timezone.now())

    response = client.get(f"/c/{check_in.code}")

    assert response.status_code == 302
    assert response["Location"] == check_ins.link_path(check_in)
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert "How are you feeling?" in client.get(response["Location"]).content.decode()


def test_an_unknown_or_altered_code_is_not_a_link(client, harbour):
    check_in = due_check_in(harbour)

    response = client.get(f"/c/{altered(check_in.code)}")

    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert client.post(f"/c/{check_in.code}").status_code == 405


def test_a_check_in_planned_before_codes_still_carries_its_signed_link(harbour):
    check_in = due_check_in(harbour)
    CheckIn.objects.filter(pk=check_in.pk).update(code=None)
    check_in.refresh_from_db()

    send(check_in)

    [text] = MemoryBackend.outbox
    assert text["body"].endswith(SITE + check_ins.link_path(check_in))
    assert reverse("checkins:check_in_code", args=["abc"]) == "/c/abc"
