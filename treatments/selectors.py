from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from patients.models import Patient

from .models import Batch, InjectionPoint, Product, SessionArea, SessionProduct, TreatmentSession
from .services import PointPlaced, batch_problem


def _with_record(sessions: QuerySet) -> QuerySet:
    """Everything a session row shows, in a fixed number of queries whatever the row count."""
    return sessions.select_related("patient", "practitioner", "clinic").prefetch_related(
        Prefetch("areas", queryset=SessionArea.objects.order_by("area")),
        Prefetch(
            "products_used",
            queryset=SessionProduct.objects.select_related("batch__product").order_by("pk"),
        ),
    )


def session_list(*, user) -> QuerySet:
    return _with_record(TreatmentSession.objects.visible_to(user)).order_by("-performed_at")


def sessions_of_patient(*, patient: Patient) -> QuerySet:
    return _with_record(patient.sessions.all()).order_by("-performed_at", "-created_at")


def session_detail_queryset(*, user) -> QuerySet:
    return _with_record(TreatmentSession.objects.visible_to(user)).select_related("recorded_by")


def product_list(*, user) -> QuerySet:
    return (
        Product.objects.managed_by(user)
        .select_related("clinic")
        .annotate(batch_count=Count("batches"))
        .order_by("clinic__name", "name")
    )


def batches_of_product(*, product: Product) -> QuerySet:
    """The product's batches, each with how many sessions used it: counted batch by batch from the
    index of uses, where one count over the product's uses would read every use of every product."""
    sessions = (
        SessionProduct.objects.filter(batch_id=OuterRef("pk"))
        .order_by()
        .values("batch_id")
        .annotate(n=Count("session_id", distinct=True))
        .values("n")
    )
    return product.batches.annotate(session_count=Coalesce(Subquery(sessions), 0)).order_by("-received_on")


def patients_of_batch(*, batch: Batch) -> QuerySet:
    """Everyone who received the batch, once each, with the last time they did: found from the index of
    the batch's uses, which holds each one's patient."""
    uses = SessionProduct.objects.filter(batch=batch)
    last_use = uses.filter(session__patient_id=OuterRef("pk")).order_by("-performed_at")
    return (
        Patient.objects.filter(clinic_id=batch.product.clinic_id, pk__in=uses.values("patient_id"))
        .annotate(last_use=Subquery(last_use.values("performed_at")[:1]))
        .order_by("last_name", "first_name", "pk")
    )


class PatientsToContact:
    """The batch's patients by name, as a paginator reads them: counted from the index of the batch's
    uses alone, where counting the patients' rows would read each one."""

    def __init__(self, *, batch: Batch) -> None:
        self.batch = batch
        self.patients = patients_of_batch(batch=batch)

    def count(self) -> int:
        return SessionProduct.objects.filter(batch=self.batch).values("patient_id").distinct().count()

    def __getitem__(self, page: slice) -> list[Patient]:
        return list(self.patients[page])


@dataclass(frozen=True)
class NextSession:
    """What the next session of a series starts from: the previous one, to confirm or change."""

    previous: TreatmentSession
    initial: dict
    products: list[dict]
    # Products of the previous session with no batch that can be used now.
    out_of_stock: list[Product]
    # The previous chart's points, on the same product rows (a product out of stock takes its points with it).
    points: list[PointPlaced]


def next_session_of(*, previous: TreatmentSession, at: datetime) -> NextSession:
    """The previous session's areas, chart, technique, aftercare and products: the same batch if it
    can still be used at `at`, else the product's newest batch that can, else the product is named
    as out of stock. Nothing is saved here."""
    areas = list(previous.areas.all())
    products, out_of_stock, row_of_use = [], [], {}
    for use in previous.products_used.select_related("batch__product__clinic"):
        batch = use.batch
        if batch_problem(batch, clinic=previous.clinic, performed_at=at):
            batch = next(
                (
                    candidate
                    for candidate in batch.product.batches.filter(quarantined_at__isnull=True).order_by(
                        "-received_on", "-expiry_date"
                    )
                    if not batch_problem(candidate, clinic=previous.clinic, performed_at=at)
                ),
                None,
            )
        if batch is None:
            out_of_stock.append(use.batch.product)
        else:
            row_of_use[use.pk] = len(products)
            products.append({"batch": batch, "volume_ml": use.volume_ml})
    points = [
        PointPlaced(
            diagram=point.diagram,
            zone=point.zone,
            x=point.x,
            y=point.y,
            product=row_of_use[point.product_use_id],
            volume_ml=point.volume_ml,
        )
        for point in previous.injection_points.all()
        if point.product_use_id in row_of_use
    ]
    initial = {
        "areas": [a.area for a in areas],
        "area_other": next((a.description for a in areas if a.description), ""),
        "technique": previous.technique,
        "technique_other": previous.technique_other,
        "aftercare": list(previous.aftercare),
        "zones": [zone.zone for zone in previous.zones.all()],
    }
    return NextSession(previous=previous, initial=initial, products=products, out_of_stock=out_of_stock, points=points)


@dataclass(frozen=True)
class SessionChart:
    areas: list[str]
    zones: list[str]
    points: list[InjectionPoint]


def session_chart(*, session: TreatmentSession) -> SessionChart:
    """What the session's chart shows, in two queries when its areas and product uses are prefetched
    (as `session_detail_queryset` does): each point takes its product's use from the session's own."""
    zones = list(session.zones.values_list("zone", flat=True))
    # A point is placed only on a charted zone (`services.chart_problems`): an uncharted session has none.
    points = list(session.injection_points.all()) if zones else []
    if points:
        uses = {use.pk: use for use in session.products_used.all()}
        for point in points:
            point.product_use = uses[point.product_use_id]
    return SessionChart(areas=[row.area for row in session.areas.all()], zones=zones, points=points)
