"""The recovery rules of the product brief, one scenario per rule and edge, without a database.

Each scenario: a session at T0, the reports, check-ins and staff actions known,
and the status and reasons expected at a given moment.
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from recovery import defaults
from recovery.reasons import words
from recovery.rules import (
    CheckIn,
    Facts,
    Level,
    Observation,
    ReactionRule,
    Report,
    Severity,
    Status,
    assess,
    is_followed_up,
    just_after,
    window_words,
)

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
NONE, MILD, MODERATE, SEVERE = Severity.NONE, Severity.MILD, Severity.MODERATE, Severity.SEVERE
CATALOGUE = {
    row["code"]: ReactionRule(
        code=row["code"],
        label=row["staff_label"],
        fades_by_hours=row["fades_by_hours"],
        attention_after_hours=row["attention_after_hours"],
        new_onset_attention_after_hours=row["new_onset_attention_after_hours"],
        attention_when_worse=row["attention_when_worse"],
        attention_pain_score=row["attention_pain_score"],
    )
    for row in defaults.REACTION_TYPES
}


def h(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def d(days: float) -> datetime:
    return T0 + timedelta(days=days)


def report(at, *observations, red_flags=(), wants_call=False, logged_at=None):
    return Report(
        reported_at=at,
        observations=tuple(observations),
        red_flags=tuple(red_flags),
        wants_call=wants_call,
        recorded_at=logged_at,
    )


def seen(code, severity=MILD, pain=None):
    return Observation(code, severity, pain)


def attention(reason):
    return (Level.ATTENTION, reason)


def overdue(reason):
    return (Level.OVERDUE, reason)


def status_and_reasons(facts: Facts, now: datetime, catalogue=CATALOGUE) -> tuple[str, list[tuple[str, str]]]:
    assessment = assess(facts, catalogue)
    return assessment.status_at(now), [(f.level, words(f)) for f in assessment.reasons_at(now)]


REDNESS_OVERDUE = overdue("Redness should have faded by 48 h and was still present at the last report")
SWELLING_OVERDUE = overdue("Swelling should have faded by 48 h and was still present at the last report")

SCENARIOS = [
    # (id, facts, now, status, reasons)
    ("no-report-yet", Facts(T0), h(5), Status.ON_TRACK, []),
    (
        "redness-within-window",
        Facts(T0, [report(h(20), seen("redness"))]),
        h(47.99),
        Status.ON_TRACK,
        [],
    ),
    (
        "redness-at-exactly-48h-is-still-on-track",
        Facts(T0, [report(h(20), seen("redness"))]),
        h(48),
        Status.ON_TRACK,
        [],
    ),
    (
        "redness-just-after-48h-is-overdue",
        Facts(T0, [report(h(20), seen("redness"))]),
        just_after(h(48)),
        Status.OVERDUE,
        [REDNESS_OVERDUE],
    ),
    (
        "redness-past-48h-is-overdue",
        Facts(T0, [report(h(20), seen("redness"))]),
        h(49),
        Status.OVERDUE,
        [REDNESS_OVERDUE],
    ),
    (
        "redness-gone-before-its-window-ends-is-not-yet-resolved",
        Facts(T0, [report(h(20), seen("redness")), report(h(40), seen("redness", NONE))]),
        h(60),
        Status.ON_TRACK,
        [],
    ),
    (
        "redness-gone-at-a-report-after-its-window-is-resolved",
        Facts(T0, [report(h(20), seen("redness")), report(h(50), seen("redness", NONE))]),
        h(60),
        Status.RESOLVED,
        [],
    ),
    (
        "redness-growing-between-reports-needs-attention",
        Facts(T0, [report(h(12), seen("redness", MILD)), report(h(30), seen("redness", MODERATE))]),
        h(31),
        Status.NEEDS_ATTENTION,
        [attention("Redness worse than at the previous report (mild → moderate)")],
    ),
    (
        "redness-worse-and-past-its-window-shows-both-reasons-attention-first",
        Facts(T0, [report(h(12), seen("redness", MILD)), report(h(50), seen("redness", MODERATE))]),
        h(51),
        Status.NEEDS_ATTENTION,
        [attention("Redness worse than at the previous report (mild → moderate)"), REDNESS_OVERDUE],
    ),
    (
        "swelling-at-96h-is-overdue-not-yet-attention",
        Facts(T0, [report(h(24), seen("swelling"))]),
        h(96),
        Status.OVERDUE,
        [SWELLING_OVERDUE],
    ),
    (
        "swelling-just-after-96h-needs-attention-and-stays-overdue",
        Facts(T0, [report(h(24), seen("swelling"))]),
        just_after(h(96)),
        Status.NEEDS_ATTENTION,
        [attention("Swelling still present after 4 days"), SWELLING_OVERDUE],
    ),
    (
        "tenderness-past-96h-needs-attention",
        Facts(T0, [report(h(24), seen("tenderness", MILD, 3))]),
        h(97),
        Status.NEEDS_ATTENTION,
        [
            attention("Tenderness or pain still present after 4 days"),
            overdue("Tenderness or pain should have faded by 48 h and was still present at the last report"),
        ],
    ),
    (
        "pain-6-is-within-bounds",
        Facts(T0, [report(h(6), seen("tenderness", MODERATE, 6))]),
        h(7),
        Status.ON_TRACK,
        [],
    ),
    (
        "pain-7-needs-attention",
        Facts(T0, [report(h(6), seen("tenderness", MODERATE, 7))]),
        h(7),
        Status.NEEDS_ATTENTION,
        [attention("Pain 7/10 reported")],
    ),
    (
        "pain-6-then-7-needs-attention",
        Facts(T0, [report(h(6), seen("tenderness", MODERATE, 6)), report(h(20), seen("tenderness", MODERATE, 7))]),
        h(21),
        Status.NEEDS_ATTENTION,
        [attention("Pain 7/10 reported"), attention("Pain rising between reports (6/10 → 7/10)")],
    ),
    (
        "pain-rising-below-7-needs-attention",
        Facts(T0, [report(h(6), seen("tenderness", MILD, 2)), report(h(20), seen("tenderness", MILD, 4))]),
        h(21),
        Status.NEEDS_ATTENTION,
        [attention("Pain rising between reports (2/10 → 4/10)")],
    ),
    (
        "severity-down-then-up-needs-attention",
        Facts(
            T0,
            [
                report(h(6), seen("redness", MODERATE)),
                report(h(20), seen("redness", MILD)),
                report(h(30), seen("redness", MODERATE)),
            ],
        ),
        h(31),
        Status.NEEDS_ATTENTION,
        [attention("Redness worse than at the previous report (mild → moderate)")],
    ),
    (
        "severity-going-down-is-on-track",
        Facts(T0, [report(h(6), seen("redness", MODERATE)), report(h(20), seen("redness", MILD))]),
        h(21),
        Status.ON_TRACK,
        [],
    ),
    (
        "reports-entered-out-of-order-are-read-in-time-order",
        Facts(T0, [report(h(30), seen("redness", MILD)), report(h(6), seen("redness", MODERATE))]),
        h(31),
        Status.ON_TRACK,
        [],
    ),
    (
        "peeling-worse-is-not-attention",
        Facts(T0, [report(h(24), seen("peeling", MILD)), report(h(72), seen("peeling", MODERATE))]),
        h(73),
        Status.ON_TRACK,
        [],
    ),
    (
        "peeling-never-needs-attention-by-time",
        Facts(T0, [report(d(6), seen("peeling"))]),
        d(30),
        Status.OVERDUE,
        [overdue("Peeling or dryness should have faded by 7 days and was still present at the last report")],
    ),
    (
        "bruising-within-10-days",
        Facts(T0, [report(d(3), seen("bruising"))]),
        d(9.9),
        Status.ON_TRACK,
        [],
    ),
    (
        "bruising-at-exactly-10-days-is-still-on-track",
        Facts(T0, [report(d(3), seen("bruising"))]),
        d(10),
        Status.ON_TRACK,
        [],
    ),
    (
        "bruising-past-10-days-overdue",
        Facts(T0, [report(d(3), seen("bruising"))]),
        just_after(d(10)),
        Status.OVERDUE,
        [
            overdue(
                "Small bruises, pinpoint marks should have faded by 10 days and was still present at the last report"
            )
        ],
    ),
    (
        "a-new-bruise-on-day-two-is-not-worsening",
        Facts(T0, [report(h(20), seen("redness")), report(h(40), seen("bruising"))]),
        h(41),
        Status.ON_TRACK,
        [],
    ),
    (
        "lump-first-seen-on-day-13-is-on-track",
        Facts(T0, [report(d(13), seen("nodules"))]),
        d(13.1),
        Status.ON_TRACK,
        [],
    ),
    (
        "all-clear-then-new-lump-at-day-15-needs-attention-and-is-past-its-window",
        Facts(T0, [report(d(2), seen("redness", NONE)), report(d(15), seen("nodules"))]),
        d(15),
        Status.NEEDS_ATTENTION,
        [
            attention("New nodules or lumps 15 days after the session"),
            overdue("Nodules or lumps should have faded by 14 days and was still present at the last report"),
        ],
    ),
    (
        "lump-at-exactly-14-days-is-new-onset",
        Facts(T0, [report(d(14), seen("nodules"))]),
        d(14),
        Status.NEEDS_ATTENTION,
        [attention("New nodules or lumps 14 days after the session")],
    ),
    (
        "lump-known-before-day-14-is-not-new",
        Facts(T0, [report(d(10), seen("nodules")), report(d(15), seen("nodules"))]),
        d(15),
        Status.OVERDUE,
        [overdue("Nodules or lumps should have faded by 14 days and was still present at the last report")],
    ),
    (
        "red-flag-needs-attention-at-once",
        Facts(T0, [report(h(3), red_flags=["Fever"])]),
        h(3),
        Status.NEEDS_ATTENTION,
        [attention("Red flag reported: Fever")],
    ),
    (
        "red-flag-after-an-all-clear-needs-attention",
        Facts(T0, [report(d(2), seen("redness", NONE)), report(d(3), red_flags=["Pus or discharge"])]),
        d(3),
        Status.NEEDS_ATTENTION,
        [attention("Red flag reported: Pus or discharge")],
    ),
    (
        "red-flag-is-not-forgotten-when-the-next-report-is-clear",
        Facts(T0, [report(d(1), red_flags=["Fever"]), report(d(3), seen("redness", NONE))]),
        d(3),
        Status.NEEDS_ATTENTION,
        [attention("Red flag reported: Fever")],
    ),
    (
        "patient-asking-for-a-call-needs-attention",
        Facts(T0, [report(h(5), wants_call=True)]),
        h(5),
        Status.NEEDS_ATTENTION,
        [attention("The patient asked to be called")],
    ),
    (
        "a-single-all-clear-at-6h-is-not-resolved",
        Facts(T0, [report(h(6), seen("redness", NONE))]),
        d(3),
        Status.ON_TRACK,
        [],
    ),
    (
        "an-all-clear-after-48h-resolves-when-no-check-in-is-planned",
        Facts(T0, [report(d(2.5), seen("redness", NONE))]),
        d(3),
        Status.RESOLVED,
        [],
    ),
    (
        "an-all-clear-at-exactly-48h-is-not-after-the-window",
        Facts(T0, [report(h(48), seen("redness", NONE))]),
        d(3),
        Status.ON_TRACK,
        [],
    ),
    (
        "an-all-clear-within-the-bruising-window-is-not-resolved",
        Facts(T0, [report(d(3), seen("bruising")), report(d(5), seen("bruising", NONE))]),
        d(6),
        Status.ON_TRACK,
        [],
    ),
    (
        "an-all-clear-after-the-bruising-window-is-resolved",
        Facts(T0, [report(d(3), seen("bruising")), report(d(11), seen("bruising", NONE))]),
        d(11),
        Status.RESOLVED,
        [],
    ),
    (
        "all-clear-but-a-check-in-still-to-come-is-on-track",
        Facts(T0, [report(d(3), seen("redness", NONE))], check_ins=[CheckIn(d(1), d(1), d(1)), CheckIn(d(14))]),
        d(4),
        Status.ON_TRACK,
        [],
    ),
    (
        "all-clear-at-the-last-check-in-is-resolved",
        Facts(
            T0,
            [report(d(14), seen("redness", NONE))],
            check_ins=[CheckIn(d(1), d(1), d(1)), CheckIn(d(14), d(14), d(14))],
        ),
        d(14),
        Status.RESOLVED,
        [],
    ),
    (
        "all-clear-but-a-sent-check-in-unanswered-is-on-track",
        Facts(T0, [report(d(3), seen("redness", NONE))], check_ins=[CheckIn(d(7), d(7))]),
        d(7.5),
        Status.ON_TRACK,
        [],
    ),
    (
        "a-check-in-that-will-never-be-sent-does-not-hold-resolution",
        Facts(T0, [report(d(3), seen("redness", NONE))], check_ins=[CheckIn(d(7), never_asked=True)]),
        d(8),
        Status.RESOLVED,
        [],
    ),
    (
        "check-in-unanswered-for-23h59-is-on-track",
        Facts(T0, check_ins=[CheckIn(d(1), d(1))]),
        d(1) + timedelta(hours=23, minutes=59),
        Status.ON_TRACK,
        [],
    ),
    (
        "check-in-unanswered-for-exactly-24h-is-not-yet-missed",
        Facts(T0, check_ins=[CheckIn(d(1), d(1))]),
        d(2),
        Status.ON_TRACK,
        [],
    ),
    (
        "check-in-unanswered-for-just-over-24h-is-missed",
        Facts(T0, check_ins=[CheckIn(d(1), d(1))]),
        just_after(d(2)),
        Status.OVERDUE,
        [overdue("Check-in sent 3 March 10:00 was not answered")],
    ),
    (
        "a-check-in-never-sent-is-not-missed",
        Facts(T0, check_ins=[CheckIn(d(1))]),
        d(5),
        Status.ON_TRACK,
        [],
    ),
    (
        "a-check-in-cancelled-or-failed-is-not-missed",
        Facts(T0, check_ins=[CheckIn(d(1), never_asked=True)]),
        d(5),
        Status.ON_TRACK,
        [],
    ),
    (
        "a-check-in-sent-late-is-missed-24h-after-it-was-sent",
        Facts(T0, check_ins=[CheckIn(d(1), d(3))]),
        d(3.9),
        Status.ON_TRACK,
        [],
    ),
    (
        "missed-check-in-cleared-by-a-staff-note",
        Facts(T0, check_ins=[CheckIn(d(1), d(1))], staff_notes=[d(2.5)]),
        d(3),
        Status.ON_TRACK,
        [],
    ),
    (
        "missed-check-in-cleared-by-a-late-answer",
        Facts(T0, [report(d(2.5), seen("redness", NONE))], check_ins=[CheckIn(d(1), d(1), d(2.5))]),
        d(3),
        Status.RESOLVED,
        [],
    ),
    (
        "staff-closure-resolves",
        Facts(T0, [report(h(3), red_flags=["Fever"])], closed_at=d(2)),
        d(2),
        Status.RESOLVED,
        [],
    ),
    (
        "red-flag-after-closure-reopens",
        Facts(T0, [report(h(3), red_flags=["Fever"]), report(d(3), red_flags=["Pus or discharge"])], closed_at=d(2)),
        d(3),
        Status.NEEDS_ATTENTION,
        [attention("Red flag reported: Pus or discharge")],
    ),
    (
        "severe-pain-without-a-score-needs-attention",
        Facts(T0, [report(h(6), seen("tenderness", SEVERE))]),
        h(7),
        Status.NEEDS_ATTENTION,
        [attention("Tenderness or pain reported as severe")],
    ),
    (
        "severe-pain-with-a-high-score-gives-both-reasons",
        Facts(T0, [report(h(6), seen("tenderness", SEVERE, 8))]),
        h(7),
        Status.NEEDS_ATTENTION,
        [attention("Tenderness or pain reported as severe"), attention("Pain 8/10 reported")],
    ),
    (
        "severe-swelling-at-6h-needs-attention",
        Facts(T0, [report(h(6), seen("swelling", SEVERE))]),
        h(6),
        Status.NEEDS_ATTENTION,
        [attention("Swelling reported as severe")],
    ),
    (
        "severe-peeling-needs-attention-though-peeling-never-does-by-time",
        Facts(T0, [report(d(2), seen("peeling", SEVERE))]),
        d(2),
        Status.NEEDS_ATTENTION,
        [attention("Peeling or dryness reported as severe")],
    ),
    (
        "redness-gone-then-back-stronger-needs-attention",
        Facts(
            T0,
            [
                report(h(6), seen("redness", MILD)),
                report(h(20), seen("redness", NONE)),
                report(h(30), seen("redness", SEVERE)),
            ],
        ),
        h(31),
        Status.NEEDS_ATTENTION,
        [
            attention("Redness reported as severe"),
            attention("Redness worse than at the previous report (none → severe)"),
        ],
    ),
    (
        "closure-answers-the-persisting-swelling-it-saw",
        Facts(T0, [report(h(30), seen("swelling"))], closed_at=h(40)),
        h(97),
        Status.RESOLVED,
        [],
    ),
    (
        "red-flag-logged-after-closure-reopens-even-if-dated-before",
        Facts(T0, [report(h(20), red_flags=["Fever"], logged_at=h(31))], closed_at=h(30)),
        h(31),
        Status.NEEDS_ATTENTION,
        [attention("Red flag reported: Fever")],
    ),
    (
        "attention-and-overdue-reasons-are-all-shown-attention-first",
        Facts(T0, [report(h(50), seen("redness"), wants_call=True)]),
        h(51),
        Status.NEEDS_ATTENTION,
        [attention("The patient asked to be called"), REDNESS_OVERDUE],
    ),
]


@pytest.mark.parametrize(
    ("facts", "now", "status", "reasons"), [s[1:] for s in SCENARIOS], ids=[s[0] for s in SCENARIOS]
)
def test_rule_scenario(facts, now, status, reasons):
    assert status_and_reasons(facts, now) == (status, reasons)


def test_a_catalogue_change_moves_the_deadline():
    facts = Facts(T0, [report(h(20), seen("redness"))])
    longer = {**CATALOGUE, "redness": replace(CATALOGUE["redness"], fades_by_hours=72)}

    assert status_and_reasons(facts, h(60)) == (Status.OVERDUE, [REDNESS_OVERDUE])
    assert status_and_reasons(facts, h(60), catalogue=longer) == (Status.ON_TRACK, [])


def test_a_reaction_absent_from_the_catalogue_is_ignored_not_fatal():
    facts = Facts(T0, [report(h(20), seen("retired-reaction"))])

    assert status_and_reasons(facts, d(30)) == (Status.ON_TRACK, [])


def test_time_alone_moves_on_track_to_overdue_without_reassessing():
    assessment = assess(Facts(T0, [report(h(20), seen("swelling"))]), CATALOGUE)

    moments = (h(30), h(48), just_after(h(48)), h(96), just_after(h(96)))
    assert [assessment.status_at(moment) for moment in moments] == [
        Status.ON_TRACK,
        Status.ON_TRACK,
        Status.OVERDUE,
        Status.OVERDUE,
        Status.NEEDS_ATTENTION,
    ]


def test_acknowledgement_marks_the_recovery_followed_up_but_keeps_it_open():
    facts = Facts(T0, [report(h(3), red_flags=["Fever"])], acknowledged_at=h(4))
    assessment = assess(facts, CATALOGUE)

    assert assessment.status_at(h(5)) == Status.NEEDS_ATTENTION
    assert is_followed_up(status=Status.NEEDS_ATTENTION, unacknowledged_at=assessment.unacknowledged_at, now=h(5))


def test_a_new_red_flag_after_the_acknowledgement_is_not_followed_up():
    facts = Facts(
        T0, [report(h(3), red_flags=["Fever"]), report(h(8), red_flags=["Pus or discharge"])], acknowledged_at=h(4)
    )
    assessment = assess(facts, CATALOGUE)

    assert assessment.unacknowledged_at == h(8)
    assert not is_followed_up(status=Status.NEEDS_ATTENTION, unacknowledged_at=assessment.unacknowledged_at, now=h(9))


def test_a_red_flag_logged_after_the_acknowledgement_is_unacknowledged_even_if_dated_before_it():
    back_dated = Report(reported_at=h(7), red_flags=("Swelling of lips, tongue or throat",), recorded_at=h(9))
    facts = Facts(T0, [report(h(3), wants_call=True), back_dated], acknowledged_at=h(8))

    assert assess(facts, CATALOGUE).unacknowledged_at == h(9)


def test_persisting_swelling_revealed_after_an_acknowledgement_is_not_taken_as_answered():
    facts = Facts(T0, [report(h(120), seen("swelling"))], acknowledged_at=h(100))
    assessment = assess(facts, CATALOGUE)

    assert assessment.unacknowledged_at == h(120)


def test_a_worsening_revealed_by_a_report_logged_after_the_follow_up_is_not_taken_as_answered():
    # Moderate redness on file at 30 h, acknowledged at 35 h; at 40 h staff log a phone call
    # from 20 h in which the redness was mild: only now is the redness known to have grown.
    on_file = report(h(30), seen("redness", MODERATE))
    call_logged_late = report(h(20), seen("redness", MILD), logged_at=h(40))
    assessment = assess(Facts(T0, [on_file, call_logged_late], acknowledged_at=h(35)), CATALOGUE)

    assert assessment.unacknowledged_at == h(40)
    assert not is_followed_up(status=assessment.status_at(h(41)), unacknowledged_at=h(40), now=h(41))
    assert [words(f) for f in assessment.alarms_learnt_at(h(40))] == [
        "Redness worse than at the previous report (mild → moderate)"
    ]


def test_a_late_logged_report_that_changes_nothing_leaves_the_follow_up_standing():
    facts = Facts(
        T0,
        [report(h(6), seen("redness", MILD)), report(h(30), seen("redness", MODERATE)), report(h(3), logged_at=h(40))],
        acknowledged_at=h(35),
    )

    assert assess(facts, CATALOGUE).unacknowledged_at is None


@pytest.mark.parametrize(
    ("hours", "words"),
    [(24, "24 h"), (48, "48 h"), (71, "71 h"), (72, "3 days"), (96, "4 days"), (100, "4 days 4 h"), (240, "10 days")],
)
def test_windows_of_72_hours_or_more_read_in_days(hours, words):
    assert window_words(hours) == words


def test_a_finding_in_the_future_does_not_show_yet():
    assessment = assess(Facts(T0, [report(h(20), seen("swelling"))]), CATALOGUE)

    assert [(f.level, words(f)) for f in assessment.reasons_at(h(50))] == [SWELLING_OVERDUE]


def test_default_catalogue_holds_the_figures_of_the_product_brief():
    figures = {
        row["code"]: (
            row["kind"],
            row["fades_by_hours"],
            row["attention_after_hours"],
            row["new_onset_attention_after_hours"],
            row["attention_pain_score"],
        )
        for row in defaults.REACTION_TYPES
    }

    assert figures == {
        "redness": ("expected", 48, None, None, None),
        "swelling": ("expected", 48, 96, None, None),
        "tenderness": ("expected", 48, 96, None, 7),
        "bruising": ("expected", 240, None, None, None),
        "itch_warmth": ("expected", 48, None, None, None),
        "peeling": ("expected", 168, None, None, None),
        "nodules": ("concerning", 336, None, 336, None),
    }


def test_default_red_flags_send_airway_and_vision_problems_to_emergency_services():
    emergency = {row["code"] for row in defaults.RED_FLAG_QUESTIONS if row["emergency"]}

    assert emergency == {"vision", "airway"}
    assert [row["code"] for row in defaults.RED_FLAG_QUESTIONS] == [
        "discharge",
        "spreading_heat",
        "fever",
        "widespread_rash",
        "skin_colour",
        "unusual_heat",
        "painful_lump",
        "vision",
        "airway",
    ]


def test_itch_or_warmth_past_48_hours_is_overdue():
    facts = Facts(T0, [report(h(30), seen("itch_warmth"))])

    assert status_and_reasons(facts, just_after(h(48))) == (
        Status.OVERDUE,
        [overdue("Itch or warmth should have faded by 48 h and was still present at the last report")],
    )


def test_a_new_lump_revealed_by_a_report_logged_after_the_follow_up_is_not_taken_as_answered():
    # Lumps on days 10 and 15, followed up on day 16; on day 17 staff log a day-12 call with no lump:
    # only now is the day-15 lump known to be new. A clinic may not count a growing lump as worse.
    catalogue = {**CATALOGUE, "nodules": replace(CATALOGUE["nodules"], attention_when_worse=False)}
    reports = [
        report(d(10), seen("nodules")),
        report(d(15), seen("nodules")),
        report(d(12), seen("nodules", NONE), logged_at=d(17)),
    ]
    assessment = assess(Facts(T0, reports, acknowledged_at=d(16)), catalogue)

    assert assessment.unacknowledged_at == d(17)
    assert [words(f) for f in assessment.alarms_learnt_at(d(17))] == ["New nodules or lumps 15 days after the session"]
