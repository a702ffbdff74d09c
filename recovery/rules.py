"""The recovery rules, in one place, as pure functions over plain data.

`assess()` turns a session's facts (its reports, check-ins, staff notes) and the
clinic's catalogue into findings, each with the moment from which it holds. A
finding may lie in the future: "swelling still present after 96 h" holds from
hour 96 if nothing new is heard. Storing the findings' moments lets the status be
read correctly at any later time, with no background job: `status_at()` only
compares those moments with the clock.

Nothing here touches the database, so every rule is tested in a table. The rules about
silence (missed check-ins, patients not reached) are in recovery.silence.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .findings import INSTANT as INSTANT
from .findings import Finding, Level, Named, Reason, just_after, stored_name
from .silence import MISSED_CHECK_IN as MISSED_CHECK_IN
from .silence import MISSED_CHECK_IN_AFTER as MISSED_CHECK_IN_AFTER
from .silence import NOT_REACHED as NOT_REACHED
from .silence import CheckIn, Guide, heard_since, missed_check_in_findings, not_reached_findings
from .silence import silence_labels as silence_labels
from .where import Mark, mark_findings
from .windows import DAYS_FROM_HOURS, calendar_days_between, window_end

# The reaction or red flag that is a change of the skin's colour: near the eye, an emergency.

# Whatever the reactions, an all-clear proves recovery only once the shortest window is over.
SHORTEST_RECOVERY_HOURS = 48


def window_words(hours: int) -> str:
    """A window in the words clinicians use: "48 h", "4 days", "10 days"."""
    if hours < DAYS_FROM_HOURS:
        return _("%(hours)s h") % {"hours": hours}
    days, rest = divmod(hours, 24)
    if rest:
        return _("%(days)s days %(hours)s h") % {"days": days, "hours": rest}
    return ngettext("%(days)s day", "%(days)s days", days) % {"days": days}


class Status(models.TextChoices):
    NEEDS_ATTENTION = "needs_attention", gettext_lazy("Needs attention")
    OVERDUE = "overdue", gettext_lazy("Overdue")
    ON_TRACK = "on_track", gettext_lazy("On track")
    RESOLVED = "resolved", gettext_lazy("Resolved")


class Severity(models.IntegerChoices):
    NONE = 0, gettext_lazy("None")
    MILD = 1, gettext_lazy("Mild")
    MODERATE = 2, gettext_lazy("Moderate")
    SEVERE = 3, gettext_lazy("Severe")


@dataclass(frozen=True)
class ReactionRule:
    code: str
    label: str
    fades_by_hours: int
    attention_after_hours: int | None = None
    new_onset_attention_after_hours: int | None = None
    attention_when_worse: bool = True
    attention_pain_score: int | None = None
    label_fr: str = ""

    @property
    def named(self) -> dict:
        return Named(self.label, self.label_fr).stored()


@dataclass(frozen=True)
class Observation:
    code: str
    severity: int
    pain_score: int | None = None

    @property
    def present(self) -> bool:
        return self.severity > Severity.NONE


@dataclass(frozen=True)
class Report:
    """What a patient had at `reported_at`, which the clinic learnt at `recorded_at`.

    The two differ when staff log a phone call afterwards. Reports are read in the
    order of `reported_at`; a finding holds from `recorded_at`, so that nothing
    learnt after a follow-up or a closure is taken as already answered by it.
    """

    reported_at: datetime
    observations: tuple[Observation, ...] = ()
    # Each red flag's label for staff; a plain string is a label written in one language.
    red_flags: tuple[Named | str, ...] = ()
    wants_call: bool = False
    recorded_at: datetime | None = None
    marks: tuple[Mark, ...] = ()

    @property
    def known_at(self) -> datetime:
        return max(self.reported_at, self.recorded_at or self.reported_at)

    def present(self, code: str) -> Observation | None:
        return next((o for o in self.observations if o.code == code and o.present), None)

    def severity_of(self, code: str) -> int:
        found = self.present(code)
        return found.severity if found else Severity.NONE

    @property
    def all_clear(self) -> bool:
        return not self.red_flags and not self.wants_call and not any(o.present for o in self.observations)


@dataclass(frozen=True)
class Facts:
    session_at: datetime
    reports: Sequence[Report] = ()
    check_ins: Sequence[CheckIn] = ()
    guides: Sequence[Guide] = ()
    staff_notes: Sequence[datetime] = ()
    acknowledged_at: datetime | None = None
    closed_at: datetime | None = None
    zone: tzinfo = UTC


@dataclass(frozen=True)
class Assessment:
    findings: tuple[Finding, ...]
    settled: bool
    acknowledged_at: datetime | None = None
    closed_at: datetime | None = None

    def _after_closure(self, finding: Finding) -> bool:
        return self.closed_at is None or finding.since > self.closed_at

    def _attention(self) -> list[Finding]:
        return [f for f in self.findings if f.level == Level.ATTENTION and self._after_closure(f)]

    @property
    def attention_at(self) -> datetime | None:
        """From when the recovery needs attention (a closure answers what came before it)."""
        return min((f.since for f in self._attention()), default=None)

    @property
    def unacknowledged_at(self) -> datetime | None:
        """From when something needs attention that no follow-up has answered yet."""
        answered_until = max(filter(None, [self.acknowledged_at, self.closed_at]), default=None)
        return min(
            (f.since for f in self._attention() if answered_until is None or f.since > answered_until), default=None
        )

    @property
    def overdue_at(self) -> datetime | None:
        if self.closed_at is not None:
            return None
        return min((f.since for f in self.findings if f.level == Level.OVERDUE), default=None)

    def status_at(self, now: datetime) -> str:
        return status_from(
            attention_at=self.attention_at,
            overdue_at=self.overdue_at,
            closed=self.closed_at is not None,
            settled=self.settled,
            now=now,
        )

    def reasons_at(self, now: datetime) -> list[Finding]:
        return reasons_from(self.findings, status=self.status_at(now), closed_at=self.closed_at, now=now)

    def alarms_learnt_at(self, moment: datetime) -> list[Finding]:
        """What needs attention from the very moment a report was learnt: what that report raised."""
        return [f for f in self._attention() if f.since == moment]


def status_from(
    *, attention_at: datetime | None, overdue_at: datetime | None, closed: bool, settled: bool, now: datetime
) -> str:
    """The one status of a recovery at `now`, from the moments its findings hold.

    The database computes the same thing in `RecoveryQuerySet.with_status()`.
    """
    if attention_at is not None and attention_at <= now:
        return Status.NEEDS_ATTENTION
    if closed:
        return Status.RESOLVED
    if overdue_at is not None and overdue_at <= now:
        return Status.OVERDUE
    if settled:
        return Status.RESOLVED
    return Status.ON_TRACK


def reasons_from(
    findings: Sequence[Finding], *, status: str, closed_at: datetime | None, now: datetime
) -> list[Finding]:
    """Every current reason behind a status: those that need attention first, then the overdue, oldest first.

    A closure answered what came before it; only what came after counts again.
    """
    if status not in (Status.NEEDS_ATTENTION, Status.OVERDUE):
        return []
    current = [f for f in findings if f.since <= now and (closed_at is None or f.since > closed_at)]
    rank = {Level.ATTENTION: 0, Level.OVERDUE: 1}
    return sorted(current, key=lambda f: (rank[f.level], f.since))


def is_followed_up(*, status: str, unacknowledged_at: datetime | None, now: datetime) -> bool:
    """Needs attention, but staff have answered everything that has come up so far."""
    return status == Status.NEEDS_ATTENTION and (unacknowledged_at is None or unacknowledged_at > now)


def assess(facts: Facts, catalogue: Mapping[str, ReactionRule]) -> Assessment:
    reports = sorted(facts.reports, key=lambda r: r.reported_at)
    findings: list[Finding] = []
    for index, report in enumerate(reports):
        findings += _report_findings(report, reports[:index], facts, catalogue)
    # A closure answers what the reports before it showed; only later news reopens it.
    if reports and (facts.closed_at is None or reports[-1].known_at > facts.closed_at):
        findings += _persisting_findings(reports[-1], facts, catalogue)
    heard_at = [r.known_at for r in reports] + list(facts.staff_notes)
    findings += missed_check_in_findings(facts.check_ins, heard_at, facts.zone)
    findings += not_reached_findings(
        session_at=facts.session_at, check_ins=facts.check_ins, guides=facts.guides, heard_at=heard_at, zone=facts.zone
    )
    return Assessment(
        findings=tuple(findings),
        settled=_settled(reports, facts, catalogue),
        acknowledged_at=facts.acknowledged_at,
        closed_at=facts.closed_at,
    )


def _report_findings(
    report: Report, earlier: Sequence[Report], facts: Facts, catalogue: Mapping[str, ReactionRule]
) -> list[Finding]:
    """What one report says at once, whatever the time: red flags, the patient's worry, pain, worsening."""
    at = report.known_at
    previous = earlier[-1] if earlier else None
    found = [
        Finding(Level.ATTENTION, Reason.RED_FLAG, at, params={"flag": stored_name(flag)}) for flag in report.red_flags
    ]
    found += mark_findings(report.marks, at)
    if report.wants_call:
        found.append(Finding(Level.ATTENTION, Reason.WANTS_CALL, at))
    for observation in report.observations:
        rule = catalogue.get(observation.code)
        if rule is None or not observation.present:
            continue
        if observation.severity == Severity.SEVERE:
            found.append(Finding(Level.ATTENTION, Reason.SEVERE, at, params={"reaction": rule.named}))
        found += _pain_findings(observation, rule, at)
        if rule.attention_when_worse:
            found += _worsening_findings(observation, rule, earlier, at)
        onset_hours = rule.new_onset_attention_after_hours
        is_new = previous is None or previous.present(observation.code) is None
        late = onset_hours is not None and report.reported_at >= window_end(facts.session_at, onset_hours, facts.zone)
        if is_new and late:
            days = calendar_days_between(facts.session_at, report.reported_at, facts.zone)
            found.append(
                Finding(
                    Level.ATTENTION,
                    Reason.NEW_ONSET,
                    # "New" compares with the report before: known once both are.
                    max(at, previous.known_at) if previous else at,
                    params={"reaction": rule.named, "days": days},
                )
            )
    return found


