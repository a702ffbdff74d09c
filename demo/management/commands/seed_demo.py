"""Load the demo clinics, staff, catalogue, patients and sessions, once.

Most sessions recover the way a clinic's do. A fixed set of stories makes every rule of
the product brief show on the dashboard: each normal reaction past its window, a
worsening, rising pain, pain at the catalogue's score, a severe reaction, red flags (one
an emergency), a patient who asked to be called, a call that reached nobody, a missed
check-in, a late new lump, a recovery followed up, a confirmed complication and a batch
quarantined after a cluster. Everything is written through the services at times counted
back from now, so the stored assessments are the engine's own whenever the demo is loaded.
"""

import logging
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import cycle
from math import ceil

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from audits.services import batch_clusters_notify
from clinic.celery import app as celery_app
from clinics.emergency_numbers import emergency_numbers_for
from clinics.models import Clinic, Membership, Role, User
from demo.photos import skin_photo
from demo.safety import refuse_where_texts_are_sent
from patients.models import Patient
from recovery import photos
from recovery.check_ins import check_in_moment
from recovery.images import safe_image
from recovery.models import (
    CheckIn,
    CheckInStatus,
    ComplicationOutcome,
    ComplicationType,
    FollowUpAction,
    GuideMessage,
    GuideStatus,
    Notification,
    PhotoSource,
    ReactionKind,
    ReactionType,
    Recovery,
    RedFlagQuestion,
    ReportSource,
)
from recovery.rules import Severity
from recovery.services import (
    ReactionEntry,
    catalogue_install_defaults,
    complication_record,
    follow_up_create,
    recovery_assess,
    report_create,
)
from recovery.sessions import session_log
from recovery.sweep import sweep
from treatments.models import Aftercare, Area, Batch, Product, ProductKind, Technique
from treatments.services import AreaTreated, ProductUse, batch_quarantine

DEMO_PASSWORD = "recovery-demo"
CLINICS = [
    ("Harbour Skin Clinic", "+44 20 7946 0101", "Europe/London"),
    ("Riverside Aesthetics", "+44 161 496 0202", "Europe/London"),
]
HARBOUR, RIVERSIDE = 0, 1
MANAGER = ("manager", "Morgan", "Reyes")
PRACTITIONERS = [
    ("nurse.alice", "Alice", "Okafor", HARBOUR),
    ("dr.ben", "Ben", "Hartley", HARBOUR),
    ("nurse.chloe", "Chloe", "Nakamura", RIVERSIDE),
]
# With GTINs in GS1's example range (prefix 950), so boxes can be scanned or typed in the demo (see the README).
PRODUCTS = [
    (
        "Hydra Boost 1.5%",
        "Dermalab",
        ProductKind.HYALURONIC_ACID,
        "Non-cross-linked hyaluronic acid 15 mg/ml",
        "09506000134369",
    ),
    (
        "NCTF 135",
        "Filorga",
        ProductKind.VITAMIN_MINERAL_COCKTAIL,
        "Hyaluronic acid, 53 vitamins, amino acids",
        "09506000134376",
    ),
    ("PN Repair", "Mastelli", ProductKind.POLYNUCLEOTIDES, "Polynucleotides 20 mg/ml", "09506000134383"),
    ("Scalp Revive", "Dr. Cyj", ProductKind.PEPTIDES, "Copper peptides, biotin", "09506000134390"),
]
FIRST_NAMES = [
    "Amelia",
    "Olivia",
    "Isla",
    "Ava",
    "Mia",
    "Sophia",
    "Grace",
    "Lily",
    "Freya",
    "Emily",
    "Ivy",
    "Ella",
    "Rosie",
    "Evie",
    "Florence",
    "Poppy",
    "Charlotte",
    "Willow",
    "Daisy",
    "Sienna",
]
LAST_NAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Wright",
    "Robinson",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Clarke",
]
PATIENTS_PER_CLINIC = 20
SESSIONS_PER_CLINIC = 30
DEMO_DAYS = 21
OPENS_AT, CLOSES_AT = 9, 19
# A report comes 1 to this many hours after the session's time of day: sessions end by 19:00,
# so a report stays on its own day, and one on any day before today is never in the future.
REPORT_LATEST_HOUR = 4
DEMO_TECHNIQUES = [Technique.NAPPAGE, Technique.PAPULES, Technique.POINT_BY_POINT, Technique.MICRONEEDLING]
MILD, MODERATE, SEVERE = Severity.MILD, Severity.MODERATE, Severity.SEVERE
TASK_TRACE = logging.getLogger("celery.app.trace")


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


