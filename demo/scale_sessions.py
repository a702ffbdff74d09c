"""The clinic group's patients and sessions, each session with its reports, check-ins and recovery.

A chunk's patients come first; its sessions are spread over them in series, and each one
follows one of the `COURSES` a recovery takes: the reports it brings, the check-ins sent
and answered (or not), and what staff did about any alarm. What the recovery engine stores
is computed by the engine itself: each recovery's facts go through `recovery.rules.assess`,
and `stored_assessment` turns the result into columns, exactly as a live report would.
"""

import random
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from messaging.channels import new_code
from recovery import rules
from recovery.assessment import stored_assessment
from recovery.models import CheckInStatus, CloseOutcome, ComplicationType, FollowUpAction, ReportSource
from recovery.schedule import check_in_moment
from treatments.models import Area, Technique

from .bulk_load import Tables
from .scale_clinics import FIRST_NAMES, HISTORY_DAYS, LAST_NAMES, ClinicKit

SESSIONS_PER_PATIENT = 3.3
CONSENT_RATE = 0.8
ANSWER_RATE = 0.75
# How a recovery unfolds, with how often: (weight, reactions by check-in day, red flags, wants a call).
# Most recover as expected; a few worsen, persist, develop a late lump or raise a red flag.
COURSES = [
    (60, {1: {"redness": 1, "tenderness": 1}, 2: {}, 4: {}, 7: {}, 14: {}}, (), False),
    (15, {1: {"swelling": 2, "redness": 1}, 2: {"swelling": 1}, 4: {}, 7: {}, 14: {}}, (), False),
    (8, {1: {"bruising": 1}, 2: {"bruising": 1}, 4: {"bruising": 1}, 7: {"bruising": 1}, 14: {}}, (), False),
    (6, {1: {"redness": 1}, 2: {"redness": 1}, 4: {"redness": 1}, 7: {}, 14: {}}, (), False),
    (4, {1: {"swelling": 1}, 2: {"swelling": 2}, 4: {"swelling": 2}, 7: {"swelling": 1}, 14: {}}, (), False),
    (3, {1: {"tenderness": 2}, 2: {"tenderness": 3}, 4: {}, 7: {}, 14: {}}, (), True),
    (2, {1: {}, 2: {}, 4: {}, 7: {}, 14: {"nodules": 1}}, (), False),
    (1, {1: {"redness": 2}, 2: {"redness": 3}, 4: {}, 7: {}, 14: {}}, ("spreading_heat",), False),
    (1, {1: {"itch_warmth": 1}, 2: {}, 4: {}, 7: {}, 14: {}}, ("widespread_rash",), False),
]
COURSE_WEIGHTS = [course[0] for course in COURSES]


