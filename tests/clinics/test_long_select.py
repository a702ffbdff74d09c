"""The clinic settings' long lists (time zones, countries) drawn in Python say what Django's would."""

import re

from django import forms

from clinics.models import TIME_ZONE_CHOICES
from clinics.widgets import LongSelect

CHOICES = [("", "The country's <default>"), *TIME_ZONE_CHOICES, ("x&y", 'A "quoted" & odd label')]


def _form(widget, value):
    class ZoneForm(forms.Form):
        zone = forms.ChoiceField(
            choices=CHOICES, widget=widget(attrs={"class": "form-select", "aria-describedby": "h"})
        )

    return ZoneForm({"zone": value})


def _parsed(html: str):
    tag = re.search(r"<select([^>]*)>", html).group(1)
    options = re.findall(r"<option([^>]*)>([^<]*)</option>", html)
    return sorted(tag.split()), [(sorted(attrs.split()), label) for attrs, label in options]


def test_a_long_list_has_the_same_options_attributes_and_choice_as_djangos_select():
    for value in ["Europe/Paris", "", "x&y"]:
        drawn, django_drawn = str(_form(LongSelect, value)["zone"]), str(_form(forms.Select, value)["zone"])

        assert _parsed(drawn) == _parsed(django_drawn)
        assert len(_parsed(drawn)[1]) == len(CHOICES)


def test_a_long_list_escapes_labels_and_values():
    drawn = str(_form(LongSelect, "x&y")["zone"])

    assert '<option value="x&amp;y" selected>A &quot;quoted&quot; &amp; odd label</option>' in drawn
    assert "<default>" not in drawn
