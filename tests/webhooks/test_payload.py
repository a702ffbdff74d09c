"""What a receiver is told: the event, when it happened, the ids of what changed and a status."""

import json

from events.models import DomainEvent
from webhooks.services import payload_body


def test_a_receiver_is_told_ids_the_event_and_a_status_never_a_patient_or_a_reaction(session, report, harbour):
    report(30, red_flags=("discharge",), wants_call=True)

    body = payload_body(DomainEvent.objects.get())

    assert json.loads(body) == {
        "type": "recovery.needs_attention",
        "timestamp": "2026-03-03T16:00:00Z",
        "data": {
            "clinic": str(harbour.pk),
            "session": str(session.pk),
            "recovery": str(session.pk),
            "status": "needs_attention",
        },
    }
    for detail in ["Hannah", "Harbour", "discharge", "Discharge", "pus"]:
        assert detail not in body
