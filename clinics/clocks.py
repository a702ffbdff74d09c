"""Times typed by staff and shown to them, on the clock of the clinic they belong to, not on the reader's."""

from datetime import UTC, date, datetime, tzinfo

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NOT_ON_THIS_CLOCK = _(
    "%(time)s does not exist or happens twice at the clinic that night (the clocks change): give another time."
)


class WallClockField(forms.DateTimeField):
    """A date and time as typed, with no zone yet: the clinic of what is recorded gives it one."""

    def to_python(self, value):
        # Parsed on a clock without changes, so that no reader's daylight saving refuses or moves it.
        with timezone.override(UTC):
            moment = super().to_python(value)
        return moment.replace(tzinfo=None) if moment else moment


def on_clinic_clock(wall_clock: datetime, zone: tzinfo) -> datetime:
    """The moment a wall-clock time names at the clinic; one the clocks skip or repeat is refused."""
    if wall_clock.replace(tzinfo=zone, fold=0).utcoffset() != wall_clock.replace(tzinfo=zone, fold=1).utcoffset():
        raise ValidationError(NOT_ON_THIS_CLOCK % {"time": wall_clock.strftime("%Y-%m-%d %H:%M")}, code="clock")
    return wall_clock.replace(tzinfo=zone)


def today_at(clinics) -> date:
    """Today on the latest of these clinics' calendars: a period ending "today" leaves none of them out."""
    return max((timezone.localdate(timezone=clinic.zone) for clinic in clinics), default=timezone.localdate())


def render_in_clinic_time(request, clinic, template_name: str, context: dict, **kwargs):
    """A page of one clinic's records drawn whole on that clinic's clock: the request runs on the reader's
    first clinic's, which is another's for a manager of a London and a Sydney clinic. With no clinic yet,
    the reader's own."""
    if clinic is None:
        return render(request, template_name, context, **kwargs)
    with timezone.override(clinic.zone):
        return render(request, template_name, context, **kwargs)
