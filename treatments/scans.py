"""What a scanned box is to the clinic: its product found by GTIN, its batch by lot, and whether that
batch may be used for a session. Reads only; taking a new lot into stock is `services.batch_receive`.

Each answer has an outcome the browser acts on (the names are shared with static/js/scanner.js).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clinics.models import Clinic, Membership, Role
from clinics.scoping import managed_clinic_ids_of

from . import services, wedge
from .gs1 import Label
from .models import Batch, Product

BATCH_FOUND = "batch"
UNKNOWN_PRODUCT = "unknown_product"
UNKNOWN_LOT = "unknown_lot"
REFUSED = "refused"
INVALID = "invalid"
LABEL_READ = "label"
OTHER_PRODUCT = "other_product"

LABEL_EXPIRED = gettext_lazy("This box expired on %(expiry)s, before the session date: do not use it.")
LABEL_EXPIRED_NOT_RECORD = gettext_lazy(
    "This box's label says it expired on %(box)s, before the session date, though the stock record says "
    "%(record)s: do not use it, and correct the stock record."
)


@dataclass(frozen=True)
class Scan:
    outcome: str
    message: str
    product: Product | None = None
    batch: Batch | None = None
    # A manager may take an unknown lot into stock from the scan itself, when the box allows it.
    can_register: bool = False
    warning: str = ""


def product_of(*, label: Label, clinic: Clinic) -> Product | None:
    code = {"hibc": label.hibc} if label.hibc else {"gtin": label.gtin}
    return Product.objects.filter(clinic=clinic, **code).first()


def unknown_product_message(*, label: Label, clinic: Clinic) -> str:
    return _("No product of %(clinic)s has the %(code)s: a manager can record it on the product's page.") % {
        "clinic": clinic.name,
        "code": label.product_code,
    }


def managers_of(clinic: Clinic) -> str:
    managers = Membership.objects.filter(clinic=clinic, role=Role.MANAGER).select_related("user")
    return ", ".join(sorted(str(m.user) for m in managers)) or _("your clinic's manager")


def may_register(*, user, clinic: Clinic) -> bool:
    return clinic.pk in managed_clinic_ids_of(user)


def received_on_for(*, clinic: Clinic, performed_at: datetime) -> date:
    """A lot registered while logging a session was in stock by then, at the latest today."""
    return min(timezone.localdate(timezone=clinic.zone), timezone.localtime(performed_at, clinic.zone).date())


def expiry_differs(label: Label, batch: Batch) -> str:
    """A box whose printed expiry is not the stock record's: one of the two is wrong."""
    if label.expiry and label.expiry != batch.expiry_date:
        return _("The box says it expires on %(box)s, the stock record %(record)s: check the box.") % {
            "box": date_format(label.expiry, "j N Y"),
            "record": date_format(batch.expiry_date, "j N Y"),
        }
    return ""


def scan_for_session(*, label: Label, clinic: Clinic, user, performed_at: datetime) -> Scan:
    """The batch a scanned box names, for a session of this clinic at this time, or why not."""
    if not label.lot:
        return Scan(INVALID, str(services.NO_LOT_IN_CODE))
    product = product_of(label=label, clinic=clinic)
    if product is None:
        return Scan(UNKNOWN_PRODUCT, unknown_product_message(label=label, clinic=clinic))
    batch = (
        Batch.objects.filter(product=product, lot_number__iexact=label.lot).select_related("product__clinic").first()
    )
    if batch is None:
        return _unknown_lot(label=label, product=product, clinic=clinic, user=user, performed_at=performed_at)
    if problem := services.batch_problem(batch, clinic=clinic, performed_at=performed_at):
        return Scan(REFUSED, problem, product=product, batch=batch)
    # The box in hand, not the stock record, is what goes into the patient: its own label decides.
    if _label_expired(label, clinic=clinic, performed_at=performed_at):
        message = LABEL_EXPIRED_NOT_RECORD % {
            "box": date_format(label.expiry, "j N Y"),
            "record": date_format(batch.expiry_date, "j N Y"),
        }
        return Scan(REFUSED, message, product=product, batch=batch)
    message = _("%(product)s, lot %(lot)s, expires %(expiry)s.") % {
        "product": product.name,
        "lot": batch.lot_number,
        "expiry": date_format(batch.expiry_date, "j N Y"),
    }
    return Scan(BATCH_FOUND, message, product=product, batch=batch, warning=expiry_differs(label, batch))


