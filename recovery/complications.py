"""Recording a confirmed complication: its grade, seriousness, suspects and outcome, checked as
the regulators' forms will read them, and its onset taken from the timeline rather than typed."""

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events import services as events
from treatments.models import SessionProduct

from . import tallies
from .models import (
    SERIOUSNESS,
    Causality,
    CloseOutcome,
    Complication,
    ComplicationType,
    Grade,
    Outcome,
    ReactionReport,
    Recovery,
    RedFlagAnswer,
    ReportedReaction,
    SuspectProduct,
    TreatmentGiven,
)
from .rules import Severity
from .services import recovery_close

RESOLUTION_BEFORE_ONSET = _("The resolution date cannot be before the onset.")
DATE_IN_FUTURE = _("This date cannot be in the future.")
GRADE_NEEDED = _("Choose the grade.")
DEATH_IS_GRADE_5 = _(
    "A death is grade 5, and its outcome is fatal: tick death, grade 5 and the fatal outcome together."
)
LIFE_THREATENING_IS_GRADE_4 = _("A life-threatening event is grade 4 or 5.")
SEVERE_IS_SERIOUS = _("A grade 3 or above is serious: tick what made it so.")
RESOLVED_NEEDS_ITS_OUTCOME = _(
    "A resolution date means the patient recovered: choose recovered or recovered with sequelae."
)
RESOLVED_TO_CLOSE = _("Close the recovery only once the patient has recovered: choose that outcome.")
UNKNOWN_SUSPECT = _("Choose the products of this session.")
UNKNOWN_TREATMENT = _("Choose treatments from the list.")

# The signs, by catalogue code, that announce each kind of complication in a patient's report.
ANNOUNCED_BY = {
    ComplicationType.INFECTION: {"discharge", "spreading_heat", "fever", "unusual_heat", "itch_warmth"},
    ComplicationType.ALLERGIC_REACTION: {"widespread_rash", "airway", "itch_warmth"},
    ComplicationType.NODULE: {"nodules", "painful_lump"},
    ComplicationType.VASCULAR: {"skin_colour", "vision"},
    ComplicationType.PERSISTENT_SWELLING_OR_PAIN: {"swelling", "tenderness"},
}
# What closing the recovery records, from the treatment given: the most a clinician did.
CLOSING_FROM_TREATMENT = [
    (TreatmentGiven.HYALURONIDASE, CloseOutcome.HYALURONIDASE),
    (TreatmentGiven.REFERRED, CloseOutcome.REFERRED),
    (TreatmentGiven.ANTIBIOTICS, CloseOutcome.ANTIBIOTICS),
]
RECOVERED = {Outcome.RECOVERED, Outcome.RECOVERED_WITH_SEQUELAE}


def onset_of(*, recovery: Recovery, complication_type: str, now: datetime) -> datetime:
    """When the complication began: the first report after the session with a sign that announces
    it; failing that, the first with any sign at all; failing that, now, when it was confirmed."""
    reports = ReactionReport.objects.filter(session_id=recovery.session_id, reported_at__lte=now)
    reacted = Exists(ReportedReaction.objects.filter(report=OuterRef("pk"), severity__gt=Severity.NONE))
    flagged = Exists(RedFlagAnswer.objects.filter(report=OuterRef("pk"), present=True))
    codes = ANNOUNCED_BY.get(complication_type, set())
    announcing = Exists(
        ReportedReaction.objects.filter(
            report=OuterRef("pk"), severity__gt=Severity.NONE, reaction_type__code__in=codes
        )
    ) | Exists(RedFlagAnswer.objects.filter(report=OuterRef("pk"), present=True, question__code__in=codes))
    for signs in (announcing, reacted | flagged):
        first = reports.filter(signs).order_by("reported_at").values_list("reported_at", flat=True).first()
        if first:
            return first
    return now


