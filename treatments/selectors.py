from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery

from patients.models import Patient

from .models import Batch, Product, SessionArea, SessionProduct, TreatmentSession


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
    return product.batches.annotate(session_count=Count("uses__session", distinct=True)).order_by("-received_on")


def patients_of_batch(*, batch: Batch) -> QuerySet:
    """Everyone who received the batch, once each, with the last time they did."""
    uses = SessionProduct.objects.filter(batch=batch)
    last_use = uses.filter(session__patient_id=OuterRef("pk")).order_by("-session__performed_at")
    return (
        Patient.objects.filter(clinic_id=batch.product.clinic_id, pk__in=uses.values("session__patient_id"))
        .annotate(last_use=Subquery(last_use.values("session__performed_at")[:1]))
        .order_by("last_name", "first_name", "pk")
    )
