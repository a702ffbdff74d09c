"""Nothing a signed-in member of staff was shown stays in a browser's or a proxy's cache: on a clinic's
shared tablet, Back after a logout must not bring a patient's page back."""

import pytest
from django.urls import reverse

from ..factories import TreatmentSessionFactory

PRIVATE = "private, no-store"


@pytest.fixture
def session(harbour_patient, alice, harbour_batch):
    return TreatmentSessionFactory(patient=harbour_patient, practitioner=alice, batches=[harbour_batch])


@pytest.mark.parametrize(
    "page",
    [
        lambda s: reverse("recovery:dashboard"),
        lambda s: reverse("recovery:feed"),
        lambda s: reverse("patients:list"),
        lambda s: reverse("treatments:patient_detail", args=[s.patient_id]),
        lambda s: reverse("photos:session_detail", args=[s.pk]),
        lambda s: reverse("audits:patient_trail", args=[s.patient_id]),
        lambda s: reverse("audits:index"),
        lambda s: reverse("audits:csv", args=["practitioner"]),
        lambda s: reverse("batches:contacts", args=[s.products_used.get().batch_id]),
    ],
    ids=["dashboard", "feed", "patients", "patient", "session", "trail", "audit", "audit CSV", "batch contacts CSV"],
)
def test_every_page_and_download_for_staff_is_kept_out_of_caches(client_for, mary, session, page):
    response = client_for(mary).get(page(session))

    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_the_logout_itself_is_kept_out_of_caches(client_for, alice):
    client = client_for(alice)

    response = client.post(reverse("logout"))

    assert response["Cache-Control"] == PRIVATE
