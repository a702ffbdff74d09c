"""The stories the demo tells: what each of its sessions goes through afterwards.

Most sessions recover the way a clinic's do (`ROUTINE`). A fixed set of stories makes every
rule of the product brief show on the dashboard: each normal reaction past its window, a
worsening, rising pain, pain at the catalogue's score, a severe reaction, red flags (one
an emergency), a patient who asked to be called, a call that reached nobody, a missed
check-in, a late new lump, a recovery followed up, a confirmed complication and a batch
quarantined after a cluster (`RARE_STORIES`, `catalogue_stories`).
"""

from dataclasses import dataclass
from math import ceil

from recovery.models import (
    ComplicationType,
    FollowUpAction,
    Grade,
    Outcome,
    ReactionKind,
    ReactionType,
    TreatmentGiven,
)
from recovery.rules import Severity

from .cast import HARBOUR, RIVERSIDE

SESSIONS_PER_CLINIC = 30
DEMO_DAYS = 21
MILD, MODERATE, SEVERE = Severity.MILD, Severity.MODERATE, Severity.SEVERE


@dataclass(frozen=True)
class Said:
    """One report, `day` days after the session (0: later the same day)."""

    day: int
    reactions: tuple[tuple[str, int, int | None], ...] = ()
    red_flags: tuple[str, ...] = ()
    wants_call: bool = False
    note: str = ""
    # Logged by the practitioner from a phone call, rather than answered by the patient.
    by_staff: bool = False
    # Its reactions marked where nothing was treated, rather than on a treated zone.
    marked_beyond: bool = False


@dataclass(frozen=True)
class Confirmed:
    """A complication staff confirmed, graded as the regulators ask, resolved some days after the
    session; its onset is the report that announced it."""

    complication_type: str
    grade: int
    resolved_day: int
    outcome: str
    treatments: tuple[str, ...]
    note: str
    seriousness: tuple[str, ...] = ()


@dataclass(frozen=True)
class Story:
    """One session's course: its clinic (an index of `cast.CLINICS`), how long ago, the reports after it,
    and what staff did about them."""

    clinic: int
    days_ago: int
    reports: tuple[Said, ...] = ()
    follow_up: tuple[str, str] | None = None
    confirmed: Confirmed | None = None
    # Check-ins sent on schedule that the patient never answered.
    unanswered_check_ins: bool = False
    # Treated with the lot that ends up quarantined.
    suspect_lot: bool = False
    # The patient consented to photos: one at the session, one with each report.
    photos: bool = False


