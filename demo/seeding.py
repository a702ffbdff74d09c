"""Loading the demo once: its cast, then each of its stories told through the services.

Everything is written through the services at times counted back from now, so the stored
assessments are the engine's own whenever the demo is loaded. Then what beat would have
done by now is done (missed check-ins marked, staff told of what is overdue), and the
pictured sessions get their photos.
"""

import logging
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from decimal import Decimal
from itertools import cycle

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from audits.services import batch_clusters_notify
from checkins.sweep import sweep
from clinic.celery import app as celery_app
from clinics.models import Clinic
from patients.models import Patient
from photos import services as photo_services
from photos.images import safe_image
from photos.models import PhotoSource
from recovery.complications import complication_record
from recovery.marks import MarkEntry
from recovery.models import (
    Causality,
    CheckIn,
    CheckInStatus,
    GuideMessage,
    GuideStatus,
    Notification,
    ReactionType,
    Recovery,
    RedFlagQuestion,
    ReportSource,
)
from recovery.schedule import check_in_moment
from recovery.services import ReactionEntry, follow_up_create, recovery_assess, report_create
from recovery.sessions import session_log
from treatments import chart
from treatments.models import Aftercare, Area, Technique
from treatments.services import AreaTreated, ProductUse, batch_quarantine

from .cast import CLINICS, HARBOUR, clinics_create, patients_create, staff_create, stock_create
from .photos import skin_photo
from .stories import MODERATE, QUARANTINE_REASON, RARE_STORIES, Confirmed, Story, catalogue_stories, routine_stories

OPENS_AT, CLOSES_AT = 9, 19
# A report comes 1 to this many hours after the session's time of day: sessions end by 19:00,
# so a report stays on its own day, and one on any day before today is never in the future.
REPORT_LATEST_HOUR = 4
DEMO_TECHNIQUES = [Technique.NAPPAGE, Technique.PAPULES, Technique.POINT_BY_POINT, Technique.MICRONEEDLING]
TASK_TRACE = logging.getLogger("celery.app.trace")


@contextmanager
def tasks_in_this_process() -> Iterator[None]:
    """Run the work the services hand to Celery (batch-cluster checks, staff e-mails) here.

    Handed to a broker that does not answer, each hand-over would wait for its connection
    timeout: minutes for the whole demo when Redis is not running. Each task's success line
    is left out: a hundred of them would bury the command's own output.
    """
    eager, trace_level = celery_app.conf.task_always_eager, TASK_TRACE.level
    celery_app.conf.task_always_eager = True
    TASK_TRACE.setLevel(logging.WARNING)
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = eager
        TASK_TRACE.setLevel(trace_level)


def demo_loaded() -> bool:
    """Whether the demo is already there: it is loaded once."""
    return Clinic.objects.filter(name=CLINICS[0][0]).exists()


