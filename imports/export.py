"""A clinic's whole record taken out: a ZIP of CSV files, one per kind of the import in its own
columns (columns.py), so the file a clinic takes out is one another clinic brings in as it is; then
the check-ins, follow-ups, catalogue and trail in columns of their own, and the photos if asked.

Each file is read with `.iterator()` and written a line at a time into the archive: a clinic of
any size is exported in bounded memory. Records are named by the number they were imported with,
else by our own id, so the export of an imported clinic keeps the other system's numbers.
"""

import hashlib
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import chain
from typing import BinaryIO

from audits.csv_safe import writer
from clinics.models import Clinic
from photos.models import Photo
from photos.services import photo_storage
from recovery.models import Complication, RedFlagAnswer, ReportedReaction
from trail.models import TransferDirection
from trail.services import file_transfer_record
from treatments.models import Batch, Product, SessionArea, SessionProduct, TreatmentSession

from . import export_records
from .columns import BATCHES, COMPLICATIONS, LIST_SEPARATOR, PATIENTS, PRODUCTS, REACTIONS, SESSIONS

CHUNK = 2000


def cell(value, zone) -> object:
    """A value as the import reads it back: a moment with its offset on the clinic's clock, a list
    separated by `|`, a yes or no as such."""
    if isinstance(value, datetime):
        return value.astimezone(zone).isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(item) for item in value)
    return value


def _csv(archive: zipfile.ZipFile, name: str, header: Iterable[str], rows: Iterable[dict], zone) -> int:
    """Write one CSV file of the archive, a row at a time; return how many rows it holds."""
    header = list(header)
    count = 0
    with archive.open(name, "w", force_zip64=True) as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
        csv_writer = writer(text)
        csv_writer.writerow(header)
        for row in rows:
            csv_writer.writerow([cell(row.get(column), zone) for column in header])
            count += 1
    return count


def patient_rows(clinic: Clinic) -> Iterator[dict]:
    for patient in clinic.patients.order_by("created_at", "pk").iterator(chunk_size=CHUNK):
        row = {column: getattr(patient, column) for column in PATIENTS.names}
        row["external_id"] = patient.external_id or str(patient.pk)
        row["phone"] = patient.phone.as_e164 if patient.phone else ""
        yield row


def product_rows(clinic: Clinic) -> Iterator[dict]:
    for product in Product.objects.filter(clinic=clinic).order_by("name", "manufacturer").iterator(chunk_size=CHUNK):
        yield {column: getattr(product, column) for column in PRODUCTS.names}


def _product_reference(product: Product) -> dict:
    return {"product_gtin": product.gtin, "product_name": product.name, "product_manufacturer": product.manufacturer}


def batch_rows(clinic: Clinic) -> Iterator[dict]:
    batches = Batch.objects.filter(product__clinic=clinic).select_related("product").order_by("product__name", "pk")
    for batch in batches.iterator(chunk_size=CHUNK):
        yield {
            **_product_reference(batch.product),
            "lot_number": batch.lot_number,
            "expiry_date": batch.expiry_date,
            "supplier": batch.supplier,
            "received_on": batch.received_on,
        }


def session_number(session) -> str:
    return session.external_id or str(session.pk)


def session_rows(clinic: Clinic) -> Iterator[dict]:
    """One line per product used, each repeating its session; a session with no product, one line.

    Read as plain values a chunk at a time, each chunk's areas and product lines in one query each:
    a clinic's sessions are the export's bulk, and model instances would cost most of its time.
    """
    sessions = (
        TreatmentSession.objects.filter(clinic=clinic)
        .order_by("performed_at", "pk")
        .values(
            "pk",
            "external_id",
            "patient_id",
            "patient__external_id",
            "performed_at",
            "practitioner__email",
            "technique",
            "technique_other",
            "notes",
        )
    )
    for chunk in _chunks(sessions.iterator(chunk_size=CHUNK)):
        ids = [session["pk"] for session in chunk]
        areas = defaultdict(list)
        for session_id, area in (
            SessionArea.objects.filter(session_id__in=ids).order_by("area").values_list("session_id", "area")
        ):
            areas[session_id].append(area)
        uses = defaultdict(list)
        for use in SessionProduct.objects.filter(session_id__in=ids).order_by("pk").values(*_USE_COLUMNS):
            uses[use["session_id"]].append(use)
        for session in chunk:
            shared = {
                "external_id": session["external_id"] or str(session["pk"]),
                "patient_external_id": session["patient__external_id"] or str(session["patient_id"]),
                "performed_at": session["performed_at"],
                "practitioner_email": session["practitioner__email"],
                "technique": session["technique"],
                "technique_other": session["technique_other"],
                "areas": areas[session["pk"]],
                "notes": session["notes"],
            }
            if not uses[session["pk"]]:
                yield shared
            for use in uses[session["pk"]]:
                yield {
                    **shared,
                    "product_gtin": use["batch__product__gtin"],
                    "product_name": use["batch__product__name"],
                    "product_manufacturer": use["batch__product__manufacturer"],
                    "lot_number": use["batch__lot_number"],
                    "volume_ml": use["volume_ml"],
                }


