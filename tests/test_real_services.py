"""The services the app runs on in production, reached for real.

Locally these skip when a service is missing; CI sets REQUIRE_SERVICES=1 so that
a missing service fails the run instead.
"""

import socket

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from .services import service_missing


def redis_answers(url: str) -> bool:
    import redis

    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_ci_runs_the_suite_on_postgresql(db):
    if connection.vendor != "postgresql":
        service_missing("the suite is running on SQLite; set DATABASE_URL to a PostgreSQL database")

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert cursor.fetchone()[0]


def test_broker_ping_succeeds_when_redis_answers(settings, capsys):
    if not redis_answers(settings.CELERY_BROKER_URL):
        service_missing(f"Redis does not answer at {settings.CELERY_BROKER_URL}")

    call_command("broker_ping", "--timeout", "2")

    assert "answers" in capsys.readouterr().out


def test_broker_ping_fails_plainly_when_nothing_listens(settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"

    with pytest.raises(CommandError, match="does not answer"):
        call_command("broker_ping", "--timeout", "1")
