"""Personas shared by the suite.

Harbour and Riverside are two clinics of one group. Alice is a practitioner at
Harbour, Mary manages Harbour, Bob is a practitioner at Riverside and must never
see Harbour's records. Grace manages both clinics.
"""

import pytest
from django.core.cache import cache

from clinic.celery import app as celery_app
from clinics.models import Role

from .factories import BatchFactory, ClinicFactory, MembershipFactory, PatientFactory, UserFactory
from .two_factor import signed_in_with_code


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path_factory):
    # Production hashes static file names at collectstatic time; tests render
    # templates without running it. Exports and photos go to folders of the test's own.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path_factory.mktemp("media")},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "photos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path_factory.mktemp("photos")},
        },
    }
    # A deliberately slow password hash only slows the suite down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TEXT_MESSAGE_BACKEND = "tests.text_messages.MemoryBackend"
    settings.SITE_URL = "https://clinic.example.com"


@pytest.fixture(autouse=True)
def _throttles_start_at_zero():
    # Throttle counts live in the cache, which outlives a test's database transaction.
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    # Unit tests run tasks inline; tests/test_celery_worker.py runs a real worker instead.
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def harbour(db):
    return ClinicFactory(name="Harbour Skin Clinic", phone="+44 20 7946 0101")


@pytest.fixture
def riverside(db):
    return ClinicFactory(name="Riverside Aesthetics", phone="+44 161 496 0202")


def _member(clinic, role, username, first_name):
    user = UserFactory(username=username, first_name=first_name)
    MembershipFactory(user=user, clinic=clinic, role=role)
    return user


@pytest.fixture
def alice(harbour):
    return _member(harbour, Role.PRACTITIONER, "alice", "Alice")


@pytest.fixture
def mary(harbour):
    return _member(harbour, Role.MANAGER, "mary", "Mary")


@pytest.fixture
def bob(riverside):
    return _member(riverside, Role.PRACTITIONER, "bob", "Bob")


@pytest.fixture
def grace(harbour, riverside):
    user = _member(harbour, Role.MANAGER, "grace", "Grace")
    MembershipFactory(user=user, clinic=riverside, role=Role.MANAGER)
    return user


@pytest.fixture
def harbour_patient(harbour):
    return PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour")


@pytest.fixture
def riverside_patient(riverside):
    return PatientFactory(clinic=riverside, first_name="Rita", last_name="Rivers")


@pytest.fixture
def harbour_batch(harbour):
    return BatchFactory(product__clinic=harbour, product__name="Hydra Boost", lot_number="HB-001")


@pytest.fixture
def riverside_batch(riverside):
    return BatchFactory(product__clinic=riverside, product__name="River Glow", lot_number="RG-001")


@pytest.fixture
def client_for(client):
    """Signed in as the user, having given their two-factor code where they need one.

    tests/clinics/test_two_factor.py walks the real sign-in; the rest of the suite starts after it.
    """

    def log_in(user):
        return signed_in_with_code(client, user)

    return log_in
