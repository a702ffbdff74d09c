"""Settings for Recovery Desk, read once from the environment (see .env.example)."""

import os
import tempfile
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

# A development key is only acceptable while DEBUG is on; production must set its own.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key" if DEBUG else environ.Env.NOTSET)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "clinics.apps.ClinicAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "django_filters",
    "django_htmx",
    "crispy_bootstrap5",
    "axes",
    "simple_history",
    "health_check",
    "phonenumber_field",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "clinics",
    "trail",
    "patients",
    "treatments",
    "messaging",
    "recovery",
    "photos",
    "checkins",
    "vigilance",
    "audits",
    "fhir_api",
    "events",
    "webhooks",
    "api",
    "imports",
    "demo",
    "backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above every middleware that answers by itself (login redirects, the lockout page), so that
    # each page carries the Content-Security-Policy; static files need none.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before the CSRF check, which reads a form's body: a body too large is refused unread.
    "clinic.uploads.UploadSizeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clinics.middleware.PrivateResponsesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "clinics.middleware.HtmxLoginRedirectMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "clinics.middleware.TwoFactorMiddleware",
    "clinics.middleware.IdleTimeoutMiddleware",
    "clinics.middleware.ClinicTimezoneMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes must come last so it sees the outcome of the login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinics.context_processors.staff_navigation",
                "recovery.context_processors.notification_bell",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'recovery-desk.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has no row locks: a transaction takes the write lock when it begins, so two answers to one
    # link (a double tap) queue for it instead of the second failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
    # A test database in a file, not in memory: an in-memory one is a single connection that the test
    # server's threads share, so two requests at once (a page's photos) fail with "table is locked".
    # One per process, so that two checkouts' test runs at once never share one.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"recovery-desk-test-{os.getpid()}.sqlite3")
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No just-in-time compilation: every question the app asks is short, but on a host of many clinic
    # groups the planner's estimate for one clinic's year of tallies crosses PostgreSQL's JIT threshold,
    # and compiling it took 40 ms of a 100 ms query (docs/benchmarks.md). `?options=` in DATABASE_URL
    # overrides it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "clinics.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "recovery:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Staff work on shared clinic tablets: a session ends after this much inactivity
# (clinics.middleware.IdleTimeoutMiddleware); a dashboard refreshing itself is not activity.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("LOGIN_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a reverse proxy the client's address is in X-Forwarded-For; count only the
# proxies we run, so a client cannot pick its own address by forging the header.
AXES_IPWARE_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Two-factor sign-in (clinics.two_factor): a code from an authenticator app after the password,
# for managers and for the practitioners of clinics that ask for it. Off by default only for
# `make run`'s demo; `check --deploy` warns when production turns it off.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
# Wrong codes are limited like wrong passwords, counted in the shared cache below, per person
# rather than per address: whoever types them already holds the password, from wherever they like.
TWO_FACTOR_FAILURE_LIMIT = AXES_FAILURE_LIMIT
TWO_FACTOR_COOLOFF_SECONDS = round(AXES_COOLOFF_TIME * 60 * 60)
OTP_TOTP_ISSUER = "Recovery Desk"
# django-otp's own back-off (1, 2, 4, 8 s after each failure) would refuse a right code typed
# just after a typo; the limit above is the one policy, told to the person in plain words.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# Nobody, however privileged, reads another person's secret or recovery codes in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Shared by every web process, so a throttle counts the same whichever process answers: Redis in
# production (CACHE_URL=redis://...). `make run` uses the broker's Redis when it answers; the memory
# default serves a process alone.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# A reset e-mail can be asked for by anyone: a few an hour per address, and per client.
PASSWORD_RESET_RATE_PER_ADDRESS = env.str("PASSWORD_RESET_RATE_PER_ADDRESS", default="3/h")
PASSWORD_RESET_RATE_PER_CLIENT = env.str("PASSWORD_RESET_RATE_PER_CLIENT", default="10/h")
# Answers and photo sends to one check-in link: a patient sends a few; a first answer is always stored.
CHECK_IN_POST_RATE = env.str("CHECK_IN_POST_RATE", default="20/h")

