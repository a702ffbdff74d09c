from dataclasses import replace
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from clinics.clocks import WallClockField, on_clinic_clock
from clinics.forms import show_service_errors
from clinics.limits import NOTE_MAX_LENGTH
from clinics.scoping import clinic_ids_of, clinics_of
from patients.models import Patient

from . import selectors, services
from .chart_forms import ChartFields, points_as_json
from .models import Aftercare, Area, Batch, Technique, TreatmentSession

DATETIME_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


PATIENT_NOT_FOUND = _("Choose one of your clinic's patients.")
PRACTITIONER_NOT_FOUND = _("Choose a practitioner of your clinic.")
BATCH_NOT_FOUND = _("Choose a batch from your clinic's stock.")


class PatientChoiceField(forms.ModelChoiceField):
    """Name and date of birth, so that two patients of the same name cannot be confused."""

    def __init__(self, *args, show_clinic: bool = False, **kwargs):
        self.show_clinic = show_clinic
        super().__init__(*args, **kwargs)

    def label_from_instance(self, patient: Patient) -> str:
        label = _("%(name)s, born %(born)s") % {
            "name": patient.full_name,
            "born": date_format(patient.date_of_birth, "SHORT_DATE_FORMAT"),
        }
        return f"{label} · {patient.clinic.name}" if self.show_clinic else label


class BatchChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, show_clinic: bool = False, **kwargs):
        self.show_clinic = show_clinic
        super().__init__(*args, **kwargs)

    def label_from_instance(self, batch: Batch) -> str:
        label = _("%(product)s – lot %(lot)s, expires %(expiry)s") % {
            "product": batch.product.name,
            "lot": batch.lot_number,
            "expiry": date_format(batch.expiry_date, "SHORT_DATE_FORMAT"),
        }
        if batch.expiry_date < timezone.localdate():
            label = _("%(batch)s (expired)") % {"batch": label}
        if batch.is_quarantined:
            label = _("%(batch)s (quarantined)") % {"batch": label}
        return f"{label} · {batch.product.clinic.name}" if self.show_clinic else label


def offer_only_the_chosen(field: forms.ModelChoiceField, chosen, *, search_url: str) -> None:
    """Render the select with the chosen option alone: the type-ahead (static/js/choosers.js) fetches
    the others from `search_url`. Validation still checks any id sent against the field's queryset."""
    options = [("", field.empty_label)]
    if chosen not in (None, ""):
        try:
            instance = field.queryset.get(pk=chosen.pk if isinstance(chosen, models.Model) else chosen)
        except (ObjectDoesNotExist, ValidationError, ValueError):
            instance = None
        if instance is not None:
            options.append((str(instance.pk), field.label_from_instance(instance)))
    field.widget.choices = options
    field.widget.attrs["data-search-url"] = search_url


