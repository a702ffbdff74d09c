"""Writes to the trail, called by any app that shows a patient's record."""

from .models import FileTransfer, RecordView, Removal, TokenRequest

PATH_LENGTH = RecordView._meta.get_field("path").max_length


def record_view_log(*, user, patient, path: str) -> None:
    RecordView.objects.create(user=user, patient=patient, path=path[:PATH_LENGTH])


def record_views_log(*, user, patient_ids, path: str) -> None:
    """One read of several patients' records: an entry for each patient, written in one query."""
    RecordView.objects.bulk_create(
        RecordView(user=user, patient_id=patient_id, path=path[:PATH_LENGTH])
        for patient_id in dict.fromkeys(patient_ids)
    )


def token_request_log(*, token, method: str, path: str, status_code: int, patient_id=None) -> None:
    """Another system used an API token: say what it asked and how it was answered."""
    TokenRequest.objects.create(
        token=token, patient_id=patient_id, method=method, path=path[:PATH_LENGTH], status_code=status_code
    )


def removal_record(*, removed_by, clinic_id, what: str, reason: str, session_id=None) -> Removal:
    """Something was deleted from a patient's record: say what it was, never what it held."""
    return Removal.objects.create(
        removed_by=removed_by, clinic_id=clinic_id, session_id=session_id, what=what, reason=reason.strip()
    )


FILE_NAME_LENGTH = FileTransfer._meta.get_field("file_name").max_length


def file_transfer_record(
    *, clinic_id: int, user, direction: str, file_name: str, sha256: str, counts: dict[str, int]
) -> FileTransfer:
    """A file of the clinic's record was imported or exported: who, which file, how many rows of each kind."""
    return FileTransfer.objects.create(
        clinic_id=clinic_id,
        user=user,
        direction=direction,
        file_name=file_name[-FILE_NAME_LENGTH:],
        sha256=sha256,
        counts=dict(counts),
    )
