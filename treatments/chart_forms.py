"""The face chart on the session form: the zones as checkboxes (the list a keyboard or a screen
reader uses, and what a tap on a diagram ticks) and the injection points as JSON in a hidden field,
written by static/js/chart.js. The form reads the points' shape; `services.chart_problems` judges them."""

import json
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from . import services
from .chart import ZONES, zones_of_area
from .models import Area

POINTS_UNREADABLE = _("The injection points could not be read: place them again.")
# A point is about a hundred characters of JSON; a post far beyond the count's bound is refused unread.
POINTS_MAX_LENGTH = services.MAX_POINTS_PER_SESSION * 200


def zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The zones grouped by their area, in the chart's order."""
    return [
        (label, [(code, zone.label) for code, zone in ZONES.items() if zone.area == area])
        for area, label in Area.choices
        if any(zone.area == area for zone in ZONES.values())
    ]


class ChartFields(forms.Form):
    zones = forms.MultipleChoiceField(
        label=_("Treated zones"),
        choices=zone_choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
        error_messages={"invalid_choice": services.UNKNOWN_ZONE},
    )
    points = forms.CharField(widget=forms.HiddenInput, required=False, max_length=POINTS_MAX_LENGTH)

    def clean_points(self) -> list[services.PointPlaced]:
        """The points as placed, each naming its product by the row's index on the form."""
        text = self.cleaned_data["points"].strip()
        if not text:
            return []
        try:
            placed = json.loads(text)
        except ValueError:
            raise forms.ValidationError(POINTS_UNREADABLE) from None
        if not isinstance(placed, list):
            raise forms.ValidationError(POINTS_UNREADABLE)
        if len(placed) > services.MAX_POINTS_PER_SESSION:
            raise forms.ValidationError(services.TOO_MANY_POINTS % {"count": services.MAX_POINTS_PER_SESSION})
        try:
            return [point_from_json(point) for point in placed]
        except (KeyError, TypeError, ValueError, InvalidOperation):
            raise forms.ValidationError(POINTS_UNREADABLE) from None

    def zone_groups(self) -> list[dict]:
        """The zones' checkboxes by area, each group shown while its area is chosen."""
        by_code = {widget.data["value"]: widget for widget in self["zones"]}
        return [
            {"area": area, "label": label, "zones": [by_code[code] for code in zones_of_area(area)]}
            for area, label in Area.choices
            if zones_of_area(area)
        ]


def point_from_json(point: dict) -> services.PointPlaced:
    if not isinstance(point, dict) or not all(isinstance(point[key], str) for key in ("diagram", "zone")):
        raise TypeError("a point is an object naming its diagram and zone")
    if not isinstance(point["product"], int) or isinstance(point["product"], bool):
        raise TypeError("a point names its product row by index")
    return services.PointPlaced(
        diagram=point["diagram"],
        zone=point["zone"],
        x=decimal_of(point["x"]),
        y=decimal_of(point["y"]),
        product=point["product"],
        volume_ml=decimal_of(point["volume_ml"]),
    )


def decimal_of(value) -> Decimal:
    # str() first: a float's binary expansion is not what was tapped or typed.
    if isinstance(value, bool) or not isinstance(value, int | float | str) or len(str(value)) > 20:
        raise TypeError("a number")
    return Decimal(str(value).strip())


def points_as_json(points: list[services.PointPlaced]) -> str:
    """Points as the form carries them, to pre-fill it."""
    return json.dumps(
        [
            {
                "diagram": point.diagram,
                "zone": point.zone,
                "x": str(point.x),
                "y": str(point.y),
                "product": point.product,
                "volume_ml": str(point.volume_ml),
            }
            for point in points
        ]
    )
