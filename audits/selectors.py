"""Complication rates for managers: sessions as the denominator, two numerators kept apart.

Patient-reported: a concerning reaction or a red flag was reported after the session.
Clinician-confirmed: staff recorded a complication for the session's recovery.
Each breakdown is one grouped query, whatever the number of sessions.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from patients.models import Patient
from recovery.models import (
    Complication,
    FollowUp,
    ReactionKind,
    ReactionReport,
    Recovery,
)
from trail.history import TrailEntry, history_entries
from trail.models import RecordView
from treatments.models import Area, SessionProduct, TreatmentSession

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


def sessions_of_days(*, clinics, first_day, last_day) -> QuerySet:
    """Sessions from the first to the last day inclusive, each day on its own clinic's calendar.

    Read from their recoveries, which carry each session's clinic, practitioner and time and
    both numerators: the overall, practitioner and month counts need no other table.
    """
    in_period = Q()
    for clinic in clinics:
        start = datetime.combine(first_day, time.min, tzinfo=clinic.zone)
        end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=clinic.zone)
        in_period |= Q(clinic_id=clinic.pk, performed_at__gte=start, performed_at__lt=end)
    return Recovery.objects.filter(in_period)


def _counts(*, distinct: bool = False):
    """Sessions, and each numerator. Distinct only where a join repeats a session (products, areas)."""
    return {
        "n": Count("pk", distinct=distinct),
        "reported": Count("pk", distinct=distinct, filter=Q(patient_reported=True)),
        "confirmed": Count("pk", distinct=distinct, filter=Q(clinician_confirmed=True)),
    }


def overall(sessions: QuerySet) -> AuditRow:
    totals = sessions.aggregate(**_counts())
    return AuditRow(
        key="all",
        label=str(_("All sessions")),
        reported=wilson(totals["reported"], totals["n"]),
        confirmed=wilson(totals["confirmed"], totals["n"]),
    )


def _with_clinic(label: str, clinic: str, show_clinic: bool) -> str:
    """Two clinics may stock a product of the same name: say whose, when both are shown."""
    return f"{label} · {clinic}" if show_clinic else label


def _grouped(sessions: QuerySet, breakdown: str, zone, show_clinic: bool) -> list[tuple[str, str, dict]]:
    if breakdown == "practitioner":
        rows = sessions.values("practitioner_id", "practitioner__first_name", "practitioner__last_name")
        rows = rows.annotate(**_counts()).order_by("practitioner__first_name", "practitioner__last_name")
        return [
            (str(r["practitioner_id"]), f"{r['practitioner__first_name']} {r['practitioner__last_name']}", r)
            for r in rows
        ]
    if breakdown == "product":
        product = "session__products_used__batch__product"
        rows = sessions.values(f"{product}_id", f"{product}__name", f"{product}__clinic__name")
        rows = rows.annotate(**_counts(distinct=True)).order_by(f"{product}__name", f"{product}__clinic__name")
        return [
            (
                str(r[f"{product}_id"]),
                _with_clinic(r[f"{product}__name"], r[f"{product}__clinic__name"], show_clinic),
                r,
            )
            for r in rows
        ]
    if breakdown == "batch":
        batch = "session__products_used__batch"
        rows = sessions.values(f"{batch}_id", f"{batch}__lot_number", f"{batch}__product__name")
        rows = rows.annotate(**_counts(distinct=True)).order_by(f"{batch}__product__name", f"{batch}__lot_number")
        return [
            (str(r[f"{batch}_id"]), f"{r[f'{batch}__product__name']} – {r[f'{batch}__lot_number']}", r) for r in rows
        ]
    if breakdown == "area":
        area = "session__areas__area"
        rows = sessions.values(area).annotate(**_counts(distinct=True)).order_by(area)
        return [(r[area], str(Area(r[area]).label), r) for r in rows if r[area]]
    if breakdown == "month":
        rows = (
            sessions.annotate(month=TruncMonth("performed_at", tzinfo=zone))
            .values("month")
            .annotate(**_counts())
            .order_by("month")
        )
        return [(r["month"].strftime("%Y-%m"), date_format(r["month"], "M Y"), r) for r in rows]
    if breakdown == "series":
        rows = (
            sessions.annotate(
                series=Case(
                    When(session__series_number__gte=3, then=Value(3)),
                    default="session__series_number",
                    output_field=IntegerField(),
                )
            )
            .values("series")
            .annotate(**_counts())
            .order_by("series")
        )
        labels = {1: _("1st session"), 2: _("2nd session"), 3: _("3rd and later")}
        return [(str(r["series"]), str(labels[r["series"]]), r) for r in rows]
    raise ValueError(f"unknown breakdown {breakdown!r}")


def breakdown_rows(
    sessions: QuerySet, breakdown: str, *, reference: AuditRow, zone, show_clinic: bool = False
) -> list[AuditRow]:
    """One row per group, flagged when its whole interval lies above the clinic-wide rate."""
    result = []
    for key, label, counts in _grouped(sessions, breakdown, zone, show_clinic):
        reported = wilson(counts["reported"], counts["n"])
        confirmed = wilson(counts["confirmed"], counts["n"])
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
    """Everything changed in the patient's record, and every time staff opened it, newest first.

    A fixed number of queries: one per kind of record, whatever the length of the trail.
    """
    # From the history, so that a session deleted since still shows in the trail.
    session_ids = set(TreatmentSession.history.filter(patient_id=patient.pk).values_list("id", flat=True))
    entries = history_entries(
        Patient.history.filter(id=patient.pk).select_related("history_user"), lambda r: str(_("Patient record"))
    )
    entries += history_entries(
        TreatmentSession.history.filter(id__in=session_ids).select_related("history_user"),
        lambda r: str(_("Session of %(date)s") % {"date": date_format(r.performed_at, "j M Y")}),
    )
    entries += history_entries(
        ReactionReport.history.filter(session_id__in=session_ids).select_related("history_user"),
        lambda r: str(_("Reaction report of %(date)s") % {"date": date_format(r.reported_at, "j M Y H:i")}),
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
    return sorted(entries, key=lambda e: e.when, reverse=True)


def clustered_batch_ids(*, clinic_ids, now: datetime, threshold: int, days: int) -> set:
    """Batches, not yet quarantined, used in at least `threshold` sessions whose patients
    reported a complication (a concerning reaction or a red flag) in the last `days`."""
    since = now - timedelta(days=days)
    complication_reported = ReactionReport.objects.filter(
        session_id=OuterRef("session_id"), reported_at__gte=since
    ).filter(
        Q(reactions__severity__gt=0, reactions__reaction_type__kind=ReactionKind.CONCERNING)
        | Q(red_flag_answers__present=True)
    )
    rows = (
        SessionProduct.objects.filter(session__clinic_id__in=clinic_ids, batch__quarantined_at__isnull=True)
        .filter(Exists(complication_reported))
        .values("batch_id")
        .annotate(n=Count("session_id", distinct=True))
        .filter(n__gte=threshold)
    )
    return {str(r["batch_id"]) for r in rows}


def with_empty_months(rows: list[AuditRow], *, start: datetime, end: datetime) -> list[AuditRow]:
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