LANGUAGE_CODE = "en-gb"
# Each name in its own language, as a language menu shows it.
LANGUAGES = [("en-gb", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "clinic.static_finders.AppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Photos of patients' skin are health data: kept where no URL reaches them, read only through the
# login-required, clinic-scoped photo view. A private folder by default; an S3-compatible bucket
# (django-storages) when PHOTO_BUCKET is set.
PHOTO_BUCKET = env.str("PHOTO_BUCKET", default="")
if PHOTO_BUCKET:
    STORAGES["photos"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PHOTO_BUCKET,
            "endpoint_url": env.str("PHOTO_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("PHOTO_S3_REGION", default="") or None,
            "access_key": env.str("PHOTO_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("PHOTO_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("PHOTO_S3_PREFIX", default="photos"),
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
else:
    STORAGES["photos"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env.path("PHOTO_ROOT", default=BASE_DIR / "var" / "photos"),
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
# A phone photo is a few megabytes; a larger file, or one that would decode to more pixels than a
# 50-megapixel camera takes (a decompression bomb), is refused before it is decoded. A JPEG counts
# at the size it is decoded to, a half, quarter or eighth of its own for the largest (photos.images).
PHOTO_MAX_BYTES = env.int("PHOTO_MAX_MEGABYTES", default=15) * 1024 * 1024
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=52_000_000)
# What the photos of one form together may decode to: two photos at the limit, or three from any phone
# that writes JPEG (a 50 MP one decodes at half its side, 12.5 MP).
PHOTO_MAX_PIXELS_PER_REQUEST = env.int("PHOTO_MAX_PIXELS_PER_REQUEST", default=104_000_000)
# The handler first in line stops writing a file to disk once it is larger than a photo may be, and
# refuses a whole request that says it is larger than a form of photos can be before reading any of it.
FILE_UPLOAD_HANDLERS = [
    "clinic.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# The most photos a form takes at a time (photos.services.PHOTOS_AT_A_TIME).
DATA_UPLOAD_MAX_NUMBER_FILES = 3

# The change history is a trail, not an undo button: nobody rewrites it through the app.
SIMPLE_HISTORY_REVERT_DISABLED = True

# A batch with this many patient-reported complications within this many days is
# pointed out to the clinic's managers.
BATCH_CLUSTER_COMPLICATIONS = env.int("BATCH_CLUSTER_COMPLICATIONS", default=3)
BATCH_CLUSTER_DAYS = env.int("BATCH_CLUSTER_DAYS", default=14)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The demo writes e-mails as files under var/mail (open a check-in link from there); a console
# backend prints them with links and numbers hidden, since the console is a log.
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default=f"filemail:///{BASE_DIR / 'var' / 'mail'}" if DEBUG else "consolemail://"
)
vars().update(EMAIL_CONFIG)
if EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":  # noqa: F821 (set just above)
    EMAIL_BACKEND = "clinic.redaction.RedactingConsoleEmailBackend"
elif EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
    # Tells a message the server may have taken (never sent again) from one it never had.
    EMAIL_BACKEND = "clinic.mail.EmailBackend"
# The sender of every e-mail, at a domain of the deployment's own (`check --deploy` refuses the
# default): a patient's messages go out under the clinic's name at its address.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Recovery Desk <no-reply@recovery-desk.invalid>")
# Where a patient's reply goes when their clinic has not given a mailbox of its own.
REPLY_TO_EMAIL = env.str("REPLY_TO_EMAIL", default="")

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request must not hang on a broker that is down: the outbox rows it wrote are
# relayed by beat once the broker is back.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}

# Links in messages are absolute: tasks have no request to take the host from.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
CHECK_IN_LINK_HOURS = env.int("CHECK_IN_LINK_HOURS", default=72)


# How far back a session can be logged: paper records caught up on, not a mistyped year.
SESSION_BACKDATE_DAYS = env.int("SESSION_BACKDATE_DAYS", default=365)

# Check-ins go out between these local hours; one due outside them waits for the morning.
CHECK_IN_EARLIEST_HOUR = env.int("CHECK_IN_EARLIEST_HOUR", default=9)
CHECK_IN_LATEST_HOUR = env.int("CHECK_IN_LATEST_HOUR", default=20)
CLAIM_LEASE_SECONDS = env.int("CLAIM_LEASE_SECONDS", default=300)
# A check-in, guide or staff e-mail that cannot leave for a reason that may pass (a server down,
# busy or slow) is tried again, with growing waits, for this long after it was due: most of the
# check-in's own day, so that an outage of minutes or hours costs nobody their message.
SEND_RETRY_HOURS = env.int("SEND_RETRY_HOURS", default=12)
RELAY_GRACE_SECONDS = env.int("RELAY_GRACE_SECONDS", default=120)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
TEXT_MESSAGE_BACKEND = env.str("TEXT_MESSAGE_BACKEND", default="messaging.text_messages.ConsoleBackend")
# The provider's HTTP API (messaging.text_messages.TelnyxBackend): the sender is the clinic group's
# number or registered sender name; a request that takes longer than the timeout is tried again.
TEXT_MESSAGE_API_URL = env.str("TEXT_MESSAGE_API_URL", default="https://api.telnyx.com/v2/messages")
TEXT_MESSAGE_API_KEY = env.str("TEXT_MESSAGE_API_KEY", default="")
TEXT_MESSAGE_SENDER = env.str("TEXT_MESSAGE_SENDER", default="")
TEXT_MESSAGE_TIMEOUT_SECONDS = env.float("TEXT_MESSAGE_TIMEOUT_SECONDS", default=10.0)
# Patients' numbers are stored in E.164 and shown with their international prefix.
PHONENUMBER_DB_FORMAT = "E164"
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"

# The largest form (a session with ten products, a full check-in) sends under a hundred fields and
# a few kilobytes: anything far beyond is refused with 400 before a view spends time on it.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 300
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

# /health/ fails when beat has not run the minute's tasks for this long, or a message waited this long.
HEALTH_BEAT_LATE_SECONDS = env.int("HEALTH_BEAT_LATE_SECONDS", default=5 * 60)
HEALTH_OUTBOX_LATE_SECONDS = env.int("HEALTH_OUTBOX_LATE_SECONDS", default=15 * 60)

# Security headers. Production runs behind TLS; DEBUG turns these off for local work.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer probes over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): everything a page loads comes from this site, and no
# inline script, inline style or event-handler attribute runs, so injected markup stays inert.
# Templates therefore carry no <script> or <style> blocks and no style="" attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws select arrows, check marks and close buttons as data: SVG images.
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# What other systems are given: the REST API, its tokens and schema, and webhooks; where backups go.
from .backup_settings import *  # noqa: E402, F403
from .beat import CELERY_BEAT_SCHEDULE  # noqa: E402, F401
from .integrations import *  # noqa: E402, F403

# One handler, whose filter hides check-in tokens and phone numbers; Django's own loggers (request
# warnings, runserver's access lines) and Celery's (clinic/celery.py) are routed through it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "clinic.redaction.RedactingFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"], "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}
