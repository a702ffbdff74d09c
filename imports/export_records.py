"""The parts of a clinic's record the import does not bring in, exported in columns of their own:
check-ins, follow-ups, recoveries' closures, the reaction catalogue and the trail."""

from collections.abc import Iterator

from clinics.models import Clinic
from recovery.models import CheckIn, FollowUp, ReactionType, Recovery, RedFlagQuestion
from trail.models import FileTransfer, RecordView, Removal

CHUNK = 2000


def _session_number(session_id, external_id: str) -> str:
    return external_id or str(session_id)


def check_in_rows(clinic: Clinic) -> Iterator[dict]:
    check_ins = (
        CheckIn.objects.filter(session__clinic=clinic)
        .order_by("due_at", "pk")
        .values("session_id", "session__external_id", "due_at", "status", "sent_at", "answered_at")
    )
    for row in check_ins.iterator(chunk_size=CHUNK):
        row["session_external_id"] = _session_number(row.pop("session_id"), row.pop("session__external_id"))
        yield row


def follow_up_rows(clinic: Clinic) -> Iterator[dict]:
    follow_ups = (
        FollowUp.objects.filter(recovery__clinic=clinic)
        .order_by("recorded_at", "pk")
        .values("recovery_id", "recovery__session__external_id", "action", "note", "recorded_by__email", "recorded_at")
    )
    for row in follow_ups.iterator(chunk_size=CHUNK):
        row["session_external_id"] = _session_number(row.pop("recovery_id"), row.pop("recovery__session__external_id"))
        row["recorded_by_email"] = row.pop("recorded_by__email")
        yield row


def recovery_rows(clinic: Clinic) -> Iterator[dict]:
    recoveries = (
        Recovery.objects.filter(clinic=clinic, closed_at__isnull=False)
        .order_by("performed_at", "pk")
        .values("pk", "session__external_id", "closed_at", "closing_outcome", "closing_note", "closed_by__email")
    )
    for row in recoveries.iterator(chunk_size=CHUNK):
        row["session_external_id"] = _session_number(row.pop("pk"), row.pop("session__external_id"))
        row["closed_by_email"] = row.pop("closed_by__email")
        yield row


def _catalogue_fields(model) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if field.name not in ("id", "clinic")]


def catalogue_rows(model, clinic: Clinic) -> Iterator[dict]:
    yield from model.objects.filter(clinic=clinic).order_by("position", "code").values(*_catalogue_fields(model))


def trail_rows(clinic: Clinic) -> Iterator[dict]:
    """Who opened which patient's record, what was removed, and each file brought in or taken out."""
    views = (
        RecordView.objects.filter(patient__clinic=clinic)
        .order_by("viewed_at", "pk")
        .values("viewed_at", "user__email", "patient_id", "patient__external_id", "path")
    )
    for row in views.iterator(chunk_size=CHUNK):
        yield {
            "at": row["viewed_at"],
            "what": "record_view",
            "user_email": row["user__email"],
            "patient_external_id": row["patient__external_id"] or str(row["patient_id"]),
            "detail": row["path"],
        }
    removals = Removal.objects.filter(clinic=clinic).order_by("removed_at", "pk")
    for removal in removals.values("removed_at", "removed_by__email", "what", "reason").iterator(chunk_size=CHUNK):
        yield {
            "at": removal["removed_at"],
            "what": "removal",
            "user_email": removal["removed_by__email"],
            "detail": f"{removal['what']}: {removal['reason']}",
        }
    transfers = FileTransfer.objects.filter(clinic=clinic).order_by("at", "pk")
    for transfer in transfers.values("at", "user__email", "direction", "file_name", "sha256", "counts"):
        yield {
            "at": transfer["at"],
            "what": transfer["direction"],
            "user_email": transfer["user__email"],
            "detail": f"{transfer['file_name']} sha256:{transfer['sha256']} {transfer['counts']}",
        }


def records(clinic: Clinic) -> dict[str, tuple[list[str], Iterator[dict]]]:
    """Each file's name, columns and rows."""
    return {
        "check_ins": (
            ["session_external_id", "due_at", "status", "sent_at", "answered_at"],
            check_in_rows(clinic),
        ),
        "follow_ups": (
            ["session_external_id", "action", "note", "recorded_by_email", "recorded_at"],
            follow_up_rows(clinic),
        ),
        "closures": (
            ["session_external_id", "closed_at", "closing_outcome", "closing_note", "closed_by_email"],
            recovery_rows(clinic),
        ),
        "reaction_catalogue": (_catalogue_fields(ReactionType), catalogue_rows(ReactionType, clinic)),
        "red_flag_questions": (_catalogue_fields(RedFlagQuestion), catalogue_rows(RedFlagQuestion, clinic)),
        "trail": (["at", "what", "user_email", "patient_external_id", "detail"], trail_rows(clinic)),
    }
