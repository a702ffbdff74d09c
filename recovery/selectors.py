from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch

from treatments.models import TreatmentSession

from .models import Complication, FollowUp, ReactionReport, ReactionType, Recovery, RedFlagAnswer, ReportedReaction
from .rules import Severity


@dataclass(frozen=True)
class ReactionWindow:
    """A reaction's expected course drawn against the time since the session.

    Percentages place each moment on one bar whose length is the longest of the
    windows and the time elapsed, so every bar of a session shares one scale.
    """

    label: str
    severity_label: str
    present: bool
    fades_by_hours: int
    attention_after_hours: int | None
    elapsed_hours: float
    scale_hours: float

    def _percent(self, hours: float) -> float:
        return round(min(hours, self.scale_hours) / self.scale_hours * 100, 1)

    @property
    def fades_percent(self) -> float:
        return self._percent(self.fades_by_hours)

    @property
    def attention_percent(self) -> float:
        return self._percent(self.attention_after_hours if self.attention_after_hours else self.scale_hours)

    @property
    def elapsed_percent(self) -> float:
        return self._percent(self.elapsed_hours)

    @property
    def past_window(self) -> bool:
        return self.present and self.elapsed_hours >= self.fades_by_hours


def recovery_for_session(*, session: TreatmentSession) -> Recovery:
    return Recovery.objects.select_related("closed_by").get(session=session)


def session_reports(*, session: TreatmentSession):
    return session.reports.select_related("recorded_by").prefetch_related(
        Prefetch(
            "reactions",
            queryset=ReportedReaction.objects.select_related("reaction_type").order_by("reaction_type__position"),
        ),
        Prefetch(
            "red_flag_answers",
            queryset=RedFlagAnswer.objects.filter(present=True).select_related("question"),
            to_attr="red_flags_present",
        ),
    )


def reaction_windows(
    *, session: TreatmentSession, reports: list[ReactionReport], now: datetime
) -> list[ReactionWindow]:
    """One window per reaction ever reported present, as the latest report has it (as the rules read it)."""
    ordered = sorted(reports, key=lambda r: r.reported_at)
    ever_present = {r.reaction_type_id for report in ordered for r in report.reactions.all() if r.severity}
    if not ever_present:
        return []
    in_latest = {r.reaction_type_id: r for r in ordered[-1].reactions.all()}
    elapsed = max((now - session.performed_at).total_seconds() / 3600, 0)
    types = {t.pk: t for t in ReactionType.objects.filter(pk__in=ever_present)}
    scale = max(
        [elapsed]
        + [t.fades_by_hours for t in types.values()]
        + [t.attention_after_hours for t in types.values() if t.attention_after_hours]
    )
    windows = []
    for type_id in sorted(ever_present, key=lambda pk: types[pk].position):
        latest = in_latest.get(type_id)
        present = latest is not None and latest.severity > Severity.NONE
        windows.append(
            ReactionWindow(
                label=types[type_id].staff_label,
                severity_label=latest.get_severity_display() if present else "",
                present=present,
                fades_by_hours=types[type_id].fades_by_hours,
                attention_after_hours=types[type_id].attention_after_hours,
                elapsed_hours=round(elapsed, 1),
                scale_hours=scale * 1.1,
            )
        )
    return windows


def follow_ups_of(*, recovery: Recovery):
    return FollowUp.objects.filter(recovery=recovery).select_related("recorded_by")


def complications_of(*, recovery: Recovery):
    return Complication.objects.filter(recovery=recovery).select_related("recorded_by")


@dataclass(frozen=True)
class CatalogueChange:
    when: datetime
    who: str
    created: bool
    changes: list[tuple[str, object, object]]


def change_history(*, item) -> list[CatalogueChange]:
    """Who changed what and when, newest first, from the item's historical records."""
    records = list(item.history.select_related("history_user").order_by("history_date", "history_id"))
    changes = []
    for previous, record in zip([None, *records], records, strict=False):
        diff = [] if previous is None else record.diff_against(previous).changes
        changes.append(
            CatalogueChange(
                when=record.history_date,
                who=str(record.history_user) if record.history_user else "",
                created=record.history_type == "+",
                changes=[(item._meta.get_field(c.field).verbose_name, c.old, c.new) for c in diff],
            )
        )
    return changes[::-1]


def catalogue_of(*, clinic_ids):
    return ReactionType.objects.filter(clinic_id__in=clinic_ids).select_related("clinic")
