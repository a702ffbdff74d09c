import pytest
from django.urls import reverse

from audits.downloads import safe_file_name
from treatments.models import Batch

from ..factories import PatientFactory, TreatmentSessionFactory


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("patients-to-contact-lot-HB-001.csv", "patients-to-contact-lot-HB-001.csv"),
        ('lot-A"B.csv', "lot-A-B.csv"),
        ("lot-A\r\nB.csv", "lot-A-B.csv"),
        ("lot-é ü.csv", "lot-.csv"),
        ('"', "download"),
    ],
)
def test_a_download_name_keeps_only_safe_characters(name, safe):
    assert safe_file_name(name) == safe


@pytest.mark.parametrize("lot_number", ['HB"9', "HB\r\n9"], ids=["quote", "line-break"])
def test_a_lot_stored_before_validation_still_downloads_its_contacts(client_for, mary, alice, harbour, lot_number):
    batch = Batch.objects.create(
        product=Batch.objects.model.product.field.related_model.objects.create(
            clinic=harbour, name="Old stock", manufacturer="Dermalab", kind="other"
        ),
        lot_number=lot_number,
        expiry_date="2030-01-01",
        received_on="2025-01-01",
    )
    TreatmentSessionFactory(patient=PatientFactory(clinic=harbour), practitioner=alice, batches=[batch])

    response = client_for(mary).get(reverse("batches:contacts", args=[batch.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="patients-to-contact-lot-HB-9.csv"'