# The rarer courses, each at least once, whatever the random mix does. The windows of the
# catalogue's normal reactions and its pain score are added from the catalogue itself.
RARE_STORIES = [
    # An emergency red flag, phoned in the evening after the session.
    Story(
        RIVERSIDE,
        days_ago=1,
        reports=(
            Said(
                0,
                (("swelling", MODERATE, None),),
                red_flags=("airway",),
                note="Phoned: lips swelling and tight throat. Told to call 999 now.",
                by_staff=True,
            ),
        ),
    ),
    # A red flag after two days of redness, a call that did not reach the patient, and the lot
    # later quarantined.
    Story(
        HARBOUR,
        days_ago=3,
        reports=(
            Said(1, (("redness", MODERATE, None),)),
            Said(2, (("redness", MODERATE, None),), red_flags=("discharge",)),
        ),
        follow_up=(FollowUpAction.CALL_NO_ANSWER, "No answer; trying again at lunchtime."),
        suspect_lot=True,
    ),
    # Worse than at the report before.
    Story(
        RIVERSIDE,
        days_ago=4,
        reports=(Said(1, (("redness", MILD, None),)), Said(2, (("redness", MODERATE, None),))),
        photos=True,
    ),
    # Pain rising between reports, still below the catalogue's score.
    Story(
        HARBOUR,
        days_ago=3,
        reports=(Said(1, (("tenderness", MILD, 3),)), Said(2, (("tenderness", MILD, 5),))),
    ),
    # Severe, whatever the window.
    Story(
        HARBOUR,
        days_ago=2,
        reports=(Said(1, (("swelling", SEVERE, None),), note="Eyelids puffy, hard to open."),),
    ),
    # A new lump two weeks after the session, with the lot later quarantined.
    Story(
        HARBOUR,
        days_ago=17,
        reports=(Said(15, (("nodules", MILD, None),), note="Small lump under the left cheek."),),
        suspect_lot=True,
    ),
    # Redness marked on the chart beyond every zone treated: the clinic calls now.
    Story(
        RIVERSIDE,
        days_ago=1,
        reports=(
            Said(0, (("redness", MILD, None),), marked_beyond=True, note="A pink patch where I was not treated."),
        ),
    ),
    # Silence: check-ins sent and never answered.
    Story(RIVERSIDE, days_ago=4, unanswered_check_ins=True),
    # The patient asked to be called, and was.
    Story(
        RIVERSIDE,
        days_ago=2,
        reports=(Said(1, (("redness", MILD, None),), wants_call=True, note="Is it normal that it is still pink?"),),
        follow_up=(FollowUpAction.CALLED, "Called back: redness is expected for a day or two; cold compress advised."),
        photos=True,
    ),
    # An infection seen in clinic, confirmed, treated and closed, with the lot later quarantined.
    Story(
        HARBOUR,
        days_ago=12,
        reports=(
            Said(1, (("redness", MODERATE, None),)),
            Said(2, (("redness", MODERATE, None),), red_flags=("spreading_heat", "fever")),
        ),
        follow_up=(
            FollowUpAction.REVIEWED_IN_CLINIC,
            "Seen in clinic: spreading cellulitis of the cheek with fever; swab taken; sent to hospital.",
        ),
        confirmed=Confirmed(
            ComplicationType.INFECTION,
            grade=Grade.SEVERE,
            seriousness=("serious_hospitalisation",),
            resolved_day=9,
            outcome=Outcome.RECOVERED,
            treatments=(TreatmentGiven.ANTIBIOTICS, TreatmentGiven.REFERRED),
            note="Cellulitis at the injection sites; admitted two nights for intravenous antibiotics; settled.",
        ),
        suspect_lot=True,
        photos=True,
    ),
]
QUARANTINE_REASON = (
    "Three patients treated with this lot reported an infection or a lump within two weeks; "
    "held until the supplier has investigated"
)
# The usual course, by weight: (weight, fewest and most days back, reports). Every one of
# them is on track or resolved when the demo is loaded; time alone moves some on later.
ROUTINE = [
    (66, 3, DEMO_DAYS - 1, (Said(1, (("redness", MILD, None), ("swelling", MILD, None))), Said(2))),
    (8, 1, 1, (Said(0, (("redness", MILD, None), ("swelling", MILD, None), ("tenderness", MILD, 2))),)),
    (6, 1, 2, ()),
    (12, 3, 5, (Said(1, (("redness", MILD, None),)), Said(2, (("peeling", MILD, None),)))),
    (8, 4, 7, (Said(1, (("bruising", MILD, None),)), Said(3, (("bruising", MILD, None),)))),
]


def catalogue_stories(reaction_types: list[ReactionType]) -> list[Story]:
    """Each normal reaction still present past its window (and past its "needs attention"
    time, where it has one), and pain at the catalogue's score."""
    stories = []
    normal = [t for t in reaction_types if t.kind == ReactionKind.EXPECTED]
    for index, reaction in enumerate(normal):
        longest_days = ceil(max(reaction.fades_by_hours, reaction.attention_after_hours or 0) / 24)
        pain = None
        if reaction.asks_pain_score:
            # Below the catalogue's score, and the same both times: only the time is in question.
            pain = min(3, reaction.attention_pain_score - 1) if reaction.attention_pain_score else 3
        present = ((reaction.code, MILD, pain),)
        # Reported on day 1 and again as the window closes. What a report says stands until the
        # next one, so with the session two days further back it is past every window today.
        stories.append(
            Story(index % 2, days_ago=longest_days + 2, reports=(Said(1, present), Said(longest_days, present)))
        )
    painful = next((t for t in reaction_types if t.asks_pain_score and t.attention_pain_score), None)
    if painful:
        pain_at_score = ((painful.code, MODERATE, painful.attention_pain_score),)
        stories.append(Story(HARBOUR, days_ago=1, reports=(Said(0, pain_at_score),)))
    return stories


def routine_stories(clinics, stories, rng) -> list[Story]:
    """The usual mix for the rest of each clinic's sessions."""
    routine = []
    for index, _clinic in enumerate(clinics):
        told = sum(1 for story in stories if story.clinic == index)
        for _ in range(SESSIONS_PER_CLINIC - told):
            _weight, first, last, reports = rng.choices(ROUTINE, weights=[row[0] for row in ROUTINE])[0]
            routine.append(Story(index, days_ago=rng.randint(first, last), reports=reports))
    return routine
