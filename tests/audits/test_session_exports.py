"""The sessions export as CSV or XLSX, downloaded at once or prepared by a worker: the same rows either way."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from audits import services as audit_services
from audits.forms import ExportForm
from audits.models import Export

from ..factories import MembershipFactory, PatientFactory, TreatmentSessionFactory
from .spreadsheets import SPLIT_NAME, csv_rows, export_period, streamed, xlsx_as_csv_rows, xlsx_cells

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOAD = reverse("audits:sessions_download")


def prepared(client, data, capture) -> Export:
    with capture(execute=True):
        client.post(reverse("audits:exports"), data)
    return Export.objects.get()


def test_the_sessions_xlsx_downloaded_at_once_holds_the_csvs_rows(client_for, mary, harbour, hostile_sessions):
    client = client_for(mary)
    period = export_period(harbour)
    csv_text = streamed(client.get(DOWNLOAD, period)).decode()

    response = client.get(DOWNLOAD, {**period, "file_format": "xlsx"})

    assert response["Content-Type"] == XLSX
    name = f"sessions-{period['start']}-{period['end']}.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    content = streamed(response)
    assert xlsx_as_csv_rows(content) == csv_rows(csv_text)
    assert len(csv_rows(csv_text)) == 4
    names = [row[3] for row in xlsx_cells(content)]
    assert names[0].value == "Patient"
    assert " ".join(SPLIT_NAME) in [cell.value for cell in names]
    assert {cell.data_type for cell in names} == {"s"}


def test_the_sessions_xlsx_prepared_by_a_worker_holds_the_same_rows(
    client_for, mary, harbour, hostile_sessions, django_capture_on_commit_callbacks
):
    client = client_for(mary)
    period = export_period(harbour)
    csv_text = streamed(client.get(DOWNLOAD, period)).decode()

    export = prepared(client, {**period, "file_format": "xlsx"}, django_capture_on_commit_callbacks)

    assert (export.file_format, export.status, export.done_rows, export.total_rows) == ("xlsx", "done", 3, 3)
    assert export.file.name.endswith(".xlsx")
    assert "Download the XLSX" in client.get(reverse("audits:export_detail", args=[export.pk])).content.decode()
    download = client.get(reverse("audits:export_download", args=[export.pk]))
    assert download["Content-Type"] == XLSX
    assert xlsx_as_csv_rows(streamed(download)) == csv_rows(csv_text)


def test_an_export_without_a_format_is_a_csv(client_for, mary, harbour, django_capture_on_commit_callbacks):
    client = client_for(mary)

    export = prepared(client, export_period(harbour), django_capture_on_commit_callbacks)

    assert (export.file_format, export.status) == ("csv", "done")
    download = client.get(reverse("audits:export_download", args=[export.pk]))
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert "Download the CSV" in client.get(reverse("audits:export_detail", args=[export.pk])).content.decode()


def test_the_export_page_offers_both_formats(client_for, mary):
    page = client_for(mary).get(reverse("audits:exports")).content.decode()

    assert 'value="csv"' in page
    assert 'value="xlsx"' in page
    assert "Excel workbook (XLSX)" in page


def test_a_format_the_app_does_not_write_is_refused_and_nothing_is_prepared(
    client_for, mary, harbour, django_capture_on_commit_callbacks
):
    client = client_for(mary)
    period = {**export_period(harbour), "file_format": "pdf"}

    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(reverse("audits:exports"), period)
    downloaded = client.get(DOWNLOAD, period)

    assert posted.status_code == 200
    assert "file_format" in posted.context["form"].errors
    assert downloaded.status_code == 400
    assert not downloaded.has_header("Content-Disposition")
    assert not Export.objects.exists()


def test_a_practitioner_can_neither_prepare_nor_download_an_xlsx(
    client_for, alice, harbour, hostile_sessions, django_capture_on_commit_callbacks
):
    client = client_for(alice)
    period = {**export_period(harbour), "file_format": "xlsx"}

    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(reverse("audits:exports"), period)
    downloaded = client.get(DOWNLOAD, period)

    assert (posted.status_code, downloaded.status_code) == (403, 403)
    assert not downloaded.has_header("Content-Disposition")
    assert not Export.objects.exists()
    assert default_storage.listdir("") == ([], [])


def test_a_manager_cannot_export_another_clinic_as_xlsx(
    client_for, mary, riverside, django_capture_on_commit_callbacks
):
    client = client_for(mary)
    period = {**export_period(riverside), "file_format": "xlsx"}

    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(reverse("audits:exports"), period)
    downloaded = client.get(DOWNLOAD, period)

    assert "clinic" in posted.context["form"].errors
    assert downloaded.status_code == 400
    assert not downloaded.has_header("Content-Disposition")
    assert not Export.objects.exists()


def test_another_clinics_manager_cannot_download_a_prepared_xlsx(
    client_for, mary, harbour, riverside, hostile_sessions, django_capture_on_commit_callbacks
):
    export = prepared(
        client_for(mary), {**export_period(harbour), "file_format": "xlsx"}, django_capture_on_commit_callbacks
    )
    other_manager = MembershipFactory(clinic=riverside, role="manager").user

    response = client_for(other_manager).get(reverse("audits:export_download", args=[export.pk]))

    assert response.status_code == 404
    assert not response.has_header("Content-Disposition")


def sessions_at(harbour, alice, count):
    for days_ago in range(count):
        TreatmentSessionFactory(
            patient=PatientFactory(clinic=harbour),
            practitioner=alice,
            performed_at=timezone.now() - timedelta(days=days_ago % 20, hours=1),
        )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("sessions", [3, 30])
def test_a_download_at_once_reads_a_bounded_number_of_queries(
    client_for, mary, alice, harbour, sessions, file_format, django_assert_max_num_queries
):
    sessions_at(harbour, alice, sessions)
    client = client_for(mary)

    with django_assert_max_num_queries(16):
        response = client.get(DOWNLOAD, {**export_period(harbour), "file_format": file_format})
        content = streamed(response)

    rows = xlsx_as_csv_rows(content) if file_format == "xlsx" else csv_rows(content.decode())
    assert len(rows) == sessions + 1


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("sessions", [3, 30])
def test_a_prepared_export_reads_a_bounded_number_of_queries(
    mary, alice, harbour, sessions, file_format, django_assert_max_num_queries
):
    sessions_at(harbour, alice, sessions)
    form = ExportForm({**export_period(harbour), "file_format": file_format}, clinics=[harbour])
    assert form.is_valid()
    export = Export.objects.create(requested_by=mary, **form.cleaned_data)

    with django_assert_max_num_queries(13):
        audit_services.export_run(export_id=export.pk)

    export.refresh_from_db()
    assert (export.status, export.done_rows, export.file.name.rsplit(".", 1)[-1]) == ("done", sessions, file_format)
