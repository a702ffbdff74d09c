"""Photos as they arrive: kept as sent, then made safe by a worker, never at the cost of an answer.

A photo is received in a request of its own, after the answer or report it goes with has been
stored by itself: the file is written as it came to private storage, with a pending row
(`uploads_receive`), and nothing is decoded there. `upload_process` decodes it later: in a Celery
task for a patient's photos, started once the rows have committed; at once, in the request, for
staff's, who wait for theirs. Either way a worker killed while decoding leaves the row pending,
and beat's relay takes it again when its lease lapses, a bounded number of times.
"""

import logging
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from messaging import handoff
from patients.models import Patient
from recovery import services as recovery_services
from recovery.models import CheckIn, ReactionReport, ReportSource
from treatments.models import Area, TreatmentSession

from . import discards, images
from .models import PhotoSource, PhotoUpload, UploadState
from .services import (
    NO_CONSENT_TO_PHOTOS,
    STORAGE,
    UNKNOWN_AREA,
    PhotoEntry,
    files_remove,
    files_written,
    photo_storage,
    photos_record,
)

log = logging.getLogger(__name__)

# A photo that has stopped its worker this many times (memory, a time limit) is refused.
MAX_ATTEMPTS = 3
# Each area close up and from further away, sent again a few times over: enough for one report.
PHOTOS_PER_REPORT = 9

TOO_MANY_WITH_THE_REPORT = _(
    "The clinic already has %(count)s photos with this answer, the most it takes: call the clinic to show more."
)
NOT_ANSWERED_YET = _("Send your answers first: photos are added to them.")
NO_PHOTOS_FROM_THIS_LINK = _(
    "Photos can no longer be sent to the clinic from this link: call the clinic if you want to show them something."
)
CONSENT_WITHDRAWN = _("Consent to photos was withdrawn before this photo could be kept.")
NOT_PROCESSED = _("This photo could not be processed: send it again, or send a screenshot of it.")
# Photos of an area the session did not treat were once refused; the rows refused so keep their words.
AREA_NOT_TREATED = _("Choose one of the areas treated in this session.")
# The refusals a stored row can carry, by code, in the words of photos.images where they come from;
# "too_large" says the photo's size (`refusal_text`).
REFUSALS = {
    "too_large": images.TOO_LARGE,
    "not_a_photo": images.NOT_A_PHOTO,
    "too_many_pixels": images.TOO_MANY_PIXELS,
    "too_small": images.TOO_SMALL,
    "unreadable": images.UNREADABLE,
    "too_much_at_once": images.TOO_MUCH_AT_ONCE,
    "no_consent": CONSENT_WITHDRAWN,
    "area_not_treated": AREA_NOT_TREATED,
    "unknown_area": UNKNOWN_AREA,
    "not_processed": NOT_PROCESSED,
}


@dataclass(frozen=True)
class Received:
    """A photo of the form, as sent: its slot, its file and the treated area it shows."""

    number: int
    file: UploadedFile
    area: str


@dataclass(frozen=True)
class Refused:
    """A photo of the form refused from its header alone (`REFUSALS`), never kept: its slot, name,
    size and why, so that the page listing what became of each photo names it too."""

    number: int
    name: str
    size: int
    code: str


def refusal_text(upload: PhotoUpload) -> str:
    """Why the photo was not kept, in the reader's language."""
    if upload.refusal == "too_large":
        limit = filesizeformat(settings.PHOTO_MAX_BYTES)
        return str(images.TOO_LARGE % {"size": filesizeformat(upload.size), "limit": limit})
    return str(REFUSALS.get(upload.refusal, NOT_PROCESSED))