def _pain_findings(observation: Observation, rule: ReactionRule, at: datetime) -> list[Finding]:
    if rule.attention_pain_score is None or observation.pain_score is None:
        return []
    if observation.pain_score >= rule.attention_pain_score:
        return [Finding(Level.ATTENTION, Reason.PAIN, at, params={"score": observation.pain_score})]
    return []


def _worsening_findings(
    observation: Observation, rule: ReactionRule, earlier: Sequence[Report], at: datetime
) -> list[Finding]:
    """Worse than at the previous report, for a reaction seen before.

    A reaction that faded and comes back stronger is worse; a first appearance (a
    bruise on day two) is not. The comparison is only known once both reports are:
    a milder report dated earlier but logged later (a phone call written up
    afterwards) reveals the worsening when it is logged, and a follow-up made
    before then has not answered it.
    """
    seen_before = [r for r in earlier if r.present(observation.code)]
    if not seen_before:
        return []
    previous = earlier[-1]
    at = max(at, previous.known_at, min(r.known_at for r in seen_before))
    before = previous.severity_of(observation.code)
    if observation.severity > before:
        return [
            Finding(
                Level.ATTENTION,
                Reason.WORSE,
                at,
                params={"reaction": rule.named, "before": before, "now": observation.severity},
            )
        ]
    last = previous.present(observation.code)
    if (
        last
        and last.pain_score is not None
        and observation.pain_score is not None
        and observation.pain_score > last.pain_score
    ):
        return [
            Finding(
                Level.ATTENTION,
                Reason.PAIN_RISING,
                at,
                params={"before": last.pain_score, "now": observation.pain_score},
            )
        ]
    return []


