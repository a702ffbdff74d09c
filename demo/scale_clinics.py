"""The clinic group's set-up, before any session: its clinics, staff, stock and catalogue.

`clinics_create` makes the clinic groups and their clinics (a share of the sessions each, the
catalogue's defaults, one manager over each group); `clinic_kit_create` gives each clinic its practitioners
and batches and gathers what its sessions are made of into a `ClinicKit`.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from clinics.models import Clinic, Membership, Role, User
from recovery.assessment import catalogue_rules
from recovery.findings import Named
from recovery.models import ReactionType, RedFlagQuestion
from recovery.services import catalogue_install_defaults
from treatments.models import Batch, Product, ProductKind

PASSWORD = "recovery-scale"
SESSIONS_PER_CLINIC = 100_000
# The benchmark's own clinic group, the same at a million sessions and at ten.
BENCH_GROUP_SESSIONS = 1_000_000
GROUPS = 100
PRACTITIONERS_PER_CLINIC = 8
HISTORY_DAYS = 3 * 365
FIRST_NAMES = ["Amelia", "Chloé", "Sofia", "Léa", "Maya", "Inès", "Olivia", "Emma", "Zoe", "Ana", "Lina", "Nora"]
LAST_NAMES = ["Martin", "Bernard", "Smith", "Dubois", "Jones", "Moreau", "Patel", "Laurent", "Garcia", "Brown"]
PRODUCTS = [
    ("Vita Cocktail", ProductKind.VITAMIN_MINERAL_COCKTAIL),
    ("Hydra Boost", ProductKind.HYALURONIC_ACID),
    ("PN Renew", ProductKind.POLYNUCLEOTIDES),
    ("Scalp Revive", ProductKind.PEPTIDES),
]


class ScaleClinic(NamedTuple):
    clinic: Clinic
    sessions: int
    # 0 for the benchmark's own group.
    group: int


@dataclass(frozen=True)
class ClinicKit:
    """What a clinic's sessions are made of: its staff, stock and catalogue."""

    clinic: Clinic
    staff: list
    batches: list
    catalogue: dict
    reaction_ids: dict
    red_flags: dict


def clinics_create(
    total: int, *, password: str, groups: int = GROUPS, bench_group_sessions: int = BENCH_GROUP_SESSIONS
) -> list[ScaleClinic]:
    """The host's clinics, each with its share of the `total` sessions.

    The first clinic group is the benchmark's: up to `bench_group_sessions` over clinics of
    SESSIONS_PER_CLINIC, with the manager `scale.manager`, made alike at any size (its clinics are
    made first, from the same seed). Sessions beyond it go to `groups - 1` other groups, each
    with its own manager, so that a larger host is the same group among more neighbours; their
    clinics are no larger than the benchmark's, so each can be a copy of one (`scale_copies`).
    """
    first = min(total, bench_group_sessions)
    rest = total - first
    others = max(1, groups - 1) if rest else 0
    shares = [first] + [rest // others + (1 if i < rest % others else 0) for i in range(others)]
    clinics = []
    bench_clinics = max(2, -(-first // SESSIONS_PER_CLINIC))
    largest = max(1, first // bench_clinics)
    for group, sessions in enumerate(shares):
        username = "scale.manager" if group == 0 else f"scale.manager.{group + 1}"
        manager = User.objects.create(username=username, password=password, first_name="Sam")
        count = bench_clinics if group == 0 else -(-sessions // largest)
        per_clinic = [sessions // count + (1 if i < sessions % count else 0) for i in range(count)]
        for number, clinic_sessions in enumerate(per_clinic):
            name = f"Scale Clinic {number + 1}" if group == 0 else f"Group {group + 1} Clinic {number + 1}"
            clinic = Clinic.objects.create(
                name=name,
                phone=f"+44 20 7946 {len(clinics):04d}",
                time_zone="Europe/London",
                emergency_phone="999",
            )
            catalogue_install_defaults(clinic=clinic)
            Membership.objects.create(user=manager, clinic=clinic, role=Role.MANAGER)
            clinics.append(ScaleClinic(clinic, clinic_sessions, group))
    return clinics


def clinic_kit_create(clinic: Clinic, *, rng: random.Random, now: datetime, password: str) -> ClinicKit:
    """The clinic's practitioners and batches, with its catalogue as its sessions read it."""
    return ClinicKit(
        clinic=clinic,
        staff=_staff(clinic, rng=rng, password=password),
        batches=_batches(clinic, now=now),
        catalogue=catalogue_rules(clinic.pk),
        reaction_ids={t.code: t.pk for t in ReactionType.objects.filter(clinic=clinic).order_by("position")},
        red_flags={
            q.code: (q.pk, Named(q.staff_label, q.staff_label_fr))
            for q in RedFlagQuestion.objects.filter(clinic=clinic)
        },
    )


def _staff(clinic: Clinic, *, rng: random.Random, password: str) -> list[User]:
    staff = []
    for number in range(PRACTITIONERS_PER_CLINIC):
        user = User.objects.create(
            username=f"scale.{clinic.pk}.{number}",
            password=password,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
        )
        Membership.objects.create(user=user, clinic=clinic, role=Role.PRACTITIONER)
        staff.append(user)
    return staff


def _batches(clinic: Clinic, *, now: datetime) -> list[Batch]:
    batches = []
    for index, (name, kind) in enumerate(PRODUCTS):
        product = Product.objects.create(clinic=clinic, name=name, manufacturer="Dermalab", kind=kind)
        for lot in range(6):
            batches.append(
                Batch.objects.create(
                    product=product,
                    lot_number=f"S{clinic.pk}-{index}-{lot:03d}",
                    expiry_date=(now + timedelta(days=365)).date(),
                    received_on=(now - timedelta(days=HISTORY_DAYS + 30)).date(),
                )
            )
    return batches