def uploads_receive(
    *,
    session: TreatmentSession,
    received: Sequence[Received],
    source: str,
    report: ReactionReport | None = None,
    added_by=None,
    refused: Sequence[Refused] = (),
    hand_off: bool = True,
) -> list[PhotoUpload]:
    """Keep each photo's file as sent, with a pending row, for `upload_process`; none if the patient
    has not consented (read afresh), an area is not one of the list, or the report has its fill of photos.
    Those `refused` already are recorded as refused, with no file.

    `hand_off` starts a worker on each once the rows commit; staff's are processed by their caller.
    """
    if not received and not refused:
        return []
    if not Patient.objects.filter(pk=session.patient_id, consents_to_photos=True).exists():
        raise ValidationError(str(NO_CONSENT_TO_PHOTOS), code="no_consent")
    if any(photo.area not in Area.values for photo in received):
        raise ValidationError(str(UNKNOWN_AREA), code="unknown_area")
    with _raw_files_written(received) as raw_names, transaction.atomic():
        if report is not None:
            # Locked, so two sends at once count each other's photos.
            ReactionReport.objects.select_for_update().filter(pk=report.pk).first()
            kept_or_coming = report.photo_uploads.exclude(state=UploadState.REFUSED).count()
            if kept_or_coming + len(received) > PHOTOS_PER_REPORT:
                raise ValidationError(
                    str(TOO_MANY_WITH_THE_REPORT % {"count": PHOTOS_PER_REPORT}), code="too_many_with_the_report"
                )
        now = timezone.now()
        uploads = PhotoUpload.objects.bulk_create(
            PhotoUpload(
                session=session,
                report=report,
                source=source,
                area=photo.area,
                added_by=added_by,
                name=(photo.file.name or "")[:100],
                number=photo.number,
                size=photo.file.size,
                raw_name=raw_name,
                received_at=now,
            )
            for photo, raw_name in zip(received, raw_names, strict=True)
        )
        PhotoUpload.objects.bulk_create(
            PhotoUpload(
                session=session,
                report=report,
                source=source,
                added_by=added_by,
                name=photo.name[:100],
                number=photo.number,
                size=photo.size,
                received_at=now,
                state=UploadState.REFUSED,
                refusal=photo.code,
                processed_at=now,
            )
            for photo in refused
        )
        if hand_off:
            handoff.after_commit(handoff.PHOTO_PROCESS, [upload.pk for upload in uploads])
    return uploads


@contextmanager
def _raw_files_written(received: Sequence[Received]) -> Iterator[list[str]]:
    """Write the files as sent; removed again if the block fails, so none is left without its row."""
    storage = photo_storage()
    names = []
    try:
        for photo in received:
            photo.file.seek(0)
            names.append(storage.save(f"uploads/{uuid.uuid4().hex}", photo.file))
        yield names
    except BaseException:
        files_remove(names)
        raise


