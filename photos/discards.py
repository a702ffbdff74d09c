"""Files whose records are gone (photos, exports), removed from their storage after the deletion commits.

The names are queued in the deleting transaction (`DiscardedFile`), so a file is removed only once
its deletion has committed, and is never forgotten if the storage is down when it is first tried:
beat's relay tries again.
"""

import logging
from collections.abc import Sequence
from datetime import datetime

from django.core.files.storage import storages
from django.utils import timezone

from messaging import handoff

from .models import DiscardedFile

log = logging.getLogger(__name__)


def files_discard(names: Sequence[str], *, storage: str) -> None:
    """Remove these files from that storage (an alias of STORAGES) once the current transaction commits."""
    discarded = DiscardedFile.objects.bulk_create([DiscardedFile(storage=storage, name=name) for name in names])
    handoff.after_commit(handoff.FILE_REMOVAL, [d.pk for d in discarded])


def discarded_file_remove(*, discarded_file_id) -> bool:
    """Remove one discarded file from its storage; False when it is already gone or fails."""
    discarded = DiscardedFile.objects.filter(pk=discarded_file_id).first()
    if discarded is None:
        return False
    try:
        storages[discarded.storage].delete(discarded.name)
    except Exception:  # The storage's own errors vary by backend: the next relay tries again.
        log.exception("Could not remove a discarded file; it will be tried again")
        return False
    DiscardedFile.objects.filter(pk=discarded.pk).delete()
    return True


def discarded_files_pending(*, now: datetime | None = None) -> list:
    """Files still waiting after their own commit's hand-over: a broker or storage outage."""
    now = now or timezone.now()
    pending = DiscardedFile.objects.filter(discarded_at__lte=now - handoff.relay_grace())
    return list(pending.values_list("pk", flat=True)[:500])
