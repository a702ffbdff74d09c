"""Each time in the clock of the clinic it belongs to, whoever reads it: a manager of a London and a
Sydney clinic reads each clinic's times on its own clock, with the zone named beside them."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


@register.filter
def in_clinic_time(moment, clinic):
    """The moment on the clinic's clock, as a wall-clock time (pass it to `date` for the words): naive,
    so that the `date` filter does not turn it back to the reader's active zone."""
    if moment is None or clinic is None:
        return moment
    return timezone.localtime(moment, clinic.zone).replace(tzinfo=None)


def _zones_of(context) -> list:
    """The reader's clinics' zones, each once, in the order of their clinics."""
    return list({clinic.time_zone: clinic.zone for clinic in context.get("user_clinics") or []}.values())


@register.simple_tag(takes_context=True)
def zone_of(context, clinic) -> str:
    """The clinic's zone, named only for a reader whose clinics do not all share one clock."""
    if len(_zones_of(context)) > 1 and clinic is not None:
        return clinic.time_zone
    return ""


@register.simple_tag(takes_context=True)
def on_each_clock(context, moment, format_string) -> str:
    """A moment that is no one clinic's (when a page of all the reader's clinics was drawn), on each of
    their clocks, each zone named when there are several."""
    zones = _zones_of(context)
    if len(zones) < 2:
        return date_format(timezone.localtime(moment, zones[0] if zones else None), format_string)
    return ", ".join(f"{date_format(timezone.localtime(moment, zone), format_string)} {zone.key}" for zone in zones)
