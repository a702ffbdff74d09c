"""Times typed by staff, read on the clock of the clinic they belong to, not on the reader's."""

from datetime import UTC, datetime, tzinfo

from django import forms
from django.core.exceptions import ValidationError
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