def _problems(
    *, recovery, grade, seriousness, outcome, resolved_on, onset_at, treatments, suspects, close_recovery
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate(timezone=recovery.session.clinic.zone)
    if grade not in Grade.values:
        errors["grade"] = [str(GRADE_NEEDED)]
    else:
        death = "serious_death" in seriousness
        if death != (grade == Grade.DEATH) or death != (outcome == Outcome.FATAL):
            errors["serious_death"] = [str(DEATH_IS_GRADE_5)]
        elif "serious_life_threatening" in seriousness and grade < Grade.LIFE_THREATENING:
            errors["grade"] = [str(LIFE_THREATENING_IS_GRADE_4)]
        elif grade >= Grade.SEVERE and not seriousness:
            errors["grade"] = [str(SEVERE_IS_SERIOUS)]
    if resolved_on is not None:
        if resolved_on < timezone.localtime(onset_at, recovery.session.clinic.zone).date():
            errors["resolved_on"] = [str(RESOLUTION_BEFORE_ONSET)]
        elif resolved_on > today:
            errors["resolved_on"] = [str(DATE_IN_FUTURE)]
        elif outcome not in RECOVERED:
            errors["outcome"] = [str(RESOLVED_NEEDS_ITS_OUTCOME)]
    if close_recovery and outcome not in RECOVERED:
        errors.setdefault("outcome", []).append(str(RESOLVED_TO_CLOSE))
    if any(code not in TreatmentGiven.values for code in treatments):
        errors["treatments_given"] = [str(UNKNOWN_TREATMENT)]
    lines = set(SessionProduct.objects.filter(session_id=recovery.session_id).values_list("pk", flat=True))
    if any(line not in lines or causality not in Causality.values for line, causality in suspects.items()):
        errors["suspects"] = [str(UNKNOWN_SUSPECT)]
    return errors


@transaction.atomic
def complication_record(
    *,
    recovery: Recovery,
    complication_type: str,
    grade: int | None,
    seriousness: Sequence[str] = (),
    ischaemic: bool = False,
    suspects: Mapping[int, str] | None = None,
    outcome: str = Outcome.UNKNOWN,
    treatments_given: Sequence[str] = (),
    resolved_on: date | None = None,
    note: str = "",
    recorded_by,
    close_recovery: bool = False,
    now: datetime | None = None,
) -> Complication:
    """Record a confirmed complication; with `close_recovery`, also close the recovery.

    `seriousness` names the criteria ticked (keys of SERIOUSNESS); `suspects` gives each suspect
    product line of the session (its id) with its causality.
    """
    now = now or timezone.now()
    suspects = dict(suspects or {})
    seriousness = [field for field in SERIOUSNESS if field in set(seriousness)]
    onset_at = onset_of(recovery=recovery, complication_type=complication_type, now=now)
    errors = _problems(
        recovery=recovery,
        grade=grade,
        seriousness=seriousness,
        outcome=outcome,
        resolved_on=resolved_on,
        onset_at=onset_at,
        treatments=treatments_given,
        suspects=suspects,
        close_recovery=close_recovery,
    )
    if errors:
        raise ValidationError(errors)
    Recovery.objects.filter(pk=recovery.pk, clinician_confirmed=False).update(clinician_confirmed=True)
    complication = Complication.objects.create(
        recovery=recovery,
        complication_type=complication_type,
        grade=grade,
        ischaemic=ischaemic,
        onset_at=onset_at,
        resolved_on=resolved_on,
        outcome=outcome,
        treatments_given=[code for code in TreatmentGiven.values if code in set(treatments_given)],
        note=note,
        recorded_by=recorded_by,
        recorded_at=now,
        **dict.fromkeys(seriousness, True),
    )
    SuspectProduct.objects.bulk_create(
        SuspectProduct(complication=complication, session_product_id=line, causality=causality)
        for line, causality in suspects.items()
    )
    # Every complication counts under its grade and criteria, not only the recovery's first.
    tallies.tallies_recount(recoveries=Recovery.objects.filter(pk=recovery.pk))
    events.events_record(
        [
            events.complication_confirmed(
                clinic_id=recovery.clinic_id, session_id=recovery.pk, complication_id=complication.pk, at=now
            )
        ]
    )
    if close_recovery:
        closing = next(
            (closing for given, closing in CLOSING_FROM_TREATMENT if given in treatments_given),
            CloseOutcome.TREATED_IN_CLINIC if treatments_given else CloseOutcome.RESOLVED_ALONE,
        )
        recovery_close(recovery=recovery, outcome=closing, note=note, closed_by=recorded_by)
    return complication


def serious_complications() -> Q:
    """The condition for a serious complication: any seriousness criterion ticked."""
    condition = Q()
    for field in SERIOUSNESS:
        condition |= Q(**{field: True})
    return condition