@dataclass(frozen=True)
class Confirmed:
    """A complication staff confirmed, with its onset and resolution in days after the session."""

    complication_type: str
    onset_day: int
    resolved_day: int
    outcome: str
    note: str


@dataclass(frozen=True)
class Story:
    """One session's course: its clinic (an index of CLINICS), how long ago, the reports after it,
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
        follow_up=(FollowUpAction.REVIEWED_IN_CLINIC, "Seen in clinic; swab taken; oral antibiotics started."),
        confirmed=Confirmed(
            ComplicationType.INFECTION,
            onset_day=2,
            resolved_day=9,
            outcome=ComplicationOutcome.ANTIBIOTICS,
            note="Local infection, settled on antibiotics.",
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


class Command(BaseCommand):
    help = "Load demo clinics, staff, products, batches, patients and three weeks of sessions (once)."

    def handle(self, *args, **options):
        refuse_where_texts_are_sent()
        if Clinic.objects.filter(name=CLINICS[0][0]).exists():
            self.stdout.write("Demo data already loaded; nothing to do.")
            return
        # A fixed seed gives every developer the same demo to talk about.
        rng = random.Random(2026)
        with tasks_in_this_process(), transaction.atomic():
            emergency, other = emergency_numbers_for("GB")
            clinics = [
                Clinic.objects.create(
                    name=n, phone=p, time_zone=tz, emergency_phone=emergency, emergency_phone_other=other
                )
                for n, p, tz in CLINICS
            ]
            for clinic in clinics:
                catalogue_install_defaults(clinic=clinic)
            manager, practitioners = self._staff(clinics)
            batches = {clinic.pk: self._catalogue(clinic, rng) for clinic in clinics}
            patients = {clinic.pk: self._patients(clinic, rng) for clinic in clinics}
            suspect_lot = batches[clinics[HARBOUR].pk][0]
            reaction_types = list(ReactionType.objects.filter(clinic=clinics[HARBOUR]))
            # Learnt first, so waiting longest: the queue opens on the red flags.
            stories = RARE_STORIES + catalogue_stories(reaction_types)
            plan = stories + self._routine(clinics, stories, rng)
            # Practitioners take turns, so that each has a share of every kind of course.
            turns = {clinic.pk: cycle(practitioners[clinic.pk]) for clinic in clinics}
            cluster_report = None
            pictured = []
            for story in tqdm(plan, desc="Demo sessions", unit="session", file=self.stdout):
                clinic = clinics[story.clinic]
                session = self._session(
                    clinic,
                    practitioner=next(turns[clinic.pk]),
                    patient=self._patient(patients[clinic.pk], story, rng),
                    batches=[suspect_lot] if story.suspect_lot else rng.sample(batches[clinic.pk], k=rng.randint(1, 2)),
                    days_ago=story.days_ago,
                    rng=rng,
                )
                if story.photos:
                    pictured.append(session)
                reports = self._recovery(session, story, rng)
                if story.suspect_lot and reports:
                    cluster_report = reports[0]
            self._quarantine(suspect_lot, cluster_report, by=manager)
            # What beat would have done by now: missed check-ins marked, staff told of what is overdue.
            sweep()
            # The demo's alarms are its past: staff were told when they happened, so none is
            # e-mailed now (the worker would otherwise print one e-mail per alarm on its first run).
            Notification.objects.filter(recovery__clinic__in=clinics, emailed_at__isnull=True).update(
                emailed_at=timezone.now()
            )
        # Outside the seeding transaction: a photo's file is written only for a record that is kept.
        for session in pictured:
            self._photos(session)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    def _staff(self, clinics):
        manager = User.objects.create_user(
            MANAGER[0],
            email=f"{MANAGER[0]}@example.com",
            password=DEMO_PASSWORD,
            first_name=MANAGER[1],
            last_name=MANAGER[2],
        )
        for clinic in clinics:
            Membership.objects.create(user=manager, clinic=clinic, role=Role.MANAGER)
        by_clinic = {clinic.pk: [] for clinic in clinics}
        for username, first, last, clinic_index in PRACTITIONERS:
            user = User.objects.create_user(
                username, email=f"{username}@example.com", password=DEMO_PASSWORD, first_name=first, last_name=last
            )
            clinic = clinics[clinic_index]
            Membership.objects.create(user=user, clinic=clinic, role=Role.PRACTITIONER)
            by_clinic[clinic.pk].append(user)
        return manager, by_clinic

    def _catalogue(self, clinic, rng):
        today = timezone.localdate()
        usable = []
        for index, (name, maker, kind, ingredients, gtin) in enumerate(PRODUCTS):
            product = Product.objects.create(
                clinic=clinic, name=name, manufacturer=maker, kind=kind, active_ingredients=ingredients, gtin=gtin
            )
            for lot in range(2):
                usable.append(
                    Batch.objects.create(
                        product=product,
                        lot_number=f"{maker[:3].upper()}{rng.randint(10000, 99999)}-{lot}",
                        expiry_date=today + timedelta(days=rng.randint(120, 540)),
                        supplier=f"{maker} UK",
                        received_on=today - timedelta(days=rng.randint(30, 90)),
                    )
                )
            if index == 0:
                Batch.objects.create(
                    product=product,
                    lot_number=f"{maker[:3].upper()}-OLD-{clinic.name[:3].upper()}",
                    expiry_date=today - timedelta(days=10),
                    supplier=f"{maker} UK",
                    received_on=today - timedelta(days=400),
                )
        return usable

    def _patients(self, clinic, rng):
        patients = []
        for index in range(PATIENTS_PER_CLINIC):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            patients.append(
                Patient.objects.create(
                    clinic=clinic,
                    first_name=first,
                    last_name=last,
                    date_of_birth=date(rng.randint(1958, 2002), rng.randint(1, 12), rng.randint(1, 28)),
                    email=f"{first}.{last}@example.com".lower(),
                    phone=f"+447400{rng.randint(100000, 999999)}",
                    sensitivities=rng.choice(["", "", "Lidocaine", "Nickel", "Fragrance"]),
                    consents_to_check_ins=rng.random() < 0.8,
                    # A few read their messages and pages in French.
                    language="fr" if index % 10 == 3 else "",
                )
            )
        return patients

    @staticmethod
    def _patient(patients, story: Story, rng):
        # Check-ins are only ever sent to a patient who consented to them.
        candidates = [p for p in patients if p.consents_to_check_ins] if story.unanswered_check_ins else patients
        return rng.choice(candidates)

    @staticmethod
    def _routine(clinics, stories, rng) -> list[Story]:
        """The usual mix for the rest of each clinic's sessions."""
        routine = []
        for index, _clinic in enumerate(clinics):
            told = sum(1 for story in stories if story.clinic == index)
            for _ in range(SESSIONS_PER_CLINIC - told):
                _weight, first, last, reports = rng.choices(ROUTINE, weights=[row[0] for row in ROUTINE])[0]
                routine.append(Story(index, days_ago=rng.randint(first, last), reports=reports))
        return routine

    def _session(self, clinic, *, practitioner, patient, batches, days_ago, rng):
        # Sessions fall in opening hours, in the clinic's own time zone.
        day = timezone.localdate(timezone=clinic.zone) - timedelta(days=days_ago)
        opening_time = time(rng.randint(OPENS_AT, CLOSES_AT - 1), rng.choice([0, 15, 30, 45]))
        performed_at = datetime.combine(day, opening_time, tzinfo=clinic.zone)
        areas = rng.sample([Area.FACE, Area.NECK, Area.DECOLLETAGE, Area.SCALP, Area.HANDS], k=rng.randint(1, 3))
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

    @staticmethod
    def _photos(session) -> None:
        """The treated area at the end of the session, flushed, its injection points showing; then
        what the patient saw with each report, as red as the report says."""
        day = timezone.localtime(session.performed_at, session.clinic.zone).date()
        Patient.objects.filter(pk=session.patient_id).update(consents_to_photos=True, photo_consent_on=day)
        session.patient.refresh_from_db()
        area = session.areas.first().area
        drawn = skin_photo(severity=MODERATE, seed=session.pk.int, patient_id=session.patient_id, marks=True)
        photos.session_photos_add(
            session=session,
            entries=[photos.PhotoEntry(image=safe_image(drawn), area=area)],
            added_by=session.practitioner,
        )
        for report in session.reports.all():
            redness = report.reactions.filter(reaction_type__code="redness").first()
            drawn = skin_photo(
                severity=redness.severity if redness else 0, seed=report.pk.int, patient_id=session.patient_id
            )
            staff = report.source == ReportSource.STAFF
            with (
                photos.files_written([photos.PhotoEntry(image=safe_image(drawn), area=area)]) as stored,
                transaction.atomic(),
            ):
                photos.photos_record(
                    session=session,
                    stored=stored,
                    source=PhotoSource.STAFF if staff else PhotoSource.PATIENT,
                    report=report,
                    added_by=report.recorded_by if staff else None,
                    now=report.reported_at,
                )

    def _recovery(self, session, story: Story, rng) -> list:
        """The reports after the session, then what staff did about them."""
        reaction_types = {t.code: t for t in ReactionType.objects.filter(clinic_id=session.clinic_id)}
        questions = list(RedFlagQuestion.objects.filter(clinic_id=session.clinic_id))
        areas = tuple(a.area for a in session.areas.all()[:1])
        now = timezone.now()
        moments = [
            (session.performed_at + timedelta(days=said.day, hours=rng.randint(1, REPORT_LATEST_HOUR)), said)
            for said in story.reports
        ]
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
                )
            )
        if story.unanswered_check_ins:
            self._unanswered_check_ins(session, now)
        if story.follow_up:
            action, note = story.follow_up
            follow_up_create(
                recovery=Recovery.objects.get(session=session),
                action=action,
                note=note,
                recorded_by=session.practitioner,
            )
        if story.confirmed:
            self._confirm(session, story.confirmed)
        return reports

    @staticmethod
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

    @staticmethod
    def _confirm(session, confirmed: Confirmed) -> None:
        session_day = timezone.localtime(session.performed_at, session.clinic.zone).date()
        complication_record(
            recovery=Recovery.objects.get(session=session),
            complication_type=confirmed.complication_type,
            onset_on=session_day + timedelta(days=confirmed.onset_day),
            resolved_on=session_day + timedelta(days=confirmed.resolved_day),
            outcome=confirmed.outcome,
            note=confirmed.note,
            recorded_by=session.practitioner,
            close_recovery=True,
        )

    @staticmethod
    def _quarantine(batch, cluster_report, *, by) -> None:
        """Managers are told of the lot's cluster of complications (any of its reports raises
        it), and quarantine the lot."""
        if cluster_report:
            batch_clusters_notify(report_id=cluster_report.pk)
        batch_quarantine(batch=batch, reason=QUARANTINE_REASON, by=by)
