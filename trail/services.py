"""Writes to the trail, called by any app that shows a patient's record."""

from .models import RecordView

PATH_LENGTH = RecordView._meta.get_field("path").max_length


def record_view_log(*, user, patient, path: str) -> None:
    RecordView.objects.create(user=user, patient=patient, path=path[:PATH_LENGTH])
