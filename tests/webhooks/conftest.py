import pytest

from events.models import EventKind
from webhooks import services

from ..conftest import SESSION_AT
from .receiver import Receiver


@pytest.fixture
def receiver(settings):
    # It listens on 127.0.0.1 over plain HTTP, as a developer's would.
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def endpoint(harbour, mary, receiver, time_machine):
    """Harbour's endpoint for every event, registered by Mary on 2 March 2026 at 10:00."""
    time_machine.move_to(SESSION_AT, tick=False)
    endpoint = services.endpoint_create(clinic=harbour, url=receiver.url, kinds=EventKind.values, by=mary)
    receiver.secret = endpoint.secret
    return endpoint