def demo_load(*, progress_stream) -> None:
    """The demo's clinics, staff, catalogue, patients and three weeks of sessions, with their stories."""
    # A fixed seed gives every developer the same demo to talk about.
    rng = random.Random(2026)
    with tasks_in_this_process(), transaction.atomic():
        clinics = clinics_create()
        manager, practitioners = staff_create(clinics)
        batches = {clinic.pk: stock_create(clinic, rng) for clinic in clinics}
        patients = {clinic.pk: patients_create(clinic, rng) for clinic in clinics}
        suspect_lot = batches[clinics[HARBOUR].pk][0]
        reaction_types = list(ReactionType.objects.filter(clinic=clinics[HARBOUR]))
        # Learnt first, so waiting longest: the queue opens on the red flags.
        stories = RARE_STORIES + catalogue_stories(reaction_types)
        plan = stories + routine_stories(clinics, stories, rng)
        # Practitioners take turns, so that each has a share of every kind of course.
        turns = {clinic.pk: cycle(practitioners[clinic.pk]) for clinic in clinics}
        cluster_report = None
        pictured = []
        for story in tqdm(plan, desc="Demo sessions", unit="session", file=progress_stream):
            clinic = clinics[story.clinic]
            session = _session(
                clinic,
                practitioner=next(turns[clinic.pk]),
                patient=_patient(patients[clinic.pk], story, rng),
                batches=[suspect_lot] if story.suspect_lot else rng.sample(batches[clinic.pk], k=rng.randint(1, 2)),
                days_ago=story.days_ago,
                rng=rng,
            )
            if story.photos:
                pictured.append(session)
            reports = _recovery(session, story, rng)
            if story.suspect_lot and reports:
                cluster_report = reports[0]
        _quarantine(suspect_lot, cluster_report, by=manager)
        # What beat would have done by now: missed check-ins marked, staff told of what is overdue.
        sweep()
        # The demo's alarms are its past: staff were told when they happened, so none is
        # e-mailed now (the worker would otherwise print one e-mail per alarm on its first run).
        Notification.objects.filter(recovery__clinic__in=clinics, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
    # Outside the seeding transaction: a photo's file is written only for a record that is kept.
    for session in pictured:
        _photos(session)


def _patient(patients, story: Story, rng):
    # Check-ins are only ever sent to a patient who consented to them.
    candidates = [p for p in patients if p.consents_to_check_ins] if story.unanswered_check_ins else patients
    return rng.choice(candidates)


def _session(clinic, *, practitioner, patient, batches, days_ago, rng):
    # Sessions fall in opening hours, in the clinic's own time zone.
    day = timezone.localdate(timezone=clinic.zone) - timedelta(days=days_ago)
    opening_time = time(rng.randint(OPENS_AT, CLOSES_AT - 1), rng.choice([0, 15, 30, 45]))
    performed_at = datetime.combine(day, opening_time, tzinfo=clinic.zone)
    areas = rng.sample([Area.FACE, Area.NECK, Area.DECOLLETAGE, Area.SCALP, Area.HANDS], k=rng.randint(1, 3))
    # Charted as a practitioner does: some of each area's zones, never all of the face.
    zones = []
    for area in areas:
        codes = chart.zones_of_area(area)
        zones += sorted(rng.sample(codes, k=rng.randint(1, min(len(codes), 4))))
    session = session_log(
        patient=patient,
        practitioner=practitioner,
        performed_at=performed_at,
        areas=[AreaTreated(area=area) for area in areas],
        products=[
            ProductUse(batch=batch, volume_ml=Decimal(rng.choice(["1.00", "2.00", "2.50", "3.00"])))
            for batch in batches
        ],
        technique=rng.choice(DEMO_TECHNIQUES),
        zones=zones,
        aftercare=list(Aftercare.values),
        notes="",
        recorded_by=practitioner,
        # The demo is history: its guides went out as its sessions ended, and are not sent again now.
        send_guide=False,
    )
    if session.patient.consents_to_check_ins:
        went_out = performed_at + timedelta(minutes=40)
        GuideMessage.objects.create(
            session=session,
            created_at=went_out,
            status=GuideStatus.SENT,
            send_attempts=1,
            emailed_at=went_out,
            texted_at=went_out,
            sent_at=went_out,
        )
    return session


def _photos(session) -> None:
    """The treated area at the end of the session, flushed, its injection points showing; then
    what the patient saw with each report, as red as the report says."""
    day = timezone.localtime(session.performed_at, session.clinic.zone).date()
    Patient.objects.filter(pk=session.patient_id).update(consents_to_photos=True, photo_consent_on=day)
    session.patient.refresh_from_db()
    area = session.areas.first().area
    drawn = skin_photo(severity=MODERATE, seed=session.pk.int, patient_id=session.patient_id, marks=True)
    photo_services.session_photos_add(
        session=session,
        entries=[photo_services.PhotoEntry(image=safe_image(drawn), area=area)],
        added_by=session.practitioner,
    )
    for report in session.reports.all():
        redness = report.reactions.filter(reaction_type__code="redness").first()
        drawn = skin_photo(
            severity=redness.severity if redness else 0, seed=report.pk.int, patient_id=session.patient_id
        )
        staff = report.source == ReportSource.STAFF
        with (
            photo_services.files_written([photo_services.PhotoEntry(image=safe_image(drawn), area=area)]) as stored,
            transaction.atomic(),
        ):
            photo_services.photos_record(
                session=session,
                stored=stored,
                source=PhotoSource.STAFF if staff else PhotoSource.PATIENT,
                report=report,
                added_by=report.recorded_by if staff else None,
                now=report.reported_at,
            )


def _recovery(session, story: Story, rng) -> list:
    """The reports after the session, then what staff did about them."""
    reaction_types = {t.code: t for t in ReactionType.objects.filter(clinic_id=session.clinic_id)}
    questions = list(RedFlagQuestion.objects.filter(clinic_id=session.clinic_id))
    areas = tuple(a.area for a in session.areas.all()[:1])
    now = timezone.now()
    moments = [
        (session.performed_at + timedelta(days=said.day, hours=rng.randint(1, REPORT_LATEST_HOUR)), said)
        for said in story.reports
    ]
    treated = sorted(session.zones.values_list("zone", flat=True))
    reports = []
    # Newest first: the demo's clinic learns its whole past at once, and an earlier report
    # learnt alone would stand for a moment as the latest news, raising an alarm that the
    # next one answers (day 1's swelling, read today, as still present after four days).
    for reported_at, said in reversed(moments):
        if reported_at > now:
            continue
        reports.append(
            report_create(
                session=session,
                reported_at=reported_at,
                reactions=[
                    ReactionEntry(reaction_types[code], severity, pain, areas)
                    for code, severity, pain in said.reactions
                ],
                red_flags_present=[q for q in questions if q.code in said.red_flags],
                red_flags_asked=questions,
                wants_call=said.wants_call,
                note=said.note,
                source=ReportSource.STAFF if said.by_staff else ReportSource.PATIENT,
                recorded_by=session.practitioner if said.by_staff else None,
                marks=_marks(said, reaction_types, treated, rng),
            )
        )
    if story.unanswered_check_ins:
        _unanswered_check_ins(session, now)
    if story.follow_up:
        action, note = story.follow_up
        follow_up_create(
            recovery=Recovery.objects.get(session=session),
            action=action,
            note=note,
            recorded_by=session.practitioner,
        )
    if story.confirmed:
        _confirm(session, story.confirmed)
    return reports


def _marks(said, reaction_types, treated: list[str], rng) -> list[MarkEntry]:
    """Where each reaction was: somewhere treated, or, told so, the first zone that was not."""
    marks = []
    for code, severity, _pain in said.reactions:
        if not severity:
            continue
        untreated = (zone for zone in chart.ZONES if zone not in treated)
        zone = next(untreated) if said.marked_beyond else rng.choice(treated)
        marks.append(MarkEntry(chart.ZONES[zone].diagrams[0], zone, reaction_type=reaction_types[code]))
    return marks


def _unanswered_check_ins(session, now: datetime) -> None:
    """The check-ins of the schedule already due, as the worker leaves them once sent.

    Sending takes a worker and the real clock, and planning skips moments already past.
    """
    due = [check_in_moment(session, day) for day in session.clinic.check_in_days]
    CheckIn.objects.bulk_create(
        CheckIn(session=session, due_at=at, status=CheckInStatus.SENT, sent_at=at, emailed_at=at, texted_at=at)
        for at in due
        if at <= now
    )
    recovery_assess(recovery=Recovery.objects.get(session=session))


def _confirm(session, confirmed: Confirmed) -> None:
    session_day = timezone.localtime(session.performed_at, session.clinic.zone).date()
    complication_record(
        recovery=Recovery.objects.get(session=session),
        complication_type=confirmed.complication_type,
        grade=confirmed.grade,
        seriousness=confirmed.seriousness,
        # The lot of the session's first product is the one the clinic suspects.
        suspects={line.pk: Causality.PROBABLE for line in session.products_used.order_by("pk")[:1]},
        resolved_on=session_day + timedelta(days=confirmed.resolved_day),
        outcome=confirmed.outcome,
        treatments_given=confirmed.treatments,
        note=confirmed.note,
        recorded_by=session.practitioner,
        close_recovery=True,
    )


def _quarantine(batch, cluster_report, *, by) -> None:
    """Managers are told of the lot's cluster of complications (any of its reports raises
    it), and quarantine the lot."""
    if cluster_report:
        batch_clusters_notify(report_id=cluster_report.pk)
    batch_quarantine(batch=batch, reason=QUARANTINE_REASON, by=by)
