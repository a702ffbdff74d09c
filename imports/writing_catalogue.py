"""Writing an import's patients, products and batches: each kind in a few statements, keyed as
columns.py says (patients by external id, products by GTIN else name and manufacturer, batches by
product and lot), so a second import of the same file finds every row and adds none."""

from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from patients.models import Patient
from treatments.models import Batch, Product

from .columns import BATCH_FIELDS, PATIENT_FIELDS, PRODUCT_FIELDS
from .writing_rows import BATCH_SIZE, Tally, in_batches, product_key


def _present(row: dict, fields: Iterable[str], model) -> dict:
    """The row's values for these fields, an empty cell read as the model's own default."""
    values = {}
    for field in fields:
        if field not in row:
            continue
        value = row[field]
        values[field] = model._meta.get_field(field).get_default() if value in (None, "") else value
    return values


def _given(row: dict, fields: Iterable[str]) -> dict:
    """The row's filled cells: updating a record, an empty cell keeps what is stored."""
    return {field: row[field] for field in fields if row.get(field) not in (None, "")}


def _merged(model, updates: dict) -> tuple[list, list[str]]:
    """The stored records ({id: values}) with the file's values over them, read in one query."""
    stored = model.objects.in_bulk(list(updates))
    fields: set[str] = set()
    for pk, values in updates.items():
        # The checks name records by their id as text, the database by its own type.
        record = stored[model._meta.pk.to_python(pk)]
        for field, value in values.items():
            setattr(record, field, value)
            fields.add(field)
    return list(stored.values()), sorted(fields)


def _patient_values(row: dict, *, today: date) -> dict:
    values = _present(row, PATIENT_FIELDS, Patient)
    # The database holds that a consent to photos has its date: the day it is brought in.
    if "consents_to_photos" in values:
        values["photo_consent_on"] = today if values["consents_to_photos"] else None
    return values


def patients_write(*, clinic, rows: list[dict], tally: Tally, progress) -> dict[str, object]:
    """Create, update or skip each patient; return every patient of the file by external id."""
    today = timezone.localdate(timezone.now(), clinic.zone)
    ids = dict(Patient.objects.filter(clinic=clinic).exclude(external_id="").values_list("external_id", "id"))
    for batch in in_batches(rows):
        new, updates = [], {}
        for row in batch:
            action = row.get("action", "create")
            external_id = row["external_id"]
            # Found by the checks: imported before under this number, one of ours by its id, or the
            # same person as one of ours by the manager's answer.
            found = row.get("existing_patient_id") or row.get("existing_id")
            if action == "skip":
                ids.setdefault(external_id, found)
                tally.add("patients", "skipped")
                continue
            known = ids.get(external_id) or found
            if known is None:
                patient = Patient(clinic=clinic, external_id=external_id, **_patient_values(row, today=today))
                new.append(patient)
                ids[external_id] = patient.pk
                tally.add("patients", "created")
                continue
            # A patient already here (imported before, or the same person as one of ours) keeps
            # their record and takes the file's number, so a later import finds them.
            updates[known] = _given(row, PATIENT_FIELDS)
            # Named by our own id, as the export writes it, there is no other system's number to keep.
            if external_id != str(known):
                updates[known]["external_id"] = external_id
            ids[external_id] = known
            tally.add("patients", "updated")
        Patient.objects.bulk_create(new, batch_size=BATCH_SIZE)
        if updates:
            changed, fields = _merged(Patient, updates)
            for patient in changed:
                # Consent to photos keeps the day it was first given; withdrawn, it has none.
                patient.photo_consent_set(patient.consents_to_photos, today=today)
            Patient.objects.bulk_update(changed, [*fields, "photo_consent_on"], batch_size=BATCH_SIZE)
        progress(len(batch))
    return ids


def _normalised_gtin(gtin: str | None) -> str:
    gtin = (gtin or "").strip()
    return gtin.zfill(14) if gtin.isdigit() else gtin


def products_write(*, clinic, rows: list[dict], tally: Tally, progress) -> dict[tuple, object]:
    """Create, update or skip each product; return the clinic's products by GTIN and by name and maker."""
    keys: dict[tuple, object] = {}
    for pk, gtin, name, manufacturer in Product.objects.filter(clinic=clinic).values_list(
        "pk", "gtin", "name", "manufacturer"
    ):
        keys[("name", name.casefold(), manufacturer.casefold())] = pk
        if gtin:
            keys[("gtin", gtin)] = pk
    new, updates = [], {}
    for row in rows:
        values = _present(row, PRODUCT_FIELDS, Product)
        values["gtin"] = _normalised_gtin(values.get("gtin"))
        by_name = ("name", values["name"].casefold(), values["manufacturer"].casefold())
        known = keys.get(("gtin", values["gtin"])) if values["gtin"] else None
        known = known or keys.get(by_name)
        if row.get("action") == "skip":
            tally.add("products", "skipped")
            continue
        if known is None:
            product = Product(clinic=clinic, **values)
            new.append(product)
            known = product.pk
            tally.add("products", "created")
        else:
            updates[known] = {**_given(row, PRODUCT_FIELDS), **({"gtin": values["gtin"]} if values["gtin"] else {})}
            tally.add("products", "updated")
        keys[by_name] = known
        if values["gtin"]:
            keys[("gtin", values["gtin"])] = known
    Product.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if updates:
        changed, fields = _merged(Product, updates)
        Product.objects.bulk_update(changed, fields, batch_size=BATCH_SIZE)
    progress(len(rows))
    return keys


def product_of(products: dict[tuple, object], row: dict):
    """The product a batch or a session's line names, by GTIN, else by name and manufacturer."""
    for key in product_key(row, gtin=_normalised_gtin(row.get("product_gtin"))):
        if key in products:
            return products[key]
    raise ValueError(f"product not in the catalogue: {row}")


def batches_write(*, clinic, rows: list[dict], products: dict, tally: Tally, progress) -> dict[tuple, dict]:
    """Create, update or skip each batch; return the clinic's batches by (product id, lot in lower case)."""
    batches = {
        (product_id, lot.casefold()): {"pk": pk, "expiry_date": expiry}
        for pk, product_id, lot, expiry in Batch.objects.filter(product__clinic=clinic).values_list(
            "pk", "product_id", "lot_number", "expiry_date"
        )
    }
    new, updates = [], {}
    for row in rows:
        product_id = product_of(products, row)
        key = (product_id, row["lot_number"].strip().casefold())
        if row.get("action") == "skip":
            tally.add("batches", "skipped")
            continue
        values = _present(row, BATCH_FIELDS, Batch)
        if key in batches:
            updates[batches[key]["pk"]] = _given(row, BATCH_FIELDS)
            batches[key]["expiry_date"] = updates[batches[key]["pk"]].get("expiry_date", batches[key]["expiry_date"])
            tally.add("batches", "updated")
        else:
            batch = Batch(product_id=product_id, lot_number=row["lot_number"].strip(), **values)
            new.append(batch)
            batches[key] = {"pk": batch.pk, "expiry_date": values["expiry_date"]}
            tally.add("batches", "created")
    Batch.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if updates:
        changed, fields = _merged(Batch, updates)
        Batch.objects.bulk_update(changed, fields, batch_size=BATCH_SIZE)
    progress(len(rows))
    return batches
