"""The recoveries after the sessions that used a batch, for its traceability page."""

from datetime import datetime

from django.db.models import Prefetch

from treatments.models import Batch, SessionProduct

from .models import Recovery, RedFlagAnswer, ReportedReaction


class RecoveriesOfBatch:
    """Every recovery after a session that used the batch, newest session first, with its status
    now and what was reported: as a paginator reads it.

    Counted and paged from the index of the batch's uses by time, then only the page's recoveries
    read. Asked in one query, the page's fifty took every session that ever used the batch to sort.
    """

    def __init__(self, *, batch: Batch, now: datetime) -> None:
        self.batch = batch
        self.now = now
        # The session's time goes with its id, so that a batch used twice in one session lists it once.
        self._sessions = (
            SessionProduct.objects.filter(batch=batch)
            .order_by("-performed_at", "-session_id")
            .values_list("session_id", "performed_at")
            .distinct()
        )

    def count(self) -> int:
        return self._sessions.count()

    def __getitem__(self, page: slice) -> list[Recovery]:
        session_ids = [session_id for session_id, _performed_at in self._sessions[page]]
        present = ReportedReaction.objects.filter(severity__gt=0).select_related("reaction_type")
        found = (
            Recovery.objects.with_status(self.now)
            .filter(clinic_id=self.batch.product.clinic_id, session_id__in=session_ids)
            .select_related("session__patient", "session__practitioner")
            .prefetch_related(
                Prefetch("session__reports__reactions", queryset=present),
                Prefetch(
                    "session__reports__red_flag_answers",
                    queryset=RedFlagAnswer.objects.filter(present=True).select_related("question"),
                ),
            )
        )
        by_session = {recovery.session_id: recovery for recovery in found}
        return [by_session[session_id] for session_id in session_ids if session_id in by_session]
