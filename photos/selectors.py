"""The photos as staff read them: the session page's gallery and the compare view's days."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from recovery.models import ReactionReport
from trail.models import Removal
from treatments.chart_display import Chart, ChartDiagram
from treatments.chart_marks import ChartMark
from treatments.models import Area, TreatmentSession

from .models import Photo, PhotoSource, PhotoUpload, UploadState


@dataclass(frozen=True)
class PhotoDay:
    """The photos of one area on one day, counted from the session's day on the clinic's clock."""

    day: int
    on: date
    photos: list[Photo]


def taken_at(photo: Photo) -> datetime:
    """When the skin looked like this: the session's own photos at the session, even when added from
    a camera later; a report's at the report's own time (staff may log it after the fact)."""
    return photo.report.reported_at if photo.report_id else photo.session.performed_at


def session_photos(*, session: TreatmentSession) -> list[Photo]:
    """Every photo of the session, oldest first, with its report: one query."""
    photos = list(Photo.objects.filter(session=session).select_related("report").order_by("added_at", "pk"))
    for photo in photos:
        photo.session = session
    return photos


def photo_days(*, session: TreatmentSession, photos: Sequence[Photo], area: str) -> list[PhotoDay]:
    """One area's photos day by day, the session's own first: what the compare view lays side by side."""
    zone = session.clinic.zone
    session_day = timezone.localtime(session.performed_at, zone).date()
    days: dict[date, list[Photo]] = {}
    for photo in sorted((p for p in photos if p.area == area), key=taken_at):
        days.setdefault(timezone.localtime(taken_at(photo), zone).date(), []).append(photo)
    return [PhotoDay(day=(on - session_day).days, on=on, photos=day_photos) for on, day_photos in sorted(days.items())]


def areas_of(photos: Sequence[Photo]) -> list[tuple[str, str]]:
    """The areas these photos show, in the catalogue's order, with their labels."""
    return [(code, label) for code, label in Area.choices if any(photo.area == code for photo in photos)]


def removals_of(*, session: TreatmentSession) -> list[Removal]:
    return list(Removal.objects.filter(session_id=session.pk).select_related("removed_by"))


@dataclass(frozen=True)
class Gallery:
    """The session page's photos: its own, the areas that have any, those deleted, and how many
    received are still being processed."""

    own: list[Photo]
    photos: list[Photo]
    areas: list[tuple[str, str]]
    removals: list[Removal]
    consents: bool
    pending: int


def photo_gallery(*, session: TreatmentSession, reports: Sequence[ReactionReport]) -> Gallery:
    """Read the session's photos once; each report gets its own as `photo_list`, for the timeline."""
    photos = session_photos(session=session)
    for report in reports:
        report.photo_list = [photo for photo in photos if photo.report_id == report.pk]
    return Gallery(
        own=[photo for photo in photos if photo.source == PhotoSource.SESSION],
        photos=photos,
        areas=areas_of(photos),
        removals=removals_of(session=session),
        consents=session.patient.consents_to_photos,
        # Asked only where photos may be taken: without consent, any still waiting will not be kept.
        pending=PhotoUpload.objects.filter(session=session, state=UploadState.PENDING).count()
        if session.patient.consents_to_photos
        else 0,
    )


@dataclass(frozen=True)
class TakenPhoto:
    photo: Photo
    taken_at: datetime


@dataclass(frozen=True)
class BesideTheChart:
    """One area's photos, oldest first, beside its part of the session's chart and the marks on it."""

    area: str
    label: str
    photos: list[TakenPhoto]
    diagrams: list[ChartDiagram]
    marks: list[ChartMark]


def beside_the_chart(*, gallery: Gallery, chart: Chart) -> list[BesideTheChart]:
    """Each area the session has photos of and a diagram shows, in the catalogue's order: no query."""
    beside = []
    for area, label in gallery.areas:
        diagrams = chart.area_diagrams(area)
        if not diagrams:
            continue
        photos = sorted((photo for photo in gallery.photos if photo.area == area), key=taken_at)
        beside.append(
            BesideTheChart(
                area=area,
                label=label,
                photos=[TakenPhoto(photo=photo, taken_at=taken_at(photo)) for photo in photos],
                diagrams=diagrams,
                marks=[mark for mark in chart.marks if mark.area == area],
            )
        )
    return beside
