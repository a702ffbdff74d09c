"""Reports, follow-ups and complications of the clinic's recoveries, each list narrowed by session."""

from rest_framework import generics

from recovery.models import Complication, FollowUp, ReactionReport

from .. import selectors
from ..filters import ComplicationFilter, FollowUpFilter, ReportFilter
from ..serializers.records import ComplicationSerializer, FollowUpSerializer, ReportSerializer
from .base import ClinicDetail, ClinicView


class ReportList(ClinicView, generics.ListAPIView):
    queryset = ReactionReport.objects.none()
    serializer_class = ReportSerializer
    filterset_class = ReportFilter
    ordering = ("-reported_at", "-id")

    def get_queryset(self):
        return selectors.reports_of(clinic=self.clinic)


class ReportDetail(ClinicDetail):
    queryset = ReactionReport.objects.none()
    serializer_class = ReportSerializer
    lookup_url_kwarg = "report_id"

    def get_queryset(self):
        return selectors.reports_of(clinic=self.clinic)

    def patient_of(self, record):
        return record.session.patient_id


class FollowUpList(ClinicView, generics.ListAPIView):
    queryset = FollowUp.objects.none()
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilter
    ordering = ("-recorded_at", "-id")

    def get_queryset(self):
        return selectors.follow_ups_of(clinic=self.clinic)


class FollowUpDetail(ClinicDetail):
    queryset = FollowUp.objects.none()
    serializer_class = FollowUpSerializer
    lookup_url_kwarg = "follow_up_id"

    def get_queryset(self):
        return selectors.follow_ups_of(clinic=self.clinic)

    def patient_of(self, record):
        return record.recovery.session.patient_id


class ComplicationList(ClinicView, generics.ListAPIView):
    queryset = Complication.objects.none()
    serializer_class = ComplicationSerializer
    filterset_class = ComplicationFilter
    ordering = ("-recorded_at", "-id")

    def get_queryset(self):
        return selectors.complications_of(clinic=self.clinic)


class ComplicationDetail(ClinicDetail):
    queryset = Complication.objects.none()
    serializer_class = ComplicationSerializer
    lookup_url_kwarg = "complication_id"

    def get_queryset(self):
        return selectors.complications_of(clinic=self.clinic)

    def patient_of(self, record):
        return record.recovery.session.patient_id
