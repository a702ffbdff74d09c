import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

PROJECT = Path(__file__).resolve().parent.parent


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    environment = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x7#kq9!vR2m@pL5zT8wN3yB6cF1hJ4dG0sA-eU_iO+rQ=tY*uH&jK%lM^nP$bV",
        "ALLOWED_HOSTS": "clinic.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
    }
    for test_only in ("SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(test_only, None)

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    environment = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    environment["DEBUG"] = "0"

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_models_and_migrations_agree(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_deployment_checklist_fails_while_throttles_count_per_process(tmp_path):
    environment = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x7#kq9!vR2m@pL5zT8wN3yB6cF1hJ4dG0sA-eU_iO+rQ=tY*uH&jK%lM^nP$bV",
        "ALLOWED_HOSTS": "clinic.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
    }
    environment.pop("CACHE_URL", None)

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "clinics.W001" in result.stderr + result.stdout
