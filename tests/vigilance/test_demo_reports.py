"""The demo's serious complication, reported as a manager would: the three regulators' PDFs, the
lot's notice to its manufacturer and the event as FHIR, none of them naming the patient."""

import json
from io import BytesIO, StringIO

from django.core.management import call_command
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle
from pypdf import PdfReader

from clinics.models import User
from recovery.complications import serious_complications
from recovery.models import Complication

FORM_VERSIONS = {"mhra": "Yellow Card", "fda": "FDA 3500", "ansm": "Cerfa"}


def pdf_text(response) -> str:
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)


def test_the_demos_serious_complication_yields_each_regulators_pdf_the_notice_and_a_fhir_bundle(client_for, db):
    call_command("seed_demo", stdout=StringIO())
    event = Complication.objects.filter(serious_complications()).select_related("recovery__session__patient").get()
    patient = event.recovery.session.patient
    client = client_for(User.objects.get(username="manager"))

    for code, version in FORM_VERSIONS.items():
        response = client.get(reverse("vigilance:pdf", args=[event.pk, code]))
        assert response["Content-Type"] == "application/pdf"
        text = pdf_text(response)
        assert version in text
        assert "☒" in text
        assert patient.last_name not in text
    batch = event.suspects.get().session_product.batch
    notice = pdf_text(client.get(reverse("vigilance:batch_notice_pdf", args=[batch.pk])))
    assert batch.lot_number in notice
    assert patient.last_name not in notice
    bundle = client.get(reverse("vigilance:fhir_bundle", args=[event.pk]))
    assert bundle["Content-Type"].startswith("application/fhir+json")
    parsed = Bundle.model_validate(json.loads(bundle.content))
    assert {entry.resource.get_resource_type() for entry in parsed.entry} >= {"AdverseEvent", "Patient", "Procedure"}


def test_a_practitioner_of_the_demo_cannot_open_the_pack(client_for, db):
    call_command("seed_demo", stdout=StringIO())
    event = Complication.objects.get(serious_complications())

    response = client_for(User.objects.get(username="nurse.alice")).get(reverse("vigilance:pack", args=[event.pk]))

    assert response.status_code == 403
