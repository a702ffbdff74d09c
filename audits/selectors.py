"""Complication rates for managers: sessions as the denominator, two numerators kept apart.

Patient-reported: a concerning reaction or a red flag was reported after the session.
Clinician-confirmed: staff recorded a complication for the session's recovery.
Read from the tallies `recovery.tallies` keeps per clinic day, whatever the number of sessions.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from patients.models import Patient
from recovery.models import (
    SERIOUSNESS,
    AuditTally,
    Complication,
    FollowUp,
    Grade,
    ReactionKind,
    ReactionReport,
    Recovery,
    RedFlagAnswer,
    ReportedReaction,
    TallyDimension,
)
from trail.history import TrailEntry, history_entries
from trail.models import FileTransfer, RecordView, Removal, TokenRequest
from treatments.models import Area, Batch, Product, SessionProduct, TreatmentSession

from .stats import Rate, wilson

BREAKDOWNS = {
    "practitioner": _("Practitioner"),
    "product": _("Product"),
    "batch": _("Batch"),
    "area": _("Treated area"),
    "month": _("Month"),
    "series": _("Session in the series"),
}


@dataclass(frozen=True)
class AuditRow:
    key: str
    label: str
    reported: Rate
    confirmed: Rate
    reported_above: bool = False
    confirmed_above: bool = False

    @property
    def sessions(self) -> int:
        return self.reported.sessions


@dataclass(frozen=True)
class Counts:
    sessions: int
    reported: int
    confirmed: int


@dataclass(frozen=True)
class Tallied:
    """The period's counts, summed from the per-day tallies: by dimension and key, and by month."""

    by_key: dict[str, dict[str, Counts]]
    by_month: dict[date, Counts]


def tallied(*, clinic_ids, first_day: date, last_day: date) -> Tallied:
    """Two queries over a few thousand tally rows, whatever the number of sessions.

    Each day is a day on its own clinic's calendar, as the tallies are kept.
    """
    in_period = AuditTally.objects.filter(clinic_id__in=clinic_ids, day__range=(first_day, last_day))
    sums = {"n": Sum("sessions"), "n_reported": Sum("reported"), "n_confirmed": Sum("confirmed")}
    by_key: dict[str, dict[str, Counts]] = {dimension: {} for dimension in TallyDimension.values}
    for row in in_period.values("dimension", "key").annotate(**sums):
        by_key[row["dimension"]][row["key"]] = Counts(row["n"], row["n_reported"], row["n_confirmed"])
    monthly = (
        in_period.filter(dimension=TallyDimension.SERIES)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(**sums)
    )
    by_month = {row["month"]: Counts(row["n"], row["n_reported"], row["n_confirmed"]) for row in monthly}
    return Tallied(by_key=by_key, by_month=by_month)


def overall(counts: Tallied) -> AuditRow:
    """Every session once: each has exactly one place in its series."""
    series = counts.by_key[TallyDimension.SERIES].values()
    sessions, reported, confirmed = (sum(getattr(c, f) for c in series) for f in ("sessions", "reported", "confirmed"))
    return AuditRow(
        key="all",
        label=str(_("All sessions")),
        reported=wilson(reported, sessions),
        confirmed=wilson(confirmed, sessions),
    )


def expired_batch_sessions(*, clinic_ids, first_day: date, last_day: date) -> int:
    """Sessions of the period that used a batch after its expiry: only past sessions brought in from
    another system can have (a session logged here refuses an expired batch). One query."""
    return (
        Recovery.objects.filter(
            clinic_id__in=clinic_ids,
            performed_on__range=(first_day, last_day),
            session__products_used__expired_at_use=True,
        )
        .values("pk")
        .distinct()
        .count()
    )


@dataclass(frozen=True)
class SeverityRow:
    key: str
    label: str
    confirmed: Rate


