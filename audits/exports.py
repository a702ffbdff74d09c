"""Sessions as CSV rows, read in chunks so a year of data never sits in memory at once."""

import zoneinfo
from collections.abc import Iterator
from datetime import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from recovery.models import (
    CloseOutcome,
    Complication,
    ComplicationType,
    FollowUp,
    FollowUpAction,
    ReactionReport,
    RedFlagAnswer,
    ReportedReaction,
)
from recovery.rules import Severity
from treatments.models import Area, SessionArea, SessionProduct, TreatmentSession

from . import csv_safe

CHUNK = 500


class Echo:
    """A file-like object whose write() hands the line back, for StreamingHttpResponse."""

    def write(self, value):
        return value


def header() -> list[str]:
    return [
        _("Session"),
        _("Date and time"),
        _("Clinic"),
        _("Patient"),
        _("Practitioner"),
        _("Session in the series"),
        _("Areas"),
        _("Products (lot, ml)"),
        _("Reports"),
        _("Reactions reported"),
        _("Red flags reported"),
        _("Follow-ups"),
        _("Complications"),
        _("Closed with"),
    ]


def sessions_for_export(*, clinic_ids, start: datetime, end: datetime):
    return TreatmentSession.objects.filter(
        clinic_id__in=clinic_ids, performed_at__gte=start, performed_at__lt=end
    ).order_by("performed_at", "pk")


SESSION_COLUMNS = (
    "pk",
    "performed_at",
    "clinic__name",
    "clinic__time_zone",
    "patient__first_name",
    "patient__last_name",
    "practitioner__username",
    "practitioner__first_name",
    "practitioner__last_name",
    "series_number",
    "recovery__closed_at",
    "recovery__closing_outcome",
)


def _grouped(rows) -> dict:
    by_session: dict = {}
    for session_id, *values in rows:
        by_session.setdefault(session_id, []).append(values[0] if len(values) == 1 else tuple(values))
    return by_session


def _rows(chunk: list[tuple]) -> Iterator[list[str]]:
    """One CSV row per session of the chunk, from plain tuples: a handful of queries per chunk."""
    ids = [row[0] for row in chunk]
    areas = _grouped(
        SessionArea.objects.filter(session_id__in=ids).order_by("area").values_list("session_id", "area", "description")
    )
    products = _grouped(
        SessionProduct.objects.filter(session_id__in=ids)
        .order_by("pk")
        .values_list("session_id", "batch__product__name", "batch__lot_number", "volume_ml")
    )
    reports = dict(
        ReactionReport.objects.filter(session_id__in=ids)
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    reactions = _grouped(
        ReportedReaction.objects.filter(report__session_id__in=ids, severity__gt=0).values_list(
            "report__session_id", "reaction_type__staff_label", "severity"
        )
    )
    flags = _grouped(
        RedFlagAnswer.objects.filter(report__session_id__in=ids, present=True).values_list(
            "report__session_id", "question__staff_label"
        )
    )
    follow_ups = _grouped(
        FollowUp.objects.filter(recovery_id__in=ids).order_by("recorded_at", "pk").values_list("recovery_id", "action")
    )
    complications = _grouped(
        Complication.objects.filter(recovery_id__in=ids)
        .order_by("onset_on", "pk")
        .values_list("recovery_id", "complication_type", "onset_on")
    )
    zones: dict = {}
    for (
        pk,
        performed_at,
        clinic,
        time_zone,
        first_name,
        last_name,
        username,
        staff_first,
        staff_last,
        series_number,
        closed_at,
        outcome,
    ) in chunk:
        zone = zones.setdefault(time_zone, zoneinfo.ZoneInfo(time_zone))
        yield [
            str(pk),
            timezone.localtime(performed_at, zone).strftime("%Y-%m-%d %H:%M"),
            clinic,
            f"{first_name} {last_name}",
            f"{staff_first} {staff_last}".strip() or username,
            str(series_number),
            "; ".join(
                description if area == Area.OTHER else str(Area(area).label) for area, description in areas.get(pk, [])
            ),
            "; ".join(f"{name} ({lot}, {volume})" for name, lot, volume in products.get(pk, [])),
            str(reports.get(pk, 0)),
            "; ".join(sorted({f"{label} ({Severity(severity).label})" for label, severity in reactions.get(pk, [])})),
            "; ".join(sorted(set(flags.get(pk, [])))),
            "; ".join(str(FollowUpAction(action).label) for action in follow_ups.get(pk, [])),
            "; ".join(
                f"{ComplicationType(kind).label} ({onset:%Y-%m-%d})" for kind, onset in complications.get(pk, [])
            ),
            str(CloseOutcome(outcome).label) if closed_at else "",
        ]


def csv_lines(sessions) -> Iterator[str]:
    writer = csv_safe.writer(Echo())
    yield writer.writerow(header())
    chunk = []
    for row in sessions.values_list(*SESSION_COLUMNS).iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from (writer.writerow(line) for line in _rows(chunk))
            chunk = []
    if chunk:
        yield from (writer.writerow(line) for line in _rows(chunk))


def audit_csv_lines(rows, *, heading: str) -> Iterator[str]:
    """An audit table as CSV: each row's counts, rates and 95% intervals, and its marks."""
    writer = csv_safe.writer(Echo())
    yield writer.writerow(
        [
            heading,
            _("Sessions"),
            _("Patient-reported"),
            _("Patient-reported rate"),
            _("95% CI low"),
            _("95% CI high"),
            _("Clinician-confirmed"),
            _("Clinician-confirmed rate"),
            _("95% CI low"),
            _("95% CI high"),
            _("Small sample"),
            _("Above the clinic-wide rate"),
        ]
    )
    for row in rows:
        yield writer.writerow(
            [
                row.label,
                row.sessions,
                row.reported.events,
                f"{row.reported.value:.4f}",
                f"{row.reported.low:.4f}",
                f"{row.reported.high:.4f}",
                row.confirmed.events,
                f"{row.confirmed.value:.4f}",
                f"{row.confirmed.low:.4f}",
                f"{row.confirmed.high:.4f}",
                _("yes") if row.reported.small_sample else _("no"),
                _("yes") if row.reported_above or row.confirmed_above else _("no"),
            ]
        )
