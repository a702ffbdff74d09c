"""Sessions as CSV rows, read in chunks so a year of data never sits in memory at once."""

import csv
from collections.abc import Iterator
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from recovery.models import Complication, FollowUp, ReactionReport, ReportedReaction
from treatments.models import SessionProduct, TreatmentSession

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
    return (
        TreatmentSession.objects.filter(clinic_id__in=clinic_ids, performed_at__gte=start, performed_at__lt=end)
        .select_related("clinic", "patient", "practitioner", "recovery")
        .prefetch_related(
            "areas",
            Prefetch("products_used", queryset=SessionProduct.objects.select_related("batch__product")),
            Prefetch(
                "reports",
                queryset=ReactionReport.objects.prefetch_related(
                    Prefetch("reactions", queryset=ReportedReaction.objects.select_related("reaction_type")),
                    "red_flag_answers__question",
                ),
            ),
            Prefetch("recovery__follow_ups", queryset=FollowUp.objects.all()),
            Prefetch("recovery__complications", queryset=Complication.objects.all()),
        )
        .order_by("performed_at", "pk")
    )


def row(session: TreatmentSession) -> list[str]:
    zone = session.clinic.zone
    reports = list(session.reports.all())
    reactions = sorted(
        {
            f"{r.reaction_type.staff_label} ({r.get_severity_display()})"
            for rep in reports
            for r in rep.reactions.all()
            if r.severity
        }
    )
    flags = sorted({a.question.staff_label for rep in reports for a in rep.red_flag_answers.all() if a.present})
    recovery = session.recovery
    return [
        str(session.pk),
        timezone.localtime(session.performed_at, zone).strftime("%Y-%m-%d %H:%M"),
        session.clinic.name,
        session.patient.full_name,
        str(session.practitioner),
        str(session.series_number),
        "; ".join(str(area) for area in session.areas.all()),
        "; ".join(f"{u.batch.product.name} ({u.batch.lot_number}, {u.volume_ml})" for u in session.products_used.all()),
        str(len(reports)),
        "; ".join(reactions),
        "; ".join(flags),
        "; ".join(f.get_action_display() for f in recovery.follow_ups.all()),
        "; ".join(f"{c.get_complication_type_display()} ({c.onset_on:%Y-%m-%d})" for c in recovery.complications.all()),
        recovery.get_closing_outcome_display() if recovery.closed_at else "",
    ]


def csv_lines(sessions) -> Iterator[str]:
    writer = csv.writer(Echo())
    yield writer.writerow(header())
    for session in sessions.iterator(chunk_size=CHUNK):
        yield writer.writerow(row(session))


def audit_csv_lines(rows, *, heading: str) -> Iterator[str]:
    """An audit table as CSV: each row's counts, rates and 95% intervals, and its marks."""
    writer = csv.writer(Echo())
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