def confirmed_by_severity(counts: Tallied, *, sessions: int) -> list[SeverityRow]:
    """The clinician-confirmed rate split by CTCAE grade and by seriousness, over the period's sessions.

    From the severity tallies, no query of its own. A session counts once in a row however many of
    its complications fall in it, and in each row one of them does: the rows overlap and do not add
    up. Complications confirmed before grades were kept show as "grade not recorded" while there are any.
    """
    tallies = counts.by_key[TallyDimension.SEVERITY]
    labels = {f"grade_{grade}": str(Grade(grade).label) for grade in Grade.values}
    labels["grade_none"] = str(_("Grade not recorded"))
    labels["serious"] = str(_("Serious (any criterion)"))
    labels.update({field: str(label) for field, label in SERIOUSNESS.items()})
    counted = {key: tallies[key].sessions if key in tallies else 0 for key in labels}
    return [
        SeverityRow(key=key, label=label, confirmed=wilson(counted[key], sessions))
        for key, label in labels.items()
        if key != "grade_none" or counted[key]
    ]


def _with_clinic(label: str, clinic: str, show_clinic: bool) -> str:
    """Two clinics may stock a product of the same name: say whose, when both are shown."""
    return f"{label} · {clinic}" if show_clinic else label


SERIES_LABELS = {"1": _("1st session"), "2": _("2nd session"), "3": _("3rd and later")}


def _labelled(counts: Tallied, breakdown: str, show_clinic: bool) -> list[tuple[str, str, Counts]]:
    """Each group's key, label and counts, in the order the page lists them: one query for the labels at most."""
    if breakdown == "month":
        return [(m.strftime("%Y-%m"), date_format(m, "M Y"), c) for m, c in sorted(counts.by_month.items())]
    keyed = counts.by_key[breakdown]
    if breakdown == "practitioner":
        people = get_user_model().objects.filter(pk__in=keyed).order_by("first_name", "last_name", "pk")
        return [(str(p.pk), f"{p.first_name} {p.last_name}", keyed[str(p.pk)]) for p in people]
    if breakdown == "product":
        products = Product.objects.filter(pk__in=keyed).select_related("clinic").order_by("name", "clinic__name")
        return [(str(p.pk), _with_clinic(p.name, p.clinic.name, show_clinic), keyed[str(p.pk)]) for p in products]
    if breakdown == "batch":
        batches = Batch.objects.filter(pk__in=keyed).select_related("product").order_by("product__name", "lot_number")
        return [(str(b.pk), f"{b.product.name} – {b.lot_number}", keyed[str(b.pk)]) for b in batches]
    if breakdown == "area":
        return [(code, str(Area(code).label), keyed[code]) for code in sorted(keyed) if code in Area.values]
    if breakdown == "series":
        return [(key, str(SERIES_LABELS[key]), keyed[key]) for key in sorted(keyed)]
    raise ValueError(f"unknown breakdown {breakdown!r}")


def breakdown_rows(
    counts: Tallied, breakdown: str, *, reference: AuditRow, show_clinic: bool = False
) -> list[AuditRow]:
    """One row per group, flagged when its whole interval lies above the clinic-wide rate."""
    result = []
    for key, label, group in _labelled(counts, breakdown, show_clinic):
        reported = wilson(group.reported, group.sessions)
        confirmed = wilson(group.confirmed, group.sessions)
        result.append(
            AuditRow(
                key=key,
                label=label,
                reported=reported,
                confirmed=confirmed,
                reported_above=reported.clearly_above(reference.reported.value),
                confirmed_above=confirmed.clearly_above(reference.confirmed.value),
            )
        )
    return result


