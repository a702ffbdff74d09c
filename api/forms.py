from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import SCOPE_HELP, TOKEN_NAME_MAX_LENGTH, Scope
from .services import last_expiry_day

# Long enough for most integrations, short enough that a forgotten one stops by itself.
DEFAULT_DAYS = 90


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=TOKEN_NAME_MAX_LENGTH,
        help_text=_("The system that will use it, e.g. “Booking sync”. Shown in the trail beside each request."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        choices=[(scope.value, f"{scope.label}: {SCOPE_HELP[scope]}") for scope in Scope],
        widget=forms.CheckboxSelectMultiple,
        initial=[Scope.READ],
    )
    expires_on = forms.DateField(
        label=_("Works until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate(timezone=clinic.zone)
        field = self.fields["expires_on"]
        field.initial = today + timedelta(days=DEFAULT_DAYS)
        field.help_text = _(
            "It stops working at the end of that day, on the clinic's clock; at most %(days)s days ahead."
        ) % {"days": settings.API_TOKEN_MAX_DAYS}
        field.widget.attrs.update({"min": today.isoformat(), "max": last_expiry_day(clinic=clinic).isoformat()})
