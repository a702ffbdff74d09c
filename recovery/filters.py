from datetime import datetime, time, timedelta

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic
from clinics.scoping import clinics_of, is_manager
from clinics.widgets import LongSelect
from treatments.models import Area, Batch, Product, SessionArea, SessionProduct

from .models import needs_someone, status_is
from .rules import Status

PERIODS = [("7", _("Last 7 days")), ("14", _("Last 14 days")), ("30", _("Last 30 days")), ("90", _("Last 90 days"))]
DEFAULT_PERIOD = "14"
MINE, CLINIC = "mine", "clinic"


class DashboardFilter(django_filters.FilterSet):
    """The dashboard's filters, read from and kept in the URL.

    Bound with `dashboard_params()`, so that the period and the scope have their
    defaults when the URL does not name them.
    """

    period = django_filters.ChoiceFilter(
        label=_("Period"), choices=PERIODS, method="filter_period", empty_label=None, widget=LongSelect
    )
    scope = django_filters.ChoiceFilter(
        label=_("Sessions"),
        choices=[(MINE, _("My sessions")), (CLINIC, _("Whole clinic"))],
        method="filter_scope",
        empty_label=None,
        widget=LongSelect,
    )
    clinic = django_filters.ModelChoiceFilter(
        label=_("Clinic"),
        field_name="clinic",
        queryset=Clinic.objects.none(),
        empty_label=_("All clinics"),
        widget=LongSelect,
    )
    practitioner = django_filters.ModelChoiceFilter(
        label=_("Practitioner"),
        field_name="practitioner",
        queryset=get_user_model().objects.none(),
        empty_label=_("Everyone"),
        widget=LongSelect,
    )
    area = django_filters.ChoiceFilter(
        label=_("Area"), choices=Area.choices, method="filter_area", empty_label=_("Any area"), widget=LongSelect
    )
    product = django_filters.ModelChoiceFilter(
        label=_("Product"),
        queryset=Product.objects.none(),
        method="filter_product",
        empty_label=_("Any product"),
        widget=LongSelect,
    )
    batch = django_filters.ModelChoiceFilter(
        label=_("Batch"),
        queryset=Batch.objects.none(),
        method="filter_batch",
        empty_label=_("Any batch"),
        widget=LongSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Status.choices,
        method="filter_status",
        empty_label=_("Needs attention or overdue"),
        widget=LongSelect,
    )

    def __init__(self, *args, user=None, clinics=None, now=None, **kwargs):
        """Scoped to the user's clinics, or to `clinics` for a reader who is no member of staff (an API token)."""
        super().__init__(*args, **kwargs)
        self.user = user
        self.now = now or timezone.now()
        self.clinics = clinics_of(user) if clinics is None else list(clinics)
        clinic_ids = [clinic.pk for clinic in self.clinics]
        self.filters["clinic"].queryset = Clinic.objects.filter(pk__in=clinic_ids)
        self.filters["practitioner"].queryset = (
            get_user_model().objects.filter(memberships__clinic_id__in=clinic_ids).distinct().order_by("first_name")
        )
        self.filters["product"].queryset = Product.objects.filter(clinic_id__in=clinic_ids).order_by("name")
        self.filters["batch"].queryset = (
            Batch.objects.filter(product__clinic_id__in=clinic_ids).select_related("product").order_by("lot_number")
        )
        if len(clinic_ids) < 2:
            del self.filters["clinic"]
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def filter_period(self, queryset, name, value):
        # A recovery that needs someone stays in view however old its session: the period
        # chooses only which on-track and resolved recoveries are counted.
        return queryset.filter(self.in_period(value) | needs_someone(self.now))

    def in_period(self, days: str | None = None) -> Q:
        """Sessions of the period: "last 14 days" is 14 days of each clinic's calendar, today included,
        as the chart counts them. Every session when the filters name no period."""
        days = days or (self.form.cleaned_data.get("period") if self.is_valid() else None)
        if not days:
            return Q()
        in_period = Q(pk__in=[])
        for clinic in self.clinics:
            first_day = timezone.localdate(self.now, clinic.zone) - timedelta(days=int(days) - 1)
            starts = datetime.combine(first_day, time.min, tzinfo=clinic.zone)
            in_period |= Q(clinic_id=clinic.pk, performed_at__gte=starts)
        return in_period

    def filter_scope(self, queryset, name, value):
        # Choosing a practitioner is choosing whose sessions to see.
        if value == MINE and not self.form.cleaned_data.get("practitioner"):
            return queryset.filter(practitioner=self.user)
        return queryset

    def filter_area(self, queryset, name, value):
        return queryset.filter(Exists(SessionArea.objects.filter(session_id=OuterRef("session_id"), area=value)))

    def filter_product(self, queryset, name, value):
        return queryset.filter(
            Exists(SessionProduct.objects.filter(session_id=OuterRef("session_id"), batch__product=value))
        )

    def filter_batch(self, queryset, name, value):
        return queryset.filter(Exists(SessionProduct.objects.filter(session_id=OuterRef("session_id"), batch=value)))

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_is(value, self.now))

    @property
    def qs(self):
        # A filter value outside the user's clinics matches nothing rather than being ignored.
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs

    @property
    def chosen_status(self) -> str:
        return self.form.cleaned_data.get("status", "") if self.is_valid() else ""

    @property
    def narrows_who_needs_someone(self) -> bool:
        """Whether these filters leave out any recovery that needs someone: the period never does."""
        if not self.is_valid():
            return True
        chosen = self.form.cleaned_data
        return chosen.get("scope") == MINE or any(
            chosen.get(name) for name in ("clinic", "practitioner", "area", "product", "batch")
        )

    @property
    def queue(self):
        """The filtered recoveries the work queue lists: by default, those that need someone."""
        queryset = self.qs
        if not self.chosen_status:
            queryset = queryset.filter(needs_someone(self.now))
        return queryset

    @property
    def open(self):
        """Every filtered recovery not resolved: the feed's `open` view, whatever the session's date."""
        queryset = self.qs
        if not self.chosen_status:
            queryset = queryset.exclude(status_is(Status.RESOLVED, self.now))
        return queryset


def dashboard_params(query, *, user, every_date: bool = False) -> dict:
    """The URL's filters with their defaults: 14 days, or every date; practitioners see their own sessions first."""
    params = query.copy()
    if every_date:
        params.pop("period", None)
    elif not params.get("period"):
        params["period"] = DEFAULT_PERIOD
    if not params.get("scope"):
        params["scope"] = CLINIC if is_manager(user) else MINE
    return params


def without(params, *names):
    """The same filters less some: the counts ignore the status, the 30-day chart the period."""
    rest = params.copy()
    for name in names:
        rest.pop(name, None)
    return rest
