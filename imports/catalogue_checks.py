"""The products and batches of a dry run, and how a line names one: against the clinic's catalogue and
the products and batches files of the same import.

A product is named by its GTIN, else by its name and manufacturer; a batch by its product and lot
number, whatever the lot's case (the catalogue holds a lot once per product, whatever its case).
"""

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError

from treatments.gs1 import gtin_normalised
from treatments.models import Batch, Product, lot_number_validator

from . import messages
from .accepted import folded
from .columns import BATCH_FIELDS, PRODUCT_FIELDS
from .dry_run import DryRun, Line, same
from .plan import Action


@dataclass
class Known:
    """A product as the import knows it: stored, or in the products file; and its lots."""

    label: str
    existing_id: str | None = None
    # {lot number, lower case: (its expiry date, its stored batch's id or None)}
    lots: dict[str, tuple[date, str | None]] = field(default_factory=dict)


@dataclass
class Catalogue:
    by_gtin: dict[str, Known] = field(default_factory=dict)
    by_name: dict[tuple[str, str], Known] = field(default_factory=dict)

    def add(self, known: Known, *, gtin: str, name: str, manufacturer: str) -> Known:
        if gtin:
            known = self.by_gtin.setdefault(gtin, known)
        return self.by_name.setdefault((folded(name), folded(manufacturer)), known)

    def find(self, *, gtin: str, name: str, manufacturer: str) -> Known | None:
        if gtin:
            return self.by_gtin.get(gtin)
        return self.by_name.get((folded(name), folded(manufacturer)))


def catalogue_of(run: DryRun) -> Catalogue:
    """The clinic's stored products and batches, read in two queries."""
    catalogue = Catalogue()
    products = {}
    for product in Product.objects.filter(clinic=run.clinic).only(*PRODUCT_FIELDS):
        products[product.pk] = catalogue.add(
            Known(label=str(product), existing_id=str(product.pk)),
            gtin=product.gtin,
            name=product.name,
            manufacturer=product.manufacturer,
        )
    for product_id, lot, expiry, batch_id in Batch.objects.filter(product__clinic=run.clinic).values_list(
        "product_id", "lot_number", "expiry_date", "pk"
    ):
        products[product_id].lots[lot.lower()] = (expiry, str(batch_id))
    return catalogue


@lru_cache(maxsize=4096)
def _gtin_read(typed: str) -> str | None:
    try:
        return gtin_normalised(typed)
    except ValidationError:
        return None


def _gtin(run: DryRun, kind: str, line: Line, column: str) -> str:
    typed = line.values.get(column) or ""
    if not typed:
        return ""
    gtin = _gtin_read(typed)
    if gtin is None:
        run.refuse(kind, line, column, messages.BAD_GTIN, value=typed[:40])
        return ""
    line.values[column] = gtin
    return gtin


def products_checked(run: DryRun, lines: list[Line], catalogue: Catalogue) -> None:
    stored = {str(product.pk): product for product in Product.objects.filter(clinic=run.clinic)}
    first_lines: dict[int, int] = {}
    for line in lines:
        gtin = _gtin(run, "products", line, "gtin")
        name, manufacturer = line.values.get("name") or "", line.values.get("manufacturer") or ""
        known = catalogue.find(gtin=gtin, name=name, manufacturer=manufacturer)
        if known is not None and id(known) in first_lines:
            column = "gtin" if gtin else "name"
            first_line = first_lines[id(known)]
            run.refuse("products", line, column, messages.TWICE_IN_FILE, value=gtin or name, first_line=first_line)
            continue
        if known is None:
            known = catalogue.add(
                Known(label=f"{name} ({manufacturer})"), gtin=gtin, name=name, manufacturer=manufacturer
            )
        first_lines[id(known)] = line.number
        if line.refused:
            continue
        action = Action.CREATE
        if known.existing_id:
            product = stored[known.existing_id]
            unchanged = all(same(getattr(product, name), line.values.get(name)) for name in PRODUCT_FIELDS)
            action = Action.SKIP if unchanged else Action.UPDATE
        run.row("products", line, action, known.existing_id)


def product_named(run: DryRun, kind: str, line: Line, catalogue: Catalogue) -> Known | None:
    """The product a batch or session line names, or None with the line refused."""
    gtin = _gtin(run, kind, line, "product_gtin")
    if line.refused and line.values.get("product_gtin") and not gtin:
        return None
    name = line.values.get("product_name") or ""
    manufacturer = line.values.get("product_manufacturer") or ""
    if not gtin and not (name and manufacturer):
        run.refuse(kind, line, "product_gtin", messages.NO_PRODUCT_NAMED)
        return None
    known = catalogue.find(gtin=gtin, name=name, manufacturer=manufacturer)
    if known is None:
        run.refuse(
            kind,
            line,
            "product_gtin" if gtin else "product_name",
            messages.UNKNOWN_PRODUCT,
            value=gtin or f"{name} ({manufacturer})",
        )
    return known


def batches_checked(run: DryRun, lines: list[Line], catalogue: Catalogue) -> None:
    stored = {str(batch.pk): batch for batch in Batch.objects.filter(product__clinic=run.clinic).only(*BATCH_FIELDS)}
    first_lines: dict[tuple[int, str], int] = {}
    for line in lines:
        known = product_named(run, "batches", line, catalogue)
        lot = line.values.get("lot_number") or ""
        if lot:
            try:
                lot_number_validator(lot)
            except ValidationError:
                run.refuse("batches", line, "lot_number", messages.BAD_LOT, value=lot[:60])
        expiry, received = line.values.get("expiry_date"), line.values.get("received_on")
        if expiry and received and expiry < received:
            run.refuse("batches", line, "expiry_date", messages.EXPIRES_BEFORE_RECEIVED)
        if known is None or not lot:
            continue
        key = (id(known), lot.lower())
        if key in first_lines:
            run.refuse("batches", line, "lot_number", messages.TWICE_IN_FILE, value=lot, first_line=first_lines[key])
            continue
        first_lines[key] = line.number
        existing_id = known.lots.get(lot.lower(), (None, None))[1]
        known.lots[lot.lower()] = (expiry, existing_id)
        if line.refused:
            continue
        action = Action.CREATE
        if existing_id:
            batch = stored[existing_id]
            unchanged = all(same(getattr(batch, name), line.values.get(name)) for name in BATCH_FIELDS)
            action = Action.SKIP if unchanged else Action.UPDATE
        run.row("batches", line, action, existing_id)
