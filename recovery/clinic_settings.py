"""A clinic's settings saved, with what follows from them in the recovery: a new time zone moves the
check-ins not yet sent to the same local hour on the new clock, and the recoveries are assessed again,
since their day windows are counted on it."""

from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from clinics.models import Clinic

from . import assessment
from .models import CheckIn, CheckInStatus, Recovery


@transaction.atomic
def clinic_settings_save(*, form) -> Clinic:
    previous_zone = ZoneInfo(Clinic.objects.select_for_update().get(pk=form.instance.pk).time_zone)
    clinic = form.save()
    if clinic.zone != previous_zone:
        check_ins_follow_zone(clinic=clinic, previous_zone=previous_zone)
    return clinic


def check_ins_follow_zone(*, clinic: Clinic, previous_zone: ZoneInfo) -> int:
    """A check-in planned for 10:00 on the old clock goes out at 10:00 on the new one."""
    planned = list(CheckIn.objects.filter(session__clinic=clinic, status=CheckInStatus.PLANNED))
    for check_in in planned:
        wall_clock = timezone.localtime(check_in.due_at, previous_zone).replace(tzinfo=None)
        check_in.due_at = timezone.make_aware(wall_clock, clinic.zone)
    CheckIn.objects.bulk_update(planned, ["due_at"])
    assessment.recoveries_assess(pks=Recovery.objects.filter(session__clinic=clinic).values_list("pk", flat=True))
    return len(planned)
