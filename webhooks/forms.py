from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import EventKind

from .services import NO_EVENTS


class EndpointForm(forms.Form):
    # Its length and scheme are the service's to judge (webhooks.addresses), with their own words.
    url = forms.CharField(
        label=_("Address"),
        widget=forms.URLInput(attrs={"autocomplete": "off"}),
        help_text=_("Where the clinic's events are posted, starting with https://."),
        error_messages={"required": _("Enter the address of your endpoint.")},
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each event names what changed by its ids and says its status: no patient's name or health detail."
        ),
        error_messages={"required": NO_EVENTS},
    )


class EndpointEditForm(EndpointForm):
    enabled = forms.BooleanField(
        label=_("On"),
        required=False,
        help_text=_("Turned off, it is sent nothing. Turned on again, it gets the events from then on."),
    )