def patient_trail(*, patient) -> list[TrailEntry]:
    """Everything changed in the patient's record, and every time staff opened it or another system read or
    wrote it with an API token, newest first.

    A fixed number of queries: one per kind of record, whatever the length of the trail.
    """
    zone = patient.clinic.zone
    # From the history, so that a session deleted since still shows in the trail.
    session_ids = set(TreatmentSession.history.filter(patient_id=patient.pk).values_list("id", flat=True))
    entries = history_entries(
        Patient.history.filter(id=patient.pk).select_related("history_user"), lambda r: str(_("Patient record"))
    )
    entries += history_entries(
        TreatmentSession.history.filter(id__in=session_ids).select_related("history_user"),
        lambda r: str(_("Session of %(date)s") % {"date": date_format(localtime(r.performed_at, zone), "j N Y")}),
    )
    entries += history_entries(
        ReactionReport.history.filter(session_id__in=session_ids).select_related("history_user"),
        lambda r: str(
            _("Reaction report of %(date)s") % {"date": date_format(localtime(r.reported_at, zone), "j N Y H:i")}
        ),
    )
    entries += history_entries(
        FollowUp.history.filter(recovery_id__in=session_ids).select_related("history_user"),
        lambda r: str(_("Follow-up")),
    )
    entries += history_entries(
        Recovery.history.filter(session_id__in=session_ids).select_related("history_user"),
        lambda r: str(_("Recovery (closure)")),
    )
    entries += history_entries(
        Complication.history.filter(recovery_id__in=session_ids).select_related("history_user"),
        lambda r: str(_("Complication")),
    )
    entries += [
        TrailEntry(
            when=view.viewed_at,
            who=str(view.user),
            what=str(_("Record opened: %(path)s") % {"path": view.path}),
            changes=[],
        )
        for view in RecordView.objects.filter(patient=patient).select_related("user")
    ]
    entries += [
        TrailEntry(
            when=request.requested_at,
            who=str(request.token),
            what=str(
                _("Through the API: %(method)s %(path)s, answered %(status)s")
                % {"method": request.method, "path": request.path, "status": request.status_code}
            ),
            changes=[],
        )
        for request in TokenRequest.objects.filter(patient=patient).select_related("token")
    ]
    entries += [
        TrailEntry(
            when=removal.removed_at,
            who=str(removal.removed_by),
            what=str(_("Deleted: %(what)s. Reason: %(reason)s") % {"what": removal.what, "reason": removal.reason}),
            changes=[],
        )
        for removal in Removal.objects.filter(session_id__in=session_ids).select_related("removed_by")
    ]
    return sorted(entries, key=lambda e: e.when, reverse=True)


def removals_of(*, clinic_ids) -> QuerySet:
    """What was deleted from these clinics' records (photos, erased patients), newest first."""
    return Removal.objects.filter(clinic_id__in=clinic_ids).select_related("removed_by", "clinic")


def file_transfers_of(*, clinic_ids) -> QuerySet:
    """The files of these clinics' records brought in and taken out, newest first."""
    return FileTransfer.objects.filter(clinic_id__in=clinic_ids).select_related("user", "clinic")


def clustered_batch_ids(*, clinic_ids, now: datetime, threshold: int, days: int) -> set:
    """Batches, not yet quarantined, used in at least `threshold` sessions whose patients
    reported a complication (a concerning reaction or a red flag) in the last `days`.

    From the clinics' few reports of those days (their index) to their sessions, then the batches those used:
    never every use of every batch of the clinics. The two kinds of report are asked apart and
    joined by a union, so the database sees how few they are and reads them by their indexes.
    """
    recent = {"report__reported_at__gte": now - timedelta(days=days), "report__clinic_id__in": clinic_ids}
    # Each clinic's reactions and questions are its own: named, so that on a host of many clinics the
    # database reads these clinics' reactions and red flags rather than everyone's.
    concerning = ReportedReaction.objects.filter(
        **recent, severity__gt=0, reaction_type__kind=ReactionKind.CONCERNING, reaction_type__clinic_id__in=clinic_ids
    )
    red_flag = RedFlagAnswer.objects.filter(**recent, present=True, question__clinic_id__in=clinic_ids)
    sessions = (
        concerning.values("report__session_id").order_by().union(red_flag.values("report__session_id").order_by())
    )
    rows = (
        SessionProduct.objects.filter(session_id__in=sessions, batch__quarantined_at__isnull=True)
        .values("batch_id")
        .annotate(n=Count("session_id", distinct=True))
        .filter(n__gte=threshold)
    )
    return {str(r["batch_id"]) for r in rows}


def with_empty_months(rows: list[AuditRow], *, start: date, end: date) -> list[AuditRow]:
    """Every month of the period, those without sessions as empty rows, so the line does not skip them."""
    by_key = {row.key: row for row in rows}
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        key = f"{year:04d}-{month:02d}"
        empty = wilson(0, 0)
        label = date_format(datetime(year, month, 1), "M Y")
        months.append(by_key.get(key) or AuditRow(key=key, label=label, reported=empty, confirmed=empty))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
