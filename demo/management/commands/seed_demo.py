"""Load the demo clinics, staff, catalogue, patients and sessions, once."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from clinics.models import Clinic, Membership, Role, User
from demo.safety import refuse_where_texts_are_sent
from patients.models import Patient
from recovery.models import (
    ComplicationOutcome,
    ComplicationType,
    FollowUpAction,
    ReactionType,
    RedFlagQuestion,
    ReportSource,
)
from recovery.rules import Severity
from recovery.services import (
    ReactionEntry,
    catalogue_install_defaults,
    complication_record,
    follow_up_create,
    report_create,
)
from recovery.sessions import session_log
from treatments.models import Aftercare, Area, Batch, Product, ProductKind, Technique
from treatments.services import AreaTreated, ProductUse

DEMO_PASSWORD = "recovery-demo"
CLINICS = [
    ("Harbour Skin Clinic", "+44 20 7946 0101", "Europe/London"),
    ("Riverside Aesthetics", "+44 161 496 0202", "Europe/London"),
]
MANAGER = ("manager", "Morgan", "Reyes")
PRACTITIONERS = [
    ("nurse.alice", "Alice", "Okafor", 0),
    ("dr.ben", "Ben", "Hartley", 0),
    ("nurse.chloe", "Chloe", "Nakamura", 1),
]
PRODUCTS = [
    ("Hydra Boost 1.5%", "Dermalab", ProductKind.HYALURONIC_ACID, "Non-cross-linked hyaluronic acid 15 mg/ml"),
    ("NCTF 135", "Filorga", ProductKind.VITAMIN_MINERAL_COCKTAIL, "Hyaluronic acid, 53 vitamins, amino acids"),
    ("PN Repair", "Mastelli", ProductKind.POLYNUCLEOTIDES, "Polynucleotides 20 mg/ml"),
    ("Scalp Revive", "Dr. Cyj", ProductKind.PEPTIDES, "Copper peptides, biotin"),
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
MILD, MODERATE = Severity.MILD, Severity.MODERATE
# Each story: (weight, [(day after the session, [(reaction, severity, pain)], red flags, asks for a call)]).
FIRST_STORIES = ["red_flag", "late_lump", "painful", "red_flag", "worried", "persistent_swelling"]
STORIES = {
    "smooth": (55, [(1, [("redness", MILD, None), ("swelling", MILD, None)], [], False), (2, [], [], False)]),
    "lingering_redness": (12, [(1, [("redness", MILD, None)], [], False), (3, [("redness", MILD, None)], [], False)]),
    "persistent_swelling": (
        6,
        [(1, [("swelling", MILD, None)], [], False), (4, [("swelling", MILD, None)], [], False)],
    ),
    "painful": (7, [(1, [("tenderness", MILD, 3)], [], False), (2, [("tenderness", MODERATE, 7)], [], False)]),
    "worried": (5, [(1, [("redness", MILD, None)], [], True)]),
    "red_flag": (
        4,
        [(1, [("redness", MODERATE, None)], [], False), (2, [("redness", MODERATE, None)], ["discharge"], False)],
    ),
    "late_lump": (3, [(2, [], [], False), (15, [("nodules", MILD, None)], [], False)]),
    "silent": (8, []),
}
DEMO_TECHNIQUES = [Technique.NAPPAGE, Technique.PAPULES, Technique.POINT_BY_POINT, Technique.MICRONEEDLING]


class Command(BaseCommand):
    help = "Load demo clinics, staff, products, batches, patients and three weeks of sessions (once)."

    def handle(self, *args, **options):
        refuse_where_texts_are_sent()
        if Clinic.objects.filter(name=CLINICS[0][0]).exists():
            self.stdout.write("Demo data already loaded; nothing to do.")
            return
        # A fixed seed gives every developer the same demo to talk about.
        rng = random.Random(2026)
        with transaction.atomic():
            clinics = [Clinic.objects.create(name=n, phone=p, time_zone=tz) for n, p, tz in CLINICS]
            for clinic in clinics:
                catalogue_install_defaults(clinic=clinic)
            practitioners = self._staff(clinics)
            batches = {clinic.pk: self._catalogue(clinic, rng) for clinic in clinics}
            patients = {clinic.pk: self._patients(clinic, rng) for clinic in clinics}
            plan = [(clinic, i) for clinic in clinics for i in range(SESSIONS_PER_CLINIC)]
            for clinic, index in tqdm(plan, desc="Demo sessions", unit="session", file=self.stdout):
                session = self._session(clinic, practitioners[clinic.pk], patients[clinic.pk], batches[clinic.pk], rng)
                # The first sessions of each clinic tell the rarer stories, so the demo always shows them.
                story = FIRST_STORIES[index] if index < len(FIRST_STORIES) else None
                self._recovery_story(session, rng, story=story)
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
        return by_clinic

    def _catalogue(self, clinic, rng):
        today = timezone.localdate()
        usable = []
        for index, (name, maker, kind, ingredients) in enumerate(PRODUCTS):
            product = Product.objects.create(
                clinic=clinic, name=name, manufacturer=maker, kind=kind, active_ingredients=ingredients
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
        for _ in range(PATIENTS_PER_CLINIC):
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
                )
            )
        return patients

    def _session(self, clinic, practitioners, patients, batches, rng):
        practitioner = rng.choice(practitioners)
        # Sessions fall in opening hours, in the clinic's own time zone.
        day = timezone.localdate(timezone=clinic.zone) - timedelta(days=rng.randint(1, DEMO_DAYS - 1))
        opening_time = time(rng.randint(OPENS_AT, CLOSES_AT - 1), rng.choice([0, 15, 30, 45]))
        performed_at = datetime.combine(day, opening_time, tzinfo=clinic.zone)
        areas = rng.sample([Area.FACE, Area.NECK, Area.DECOLLETAGE, Area.SCALP, Area.HANDS], k=rng.randint(1, 3))
        session = session_log(
            patient=rng.choice(patients),
            practitioner=practitioner,
            performed_at=performed_at,
            areas=[AreaTreated(area=area) for area in areas],
            products=[
                ProductUse(batch=batch, volume_ml=Decimal(rng.choice(["1.00", "2.00", "2.50", "3.00"])))
                for batch in rng.sample(batches, k=rng.randint(1, 2))
            ],
            technique=rng.choice(DEMO_TECHNIQUES),
            aftercare=list(Aftercare.values),
            notes="",
            recorded_by=practitioner,
        )
        return session

    def _recovery_story(self, session, rng, *, story=None):
        """Patient reports after the session, in the mix a clinic sees: mostly smooth, a few not."""
        story = story or rng.choices(list(STORIES), weights=[weight for weight, _ in STORIES.values()])[0]
        reaction_types = {t.code: t for t in ReactionType.objects.filter(clinic_id=session.clinic_id)}
        questions = list(RedFlagQuestion.objects.filter(clinic_id=session.clinic_id))
        now = timezone.now()
        for day, reactions, red_flags, wants_call in STORIES[story][1]:
            reported_at = session.performed_at + timedelta(days=day, hours=rng.randint(1, 8))
            if reported_at > now:
                break
            report_create(
                session=session,
                reported_at=reported_at,
                reactions=[
                    ReactionEntry(reaction_types[code], severity, pain, tuple(a.area for a in session.areas.all()[:1]))
                    for code, severity, pain in reactions
                ],
                red_flags_present=[q for q in questions if q.code in red_flags],
                red_flags_asked=questions,
                wants_call=wants_call,
                source=ReportSource.PATIENT,
            )
        if story == "red_flag" and session.reports.count() == len(STORIES[story][1]):
            follow_up_create(
                recovery=session.recovery,
                action=FollowUpAction.REVIEWED_IN_CLINIC,
                note="Seen in clinic; swab taken.",
                recorded_by=session.practitioner,
            )
            onset = timezone.localtime(session.performed_at, session.clinic.zone).date() + timedelta(days=2)
            complication_record(
                recovery=session.recovery,
                complication_type=ComplicationType.INFECTION,
                onset_on=onset,
                resolved_on=min(onset + timedelta(days=7), timezone.localdate()),
                outcome=ComplicationOutcome.ANTIBIOTICS,
                note="Local infection, settled on oral antibiotics.",
                recorded_by=session.practitioner,
                close_recovery=onset + timedelta(days=7) <= timezone.localdate(),
            )
