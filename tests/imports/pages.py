"""What the import's page tests share: a file uploaded, a first file from a former system, its mapping."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from .files import csv_file


def upload_of(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def import_started(client, harbour, *, source="OldDesk", kind="patients", name="patients.csv", content=b""):
    return client.post(
        reverse("imports:index", args=[harbour.pk]),
        {"source": source, "kind": kind, "upload": upload_of(name, content)},
    )


def patients_file(**options):
    return csv_file(
        [
            ["Numéro", "Prénom", "Nom", "Né le", "Portable"],
            ["P1", "Zoé", "Lefèvre", "14/07/1985", "'+447400123456"],
            ["P2", "Élodie", "Müller", "01/02/1990", "07400 123457"],
        ],
        **options,
    )


def mapped(client, run, django_capture_on_commit_callbacks, **choices):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("imports:mapping", args=[run.pk]), choices)


SESSION_MAPPING = {
    f"sessions__{name}": name
    for name in (
        "external_id",
        "patient_external_id",
        "performed_at",
        "practitioner_email",
        "technique",
        "areas",
        "product_gtin",
        "lot_number",
        "volume_ml",
    )
}
FRENCH_MAPPING = {
    "patients__external_id": "Numéro",
    "patients__first_name": "Prénom",
    "patients__last_name": "Nom",
    "patients__date_of_birth": "Né le",
    "patients__phone": "Portable",
}
