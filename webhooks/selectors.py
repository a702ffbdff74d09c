"""Reads for the webhook pages, scoped to the clinics the reader manages."""

from django.db.models import OuterRef, QuerySet, Subquery

from clinics.scoping import managed_clinic_ids_of

from .models import Attempt, Delivery, Endpoint


def managed_endpoints(user) -> QuerySet:
    return Endpoint.objects.filter(clinic_id__in=managed_clinic_ids_of(user)).select_related("clinic")


def managed_deliveries(user) -> QuerySet:
    return Delivery.objects.filter(endpoint__clinic_id__in=managed_clinic_ids_of(user)).select_related(
        "event", "endpoint__clinic", "resent_by"
    )


def delivery_log(*, endpoint: Endpoint) -> QuerySet:
    """The endpoint's deliveries, newest first, each with what its last attempt came to."""
    last = Attempt.objects.filter(delivery=OuterRef("pk")).order_by("-at", "-pk")
    return (
        Delivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .annotate(last_status=Subquery(last.values("status_code")[:1]))
        .order_by("-created_at", "-pk")
    )
