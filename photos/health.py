"""Is a worker processing the photos? One that waits as long as a late message is as late: the
patient's page says it is being processed, and the clinic does not see it yet."""

import dataclasses
from datetime import timedelta

from django.conf import settings
from django.db.models import Min
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from .models import PhotoUpload, UploadState


@dataclasses.dataclass
class PhotoQueue(HealthCheck):
    def run(self) -> None:
        now = timezone.now()
        oldest = PhotoUpload.objects.filter(state=UploadState.PENDING).aggregate(oldest=Min("received_at"))["oldest"]
        if oldest and now - oldest > timedelta(seconds=settings.HEALTH_OUTBOX_LATE_SECONDS):
            minutes = int((now - oldest).total_seconds() // 60)
            raise ServiceUnavailable(f"A photo has waited {minutes} min to be processed.")
