import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

PROJECT = Path(__file__).resolve().parent.parent


def production_environment(tmp_path, **changes) -> dict:
    """The production environment the README documents; a change of None removes the variable."""
    environment = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x7#kq9!vR2m@pL5zT8wN3yB6cF1hJ4dG0sA-eU_iO+rQ=tY*uH&jK%lM^nP$bV",
        "ALLOWED_HOSTS": "clinic.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        "EMAIL_URL": "smtp+tls://recovery-desk:secret@smtp.example.com:587",
        "DEFAULT_FROM_EMAIL": "Recovery Desk <checkins@harbour-clinics.co.uk>",
        "REPLY_TO_EMAIL": "frontdesk@harbour-clinics.co.uk",
        "TEXT_MESSAGE_BACKEND": "messaging.text_messages.TelnyxBackend",
        "TEXT_MESSAGE_API_KEY": "KEY0123456789",
        "TEXT_MESSAGE_SENDER": "+447400000001",
    }
    for test_only in ("SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(test_only, None)
    for name, value in changes.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return environment


def deployment_checklist(environment) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    result = deployment_checklist(production_environment(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deployment_checklist_fails_while_texts_go_to_the_console(tmp_path):
    result = deployment_checklist(production_environment(tmp_path, TEXT_MESSAGE_BACKEND=None))

    assert result.returncode != 0
    assert "recovery.E001" in result.stderr + result.stdout


def test_the_deployment_checklist_fails_while_emails_go_to_the_console(tmp_path):
    result = deployment_checklist(production_environment(tmp_path, EMAIL_URL=None))

    assert result.returncode != 0
    assert "clinics.W002" in result.stderr + result.stdout


def test_a_text_provider_without_its_key_fails_the_system_check(tmp_path):
    result = deployment_checklist(production_environment(tmp_path, TEXT_MESSAGE_API_KEY=None))

    assert result.returncode != 0
    assert "recovery.E002" in result.stderr + result.stdout


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
    result = deployment_checklist(production_environment(tmp_path, CACHE_URL=None))

    assert result.returncode != 0
    assert "clinics.W001" in result.stderr + result.stdout


def test_the_deployment_checklist_fails_while_two_factor_sign_in_is_not_required(tmp_path):
    result = deployment_checklist(production_environment(tmp_path, TWO_FACTOR_REQUIRED="0"))

    assert result.returncode != 0
    assert "clinics.W003" in result.stderr + result.stdout


def test_the_deployment_checklist_refuses_a_sender_at_a_domain_that_receives_no_mail(tmp_path):
    result = deployment_checklist(production_environment(tmp_path, DEFAULT_FROM_EMAIL=None))

    assert result.returncode != 0
    assert "clinics.W004" in result.stderr + result.stdout
    assert "recovery-desk.invalid" in result.stderr + result.stdout


def test_the_deployment_checklist_refuses_replies_that_reach_nobody(tmp_path):
    result = deployment_checklist(production_environment(tmp_path, REPLY_TO_EMAIL=None))

    assert result.returncode != 0
    assert "clinics.W005" in result.stderr + result.stdout