def _persisting_findings(latest: Report, facts: Facts, catalogue: Mapping[str, ReactionRule]) -> list[Finding]:
    """Reactions in the latest report are taken to persist until a report says otherwise.

    A finding cannot hold before the report that revealed it, so that a follow-up
    made earlier is never taken to have answered it.
    """
    found = []
    for observation in latest.observations:
        rule = catalogue.get(observation.code)
        if rule is None or not observation.present:
            continue
        fade_deadline = just_after(window_end(facts.session_at, rule.fades_by_hours, facts.zone))
        found.append(
            Finding(
                Level.OVERDUE,
                Reason.NOT_FADED,
                max(fade_deadline, latest.known_at),
                subject=observation.code,
                params={"reaction": rule.named, "hours": rule.fades_by_hours},
            )
        )
        if rule.attention_after_hours is not None:
            attention_deadline = just_after(window_end(facts.session_at, rule.attention_after_hours, facts.zone))
            found.append(
                Finding(
                    Level.ATTENTION,
                    Reason.STILL_PRESENT,
                    max(attention_deadline, latest.known_at),
                    subject=observation.code,
                    params={"reaction": rule.named, "hours": rule.attention_after_hours},
                )
            )
    return found


def _settled(reports: list[Report], facts: Facts, catalogue: Mapping[str, ReactionRule]) -> bool:
    """Recovered by the evidence: the latest report is all clear, it was made after the window
    of every reaction reported in this recovery (48 h at least), and no scheduled check-in
    is still awaited. An all-clear at 6 h proves nothing about the swelling of day two."""
    if not reports or not reports[-1].all_clear:
        return False
    reported = {o.code for r in reports for o in r.observations if o.present}
    windows = [catalogue[code].fades_by_hours for code in reported if code in catalogue]
    longest = max([SHORTEST_RECOVERY_HOURS, *windows])
    # Elapsed hours here, never the wall clock's shorter day: an all-clear proves recovery no sooner.
    if reports[-1].reported_at <= facts.session_at + timedelta(hours=longest):
        return False
    heard_at = [r.known_at for r in reports]
    return all(c.never_asked or heard_since(c, heard_at) for c in facts.check_ins)