def patients_and_sessions_add(
    kit: ClinicKit, tables: Tables, *, sessions: int, rng: random.Random, now: datetime
) -> None:
    """A chunk's patients, and its sessions spread over them in series, each with its recovery."""
    clinic = kit.clinic
    patients = max(1, round(sessions / SESSIONS_PER_PATIENT))
    patient_rows = []
    for _ in range(patients):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        consent = rng.random() < CONSENT_RATE
        patient_rows.append((uuid.uuid4(), first, last, consent))
        tables.patients.append(
            (
                patient_rows[-1][0],
                clinic.pk,
                first,
                last,
                date(1950 + rng.randrange(55), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                f"{first}.{last}.{rng.randrange(10**6)}@example.com".lower(),
                f"+447400{rng.randrange(10**6):06d}",
                "",
                consent,
                now,
                now,
            )
        )
    # Spread the sessions over the patients as series, each series a week or two apart.
    per_patient: dict = {}
    for _ in range(sessions):
        patient = rng.choice(patient_rows)
        per_patient.setdefault(patient, []).append(None)
    for patient, series in per_patient.items():
        start = now - timedelta(days=rng.uniform(0, HISTORY_DAYS), hours=rng.uniform(0, 8))
        moments = sorted(
            max(start - timedelta(days=10 * i + rng.uniform(0, 4)), now - timedelta(days=HISTORY_DAYS))
            for i in range(len(series))
        )
        practitioner = rng.choice(kit.staff)
        for number, performed_at in enumerate(moments, start=1):
            _session_add(kit, tables, patient, practitioner, performed_at, number, rng=rng, now=now)


def _session_add(kit: ClinicKit, tables: Tables, patient, practitioner, performed_at, number, *, rng, now) -> None:
    """One session, its area and product, its reports and check-ins, and its recovery as assessed."""
    clinic, flags = kit.clinic, kit.red_flags
    patient_id, _first, _last, consent = patient
    session_id = uuid.uuid4()
    tables.sessions.append(
        (
            session_id,
            clinic.pk,
            patient_id,
            practitioner.pk,
            performed_at,
            Technique.NAPPAGE,
            "",
            [],
            "",
            practitioner.pk,
            performed_at,
            number,
        )
    )
    area = rng.choice([Area.FACE, Area.FACE, Area.NECK, Area.SCALP, Area.DECOLLETAGE])
    tables.areas.append((session_id, area, ""))
    tables.products.append((session_id, rng.choice(kit.batches).pk, Decimal("2.00"), performed_at, patient_id))
    _weight, course, red_flags, wants_call = rng.choices(COURSES, weights=COURSE_WEIGHTS)[0]
    shell = SimpleNamespace(clinic=clinic, performed_at=performed_at)
    reports, check_ins = [], []
    concerning = False
    for day in sorted(clinic.check_in_days) if consent else []:
        # In UTC, as the database hands moments back, so stored findings read the same either way.
        due = check_in_moment(shell, day).astimezone(UTC)
        if due > now:
            check_ins.append((uuid.uuid4(), due, CheckInStatus.PLANNED, None, None, None))
            continue
        sent = due + timedelta(seconds=rng.randrange(60))
        if rng.random() > ANSWER_RATE:
            # Earlier sweeps marked those missed before yesterday; the next sweep marks the rest.
            missed = sent + rules.MISSED_CHECK_IN_AFTER < now - timedelta(days=1)
            status = CheckInStatus.MISSED if missed else CheckInStatus.SENT
            check_ins.append((uuid.uuid4(), due, status, sent, None, None))
            continue
        answered = sent + timedelta(hours=rng.uniform(0.1, 6))
        if answered > now:
            check_ins.append((uuid.uuid4(), due, CheckInStatus.SENT, sent, None, None))
            continue
        severities = course.get(day, {})
        day_flags = red_flags if day == 2 else ()
        report_id = uuid.uuid4()
        reports.append((report_id, answered, severities, day_flags, wants_call and day == 2))
        concerning = concerning or bool(day_flags) or "nodules" in severities
        check_ins.append((uuid.uuid4(), due, CheckInStatus.ANSWERED, sent, answered, report_id))
    facts = rules.Facts(
        session_at=performed_at,
        reports=[
            rules.Report(
                reported_at=at,
                # In catalogue order, as the stored report's reactions are read back.
                observations=tuple(
                    rules.Observation(code, severities[code]) for code in kit.reaction_ids if code in severities
                ),
                red_flags=tuple(flags[code][1] for code in day_flags),
                wants_call=call,
                recorded_at=at,
            )
            for _id, at, severities, day_flags, call in reports
        ],
        check_ins=[
            rules.CheckIn(due_at=due, asked_at=sent, answered_at=answered)
            for _id, due, _status, sent, answered, _report in check_ins
        ],
        zone=clinic.zone,
    )
    assessment = rules.assess(facts, kit.catalogue)
    closed_at = closed_by = None
    outcome = ""
    confirmed = False
    attention_at = assessment.attention_at
    # Staff followed up and closed most alarms older than a few days, as a clinic would.
    acknowledged_at = None
    if attention_at and attention_at < now - timedelta(hours=6):
        acknowledged_at = attention_at + timedelta(hours=2)
        tables.follow_ups.append((session_id, FollowUpAction.CALLED, "", practitioner.pk, acknowledged_at))
        if attention_at < now - timedelta(days=5) and rng.random() < 0.85:
            closed_at, closed_by = attention_at + timedelta(days=3), practitioner.pk
            outcome = CloseOutcome.RESOLVED_ALONE
        if concerning and rng.random() < 0.4:
            confirmed = True
            tables.complications.append(
                (
                    session_id,
                    ComplicationType.NODULE if not red_flags else ComplicationType.INFECTION,
                    attention_at,
                    practitioner.pk,
                    acknowledged_at,
                )
            )
        facts = replace(facts, acknowledged_at=acknowledged_at, closed_at=closed_at, staff_notes=[acknowledged_at])
        assessment = rules.assess(facts, kit.catalogue)
    elif not assessment.settled and performed_at < now - timedelta(days=30) and rng.random() < 0.9:
        # A month on, staff close most recoveries the check-ins left unfinished.
        closed_at, closed_by = performed_at + timedelta(days=21), practitioner.pk
        outcome = CloseOutcome.RECOVERED
        assessment = rules.assess(replace(facts, closed_at=closed_at), kit.catalogue)
    stored = stored_assessment(assessment)
    told_before = now - timedelta(days=1)
    tables.recoveries.append(
        (
            session_id,
            clinic.pk,
            practitioner.pk,
            performed_at,
            timezone.localtime(performed_at, clinic.zone).date(),
            stored["attention_at"],
            stored["unacknowledged_at"],
            stored["overdue_at"],
            concerning,
            confirmed,
            # Earlier sweeps told what turned before yesterday; the next sweep tells the rest.
            _told(stored["unacknowledged_at"], told_before),
            _told(stored["overdue_at"], told_before),
            stored["settled"],
            stored["findings"],
            acknowledged_at,
            closed_at,
            closed_by,
            outcome,
            "",
        )
    )
    for report_id, at, severities, day_flags, call in reports:
        tables.reports.append((report_id, session_id, clinic.pk, at, ReportSource.PATIENT, None, call, "", at))
        tables.reactions += [(report_id, kit.reaction_ids[code], severity) for code, severity in severities.items()]
        tables.flags += [(report_id, flags[code][0], True) for code in day_flags]
    tables.check_ins += [
        (
            check_in_id,
            session_id,
            due,
            status,
            None,
            1 if sent else 0,
            sent,
            sent,
            sent,
            answered,
            report_id,
            # Those still to send carry a short link, as the app's own would; sent ones kept theirs.
            new_code() if status == CheckInStatus.PLANNED else None,
        )
        for check_in_id, due, status, sent, answered, report_id in check_ins
    ]


def _told(moment: datetime | None, before: datetime) -> datetime | None:
    return moment if moment is not None and moment < before else None
