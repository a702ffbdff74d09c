"""The details only the clinic can give, asked on the report pack."""

from django import forms

from .models import EventDetails


class EventDetailsForm(forms.ModelForm):
    class Meta:
        model = EventDetails
        fields = ["weight_kg", "height_cm", "ethnicity", "concomitant_medicines", "relevant_history"]
        widgets = {
            "concomitant_medicines": forms.Textarea(attrs={"rows": 3}),
            "relevant_history": forms.Textarea(attrs={"rows": 3}),
        }
