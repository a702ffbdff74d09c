"""Where a reaction is, as a form asks it: a zone chosen from a list grouped by area (the way that
works without a script, with a keyboard or a screen reader), and, when the page's script placed it
(static/js/marks.js), where on a diagram it was tapped.

The list is the answer's truth: a tapped point that no longer lies on a diagram of the zone chosen
(the list was changed after the tap) is let go, and the zone kept. A patient's answer is never
refused for where it was tapped.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from treatments import chart
from treatments.models import Area

from .marks import MARK_OFF_THE_DIAGRAM, MarkEntry
from .models import ReactionType, RedFlagQuestion
from .widgets import ZoneSelect

NOT_MARKED = _("Not marked")


def zone_choices(treated_areas) -> list:
    """Every zone, the session's areas first: a reaction beyond them is marked like any other."""
    treated = [area for area in Area.values if area in set(treated_areas)]
    order = treated + [area for area in Area.values if area not in treated]
    groups = [
        (Area(area).label, [(code, chart.ZONES[code].label) for code in chart.zones_of_area(area)]) for area in order
    ]
    return [("", NOT_MARKED)] + [group for group in groups if group[1]]


@dataclass(frozen=True)
class TappedPoint:
    diagram: str
    x: Decimal
    y: Decimal


class TappedPointField(forms.Field):
    """'<diagram> <x> <y>', written by the script: where on which diagram, 0 to 1 across and down."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        if len(text) > 60:
            raise forms.ValidationError(MARK_OFF_THE_DIAGRAM)
        try:
            diagram, x, y = text.split()
            point = TappedPoint(diagram, Decimal(x).quantize(Decimal("0.0001")), Decimal(y).quantize(Decimal("0.0001")))
            on_the_diagram = point.diagram in chart.DIAGRAMS and 0 <= point.x <= 1 and 0 <= point.y <= 1
        except (ValueError, InvalidOperation) as error:
            raise forms.ValidationError(MARK_OFF_THE_DIAGRAM) from error
        if not on_the_diagram:
            raise forms.ValidationError(MARK_OFF_THE_DIAGRAM)
        return point


def add_where_fields(form: forms.Form, name: str, *, label, treated_areas) -> None:
    """`where_<name>` (the zone) and `point_<name>` (the tap) on `form`."""
    form.fields[f"where_{name}"] = forms.ChoiceField(
        label=label,
        choices=zone_choices(treated_areas),
        required=False,
        widget=ZoneSelect(attrs={"class": "form-select where-zone"}),
    )
    form.fields[f"point_{name}"] = TappedPointField(widget=forms.HiddenInput(attrs={"class": "where-point"}))


def mark_of(
    form: forms.Form,
    name: str,
    *,
    reaction_type: ReactionType | None = None,
    red_flag: RedFlagQuestion | None = None,
) -> MarkEntry | None:
    """The mark `form` holds under `name`, if a zone was chosen."""
    zone = form.cleaned_data.get(f"where_{name}")
    if not zone:
        return None
    diagrams = chart.ZONES[zone].diagrams
    point = form.cleaned_data.get(f"point_{name}")
    if point is None or point.diagram not in diagrams:
        return MarkEntry(diagrams[0], zone, reaction_type=reaction_type, red_flag=red_flag)
    return MarkEntry(point.diagram, zone, reaction_type=reaction_type, red_flag=red_flag, x=point.x, y=point.y)


@dataclass(frozen=True)
class WhereRow:
    """A question with the fields asking where its answer is, for a template to lay out together."""

    field: forms.BoundField | None
    where: forms.BoundField | None = None
    point: forms.BoundField | None = None
    pain: forms.BoundField | None = None


def where_row(form: forms.Form, name: str, field_name: str, *, pain_name: str | None = None) -> WhereRow:
    def bound(key):
        return form[key] if key and key in form.fields else None

    return WhereRow(
        field=bound(field_name), where=bound(f"where_{name}"), point=bound(f"point_{name}"), pain=bound(pain_name)
    )