_USE_COLUMNS = (
    "session_id",
    "batch__product__gtin",
    "batch__product__name",
    "batch__product__manufacturer",
    "batch__lot_number",
    "volume_ml",
)


def _chunks(rows: Iterator[dict]) -> Iterator[list[dict]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def reaction_rows(clinic: Clinic) -> Iterator[dict]:
    """A line per reaction reported, then a line per red flag reported present."""
    common = ("report__session_id", "report__session__external_id", "report__reported_at", "report__note")
    reactions = (
        ReportedReaction.objects.filter(report__session__clinic=clinic)
        .order_by("report__reported_at", "pk")
        .values(*common, "reaction_type__code", "severity")
    )
    flags = (
        RedFlagAnswer.objects.filter(report__session__clinic=clinic, present=True)
        .order_by("report__reported_at", "pk")
        .values(*common, "question__code")
    )
    for line in chain(reactions.iterator(chunk_size=CHUNK), flags.iterator(chunk_size=CHUNK)):
        yield {
            "session_external_id": line["report__session__external_id"] or str(line["report__session_id"]),
            "reported_at": line["report__reported_at"],
            "reaction": line.get("reaction_type__code"),
            "severity": line.get("severity"),
            "red_flag": line.get("question__code"),
            "note": line["report__note"],
        }


def complication_rows(clinic: Clinic) -> Iterator[dict]:
    complications = (
        Complication.objects.filter(recovery__clinic=clinic).select_related("recovery__session").order_by("onset_at")
    )
    for complication in complications.iterator(chunk_size=CHUNK):
        row = {column: getattr(complication, column, None) for column in COMPLICATIONS.names}
        row["session_external_id"] = session_number(complication.recovery.session)
        row["seriousness"] = complication.seriousness
        yield row


def _photos(archive: zipfile.ZipFile, clinic: Clinic) -> int:
    storage = photo_storage()
    count = 0
    photos = Photo.objects.filter(session__clinic=clinic).select_related("session").order_by("added_at", "pk")
    for photo in photos.iterator(chunk_size=CHUNK):
        name = f"photos/{session_number(photo.session)}/{photo.area}-{photo.pk}.jpg"
        with storage.open(photo.image_name, "rb") as source, archive.open(name, "w", force_zip64=True) as target:
            for piece in iter(lambda: source.read(1 << 16), b""):
                target.write(piece)
        count += 1
    return count


def clinic_export_write(*, clinic: Clinic, target: BinaryIO, with_photos: bool) -> dict[str, int]:
    """Write the clinic's record into `target` as a ZIP; return how many rows each file holds."""
    zone = clinic.zone
    kinds = {
        PATIENTS: patient_rows,
        PRODUCTS: product_rows,
        BATCHES: batch_rows,
        SESSIONS: session_rows,
        REACTIONS: reaction_rows,
        COMPLICATIONS: complication_rows,
    }
    counts = {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for kind, rows in kinds.items():
            counts[kind.code] = _csv(archive, f"{kind.code}.csv", kind.names, rows(clinic), zone)
        for name, (header, rows) in export_records.records(clinic).items():
            counts[name] = _csv(archive, f"{name}.csv", header, rows, zone)
        if with_photos:
            counts["photos"] = _photos(archive, clinic)
    return counts


def file_name_of(clinic: Clinic, today) -> str:
    return f"recovery-desk-{clinic.pk}-{today.isoformat()}.zip"


def sha256_of(source: BinaryIO) -> str:
    source.seek(0)
    digest = hashlib.sha256()
    for piece in iter(lambda: source.read(1 << 16), b""):
        digest.update(piece)
    source.seek(0)
    return digest.hexdigest()


def clinic_export(*, clinic: Clinic, user, target: BinaryIO, file_name: str, with_photos: bool) -> dict[str, int]:
    """Export the clinic's record into `target` (a seekable file) and write it to the trail."""
    counts = clinic_export_write(clinic=clinic, target=target, with_photos=with_photos)
    file_transfer_record(
        clinic_id=clinic.pk,
        user=user,
        direction=TransferDirection.EXPORT,
        file_name=file_name,
        sha256=sha256_of(target),
        counts=counts,
    )
    return counts
