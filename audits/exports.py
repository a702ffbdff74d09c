"""What each download holds: its header and rows, built once for its CSV and its XLSX alike.

Values keep their type (counts, rates, dates, local times) and each writer renders them.
Sessions are read in chunks, so a year of data never sits in memory at once.
"""

import io
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

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
from treatments.models import Area, Batch, SessionArea, SessionProduct, TreatmentSession
from treatments.selectors import patients_of_batch

from . import csv_safe, xlsx_safe
from .models import FileFormat

CHUNK = 500


@dataclass(frozen=True)
class Table:
    """One download: its rows are read once, as the file is written."""

    title: str  # the XLSX sheet's name
    header: list[str]
    rows: Iterable[list]

    def lines(self) -> Iterator[list]:
        yield self.header
        yield from self.rows


def local(moment: datetime, zone) -> str:
    """The clinic's wall-clock time to the minute with its UTC offset (ISO 8601): the two 02:30 of the
    night the clocks go back are told apart, and a spreadsheet, which has no time zones, still sorts them."""
    return timezone.localtime(moment, zone).replace(second=0, microsecond=0).isoformat(timespec="minutes")


def session_header() -> list[str]:
    return [
        _("Session"),
        _("Date and time"),
        _("Clinic"),
        _("Patient"),
        _("Practitioner"),
        _("Session in the series"),
        _("Areas"),
        _("Products (lot, mL)"),
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


def _rows(chunk: list[tuple]) -> Iterator[list]:
    """One row per session of the chunk, from plain tuples: a handful of queries per chunk."""
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
        .order_by("onset_at", "pk")
        .values_list("recovery_id", "complication_type", "onset_at")
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
            local(performed_at, zone),
            clinic,
            f"{first_name} {last_name}",
            f"{staff_first} {staff_last}".strip() or username,
            series_number,
            "; ".join(
                description if area == Area.OTHER else str(Area(area).label) for area, description in areas.get(pk, [])
            ),
            "; ".join(f"{name} ({lot}, {volume})" for name, lot, volume in products.get(pk, [])),
            reports.get(pk, 0),
            "; ".join(sorted({f"{label} ({Severity(severity).label})" for label, severity in reactions.get(pk, [])})),
            "; ".join(sorted(set(flags.get(pk, [])))),
            "; ".join(str(FollowUpAction(action).label) for action in follow_ups.get(pk, [])),
            "; ".join(
                f"{ComplicationType(kind).label} ({timezone.localtime(onset, zone):%Y-%m-%d})"
                for kind, onset in complications.get(pk, [])
            ),
            str(CloseOutcome(outcome).label) if closed_at else "",
        ]


def _session_rows(sessions) -> Iterator[list]:
    chunk = []
    for row in sessions.values_list(*SESSION_COLUMNS).iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from _rows(chunk)
            chunk = []
    if chunk:
        yield from _rows(chunk)


def sessions_table(sessions) -> Table:
    return Table(title=_("Sessions"), header=session_header(), rows=_session_rows(sessions))


RATE_PLACES = Decimal("0.0001")


def _rate(value: float) -> Decimal:
    return Decimal(value).quantize(RATE_PLACES)


def audit_table(rows, *, heading: str) -> Table:
    """An audit table: each row's counts, rates and 95% intervals, and its marks."""
    return Table(
        title=_("Complication rates"),
        header=[
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
        ],
        rows=(
            [
                row.label,
                row.sessions,
                row.reported.events,
                _rate(row.reported.value),
                _rate(row.reported.low),
                _rate(row.reported.high),
                row.confirmed.events,
                _rate(row.confirmed.value),
                _rate(row.confirmed.low),
                _rate(row.confirmed.high),
                _("yes") if row.reported.small_sample else _("no"),
                _("yes") if row.reported_above or row.confirmed_above else _("no"),
            ]
            for row in rows
        ),
    )


def contacts_table(batch: Batch) -> Table:
    """Everyone who received the batch, to call about it; the batch's product and clinic loaded with it."""
    zone = batch.product.clinic.zone
    return Table(
        title=_("Patients to contact"),
        header=[_("Patient"), _("Date of birth"), _("Phone"), _("Email"), _("Last session with this lot")],
        rows=(
            [
                patient.full_name,
                patient.date_of_birth,
                str(patient.phone) if patient.phone else "",
                patient.email,
                local(patient.last_use, zone),
            ]
            for patient in patients_of_batch(batch=batch).iterator(chunk_size=CHUNK)
        ),
    )


def write_table(table: Table, target, *, file_format: str) -> None:
    """The table into a binary file, row by row."""
    if file_format == FileFormat.XLSX:
        xlsx_safe.write(target, table.lines(), title=table.title)
        return
    text = io.TextIOWrapper(target, encoding="utf-8", newline="")
    writer = csv_safe.writer(text)
    for row in table.lines():
        writer.writerow(row)
    text.flush()
    text.detach()
