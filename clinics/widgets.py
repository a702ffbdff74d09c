"""Widgets for lists of hundreds of choices, written in Python.

Django's Select draws each option through two templates and a dictionary of attributes: for the
clinic settings' 400 time zones, a clinic group's dashboard filters (its practitioners, products and
batches) and a check-in page's zone lists, that was most of the page's time. These write the same
markup, escaped the same way.
"""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


def html_attributes(attrs: dict) -> SafeString:
    """Attributes as Django's widget templates write them: in order, a true one bare, a false one left out."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )


class LongSelect(forms.Select):
    """A select of plain choices (one value, no groups); choices in groups keep Django's drawing."""

    def render(self, name, value, attrs=None, renderer=None):
        if any(isinstance(group, list | tuple) for _value, group in self.choices):
            return super().render(name, value, attrs, renderer)
        chosen = self.format_value(value)
        options = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            # The first option holding the value is the one selected, as Django's Select has it.
            selected = option_value in chosen
            if selected:
                chosen = ()
            options.append((option_value, " selected" if selected else "", label))
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            html_attributes(self.build_attrs(self.attrs, attrs)),
            format_html_join("", '<option value="{}"{}>{}</option>', options),
        )
