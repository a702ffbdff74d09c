"""Widgets of the questionnaires that ask where and how strong, written here rather than through a
template for each option: a patient's check-in page holds a dozen lists of every zone and some fifty
answer buttons, and drawn through Django's templates they took a third of the page's time. The markup
is the same as Django's own widgets write."""

from functools import lru_cache

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString

from clinics.widgets import html_attributes


class ZoneSelect(forms.Select):
    """A list of zones: its options, the same under every question of a page, are written once per
    process for each language, order of areas and zone chosen."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)
        choices = tuple(
            (str(key), tuple((str(code), str(label)) for code, label in group))
            if isinstance(group, list | tuple)
            else (str(key), str(group))
            for key, group in self.choices
        )
        return format_html(
            "<select{}>{}</select>",
            html_attributes({"name": name, **self.build_attrs(self.attrs, attrs)}),
            _options(choices, chosen[0] if chosen else ""),
        )


@lru_cache(maxsize=256)
def _options(choices: tuple, chosen: str) -> SafeString:
    markup, selected = [], False
    for key, group in choices:
        if isinstance(group, tuple):
            markup.append(format_html('<optgroup label="{}">', key))
        for code, label in group if isinstance(group, tuple) else [(key, group)]:
            # As Django's own Select: only the first option of the value chosen is selected.
            mark = code == chosen and not selected
            selected = selected or mark
            markup.append(format_html('<option value="{}"{}>{}</option>', code, " selected" if mark else "", label))
        if isinstance(group, tuple):
            markup.append(SafeString("</optgroup>"))
    return SafeString("".join(markup))


class AnswerButtons(forms.RadioSelect):
    """Radio buttons whose inputs a template places one by one (`{{ choice.tag }}`), each written here."""

    def _render(self, template_name, context, renderer=None):
        option = context["widget"]
        if template_name != self.option_template_name or option.get("wrap_label") or option["value"] is None:
            return super()._render(template_name, context, renderer)
        return format_html(
            '<input type="{}" name="{}" value="{}"{}>',
            option["type"],
            option["name"],
            option["value"],
            html_attributes(option["attrs"]),
        )