def upload_process(*, upload_id, now: datetime | None = None) -> str | None:
    """Decode one received photo into a kept `Photo`, or refuse it with a reason; the state it ends
    in, or None when another worker holds it or it was already done."""
    now = now or timezone.now()
    claimed = (
        PhotoUpload.objects.filter(pk=upload_id, state=UploadState.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + handoff.claim_lease(), attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    upload = PhotoUpload.objects.select_related("session", "report").get(pk=upload_id)
    if upload.attempts > MAX_ATTEMPTS:
        # Every worker that took it so far died on it: it would take the next one down too.
        log.error("Photo upload %s stopped its worker %s times; refused", upload.pk, MAX_ATTEMPTS)
        return _refused(upload, "not_processed")
    try:
        with photo_storage().open(upload.raw_name, "rb") as raw:
            image = images.safe_image(raw)
    except ValidationError as refusal:
        return _refused(upload, refusal.code or "unreadable")
    except FileNotFoundError:
        log.error("Photo upload %s has no file %s", upload.pk, upload.raw_name)
        return _refused(upload, "not_processed")
    except Exception:  # The storage's own errors vary by backend: the relay tries again.
        log.exception("Could not read photo upload %s; it will be tried again", upload.pk)
        PhotoUpload.objects.filter(pk=upload.pk).update(claimed_until=None)
        return None
    return _kept(upload, image)


def _kept(upload: PhotoUpload, image: images.SafeImage) -> str | None:
    entry = PhotoEntry(image=image, area=upload.area)
    with files_written([entry]) as stored, transaction.atomic():
        if not PhotoUpload.objects.select_for_update().filter(pk=upload.pk, state=UploadState.PENDING).exists():
            return None
        # Read afresh: consent may have been withdrawn since the photo was received.
        if not Patient.objects.filter(pk=upload.session.patient_id, consents_to_photos=True).exists():
            return _refused(upload, "no_consent")
        [photo] = photos_record(
            session=upload.session,
            stored=stored,
            source=upload.source,
            report=upload.report,
            added_by=upload.added_by,
            now=upload.received_at,
        )
        _finish(upload, state=UploadState.KEPT, photo=photo)
    return UploadState.KEPT


def _refused(upload: PhotoUpload, code: str) -> str:
    with transaction.atomic():
        _finish(upload, state=UploadState.REFUSED, refusal=code)
    return UploadState.REFUSED


def _finish(upload: PhotoUpload, **outcome) -> None:
    """The row's outcome, and its file as sent queued for removal once that commits."""
    discards.files_discard([upload.raw_name], storage=STORAGE)
    PhotoUpload.objects.filter(pk=upload.pk).update(
        **outcome, raw_name="", claimed_until=None, processed_at=timezone.now()
    )


def check_in_photos_add(
    *, check_in: CheckIn, received: Sequence[Received], refused: Sequence[Refused] = ()
) -> list[PhotoUpload]:
    """Photos the patient sends after answering, kept with their answer while the link is open:
    the answer is already stored, so nothing here can cost it. A worker processes them; those
    refused from their headers are listed with them, so the page says what became of each."""
    if check_in.report_id is None:
        raise ValidationError(str(NOT_ANSWERED_YET), code="not_answered")
    # Read afresh: consent may have been withdrawn at the clinic since the page was opened.
    if not Patient.objects.filter(pk=check_in.session.patient_id, consents_to_photos=True).exists():
        raise ValidationError(str(NO_PHOTOS_FROM_THIS_LINK), code="no_consent")
    return uploads_receive(
        session=check_in.session,
        received=received,
        refused=refused,
        source=PhotoSource.PATIENT,
        report=check_in.report,
    )


def staff_report_create(*, received: Sequence[Received] = (), recorded_by, **report) -> tuple[ReactionReport, list]:
    """A report staff log for the patient, stored first and by itself; then the photos they took or
    were sent, processed at once. A photo refused, or a request that dies decoding, costs no report."""
    created = recovery_services.report_create(**report, source=ReportSource.STAFF, recorded_by=recorded_by)
    uploads = uploads_receive(
        session=created.session,
        received=received,
        source=PhotoSource.STAFF,
        report=created,
        added_by=recorded_by,
        hand_off=False,
    )
    return created, uploads_process_now(uploads)


def session_photos_receive(*, session: TreatmentSession, received: Sequence[Received], added_by) -> list[PhotoUpload]:
    """The session's own photos, the baseline later ones are compared with, processed at once."""
    uploads = uploads_receive(
        session=session, received=received, source=PhotoSource.SESSION, added_by=added_by, hand_off=False
    )
    return uploads_process_now(uploads)


def uploads_process_now(uploads: Sequence[PhotoUpload]) -> list[PhotoUpload]:
    """Process these at once, in the caller's request (staff's), and read them back as they ended.
    One a worker holds, or that failed for want of storage, stays pending for the relay."""
    for upload in uploads:
        upload_process(upload_id=upload.pk)
    return list(PhotoUpload.objects.filter(pk__in=[upload.pk for upload in uploads]))


def uploads_pending(*, now: datetime | None = None) -> list:
    """Photos still waiting after their own commit's hand-over: a broker outage, a killed worker
    whose lease has lapsed, or staff's request that ended before it processed them."""
    now = now or timezone.now()
    pending = PhotoUpload.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        state=UploadState.PENDING,
        received_at__lte=now - handoff.relay_grace(),
    )
    return list(pending.values_list("pk", flat=True)[:100])


@dataclass(frozen=True)
class RefusedPhoto:
    number: int
    name: str
    reason: str


@dataclass(frozen=True)
class UploadsSummary:
    """What became of the photos sent with one report, for whoever sent them."""

    kept: int
    pending: int
    refused: list[RefusedPhoto]

    @property
    def any(self) -> bool:
        return bool(self.kept or self.pending or self.refused)


def uploads_summary(*, report: ReactionReport) -> UploadsSummary:
    """One query: how many were kept, how many are being processed, and which were refused and why,
    each by its place in the form it was sent with and its file's name."""
    uploads = list(report.photo_uploads.order_by("received_at", "number"))
    return UploadsSummary(
        kept=sum(upload.state == UploadState.KEPT for upload in uploads),
        pending=sum(upload.state == UploadState.PENDING for upload in uploads),
        refused=[
            RefusedPhoto(number=upload.number, name=upload.name, reason=refusal_text(upload))
            for upload in uploads
            if upload.state == UploadState.REFUSED
        ],
    )


def report_has_room(*, report: ReactionReport) -> bool:
    return report.photo_uploads.exclude(state=UploadState.REFUSED).count() < PHOTOS_PER_REPORT
