"""Writing what the report pack asks: the details the record cannot know."""

from django.db import transaction
from django.utils import timezone

from recovery.models import Complication

from .models import EventDetails

FIELDS = ("weight_kg", "height_cm", "ethnicity", "concomitant_medicines", "relevant_history")


@transaction.atomic
def event_details_save(*, complication: Complication, values: dict, updated_by, now=None) -> EventDetails:
    """Keep the details for the complication's reports; checked whole before anything is written."""
    details = EventDetails.objects.filter(complication=complication).first() or EventDetails(complication=complication)
    for name in FIELDS:
        if name in values:
            setattr(details, name, values[name])
    details.updated_by = updated_by
    details.updated_at = now or timezone.now()
    details.full_clean()
    details.save()
    return details
