"""The import's benchmark: a clinic's history of N past sessions brought into a new clinic, the files
as the template writes them (patients, products, batches, sessions), timed through the reading, the
checks (the dry run's plan) and the writing, in a transaction rolled back after, so the database
stays as it was. The issue asks for 100,000 sessions in under five minutes."""

import io
import random
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from audits.csv_safe import writer
from clinics.models import Clinic, Membership, Role
from imports.checks import plan_made
from imports.columns import BATCHES, KINDS, PATIENTS, PRODUCTS, SESSIONS
from imports.export import clinic_export_write
from imports.reading import table_read
from imports.writing import history_write
from recovery.services import catalogue_install_defaults

# The scale: 100,000 sessions imported in under five minutes.
SCALE = 100_000
PRODUCTS_COUNT = 6
LOTS_PER_PRODUCT = 4
PRACTITIONERS = 5


@dataclass(frozen=True)
class ImportMeasure:
    sessions: int
    files_mb: float
    read_s: float
    plan_s: float
    write_s: float
    # The clinic just imported taken out again (without photos): the export's own measure.
    export_s: float
    export_mb: float

    @property
    def total_s(self) -> float:
        return self.read_s + self.plan_s + self.write_s


def _gtin(body: str) -> str:
    total = sum(int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(reversed(body)))
    return body + str(-total % 10)


def _csv(kind, rows) -> bytes:
    text = io.StringIO(newline="")
    csv_writer = writer(text)
    csv_writer.writerow(kind.names)
    for row in rows:
        csv_writer.writerow([row.get(name, "") for name in kind.names])
    return text.getvalue().encode()


def history_files(sessions: int, *, emails: list[str], seed: int = 7) -> dict[str, bytes]:
    """A clinic's history as the import's template writes it: a patient for every three sessions,
    a few products and lots, sessions over the last three years up to a month ago."""
    chance = random.Random(seed)
    now = timezone.now()
    products = [
        {
            "name": f"Booster {n}",
            "manufacturer": "Benchlab",
            "kind": "hyaluronic_acid",
            "gtin": _gtin(f"0376099{n:06d}"),
        }
        for n in range(PRODUCTS_COUNT)
    ]
    lots = [(product, f"B{p}-{n:03d}") for p, product in enumerate(products) for n in range(LOTS_PER_PRODUCT)]
    batches = [
        {"product_gtin": product["gtin"], "lot_number": lot, "expiry_date": "2031-12-31", "received_on": "2022-01-01"}
        for product, lot in lots
    ]
    patients = [
        {
            "external_id": f"P{n}",
            "first_name": "Pat",
            "last_name": f"Ient {n}",
            "date_of_birth": date(1960 + n % 40, 1 + n % 12, 1 + n % 28).isoformat(),
            "consents_to_check_ins": "yes",
        }
        for n in range(max(1, sessions // 3))
    ]
    rows = []
    for n in range(sessions):
        product, lot = chance.choice(lots)
        rows.append(
            {
                "external_id": f"S{n}",
                "patient_external_id": f"P{n % len(patients)}",
                "performed_at": (now - timedelta(days=30 + chance.random() * 1000)).isoformat(timespec="minutes"),
                "practitioner_email": emails[n % len(emails)],
                "technique": "nappage",
                "areas": "face|neck" if n % 2 else "scalp",
                "product_gtin": product["gtin"],
                "lot_number": lot,
                "volume_ml": "1.5",
            }
        )
    return {
        "patients": _csv(PATIENTS, patients),
        "products": _csv(PRODUCTS, products),
        "batches": _csv(BATCHES, batches),
        "sessions": _csv(SESSIONS, rows),
    }


def measure_import(sessions: int) -> ImportMeasure:
    with transaction.atomic():
        clinic = Clinic.objects.create(
            name="Import benchmark", phone="+44 20 7946 0000", time_zone="Europe/London", emergency_phone="999"
        )
        catalogue_install_defaults(clinic=clinic)
        users = get_user_model()
        staff = [
            users.objects.create_user(f"bench-import-{n}", email=f"bench{n}@example.com") for n in range(PRACTITIONERS)
        ]
        Membership.objects.bulk_create(Membership(user=user, clinic=clinic, role=Role.PRACTITIONER) for user in staff)
        manager = users.objects.create_user("bench-import-manager", email="bench-manager@example.com")
        Membership.objects.create(user=manager, clinic=clinic, role=Role.MANAGER)
        files = history_files(sessions, emails=[user.email for user in staff])

        started = time.perf_counter()
        tables = {kind: table_read(content, f"{kind}.csv") for kind, content in files.items()}
        read = time.perf_counter()
        plan = plan_made(
            clinic=clinic,
            files={kind: (table, {name: name for name in KINDS[kind].names}) for kind, table in tables.items()},
            now=timezone.now(),
            source="Benchmark",
        )
        if plan.refusals:
            raise ValueError(f"the benchmark's files were refused: {plan.refusals[:3]}")
        planned = time.perf_counter()
        history_write(clinic=clinic, recorded_by=manager, plan=plan.for_writing(), decisions={"follow": []})
        written = time.perf_counter()
        with tempfile.TemporaryFile() as archive:
            clinic_export_write(clinic=clinic, target=archive, with_photos=False)
            exported = time.perf_counter()
            export_mb = round(archive.tell() / 1e6, 1)
        transaction.set_rollback(True)
    return ImportMeasure(
        sessions=sessions,
        files_mb=round(sum(len(content) for content in files.values()) / 1e6, 1),
        read_s=read - started,
        plan_s=planned - read,
        write_s=written - planned,
        export_s=exported - written,
        export_mb=export_mb,
    )


def markdown(measure: dict) -> str:
    return (
        f"Import of {measure['sessions']:,} past sessions ({measure['files_mb']} MB of CSV): read "
        f"{measure['read_s']:.1f} s, checked (the plan) {measure['plan_s']:.1f} s, written "
        f"{measure['write_s']:.1f} s; {measure['read_s'] + measure['plan_s'] + measure['write_s']:.1f} s in all. "
        f"Exported again: {measure['export_s']:.1f} s, a ZIP of {measure['export_mb']} MB."
    )