def _label_expired(label: Label, *, clinic: Clinic, performed_at: datetime) -> bool:
    return label.expiry is not None and label.expiry < timezone.localtime(performed_at, clinic.zone).date()


def _unknown_lot(*, label: Label, product: Product, clinic: Clinic, user, performed_at: datetime) -> Scan:
    """What staff may do with a box whose lot is not in stock: nothing if it has expired or its lot
    came through Caps Lock; a manager may register it; a practitioner asks a manager."""
    words = {"lot": label.lot, "product": product.name, "clinic": clinic.name}
    if _label_expired(label, clinic=clinic, performed_at=performed_at):
        return Scan(UNKNOWN_LOT, LABEL_EXPIRED % {"expiry": date_format(label.expiry, "j N Y")}, product=product)
    if wedge.lot_through_caps_lock(label.lot):
        return Scan(UNKNOWN_LOT, wedge.CAPS_LOCK_LOT % words, product=product)
    if not may_register(user=user, clinic=clinic):
        message = _(
            "Lot %(lot)s of %(product)s is not in %(clinic)s's stock: ask a manager (%(managers)s) to "
            "register it, or choose another batch."
        ) % {**words, "managers": managers_of(clinic)}
        return Scan(UNKNOWN_LOT, message, product=product)
    received_on = received_on_for(clinic=clinic, performed_at=performed_at)
    if problem := services.new_lot_problem(lot=label.lot, expiry=label.expiry, received_on=received_on):
        return Scan(UNKNOWN_LOT, problem, product=product)
    message = _("Lot %(lot)s of %(product)s is not in %(clinic)s's stock yet.") % words
    return Scan(UNKNOWN_LOT, message, product=product, can_register=True)


def scan_for_receiving(*, label: Label, clinic: Clinic, received_on: date) -> Scan:
    """What a box scanned at a delivery is to the clinic's stock: a lot already in it, a new lot that
    may be taken in (once staff have checked what was read), or why it may not."""
    product = product_of(label=label, clinic=clinic)
    if product is None:
        return Scan(UNKNOWN_PRODUCT, unknown_product_message(label=label, clinic=clinic))
    lot = label.lot.strip()
    if lot and (batch := Batch.objects.filter(product=product, lot_number__iexact=lot).first()):
        return Scan(BATCH_FOUND, "", product=product, batch=batch)
    if problem := services.new_lot_problem(lot=lot, expiry=label.expiry, received_on=received_on):
        return Scan(REFUSED, problem, product=product)
    return Scan(UNKNOWN_LOT, "", product=product, can_register=True)


def scan_for_batch_form(*, label: Label, product: Product) -> Scan:
    """Whether a box scanned on a product's batch form is of that product, and its lot one to fill in."""
    owner = product_of(label=label, clinic=product.clinic)
    recorded = product.hibc if label.hibc else product.gtin
    if (owner and owner != product) or (recorded and recorded != (label.hibc or label.gtin)):
        words = {"other": owner.name if owner else _("another product"), "code": label.product_code}
        return Scan(
            OTHER_PRODUCT, _("This box is %(other)s (%(code)s), not %(product)s.") % {**words, "product": product.name}
        )
    if wedge.lot_through_caps_lock(label.lot):
        return Scan(INVALID, wedge.CAPS_LOCK_LOT % {"lot": label.lot})
    message = _("Lot and expiry filled in from the box: check them and save.")
    if not recorded:
        message += " " + _("Record the product's %(code)s on its page so boxes are checked against it.") % {
            "code": label.product_code
        }
    return Scan(LABEL_READ, message, product=product)
