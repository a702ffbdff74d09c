"""The forms of the clinic's stock: its products, their batches, and a batch's quarantine."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.forms import restrict_clinic_field
from clinics.limits import NOTE_MAX_LENGTH
from clinics.scoping import managed_clinics_of

from . import gs1, hibc
from .forms import DATE_INPUT
from .models import Batch, Product

GTIN_TAKEN = _("%(product)s already has this GTIN in this clinic.")
HIBC_TAKEN = _("%(product)s already has this HIBC product code in this clinic.")


class ProductForm(forms.ModelForm):
    gtin = forms.CharField(
        label=_("GTIN"),
        required=False,
        max_length=20,
        help_text=Product._meta.get_field("gtin").help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    hibc = forms.CharField(
        label=_("HIBC product code"),
        required=False,
        max_length=30,
        help_text=Product._meta.get_field("hibc").help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    class Meta:
        model = Product
        fields = [
            "clinic",
            "name",
            "common_name",
            "manufacturer",
            "manufacturer_address",
            "kind",
            "regulatory_status",
            "route",
            "active_ingredients",
            "catalogue_reference",
            "gtin",
            "hibc",
        ]
        widgets = {
            "active_ingredients": forms.Textarea(attrs={"rows": 3}),
            "manufacturer_address": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        restrict_clinic_field(self, managed_clinics_of(user))
        # A post that leaves them out (a page opened before they were asked) keeps what the product had.
        for name in ("regulatory_status", "route"):
            self.fields[name].required = False

    def clean_regulatory_status(self):
        return self.cleaned_data["regulatory_status"] or self.instance.regulatory_status

    def clean_route(self):
        return self.cleaned_data["route"] or self.instance.route

    def clean_gtin(self):
        typed = self.cleaned_data["gtin"].replace(" ", "")
        return gs1.gtin_normalised(typed) if typed else ""

    def clean_hibc(self):
        typed = self.cleaned_data["hibc"].replace(" ", "")
        return hibc.product_code_normalised(typed) if typed else ""

    def clean(self):
        cleaned = super().clean()
        clinic = cleaned.get("clinic")
        for field, taken_message in [("gtin", GTIN_TAKEN), ("hibc", HIBC_TAKEN)]:
            code = cleaned.get(field)
            if code and clinic:
                taken = Product.objects.filter(clinic=clinic, **{field: code}).exclude(pk=self.instance.pk).first()
                if taken:
                    self.add_error(field, taken_message % {"product": taken.name})
        return cleaned


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


class QuarantineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for quarantine"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. a cluster of infections, a supplier recall."),
    )
