from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext

from audits.stats import Rate

register = template.Library()


@register.simple_tag
def rate_cells(rate: Rate, above: bool = False) -> str:
    """A rate's two cells, its events and its percentage with the interval: in Python, as a year's
    audit draws some eight hundred of them and a template included for each was most of its time."""
    if rate.sessions:
        # Kept in the catalogue as templates write it, doubled.
        percent = pgettext("a percentage after its number", "%%").replace("%%", "%")
        shown = format_html(
            '{}{} <span class="small text-body-secondary">({}–{}{})</span>',
            floatformat(rate.percent, 1),
            percent,
            floatformat(rate.low_percent, 1),
            floatformat(rate.high_percent, 1),
            percent,
        )
    else:
        shown = "—"
    badge = ""
    if above:
        badge = format_html(
            ' <span class="badge text-bg-danger" title="{}">▲ {}</span>',
            gettext("The whole interval lies above the clinic-wide rate"),
            gettext("above"),
        )
    return format_html(
        '<td class="text-end">{}</td><td class="text-end text-nowrap">{}{}</td>', rate.events, shown, badge
    )
