import pytest

from . import spreadsheets


@pytest.fixture
def hostile_sessions(harbour, alice):
    return spreadsheets.hostile_sessions(harbour, alice)
