from rest_framework import generics

from treatments.models import Batch

from .. import selectors
from ..filters import BatchFilter
from ..serializers.batches import BatchSerializer
from .base import ClinicDetail, ClinicView


class BatchList(ClinicView, generics.ListAPIView):
    """The clinic's stock, every batch with whether it is quarantined (and why)."""

    queryset = Batch.objects.none()
    serializer_class = BatchSerializer
    filterset_class = BatchFilter
    ordering = ("expiry_date", "id")

    def get_queryset(self):
        return selectors.batches_of(clinic=self.clinic)


class BatchDetail(ClinicDetail):
    queryset = Batch.objects.none()
    serializer_class = BatchSerializer
    lookup_url_kwarg = "batch_id"

    def get_queryset(self):
        return selectors.batches_of(clinic=self.clinic)
