"""What a scanned box is to the clinic: its product found by GTIN, its batch by lot, and whether that
batch may be used for a session. Reads only; registering a new lot is `services.batch_receive`."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clinics.models import Clinic, Membership, Role
from clinics.scoping import managed_clinic_ids_of

from . import services
from .gs1 import Label
from .models import Batch, Product

FOUND = "batch"
UNKNOWN_PRODUCT = "unknown_product"
UNKNOWN_LOT = "unknown_lot"
REFUSED = "refused"


@dataclass(frozen=True)
class Scan:
    outcome: str
    message: str
    product: Product | None = None
    batch: Batch | None = None
    # A manager may take an unknown lot into stock from the scan itself.
    can_register: bool = False
    warning: str = ""


def product_of(*, label: Label, clinic: Clinic) -> Product | None:
    return Product.objects.filter(clinic=clinic, gtin=label.gtin).first()


def unknown_product_message(*, label: Label, clinic: Clinic) -> str:
    return _("No product of %(clinic)s has the GTIN %(gtin)s: a manager can record it on the product's page.") % {
        "clinic": clinic.name,
        "gtin": label.gtin,
    }


def managers_of(clinic: Clinic) -> str:
    managers = Membership.objects.filter(clinic=clinic, role=Role.MANAGER).select_related("user")
    return ", ".join(sorted(str(m.user) for m in managers)) or _("your clinic's manager")


def scan_for_session(*, label: Label, clinic: Clinic, user, performed_at: datetime) -> Scan:
    """The batch a scanned box names, for a session of this clinic at this time, or why not."""
    product = product_of(label=label, clinic=clinic)
    if product is None:
        return Scan(UNKNOWN_PRODUCT, unknown_product_message(label=label, clinic=clinic))
    batch = (
        Batch.objects.filter(product=product, lot_number__iexact=label.lot).select_related("product__clinic").first()
        if label.lot
        else None
    )
    if batch is None:
        can_register = clinic.pk in managed_clinic_ids_of(user)
        words = {"lot": label.lot or "?", "product": product.name, "clinic": clinic.name}
        if can_register:
            message = _("Lot %(lot)s of %(product)s is not in %(clinic)s's stock yet.") % words
        else:
            message = _(
                "Lot %(lot)s of %(product)s is not in %(clinic)s's stock: ask a manager (%(managers)s) to "
                "register it, or choose another batch."
            ) % {**words, "managers": managers_of(clinic)}
        return Scan(UNKNOWN_LOT, message, product=product, can_register=can_register and bool(label.lot))
    if problem := services.batch_problem(batch, clinic=clinic, performed_at=performed_at):
        return Scan(REFUSED, problem, product=product, batch=batch)
    warning = ""
    if label.expiry and label.expiry != batch.expiry_date:
        warning = _("The box says it expires on %(box)s, the stock record %(record)s: check the box.") % {
            "box": date_format(label.expiry, "d M Y"),
            "record": date_format(batch.expiry_date, "d M Y"),
        }
    message = _("%(product)s, lot %(lot)s, expires %(expiry)s.") % {
        "product": product.name,
        "lot": batch.lot_number,
        "expiry": date_format(batch.expiry_date, "d M Y"),
    }
    return Scan(FOUND, message, product=product, batch=batch, warning=warning)
