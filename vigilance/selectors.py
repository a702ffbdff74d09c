"""What the managers read of the serious events of their clinics: which are still to report, by when,
which were reported (to whom, when, with what reference) and which were judged not reportable."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from recovery.complications import serious_complications
from recovery.models import SERIOUSNESS, Complication

from .deadlines import Deadline, deadline_of
from .models import NotReportable, Submission


class Status:
    OPEN = "open"
    REPORTED = "reported"
    NOT_REPORTABLE = "not_reportable"
    # A serious event imported with a past session: whether it was reported was the other system's to
    # record, so it is listed as history and never reminded of.
    NOT_RECORDED = "not_recorded"


@dataclass(frozen=True)
class ReportableEvent:
    complication: Complication
    status: str
    deadline: Deadline
    today: date

    @property
    def clinic(self):
        return self.complication.recovery.clinic

    @property
    def deadline_words(self) -> str:
        return self.deadline.words(self.today)

    @property
    def is_late(self) -> bool:
        return self.deadline.days_left(self.today) < 0

    @property
    def seriousness_labels(self) -> list[str]:
        return [str(SERIOUSNESS[field]) for field in self.complication.seriousness]

    @property
    def pack_path(self) -> str:
        return pack_path(self.complication.pk)


def pack_path(complication_id) -> str:
    """The event's report pack."""
    return reverse("vigilance:pack", args=[complication_id])


def serious_events_of(*, clinic_ids) -> QuerySet:
    return Complication.objects.filter(serious_complications(), recovery__clinic_id__in=clinic_ids)


def managed_event(*, clinic_ids, complication_id) -> Complication:
    """A serious event of these clinics, or 404: another clinic's, or one not serious, is not reportable here."""
    return get_object_or_404(
        serious_events_of(clinic_ids=clinic_ids).select_related("recovery__clinic", "recovery__session__patient"),
        pk=complication_id,
    )


def _status(complication: Complication) -> str:
    if complication.submissions.all():
        return Status.REPORTED
    if hasattr(complication, "not_reportable"):
        return Status.NOT_REPORTABLE
    if complication.source:
        return Status.NOT_RECORDED
    return Status.OPEN


def reportable_events(*, clinic_ids, now: datetime | None = None) -> dict[str, list[ReportableEvent]]:
    """Every serious event of these clinics, by status; open ones latest deadline last.

    Two queries, whatever the number of events: the events with what they need, and their reports.
    """
    now = now or timezone.now()
    complications = (
        serious_events_of(clinic_ids=clinic_ids)
        .select_related("recovery__clinic", "recovery__session__patient", "not_reportable__judged_by")
        .prefetch_related(Prefetch("submissions", queryset=Submission.objects.select_related("recorded_by")))
        .order_by("recorded_at", "pk")
    )
    groups: dict[str, list[ReportableEvent]] = {
        Status.OPEN: [],
        Status.REPORTED: [],
        Status.NOT_REPORTABLE: [],
        Status.NOT_RECORDED: [],
    }
    for complication in complications:
        clinic = complication.recovery.clinic
        event = ReportableEvent(
            complication=complication,
            status=_status(complication),
            deadline=deadline_of(clinic=clinic, complication=complication),
            today=timezone.localtime(now, clinic.zone).date(),
        )
        groups[event.status].append(event)
    groups[Status.OPEN].sort(key=lambda event: event.deadline.late_at)
    return groups


def unreported_without_reminder(*, now: datetime) -> QuerySet:
    """Serious events confirmed before `now`, neither reported nor judged, whose managers were not yet told;
    never one imported from another system."""
    return (
        Complication.objects.filter(
            serious_complications(), recorded_at__lte=now, report_reminder__isnull=True, source=""
        )
        .exclude(Exists(Submission.objects.filter(complication=OuterRef("pk"))))
        .exclude(Exists(NotReportable.objects.filter(complication=OuterRef("pk"))))
        .select_related("recovery__clinic")
    )


def is_open(complication: Complication) -> bool:
    return not (
        Submission.objects.filter(complication=complication).exists()
        or NotReportable.objects.filter(complication=complication).exists()
    )
