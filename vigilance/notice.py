"""What the manufacturer is told of a lot: the product, the lot, how many sessions and patients it
went to (the denominator the registries lack), and the complications confirmed after it, with
nothing that names or singles out a patient."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch
from django.utils import timezone

from clinics.scoping import managed_clinic_ids_of
from recovery.models import SERIOUSNESS, Complication, SuspectProduct
from treatments.models import Batch, SessionProduct


@dataclass(frozen=True)
class NoticeEvent:
    complication: Complication
    session_on: date
    onset_on: date
    criteria: list[str]
    # This lot's causality when the clinician named it a suspect; empty when another lot was.
    causality: str


@dataclass(frozen=True)
class Notice:
    batch: Batch
    sessions: int
    patients: int
    events: list[NoticeEvent]


def notice_batches(user):
    """The lots of the clinics the user manages, with what the notice says of their product."""
    return Batch.objects.filter(product__clinic_id__in=managed_clinic_ids_of(user)).select_related("product__clinic")


def confirmed_after(batch: Batch):
    """The complications confirmed after a session that used the lot."""
    return Complication.objects.filter(recovery__session__products_used__batch=batch).distinct()


def has_confirmed_events(batch: Batch) -> bool:
    return confirmed_after(batch).exists()


def batch_notice(batch: Batch) -> Notice:
    uses = SessionProduct.objects.filter(batch=batch).aggregate(
        sessions=Count("session", distinct=True), patients=Count("session__patient", distinct=True)
    )
    zone = batch.product.clinic.zone
    complications = (
        confirmed_after(batch)
        .select_related("recovery__session")
        .prefetch_related(
            Prefetch(
                "suspects",
                queryset=SuspectProduct.objects.filter(session_product__batch=batch),
                to_attr="suspected_lot",
            )
        )
        .order_by("onset_at", "pk")
    )
    events = [
        NoticeEvent(
            complication=complication,
            session_on=timezone.localtime(complication.recovery.session.performed_at, zone).date(),
            onset_on=timezone.localtime(complication.onset_at, zone).date(),
            criteria=[str(SERIOUSNESS[field]) for field in complication.seriousness],
            causality=complication.suspected_lot[0].get_causality_display() if complication.suspected_lot else "",
        )
        for complication in complications
    ]
    return Notice(batch=batch, sessions=uses["sessions"], patients=uses["patients"], events=events)
