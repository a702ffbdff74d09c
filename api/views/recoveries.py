"""The clinic's recoveries in the order someone should act on them, as the dashboard's work queue reads
them: needing attention first (not yet acknowledged, then followed up; longest waiting first), then
overdue (most overdue first), then on track, then resolved. No default filter and no page leaves a
recovery that needs someone behind one that does not."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response

from recovery.dashboard_selectors import queue_rows, work_queue
from recovery.filters import PERIODS
from recovery.models import Recovery
from recovery.rules import Status
from treatments.models import Area

from .. import selectors
from ..filters import RecoveryFilter
from ..serializers.recoveries import RecoverySerializer
from .base import ClinicView, refusal

FILTERS = [
    OpenApiParameter(
        "status",
        str,
        enum=Status.values,
        description=_("Only recoveries with this status now. Without it, every recovery, those needing someone first."),
    ),
    OpenApiParameter(
        "period",
        str,
        enum=[days for days, _label in PERIODS],
        description=_(
            "Sessions of the last N days on the clinic's calendar, and every recovery that needs attention or is "
            "overdue whatever its date. Without it, every date."
        ),
    ),
    OpenApiParameter("practitioner", int, description=_("The practitioner's id.")),
    OpenApiParameter("area", str, enum=Area.values),
    OpenApiParameter("product", OpenApiTypes.UUID),
    OpenApiParameter("batch", OpenApiTypes.UUID),
]


class RecoveryList(ClinicView, generics.ListAPIView):
    queryset = Recovery.objects.none()
    serializer_class = RecoverySerializer
    # The work queue's order (recovery.dashboard_selectors.work_queue), the session's id last.
    ordering = ("rank", "waiting_since", "session_id")

    @extend_schema(parameters=FILTERS)
    def get(self, request):
        now = self.paginator.moment(request)
        in_clinic = selectors.recoveries_of(clinic=self.clinic, now=now)
        filters = RecoveryFilter(request.query_params, queryset=in_clinic, clinic=self.clinic, now=now)
        if not filters.is_valid():
            raise refusal(filters.errors)
        page = self.paginate_queryset(work_queue(filters.qs))
        return self.get_paginated_response(RecoverySerializer(queue_rows(page, now=now), many=True).data)


class RecoveryDetail(ClinicView, generics.RetrieveAPIView):
    queryset = Recovery.objects.none()
    serializer_class = RecoverySerializer

    def get(self, request, session_id):
        now = timezone.now()
        recovery = work_queue(selectors.recoveries_of(clinic=self.clinic, now=now).filter(pk=session_id)).first()
        if recovery is None:
            raise Http404
        self.trail_patient_id = recovery.session.patient_id
        return Response(RecoverySerializer(queue_rows([recovery], now=now)[0]).data)
