from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.forms import restrict_clinic_field
from clinics.scoping import clinic_ids_of, managed_clinics_of
from patients.models import Patient

from . import services
from .models import Aftercare, Area, Batch, Product, Technique

DATETIME_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BatchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, batch: Batch) -> str:
        return f"{batch.product.name} – lot {batch.lot_number} (exp. {batch.expiry_date:%d %b %Y})"


class SessionForm(forms.Form):
    patient = forms.ModelChoiceField(
        label=_("Patient"),
        empty_label=_("Choose a patient"),
        queryset=Patient.objects.none(),
        error_messages={"invalid_choice": services.PATIENT_NOT_FOUND},
    )
    performed_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME_LOCAL)
    practitioner = forms.ModelChoiceField(label=_("Practitioner"), queryset=get_user_model().objects.none())
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
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        clinic_ids = clinic_ids_of(user)
        self.fields["patient"].queryset = Patient.objects.filter(clinic_id__in=clinic_ids).select_related("clinic")
        self.fields["practitioner"].queryset = (
            get_user_model().objects.filter(memberships__clinic_id__in=clinic_ids).distinct().order_by("first_name")
        )

    def clean(self):
        cleaned = super().clean()
        patient = cleaned.get("patient")
        performed_at = cleaned.get("performed_at")
        if patient and performed_at:
            # The form reads the wall-clock time in the user's zone; the session
            # happened at that wall-clock time in the patient's clinic.
            wall_clock = timezone.localtime(performed_at).replace(tzinfo=None)
            cleaned["performed_at"] = performed_at = timezone.make_aware(wall_clock, patient.clinic.zone)
            if problem := services.session_time_problem(performed_at):
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
        error_messages={"invalid_choice": services.BATCH_NOT_FOUND},
    )
    volume_ml = forms.DecimalField(label=_("Volume (ml)"), max_digits=6, decimal_places=2)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = Batch.objects.visible_to(user).select_related("product")
        self.fields["volume_ml"].widget.attrs.update({"min": "0.01", "step": "0.01"})
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


class BaseProductUseFormSet(forms.BaseFormSet):
    default_error_messages = {"too_few_forms": services.NO_PRODUCT}

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

    def product_uses(self) -> list[services.ProductUse]:
        return [
            services.ProductUse(batch=form.cleaned_data["batch"], volume_ml=form.cleaned_data["volume_ml"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


ProductUseFormSet = forms.formset_factory(
    ProductUseForm, formset=BaseProductUseFormSet, extra=0, min_num=1, validate_min=True, can_delete=True
)


class SessionEntry:
    """The session form and its products formset, validated and saved as one."""

    def __init__(self, data=None, *, user, initial=None):
        self.user = user
        self.form = SessionForm(data, user=user, initial=initial, prefix="session")
        self.products = ProductUseFormSet(data, user=user, prefix="products")

    def is_valid(self) -> bool:
        form_valid = self.form.is_valid()
        patient = self.form.cleaned_data.get("patient")
        performed_at = self.form.cleaned_data.get("performed_at")
        if patient and performed_at:
            self.products.set_session_context(clinic=patient.clinic, performed_at=performed_at)
        return self.products.is_valid() and form_valid

    def service_arguments(self) -> dict:
        data = self.form.cleaned_data
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
        }

    def add_service_errors(self, error: forms.ValidationError) -> None:
        """Show errors raised by the service (a race the form could not see) on the form."""
        for field, messages in error.message_dict.items():
            target = field if field in self.form.fields else None
            for message in messages:
                self.form.add_error(target, message)


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["clinic", "name", "manufacturer", "kind", "active_ingredients"]
        widgets = {"active_ingredients": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        restrict_clinic_field(self, managed_clinics_of(user))


class BatchForm(forms.ModelForm):
    class Meta:
        model = Batch
        fields = ["lot_number", "expiry_date", "supplier", "received_on"]
        widgets = {"expiry_date": DATE_INPUT, "received_on": DATE_INPUT}

    def __init__(self, *args, product: Product, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.product = product

    def clean_lot_number(self):
        lot_number = self.cleaned_data["lot_number"].strip()
        duplicates = Batch.objects.filter(product=self.instance.product, lot_number__iexact=lot_number)
        if duplicates.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This product already has a batch with this lot number."))
        return lot_number

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on and received_on > timezone.localdate():
            raise forms.ValidationError(_("A batch cannot be received in the future."))
        return received_on

    def clean(self):
        cleaned = super().clean()
        expiry, received = cleaned.get("expiry_date"), cleaned.get("received_on")
        if expiry and received and expiry < received:
            self.add_error("expiry_date", _("The expiry date must be on or after the date received."))
        return cleaned
