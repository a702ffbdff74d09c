from io import BytesIO

import pytest
from django.test import RequestFactory
from django.test.client import ClientHandler
from django.urls import reverse
from openpyxl import load_workbook

from imports.models import ImportRun, RunStatus

from .files import kind_file
from .pages import FRENCH_MAPPING, import_started, mapped, patients_file, upload_of


@pytest.mark.parametrize(("kind", "file_format"), [("sessions", "xlsx"), ("reactions", "xlsx"), ("patients", "csv")])
def test_each_kind_has_a_template(client_for, mary, harbour, kind, file_format):
    response = client_for(mary).get(reverse("imports:template", args=[harbour.pk, kind, file_format]))

    assert response.status_code == 200
    assert f"import-{kind}.{file_format}" in response["Content-Disposition"]
    if file_format == "csv":
        assert response.content.decode().startswith('"external_id","first_name"')
        return
    workbook = load_workbook(BytesIO(response.content))
    header, guide = workbook.worksheets
    assert next(header.iter_rows(values_only=True))[0] in ("external_id", "session_external_id")
    accepted = "\n".join(str(row[4] or "") for row in guide.iter_rows(values_only=True))
    assert "face – Face" in accepted or "redness – Redness" in accepted


def test_a_practitioner_may_not_import(client_for, alice, harbour):
    client = client_for(alice)

    assert client.get(reverse("imports:index", args=[harbour.pk])).status_code == 403
    assert import_started(client, harbour, content=patients_file()).status_code == 403
    assert not ImportRun.objects.exists()


def test_a_manager_of_another_clinic_finds_nothing(
    client_for, mary, rupert, harbour, django_capture_on_commit_callbacks
):
    import_started(client_for(mary), harbour, content=patients_file())
    run = ImportRun.objects.get()
    client = client_for(rupert)

    assert client.get(reverse("imports:index", args=[harbour.pk])).status_code == 404
    assert import_started(client, harbour, content=patients_file()).status_code == 404
    for name in ("files", "mapping", "progress", "preview"):
        assert client.get(reverse(f"imports:{name}", args=[run.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("imports:mapping", args=[run.pk]), FRENCH_MAPPING).status_code == 404
    assert client.post(reverse("imports:cancel", args=[run.pk])).status_code == 404
    assert client.get(reverse("imports:template", args=[harbour.pk, "patients", "csv"])).status_code == 404
    run.refresh_from_db()
    assert run.status == RunStatus.COLLECTING
    assert ImportRun.objects.count() == 1


def test_a_file_that_is_no_spreadsheet_is_refused_with_a_message(client_for, mary, harbour):
    response = import_started(client_for(mary), harbour, name="scan.pdf", content=b"%PDF-1.4\x00\x00binary")

    assert response.status_code == 200
    assert "neither a CSV file nor an Excel workbook" in response.context["form"].errors["upload"][0]
    assert not ImportRun.objects.exists()


def test_pages_read_a_bounded_number_of_queries(
    client_for, mary, harbour, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client = client_for(mary)
    import_started(client, harbour, content=patients_file())
    run = ImportRun.objects.get()
    mapped(client, run, django_capture_on_commit_callbacks, **FRENCH_MAPPING)
    for name, args in (("index", [harbour.pk]), ("preview", [run.pk]), ("progress", [run.pk])):
        with django_assert_max_num_queries(12):
            assert client.get(reverse(f"imports:{name}", args=args)).status_code == 200


def test_the_clinic_settings_link_to_the_import(client_for, mary, harbour):
    page = client_for(mary).get(reverse("clinics:settings"))

    assert reverse("imports:index", args=[harbour.pk]).encode() in page.content


def test_a_file_over_the_size_limit_is_refused_on_the_form(client_for, mary, harbour, settings):
    settings.IMPORT_MAX_BYTES = 1000

    response = import_started(client_for(mary), harbour, content=b"a,b\n" + b"1,2\n" * 500)

    assert "larger than" in response.context["form"].errors["upload"][0]
    assert not ImportRun.objects.exists()


def test_the_files_and_mapping_pages_read_a_bounded_number_of_queries(
    client_for, mary, harbour, django_assert_max_num_queries
):
    client = client_for(mary)
    import_started(client, harbour, content=patients_file())
    run = ImportRun.objects.get()
    client.post(
        reverse("imports:files", args=[run.pk]),
        {"kind": "sessions", "upload": upload_of("s.csv", kind_file("sessions", {"external_id": "S1"}))},
    )
    for name in ("files", "mapping"):
        with django_assert_max_num_queries(12):
            assert client.get(reverse(f"imports:{name}", args=[run.pk])).status_code == 200


def test_a_request_larger_than_an_import_file_is_refused_before_it_is_read(harbour, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024

    class Unread:
        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    request = RequestFactory().post(reverse("imports:index", args=[harbour.pk]), {"upload": upload_of("a.csv", b"a")})
    environ = {**request.environ, "wsgi.input": Unread(), "CONTENT_LENGTH": str(2 * 1024 * 1024)}
    response = ClientHandler()(environ)

    assert response.status_code == 413
    assert "We take one file of up to 1.0\xa0MB at a time." in response.content.decode()
    assert not ImportRun.objects.exists()
