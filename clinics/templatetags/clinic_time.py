"""Each time in the clock of the clinic it belongs to, whoever reads it: a manager of a London and a
Sydney clinic reads each clinic's times on its own clock, with the zone named beside them."""

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def in_clinic_time(moment, clinic):
    """The moment on the clinic's clock (pass it to `date` for the words)."""
    if moment is None or clinic is None:
        return moment
    return timezone.localtime(moment, clinic.zone)


@register.simple_tag(takes_context=True)
def zone_of(context, clinic) -> str:
    """The clinic's zone, named only for a reader whose clinics do not all share one clock."""
    clinics = context.get("user_clinics") or []
    if len({c.time_zone for c in clinics}) > 1 and clinic is not None:
        return clinic.time_zone
    return ""
