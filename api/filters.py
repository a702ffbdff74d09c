"""What a token's lists can be narrowed by. The recoveries take the dashboard's own filters."""

import django_filters
from django.utils.translation import gettext_lazy as _

from recovery.filters import DashboardFilter
from recovery.models import Complication, FollowUp, ReactionReport
from treatments.models import Batch, TreatmentSession


class RecoveryFilter(DashboardFilter):
    """The dashboard's filters for one clinic's token: neither "my sessions" nor a choice of clinic, and no
    period unless one is asked for. As on the dashboard, a period never leaves out a recovery that needs
    attention or is overdue; a status chosen lists that status alone."""

    scope = None

    def __init__(self, *args, clinic, now, **kwargs):
        super().__init__(*args, clinics=[clinic], now=now, **kwargs)


class SessionFilter(django_filters.FilterSet):
    patient = django_filters.UUIDFilter(field_name="patient_id", label=_("Patient"))
    performed_after = django_filters.IsoDateTimeFilter(field_name="performed_at", lookup_expr="gte")
    performed_before = django_filters.IsoDateTimeFilter(field_name="performed_at", lookup_expr="lt")

    class Meta:
        model = TreatmentSession
        fields = []


class ReportFilter(django_filters.FilterSet):
    session = django_filters.UUIDFilter(field_name="session_id", label=_("Session"))

    class Meta:
        model = ReactionReport
        fields = []


class FollowUpFilter(django_filters.FilterSet):
    session = django_filters.UUIDFilter(field_name="recovery_id", label=_("Session"))

    class Meta:
        model = FollowUp
        fields = []


class ComplicationFilter(django_filters.FilterSet):
    session = django_filters.UUIDFilter(field_name="recovery_id", label=_("Session"))

    class Meta:
        model = Complication
        fields = []


class BatchFilter(django_filters.FilterSet):
    product = django_filters.UUIDFilter(field_name="product_id", label=_("Product"))
    quarantined = django_filters.BooleanFilter(
        field_name="quarantined_at", lookup_expr="isnull", exclude=True, label=_("Quarantined")
    )

    class Meta:
        model = Batch
        fields = []
