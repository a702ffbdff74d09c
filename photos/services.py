"""Photos of treated skin: written to private storage and deleted with a reason (read by photos.selectors).

A photo's files are written before its record and removed again if the record is not kept
(`files_written`); a deleted record's files are removed after the deletion commits, from a
queue that survives a storage outage (`photos.discards`).
"""

import logging
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from clinics.scoping import managed_clinic_ids_of
from patients.models import Patient
from recovery.models import ReactionReport
from trail.services import removal_record
from treatments.models import Area, TreatmentSession

from . import discards
from .images import SafeImage
from .models import DiscardedFile, Photo, PhotoSource

log = logging.getLogger(__name__)

STORAGE = "photos"
# Enough for the area close up and from further away, few enough to look at, at the session
# and with each report.
PHOTOS_AT_A_TIME = 3

NO_CONSENT_TO_PHOTOS = _("The patient has not consented to photos: record their consent on the patient's record first.")
UNKNOWN_AREA = _("Choose an area from the list.")
TOO_MANY_PHOTOS = _("Add at most %(count)s photos at a time.")
REASON_NEEDED = _("Say why the photo is deleted.")
NOT_A_MANAGER = _("Only a manager of the patient's clinic can delete a photo.")
ALREADY_DELETED = _("This photo has already been deleted.")


def photo_storage():
    return storages[STORAGE]


@dataclass(frozen=True)
class PhotoEntry:
    """A checked photo and the treated area it shows."""

    image: SafeImage
    area: str


@dataclass
class StoredPhoto:
    entry: PhotoEntry
    image_name: str
    thumbnail_name: str
    recorded: bool = field(default=False)


@contextmanager
def files_written(entries: Sequence[PhotoEntry]) -> Iterator[list[StoredPhoto]]:
    """Write the photos' files, for the block to record them in its own transaction.

    Files the block did not record, or all of them if it failed (its transaction rolled back),
    are removed again on the way out: no file is left without its record. Use it outside any
    transaction, with the transaction inside the block.
    """
    storage = photo_storage()
    stored = []
    failed = True
    try:
        for entry in entries:
            key = uuid.uuid4().hex
            stored.append(
                StoredPhoto(
                    entry=entry,
                    image_name=storage.save(f"{key[:2]}/{key}.jpg", ContentFile(entry.image.content)),
                    thumbnail_name=storage.save(f"{key[:2]}/{key}-thumbnail.jpg", ContentFile(entry.image.thumbnail)),
                )
            )
        yield stored
        failed = False
    finally:
        for photo in stored:
            if failed or not photo.recorded:
                files_remove([photo.image_name, photo.thumbnail_name])


def files_remove(names: Sequence[str]) -> None:
    """Remove these files from the photos' storage now; any it refuses are queued for the relay."""
    storage = photo_storage()
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # The storage's own errors vary by backend; the name is queued instead.
            log.exception("Could not remove a photo file; it is queued for removal")
            DiscardedFile.objects.get_or_create(storage=STORAGE, name=name)


def photo_problems(*, session: TreatmentSession, entries: Sequence[PhotoEntry]) -> list[str]:
    problems = []
    # Read afresh: consent may have been withdrawn since the page that sent the photos was drawn.
    if entries and not Patient.objects.filter(pk=session.patient_id, consents_to_photos=True).exists():
        problems.append(str(NO_CONSENT_TO_PHOTOS))
    # An area the session did not treat is kept: what the patient shows is never turned away.
    if any(entry.area not in Area.values for entry in entries):
        problems.append(str(UNKNOWN_AREA))
    if len(entries) > PHOTOS_AT_A_TIME:
        problems.append(str(TOO_MANY_PHOTOS % {"count": PHOTOS_AT_A_TIME}))
    return problems


def photos_record(
    *,
    session: TreatmentSession,
    stored: Sequence[StoredPhoto],
    source: str,
    report: ReactionReport | None = None,
    added_by=None,
    now: datetime | None = None,
) -> list[Photo]:
    """Keep the records of photos whose files `files_written` has just written."""
    if problems := photo_problems(session=session, entries=[s.entry for s in stored]):
        raise ValidationError({"photos": problems})
    now = now or timezone.now()
    photos = Photo.objects.bulk_create(
        Photo(
            session=session,
            report=report,
            area=photo.entry.area,
            source=source,
            added_at=now,
            added_by=added_by,
            image_name=photo.image_name,
            thumbnail_name=photo.thumbnail_name,
            width=photo.entry.image.width,
            height=photo.entry.image.height,
        )
        for photo in stored
    )
    for photo in stored:
        photo.recorded = True
    return photos


def session_photos_add(*, session: TreatmentSession, entries: Sequence[PhotoEntry], added_by) -> list[Photo]:
    """The session's own photos of the treated areas, the baseline later ones are compared with."""
    with files_written(entries) as stored, transaction.atomic():
        return photos_record(session=session, stored=stored, source=PhotoSource.SESSION, added_by=added_by)


def photo_describe(photo: Photo) -> str:
    """What a deleted photo was, in words that hold nothing of the picture or the patient."""
    zone = photo.session.clinic.zone
    return str(
        _("Photo of the %(area)s added %(added)s (%(source)s), session of %(session)s")
        % {
            "area": str(Area(photo.area).label).lower(),
            "added": date_format(timezone.localtime(photo.added_at, zone), "j N Y H:i"),
            "source": photo.get_source_display().lower(),
            "session": date_format(timezone.localtime(photo.session.performed_at, zone), "j N Y"),
        }
    )


def photo_delete(*, photo: Photo, deleted_by, reason: str) -> None:
    """Delete a photo for good: the trail keeps who, when, why and what it showed, not the image."""
    if photo.session.clinic_id not in managed_clinic_ids_of(deleted_by):
        raise ValidationError(str(NOT_A_MANAGER))
    if not reason.strip():
        raise ValidationError({"reason": [str(REASON_NEEDED)]})
    with transaction.atomic():
        # Locked, so that two managers deleting it at once write one entry in the trail.
        if not Photo.objects.select_for_update().filter(pk=photo.pk).exists():
            raise ValidationError(str(ALREADY_DELETED))
        removal_record(
            removed_by=deleted_by,
            clinic_id=photo.session.clinic_id,
            session_id=photo.session_id,
            what=photo_describe(photo),
            reason=reason,
        )
        files_discard(Photo.objects.filter(pk=photo.pk))


def files_discard(photos) -> int:
    """Delete these photos' records and queue their files for removal once the deletion commits."""
    discards.files_discard(
        [name for pair in photos.values_list("image_name", "thumbnail_name") for name in pair], storage=STORAGE
    )
    count, _by_model = photos.delete()
    return count