class SessionForm(ChartFields, forms.Form):
    patient = PatientChoiceField(
        label=_("Patient"),
        empty_label=_("Choose a patient"),
        queryset=Patient.objects.none(),
        error_messages={"invalid_choice": PATIENT_NOT_FOUND},
    )
    performed_at = WallClockField(label=_("Date and time"), widget=DATETIME_LOCAL)
    practitioner = forms.ModelChoiceField(
        label=_("Practitioner"),
        queryset=get_user_model().objects.none(),
        error_messages={"invalid_choice": PRACTITIONER_NOT_FOUND},
    )
    areas = forms.MultipleChoiceField(
        label=_("Treated areas"),
        choices=Area.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": services.NO_AREA},
    )
    area_other = forms.CharField(label=_("Other area, described"), max_length=120, required=False)
    technique = forms.ChoiceField(label=_("Technique"), choices=Technique.choices)
    technique_other = forms.CharField(label=_("Other technique, described"), max_length=120, required=False)
    aftercare = forms.MultipleChoiceField(
        label=_("Aftercare advice given"),
        choices=Aftercare.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=NOTE_MAX_LENGTH
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        clinic_ids = clinic_ids_of(user)
        self.fields["patient"].queryset = Patient.objects.filter(clinic_id__in=clinic_ids).select_related("clinic")
        self.fields["patient"].show_clinic = len(clinic_ids) > 1
        if len({clinic.time_zone for clinic in clinics_of(user)}) > 1:
            self.fields["performed_at"].help_text = _("Local time at the patient's clinic.")
        self.fields["practitioner"].queryset = (
            get_user_model().objects.filter(memberships__clinic_id__in=clinic_ids).distinct().order_by("first_name")
        )
        chosen = self.data.get(self.add_prefix("patient")) if self.is_bound else self.initial.get("patient")
        offer_only_the_chosen(self.fields["patient"], chosen, search_url=reverse("treatments:patient_search"))

    def clean(self):
        cleaned = super().clean()
        patient = cleaned.get("patient")
        performed_at = cleaned.get("performed_at")
        if patient and performed_at:
            # The session happened at that wall-clock time in the patient's clinic, whoever types it.
            try:
                cleaned["performed_at"] = performed_at = on_clinic_clock(performed_at, patient.clinic.zone)
            except ValidationError as error:
                self.add_error("performed_at", error)
            else:
                if problem := services.session_time_problem(performed_at, patient=patient):
                    self.add_error("performed_at", problem)
        practitioner = cleaned.get("practitioner")
        if patient and practitioner and (problem := services.practitioner_problem(practitioner, clinic=patient.clinic)):
            self.add_error("practitioner", problem)
        if Area.OTHER in cleaned.get("areas", []) and not cleaned.get("area_other", "").strip():
            self.add_error("area_other", services.OTHER_AREA_UNDESCRIBED)
        if cleaned.get("technique") == Technique.OTHER and not cleaned.get("technique_other", "").strip():
            self.add_error("technique_other", services.OTHER_TECHNIQUE_UNDESCRIBED)
        return cleaned

    def areas_treated(self) -> list[services.AreaTreated]:
        other = self.cleaned_data.get("area_other", "")
        return [
            services.AreaTreated(area=area, description=other if area == Area.OTHER else "")
            for area in self.cleaned_data["areas"]
        ]


class ProductUseForm(forms.Form):
    batch = BatchChoiceField(
        label=_("Product batch"),
        empty_label=_("Choose a batch"),
        queryset=Batch.objects.none(),
        error_messages={"invalid_choice": BATCH_NOT_FOUND},
    )
    # Localised: "2,5" in French, "2.5" in English, shown and read alike.
    volume_ml = forms.DecimalField(
        label=_("Volume (mL)"),
        max_digits=6,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = Batch.objects.visible_to(user).select_related("product__clinic")
        self.fields["batch"].show_clinic = len(clinic_ids_of(user)) > 1
        chosen = self.data.get(self.add_prefix("batch")) if self.is_bound else self.initial.get("batch")
        offer_only_the_chosen(self.fields["batch"], chosen, search_url=reverse("treatments:batch_search"))
        self.session_context = None

    def clean_volume_ml(self):
        volume = self.cleaned_data["volume_ml"]
        if problem := services.volume_problem(volume):
            raise forms.ValidationError(problem)
        return volume

    def clean(self):
        cleaned = super().clean()
        batch = cleaned.get("batch")
        if batch and self.session_context:
            clinic, performed_at = self.session_context
            if problem := services.batch_problem(batch, clinic=clinic, performed_at=performed_at):
                self.add_error("batch", problem)
        return cleaned


# More than any session uses; a posted count beyond it is cut, so no request can make thousands of forms.
MAX_PRODUCTS_PER_SESSION = 10


class BaseProductUseFormSet(forms.BaseFormSet):
    default_error_messages = {"too_few_forms": services.NO_PRODUCT, "too_many_forms": services.TOO_MANY_PRODUCTS}

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove")

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "user": self.user}

    def set_session_context(self, *, clinic, performed_at) -> None:
        """Batches are checked against the patient's clinic and the session date."""
        for form in self.forms:
            form.session_context = (clinic, performed_at)

    def kept(self) -> list[forms.Form]:
        return [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]

    def product_uses(self) -> list[services.ProductUse]:
        return [
            services.ProductUse(batch=form.cleaned_data["batch"], volume_ml=form.cleaned_data["volume_ml"])
            for form in self.kept()
        ]

    def position_of_row(self) -> dict[int, int]:
        """A row's index on the form (how a point names its product) -> its place among the products kept."""
        return {self.forms.index(form): position for position, form in enumerate(self.kept())}


ProductUseFormSet = forms.formset_factory(
    ProductUseForm,
    formset=BaseProductUseFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_PRODUCTS_PER_SESSION,
    absolute_max=MAX_PRODUCTS_PER_SESSION,
    validate_max=True,
    can_delete=True,
)


def session_initial(*, user, patient_id: str | None) -> dict:
    """Preselect the patient, the user as practitioner, and "now" on the patient's clinic clock."""
    patient = None
    if patient_id:
        try:
            patient = Patient.objects.visible_to(user).select_related("clinic").get(pk=patient_id)
        except (Patient.DoesNotExist, ValidationError):
            patient = None
    zones = {clinic.time_zone for clinic in clinics_of(user)}
    if patient is None and len(zones) != 1:
        # Whose "now"? Until the patient is chosen, no clinic's: the time typed is read on the
        # patient's clinic clock when saved.
        return {"practitioner": user}
    zone = patient.clinic.zone if patient else ZoneInfo(zones.pop())
    # A naive wall-clock time: the widget would otherwise shift it into the user's zone.
    wall_clock = timezone.localtime(timezone=zone).replace(second=0, microsecond=0, tzinfo=None)
    return {"patient": patient, "practitioner": user, "performed_at": wall_clock}


def next_session_start(*, user, previous_session_id: str | None) -> selectors.NextSession | None:
    """The next session of a series, filled from the previous one, when the user may see it."""
    if not previous_session_id:
        return None
    try:
        previous = (
            TreatmentSession.objects.visible_to(user).select_related("clinic", "patient").get(pk=previous_session_id)
        )
    except (TreatmentSession.DoesNotExist, ValidationError):
        return None
    series = selectors.next_session_of(previous=previous, at=timezone.now())
    series.initial["points"] = points_as_json(series.points)
    return series


class SessionEntry:
    """The session form and its products formset, validated and saved as one."""

    def __init__(self, data=None, *, user, initial=None, products_initial=None):
        self.user = user
        self.form = SessionForm(data, user=user, initial=initial, prefix="session")
        self.products = ProductUseFormSet(data, user=user, prefix="products", initial=products_initial)

    def is_valid(self) -> bool:
        form_valid = self.form.is_valid()
        patient = self.form.cleaned_data.get("patient")
        performed_at = self.form.cleaned_data.get("performed_at")
        if patient and performed_at:
            self.products.set_session_context(clinic=patient.clinic, performed_at=performed_at)
        return self.products.is_valid() and form_valid

    def service_arguments(self) -> dict:
        data = self.form.cleaned_data
        rows = self.products.position_of_row()
        return {
            "patient": data["patient"],
            "practitioner": data["practitioner"],
            "performed_at": data["performed_at"],
            "areas": self.form.areas_treated(),
            "products": self.products.product_uses(),
            "technique": data["technique"],
            "technique_other": data.get("technique_other", ""),
            "aftercare": data.get("aftercare", []),
            "notes": data.get("notes", ""),
            "recorded_by": self.user,
            "zones": data.get("zones", []),
            # A point on a removed row names no product: the service says so.
            "points": [replace(point, product=rows.get(point.product)) for point in data.get("points", [])],
        }

    def add_service_errors(self, error: forms.ValidationError) -> None:
        show_service_errors(self.form, error)
