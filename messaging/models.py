from django.db import models


class Heartbeat(models.Model):
    """When a scheduled job last ran: the health endpoint's evidence that beat and a worker are alive."""

    name = models.CharField(max_length=40, unique=True)
    beat_at = models.DateTimeField()

    class Meta:
        # Kept from when it was the recovery app's, rather than renaming a table for nothing.
        db_table = "recovery_heartbeat"

    def __str__(self) -> str:
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"
