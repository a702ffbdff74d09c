from datetime import date, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.clocks import today_at
from clinics.limits import NOTE_MAX_LENGTH
from clinics.models import Clinic
from treatments.forms import DATE_INPUT
from treatments.models import Product

from .heatmap import MEASURES, REACTIONS
from .models import FileFormat

PERIOD_BACKWARDS = _("The start must be on or before the end.")
# No clinic kept records in this app before it; a date before it is a typing slip.
EARLIEST_DAY = date(2015, 1, 1)
MAX_PERIOD_DAYS = 5 * 366
PERIOD_TOO_EARLY = _("Choose a date from 1 January 2015 on.")
PERIOD_IN_FUTURE = _("Choose a date no later than tomorrow.")
PERIOD_TOO_LONG = _("Choose a period of at most five years.")


def check_period(form: forms.Form, cleaned: dict) -> None:
    """Bound a period typed by hand: real dates, forwards, and a span the server can answer quickly."""
    latest = timezone.localdate() + timedelta(days=1)
    for name in ("start", "end"):
        day = cleaned.get(name)
        if day and day < EARLIEST_DAY:
            form.add_error(name, PERIOD_TOO_EARLY)
        elif day and day > latest:
            form.add_error(name, PERIOD_IN_FUTURE)
    start, end = cleaned.get("start"), cleaned.get("end")
    if form.errors or not (start and end):
        return
    if start > end:
        form.add_error("start", PERIOD_BACKWARDS)
    elif (end - start).days > MAX_PERIOD_DAYS:
        form.add_error("start", PERIOD_TOO_LONG)


class AuditPeriodForm(forms.Form):
    clinic = forms.ModelChoiceField(
        label=_("Clinic"), queryset=Clinic.objects.none(), required=False, empty_label=_("All my clinics")
    )
    start = forms.DateField(label=_("From"), widget=DATE_INPUT, required=False)
    end = forms.DateField(label=_("To (inclusive)"), widget=DATE_INPUT, required=False)

    def __init__(self, *args, clinics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = Clinic.objects.filter(pk__in=[c.pk for c in clinics])
        self.clinics = clinics

    def clean(self):
        cleaned = super().clean()
        check_period(self, cleaned)
        if not self.errors:
            # A date left empty: the year up to the end, or up to today.
            chosen = cleaned.get("clinic")
            cleaned["end"] = cleaned.get("end") or today_at([chosen] if chosen else self.clinics)
            cleaned["start"] = cleaned.get("start") or max(cleaned["end"] - timedelta(days=365), EARLIEST_DAY)
            check_period(self, cleaned)
        return cleaned

    def chosen_clinics(self) -> list[Clinic]:
        clinic = self.cleaned_data.get("clinic")
        return [clinic] if clinic else list(self.clinics)


class ZoneMapForm(AuditPeriodForm):
    """The audit's period and clinic, narrowed to one practitioner or product, and the rate to colour by."""

    practitioner = forms.ModelChoiceField(
        label=_("Practitioner"), queryset=get_user_model().objects.none(), required=False, empty_label=_("Everyone")
    )
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.none(), required=False, empty_label=_("Any product")
    )
    colour = forms.ChoiceField(label=_("Colour the chart by"), choices=list(MEASURES.items()), required=False)

    def __init__(self, *args, clinics, **kwargs):
        super().__init__(*args, clinics=clinics, **kwargs)
        clinic_ids = [c.pk for c in clinics]
        self.fields["practitioner"].queryset = (
            get_user_model()
            .objects.filter(memberships__clinic_id__in=clinic_ids)
            .distinct()
            .order_by("first_name", "last_name", "pk")
        )
        self.fields["product"].queryset = Product.objects.filter(clinic_id__in=clinic_ids).order_by("name", "pk")
        # As wide as their column, not their longest choice: the form stays within a phone's width.
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-control form-control-sm" if name in ("start", "end") else "form-select form-select-sm"
            )

    def clean_colour(self):
        return self.cleaned_data["colour"] or REACTIONS

    def scope(self) -> dict:
        """The selector's arguments: the sessions these choices count."""
        practitioner, product = self.cleaned_data["practitioner"], self.cleaned_data["product"]
        return {
            "clinic_ids": [c.pk for c in self.chosen_clinics()],
            "first_day": self.cleaned_data["start"],
            "last_day": self.cleaned_data["end"],
            "practitioner_id": practitioner.pk if practitioner else None,
            "product_id": product.pk if product else None,
        }


class ExportForm(forms.Form):
    clinic = forms.ModelChoiceField(label=_("Clinic"), queryset=Clinic.objects.none())
    start = forms.DateField(label=_("From"), widget=DATE_INPUT)
    end = forms.DateField(label=_("To (inclusive)"), widget=DATE_INPUT)
    # Not required: a link to the export made before there was a choice still gives its CSV.
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=FileFormat.choices,
        initial=FileFormat.CSV,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, clinics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = Clinic.objects.filter(pk__in=[c.pk for c in clinics])
        if len(clinics) == 1:
            self.fields["clinic"].initial = clinics[0]
        today = today_at(clinics)
        self.fields["start"].initial = today - timedelta(days=365)
        self.fields["end"].initial = today

    def clean_file_format(self):
        return self.cleaned_data["file_format"] or FileFormat.CSV

    def clean(self):
        cleaned = super().clean()
        check_period(self, cleaned)
        return cleaned


NAME_DOES_NOT_MATCH = _("Type the patient's name as shown on the record to confirm.")


class PatientEraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the record erased?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
        help_text=_("For example: the patient asked for their data to be erased, on a given date."),
    )
    confirm_name = forms.CharField(label=_("Type the patient's full name to confirm"), max_length=170)

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient

    def clean_confirm_name(self):
        typed = " ".join(self.cleaned_data["confirm_name"].split())
        if typed.casefold() != " ".join(self.patient.full_name.split()).casefold():
            raise ValidationError(NAME_DOES_NOT_MATCH)
        return typed
