"""A patient's photos, when their record is erased: called by `audits.erasure` inside its
transaction, after the sessions are locked and before they go (a photo protects its session).

The files are removed from storage once the erasure commits; the trail's entries of photos deleted
earlier go too, since their reasons may name the patient, and the erasure's own entry stands for them.
"""

from collections.abc import Sequence

from trail.models import Removal

from . import discards, services
from .models import Photo, PhotoUpload


def session_photos_erase(*, session_ids: Sequence) -> int:
    """Delete the sessions' photos, kept or still as sent, and say how many were kept."""
    # Photos still as they were sent go with the rest, kept or not; a worker holding one finds it gone.
    uploads = PhotoUpload.objects.filter(session_id__in=session_ids)
    discards.files_discard(
        list(uploads.exclude(raw_name="").values_list("raw_name", flat=True)), storage=services.STORAGE
    )
    uploads.delete()
    count = services.files_discard(Photo.objects.filter(session_id__in=session_ids))
    Removal.objects.filter(session_id__in=session_ids).delete()
    return count
