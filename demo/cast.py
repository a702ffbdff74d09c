"""The demo's cast: its two clinics, their manager and practitioners, their stock and patients.

Written before any story is told (see `stories` and `seeding`), from a seeded random
stream so that every developer meets the same cast.
"""

from datetime import date, timedelta

from django.utils import timezone

from clinics.emergency_numbers import emergency_numbers_for
from clinics.models import Clinic, Membership, Role, User
from patients.models import Patient, Sex
from recovery.services import catalogue_install_defaults
from treatments.models import Batch, Product, ProductKind, RegulatoryStatus

DEMO_PASSWORD = "recovery-demo"
CLINICS = [
    ("Harbour Skin Clinic", "+44 20 7946 0101", "Europe/London", "14 Quay Street\nLondon SE1 9ZZ\nUnited Kingdom"),
    ("Riverside Aesthetics", "+44 161 496 0202", "Europe/London", "3 Mill Lane\nManchester M1 9ZZ\nUnited Kingdom"),
]
HARBOUR, RIVERSIDE = 0, 1
MANAGER = ("manager", "Morgan", "Reyes")
PRACTITIONERS = [
    ("nurse.alice", "Alice", "Okafor", HARBOUR),
    ("dr.ben", "Ben", "Hartley", HARBOUR),
    ("nurse.chloe", "Chloe", "Nakamura", RIVERSIDE),
]
# With GTINs in GS1's example range (prefix 950), so boxes can be scanned or typed in the demo (see the README).
# The makers' addresses and references are made up, as the regulators' forms would read them.
PRODUCTS = [
    (
        "Hydra Boost 1.5%",
        "Dermalab",
        ProductKind.HYALURONIC_ACID,
        "Non-cross-linked hyaluronic acid 15 mg/ml",
        "09506000134369",
        (
            "Non-cross-linked hyaluronic acid",
            RegulatoryStatus.MEDICAL_DEVICE,
            "DL-HB15-2",
            "1 Rue de l'Exemple, 69000 Lyon, France",
        ),
    ),
    (
        "NCTF 135",
        "Filorga",
        ProductKind.VITAMIN_MINERAL_COCKTAIL,
        "Hyaluronic acid, 53 vitamins, amino acids",
        "09506000134376",
        (
            "Polyrevitalising solution",
            RegulatoryStatus.MEDICAL_DEVICE,
            "FG-NCTF135-5",
            "2 Avenue Exemple, 75000 Paris, France",
        ),
    ),
    (
        "PN Repair",
        "Mastelli",
        ProductKind.POLYNUCLEOTIDES,
        "Polynucleotides 20 mg/ml",
        "09506000134383",
        ("Polynucleotides", RegulatoryStatus.MEDICAL_DEVICE, "MS-PN20", "Via Esempio 1, 18038 Sanremo, Italy"),
    ),
    (
        "Scalp Revive",
        "Dr. Cyj",
        ProductKind.PEPTIDES,
        "Copper peptides, biotin",
        "09506000134390",
        ("Copper peptide solution", RegulatoryStatus.OTHER, "CY-SR-01", "1 Example-ro, Seoul 04500, South Korea"),
    ),
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
MALE_NAMES = {"Clarke"}
PATIENTS_PER_CLINIC = 20


def clinics_create() -> list[Clinic]:
    """The demo's clinics, each with the catalogue's defaults."""
    emergency, other = emergency_numbers_for("GB")
    clinics = [
        Clinic.objects.create(
            name=n, phone=p, time_zone=tz, address=address, emergency_phone=emergency, emergency_phone_other=other
        )
        for n, p, tz, address in CLINICS
    ]
    for clinic in clinics:
        catalogue_install_defaults(clinic=clinic)
    return clinics


def staff_create(clinics: list[Clinic]) -> tuple[User, dict[int, list[User]]]:
    """The manager of both clinics, and each clinic's practitioners."""
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


def stock_create(clinic: Clinic, rng) -> list[Batch]:
    """The clinic's products and their batches (two in date of each, one expired); those in date."""
    today = timezone.localdate()
    usable = []
    for index, (name, maker, kind, ingredients, gtin, (common_name, status, reference, address)) in enumerate(PRODUCTS):
        product = Product.objects.create(
            clinic=clinic,
            name=name,
            manufacturer=maker,
            manufacturer_address=address,
            kind=kind,
            common_name=common_name,
            regulatory_status=status,
            catalogue_reference=reference,
            active_ingredients=ingredients,
            gtin=gtin,
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


def patients_create(clinic: Clinic, rng) -> list[Patient]:
    """The clinic's patients: most consent to check-ins, a few read in French."""
    patients = []
    for index in range(PATIENTS_PER_CLINIC):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        patients.append(
            Patient.objects.create(
                clinic=clinic,
                first_name=first,
                last_name=last,
                date_of_birth=date(rng.randint(1958, 2002), rng.randint(1, 12), rng.randint(1, 28)),
                sex=Sex.MALE if first in MALE_NAMES else Sex.FEMALE,
                email=f"{first}.{last}@example.com".lower(),
                phone=f"+447400{rng.randint(100000, 999999)}",
                sensitivities=rng.choice(["", "", "Lidocaine", "Nickel", "Fragrance"]),
                consents_to_check_ins=rng.random() < 0.8,
                # A few read their messages and pages in French.
                language="fr" if index % 10 == 3 else "",
            )
        )
    return patients
